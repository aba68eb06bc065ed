// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of the tcptune CLI's pure helpers (no kernel needed):
 * edit distance and nearest names, ss-style number formats, strict value
 * and prefix parsing, socket filters, the CSV row.  TAP output.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "tcptune.h"

static int n, failed;

static void check(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", ok ? "" : "not ", ++n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!ok)
		failed++;
}

static void check_str(const char *got, const char *want, const char *what)
{
	check(!strcmp(got, want), "%s: \"%s\" (want \"%s\")", what, got, want);
}

int main(void)
{
	static const char *const knobs[] = {
		"reno.iw", "reno.beta", "reno.abc_l", "newreno.beta", "newreno.iw",
		"bbr.beta", "bbr.headroom", "bbr.startup_pacing_gain",
	};
	static const char *const cmds[] = { "sockets", "algos", "knobs", "set",
					    "monitor", "watch", "plot", "help" };
	char buf[512];
	uint32_t u;
	uint64_t u64;
	double d;
	struct tt_prefix p;
	struct tt_filter f;
	struct tt_sock s;
	FILE *mem;
	char *membuf = NULL;
	size_t memlen = 0;

	printf("TAP version 13\n1..36\n");

	/* edit distance */
	check(tt_edit_distance("beta", "beta") == 0, "distance of equal names is 0");
	check(tt_edit_distance("bta", "beta") == 1, "one deletion is 1");
	check(tt_edit_distance("btea", "beta") == 1, "a transposition is 1");
	check(tt_edit_distance("RENO", "reno") == 0, "case is ignored");
	check(tt_edit_distance("", "abc") == 3, "from empty: the length");

	/* nearest names */
	tt_suggest("reno.bta", knobs, 8, buf, sizeof(buf));
	check_str(buf, "reno.beta", "reno.bta suggests reno.beta");
	tt_suggest("beta", knobs, 8, buf, sizeof(buf));
	check(strstr(buf, "reno.beta") && strstr(buf, "newreno.beta") && strstr(buf, "bbr.beta"),
	      "a bare knob name suggests it under every algorithm: %s", buf);
	check(tt_suggest("zzzzzzzz", knobs, 8, buf, sizeof(buf)) == 0 && !buf[0],
	      "nothing near: no suggestion");
	tt_suggest("sokets", cmds, 8, buf, sizeof(buf));
	check_str(buf, "sockets", "sokets suggests sockets");
	tt_suggest("monitr", cmds, 8, buf, sizeof(buf));
	check_str(buf, "monitor", "monitr suggests monitor");
	tt_suggest("st", cmds, 8, buf, sizeof(buf));
	check(strstr(buf, "set") != NULL, "st suggests set: %s", buf);

	/* rates and times as ss prints them */
	check_str(tt_fmt_rate(buf, sizeof(buf), 999), "999", "999 bit/s");
	check_str(tt_fmt_rate(buf, sizeof(buf), 1500), "1.5k", "1500 bit/s");
	check_str(tt_fmt_rate(buf, sizeof(buf), 11800000), "11.8M", "11.8 Mbit/s");
	check_str(tt_fmt_rate(buf, sizeof(buf), 9.99e9), "9.99G", "9.99 Gbit/s");
	check_str(tt_fmt_ms(buf, sizeof(buf), 204000), "204", "rto 204000 us -> 204 ms");
	check_str(tt_fmt_ms(buf, sizeof(buf), 21883), "21.883", "srtt 21883 us -> 21.883 ms");

	/* strict values */
	check(tt_parse_u32("70", &u) == 0 && u == 70, "70 parses");
	check(tt_parse_u32("4294967295", &u) == 0 && u == UINT32_MAX, "u32 max parses");
	check(tt_parse_u32("4294967296", &u) != 0, "u32 max + 1 is refused");
	check(tt_parse_u32("-1", &u) != 0, "a negative value is refused");
	check(tt_parse_u32("", &u) != 0, "an empty value is refused");
	check(tt_parse_u32("7x", &u) != 0, "trailing text is refused");
	check(tt_parse_u32(" 7", &u) != 0, "leading blanks are refused");
	check(tt_parse_u64("1a2b", &u64, 16) == 0 && u64 == 0x1a2b, "a hex cookie parses");
	check(tt_parse_double("0.5", &d) == 0 && d == 0.5, "0.5 s parses");
	check(tt_parse_double("nan", &d) != 0, "nan is refused");

	/* prefixes and filters */
	check(tt_parse_prefix("198.18.0.0/15", &p) == 0 && p.family == AF_INET && p.plen == 15,
	      "198.18.0.0/15 parses");
	check(tt_parse_prefix("[2001:db8::1]", &p) == 0 && p.family == AF_INET6 && p.plen == 128,
	      "[2001:db8::1] parses");
	check(tt_parse_prefix("198.18.0.0/33", &p) != 0, "/33 on IPv4 is refused");

	memset(&s, 0, sizeof(s));
	s.family = AF_INET;
	memcpy(s.saddr, (uint8_t[]){ 198, 19, 1, 1 }, 4);
	s.v[TCPTUNE_SOCK_A_SPORT] = 5201;
	s.v[TCPTUNE_SOCK_A_CA_STATE] = TCPTUNE_CA_RECOVERY;
	s.have = 1ULL << TCPTUNE_SOCK_A_CA_STATE;
	snprintf(s.algo, sizeof(s.algo), "tcptune_reno");
	tt_filter_init(&f);
	tt_parse_prefix("198.18.0.0/15", &f.src);
	f.algo = "reno";
	f.sport = 5201;
	f.ca_state = tt_ca_state_parse("recovery");
	check(tt_filter_match(&f, &s), "src 198.18.0.0/15 algo reno sport 5201 ca-state recovery matches");
	tt_parse_prefix("198.18.0.0/16", &f.src);
	check(!tt_filter_match(&f, &s), "198.19.1.1 is outside 198.18.0.0/16");
	tt_parse_prefix("198.18.0.0/15", &f.src);
	f.algo = "newreno";
	check(!tt_filter_match(&f, &s), "algo newreno does not match tcptune_reno");
	f.algo = "tcptune_reno";
	f.ca_state = TCPTUNE_CA_LOSS;
	check(!tt_filter_match(&f, &s), "ca-state Loss does not match Recovery");

	/* CSV: header and row have the same number of cells */
	mem = open_memstream(&membuf, &memlen);
	tt_csv_header(mem);
	s.have |= 1ULL << TCPTUNE_SOCK_A_CWND;
	s.v[TCPTUNE_SOCK_A_CWND] = 10;
	tt_csv_row(mem, 1.5, &s);
	fclose(mem);
	{
		char *nl = strchr(membuf, '\n'), *fields[64];
		int a, b;

		*nl = '\0';
		a = tt_csv_split(membuf, fields, 64);
		b = tt_csv_split(nl + 1, fields, 64);
		check(a == b && a > 20, "CSV header and row: %d and %d cells", a, b);
		check(!strcmp(fields[0], "1.500000") && !strcmp(fields[9], "10"),
		      "CSV row: time and cwnd in place (%s, %s)", fields[0], fields[9]);
	}
	free(membuf);

	return failed ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The sample format shared by `watch --csv` (writer) and `plot` (reader):
 * one header line naming the columns, then one row per socket per sample.
 * Units are in the column names; an empty cell is "not known" (or an
 * unlimited ssthresh).  plot finds its columns by name, so columns may be
 * added at the end without breaking old files.
 */
#include <string.h>
#include <sys/socket.h>

#include "tcptune.h"

const char *const tt_csv_columns[] = {
	"time", "sk", "algo", "saddr", "sport", "daddr", "dport", "state",
	"ca_state", "cwnd", "ssthresh", "srtt_us", "rttvar_us", "minrtt_us",
	"rto_us", "mss", "inflight", "unacked", "retrans", "total_retrans",
	"lost", "sacked", "delivered", "delivery_rate_bps", "pacing_rate_bps",
	"app_limited", "bbr_state", "bbr_bw_bps", "reno_phase", NULL,
};

void tt_csv_header(FILE *f)
{
	const char *const *c;

	for (c = tt_csv_columns; *c; c++)
		fprintf(f, "%s%s", c == tt_csv_columns ? "" : ",", *c);
	fputc('\n', f);
}

static void cell(FILE *f, const struct tt_sock *s, int attr, uint64_t mul)
{
	fputc(',', f);
	if (tt_has(s, attr))
		fprintf(f, "%llu", (unsigned long long)(s->v[attr] * mul));
}

void tt_csv_row(FILE *f, double t, const struct tt_sock *s)
{
	char a[64];

	fprintf(f, "%.6f,%llx,%s", t, (unsigned long long)s->v[TCPTUNE_SOCK_A_COOKIE],
		s->algo);
	tt_addr_str(s->family, s->saddr, a, sizeof(a));
	fprintf(f, ",%s,%llu", a, (unsigned long long)s->v[TCPTUNE_SOCK_A_SPORT]);
	tt_addr_str(s->family, s->daddr, a, sizeof(a));
	fprintf(f, ",%s,%llu", a, (unsigned long long)s->v[TCPTUNE_SOCK_A_DPORT]);
	fprintf(f, ",%s,", tt_tcp_state_name((int)s->v[TCPTUNE_SOCK_A_STATE]));
	if (tt_has(s, TCPTUNE_SOCK_A_CA_STATE))
		fputs(tt_ca_state_name((int)s->v[TCPTUNE_SOCK_A_CA_STATE]), f);
	cell(f, s, TCPTUNE_SOCK_A_CWND, 1);
	fputc(',', f);
	if (tt_has(s, TCPTUNE_SOCK_A_SSTHRESH) && s->v[TCPTUNE_SOCK_A_SSTHRESH] < 0x7fffffff)
		fprintf(f, "%llu", (unsigned long long)s->v[TCPTUNE_SOCK_A_SSTHRESH]);
	cell(f, s, TCPTUNE_SOCK_A_SRTT, 1);
	cell(f, s, TCPTUNE_SOCK_A_RTTVAR, 1);
	cell(f, s, TCPTUNE_SOCK_A_MIN_RTT, 1);
	cell(f, s, TCPTUNE_SOCK_A_RTO, 1);
	cell(f, s, TCPTUNE_SOCK_A_MSS, 1);
	cell(f, s, TCPTUNE_SOCK_A_INFLIGHT, 1);
	cell(f, s, TCPTUNE_SOCK_A_UNACKED, 1);
	cell(f, s, TCPTUNE_SOCK_A_RETRANS, 1);
	cell(f, s, TCPTUNE_SOCK_A_TOTAL_RETRANS, 1);
	cell(f, s, TCPTUNE_SOCK_A_LOST, 1);
	cell(f, s, TCPTUNE_SOCK_A_SACKED, 1);
	cell(f, s, TCPTUNE_SOCK_A_DELIVERED, 1);
	cell(f, s, TCPTUNE_SOCK_A_DELIVERY_RATE, 8);
	cell(f, s, TCPTUNE_SOCK_A_PACING_RATE, 8);
	cell(f, s, TCPTUNE_SOCK_A_APP_LIMITED, 1);
	fputc(',', f);
	if (s->has_bbr && (s->bbr_have & (1ULL << TCPTUNE_BBR_A_STATE))) {
		const char *phase, *st = tt_bbr_state_name((int)s->bbr[TCPTUNE_BBR_A_STATE], &phase);

		fprintf(f, "%s%s%s", st, phase ? "_" : "", phase ? phase : "");
	}
	fputc(',', f);
	if (s->has_bbr && (s->bbr_have & (1ULL << TCPTUNE_BBR_A_BW)))
		fprintf(f, "%llu", (unsigned long long)(s->bbr[TCPTUNE_BBR_A_BW] * 8));
	fputc(',', f);
	if (s->has_reno && (s->reno_have & (1ULL << TCPTUNE_RENO_A_PHASE)))
		fputs(tt_reno_phase_name((int)s->reno[TCPTUNE_RENO_A_PHASE]), f);
	fputc('\n', f);
}

/* Split a line at commas in place (no quoting: no cell holds a comma). */
int tt_csv_split(char *line, char **fields, int max)
{
	int n = 0;
	char *p = line;

	line[strcspn(line, "\r\n")] = '\0';
	while (n < max) {
		fields[n++] = p;
		p = strchr(p, ',');
		if (!p)
			break;
		*p++ = '\0';
	}
	return n;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Small helpers: messages, nearest-name suggestions (edit distance), the
 * number formats `ss -ti` uses, strict number and prefix parsing, JSON out.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>

#include "tcptune.h"

void tt_err(const char *fmt, ...)
{
	va_list ap;

	fputs("tcptune: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* A continuation line of the previous error (hint, suggestion). */
void tt_note(const char *fmt, ...)
{
	va_list ap;

	fputs("  ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * Optimal string alignment distance: Levenshtein plus the transposition of
 * two neighbours, so "btea" is one edit from "beta".  Case-insensitive.
 */
int tt_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	int *d, r;

	d = calloc((la + 1) * (lb + 1), sizeof(*d));
	if (!d)
		return (int)(la > lb ? la : lb);
#define D(x, y) d[(x) * (lb + 1) + (y)]
	for (i = 0; i <= la; i++)
		D(i, 0) = (int)i;
	for (j = 0; j <= lb; j++)
		D(0, j) = (int)j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			int cost = tolower((unsigned char)a[i - 1]) !=
				   tolower((unsigned char)b[j - 1]);
			int best = D(i - 1, j) + 1;

			if (D(i, j - 1) + 1 < best)
				best = D(i, j - 1) + 1;
			if (D(i - 1, j - 1) + cost < best)
				best = D(i - 1, j - 1) + cost;
			if (i > 1 && j > 1 &&
			    tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == tolower((unsigned char)b[j - 1]) &&
			    D(i - 2, j - 2) + 1 < best)
				best = D(i - 2, j - 2) + 1;
			D(i, j) = best;
		}
	}
	r = D(la, lb);
#undef D
	free(d);
	return r;
}

/*
 * The names worth suggesting for a mistyped input: those within a third of
 * its length in edits (at least 1, at most 3), and those that contain it
 * (a knob name given without its algorithm, "beta" -> "reno.beta").  Best
 * first, at most 4.
 */
int tt_suggest(const char *input, const char *const *cands, size_t n,
	       char *buf, size_t len)
{
	int limit = (int)strlen(input) / 3, count = 0, dist;
	size_t i;

	if (limit < 1)
		limit = 1;
	if (limit > 3)
		limit = 3;
	buf[0] = '\0';
	/* Two passes over increasing distance give a stable, best-first list;
	 * distance -1 is "contains the input". */
	for (dist = -1; dist <= limit && count < 4; dist++) {
		for (i = 0; i < n && count < 4; i++) {
			bool hit;
			size_t j;

			/* no duplicates: the list may hold a name twice */
			for (j = 0; j < i; j++)
				if (!strcmp(cands[j], cands[i]))
					break;
			if (j < i)
				continue;
			if (dist < 0) {
				const char *dot = strchr(cands[i], '.');

				hit = strlen(input) >= 2 && dot &&
				      !strcasecmp(dot + 1, input);
			} else {
				hit = tt_edit_distance(input, cands[i]) == dist;
				/* already listed as containing it */
				if (hit && strchr(cands[i], '.') && strlen(input) >= 2 &&
				    !strcasecmp(strchr(cands[i], '.') + 1, input))
					hit = false;
			}
			if (!hit)
				continue;
			if (count)
				strncat(buf, ", ", len - strlen(buf) - 1);
			strncat(buf, cands[i], len - strlen(buf) - 1);
			count++;
		}
	}
	return count;
}

void tt_suggest_print(const char *input, const char *const *cands, size_t n)
{
	char buf[512];

	if (tt_suggest(input, cands, n, buf, sizeof(buf)))
		tt_note("did you mean: %s?", buf);
}

/*
 * Rates as `ss -ti` prints them (iproute2 6.x sprint_bw): three significant
 * digits and k/M/G/T, bits per second; the caller appends "bps".
 */
char *tt_fmt_rate(char *buf, size_t len, double bw)
{
	if (bw >= 1e12)
		snprintf(buf, len, "%.3gT", bw / 1e12);
	else if (bw >= 1e9)
		snprintf(buf, len, "%.3gG", bw / 1e9);
	else if (bw >= 1e6)
		snprintf(buf, len, "%.3gM", bw / 1e6);
	else if (bw >= 1e3)
		snprintf(buf, len, "%.3gk", bw / 1e3);
	else
		snprintf(buf, len, "%g", bw);
	return buf;
}

/* v in decimal at buf (room for 20 digits); returns the end. */
char *tt_fmt_u64(char *buf, uint64_t v)
{
	char d[20], *p = d + sizeof(d);

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	memcpy(buf, p, (size_t)(d + sizeof(d) - p));
	return buf + (d + sizeof(d) - p);
}

/*
 * Microseconds as ss prints rto/rtt/minrtt: milliseconds, %g.  Below
 * 1,000 ms that is at most six digits, exact: the integer part, then the
 * microseconds without their trailing zeros (no printf for each of the
 * four per socket, P9).
 */
char *tt_fmt_ms(char *buf, size_t len, uint64_t us)
{
	char *p;
	int ms;

	if (us >= 1000000 || len < 8) {
		snprintf(buf, len, "%g", (double)us / 1000.0);
		return buf;
	}
	p = tt_fmt_u64(buf, us / 1000);
	ms = (int)(us % 1000);
	if (ms) {
		*p++ = '.';
		*p++ = (char)('0' + ms / 100);
		ms = ms % 100;
		if (ms) {
			*p++ = (char)('0' + ms / 10);
			if (ms % 10)
				*p++ = (char)('0' + ms % 10);
		}
	}
	*p = '\0';
	return buf;
}

/* Strict: digits only, no sign, no trailing text; base 0 is C's (decimal,
 * 0x hex, 0 octal: 070 is 56), as the kernel reads a sysctl and ip a number. */
int tt_parse_u64(const char *s, uint64_t *out, int base)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno == ERANGE)
		return -ERANGE;
	if (*end || end == s)
		return -EINVAL;
	*out = v;
	return 0;
}

int tt_parse_u32(const char *s, uint32_t *out)
{
	uint64_t v;
	int r = tt_parse_u64(s, &v, 0);

	if (r)
		return r;
	if (v > UINT32_MAX)
		return -ERANGE;
	*out = (uint32_t)v;
	return 0;
}

int tt_parse_double(const char *s, double *out)
{
	char *end;
	double v;

	if (!s || !*s)
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || end == s || !isfinite(v))
		return -EINVAL;
	*out = v;
	return 0;
}

/* ADDR or ADDR/PLEN, IPv4 or IPv6 (brackets allowed around IPv6). */
int tt_parse_prefix(const char *s, struct tt_prefix *p)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash, *a = buf;
	uint32_t plen;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	if (*a == '[' && a[strlen(a) - 1] == ']') {
		a[strlen(a) - 1] = '\0';
		a++;
	}
	memset(p, 0, sizeof(*p));
	if (inet_pton(AF_INET, a, p->addr) == 1) {
		p->family = AF_INET;
		p->plen = 32;
	} else if (inet_pton(AF_INET6, a, p->addr) == 1) {
		p->family = AF_INET6;
		p->plen = 128;
	} else {
		return -EINVAL;
	}
	if (slash) {
		/* unsigned: /2147483648 was (int) negative, accepted */
		if (tt_parse_u32(slash, &plen) || plen > (uint32_t)p->plen)
			return -EINVAL;
		p->plen = (int)plen;
	}
	p->set = true;
	return 0;
}

/* o as JSON text in the style -p asks for; valid until o is put. */
const char *tt_json_str(const struct tt_ctx *ctx, json_object *o)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE;

	flags |= ctx->pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED
			     : JSON_C_TO_STRING_PLAIN;
	return json_object_to_json_string_ext(o, flags);
}

void tt_json_print(struct tt_ctx *ctx, json_object *o)
{
	puts(tt_json_str(ctx, o));
}

int tt_file_exit(int err)
{
	switch (err) {
	case ENOENT:
	case ENOTDIR:
	case EISDIR:
		return TT_EXIT_INVALID;
	case EACCES:
	case EPERM:
	case EROFS:
		return TT_EXIT_PERM;
	default:
		return TT_EXIT_KERNEL;
	}
}

double tt_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int tt_read_sysctl(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f)) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	n = strlen(buf);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * tcptune watch [-i SECONDS] [-c COUNT] [--csv [-o FILE]] [-a] [FILTER]:
 * the socket dump again every interval.  On a terminal a table redrawn in
 * place; otherwise one table per sample; with --csv rows for `tcptune
 * plot`; with -j one JSON object per sample and line.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tcptune.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* A rate column: "-" while unknown, as ss hides it. */
static void watch_rate(char *buf, size_t len, const struct tt_sock *s, int attr)
{
	uint64_t v = s->v[attr];

	if (!tt_has(s, attr) || !tt_rate_known(v)) {
		snprintf(buf, len, "-");
		return;
	}
	tt_fmt_rate(buf, len, (double)v * 8);
	strncat(buf, "bps", len - strlen(buf) - 1);
}

/* The counters of the previous sample, by cookie: what the deltas start from. */
struct tt_watch_prev {
	uint64_t cookie, acked, retr, bretr, have;
	double t;
};

static int prev_cmp(const void *a, const void *b)
{
	uint64_t x = ((const struct tt_watch_prev *)a)->cookie, y = ((const struct tt_watch_prev *)b)->cookie;

	return (x > y) - (x < y);
}

/* A counter's growth since the sample before, if both have it and it grew. */
static bool grew(const struct tt_sock *s, const struct tt_watch_prev *p, int attr, uint64_t was,
		 uint64_t *d)
{
	if (!tt_has(s, attr) || !(p->have & (1ULL << attr)) || s->v[attr] < was)
		return false;
	*d = s->v[attr] - was;
	return true;
}

/*
 * The interval's figures of every socket seen in the sample before
 * (goodput from bytes_acked in bit/s, retransmitted segments and bytes),
 * then this sample becomes the one before.  A socket new in this sample
 * (or whose counters went back: another socket of the same cookie) has
 * none.  t: a monotonic clock, in seconds.
 */
void tt_watch_deltas(struct tt_watch_prev **pv, size_t *pn, struct tt_socklist *l, double t)
{
	struct tt_watch_prev *np = l->n ? malloc(l->n * sizeof(*np)) : NULL;
	size_t i;

	for (i = 0; i < l->n; i++) {
		struct tt_sock *s = &l->v[i];
		struct tt_watch_prev key = { .cookie = s->v[TCPTUNE_SOCK_A_COOKIE] }, *p;
		uint64_t d;

		p = *pn ? bsearch(&key, *pv, *pn, sizeof(key), prev_cmp) : NULL;
		if (p && t > p->t) {
			if (grew(s, p, TCPTUNE_SOCK_A_BYTES_ACKED, p->acked, &d))
				tt_sock_set(s, TT_F_GOODPUT, tt_u64_of((double)d * 8 / (t - p->t)));
			if (grew(s, p, TCPTUNE_SOCK_A_TOTAL_RETRANS, p->retr, &d))
				tt_sock_set(s, TT_F_RETRANS_DELTA, d);
			if (grew(s, p, TCPTUNE_SOCK_A_BYTES_RETRANS, p->bretr, &d))
				tt_sock_set(s, TT_F_BYTES_RETRANS_DELTA, d);
		}
		if (np)
			np[i] = (struct tt_watch_prev){ key.cookie, s->v[TCPTUNE_SOCK_A_BYTES_ACKED],
					       s->v[TCPTUNE_SOCK_A_TOTAL_RETRANS],
					       s->v[TCPTUNE_SOCK_A_BYTES_RETRANS], s->have, t };
	}
	free(*pv);
	*pv = np;
	*pn = np ? l->n : 0;
	if (np)
		qsort(np, *pn, sizeof(*np), prev_cmp);
}

/* A count column: "-" while unknown. */
static void watch_count(char *buf, size_t len, const struct tt_sock *s, int f)
{
	if (tt_has(s, f))
		snprintf(buf, len, "%llu", (unsigned long long)s->v[f]);
	else
		snprintf(buf, len, "-");
}

static void table(FILE *f, const struct tt_socklist *l, double now, double interval,
		  bool tty)
{
	char ts[32], r1[32], r2[32], l1[64], p1[64], rtt[32], mrtt[32], model[48];
	time_t sec = (time_t)now;
	struct tm tm;
	size_t i;

	localtime_r(&sec, &tm);
	strftime(ts, sizeof(ts), "%H:%M:%S", &tm);
	if (tty)
		fputs("\033[H\033[2J", f);
	fprintf(f, "tcptune watch: %s, every %gs, %zu socket%s%s\n", ts, interval, l->n,
		l->n == 1 ? "" : "s", tty ? " (Ctrl-C to stop)" : "");
	fprintf(f, "%-16s %-16s %-26s %-26s %-8s %7s %8s %9s %8s %9s %9s %9s %5s %9s %5s %7s %s\n",
		"SK", "ALGO", "LOCAL", "PEER", "CA", "CWND", "SSTHRESH", "RTT(ms)",
		"MINRTT", "DELIVERY", "PACING", "RETRANS", "LOST", "GOODPUT", "RETR",
		"RETRB", "MODEL");
	for (i = 0; i < l->n; i++) {
		const struct tt_sock *s = &l->v[i];
		char ssth[16] = "-", retr[24], gp[32], gr[24], dr[24], dbr[24];

		tt_sock_addr(s, true, l1, sizeof(l1));
		tt_sock_addr(s, false, p1, sizeof(p1));
		/* as sockets shows them: no ssthresh in slow start, nor a listener's 0 */
		if (tt_has(s, TCPTUNE_SOCK_A_SSTHRESH) && s->v[TCPTUNE_SOCK_A_SSTHRESH] &&
		    !tt_sock_unset(s, TCPTUNE_SOCK_A_SSTHRESH))
			snprintf(ssth, sizeof(ssth), "%llu",
				 (unsigned long long)s->v[TCPTUNE_SOCK_A_SSTHRESH]);
		snprintf(retr, sizeof(retr), "%llu/%llu",
			 (unsigned long long)s->v[TCPTUNE_SOCK_A_RETRANS],
			 (unsigned long long)s->v[TCPTUNE_SOCK_A_TOTAL_RETRANS]);
		model[0] = '\0';
		if (s->has_bbr && (s->bbr_have & (1ULL << TCPTUNE_BBR_A_STATE))) {
			const char *ph, *st = tt_bbr_state_name((int)s->bbr[TCPTUNE_BBR_A_STATE], &ph);

			snprintf(model, sizeof(model), "%s%s%s", st, ph ? "/" : "", ph ? ph : "");
		} else if (s->has_reno && (s->reno_have & (1ULL << TCPTUNE_RENO_A_PHASE))) {
			snprintf(model, sizeof(model), "%s",
				 tt_reno_phase_name((int)s->reno[TCPTUNE_RENO_A_PHASE]));
		}
		tt_fmt_ms(rtt, sizeof(rtt), s->v[TCPTUNE_SOCK_A_SRTT]);
		if (tt_has(s, TCPTUNE_SOCK_A_MIN_RTT) && !tt_sock_unset(s, TCPTUNE_SOCK_A_MIN_RTT))
			tt_fmt_ms(mrtt, sizeof(mrtt), s->v[TCPTUNE_SOCK_A_MIN_RTT]);
		else
			snprintf(mrtt, sizeof(mrtt), "-");
		watch_rate(r1, sizeof(r1), s, TCPTUNE_SOCK_A_DELIVERY_RATE);
		watch_rate(r2, sizeof(r2), s, TCPTUNE_SOCK_A_PACING_RATE);
		if (tt_has(s, TT_F_GOODPUT))
			snprintf(gp, sizeof(gp), "%sbps",
				 tt_fmt_rate(gr, sizeof(gr), (double)s->v[TT_F_GOODPUT]));
		else
			snprintf(gp, sizeof(gp), "-");
		watch_count(dr, sizeof(dr), s, TT_F_RETRANS_DELTA);
		watch_count(dbr, sizeof(dbr), s, TT_F_BYTES_RETRANS_DELTA);
		fprintf(f, "%-16llx %-16s %-26s %-26s %-8s %7llu %8s %9s %8s %9s %9s %9s %5llu "
			"%9s %5s %7s %s\n",
			(unsigned long long)s->v[TCPTUNE_SOCK_A_COOKIE], s->algo, l1, p1,
			tt_has(s, TCPTUNE_SOCK_A_CA_STATE) ?
				tt_ca_state_name((int)s->v[TCPTUNE_SOCK_A_CA_STATE]) : "-",
			(unsigned long long)s->v[TCPTUNE_SOCK_A_CWND], ssth, rtt, mrtt, r1, r2,
			retr, (unsigned long long)s->v[TCPTUNE_SOCK_A_LOST], gp, dr, dbr, model);
	}
	fflush(f);
}

enum { OPT_CSV = 256, OPT_SORT, OPT_TOP };

int cmd_watch(struct tt_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "all", no_argument, NULL, 'a' },
		{ "csv", no_argument, NULL, OPT_CSV },
		{ "sort", required_argument, NULL, OPT_SORT },
		{ "top", required_argument, NULL, OPT_TOP },
		{ NULL, 0, NULL, 0 },
	};
	const struct tt_cmd *self = tt_cmd_find("watch");
	struct timespec next, mono;
	struct tt_watch_prev *prev = NULL;
	size_t nprev = 0;
	struct tt_filter f;
	const char *outpath = NULL;
	double interval = 1.0;
	long count = -1, n = 0;
	bool all = false, csv = false, tty = false;
	FILE *out = stdout;
	const struct tt_sort_field *sort_by = NULL;
	long top = -1;
	int opt, r = 0;

	tt_filter_init(&f);
	while ((opt = tt_getopt(ctx, self, argc, argv, "i:c:o:a", opts)) != -1) {
		uint32_t c;

		switch (opt) {
		case 'i':
			if (tt_parse_double(optarg, &interval) || interval < 0.01 || interval > 86400) {
				tt_err("watch: -i: \"%s\" is not seconds between 0.01 and 86400", optarg);
				return TT_EXIT_INVALID;
			}
			break;
		case 'c':
			if (tt_parse_u32(optarg, &c) || !c) {
				tt_err("watch: -c: \"%s\" is not a positive number", optarg);
				return TT_EXIT_INVALID;
			}
			count = c;
			break;
		case 'o':
			outpath = optarg;
			csv = true;
			break;
		case 'a':
			all = true;
			break;
		case OPT_CSV:
			csv = true;
			break;
		case OPT_SORT:
			sort_by = tt_sort_find("watch", optarg);
			if (!sort_by)
				return TT_EXIT_INVALID;
			break;
		case OPT_TOP:
			if (tt_parse_top("watch", optarg, &top))
				return TT_EXIT_INVALID;
			break;
		default:
			return TT_EXIT_USAGE;
		}
	}
	r = tt_filter_parse_args(&f, "watch", argc - optind, argv + optind);
	if (r == TT_EXIT_USAGE && csv && strpbrk(f.bad, "./"))
		tt_note("--csv takes no file name, as -j none: write to a file with -o FILE");
	if (!r && csv && ctx->json) {
		tt_err("watch: --csv and -j exclude each other");
		r = TT_EXIT_USAGE;
	}
	if (r) {
		tt_filter_free(&f);
		return r;
	}
	ctx->family_optional = all;
	if (f.algo) {
		if (all)
			tt_genl_open(ctx);	/* a missing module is said below */
		r = tt_algo_check(ctx, &f, all);
		if (r)
			return r;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!stop && (count < 0 || n < count)) {
		struct tt_socklist l = { 0 };
		double now = tt_now();
		size_t k;

		r = tt_collect(ctx, &f, all, &l);
		if (r)
			break;
		clock_gettime(CLOCK_MONOTONIC, &mono);
		tt_watch_deltas(&prev, &nprev, &l, (double)mono.tv_sec + mono.tv_nsec / 1e9);
		/* after the deltas: every socket keeps its history, shown or not */
		tt_sort_apply(&l, sort_by, top);
		/* the file only once there is a sample: a failure leaves it as it was */
		if (!n && outpath && strcmp(outpath, "-")) {
			out = fopen(outpath, "w");
			if (!out) {
				r = tt_file_exit(errno);
				tt_err("watch: %s: %s", outpath, strerror(errno));
				tt_socklist_free(&l);
				tt_filter_free(&f);
				free(prev);
				return r;
			}
		}
		if (!n) {
			tty = !csv && !ctx->json && isatty(fileno(out));
			if (csv)
				tt_csv_header(out);
		}
		if (csv) {
			for (k = 0; k < l.n; k++)
				tt_csv_row(out, now, &l.v[k]);
			fflush(out);
		} else if (ctx->json) {
			json_object *o = json_object_new_object(), *arr = json_object_new_array();
			char ts[32];

			/* to the microsecond, as monitor's (not %.17g's binary tail) */
			snprintf(ts, sizeof(ts), "%.6f", now);
			json_object_object_add(o, "time", json_object_new_double_s(now, ts));
			json_object_object_add(o, "interval_s", json_object_new_double(interval));
			for (k = 0; k < l.n; k++)
				json_object_array_add(arr, tt_sock_json(&l.v[k]));
			json_object_object_add(o, "sockets", arr);
			tt_json_print(ctx, o);
			json_object_put(o);
			fflush(stdout);
		} else {
			if (n && !tty)
				fputc('\n', out);
			table(out, &l, now, interval, tty);
		}
		tt_socklist_free(&l);
		n++;
		/* a full disk or an I/O error: say so now, not at exit */
		if (out != stdout && (fflush(out) || ferror(out))) {
			r = tt_file_exit(errno);
			tt_err("watch: writing %s: %s", outpath, strerror(errno));
			break;
		}
		if (count >= 0 && n >= count)
			break;
		/* a fixed schedule: samples do not drift by the dump time */
		next.tv_sec += (time_t)interval;
		next.tv_nsec += (long)((interval - floor(interval)) * 1e9);
		if (next.tv_nsec >= 1000000000L) {
			next.tv_sec++;
			next.tv_nsec -= 1000000000L;
		}
		while (!stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
			;
	}
	if (out != stdout && fclose(out) && !r) {
		r = tt_file_exit(errno);
		tt_err("watch: writing %s: %s", outpath, strerror(errno));
	}
	free(prev);
	tt_filter_free(&f);
	return r;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * tcptune summary [-a] [-4|-6] [FILTER]: the sockets `tcptune sockets`
 * would list (the same selection: tt_collect), summed up per algorithm
 * and per CA state: how many, the distribution of srtt, cwnd and delivery
 * rate (min, p50, p90, p99, max; nearest-rank percentiles) and the
 * retransmit ratio, retransmitted segments over segments sent
 * (tcpi_total_retrans / tcpi_segs_out, sock_diag's, for tcptune's sockets
 * too by cookie).
 */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tcptune.h"

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest rank: the smallest value with at least p% of them at or below. */
uint64_t tt_percentile(const uint64_t *sorted, size_t n, unsigned int p)
{
	size_t rank;

	if (!n)
		return 0;
	rank = (size_t)ceil((double)p / 100.0 * (double)n);
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

static void dist_add(struct tt_dist *d, uint64_t v)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		uint64_t *nv = realloc(d->v, cap * sizeof(*nv));

		if (!nv)
			return;		/* a sample less, not a crash */
		d->v = nv;
		d->cap = cap;
	}
	d->v[d->n++] = v;
}

static void dist_done(struct tt_dist *d)
{
	if (d->n)	/* qsort(NULL, 0, ...) is undefined */
		qsort(d->v, d->n, sizeof(*d->v), u64_cmp);
}

static struct tt_sum_group *group_get(struct tt_summary *sm, const char *algo, int ca)
{
	size_t i;

	for (i = 0; i < sm->n; i++)
		if (sm->v[i].ca_state == ca && !strcmp(sm->v[i].algo, algo))
			return &sm->v[i];
	if (sm->n == sm->cap) {
		size_t cap = sm->cap ? sm->cap * 2 : 16;
		struct tt_sum_group *v = realloc(sm->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		sm->v = v;
		sm->cap = cap;
	}
	memset(&sm->v[sm->n], 0, sizeof(sm->v[0]));
	snprintf(sm->v[sm->n].algo, sizeof(sm->v[0].algo), "%s", algo);
	sm->v[sm->n].ca_state = ca;
	return &sm->v[sm->n++];
}

static void group_add(struct tt_sum_group *g, const struct tt_sock *s)
{
	g->sockets++;
	if (tt_has(s, TCPTUNE_SOCK_A_SRTT))
		dist_add(&g->rtt, s->v[TCPTUNE_SOCK_A_SRTT]);
	if (tt_has(s, TCPTUNE_SOCK_A_CWND))
		dist_add(&g->cwnd, s->v[TCPTUNE_SOCK_A_CWND]);
	if (tt_has(s, TCPTUNE_SOCK_A_DELIVERY_RATE) &&
	    tt_rate_known(s->v[TCPTUNE_SOCK_A_DELIVERY_RATE]))
		dist_add(&g->rate, s->v[TCPTUNE_SOCK_A_DELIVERY_RATE] * 8);
	if (tt_has(s, TCPTUNE_SOCK_A_TOTAL_RETRANS) && (s->xhave & TT_X_SEGS_OUT)) {
		g->retrans += s->v[TCPTUNE_SOCK_A_TOTAL_RETRANS];
		g->segs_out += s->segs_out;
		g->sent_sockets++;
	}
}

static int group_cmp(const void *a, const void *b)
{
	const struct tt_sum_group *x = a, *y = b;
	int c = strcmp(x->algo, y->algo);

	return c ? c : x->ca_state - y->ca_state;
}

/* Groups of l: per algorithm (ca_state -1: every state) and per CA state. */
int tt_summary_build(const struct tt_socklist *l, struct tt_summary *sm)
{
	size_t i;

	memset(sm, 0, sizeof(*sm));
	for (i = 0; i < l->n; i++) {
		const struct tt_sock *s = &l->v[i];
		const char *algo = s->algo[0] ? s->algo : "-";
		struct tt_sum_group *g = group_get(sm, algo, -1);

		if (!g)
			return TT_EXIT_KERNEL;
		group_add(g, s);
		if (tt_has(s, TCPTUNE_SOCK_A_CA_STATE)) {
			g = group_get(sm, algo, (int)s->v[TCPTUNE_SOCK_A_CA_STATE]);
			if (!g)
				return TT_EXIT_KERNEL;
			group_add(g, s);
		}
	}
	for (i = 0; i < sm->n; i++) {
		dist_done(&sm->v[i].rtt);
		dist_done(&sm->v[i].cwnd);
		dist_done(&sm->v[i].rate);
	}
	if (sm->n)
		qsort(sm->v, sm->n, sizeof(sm->v[0]), group_cmp);
	return 0;
}

void tt_summary_free(struct tt_summary *sm)
{
	size_t i;

	for (i = 0; i < sm->n; i++) {
		free(sm->v[i].rtt.v);
		free(sm->v[i].cwnd.v);
		free(sm->v[i].rate.v);
	}
	free(sm->v);
	memset(sm, 0, sizeof(*sm));
}

static const unsigned int pcts[] = { 50, 90, 99 };

static json_object *dist_json(const struct tt_dist *d)
{
	json_object *o;
	char key[8];
	size_t i;

	if (!d->n)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "min", json_object_new_uint64(d->v[0]));
	for (i = 0; i < sizeof(pcts) / sizeof(pcts[0]); i++) {
		snprintf(key, sizeof(key), "p%u", pcts[i]);
		json_object_object_add(o, key, json_object_new_uint64(tt_percentile(d->v, d->n, pcts[i])));
	}
	json_object_object_add(o, "max", json_object_new_uint64(d->v[d->n - 1]));
	return o;
}

json_object *tt_summary_json(const struct tt_summary *sm)
{
	json_object *arr = json_object_new_array();
	size_t i;

	for (i = 0; i < sm->n; i++) {
		const struct tt_sum_group *g = &sm->v[i];
		json_object *o = json_object_new_object();

		json_object_object_add(o, "algo", json_object_new_string(g->algo));
		json_object_object_add(o, "ca_state", g->ca_state < 0 ? NULL :
				       json_object_new_string(tt_ca_state_name(g->ca_state)));
		json_object_object_add(o, "sockets", json_object_new_uint64(g->sockets));
		json_object_object_add(o, "srtt_us", dist_json(&g->rtt));
		json_object_object_add(o, "cwnd", dist_json(&g->cwnd));
		json_object_object_add(o, "delivery_rate_bps", dist_json(&g->rate));
		json_object_object_add(o, "retrans_segs", json_object_new_uint64(g->retrans));
		json_object_object_add(o, "segs_out", json_object_new_uint64(g->segs_out));
		if (g->segs_out) {
			double r = (double)g->retrans / (double)g->segs_out;
			char ds[32];

			/* 6 digits, not 0.0030000000000000001 */
			snprintf(ds, sizeof(ds), "%.6g", r);
			json_object_object_add(o, "retrans_ratio", json_object_new_double_s(r, ds));
		} else {
			json_object_object_add(o, "retrans_ratio", NULL);
		}
		json_object_array_add(arr, o);
	}
	return arr;
}

/* "p50/p90/p99 (min-max)" of d in the unit fmt gives, "-" without samples. */
static void dist_text(const struct tt_dist *d, int kind, char *buf, size_t len)
{
	uint64_t v[5];
	char s[5][32];
	size_t i;

	if (!d->n) {
		snprintf(buf, len, "-");
		return;
	}
	v[0] = tt_percentile(d->v, d->n, 50);
	v[1] = tt_percentile(d->v, d->n, 90);
	v[2] = tt_percentile(d->v, d->n, 99);
	v[3] = d->v[0];
	v[4] = d->v[d->n - 1];
	for (i = 0; i < 5; i++) {
		if (kind == 0)
			tt_fmt_ms(s[i], sizeof(s[i]), v[i]);
		else if (kind == 1)
			snprintf(s[i], sizeof(s[i]), "%llu", (unsigned long long)v[i]);
		else
			tt_fmt_rate(s[i], sizeof(s[i]), (double)v[i]);
	}
	snprintf(buf, len, "%s/%s/%s (%s-%s)", s[0], s[1], s[2], s[3], s[4]);
}

void tt_summary_print(const struct tt_summary *sm, FILE *f)
{
	char rtt[192], cwnd[192], rate[192], rr[32];
	size_t i;

	fprintf(f, "%-16s %-8s %7s  %-34s %-26s %-36s %s\n", "ALGO", "CA_STATE", "SOCKETS",
		"RTT ms p50/p90/p99 (min-max)", "CWND p50/p90/p99 (min-max)",
		"DELIVERY_RATE bps p50/p90/p99 (min-max)", "RETRANS");
	for (i = 0; i < sm->n; i++) {
		const struct tt_sum_group *g = &sm->v[i];

		dist_text(&g->rtt, 0, rtt, sizeof(rtt));
		dist_text(&g->cwnd, 1, cwnd, sizeof(cwnd));
		dist_text(&g->rate, 2, rate, sizeof(rate));
		if (g->segs_out)
			snprintf(rr, sizeof(rr), "%.2f%%", 100.0 * (double)g->retrans / (double)g->segs_out);
		else
			snprintf(rr, sizeof(rr), "-");
		fprintf(f, "%-16s %-8s %7zu  %-34s %-26s %-36s %s\n", g->algo,
			g->ca_state < 0 ? "*" : tt_ca_state_name(g->ca_state), g->sockets,
			rtt, cwnd, rate, rr);
	}
	if (sm->n)
		fprintf(f, "CA_STATE *: every state.  Percentiles: nearest rank.  RETRANS: "
			"retransmitted segments / segments sent (total_retrans / segs_out)\n");
}

/*
 * The options sockets, summary and metrics take to select sockets: -a,
 * -4, -6 (c), into *all and f.  Returns 0 if c is one, 1 if not, or an
 * exit status after the error.
 */
int tt_select_opt(const char *cmd, int c, bool *all, struct tt_filter *f)
{
	switch (c) {
	case 'a':
		*all = true;
		return 0;
	case '4':
	case '6':
		if (f->family && f->family != (c == '4' ? AF_INET : AF_INET6)) {
			tt_err("%s: -4 and -6 exclude each other (neither: both)", cmd);
			return TT_EXIT_USAGE;
		}
		f->family = c == '4' ? AF_INET : AF_INET6;
		return 0;
	}
	return 1;
}

/* The sockets of the filter in argv[first..argc), as `tcptune sockets`. */
int tt_select(struct tt_ctx *ctx, const char *cmd, int argc, char **argv, int first,
	      bool all, struct tt_filter *f, struct tt_socklist *l)
{
	int r;

	r = tt_filter_parse_args(f, cmd, argc - first, argv + first);
	if (r)
		return r;
	if (all) {
		/* with -a the module is optional: sock_diag alone still works */
		ctx->family_optional = true;
		r = tt_genl_open(ctx);
		if (r && r != TT_EXIT_NOMOD)
			return r;
	}
	if (f->algo) {
		r = tt_algo_check(ctx, f, all);
		if (r)
			return r;
	}
	return tt_collect(ctx, f, all, l);
}

int cmd_summary(struct tt_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "ipv4", no_argument, NULL, '4' },
		{ "ipv6", no_argument, NULL, '6' },
		{ NULL, 0, NULL, 0 },
	};
	struct tt_socklist l = { 0 };
	struct tt_summary sm;
	struct tt_filter f;
	bool all = false;
	int c, r;

	tt_filter_init(&f);
	while ((c = tt_getopt(ctx, tt_cmd_find("summary"), argc, argv, "a46", opts)) != -1) {
		r = tt_select_opt("summary", c, &all, &f);
		if (r) {
			tt_filter_free(&f);
			return r == 1 ? TT_EXIT_USAGE : r;
		}
	}
	f.want_sent = true;
	r = tt_select(ctx, "summary", argc, argv, optind, all, &f, &l);
	tt_filter_free(&f);
	if (r) {
		tt_socklist_free(&l);
		return r;
	}
	r = tt_summary_build(&l, &sm);
	tt_socklist_free(&l);
	if (r) {
		tt_summary_free(&sm);
		return r;
	}
	if (ctx->json) {
		json_object *o = tt_summary_json(&sm);

		tt_json_print(ctx, o);
		json_object_put(o);
	} else {
		tt_summary_print(&sm, stdout);
	}
	tt_summary_free(&sm);
	return 0;
}

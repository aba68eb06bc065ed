// SPDX-License-Identifier: GPL-2.0
/*
 * tcptune algos: TCPTUNE_CMD_ALGO_GET (dump) - every algorithm, the
 * sockets using it now and its counters since load, per namespace.  The
 * namespace's default (net.ipv4.tcp_congestion_control) is marked.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "tcptune.h"

static const struct {
	int attr;
	const char *json, *head;
} counters[] = {
	{ TCPTUNE_ALGO_A_SOCKETS, "sockets", "SOCKETS" },
	{ TCPTUNE_ALGO_A_RECOVERIES, "recoveries", "RECOVERIES" },
	{ TCPTUNE_ALGO_A_RTOS, "rtos", "RTOS" },
	{ TCPTUNE_ALGO_A_UNDOS, "undos", "UNDOS" },
	{ TCPTUNE_ALGO_A_PROBE_RTTS, "probe_rtts", "PROBE_RTTS" },
};
#define NCOUNTERS (sizeof(counters) / sizeof(counters[0]))

static const int algo_policy[TCPTUNE_ALGO_A_MAX + 1] = {
	[TCPTUNE_ALGO_A_NAME] = MNL_TYPE_NUL_STRING,
	[TCPTUNE_ALGO_A_SOCKETS] = TT_NLA_UINT,
	[TCPTUNE_ALGO_A_RECOVERIES] = TT_NLA_UINT,
	[TCPTUNE_ALGO_A_RTOS] = TT_NLA_UINT,
	[TCPTUNE_ALGO_A_UNDOS] = TT_NLA_UINT,
	[TCPTUNE_ALGO_A_PROBE_RTTS] = TT_NLA_UINT,
};

int tt_algo_cb(const struct nlmsghdr *nlh, void *data)
{
	struct tt_algolist *l = data;
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		const struct nlattr *tb[TCPTUNE_ALGO_A_MAX + 1];
		struct tt_algo *al;
		int t;

		if (tt_attr_check(a, tt_top_policy, TCPTUNE_A_MAX) != TCPTUNE_A_ALGO)
			continue;
		al = realloc(l->v, (l->n + 1) * sizeof(*al));
		if (!al) {
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		l->v = al;
		al = &l->v[l->n++];
		memset(al, 0, sizeof(*al));
		tt_attr_parse_nested(a, algo_policy, TCPTUNE_ALGO_A_MAX, tb);
		if (tb[TCPTUNE_ALGO_A_NAME])
			snprintf(al->name, sizeof(al->name), "%s",
				 mnl_attr_get_str(tb[TCPTUNE_ALGO_A_NAME]));
		for (t = TCPTUNE_ALGO_A_SOCKETS; t <= TCPTUNE_ALGO_A_MAX; t++) {
			if (!tb[t])
				continue;
			al->v[t] = tt_attr_uint(tb[t]);
			al->have |= 1ULL << t;
		}
	}
	return MNL_CB_OK;
}

int tt_algos_load(struct tt_ctx *ctx, struct tt_algolist *l)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct tt_nlerr err;
	int r;

	memset(l, 0, sizeof(*l));
	r = tt_genl_open(ctx);
	if (r)
		return r;
	nlh = tt_genl_msg(ctx, buf, TCPTUNE_CMD_ALGO_GET, NLM_F_DUMP);
	if (tt_nl_talk(ctx, ctx->nl, nlh, sizeof(struct genlmsghdr),
		       sizeof(struct genlmsghdr), tt_algo_cb, l, &err) < 0)
		return tt_nlerr_report(&err, "listing the algorithms");
	return 0;
}

/*
 * Is name an algorithm a filter may ask for?  tcptune's own (long or short
 * name) and, with all, anything the kernel offers.  Prints the error with
 * the nearest names and returns TT_EXIT_INVALID if not.
 */
int tt_algo_check(struct tt_ctx *ctx, struct tt_filter *f, bool all)
{
	const char *name = f->algo;
	struct tt_algolist l;
	const char *names[64];
	char avail[1024] = "", *tok, *save;
	size_t n = 0, i;
	int r;

	memset(&l, 0, sizeof(l));
	/*
	 * With -a, names are the kernel's, as ss -ti prints them: an
	 * algorithm of tcp_available_congestion_control by its own name, that
	 * one alone (algo bbr: the kernel's bbr; tcptune_bbr: ours), whatever
	 * else is loaded; any other name is unknown.  Without -a (tcptune's
	 * sockets) the short names reno, newreno, bbr are ours.
	 */
	if (all && !tt_read_sysctl("/proc/sys/net/ipv4/tcp_available_congestion_control",
				   avail, sizeof(avail))) {
		for (tok = strtok_r(avail, " ", &save); tok && n < 64;
		     tok = strtok_r(NULL, " ", &save)) {
			if (strcasecmp(tok, name)) {
				names[n++] = tok;
				continue;
			}
			f->algo_exact = true;
			snprintf(f->kalgo, sizeof(f->kalgo), "%s",
				 strncmp(tok, "tcptune_", 8) ? "" : tok);
			f->algo_checked = !ctx->no_family;
			return 0;
		}
		tt_err("unknown algorithm \"%s\": not in net.ipv4.tcp_available_congestion_control",
		       name);
		tt_suggest_print(name, (const char *const *)names, n);
		if (!strcasecmp(name, "reno") || !strcasecmp(name, "newreno") ||
		    !strcasecmp(name, "bbr"))
			tt_note("with -a, tcptune's algorithms go by their whole names (tcptune_%s)",
				name);
		return TT_EXIT_INVALID;
	}
	if (!(all && ctx->no_family)) {
		r = tt_algos_load(ctx, &l);
		if (r)
			return r;
	}
	for (i = 0; i < l.n && n < 60; i++) {
		if (tt_algo_match(name, l.v[i].name)) {
			snprintf(f->kalgo, sizeof(f->kalgo), "%s", l.v[i].name);
			f->algo_checked = true;
			free(l.v);
			return 0;
		}
		names[n++] = l.v[i].name;
		names[n++] = tt_algo_short(l.v[i].name);
	}
	tt_err("unknown algorithm \"%s\"", name);
	tt_suggest_print(name, names, n);
	if (!all)
		tt_note("tcptune's algorithms: `tcptune algos`%s",
			" (with -a, any of net.ipv4.tcp_available_congestion_control)");
	free(l.v);
	return TT_EXIT_INVALID;
}

int cmd_algos(struct tt_ctx *ctx, int argc, char **argv)
{
	struct tt_algolist l;
	char dflt[64] = "";
	size_t i, j;
	int r;

	if (tt_getopt(ctx, tt_cmd_find("algos"), argc, argv, "", NULL) != -1)
		return TT_EXIT_USAGE;
	if (optind < argc && (strcmp(argv[optind], "show") && strcmp(argv[optind], "list"))) {
		tt_err("algos: unexpected argument \"%s\"", argv[optind]);
		return tt_cmd_usage(tt_cmd_find("algos"), stderr, TT_EXIT_USAGE);
	}
	r = tt_algos_load(ctx, &l);
	if (r)
		return r;
	tt_read_sysctl("/proc/sys/net/ipv4/tcp_congestion_control", dflt, sizeof(dflt));

	if (ctx->json) {
		json_object *arr = json_object_new_array();

		for (i = 0; i < l.n; i++) {
			json_object *o = json_object_new_object();

			json_object_object_add(o, "name", json_object_new_string(l.v[i].name));
			for (j = 0; j < NCOUNTERS; j++)
				if (l.v[i].have & (1ULL << counters[j].attr))
					json_object_object_add(o, counters[j].json,
							       json_object_new_uint64(l.v[i].v[counters[j].attr]));
			json_object_object_add(o, "default",
					       json_object_new_boolean(!strcmp(dflt, l.v[i].name)));
			json_object_array_add(arr, o);
		}
		tt_json_print(ctx, arr);
		json_object_put(arr);
	} else {
		bool any_default = false;

		printf("%-18s", "ALGO");
		for (j = 0; j < NCOUNTERS; j++)
			printf(" %11s", counters[j].head);
		putchar('\n');
		for (i = 0; i < l.n; i++) {
			bool d = !strcmp(dflt, l.v[i].name);

			any_default |= d;
			printf("%-16s%s", l.v[i].name, d ? " *" : "  ");
			for (j = 0; j < NCOUNTERS; j++) {
				if (l.v[i].have & (1ULL << counters[j].attr))
					printf(" %11llu", (unsigned long long)l.v[i].v[counters[j].attr]);
				else
					printf(" %11s", "-");
			}
			putchar('\n');
		}
		if (any_default)
			printf("* the default of this network namespace (net.ipv4.tcp_congestion_control)\n");
	}
	free(l.v);
	return 0;
}

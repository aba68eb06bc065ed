// SPDX-License-Identifier: GPL-2.0
/*
 * tcptune monitor [-c COUNT] [FILTER]: joins the "events" multicast group
 * of the family and prints every TCPTUNE_CMD_EVENT (recovery entered and
 * left, RTO, BBR state change) with a timestamp; with -j one JSON object
 * per line.  The kernel rate-limits events per namespace; the number it
 * dropped before an event comes with it (dropped:N).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/time.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "tcptune.h"

struct event {
	struct tt_sock s;	/* address, cookie, algo, ca_state, cwnd, ssthresh */
	int type;
	uint32_t dropped;
};

static const char *event_name(int t)
{
	switch (t) {
	case TCPTUNE_EVENT_RECOVERY_ENTER: return "recovery_enter";
	case TCPTUNE_EVENT_RECOVERY_EXIT: return "recovery_exit";
	case TCPTUNE_EVENT_RTO: return "rto";
	case TCPTUNE_EVENT_BBR_STATE: return "bbr_state";
	}
	return "unknown";
}

static const int event_policy[TCPTUNE_EVENT_A_MAX + 1] = {
	[TCPTUNE_EVENT_A_TYPE] = MNL_TYPE_U8,
	[TCPTUNE_EVENT_A_COOKIE] = TT_NLA_UINT,
	[TCPTUNE_EVENT_A_ALGO] = MNL_TYPE_NUL_STRING,
	[TCPTUNE_EVENT_A_CA_STATE] = MNL_TYPE_U8,
	[TCPTUNE_EVENT_A_CWND] = MNL_TYPE_U32,
	[TCPTUNE_EVENT_A_SSTHRESH] = MNL_TYPE_U32,
	[TCPTUNE_EVENT_A_BBR_STATE] = MNL_TYPE_U8,
	[TCPTUNE_EVENT_A_DROPPED] = MNL_TYPE_U32,
	[TCPTUNE_EVENT_A_FAMILY] = MNL_TYPE_U8,
	[TCPTUNE_EVENT_A_SADDR] = TT_NLA_ADDR,
	[TCPTUNE_EVENT_A_DADDR] = TT_NLA_ADDR,
	[TCPTUNE_EVENT_A_SPORT] = MNL_TYPE_U16,
	[TCPTUNE_EVENT_A_DPORT] = MNL_TYPE_U16,
};

/* The event attributes that are socket fields, and their field. */
static const int event_field[TCPTUNE_EVENT_A_MAX + 1] = {
	[TCPTUNE_EVENT_A_COOKIE] = TCPTUNE_SOCK_A_COOKIE,
	[TCPTUNE_EVENT_A_CA_STATE] = TCPTUNE_SOCK_A_CA_STATE,
	[TCPTUNE_EVENT_A_CWND] = TCPTUNE_SOCK_A_CWND,
	[TCPTUNE_EVENT_A_SSTHRESH] = TCPTUNE_SOCK_A_SSTHRESH,
	[TCPTUNE_EVENT_A_SPORT] = TCPTUNE_SOCK_A_SPORT,
	[TCPTUNE_EVENT_A_DPORT] = TCPTUNE_SOCK_A_DPORT,
};

static void event_parse(struct event *e, const struct nlattr *nest)
{
	const struct nlattr *tb[TCPTUNE_EVENT_A_MAX + 1], *a;
	struct tt_sock *s = &e->s;
	int t;

	e->type = -1;
	tt_attr_parse_nested(nest, event_policy, TCPTUNE_EVENT_A_MAX, tb);
	for (t = 1; t <= TCPTUNE_EVENT_A_MAX; t++) {
		a = tb[t];
		if (!a)
			continue;
		switch (t) {
		case TCPTUNE_EVENT_A_TYPE:
			e->type = mnl_attr_get_u8(a);
			break;
		case TCPTUNE_EVENT_A_BBR_STATE:
			/* the socket's bbr model, as the socket list shows it */
			s->has_bbr = true;
			s->bbr[TCPTUNE_BBR_A_STATE] = mnl_attr_get_u8(a);
			s->bbr_have |= 1ULL << TCPTUNE_BBR_A_STATE;
			break;
		case TCPTUNE_EVENT_A_DROPPED:
			e->dropped = mnl_attr_get_u32(a);
			break;
		case TCPTUNE_EVENT_A_ALGO:
			snprintf(s->algo, sizeof(s->algo), "%s", mnl_attr_get_str(a));
			break;
		case TCPTUNE_EVENT_A_FAMILY:
			s->family = mnl_attr_get_u8(a);
			break;
		case TCPTUNE_EVENT_A_SADDR:
		case TCPTUNE_EVENT_A_DADDR:
			memcpy(t == TCPTUNE_EVENT_A_SADDR ? s->saddr : s->daddr,
			       mnl_attr_get_payload(a), mnl_attr_get_payload_len(a));
			break;
		default:
			if (event_field[t]) {
				s->v[event_field[t]] = tt_attr_uint(a);
				s->have |= 1ULL << event_field[t];
			}
		}
	}
}

static void event_print(struct tt_ctx *ctx, const struct event *e, double now)
{
	const struct tt_sock *s = &e->s;
	char l[64], p[64];

	if (ctx->json) {
		json_object *o = json_object_new_object();
		char buf[64];

		json_object_object_add(o, "time", json_object_new_double(now));
		json_object_object_add(o, "event", json_object_new_string(event_name(e->type)));
		snprintf(buf, sizeof(buf), "%llx", (unsigned long long)s->v[TCPTUNE_SOCK_A_COOKIE]);
		json_object_object_add(o, "sk", json_object_new_string(buf));
		json_object_object_add(o, "cookie", json_object_new_uint64(s->v[TCPTUNE_SOCK_A_COOKIE]));
		json_object_object_add(o, "algo", json_object_new_string(s->algo));
		if (s->family) {
			json_object_object_add(o, "family",
					       json_object_new_string(s->family == AF_INET6 ? "inet6" : "inet"));
			tt_addr_str(s->family, s->saddr, buf, sizeof(buf));
			json_object_object_add(o, "saddr", json_object_new_string(buf));
			json_object_object_add(o, "sport", json_object_new_uint64(s->v[TCPTUNE_SOCK_A_SPORT]));
			tt_addr_str(s->family, s->daddr, buf, sizeof(buf));
			json_object_object_add(o, "daddr", json_object_new_string(buf));
			json_object_object_add(o, "dport", json_object_new_uint64(s->v[TCPTUNE_SOCK_A_DPORT]));
		}
		if (tt_has(s, TCPTUNE_SOCK_A_CA_STATE))
			json_object_object_add(o, "ca_state",
					       json_object_new_string(tt_ca_state_name((int)s->v[TCPTUNE_SOCK_A_CA_STATE])));
		if (tt_has(s, TCPTUNE_SOCK_A_CWND))
			json_object_object_add(o, "cwnd", json_object_new_uint64(s->v[TCPTUNE_SOCK_A_CWND]));
		if (tt_has(s, TCPTUNE_SOCK_A_SSTHRESH))
			json_object_object_add(o, "ssthresh", s->v[TCPTUNE_SOCK_A_SSTHRESH] >= 0x7fffffff ?
					       NULL : json_object_new_uint64(s->v[TCPTUNE_SOCK_A_SSTHRESH]));
		tt_model_json(s, o);
		json_object_object_add(o, "dropped", json_object_new_uint64(e->dropped));
		tt_json_print(ctx, o);
		json_object_put(o);
	} else {
		time_t sec = (time_t)now;
		struct tm tm;
		char ts[32];

		localtime_r(&sec, &tm);
		strftime(ts, sizeof(ts), "%H:%M:%S", &tm);
		printf("%s.%06ld %-14s sk:%llx %s", ts, (long)((now - (double)sec) * 1e6),
		       event_name(e->type), (unsigned long long)s->v[TCPTUNE_SOCK_A_COOKIE],
		       s->algo[0] ? s->algo : "-");
		if (s->family) {
			tt_sock_addr(s, true, l, sizeof(l));
			tt_sock_addr(s, false, p, sizeof(p));
			printf(" %s %s", l, p);
		}
		if (tt_has(s, TCPTUNE_SOCK_A_CA_STATE))
			printf(" ca_state:%s", tt_ca_state_name((int)s->v[TCPTUNE_SOCK_A_CA_STATE]));
		if (tt_has(s, TCPTUNE_SOCK_A_CWND))
			printf(" cwnd:%llu", (unsigned long long)s->v[TCPTUNE_SOCK_A_CWND]);
		if (tt_has(s, TCPTUNE_SOCK_A_SSTHRESH) && s->v[TCPTUNE_SOCK_A_SSTHRESH] < 0x7fffffff)
			printf(" ssthresh:%llu", (unsigned long long)s->v[TCPTUNE_SOCK_A_SSTHRESH]);
		tt_model_print(s, stdout);
		if (e->dropped)
			printf(" dropped:%u", e->dropped);
		putchar('\n');
	}
	fflush(stdout);
}

int tt_monitor_cb(const struct nlmsghdr *nlh, void *data)
{
	struct tt_monitor *m = data;
	const struct genlmsghdr *g = tt_genl_hdr(nlh);
	const struct nlattr *a;

	if (nlh->nlmsg_type != m->ctx->family_id || !g || g->cmd != TCPTUNE_CMD_EVENT)
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		struct event e;

		if (tt_attr_check(a, tt_top_policy, TCPTUNE_A_MAX) != TCPTUNE_A_EVENT)
			continue;
		memset(&e, 0, sizeof(e));
		event_parse(&e, a);
		if (!tt_filter_match(m->f, &e.s))
			continue;
		event_print(m->ctx, &e, tt_now());
		if (m->count > 0 && ++m->seen >= m->count)
			return MNL_CB_STOP;
	}
	return MNL_CB_OK;
}

int cmd_monitor(struct tt_ctx *ctx, int argc, char **argv)
{
	char *buf;
	struct tt_filter f;
	struct tt_monitor m = { .ctx = ctx, .f = &f, .count = -1 };
	struct tt_nlerr err = { 0 };
	int r, grp;

	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'c' },
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	uint32_t c;
	int o;

	tt_filter_init(&f);
	while ((o = tt_getopt(ctx, tt_cmd_find("monitor"), argc, argv, "c:a", opts)) != -1) {
		switch (o) {
		case 'c':
			if (tt_parse_u32(optarg, &c) || !c) {
				tt_err("monitor: -c: \"%s\" is not a positive number", optarg);
				return TT_EXIT_INVALID;
			}
			m.count = c;
			break;
		case 'a':
			tt_err("monitor: -a does not apply: events come from tcptune sockets only");
			return TT_EXIT_USAGE;
		default:
			return TT_EXIT_USAGE;
		}
	}
	r = tt_filter_parse_args(&f, "monitor", argc - optind, argv + optind);
	if (!r && f.states_set) {
		tt_err("monitor: events carry no TCP state: state and exclude do not apply");
		r = TT_EXIT_USAGE;
	}
	if (r) {
		tt_filter_free(&f);
		return r;
	}
	r = tt_genl_open(ctx);
	if (r)
		return r;
	if (f.algo) {
		r = tt_algo_check(ctx, &f, false);
		if (r)
			return r;
	}
	if (!ctx->mcgrp_events) {
		tt_err("the loaded tcptune module offers no \"%s\" multicast group",
		       TCPTUNE_MCGRP_EVENTS);
		return TT_EXIT_KERNEL;
	}
	grp = (int)ctx->mcgrp_events;
	if (mnl_socket_setsockopt(ctx->nl, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)) < 0) {
		tt_err("joining the events group: %s", strerror(errno));
		return errno == EPERM ? TT_EXIT_PERM : TT_EXIT_KERNEL;
	}
	if (!ctx->json && isatty(STDOUT_FILENO))
		fprintf(stderr, "tcptune: waiting for events (Ctrl-C to stop)\n");
	buf = malloc(MNL_SOCKET_BUFFER_SIZE * 4);
	if (!buf)
		return TT_EXIT_KERNEL;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(ctx->nl, buf, MNL_SOCKET_BUFFER_SIZE * 4);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				tt_err("events lost: the socket buffer overflowed");
				continue;
			}
			tt_err("receiving events: %s", strerror(errno));
			free(buf);
			return TT_EXIT_KERNEL;
		}
		if (ctx->debug) {
			fprintf(stderr, "--- received %zd bytes\n", n);
			mnl_nlmsg_fprintf(stderr, buf, (size_t)n, sizeof(struct genlmsghdr));
		}
		/* events: sequence number and port id 0 */
		r = tt_nl_replies(buf, (size_t)n, 0, 0, GENL_HDRLEN, tt_monitor_cb, &m, &err);
		if (r > 0)
			break;
		if (r < 0) {
			tt_err("reading events: %s", strerror(err.error));
			free(buf);
			return TT_EXIT_KERNEL;
		}
	}
	free(buf);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * tcptune monitor [-c COUNT] [-t | -ts] [type TYPE[,TYPE...]] [FILTER]:
 * joins the "events" multicast group of the family and prints every
 * TCPTUNE_CMD_EVENT (recovery entered and left, RTO, BBR state change) of
 * the chosen types with its time - the kernel's TIMESTAMP of the event
 * when it sends one, else when it was received - as ip monitor does (-t:
 * a "Timestamp:" line before it, -ts: a [date] prefix); with -j one JSON
 * object per line.  The kernel rate-limits events per namespace; the
 * number it dropped before an event comes with it (dropped:N).
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
	bool has_ts;
	uint64_t ts_ns;		/* TCPTUNE_EVENT_A_TIMESTAMP: CLOCK_REALTIME ns */
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

/* The names `type` takes: each event type, and groups of them. */
static const struct {
	const char *name;
	uint32_t mask;
} type_names[] = {
	{ "recovery_enter", 1u << TCPTUNE_EVENT_RECOVERY_ENTER },
	{ "recovery_exit", 1u << TCPTUNE_EVENT_RECOVERY_EXIT },
	{ "rto", 1u << TCPTUNE_EVENT_RTO },
	{ "bbr_state", 1u << TCPTUNE_EVENT_BBR_STATE },
	{ "recovery", 1u << TCPTUNE_EVENT_RECOVERY_ENTER | 1u << TCPTUNE_EVENT_RECOVERY_EXIT },
	{ "loss", 1u << TCPTUNE_EVENT_RTO },	/* an RTO is the entry into Loss */
	{ "all", ~0u },
};
#define NTYPE_NAMES (sizeof(type_names) / sizeof(type_names[0]))

int tt_monitor_types(const char *list, uint32_t *mask)
{
	const char *p = list;

	for (;;) {
		size_t len = strcspn(p, ","), i;
		char word[32];

		if (!len || len >= sizeof(word)) {
			tt_err("monitor: type: \"%s\" is not a list of event types", list);
			tt_note("TYPE := recovery_enter | recovery_exit | rto | bbr_state | recovery | loss | all");
			return TT_EXIT_USAGE;
		}
		memcpy(word, p, len);
		word[len] = '\0';
		for (i = 0; i < len; i++)	/* recovery-enter as well */
			if (word[i] == '-')
				word[i] = '_';
		for (i = 0; i < NTYPE_NAMES; i++)
			if (!strcasecmp(word, type_names[i].name))
				break;
		if (i == NTYPE_NAMES) {
			const char *names[NTYPE_NAMES];

			for (i = 0; i < NTYPE_NAMES; i++)
				names[i] = type_names[i].name;
			tt_err("monitor: unknown event type \"%s\"", word);
			tt_suggest_print(word, names, NTYPE_NAMES);
			tt_note("TYPE := recovery_enter | recovery_exit | rto | bbr_state | recovery | loss | all");
			return TT_EXIT_USAGE;
		}
		*mask |= type_names[i].mask;
		p += len;
		if (!*p)
			return 0;
		p++;
	}
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
	[TCPTUNE_EVENT_A_TIMESTAMP] = MNL_TYPE_U64,
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
		case TCPTUNE_EVENT_A_TIMESTAMP:
			e->has_ts = true;
			e->ts_ns = mnl_attr_get_u64(a);
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

/*
 * The event's time as ip monitor prints it (iproute2's print_timestamp:
 * local time, microseconds): -t "Timestamp: Sat Dec  5 01:02:03 2026
 * 123456 usec" on a line of its own, -ts "[2026-12-05T01:02:03.123456] ";
 * by default "01:02:03.123456 ".
 */
static void print_time(int mode, time_t sec, long usec)
{
	struct tm tm;
	char ts[64];

	if (!localtime_r(&sec, &tm))
		memset(&tm, 0, sizeof(tm));
	switch (mode) {
	case TT_TS_LONG:
		/* asctime()'s layout, without its newline */
		strftime(ts, sizeof(ts), "%a %b %e %H:%M:%S %Y", &tm);
		printf("Timestamp: %s %ld usec\n", ts, usec);
		break;
	case TT_TS_SHORT:
		strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
		printf("[%s.%06ld] ", ts, usec);
		break;
	default:
		strftime(ts, sizeof(ts), "%H:%M:%S", &tm);
		printf("%s.%06ld ", ts, usec);
	}
}

/* now: when the event was received, for an event without a TIMESTAMP. */
static void event_print(struct tt_ctx *ctx, const struct event *e, double now, int tsmode)
{
	const struct tt_sock *s = &e->s;
	char l[64], p[64];
	time_t sec;
	long usec;

	if (e->has_ts) {
		sec = (time_t)(e->ts_ns / 1000000000ULL);
		usec = (long)(e->ts_ns % 1000000000ULL / 1000);
	} else {
		sec = (time_t)now;
		usec = (long)((now - (double)sec) * 1e6);
	}
	if (ctx->json) {
		json_object *o = json_object_new_object();
		char buf[64];

		/* seconds since the epoch, to the microsecond, as printed (not
		 * %.17g's binary tail: .1119881 for .111988) */
		snprintf(buf, sizeof(buf), "%lld.%06ld", (long long)sec, usec);
		json_object_object_add(o, "time",
				       json_object_new_double_s((double)sec + usec / 1e6, buf));
		if (e->has_ts)
			json_object_object_add(o, "timestamp_ns", json_object_new_uint64(e->ts_ns));
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
		print_time(tsmode, sec, usec);
		printf("%-14s sk:%llx %s", event_name(e->type),
		       (unsigned long long)s->v[TCPTUNE_SOCK_A_COOKIE], s->algo[0] ? s->algo : "-");
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
		if (m->types && (e.type < 0 || e.type > 31 || !(m->types & (1u << e.type))))
			continue;
		if (!tt_filter_match(m->f, &e.s))
			continue;
		event_print(m->ctx, &e, tt_now(), m->tstamp);
		if (m->count > 0 && ++m->seen >= m->count)
			return MNL_CB_STOP;
	}
	return MNL_CB_OK;
}

enum { OPT_TSHORT = 256 };

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
		{ "timestamp", no_argument, NULL, 't' },
		{ "tshort", no_argument, NULL, OPT_TSHORT },
		{ NULL, 0, NULL, 0 },
	};
	uint32_t c;
	int o, k, nrest;
	char **rest;

	/* ip's spellings: -ts, -tshort and -timestamp are one option each */
	for (k = 1; k < argc && strcmp(argv[k], "--"); k++) {
		if (!strcmp(argv[k], "-ts") || !strcmp(argv[k], "-tshort"))
			argv[k] = "--tshort";
		else if (!strcmp(argv[k], "-timestamp"))
			argv[k] = "--timestamp";
	}
	tt_filter_init(&f);
	while ((o = tt_getopt(ctx, tt_cmd_find("monitor"), argc, argv, "c:at", opts)) != -1) {
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
		case 't':
			m.tstamp = TT_TS_LONG;
			break;
		case OPT_TSHORT:
			m.tstamp = TT_TS_SHORT;
			break;
		default:
			return TT_EXIT_USAGE;
		}
	}
	/* `type LIST` (any number of them, anywhere), the filter the rest */
	rest = calloc((size_t)(argc - optind) + 1, sizeof(*rest));
	if (!rest)
		return TT_EXIT_KERNEL;
	for (k = optind, nrest = 0; k < argc; k++) {
		if (strcmp(argv[k], "type")) {
			rest[nrest++] = argv[k];
			continue;
		}
		if (k + 1 >= argc) {
			tt_err("monitor: type needs a value (TYPE[,TYPE...])");
			free(rest);
			return TT_EXIT_USAGE;
		}
		r = tt_monitor_types(argv[++k], &m.types);
		if (r) {
			free(rest);
			return r;
		}
	}
	r = tt_filter_parse_args(&f, "monitor", nrest, rest);
	free(rest);
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

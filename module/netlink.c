// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "tcptune": algorithms, knobs, per-socket state
 * and events.  The protocol is documented in include/uapi/linux/tcptune.h
 * and include/uapi/linux/tcptune.yaml.
 *
 * Every command acts on the caller's network namespace.  Reads are open to
 * every user, as ss(8) is; KNOB_SET needs CAP_NET_ADMIN over the
 * namespace's user namespace (GENL_UNS_ADMIN_PERM).  All operations have
 * strict policies (resv_start_op): an attribute a command does not take is
 * an error, not ignored.
 */
#include <linux/cgroup.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/tcp.h>

#include "tcptune_net.h"

/* Privileged multicast groups (genl_bind): 6.7+, and stable 6.1.y such as Debian's. */
#ifndef GENL_MCAST_CAP_NET_ADMIN
#error "tcptune needs GENL_MCAST_CAP_NET_ADMIN: a kernel with privileged genetlink groups"
#endif

static struct genl_family tcptune_family;

/* Longest strings we accept: algorithm names are TCP_CA_NAME_MAX - 1. */
#define TCPTUNE_NAME_LEN	(TCP_CA_NAME_MAX - 1)
#define TCPTUNE_KNOB_NAME_LEN	63
/* Most knobs one KNOB_SET may carry. */
#define TCPTUNE_SET_MAX		64

static const struct nla_policy tcptune_knob_policy[TCPTUNE_KNOB_A_MAX + 1] = {
	[TCPTUNE_KNOB_A_ALGO]	= { .type = NLA_NUL_STRING, .len = TCPTUNE_NAME_LEN },
	[TCPTUNE_KNOB_A_NAME]	= { .type = NLA_NUL_STRING, .len = TCPTUNE_KNOB_NAME_LEN },
	[TCPTUNE_KNOB_A_VALUE]	= { .type = NLA_U32 },
	[TCPTUNE_KNOB_A_RANGE_MIN] = { .type = NLA_REJECT },
	[TCPTUNE_KNOB_A_RANGE_MAX] = { .type = NLA_REJECT },
	[TCPTUNE_KNOB_A_DEFAULT] = { .type = NLA_REJECT },
	[TCPTUNE_KNOB_A_UNIT]	= { .type = NLA_REJECT },
	[TCPTUNE_KNOB_A_DOC]	= { .type = NLA_REJECT },
	[TCPTUNE_KNOB_A_WHEN]	= { .type = NLA_REJECT },
};

static const struct nla_policy tcptune_knob_get_policy[TCPTUNE_A_FILTER_ALGO + 1] = {
	[TCPTUNE_A_ALGO]	= { .type = NLA_REJECT },
	[TCPTUNE_A_KNOB]	= NLA_POLICY_NESTED(tcptune_knob_policy),
	[TCPTUNE_A_SOCK]	= { .type = NLA_REJECT },
	[TCPTUNE_A_EVENT]	= { .type = NLA_REJECT },
	[TCPTUNE_A_FILTER_ALGO]	= { .type = NLA_NUL_STRING, .len = TCPTUNE_NAME_LEN },
};

static const struct nla_policy tcptune_knob_set_policy[TCPTUNE_A_KNOB + 1] = {
	[TCPTUNE_A_ALGO]	= { .type = NLA_REJECT },
	[TCPTUNE_A_KNOB]	= NLA_POLICY_NESTED(tcptune_knob_policy),
};

static const struct nla_policy tcptune_sock_get_policy[TCPTUNE_A_FILTER_BC + 1] = {
	[TCPTUNE_A_ALGO]	= { .type = NLA_REJECT },
	[TCPTUNE_A_KNOB]	= { .type = NLA_REJECT },
	[TCPTUNE_A_SOCK]	= { .type = NLA_REJECT },
	[TCPTUNE_A_EVENT]	= { .type = NLA_REJECT },
	[TCPTUNE_A_FILTER_ALGO]	= { .type = NLA_NUL_STRING, .len = TCPTUNE_NAME_LEN },
	[TCPTUNE_A_FILTER_BC]	= { .type = NLA_BINARY, .len = TCPTUNE_FILTER_BC_MAX },
};

/* ---- algorithms -------------------------------------------------------- */

/*
 * Does a filter name one of our algorithms?  Both the knob-set name
 * ("reno") and the congestion-control name ("tcptune_reno") match.
 */
static bool tcptune_algo_matches(const char *filter, unsigned int algo)
{
	const char *name = tcptune_algo_name[algo];

	return !strcmp(filter, name) ||
	       (!strncmp(filter, "tcptune_", 8) && !strcmp(filter + 8, name));
}

static int tcptune_algo_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct tcptune_net *tn = tcptune_net(sock_net(skb->sk));
	unsigned long *pos = (unsigned long *)cb->ctx;

	for (; *pos < tcptune_nr_algos; (*pos)++) {
		const struct tcptune_algo_info *ai = tcptune_algos[*pos];
		atomic64_t *cnt = tn->counters[ai->algo];
		struct nlattr *nest;
		void *hdr;
		u32 nsocks;

		nsocks = tcptune_nsocks(tn, ai->algo);
		if ((int)nsocks < 0)	/* a release seen before its init */
			nsocks = 0;

		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				  &tcptune_family, NLM_F_MULTI, TCPTUNE_CMD_ALGO_GET);
		if (!hdr)
			break;
		nest = nla_nest_start(skb, TCPTUNE_A_ALGO);
		if (!nest ||
		    nla_put_string(skb, TCPTUNE_ALGO_A_NAME, ai->ops->name) ||
		    nla_put_u32(skb, TCPTUNE_ALGO_A_SOCKETS, nsocks) ||
		    nla_put_u64_64bit(skb, TCPTUNE_ALGO_A_RECOVERIES,
				      atomic64_read(&cnt[TCPTUNE_CNT_RECOVERIES]),
				      TCPTUNE_ALGO_A_PAD) ||
		    nla_put_u64_64bit(skb, TCPTUNE_ALGO_A_RTOS,
				      atomic64_read(&cnt[TCPTUNE_CNT_RTOS]),
				      TCPTUNE_ALGO_A_PAD) ||
		    nla_put_u64_64bit(skb, TCPTUNE_ALGO_A_UNDOS,
				      atomic64_read(&cnt[TCPTUNE_CNT_UNDOS]),
				      TCPTUNE_ALGO_A_PAD) ||
		    nla_put_u64_64bit(skb, TCPTUNE_ALGO_A_PROBE_RTTS,
				      atomic64_read(&cnt[TCPTUNE_CNT_PROBE_RTTS]),
				      TCPTUNE_ALGO_A_PAD)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		nla_nest_end(skb, nest);
		genlmsg_end(skb, hdr);
	}
	return skb->len;
}

/* ---- knobs ------------------------------------------------------------- */

static int tcptune_put_knob(struct sk_buff *skb, const struct tcptune_net *tn,
			    unsigned int id)
{
	const struct tcptune_knob_desc *d = &tcptune_knob_desc[id];
	struct nlattr *nest = nla_nest_start(skb, TCPTUNE_A_KNOB);

	if (!nest ||
	    nla_put_string(skb, TCPTUNE_KNOB_A_ALGO, tcptune_algo_name[d->algo]) ||
	    nla_put_string(skb, TCPTUNE_KNOB_A_NAME, d->name) ||
	    nla_put_u32(skb, TCPTUNE_KNOB_A_VALUE, tcptune_knob(&tn->knobs, id)) ||
	    nla_put_u32(skb, TCPTUNE_KNOB_A_RANGE_MIN, d->min) ||
	    nla_put_u32(skb, TCPTUNE_KNOB_A_RANGE_MAX, d->max) ||
	    nla_put_u32(skb, TCPTUNE_KNOB_A_DEFAULT, d->def) ||
	    nla_put_string(skb, TCPTUNE_KNOB_A_UNIT, d->unit) ||
	    nla_put_string(skb, TCPTUNE_KNOB_A_DOC, d->doc) ||
	    nla_put_u8(skb, TCPTUNE_KNOB_A_WHEN, d->when))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * Parse one TCPTUNE_A_KNOB nest naming a knob; returns its id or a negative
 * error with the extack pointing at the attribute at fault.
 */
static int tcptune_parse_knob(const struct nlattr *nest, struct nlattr **tb,
			      struct netlink_ext_ack *extack)
{
	int err, id;

	err = nla_parse_nested(tb, TCPTUNE_KNOB_A_MAX, nest, tcptune_knob_policy, extack);
	if (err)
		return err;
	if (!tb[TCPTUNE_KNOB_A_ALGO]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "knob needs an algorithm (TCPTUNE_KNOB_A_ALGO)");
		return -EINVAL;
	}
	if (!tb[TCPTUNE_KNOB_A_NAME]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "knob needs a name (TCPTUNE_KNOB_A_NAME)");
		return -EINVAL;
	}
	id = tcptune_knob_find(nla_data(tb[TCPTUNE_KNOB_A_ALGO]),
			       nla_data(tb[TCPTUNE_KNOB_A_NAME]));
	if (id < 0)
		NL_SET_ERR_MSG_ATTR(extack, tb[TCPTUNE_KNOB_A_NAME], "unknown knob");
	return id;
}

static int tcptune_knob_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tcptune_net *tn = tcptune_net(genl_info_net(info));
	struct nlattr *tb[TCPTUNE_KNOB_A_MAX + 1];
	struct sk_buff *msg;
	void *hdr;
	int id;

	if (GENL_REQ_ATTR_CHECK(info, TCPTUNE_A_KNOB))
		return -EINVAL;
	id = tcptune_parse_knob(info->attrs[TCPTUNE_A_KNOB], tb, info->extack);
	if (id < 0)
		return id;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &tcptune_family, 0, TCPTUNE_CMD_KNOB_GET);
	if (!hdr || tcptune_put_knob(msg, tn, id)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* The algorithm a dump's TCPTUNE_A_FILTER_ALGO names, -1 for none, or error. */
static int tcptune_dump_filter(struct netlink_callback *cb)
{
	const struct nlattr *filter = tcptune_dump_attrs(cb)[TCPTUNE_A_FILTER_ALGO];
	unsigned int a;

	if (!filter)
		return -1;
	for (a = 0; a < tcptune_nr_algos; a++)
		if (tcptune_algo_matches(nla_data(filter), a))
			return a;
	NL_SET_ERR_MSG_ATTR(cb->extack, filter, "unknown algorithm");
	return -ENOENT;
}

static int tcptune_knob_get_start(struct netlink_callback *cb)
{
	int algo = tcptune_dump_filter(cb);

	return algo < -1 ? algo : 0;
}

static int tcptune_knob_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct tcptune_net *tn = tcptune_net(sock_net(skb->sk));
	const struct nlattr *filter = tcptune_dump_attrs(cb)[TCPTUNE_A_FILTER_ALGO];
	unsigned long *pos = (unsigned long *)cb->ctx;

	for (; *pos < TCPTUNE_NR_KNOBS; (*pos)++) {
		void *hdr;

		if (filter && !tcptune_algo_matches(nla_data(filter),
						    tcptune_knob_desc[*pos].algo))
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				  &tcptune_family, NLM_F_MULTI, TCPTUNE_CMD_KNOB_GET);
		if (!hdr)
			break;
		if (tcptune_put_knob(skb, tn, *pos)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	return skb->len;
}

/* All or nothing: every entry is checked before any value changes. */
static int tcptune_knob_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tcptune_net *tn = tcptune_net(genl_info_net(info));
	struct nlattr *tb[TCPTUNE_KNOB_A_MAX + 1];
	u32 vals[TCPTUNE_SET_MAX];
	int ids[TCPTUNE_SET_MAX];
	const struct nlattr *a;
	int n = 0, i, rem, id;

	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		const struct tcptune_knob_desc *d;

		if (nla_type(a) != TCPTUNE_A_KNOB)
			continue;
		if (n == TCPTUNE_SET_MAX) {
			NL_SET_ERR_MSG_ATTR(info->extack, a, "too many knobs in one request");
			return -E2BIG;
		}
		id = tcptune_parse_knob(a, tb, info->extack);
		if (id < 0)
			return id;
		if (!tb[TCPTUNE_KNOB_A_VALUE]) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "knob needs a value (TCPTUNE_KNOB_A_VALUE)");
			return -EINVAL;
		}
		d = &tcptune_knob_desc[id];
		vals[n] = nla_get_u32(tb[TCPTUNE_KNOB_A_VALUE]);
		if (vals[n] < d->min || vals[n] > d->max) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[TCPTUNE_KNOB_A_VALUE],
					    "value out of the knob's range");
			return -EINVAL;
		}
		for (i = 0; i < n; i++)
			if (ids[i] == id) {
				NL_SET_ERR_MSG_ATTR(info->extack, a, "knob given twice");
				return -EINVAL;
			}
		ids[n++] = id;
	}
	if (!n) {
		NL_SET_ERR_MSG(info->extack, "no knob to set (TCPTUNE_A_KNOB)");
		return -EINVAL;
	}

	mutex_lock(&tcptune_knob_mutex);
	for (i = 0; i < n; i++)
		WRITE_ONCE(tn->knobs.val[ids[i]], vals[i]);
	tcptune_knobs_written();
	mutex_unlock(&tcptune_knob_mutex);
	return 0;
}

/* ---- sockets ----------------------------------------------------------- */

/*
 * A socket dump walks the TCP established hash of the caller's namespace
 * (shared with other namespaces unless it has its own), one bucket at a
 * time, under that bucket's lock, as inet_diag_dump_icsk() does.  Of one
 * bucket it takes references on at most TCPTUNE_DUMP_BATCH of our
 * sockets, the ones with the smallest cookies above the last one sent,
 * drops the lock, fills them (each locked once), and drops the
 * references.  Nothing is held between two calls of dumpit: the cursor
 * (bucket, last cookie) is all that is kept.
 */
#define TCPTUNE_DUMP_BATCH	16

struct tcptune_sock_dump {
	u64 cookie;		/* last cookie sent from this bucket; 0: none */
	u32 bucket;		/* next bucket of the established hash */
	s32 algo;		/* filter: enum tcptune_algo, or -1 */
};

static int tcptune_sock_get_start(struct netlink_callback *cb)
{
	struct tcptune_sock_dump *d = (struct tcptune_sock_dump *)cb->ctx;
	const struct nlattr *bc = tcptune_dump_attrs(cb)[TCPTUNE_A_FILTER_BC];
	int algo = tcptune_dump_filter(cb);

	BUILD_BUG_ON(sizeof(*d) > sizeof(cb->ctx));
	if (algo < -1)
		return algo;
	/* the request (and so bc) lives as long as the dump */
	if (bc) {
		int err = tcptune_bc_audit(bc, netlink_net_capable(cb->skb, CAP_NET_ADMIN),
					   cb->extack);

		if (err)
			return err;
	}
	d->cookie = 0;
	d->bucket = 0;
	d->algo = algo;
	return 0;
}

static u64 tcptune_sk_cookie(struct sock *sk)
{
	u32 c[2];

	sock_diag_save_cookie(sk, c);
	return (u64)c[1] << 32 | c[0];
}

/* Attribute ids of a connection's 4-tuple in a socket or an event nest. */
struct tcptune_tuple_attrs {
	int family, saddr, daddr, sport, dport;
};

static const struct tcptune_tuple_attrs tcptune_sock_tuple = {
	TCPTUNE_SOCK_A_FAMILY, TCPTUNE_SOCK_A_SADDR, TCPTUNE_SOCK_A_DADDR,
	TCPTUNE_SOCK_A_SPORT, TCPTUNE_SOCK_A_DPORT,
};

static const struct tcptune_tuple_attrs tcptune_event_tuple = {
	TCPTUNE_EVENT_A_FAMILY, TCPTUNE_EVENT_A_SADDR, TCPTUNE_EVENT_A_DADDR,
	TCPTUNE_EVENT_A_SPORT, TCPTUNE_EVENT_A_DPORT,
};

static int tcptune_put_tuple(struct sk_buff *skb, const struct sock *sk,
			     const struct tcptune_tuple_attrs *at)
{
	const struct inet_sock *inet = inet_sk(sk);

	if (nla_put_u8(skb, at->family, sk->sk_family) ||
	    nla_put_u16(skb, at->sport, ntohs(inet->inet_sport)) ||
	    nla_put_u16(skb, at->dport, ntohs(inet->inet_dport)))
		return -EMSGSIZE;
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6)
		return nla_put_in6_addr(skb, at->saddr, &sk->sk_v6_rcv_saddr) ?:
		       nla_put_in6_addr(skb, at->daddr, &sk->sk_v6_daddr);
#endif
	return nla_put_in_addr(skb, at->saddr, inet->inet_saddr) ?:
	       nla_put_in_addr(skb, at->daddr, inet->inet_daddr);
}

static u64 tcptune_delivery_rate(const struct tcp_sock *tp)
{
	u32 delivered = READ_ONCE(tp->rate_delivered);
	u32 interval = READ_ONCE(tp->rate_interval_us);

	if (!delivered || !interval)
		return 0;
	return div_u64((u64)delivered * tp->mss_cache * USEC_PER_SEC, interval);
}

/*
 * What ss -tie shows of a socket besides (tcp_info, inet_diag_msg), read
 * as tcp_get_info() and tcp_diag_get_info() read it, under the caller's
 * socket lock: queues and unsent bytes are differences of sequence
 * numbers, never the numbers; the uid is mapped into the user namespace
 * of the dump's reader, as inet_diag maps idiag_uid.
 */
static int tcptune_put_ss_fields(struct sk_buff *skb, struct sock *sk,
				 const struct sock *reader)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	u64 chrono[3], busy = 0, cgid = 0;
	u32 rq, wq;
	u8 opts = 0;
	int i;

	/* time in each chrono state, the current one up to now (jiffies) */
	for (i = 0; i < ARRAY_SIZE(chrono); i++) {
		chrono[i] = tp->chrono_stat[i];
		if (tp->chrono_type == i + TCP_CHRONO_BUSY)
			chrono[i] += tcp_jiffies32 - tp->chrono_start;
		chrono[i] *= USEC_PER_SEC / HZ;
		busy += chrono[i];
	}
	if (inet_sk_state_load(sk) == TCP_LISTEN) {
		rq = READ_ONCE(sk->sk_ack_backlog);
		wq = READ_ONCE(sk->sk_max_ack_backlog);
	} else {
		rq = max_t(int, READ_ONCE(tp->rcv_nxt) - READ_ONCE(tp->copied_seq), 0);
		wq = READ_ONCE(tp->write_seq) - tp->snd_una;
	}
	if (tp->rx_opt.tstamp_ok)
		opts |= TCPI_OPT_TIMESTAMPS;
	if (tcp_is_sack(tp))
		opts |= TCPI_OPT_SACK;
	if (tp->rx_opt.wscale_ok)
		opts |= TCPI_OPT_WSCALE;
	if (tcptune_ecn_on(tp))
		opts |= TCPI_OPT_ECN;
	if (tp->ecn_flags & TCP_ECN_SEEN)
		opts |= TCPI_OPT_ECN_SEEN;
	if (tp->syn_data_acked)
		opts |= TCPI_OPT_SYN_DATA;
#ifdef CONFIG_SOCK_CGROUP_DATA
	cgid = cgroup_id(sock_cgroup_ptr(&sk->sk_cgrp_data));
#endif
	if (nla_put_u32(skb, TCPTUNE_SOCK_A_RECV_Q, rq) ||
	    nla_put_u32(skb, TCPTUNE_SOCK_A_SEND_Q, wq) ||
	    nla_put_u64_64bit(skb, TCPTUNE_SOCK_A_BYTES_SENT, tp->bytes_sent,
			      TCPTUNE_SOCK_A_PAD) ||
	    nla_put_u64_64bit(skb, TCPTUNE_SOCK_A_BYTES_RETRANS, tp->bytes_retrans,
			      TCPTUNE_SOCK_A_PAD) ||
	    nla_put_u64_64bit(skb, TCPTUNE_SOCK_A_BUSY, busy, TCPTUNE_SOCK_A_PAD) ||
	    nla_put_u64_64bit(skb, TCPTUNE_SOCK_A_RWND_LIMITED,
			      chrono[TCP_CHRONO_RWND_LIMITED - TCP_CHRONO_BUSY],
			      TCPTUNE_SOCK_A_PAD) ||
	    nla_put_u64_64bit(skb, TCPTUNE_SOCK_A_SNDBUF_LIMITED,
			      chrono[TCP_CHRONO_SNDBUF_LIMITED - TCP_CHRONO_BUSY],
			      TCPTUNE_SOCK_A_PAD) ||
	    nla_put_u32(skb, TCPTUNE_SOCK_A_NOTSENT,
			max_t(int, 0, READ_ONCE(tp->write_seq) - tp->snd_nxt)) ||
	    nla_put_u32(skb, TCPTUNE_SOCK_A_SND_WND, tp->snd_wnd) ||
	    nla_put_u8(skb, TCPTUNE_SOCK_A_OPTIONS, opts) ||
	    nla_put_u8(skb, TCPTUNE_SOCK_A_SND_WSCALE,
		       tp->rx_opt.wscale_ok ? tp->rx_opt.snd_wscale : 0) ||
	    nla_put_u8(skb, TCPTUNE_SOCK_A_RCV_WSCALE,
		       tp->rx_opt.wscale_ok ? tp->rx_opt.rcv_wscale : 0) ||
	    nla_put_u64_64bit(skb, TCPTUNE_SOCK_A_INODE, sock_i_ino(sk),
			      TCPTUNE_SOCK_A_PAD) ||
	    nla_put_u32(skb, TCPTUNE_SOCK_A_UID,
			from_kuid_munged(sk_user_ns(reader), tcptune_sk_uid(sk))) ||
	    nla_put_u64_64bit(skb, TCPTUNE_SOCK_A_CGROUP_ID, cgid, TCPTUNE_SOCK_A_PAD))
		return -EMSGSIZE;
	return 0;
}

/*
 * One socket as one message; 0 also when the socket is no longer ours.
 * The socket is locked once, and every field read under that lock (the
 * tcp_info figures are read here as tcp_get_info() reads them: calling
 * it would lock the socket a second time).
 */
static int tcptune_fill_sock(struct sk_buff *skb, struct netlink_callback *cb,
			     struct sock *sk, u64 cookie)
{
	const struct inet_connection_sock *icsk = inet_csk(sk);
	const struct tcp_sock *tp = tcp_sk(sk);
	const struct tcptune_algo_info *ai;
	unsigned long pacing;
	struct nlattr *nest;
	int err = -EMSGSIZE;
	void *hdr;
	bool slow;

	slow = lock_sock_fast(sk);
	ai = tcptune_algo_info_of(sk);
	if (!ai) {
		unlock_sock_fast(sk, slow);
		return 0;
	}
	pacing = READ_ONCE(sk->sk_pacing_rate);
	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &tcptune_family, NLM_F_MULTI, TCPTUNE_CMD_SOCK_GET);
	if (!hdr)
		goto out;
	nest = nla_nest_start(skb, TCPTUNE_A_SOCK);
	if (!nest || tcptune_put_tuple(skb, sk, &tcptune_sock_tuple) ||
	    nla_put_u64_64bit(skb, TCPTUNE_SOCK_A_COOKIE, cookie, TCPTUNE_SOCK_A_PAD) ||
	    nla_put_string(skb, TCPTUNE_SOCK_A_ALGO, ai->ops->name) ||
	    nla_put_u8(skb, TCPTUNE_SOCK_A_STATE, inet_sk_state_load(sk)) ||
	    nla_put_u8(skb, TCPTUNE_SOCK_A_CA_STATE, icsk->icsk_ca_state) ||
	    nla_put_u32(skb, TCPTUNE_SOCK_A_CWND, tcp_snd_cwnd(tp)) ||
	    nla_put_u32(skb, TCPTUNE_SOCK_A_SSTHRESH, tp->snd_ssthresh) ||
	    nla_put_u32(skb, TCPTUNE_SOCK_A_RTO, jiffies_to_usecs(icsk->icsk_rto)) ||
	    nla_put_u32(skb, TCPTUNE_SOCK_A_SRTT, tp->srtt_us >> 3) ||
	    nla_put_u32(skb, TCPTUNE_SOCK_A_RTTVAR, tp->mdev_us >> 2) ||
	    nla_put_u32(skb, TCPTUNE_SOCK_A_MIN_RTT, tcp_min_rtt(tp)) ||
	    nla_put_u32(skb, TCPTUNE_SOCK_A_MSS, tp->mss_cache) ||
	    nla_put_u32(skb, TCPTUNE_SOCK_A_INFLIGHT, tcp_packets_in_flight(tp)) ||
	    nla_put_u32(skb, TCPTUNE_SOCK_A_UNACKED, tp->packets_out) ||
	    nla_put_u32(skb, TCPTUNE_SOCK_A_SACKED, tp->sacked_out) ||
	    nla_put_u32(skb, TCPTUNE_SOCK_A_LOST, tp->lost_out) ||
	    nla_put_u32(skb, TCPTUNE_SOCK_A_RETRANS, tp->retrans_out) ||
	    nla_put_u32(skb, TCPTUNE_SOCK_A_TOTAL_RETRANS, tp->total_retrans) ||
	    nla_put_u32(skb, TCPTUNE_SOCK_A_REORDERING, tp->reordering) ||
	    nla_put_u32(skb, TCPTUNE_SOCK_A_DSACK_DUPS, tp->dsack_dups) ||
	    nla_put_u32(skb, TCPTUNE_SOCK_A_DELIVERED, tp->delivered) ||
	    nla_put_u64_64bit(skb, TCPTUNE_SOCK_A_DELIVERY_RATE,
			      tcptune_delivery_rate(tp), TCPTUNE_SOCK_A_PAD) ||
	    nla_put_u64_64bit(skb, TCPTUNE_SOCK_A_PACING_RATE,
			      pacing != ~0UL ? pacing : ~0ULL, TCPTUNE_SOCK_A_PAD) ||
	    nla_put_u8(skb, TCPTUNE_SOCK_A_APP_LIMITED, tp->rate_app_limited ? 1 : 0) ||
	    nla_put_u32(skb, TCPTUNE_SOCK_A_RTOS, icsk->icsk_retransmits) ||
	    nla_put_u64_64bit(skb, TCPTUNE_SOCK_A_BYTES_ACKED, tp->bytes_acked,
			      TCPTUNE_SOCK_A_PAD) ||
	    tcptune_put_ss_fields(skb, sk, NETLINK_CB(cb->skb).sk) ||
	    (ai->fill_model && ai->fill_model(sk, skb))) {
		genlmsg_cancel(skb, hdr);
		goto out;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	err = 0;
out:
	unlock_sock_fast(sk, slow);
	return err;
}

/*
 * Of one bucket, under its lock: references on up to TCPTUNE_DUMP_BATCH of
 * our sockets of this namespace with cookies above *after*, the smallest
 * first.  Returns how many; *more says the bucket holds others beyond.
 */
static unsigned int tcptune_bucket_batch(struct inet_hashinfo *hinfo, u32 bucket,
					 const struct net *net, int algo, const struct nlattr *bc,
					 u64 after, struct sock **socks, u64 *cookies, bool *more)
{
	struct inet_ehash_bucket *head = &hinfo->ehash[bucket];
	spinlock_t *lock = inet_ehash_lockp(hinfo, bucket);
	struct hlist_nulls_node *node;
	unsigned int n = 0, i;
	struct sock *sk;

	*more = false;
	if (hlist_nulls_empty(&head->chain))
		return 0;
	spin_lock_bh(lock);
	sk_nulls_for_each(sk, node, &head->chain) {
		u64 cookie;

		/* time-wait and request socks are not full sockets */
		if (!net_eq(sock_net(sk), net) || !sk_fullsock(sk))
			continue;
		if (algo >= 0 ? tcptune_sk_algo(sk) != algo : tcptune_sk_algo(sk) < 0)
			continue;
		cookie = tcptune_sk_cookie(sk);
		if (cookie <= after)
			continue;	/* sent: not filtered again on a rescan */
		if (bc && !tcptune_bc_run(bc, sk))
			continue;
		if (n == TCPTUNE_DUMP_BATCH) {
			*more = true;
			if (cookie > cookies[n - 1])
				continue;
			n--;	/* the largest makes room */
		}
		/* insertion in cookie order (n is at most 15 here) */
		for (i = n; i > 0 && cookies[i - 1] > cookie; i--) {
			cookies[i] = cookies[i - 1];
			socks[i] = socks[i - 1];
		}
		cookies[i] = cookie;
		socks[i] = sk;
		n++;
	}
	/* Keep those still alive; a dying socket is skipped. */
	for (i = 0; i < n; i++)
		if (!refcount_inc_not_zero(&socks[i]->sk_refcnt))
			socks[i] = NULL;
	spin_unlock_bh(lock);
	return n;
}

static int tcptune_sock_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct tcptune_sock_dump *d = (struct tcptune_sock_dump *)cb->ctx;
	struct net *net = sock_net(skb->sk);
	struct inet_hashinfo *hinfo = net->ipv4.tcp_death_row.hashinfo;
	const struct nlattr *bc = tcptune_dump_attrs(cb)[TCPTUNE_A_FILTER_BC];
	struct sock *socks[TCPTUNE_DUMP_BATCH];
	u64 cookies[TCPTUNE_DUMP_BATCH];
	unsigned int n, i, scanned = 0;
	bool more, full = false;
	int err = 0;

	while (d->bucket <= hinfo->ehash_mask && !full) {
		n = tcptune_bucket_batch(hinfo, d->bucket, net, d->algo, bc, d->cookie,
					 socks, cookies, &more);
		for (i = 0; i < n; i++) {
			if (!full && socks[i]) {
				err = tcptune_fill_sock(skb, cb, socks[i], cookies[i]);
				full = err;
			}
			/* sent, or dying (no reference): not to be seen again */
			if (!full)
				d->cookie = cookies[i];
			if (socks[i])
				sock_gen_put(socks[i]);
		}
		if (full)
			break;
		if (!more) {
			d->bucket++;
			d->cookie = 0;
		}
		if (!(++scanned & 1023))
			cond_resched();
	}
	/* Not even one socket fits an empty message: give up. */
	if (full && !skb->len)
		return err;
	return skb->len;
}

/* ---- events ------------------------------------------------------------ */

/*
 * Token bucket per namespace: up to TCPTUNE_EVENT_BURST at once, refilled
 * at TCPTUNE_EVENT_RATE per second.  State changes only, never per ACK;
 * the lock is taken only while someone listens.
 */
static bool tcptune_event_allowed(struct tcptune_net *tn)
{
	unsigned long now = jiffies;
	bool ok = false;
	u64 credit;

	/* credit in events * HZ: each jiffy earns RATE, each event costs HZ */
	spin_lock_bh(&tn->ev_lock);
	credit = (u64)tn->ev_credit + (u64)(now - tn->ev_stamp) * TCPTUNE_EVENT_RATE;
	tn->ev_credit = min_t(u64, credit, (u64)TCPTUNE_EVENT_BURST * HZ);
	tn->ev_stamp = now;
	if (tn->ev_credit >= HZ) {
		tn->ev_credit -= HZ;
		ok = true;
	}
	spin_unlock_bh(&tn->ev_lock);
	return ok;
}

static size_t tcptune_event_size(void)
{
	return nla_total_size(0) +				/* A_EVENT nest */
	       nla_total_size(sizeof(u8)) +			/* TYPE */
	       nla_total_size_64bit(sizeof(u64)) +		/* COOKIE */
	       nla_total_size(sizeof(u8)) +			/* FAMILY */
	       2 * nla_total_size(sizeof(struct in6_addr)) +	/* SADDR, DADDR */
	       2 * nla_total_size(sizeof(u16)) +		/* SPORT, DPORT */
	       nla_total_size(TCP_CA_NAME_MAX) +		/* ALGO */
	       nla_total_size(sizeof(u8)) +			/* CA_STATE */
	       2 * nla_total_size(sizeof(u32)) +		/* CWND, SSTHRESH */
	       nla_total_size(sizeof(u32)) +			/* DROPPED */
	       nla_total_size(sizeof(u8)) +			/* BBR_STATE */
	       nla_total_size_64bit(sizeof(u64));		/* TIMESTAMP */
}

void tcptune_event(struct sock *sk, u8 type, u8 ca_state, u8 bbr_state)
{
	struct net *net = sock_net(sk);
	struct tcptune_net *tn;
	struct sk_buff *skb;
	struct nlattr *nest;
	u32 dropped;
	void *hdr;
	u64 now;

	if (!tcptune_sk_ready(sk) || !genl_has_listeners(&tcptune_family, net, 0))
		return;
	/*
	 * The wall clock, now: the state changes as we are called.  Called
	 * from the stack's set_state/cong_control with the socket locked,
	 * in softirq (ACK, RTO timer) or process context: reading the clock
	 * neither sleeps nor takes a lock.
	 */
	now = ktime_get_real_ns();
	tn = tcptune_net(net);
	if (!tcptune_event_allowed(tn))
		goto drop;
	skb = genlmsg_new(tcptune_event_size(), GFP_ATOMIC);
	if (!skb)
		goto drop;
	hdr = genlmsg_put(skb, 0, 0, &tcptune_family, 0, TCPTUNE_CMD_EVENT);
	if (!hdr)
		goto fail;
	/* this event carries the count; given back if it is not delivered */
	dropped = atomic_xchg(&tn->ev_dropped, 0);
	nest = nla_nest_start(skb, TCPTUNE_A_EVENT);
	if (!nest ||
	    nla_put_u8(skb, TCPTUNE_EVENT_A_TYPE, type) ||
	    nla_put_u64_64bit(skb, TCPTUNE_EVENT_A_COOKIE, tcptune_sk_cookie(sk),
			      TCPTUNE_EVENT_A_PAD) ||
	    tcptune_put_tuple(skb, sk, &tcptune_event_tuple) ||
	    nla_put_string(skb, TCPTUNE_EVENT_A_ALGO, inet_csk(sk)->icsk_ca_ops->name) ||
	    nla_put_u8(skb, TCPTUNE_EVENT_A_CA_STATE, ca_state) ||
	    nla_put_u32(skb, TCPTUNE_EVENT_A_CWND, tcp_snd_cwnd(tcp_sk(sk))) ||
	    nla_put_u32(skb, TCPTUNE_EVENT_A_SSTHRESH, tcp_sk(sk)->snd_ssthresh) ||
	    nla_put_u32(skb, TCPTUNE_EVENT_A_DROPPED, dropped) ||
	    (type == TCPTUNE_EVENT_BBR_STATE &&
	     nla_put_u8(skb, TCPTUNE_EVENT_A_BBR_STATE, bbr_state)) ||
	    nla_put_u64_64bit(skb, TCPTUNE_EVENT_A_TIMESTAMP, now, TCPTUNE_EVENT_A_PAD)) {
		atomic_add(dropped, &tn->ev_dropped);
		goto fail;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	/*
	 * -ESRCH: nobody took it.  -ENOBUFS may mean some listeners got it
	 * and others overran: count it dropped for those (their socket also
	 * reports ENOBUFS on its next read).
	 */
	if (genlmsg_multicast_netns(&tcptune_family, net, skb, 0, 0, GFP_ATOMIC) == -ESRCH)
		atomic_add(dropped + 1, &tn->ev_dropped);
	return;
fail:
	nlmsg_free(skb);
drop:
	atomic_inc(&tn->ev_dropped);
}

/* ---- family ------------------------------------------------------------ */

static const struct genl_ops tcptune_ops[] = {
	{
		/* no policy: genl rejects every attribute (resv_start_op) */
		.cmd = TCPTUNE_CMD_ALGO_GET,
		.dumpit = tcptune_algo_get_dumpit,
	},
	{
		.cmd = TCPTUNE_CMD_KNOB_GET,
		.doit = tcptune_knob_get_doit,
		.start = tcptune_knob_get_start,
		.dumpit = tcptune_knob_get_dumpit,
		.policy = tcptune_knob_get_policy,
		.maxattr = ARRAY_SIZE(tcptune_knob_get_policy) - 1,
	},
	{
		.cmd = TCPTUNE_CMD_KNOB_SET,
		.doit = tcptune_knob_set_doit,
		.policy = tcptune_knob_set_policy,
		.maxattr = ARRAY_SIZE(tcptune_knob_set_policy) - 1,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = TCPTUNE_CMD_SOCK_GET,
		.start = tcptune_sock_get_start,
		.dumpit = tcptune_sock_get_dumpit,
		.policy = tcptune_sock_get_policy,
		.maxattr = ARRAY_SIZE(tcptune_sock_get_policy) - 1,
	},
};

static const struct genl_multicast_group tcptune_mcgrps[] = {
	/* a feed of every socket: for the admin, like sock_diag's destroy groups */
	{ .name = TCPTUNE_MCGRP_EVENTS, .flags = GENL_MCAST_CAP_NET_ADMIN },
};

static struct genl_family tcptune_family __ro_after_init = {
	.name = TCPTUNE_GENL_NAME,
	.version = TCPTUNE_GENL_VERSION,
	.module = THIS_MODULE,
	.netnsok = true,
	/*
	 * Our own locking (tcptune_knob_mutex for writers): a dump that
	 * sleeps on a socket lock must not hold genl_mutex, which every
	 * generic netlink family of the host shares.
	 */
	.parallel_ops = true,
	.ops = tcptune_ops,
	.n_ops = ARRAY_SIZE(tcptune_ops),
	.resv_start_op = TCPTUNE_CMD_ALGO_GET,
	.mcgrps = tcptune_mcgrps,
	.n_mcgrps = ARRAY_SIZE(tcptune_mcgrps),
};

int tcptune_netlink_init(void)
{
	return genl_register_family(&tcptune_family);
}

void tcptune_netlink_exit(void)
{
	genl_unregister_family(&tcptune_family);
}

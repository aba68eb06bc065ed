// SPDX-License-Identifier: GPL-2.0
/*
 * Every other TCP socket, through sock_diag (NETLINK_SOCK_DIAG,
 * inet_diag with INET_DIAG_INFO, INET_DIAG_CONG and the algorithm's own
 * INET_DIAG_{VEGAS,DCTCP,BBR}INFO, as ss -tie asks), IPv4 and IPv6: what
 * `tcptune sockets -a` adds to the tcptune dump.  Each tcp_info becomes a
 * struct tt_sock with the same field ids and units as the tcptune dump, so
 * both print alike.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>

#include "tcptune.h"

/* TCP states (include/net/tcp_states.h): no uapi header names them. */
enum { ST_SYN_RECV = 3, ST_TIME_WAIT = 6, ST_CLOSE = 7, ST_LISTEN = 10 };

/* Like ss without -a: every state but LISTEN, CLOSE, TIME-WAIT, SYN-RECV. */
#define DIAG_STATES (((1u << 12) - 1) & ~((1u << ST_LISTEN) | (1u << ST_CLOSE) | \
		      (1u << ST_TIME_WAIT) | (1u << ST_SYN_RECV)))

/* Field present when the kernel's tcp_info reaches that far. */
#define TI_HAS(len, field) ((len) >= offsetof(struct tcp_info, field) + \
			    sizeof(((struct tcp_info *)0)->field))

#define set tt_sock_set

static void from_tcp_info(struct tt_sock *s, const void *data, size_t len)
{
	struct tcp_info ti;

	memset(&ti, 0, sizeof(ti));
	memcpy(&ti, data, len < sizeof(ti) ? len : sizeof(ti));

	set(s, TCPTUNE_SOCK_A_CA_STATE, ti.tcpi_ca_state);
	set(s, TCPTUNE_SOCK_A_RTOS, ti.tcpi_retransmits);
	set(s, TCPTUNE_SOCK_A_RTO, ti.tcpi_rto);
	set(s, TCPTUNE_SOCK_A_SRTT, ti.tcpi_rtt);
	set(s, TCPTUNE_SOCK_A_RTTVAR, ti.tcpi_rttvar);
	set(s, TCPTUNE_SOCK_A_MSS, ti.tcpi_snd_mss);
	set(s, TCPTUNE_SOCK_A_CWND, ti.tcpi_snd_cwnd);
	set(s, TCPTUNE_SOCK_A_SSTHRESH, ti.tcpi_snd_ssthresh);
	set(s, TCPTUNE_SOCK_A_UNACKED, ti.tcpi_unacked);
	set(s, TCPTUNE_SOCK_A_SACKED, ti.tcpi_sacked);
	set(s, TCPTUNE_SOCK_A_LOST, ti.tcpi_lost);
	set(s, TCPTUNE_SOCK_A_RETRANS, ti.tcpi_retrans);
	set(s, TCPTUNE_SOCK_A_TOTAL_RETRANS, ti.tcpi_total_retrans);
	set(s, TCPTUNE_SOCK_A_REORDERING, ti.tcpi_reordering);
	/* tcp_packets_in_flight(): packets_out - (sacked + lost) + retrans */
	if (ti.tcpi_unacked >= ti.tcpi_sacked + ti.tcpi_lost)
		set(s, TCPTUNE_SOCK_A_INFLIGHT,
		    ti.tcpi_unacked - ti.tcpi_sacked - ti.tcpi_lost + ti.tcpi_retrans);
	if (TI_HAS(len, tcpi_pacing_rate))
		set(s, TCPTUNE_SOCK_A_PACING_RATE, ti.tcpi_pacing_rate);
	if (TI_HAS(len, tcpi_bytes_acked))
		set(s, TCPTUNE_SOCK_A_BYTES_ACKED, ti.tcpi_bytes_acked);
	if (TI_HAS(len, tcpi_min_rtt))
		set(s, TCPTUNE_SOCK_A_MIN_RTT, ti.tcpi_min_rtt);
	if (TI_HAS(len, tcpi_delivery_rate)) {
		set(s, TCPTUNE_SOCK_A_DELIVERY_RATE, ti.tcpi_delivery_rate);
		set(s, TCPTUNE_SOCK_A_APP_LIMITED, ti.tcpi_delivery_rate_app_limited);
	}
	if (TI_HAS(len, tcpi_delivered))
		set(s, TCPTUNE_SOCK_A_DELIVERED, ti.tcpi_delivered);
	if (TI_HAS(len, tcpi_dsack_dups))
		set(s, TCPTUNE_SOCK_A_DSACK_DUPS, ti.tcpi_dsack_dups);
	set(s, TCPTUNE_SOCK_A_OPTIONS, ti.tcpi_options);
	set(s, TCPTUNE_SOCK_A_SND_WSCALE, ti.tcpi_snd_wscale);
	set(s, TCPTUNE_SOCK_A_RCV_WSCALE, ti.tcpi_rcv_wscale);
	if (TI_HAS(len, tcpi_notsent_bytes))
		set(s, TCPTUNE_SOCK_A_NOTSENT, ti.tcpi_notsent_bytes);
	if (TI_HAS(len, tcpi_sndbuf_limited)) {
		set(s, TCPTUNE_SOCK_A_BUSY, ti.tcpi_busy_time);
		set(s, TCPTUNE_SOCK_A_RWND_LIMITED, ti.tcpi_rwnd_limited);
		set(s, TCPTUNE_SOCK_A_SNDBUF_LIMITED, ti.tcpi_sndbuf_limited);
	}
	if (TI_HAS(len, tcpi_bytes_retrans)) {
		set(s, TCPTUNE_SOCK_A_BYTES_SENT, ti.tcpi_bytes_sent);
		set(s, TCPTUNE_SOCK_A_BYTES_RETRANS, ti.tcpi_bytes_retrans);
	}
	if (TI_HAS(len, tcpi_snd_wnd))
		set(s, TCPTUNE_SOCK_A_SND_WND, ti.tcpi_snd_wnd);
	if (TI_HAS(len, tcpi_segs_out)) {
		s->segs_out = ti.tcpi_segs_out;
		s->xhave |= TT_X_SEGS_OUT;
	}
}

static void cc_set(struct tt_sock *s, int i, uint64_t v)
{
	s->cc[i] = v;
	s->cc_have |= 1ULL << i;
}

/*
 * The kernel's algorithm's own state (what ss shows of it): its struct,
 * as long as this kernel's (shorter: the rest 0), into tt_sock.cc[].
 */
static void from_cc_info(struct tt_sock *s, int type, const struct nlattr *a)
{
	union tcp_cc_info ci;
	size_t len = mnl_attr_get_payload_len(a);

	memset(&ci, 0, sizeof(ci));
	memcpy(&ci, mnl_attr_get_payload(a), len < sizeof(ci) ? len : sizeof(ci));
	switch (type) {
	case INET_DIAG_BBRINFO:
		s->cc_kind = TT_CC_BBR;
		cc_set(s, TT_CC_BBR_BW, (uint64_t)ci.bbr.bbr_bw_hi << 32 | ci.bbr.bbr_bw_lo);
		cc_set(s, TT_CC_BBR_MRTT, ci.bbr.bbr_min_rtt);
		cc_set(s, TT_CC_BBR_PACING_GAIN, ci.bbr.bbr_pacing_gain);
		cc_set(s, TT_CC_BBR_CWND_GAIN, ci.bbr.bbr_cwnd_gain);
		break;
	case INET_DIAG_DCTCPINFO:
		s->cc_kind = TT_CC_DCTCP;
		cc_set(s, TT_CC_DCTCP_ENABLED, ci.dctcp.dctcp_enabled);
		cc_set(s, TT_CC_DCTCP_CE_STATE, ci.dctcp.dctcp_ce_state);
		cc_set(s, TT_CC_DCTCP_ALPHA, ci.dctcp.dctcp_alpha);
		cc_set(s, TT_CC_DCTCP_AB_ECN, ci.dctcp.dctcp_ab_ecn);
		cc_set(s, TT_CC_DCTCP_AB_TOT, ci.dctcp.dctcp_ab_tot);
		break;
	case INET_DIAG_VEGASINFO:
		s->cc_kind = TT_CC_VEGAS;
		cc_set(s, TT_CC_VEGAS_ENABLED, ci.vegas.tcpv_enabled);
		cc_set(s, TT_CC_VEGAS_RTTCNT, ci.vegas.tcpv_rttcnt);
		cc_set(s, TT_CC_VEGAS_RTT, ci.vegas.tcpv_rtt);
		cc_set(s, TT_CC_VEGAS_MINRTT, ci.vegas.tcpv_minrtt);
		break;
	}
}

static const int diag_policy[INET_DIAG_MAX + 1] = {
	[INET_DIAG_INFO] = MNL_TYPE_BINARY,	/* as long as this kernel's tcp_info */
	[INET_DIAG_CONG] = MNL_TYPE_NUL_STRING,
	[INET_DIAG_VEGASINFO] = MNL_TYPE_BINARY,
	[INET_DIAG_DCTCPINFO] = MNL_TYPE_BINARY,
	[INET_DIAG_BBRINFO] = MNL_TYPE_BINARY,
	[INET_DIAG_MARK] = MNL_TYPE_U32,	/* to CAP_NET_ADMIN only */
	[INET_DIAG_CGROUP_ID] = MNL_TYPE_U64,	/* full sockets (5.10+) */
};

int tt_diag_cb(const struct nlmsghdr *nlh, void *data)
{
	struct tt_socklist *out = data;
	const struct inet_diag_msg *m = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[INET_DIAG_MAX + 1];
	struct tt_sock *s;
	size_t alen;

	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*m))
		return MNL_CB_OK;
	s = tt_socklist_add(out);
	if (!s) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	s->family = m->idiag_family;
	alen = m->idiag_family == AF_INET6 ? 16 : 4;
	memcpy(s->saddr, m->id.idiag_src, alen);
	memcpy(s->daddr, m->id.idiag_dst, alen);
	set(s, TCPTUNE_SOCK_A_FAMILY, m->idiag_family);
	set(s, TCPTUNE_SOCK_A_SPORT, ntohs(m->id.idiag_sport));
	set(s, TCPTUNE_SOCK_A_DPORT, ntohs(m->id.idiag_dport));
	/* the cookie as ss -e prints it */
	set(s, TCPTUNE_SOCK_A_COOKIE, (uint64_t)m->id.idiag_cookie[0] |
					  (uint64_t)m->id.idiag_cookie[1] << 32);
	set(s, TCPTUNE_SOCK_A_STATE, m->idiag_state);
	/* ss's Recv-Q, Send-Q; -e's uid, ino */
	set(s, TCPTUNE_SOCK_A_RECV_Q, m->idiag_rqueue);
	set(s, TCPTUNE_SOCK_A_SEND_Q, m->idiag_wqueue);
	set(s, TCPTUNE_SOCK_A_UID, m->idiag_uid);
	set(s, TCPTUNE_SOCK_A_INODE, m->idiag_inode);
	s->have |= 1ULL << TCPTUNE_SOCK_A_SADDR | 1ULL << TCPTUNE_SOCK_A_DADDR;

	tt_attr_parse(mnl_nlmsg_get_payload_offset(nlh, sizeof(*m)),
		      mnl_nlmsg_get_payload_len(nlh) - sizeof(*m),
		      diag_policy, INET_DIAG_MAX, tb);
	if (tb[INET_DIAG_INFO])
		from_tcp_info(s, mnl_attr_get_payload(tb[INET_DIAG_INFO]),
			      mnl_attr_get_payload_len(tb[INET_DIAG_INFO]));
	if (tb[INET_DIAG_CONG]) {
		snprintf(s->algo, sizeof(s->algo), "%s", mnl_attr_get_str(tb[INET_DIAG_CONG]));
		s->have |= 1ULL << TCPTUNE_SOCK_A_ALGO;
	}
	/* one algorithm reports one of them; the last one given wins */
	if (tb[INET_DIAG_VEGASINFO])
		from_cc_info(s, INET_DIAG_VEGASINFO, tb[INET_DIAG_VEGASINFO]);
	if (tb[INET_DIAG_DCTCPINFO])
		from_cc_info(s, INET_DIAG_DCTCPINFO, tb[INET_DIAG_DCTCPINFO]);
	if (tb[INET_DIAG_BBRINFO])
		from_cc_info(s, INET_DIAG_BBRINFO, tb[INET_DIAG_BBRINFO]);
	if (tb[INET_DIAG_CGROUP_ID])
		set(s, TCPTUNE_SOCK_A_CGROUP_ID, mnl_attr_get_u64(tb[INET_DIAG_CGROUP_ID]));
	/* what the kernel's bytecode tests (inet_diag_bc_sk): the bound
	 * device, the cgroup (0 for a mini socket), the mark if given to us */
	s->ifindex = m->id.idiag_if;
	s->cgroup_id = tb[INET_DIAG_CGROUP_ID] ? mnl_attr_get_u64(tb[INET_DIAG_CGROUP_ID]) : 0;
	s->xhave |= TT_X_IFINDEX | TT_X_CGROUP;
	if (tb[INET_DIAG_MARK]) {
		s->mark = mnl_attr_get_u32(tb[INET_DIAG_MARK]);
		s->xhave |= TT_X_MARK;
	}
	tt_sock_derive(s);
	return MNL_CB_OK;
}

/* Whether the bytecode bc[0..len) has a CGROUP_COND (its ops, by yes). */
static bool bc_has_cgroup(const void *bc, ssize_t len)
{
	const uint8_t *p = bc;
	ssize_t at = 0;

	while (p && at + (ssize_t)sizeof(struct inet_diag_bc_op) <= len) {
		struct inet_diag_bc_op op;

		memcpy(&op, p + at, sizeof(op));
		if (op.code == INET_DIAG_BC_CGROUP_COND)
			return true;
		if (!op.yes)
			return false;
		at += op.yes;
	}
	return false;
}

/*
 * One sock_diag dump of both families (family: one of them, 0: both) in
 * the given states, asking for the ext bits, with bc[0..bclen) as its
 * filter, into out.  0 or TT_EXIT_* (printed).
 */
static int diag_dump(struct tt_ctx *ctx, int family, uint32_t states, uint8_t ext,
		     const void *bc, ssize_t bclen, struct tt_socklist *out)
{
	static const int families[] = { AF_INET, AF_INET6 };
	/* the request and its bytecode (at most TT_FILTER_MAX_BYTECODE) */
	size_t bufsz = MNL_SOCKET_BUFFER_SIZE + TT_FILTER_MAX_BYTECODE + 64;
	struct mnl_socket *nl;
	struct tt_nlerr err;
	uint64_t rx0 = ctx->rx_bytes;
	size_t i, n0 = out->n;
	char *buf;
	int status;

	buf = malloc(bufsz);
	if (!buf)
		return TT_EXIT_KERNEL;
	nl = tt_socket_open(ctx, NETLINK_SOCK_DIAG, &status);
	if (!nl) {
		free(buf);
		return status;
	}
	for (i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
		struct inet_diag_req_v2 *req;

		if (family && family != families[i])
			continue;
		nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
		nlh->nlmsg_seq = ++ctx->seq;
		req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
		req->sdiag_family = (uint8_t)families[i];
		req->sdiag_protocol = IPPROTO_TCP;
		req->idiag_states = states;
		req->idiag_ext = ext;
		if (bclen > 0)
			mnl_attr_put(nlh, INET_DIAG_REQ_BYTECODE, (size_t)bclen, bc);

		if (tt_nl_talk(ctx, nl, nlh, sizeof(*req), sizeof(struct inet_diag_msg),
			       tt_diag_cb, out, &err) < 0) {
			/* no IPv6 in this kernel is not an error */
			if (families[i] == AF_INET6 &&
			    (err.error == ENOENT || err.error == EAFNOSUPPORT))
				continue;
			mnl_socket_close(nl);
			free(buf);
			if (err.error == EINVAL && bc_has_cgroup(bc, bclen)) {
				/* inet_diag_bc_audit: no CGROUP_COND without
				 * CONFIG_SOCK_CGROUP_DATA */
				tt_err("cgroup: this kernel does not record sockets' cgroups "
				       "(built without CONFIG_SOCK_CGROUP_DATA): it matches "
				       "none, for ss either");
				return TT_EXIT_KERNEL;
			}
			if (err.error == EPERM) {
				/* inet_diag_bc_audit: MARK_COND is CAP_NET_ADMIN's */
				tt_err("fwmark: permission denied: the kernel matches socket marks "
				       "for CAP_NET_ADMIN only (as for ss)");
				return TT_EXIT_PERM;
			}
			tt_err("sock_diag dump: %s", strerror(err.error));
			if (err.error == EINVAL && bclen > 0)
				tt_note("the kernel refused the filter's bytecode (%zd bytes)", bclen);
			return TT_EXIT_KERNEL;
		}
	}
	if (ctx->debug)
		fprintf(stderr, "--- sock_diag dump: %llu bytes received, %zu sockets, "
			"bytecode %zd bytes\n", (unsigned long long)(ctx->rx_bytes - rx0),
			out->n - n0, bclen > 0 ? bclen : 0);
	mnl_socket_close(nl);
	free(buf);
	return 0;
}

int tt_diag_dump(struct tt_ctx *ctx, const struct tt_filter *f, struct tt_socklist *out)
{
	char *bc = NULL;
	ssize_t bclen = 0;
	int r;

	if (f) {
		bclen = tt_filter_bytecode(f, NULL, 0);
		if (bclen > 0) {
			bc = malloc((size_t)bclen);
			if (!bc || tt_filter_bytecode(f, bc, (size_t)bclen) != bclen) {
				free(bc);
				return TT_EXIT_KERNEL;
			}
		} else if (bclen < 0 && ctx->debug) {
			fprintf(stderr, "--- the filter's bytecode is longer than %d bytes: "
				"matched here, not by the kernel\n", TT_FILTER_MAX_BYTECODE);
		}
	}
	/* as ss -i: the VEGASINFO bit asks every algorithm for its own
	 * struct (Vegas's, DCTCP's, BBR's: their bits do not fit a u8) */
	r = diag_dump(ctx, f ? f->family : 0, f ? tt_filter_states(f, DIAG_STATES) : DIAG_STATES,
		      1 << (INET_DIAG_INFO - 1) | 1 << (INET_DIAG_CONG - 1) |
		      1 << (INET_DIAG_VEGASINFO - 1), bc, bclen, out);
	free(bc);
	return r;
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The sockets of l by cookie: a sorted copy of l's cookies and their index. */
struct by_cookie {
	uint64_t cookie;
	size_t i;
};

static const struct tt_sock *find_cookie(const struct by_cookie *v, size_t n, uint64_t c,
					 const struct tt_socklist *l)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (v[mid].cookie == c)
			return &l->v[v[mid].i];
		if (v[mid].cookie < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static struct by_cookie *index_cookies(const struct tt_socklist *l)
{
	struct by_cookie *v = malloc((l->n + 1) * sizeof(*v));
	size_t i;

	if (!v)
		return NULL;
	for (i = 0; i < l->n; i++) {
		v[i].cookie = l->v[i].v[TCPTUNE_SOCK_A_COOKIE];
		v[i].i = i;
	}
	qsort(v, l->n, sizeof(*v), u64_cmp);	/* cookie first: compared as a u64 */
	return v;
}

/* Every TCP state, as inet_diag counts them (TCP_NEW_SYN_RECV too). */
#define DIAG_ALL_STATES ((1u << 13) - 2)

/* The TCP states of the sockets of a and b (b may be NULL): no more is dumped. */
static uint32_t states_of(const struct tt_socklist *a, const struct tt_socklist *b)
{
	const struct tt_socklist *l[2] = { a, b };
	uint32_t m = 0;
	size_t i;
	int k;

	for (k = 0; k < 2; k++)
		for (i = 0; l[k] && i < l[k]->n; i++) {
			uint64_t st = l[k]->v[i].v[TCPTUNE_SOCK_A_STATE];

			m |= st < 13 ? 1u << st : DIAG_ALL_STATES;
		}
	return m & DIAG_ALL_STATES;
}

/* A dump of the states with bc into d, and its index by cookie (*idx). */
static int dump_indexed(struct tt_ctx *ctx, const struct tt_filter *f, uint32_t states,
			uint8_t ext, const void *bc, ssize_t bclen, struct tt_socklist *d,
			struct by_cookie **idx)
{
	int r = diag_dump(ctx, f->family, states, ext, bc, bclen, d);

	if (r)
		return r;
	*idx = index_cookies(d);
	return *idx ? 0 : TT_EXIT_KERNEL;
}

int tt_diag_xinfo(struct tt_ctx *ctx, const struct tt_filter *f,
		  struct tt_socklist *ours, struct tt_socklist *other)
{
	unsigned int need = tt_filter_needs(f);
	struct tt_socklist d = { 0 };
	struct by_cookie *idx;
	size_t i;
	int r;

	if (ours->n && ((need & TT_NEED_INFO) || f->want_sent)) {
		/* an always-true MARK_COND (mask 0): the kernel's audit decides
		 * whether this user may match marks, and sends them if so */
		/* and a CGROUP_COND that holds either way (yes = no): the
		 * audit refuses it where the kernel keeps no socket cgroups
		 * (ss's cgroup filter fails there too) */
		struct {
			struct inet_diag_bc_op op;
			struct inet_diag_markcond mc;
			struct inet_diag_bc_op cop;
			uint32_t cid[2];
		} probe = {
			{ INET_DIAG_BC_MARK_COND, 12, 28 }, { 0, 0 },
			{ INET_DIAG_BC_CGROUP_COND, 12, 12 }, { 0, 0 },
		};
		const void *pb = &probe;
		ssize_t pblen = 0;

		if (need & TT_NEED_MARK) {
			pblen = (need & TT_NEED_CGROUP) ? 24 : 12;
			probe.op.no = (unsigned short)(pblen + 4);	/* reject */
		} else if (need & TT_NEED_CGROUP) {
			pb = &probe.cop;
			pblen = 12;
		}
		r = dump_indexed(ctx, f, states_of(ours, NULL),
				 f->want_sent ? 1 << (INET_DIAG_INFO - 1) : 0, pb, pblen, &d, &idx);
		if (r) {
			tt_socklist_free(&d);
			return r;
		}
		for (i = 0; i < ours->n; i++) {
			struct tt_sock *s = &ours->v[i];
			const struct tt_sock *k = find_cookie(idx, d.n, s->v[TCPTUNE_SOCK_A_COOKIE], &d);

			if (!k)
				continue;	/* closed meanwhile */
			s->ifindex = k->ifindex;
			s->mark = k->mark;
			s->cgroup_id = k->cgroup_id;
			s->segs_out = k->segs_out;
			s->xhave |= k->xhave & (TT_X_IFINDEX | TT_X_MARK | TT_X_CGROUP | TT_X_SEGS_OUT);
		}
		free(idx);
		tt_socklist_free(&d);
	}
	if ((need & TT_NEED_AUTO) && (ours->n || (other && other->n))) {
		/* the sockets the kernel says are autobound (AUTO: no
		 * SOCK_BINDPORT_LOCK), of every state */
		static const struct inet_diag_bc_op autob = { INET_DIAG_BC_AUTO, 4, 8 };
		struct tt_socklist *lists[2] = { ours, other };
		int k;

		r = dump_indexed(ctx, f, states_of(ours, other), 0, &autob, sizeof(autob), &d, &idx);
		if (r) {
			tt_socklist_free(&d);
			return r;
		}
		for (k = 0; k < 2; k++)
			for (i = 0; lists[k] && i < lists[k]->n; i++) {
				struct tt_sock *s = &lists[k]->v[i];

				s->autobound = find_cookie(idx, d.n, s->v[TCPTUNE_SOCK_A_COOKIE], &d);
				s->xhave |= TT_X_AUTOBOUND;
			}
		free(idx);
		tt_socklist_free(&d);
	}
	return 0;
}

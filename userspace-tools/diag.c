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
	[INET_DIAG_CGROUP_ID] = MNL_TYPE_U64,
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
	tt_sock_derive(s);
	return MNL_CB_OK;
}

int tt_diag_dump(struct tt_ctx *ctx, const struct tt_filter *f, struct tt_socklist *out)
{
	static const int families[] = { AF_INET, AF_INET6 };
	/* the request and its bytecode (at most TT_FILTER_MAX_BYTECODE) */
	size_t bufsz = MNL_SOCKET_BUFFER_SIZE + TT_FILTER_MAX_BYTECODE + 64;
	char *buf, *bc = NULL;
	struct mnl_socket *nl;
	struct tt_nlerr err;
	ssize_t bclen = 0;
	uint64_t rx0 = ctx->rx_bytes;
	size_t i, n0 = out->n;
	int status;

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
	buf = malloc(bufsz);
	if (!buf) {
		free(bc);
		return TT_EXIT_KERNEL;
	}
	nl = tt_socket_open(ctx, NETLINK_SOCK_DIAG, &status);
	if (!nl) {
		free(bc);
		free(buf);
		return status;
	}
	for (i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
		struct inet_diag_req_v2 *req;

		if (f && f->family && f->family != families[i])
			continue;
		nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
		nlh->nlmsg_seq = ++ctx->seq;
		req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
		req->sdiag_family = (uint8_t)families[i];
		req->sdiag_protocol = IPPROTO_TCP;
		req->idiag_states = f ? tt_filter_states(f, DIAG_STATES) : DIAG_STATES;
		/* as ss -i: the VEGASINFO bit asks every algorithm for its own
		 * struct (Vegas's, DCTCP's, BBR's: their bits do not fit a u8) */
		req->idiag_ext = 1 << (INET_DIAG_INFO - 1) | 1 << (INET_DIAG_CONG - 1) |
				 1 << (INET_DIAG_VEGASINFO - 1);
		if (bclen > 0)
			mnl_attr_put(nlh, INET_DIAG_REQ_BYTECODE, (size_t)bclen, bc);

		if (tt_nl_talk(ctx, nl, nlh, sizeof(*req), tt_diag_cb, out, &err) < 0) {
			/* no IPv6 in this kernel is not an error */
			if (families[i] == AF_INET6 &&
			    (err.error == ENOENT || err.error == EAFNOSUPPORT))
				continue;
			tt_err("sock_diag dump: %s", strerror(err.error));
			if (err.error == EINVAL && bclen > 0)
				tt_note("the kernel refused the filter's bytecode (%zd bytes)", bclen);
			mnl_socket_close(nl);
			free(bc);
			free(buf);
			return TT_EXIT_KERNEL;
		}
	}
	if (ctx->debug)
		fprintf(stderr, "--- sock_diag dump: %llu bytes received, %zu sockets, "
			"bytecode %zd bytes\n", (unsigned long long)(ctx->rx_bytes - rx0),
			out->n - n0, bclen > 0 ? bclen : 0);
	mnl_socket_close(nl);
	free(bc);
	free(buf);
	return 0;
}

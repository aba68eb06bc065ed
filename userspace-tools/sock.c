// SPDX-License-Identifier: GPL-2.0
/*
 * One socket, whatever its source (the tcptune dump or sock_diag's
 * tcp_info), and its three renderings: the `ss -ti` line, JSON and CSV.
 *
 * The field table below is the one place that says how each
 * TCPTUNE_SOCK_A_* attribute is named and shown; its order is the order
 * `ss -ti` prints them in.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/tcp.h>

#include "tcptune.h"

enum fmt {
	F_U32,		/* name:%llu */
	F_U64,		/* name:%llu */
	F_MS,		/* us shown as ms: name:%g (ss) */
	F_RATE,		/* bytes/s shown as "name %sbps" (ss) */
	F_BITRATE,	/* bit/s shown as "name %sbps" (ss's send) */
	F_FLAG,		/* name when non-zero */
	F_BUSY,		/* us shown as "name:%llums" (ss's busy) */
	F_LIMITED,	/* us of busy: "name:%llums(%.1f%%)" when busy is shown */
	F_MODELS,	/* the algorithms' models here, as ss puts bbr:(...) */
	F_HIDDEN,	/* printed by hand or JSON only */
};

struct field {
	int attr;
	const char *ss;		/* human name, as `ss -ti` */
	const char *json;	/* JSON and CSV name, unit in the name */
	enum fmt fmt;
	long long hide;		/* human: not shown at this value, as ss hides
				 * zero counters and reordering 3; -1: shown */
};

/*
 * Human order follows `ss -tie` (iproute2 6.1): rto, rtt, mss, cwnd,
 * ssthresh, bytes_*, the algorithm's own state, send, rates, busy times,
 * counters, notsent, minrtt, snd_wnd.  "rtos" is ss's missing counter: RTOs
 * since the last forward progress (icsk_retransmits, tcpi_retransmits);
 * "inflight" another.  The fields of the first line (Recv-Q, Send-Q, uid,
 * ino) are printed by hand; the last three are watch's, per interval.
 */
static const struct field fields[] = {
	{ TCPTUNE_SOCK_A_RECV_Q, "Recv-Q", "recv_q", F_HIDDEN, -1 },
	{ TCPTUNE_SOCK_A_SEND_Q, "Send-Q", "send_q", F_HIDDEN, -1 },
	{ TCPTUNE_SOCK_A_UID, "uid", "uid", F_HIDDEN, -1 },
	{ TCPTUNE_SOCK_A_INODE, "ino", "ino", F_HIDDEN, -1 },
	{ TCPTUNE_SOCK_A_CGROUP_ID, "cgroup_id", "cgroup_id", F_HIDDEN, -1 },
	{ TCPTUNE_SOCK_A_RTO, "rto", "rto_us", F_MS, 0 },
	{ TCPTUNE_SOCK_A_RTOS, "rtos", "rtos", F_U32, 0 },
	{ TCPTUNE_SOCK_A_SRTT, "rtt", "srtt_us", F_HIDDEN, -1 },
	{ TCPTUNE_SOCK_A_RTTVAR, "rttvar", "rttvar_us", F_HIDDEN, -1 },
	{ TCPTUNE_SOCK_A_MSS, "mss", "mss", F_U32, 0 },
	{ TCPTUNE_SOCK_A_CWND, "cwnd", "cwnd", F_U32, 0 },
	{ TCPTUNE_SOCK_A_SSTHRESH, "ssthresh", "ssthresh", F_HIDDEN, -1 },
	{ TCPTUNE_SOCK_A_BYTES_SENT, "bytes_sent", "bytes_sent", F_U64, 0 },
	{ TCPTUNE_SOCK_A_BYTES_RETRANS, "bytes_retrans", "bytes_retrans", F_U64, 0 },
	{ TCPTUNE_SOCK_A_BYTES_ACKED, "bytes_acked", "bytes_acked", F_U64, 0 },
	{ 0, NULL, NULL, F_MODELS, -1 },
	{ TT_F_SEND, "send", "send_bps", F_BITRATE, 0 },
	{ TCPTUNE_SOCK_A_PACING_RATE, "pacing_rate", "pacing_rate_bps", F_RATE, 0 },
	{ TCPTUNE_SOCK_A_DELIVERY_RATE, "delivery_rate", "delivery_rate_bps", F_RATE, 0 },
	{ TCPTUNE_SOCK_A_DELIVERED, "delivered", "delivered", F_U32, 0 },
	{ TCPTUNE_SOCK_A_APP_LIMITED, "app_limited", "app_limited", F_FLAG, -1 },
	{ TCPTUNE_SOCK_A_BUSY, "busy", "busy_us", F_BUSY, 0 },
	{ TCPTUNE_SOCK_A_RWND_LIMITED, "rwnd_limited", "rwnd_limited_us", F_LIMITED, 0 },
	{ TCPTUNE_SOCK_A_SNDBUF_LIMITED, "sndbuf_limited", "sndbuf_limited_us", F_LIMITED, 0 },
	{ TCPTUNE_SOCK_A_UNACKED, "unacked", "unacked", F_U32, 0 },
	{ TCPTUNE_SOCK_A_INFLIGHT, "inflight", "inflight", F_U32, 0 },
	{ TCPTUNE_SOCK_A_RETRANS, "retrans", "retrans", F_HIDDEN, -1 },
	{ TCPTUNE_SOCK_A_TOTAL_RETRANS, "total_retrans", "total_retrans", F_HIDDEN, -1 },
	{ TCPTUNE_SOCK_A_LOST, "lost", "lost", F_U32, 0 },
	{ TCPTUNE_SOCK_A_SACKED, "sacked", "sacked", F_U32, 0 },
	{ TCPTUNE_SOCK_A_DSACK_DUPS, "dsack_dups", "dsack_dups", F_U32, 0 },
	{ TCPTUNE_SOCK_A_REORDERING, "reordering", "reordering", F_U32, 3 },
	{ TCPTUNE_SOCK_A_NOTSENT, "notsent", "notsent", F_U32, 0 },
	{ TCPTUNE_SOCK_A_MIN_RTT, "minrtt", "minrtt_us", F_MS, 0 },
	{ TCPTUNE_SOCK_A_SND_WND, "snd_wnd", "snd_wnd", F_U32, 0 },
	{ TT_F_GOODPUT, "goodput", "goodput_bps", F_BITRATE, -1 },
	{ TT_F_RETRANS_DELTA, "retrans_delta", "retrans_delta", F_U64, -1 },
	{ TT_F_BYTES_RETRANS_DELTA, "bytes_retrans_delta", "bytes_retrans_delta", F_U64, -1 },
};

/* The TCP options of tcpi_options that ss names, in its order. */
static const struct { uint8_t bit; const char *name; } tcp_opts[] = {
	{ TCPI_OPT_TIMESTAMPS, "ts" }, { TCPI_OPT_SACK, "sack" }, { TCPI_OPT_ECN, "ecn" },
	{ TCPI_OPT_ECN_SEEN, "ecnseen" }, { TCPI_OPT_SYN_DATA, "fastopen" },
};

/* How the kernel sends each attribute of a TCPTUNE_A_SOCK nest. */
static const int sock_policy[TCPTUNE_SOCK_A_MAX + 1] = {
	[TCPTUNE_SOCK_A_FAMILY] = MNL_TYPE_U8,
	[TCPTUNE_SOCK_A_SADDR] = TT_NLA_ADDR,
	[TCPTUNE_SOCK_A_DADDR] = TT_NLA_ADDR,
	[TCPTUNE_SOCK_A_SPORT] = MNL_TYPE_U16,
	[TCPTUNE_SOCK_A_DPORT] = MNL_TYPE_U16,
	[TCPTUNE_SOCK_A_COOKIE] = TT_NLA_UINT,
	[TCPTUNE_SOCK_A_ALGO] = MNL_TYPE_NUL_STRING,
	[TCPTUNE_SOCK_A_STATE] = MNL_TYPE_U8,
	[TCPTUNE_SOCK_A_CA_STATE] = MNL_TYPE_U8,
	[TCPTUNE_SOCK_A_CWND] = MNL_TYPE_U32,
	[TCPTUNE_SOCK_A_SSTHRESH] = MNL_TYPE_U32,
	[TCPTUNE_SOCK_A_RTO] = MNL_TYPE_U32,
	[TCPTUNE_SOCK_A_SRTT] = MNL_TYPE_U32,
	[TCPTUNE_SOCK_A_RTTVAR] = MNL_TYPE_U32,
	[TCPTUNE_SOCK_A_MIN_RTT] = MNL_TYPE_U32,
	[TCPTUNE_SOCK_A_MSS] = MNL_TYPE_U32,
	[TCPTUNE_SOCK_A_INFLIGHT] = MNL_TYPE_U32,
	[TCPTUNE_SOCK_A_UNACKED] = MNL_TYPE_U32,
	[TCPTUNE_SOCK_A_SACKED] = MNL_TYPE_U32,
	[TCPTUNE_SOCK_A_LOST] = MNL_TYPE_U32,
	[TCPTUNE_SOCK_A_RETRANS] = MNL_TYPE_U32,
	[TCPTUNE_SOCK_A_TOTAL_RETRANS] = MNL_TYPE_U32,
	[TCPTUNE_SOCK_A_REORDERING] = MNL_TYPE_U32,
	[TCPTUNE_SOCK_A_DSACK_DUPS] = MNL_TYPE_U32,
	[TCPTUNE_SOCK_A_DELIVERED] = MNL_TYPE_U32,
	[TCPTUNE_SOCK_A_DELIVERY_RATE] = TT_NLA_UINT,
	[TCPTUNE_SOCK_A_PACING_RATE] = TT_NLA_UINT,
	[TCPTUNE_SOCK_A_APP_LIMITED] = MNL_TYPE_U8,
	[TCPTUNE_SOCK_A_RTOS] = MNL_TYPE_U32,
	[TCPTUNE_SOCK_A_BYTES_ACKED] = TT_NLA_UINT,
	[TCPTUNE_SOCK_A_RENO] = MNL_TYPE_NESTED,
	[TCPTUNE_SOCK_A_BBR] = MNL_TYPE_NESTED,
	[TCPTUNE_SOCK_A_RECV_Q] = MNL_TYPE_U32,
	[TCPTUNE_SOCK_A_SEND_Q] = MNL_TYPE_U32,
	[TCPTUNE_SOCK_A_BYTES_SENT] = TT_NLA_UINT,
	[TCPTUNE_SOCK_A_BYTES_RETRANS] = TT_NLA_UINT,
	[TCPTUNE_SOCK_A_BUSY] = TT_NLA_UINT,
	[TCPTUNE_SOCK_A_RWND_LIMITED] = TT_NLA_UINT,
	[TCPTUNE_SOCK_A_SNDBUF_LIMITED] = TT_NLA_UINT,
	[TCPTUNE_SOCK_A_NOTSENT] = MNL_TYPE_U32,
	[TCPTUNE_SOCK_A_SND_WND] = MNL_TYPE_U32,
	[TCPTUNE_SOCK_A_OPTIONS] = MNL_TYPE_U8,
	[TCPTUNE_SOCK_A_SND_WSCALE] = MNL_TYPE_U8,
	[TCPTUNE_SOCK_A_RCV_WSCALE] = MNL_TYPE_U8,
	[TCPTUNE_SOCK_A_INODE] = TT_NLA_UINT,
	[TCPTUNE_SOCK_A_UID] = MNL_TYPE_U32,
	[TCPTUNE_SOCK_A_CGROUP_ID] = TT_NLA_UINT,
};

static const int reno_policy[TCPTUNE_RENO_A_MAX + 1] = {
	[TCPTUNE_RENO_A_PHASE] = MNL_TYPE_U8,
	[TCPTUNE_RENO_A_RECOVER] = MNL_TYPE_U32,
	[TCPTUNE_RENO_A_BYTES_ACKED] = MNL_TYPE_U32,
	[TCPTUNE_RENO_A_RFC_CWND] = MNL_TYPE_U32,
	[TCPTUNE_RENO_A_DUP_SEGS] = MNL_TYPE_U32,
};

static const int bbr_policy[TCPTUNE_BBR_A_MAX + 1] = {
	[TCPTUNE_BBR_A_STATE] = MNL_TYPE_U8,
	[TCPTUNE_BBR_A_BW] = TT_NLA_UINT,
	[TCPTUNE_BBR_A_MIN_RTT] = MNL_TYPE_U32,
	[TCPTUNE_BBR_A_PACING_GAIN] = MNL_TYPE_U32,
	[TCPTUNE_BBR_A_CWND_GAIN] = MNL_TYPE_U32,
	[TCPTUNE_BBR_A_INFLIGHT_HI] = MNL_TYPE_U32,
	[TCPTUNE_BBR_A_INFLIGHT_LO] = MNL_TYPE_U32,
	[TCPTUNE_BBR_A_BW_LO] = TT_NLA_UINT,
	[TCPTUNE_BBR_A_ROUND] = MNL_TYPE_U32,
};

static const char *const ca_states[] = {
	[TCPTUNE_CA_OPEN] = "Open",
	[TCPTUNE_CA_DISORDER] = "Disorder",
	[TCPTUNE_CA_CWR] = "CWR",
	[TCPTUNE_CA_RECOVERY] = "Recovery",
	[TCPTUNE_CA_LOSS] = "Loss",
};

const char *tt_ca_state_name(int st)
{
	if (st >= 0 && st < (int)(sizeof(ca_states) / sizeof(ca_states[0])))
		return ca_states[st];
	return "?";
}

int tt_ca_state_parse(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(ca_states) / sizeof(ca_states[0]); i++)
		if (!strcasecmp(name, ca_states[i]))
			return (int)i;
	return -1;
}

/* As `ss` names them. */
const char *tt_tcp_state_name(int st)
{
	static const char *const names[] = {
		[0] = "UNKNOWN",
		[1] = "ESTAB", [2] = "SYN-SENT", [3] = "SYN-RECV",
		[4] = "FIN-WAIT-1", [5] = "FIN-WAIT-2", [6] = "TIME-WAIT",
		[7] = "UNCONN", [8] = "CLOSE-WAIT", [9] = "LAST-ACK",
		[10] = "LISTEN", [11] = "CLOSING", [12] = "NEW-SYN-RECV",
	};

	if (st >= 0 && st < (int)(sizeof(names) / sizeof(names[0])))
		return names[st];
	return "UNKNOWN";
}

/* BBR state and, in ProbeBW, its phase. */
const char *tt_bbr_state_name(int st, const char **phase)
{
	*phase = NULL;
	switch (st) {
	case TCPTUNE_BBR_STARTUP: return "Startup";
	case TCPTUNE_BBR_DRAIN: return "Drain";
	case TCPTUNE_BBR_PROBE_BW_DOWN: *phase = "DOWN"; return "ProbeBW";
	case TCPTUNE_BBR_PROBE_BW_CRUISE: *phase = "CRUISE"; return "ProbeBW";
	case TCPTUNE_BBR_PROBE_BW_REFILL: *phase = "REFILL"; return "ProbeBW";
	case TCPTUNE_BBR_PROBE_BW_UP: *phase = "UP"; return "ProbeBW";
	case TCPTUNE_BBR_PROBE_RTT: return "ProbeRTT";
	}
	return "?";
}

const char *tt_reno_phase_name(int ph)
{
	switch (ph) {
	case TCPTUNE_RENO_OPEN: return "open";
	case TCPTUNE_RENO_FAST_RECOVERY: return "fast_recovery";
	case TCPTUNE_RENO_AFTER_RECOVERY: return "after_recovery";
	}
	return "?";
}

struct tt_sock *tt_socklist_add(struct tt_socklist *l)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct tt_sock *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	return &l->v[l->n++];
}

void tt_socklist_free(struct tt_socklist *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* The integers of a model nest into v[], a bit per attribute into *have. */
static void parse_model(const struct nlattr *nest, const int *pol, int max,
			uint64_t *v, uint64_t *have)
{
	const struct nlattr *tb[TCPTUNE_SOCK_A_MAX + 1];	/* >= any model's max */
	int t;

	_Static_assert((int)TCPTUNE_RENO_A_MAX <= (int)TCPTUNE_SOCK_A_MAX &&
		       (int)TCPTUNE_BBR_A_MAX <= (int)TCPTUNE_SOCK_A_MAX, "tb too small");
	tt_attr_parse_nested(nest, pol, max, tb);
	for (t = 1; t <= max; t++) {
		if (!tb[t])
			continue;
		v[t] = tt_attr_uint(tb[t]);
		*have |= 1ULL << t;
	}
}

/* One TCPTUNE_A_SOCK nest. */
int tt_sock_from_attr(struct tt_sock *s, const struct nlattr *nest)
{
	const struct nlattr *tb[TCPTUNE_SOCK_A_MAX + 1], *a;
	int t;

	s->ours = true;
	tt_attr_parse_nested(nest, sock_policy, TCPTUNE_SOCK_A_MAX, tb);
	for (t = 1; t <= TCPTUNE_SOCK_A_MAX; t++) {
		a = tb[t];
		if (!a)
			continue;
		switch (t) {
		case TCPTUNE_SOCK_A_SADDR:
		case TCPTUNE_SOCK_A_DADDR:
			memcpy(t == TCPTUNE_SOCK_A_SADDR ? s->saddr : s->daddr,
			       mnl_attr_get_payload(a), mnl_attr_get_payload_len(a));
			break;
		case TCPTUNE_SOCK_A_ALGO:
			snprintf(s->algo, sizeof(s->algo), "%s", mnl_attr_get_str(a));
			break;
		case TCPTUNE_SOCK_A_RENO:
			s->has_reno = true;
			parse_model(a, reno_policy, TCPTUNE_RENO_A_MAX, s->reno, &s->reno_have);
			continue;
		case TCPTUNE_SOCK_A_BBR:
			s->has_bbr = true;
			parse_model(a, bbr_policy, TCPTUNE_BBR_A_MAX, s->bbr, &s->bbr_have);
			continue;
		default:
			s->v[t] = tt_attr_uint(a);
		}
		s->have |= 1ULL << t;
	}
	if (tt_has(s, TCPTUNE_SOCK_A_FAMILY))
		s->family = (uint8_t)s->v[TCPTUNE_SOCK_A_FAMILY];
	tt_sock_derive(s);
	return 0;
}

/*
 * ss's "send": cwnd * mss * 8 / rtt, in bit/s; the rtt is Vegas's own
 * when the kernel's Vegas reports one, as ss takes it.
 */
void tt_sock_derive(struct tt_sock *s)
{
	double rtt = (double)s->v[TCPTUNE_SOCK_A_SRTT];
	uint64_t vr = s->cc[TT_CC_VEGAS_RTT];

	if (s->cc_kind == TT_CC_VEGAS && s->cc[TT_CC_VEGAS_ENABLED] && vr && vr != 0x7fffffff)
		rtt = (double)vr;
	if (!tt_has(s, TCPTUNE_SOCK_A_SRTT) || rtt <= 0 || !s->v[TCPTUNE_SOCK_A_MSS] ||
	    !s->v[TCPTUNE_SOCK_A_CWND])
		return;
	tt_sock_set(s, TT_F_SEND, tt_u64_of((double)s->v[TCPTUNE_SOCK_A_CWND] *
					    (double)s->v[TCPTUNE_SOCK_A_MSS] * 8e6 / rtt));
}

void tt_addr_str(int family, const uint8_t *a, char *buf, size_t len)
{
	char tmp[INET6_ADDRSTRLEN];
	int af = family == AF_INET6 ? AF_INET6 : AF_INET;

	if (len >= sizeof(tmp) && inet_ntop(af, a, buf, (socklen_t)len))
		return;
	if (!inet_ntop(af, a, tmp, sizeof(tmp)))
		snprintf(tmp, sizeof(tmp), "?");
	snprintf(buf, len, "%s", tmp);
}

/* "198.18.1.1:5201" or "[2001:db8::1]:5201", as ss. */
void tt_sock_addr(const struct tt_sock *s, bool local, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN + 32], *p = a;
	unsigned int port = (unsigned int)s->v[local ? TCPTUNE_SOCK_A_SPORT
						      : TCPTUNE_SOCK_A_DPORT];

	if (s->family == AF_INET6)
		*p++ = '[';
	tt_addr_str(s->family, local ? s->saddr : s->daddr, p, INET6_ADDRSTRLEN);
	p += strlen(p);
	if (s->family == AF_INET6)
		*p++ = ']';
	*p++ = ':';
	p = tt_fmt_u64(p, port);
	*p = '\0';
	if ((size_t)(p - a) < len)
		memcpy(buf, a, (size_t)(p - a) + 1);
	else
		snprintf(buf, len, "%s", a);
}

void tt_sock_header(FILE *f)
{
	fprintf(f, "%-10s %-6s %-6s %-44s %-44s %s\n", "State", "Recv-Q", "Send-Q",
		"Local Address:Port", "Peer Address:Port", "Process");
}

#define INFINITE_SSTHRESH 0x7fffffffu
#define TCP_LISTEN_STATE 10	/* include/net/tcp_states.h */
#define UNSET32 0xffffffffu

/*
 * The algorithms' models (reno:(...), bbr:(...)): one table each, read by
 * the text and the JSON renderers alike (and by monitor's events).
 */
enum mfmt {
	M_U64,		/* name:%llu, JSON the integer */
	M_MS,		/* us: text ms as ss, JSON us (the name says) */
	M_RATE,		/* bytes/s: bit/s in both, unknown left out / null */
	M_GAIN,		/* percent: a ratio in both */
	M_GAIN256,	/* << 8 (INET_DIAG_BBRINFO): a ratio in both */
	M_BOOL,		/* JSON true/false */
};

struct model_field {
	int attr;
	const char *ss, *json;
	enum mfmt fmt;
	bool unset32;	/* ~0u is "not set": left out / null */
	bool hide0;	/* text: left out when 0, as ss leaves out a 0 gain */
};

struct model {
	const char *name;		/* reno:(...), JSON object "reno" */
	const struct model_field *f;
	size_t n;
	bool text;			/* false: JSON only (ss prints none of Vegas's) */
	const char *off;		/* shown alone when the algorithm is off */
};

static const struct model_field reno_fields[] = {
	{ TCPTUNE_RENO_A_RECOVER, "recover", "recover", M_U64, false, false },
	{ TCPTUNE_RENO_A_RFC_CWND, "rfc_cwnd", "rfc_cwnd", M_U64, false, false },
	{ TCPTUNE_RENO_A_BYTES_ACKED, "bytes_acked", "bytes_acked", M_U64, false, false },
	{ TCPTUNE_RENO_A_DUP_SEGS, "dup_segs", "dup_segs", M_U64, false, false },
};

/* ss's bbr:(bw:,mrtt:,pacing_gain:,cwnd_gain:), then BBRv3's bounds */
static const struct model_field bbr_fields[] = {
	{ TCPTUNE_BBR_A_BW, "bw", "bw_bps", M_RATE, false, false },
	{ TCPTUNE_BBR_A_MIN_RTT, "mrtt", "mrtt_us", M_MS, false, false },
	{ TCPTUNE_BBR_A_PACING_GAIN, "pacing_gain", "pacing_gain", M_GAIN, false, false },
	{ TCPTUNE_BBR_A_CWND_GAIN, "cwnd_gain", "cwnd_gain", M_GAIN, false, false },
	{ TCPTUNE_BBR_A_INFLIGHT_HI, "inflight_hi", "inflight_hi", M_U64, true, false },
	{ TCPTUNE_BBR_A_INFLIGHT_LO, "inflight_lo", "inflight_lo", M_U64, true, false },
	{ TCPTUNE_BBR_A_BW_LO, "bw_lo", "bw_lo_bps", M_RATE, false, false },
	{ TCPTUNE_BBR_A_ROUND, "round", "round", M_U64, false, false },
};

/* The kernel's algorithms through sock_diag (-a), named as ss names them. */
static const struct model_field kbbr_fields[] = {
	{ TT_CC_BBR_BW, "bw", "bw_bps", M_RATE, false, false },
	{ TT_CC_BBR_MRTT, "mrtt", "mrtt_us", M_MS, false, false },
	{ TT_CC_BBR_PACING_GAIN, "pacing_gain", "pacing_gain", M_GAIN256, false, true },
	{ TT_CC_BBR_CWND_GAIN, "cwnd_gain", "cwnd_gain", M_GAIN256, false, true },
};

static const struct model_field dctcp_fields[] = {
	{ TT_CC_DCTCP_CE_STATE, "ce_state", "ce_state", M_U64, false, false },
	{ TT_CC_DCTCP_ALPHA, "alpha", "alpha", M_U64, false, false },
	{ TT_CC_DCTCP_AB_ECN, "ab_ecn", "ab_ecn", M_U64, false, false },
	{ TT_CC_DCTCP_AB_TOT, "ab_tot", "ab_tot", M_U64, false, false },
};

static const struct model_field vegas_fields[] = {
	{ TT_CC_VEGAS_ENABLED, "enabled", "enabled", M_BOOL, false, false },
	{ TT_CC_VEGAS_RTTCNT, "rttcnt", "rttcnt", M_U64, false, false },
	{ TT_CC_VEGAS_RTT, "rtt", "rtt_us", M_MS, false, false },
	{ TT_CC_VEGAS_MINRTT, "minrtt", "minrtt_us", M_MS, false, false },
};

#define MODEL(name, f, text, off) { name, f, sizeof(f) / sizeof(f[0]), text, off }
enum { MODEL_RENO, MODEL_BBR, MODEL_KBBR, MODEL_DCTCP, MODEL_VEGAS, NMODELS };
static const struct model models[NMODELS] = {
	[MODEL_RENO] = MODEL("reno", reno_fields, true, NULL),
	[MODEL_BBR] = MODEL("bbr", bbr_fields, true, NULL),
	[MODEL_KBBR] = MODEL("bbr", kbbr_fields, true, NULL),
	[MODEL_DCTCP] = MODEL("dctcp", dctcp_fields, true, "fallback_mode"),
	[MODEL_VEGAS] = MODEL("vegas", vegas_fields, false, NULL),
};

/* A socket's model: its table, values, and state ("phase"/"state"). */
struct model_view {
	const struct model *m;
	const uint64_t *v;
	uint64_t have;
	const char *state_key, *state, *phase;	/* state NULL: none */
	bool off;				/* m->off applies */
};

static bool model_view(const struct tt_sock *s, int which, struct model_view *mv)
{
	static const uint8_t kind[NMODELS] = {
		[MODEL_KBBR] = TT_CC_BBR, [MODEL_DCTCP] = TT_CC_DCTCP, [MODEL_VEGAS] = TT_CC_VEGAS,
	};

	memset(mv, 0, sizeof(*mv));
	mv->m = &models[which];
	switch (which) {
	case MODEL_RENO:
		if (!s->has_reno)
			return false;
		mv->v = s->reno;
		mv->have = s->reno_have;
		mv->state_key = "phase";
		if (mv->have & (1ULL << TCPTUNE_RENO_A_PHASE))
			mv->state = tt_reno_phase_name((int)s->reno[TCPTUNE_RENO_A_PHASE]);
		return true;
	case MODEL_BBR:
		if (!s->has_bbr)
			return false;
		mv->v = s->bbr;
		mv->have = s->bbr_have;
		mv->state_key = "state";
		if (mv->have & (1ULL << TCPTUNE_BBR_A_STATE))
			mv->state = tt_bbr_state_name((int)s->bbr[TCPTUNE_BBR_A_STATE], &mv->phase);
		return true;
	}
	/* the kernel's: one of them, and never beside our own bbr model */
	if (s->cc_kind != kind[which] || s->has_bbr || s->has_reno)
		return false;
	mv->v = s->cc;
	mv->have = s->cc_have;
	mv->off = which == MODEL_DCTCP && !s->cc[TT_CC_DCTCP_ENABLED];
	return true;
}

/* The value to show, or false where it is absent or not set. */
static bool model_value(const struct model_view *mv, const struct model_field *mf, uint64_t *v)
{
	if (!(mv->have & (1ULL << mf->attr)))
		return false;
	*v = mv->v[mf->attr];
	if (mf->unset32 && *v == UNSET32)
		return false;
	return mf->fmt != M_RATE || tt_rate_known(*v);
}

void tt_model_write(const struct tt_sock *s, struct tt_out *o)
{
	struct model_view mv;
	char r[32];
	int which;
	size_t i;

	for (which = 0; which < NMODELS; which++) {
		char sep = 0;

		if (!model_view(s, which, &mv) || !mv.m->text)
			continue;
		tt_out_c(o, ' ');
		tt_out_s(o, mv.m->name);
		tt_out_c(o, ':');
		if (mv.off) {
			tt_out_s(o, mv.m->off);
			continue;
		}
		tt_out_c(o, '(');
		if (mv.state) {
			tt_out_s(o, mv.state_key);
			tt_out_c(o, ':');
			tt_out_s(o, mv.state);
			if (mv.phase) {
				tt_out_s(o, ",phase:");
				tt_out_s(o, mv.phase);
			}
			sep = ',';
		}
		for (i = 0; i < mv.m->n; i++) {
			const struct model_field *mf = &mv.m->f[i];
			uint64_t v;

			if (!model_value(&mv, mf, &v) || (mf->hide0 && !v))
				continue;
			if (sep)
				tt_out_c(o, sep);
			tt_out_s(o, mf->ss);
			tt_out_c(o, ':');
			sep = ',';
			switch (mf->fmt) {
			case M_U64:
			case M_BOOL:
				tt_out_u64(o, v);
				break;
			case M_MS:
				tt_out_s(o, tt_fmt_ms(r, sizeof(r), v));
				break;
			case M_RATE:
				tt_out_s(o, tt_fmt_rate(r, sizeof(r), (double)v * 8));
				tt_out_s(o, "bps");
				break;
			case M_GAIN:
				tt_out_fmt(o, "%g", (double)v / 100);
				break;
			case M_GAIN256:
				tt_out_fmt(o, "%g", (double)v / 256);
				break;
			}
		}
		tt_out_c(o, ')');
	}
}

void tt_model_print(const struct tt_sock *s, FILE *f)
{
	struct tt_out o;

	tt_out_init(&o, f);
	tt_model_write(s, &o);
	tt_out_flush(&o);
}

/*
 * Not shown, as ss does not show it: a min RTT of ~0 (no sample yet: the
 * module's tcp_min_rtt()) or 0 (a listener's, from sock_diag), a
 * listener's sacked (the kernel puts its backlog there), ssthresh in slow
 * start.  Null in JSON.
 */
bool tt_sock_unset(const struct tt_sock *s, int attr)
{
	return (attr == TCPTUNE_SOCK_A_MIN_RTT && (s->v[attr] == UNSET32 || !s->v[attr])) ||
	       (attr == TCPTUNE_SOCK_A_SACKED && s->v[TCPTUNE_SOCK_A_STATE] == TCP_LISTEN_STATE) ||
	       (attr == TCPTUNE_SOCK_A_SSTHRESH && s->v[attr] >= INFINITE_SSTHRESH);
}

/* A queue column: "-" when the source did not say. */
static void queue_write(const struct tt_sock *s, int attr, struct tt_out *o)
{
	char buf[24] = "-";

	if (tt_has(s, attr))
		*tt_fmt_u64(buf, s->v[attr]) = '\0';
	tt_out_pad(o, buf, 6);
	tt_out_c(o, ' ');
}

/* users:(("name",pid=N,fd=N),...) as ss -p */
static void owners_write(const struct tt_sock *s, struct tt_out *o)
{
	size_t i;

	if (!s->n_owners)
		return;
	tt_out_s(o, " users:(");
	for (i = 0; i < s->n_owners; i++)
		tt_out_fmt(o, "%s(\"%s\",pid=%d,fd=%d)", i ? "," : "", s->owners[i].name,
			   s->owners[i].pid, s->owners[i].fd);
	tt_out_c(o, ')');
}

/* " name:value" */
static void field_u64(struct tt_out *o, const char *name, uint64_t v)
{
	tt_out_c(o, ' ');
	tt_out_s(o, name);
	tt_out_c(o, ':');
	tt_out_u64(o, v);
}

/*
 * Two lines, as `ss -tie`: the socket with its queues, owners, uid, inode,
 * cookie (and cgroup), then a tab and its TCP state in the words of ss,
 * plus what ss lacks (ca_state, rtos, inflight, the algorithm's model).
 * Zero and unset values are left out, as ss leaves them out.
 */
void tt_sock_write(const struct tt_sock *s, struct tt_out *o)
{
	char a[64], r[32];
	uint64_t busy = tt_has(s, TCPTUNE_SOCK_A_BUSY) ? s->v[TCPTUNE_SOCK_A_BUSY] : 0;
	uint64_t opts = s->v[TCPTUNE_SOCK_A_OPTIONS];
	size_t i;

	tt_out_pad(o, tt_tcp_state_name((int)s->v[TCPTUNE_SOCK_A_STATE]), 10);
	tt_out_c(o, ' ');
	queue_write(s, TCPTUNE_SOCK_A_RECV_Q, o);
	queue_write(s, TCPTUNE_SOCK_A_SEND_Q, o);
	tt_sock_addr(s, true, a, sizeof(a));
	tt_out_pad(o, a, 44);
	tt_out_c(o, ' ');
	tt_sock_addr(s, false, a, sizeof(a));
	tt_out_pad(o, a, 44);
	owners_write(s, o);
	if (s->v[TCPTUNE_SOCK_A_UID])
		field_u64(o, "uid", s->v[TCPTUNE_SOCK_A_UID]);
	if (tt_has(s, TCPTUNE_SOCK_A_INODE))
		field_u64(o, "ino", s->v[TCPTUNE_SOCK_A_INODE]);
	tt_out_s(o, " sk:");
	tt_out_x64(o, s->v[TCPTUNE_SOCK_A_COOKIE]);
	if (s->cgroup) {
		tt_out_s(o, " cgroup:");
		tt_out_s(o, s->cgroup);
	}
	tt_out_s(o, "\n\t");
	for (i = 0; i < sizeof(tcp_opts) / sizeof(tcp_opts[0]); i++)
		if (opts & tcp_opts[i].bit) {
			tt_out_c(o, ' ');
			tt_out_s(o, tcp_opts[i].name);
		}
	tt_out_c(o, ' ');
	tt_out_s(o, s->algo[0] ? s->algo : "-");
	if (opts & TCPI_OPT_WSCALE) {
		field_u64(o, "wscale", s->v[TCPTUNE_SOCK_A_SND_WSCALE]);
		tt_out_c(o, ',');
		tt_out_u64(o, s->v[TCPTUNE_SOCK_A_RCV_WSCALE]);
	}
	if (tt_has(s, TCPTUNE_SOCK_A_CA_STATE)) {
		tt_out_s(o, " ca_state:");
		tt_out_s(o, tt_ca_state_name((int)s->v[TCPTUNE_SOCK_A_CA_STATE]));
	}
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const struct field *fl = &fields[i];
		uint64_t v = s->v[fl->attr];

		if (fl->fmt == F_MODELS) {
			tt_model_write(s, o);
			continue;
		}
		if (!tt_has(s, fl->attr) || (fl->hide >= 0 && v == (uint64_t)fl->hide) ||
		    (fl->fmt == F_RATE && !tt_rate_known(v)) || tt_sock_unset(s, fl->attr))
			continue;
		switch (fl->fmt) {
		case F_U32:
		case F_U64:
			field_u64(o, fl->ss, v);
			break;
		case F_MS:
			tt_out_c(o, ' ');
			tt_out_s(o, fl->ss);
			tt_out_c(o, ':');
			tt_out_s(o, tt_fmt_ms(r, sizeof(r), v));
			break;
		case F_RATE:
		case F_BITRATE:
			tt_out_c(o, ' ');
			tt_out_s(o, fl->ss);
			tt_out_c(o, ' ');
			tt_out_s(o, tt_fmt_rate(r, sizeof(r), fl->fmt == F_RATE ? (double)v * 8
										: (double)v));
			tt_out_s(o, "bps");
			break;
		case F_FLAG:
			if (v) {
				tt_out_c(o, ' ');
				tt_out_s(o, fl->ss);
			}
			break;
		case F_BUSY:
			field_u64(o, fl->ss, v / 1000);
			tt_out_s(o, "ms");
			break;
		case F_LIMITED:
			if (busy) {
				field_u64(o, fl->ss, v / 1000);
				tt_out_fmt(o, "ms(%.1f%%)", 100.0 * (double)v / (double)busy);
			}
			break;
		case F_MODELS:
			break;
		case F_HIDDEN:
			if (fl->attr == TCPTUNE_SOCK_A_SRTT && v) {
				tt_out_s(o, " rtt:");
				tt_out_s(o, tt_fmt_ms(r, sizeof(r), v));
				tt_out_c(o, '/');
				tt_out_s(o, tt_fmt_ms(r, sizeof(r), s->v[TCPTUNE_SOCK_A_RTTVAR]));
			} else if (fl->attr == TCPTUNE_SOCK_A_SSTHRESH && v && v < INFINITE_SSTHRESH) {
				field_u64(o, "ssthresh", v);
			} else if (fl->attr == TCPTUNE_SOCK_A_RETRANS &&
				   (v || s->v[TCPTUNE_SOCK_A_TOTAL_RETRANS])) {
				field_u64(o, "retrans", v);
				tt_out_c(o, '/');
				tt_out_u64(o, s->v[TCPTUNE_SOCK_A_TOTAL_RETRANS]);
			}
			break;
		}
	}
	tt_out_c(o, '\n');
}

void tt_sock_print(const struct tt_sock *s, FILE *f)
{
	struct tt_out o;

	tt_out_init(&o, f);
	tt_sock_write(s, &o);
	tt_out_flush(&o);
}

static void model_jw(const struct tt_sock *s, struct tt_jw *w)
{
	struct model_view mv;
	int which;
	size_t i;

	for (which = 0; which < NMODELS; which++) {
		if (!model_view(s, which, &mv))
			continue;
		tt_jw_obj(w, mv.m->name);
		if (mv.state) {
			tt_jw_str(w, mv.state_key, mv.state);
			if (which == MODEL_BBR) {	/* a phase in ProbeBW, null elsewhere */
				if (mv.phase)
					tt_jw_str(w, "phase", mv.phase);
				else
					tt_jw_null(w, "phase");
			}
		}
		if (mv.m->off)		/* "fallback_mode": true, and nothing else */
			tt_jw_bool(w, mv.m->off, mv.off);
		for (i = 0; i < mv.m->n && !mv.off; i++) {
			const struct model_field *mf = &mv.m->f[i];
			uint64_t v;

			if (!(mv.have & (1ULL << mf->attr)))
				continue;
			if (!model_value(&mv, mf, &v))
				tt_jw_null(w, mf->json);
			else if (mf->fmt == M_RATE)
				tt_jw_u64(w, mf->json, v * 8);
			else if (mf->fmt == M_GAIN || mf->fmt == M_GAIN256)
				tt_jw_double(w, mf->json, (double)v / (mf->fmt == M_GAIN ? 100 : 256));
			else if (mf->fmt == M_BOOL)
				tt_jw_bool(w, mf->json, v != 0);
			else
				tt_jw_u64(w, mf->json, v);
		}
		tt_jw_obj_end(w);
	}
}

void tt_model_json(const struct tt_sock *s, json_object *o)
{
	struct tt_jw w;

	tt_jw_tree(&w, o);
	model_jw(s, &w);
}

void tt_sock_jw(const struct tt_sock *s, struct tt_jw *w)
{
	char buf[INET6_ADDRSTRLEN + 8];
	size_t i;

	tt_jw_obj(w, NULL);
	snprintf(buf, sizeof(buf), "%llx", (unsigned long long)s->v[TCPTUNE_SOCK_A_COOKIE]);
	tt_jw_str(w, "sk", buf);
	tt_jw_u64(w, "cookie", s->v[TCPTUNE_SOCK_A_COOKIE]);
	tt_jw_str(w, "family", s->family == AF_INET6 ? "inet6" : "inet");
	tt_addr_str(s->family, s->saddr, buf, sizeof(buf));
	tt_jw_str(w, "saddr", buf);
	tt_jw_u64(w, "sport", s->v[TCPTUNE_SOCK_A_SPORT]);
	tt_addr_str(s->family, s->daddr, buf, sizeof(buf));
	tt_jw_str(w, "daddr", buf);
	tt_jw_u64(w, "dport", s->v[TCPTUNE_SOCK_A_DPORT]);
	tt_jw_str(w, "state", tt_tcp_state_name((int)s->v[TCPTUNE_SOCK_A_STATE]));
	if (s->algo[0])
		tt_jw_str(w, "algo", s->algo);
	else
		tt_jw_null(w, "algo");
	tt_jw_bool(w, "tcptune", s->ours);
	if (tt_has(s, TCPTUNE_SOCK_A_CA_STATE))
		tt_jw_str(w, "ca_state", tt_ca_state_name((int)s->v[TCPTUNE_SOCK_A_CA_STATE]));
	if (tt_has(s, TCPTUNE_SOCK_A_OPTIONS)) {
		uint64_t opts = s->v[TCPTUNE_SOCK_A_OPTIONS];

		for (i = 0; i < sizeof(tcp_opts) / sizeof(tcp_opts[0]); i++)
			tt_jw_bool(w, tcp_opts[i].name, opts & tcp_opts[i].bit);
		if (opts & TCPI_OPT_WSCALE) {
			tt_jw_obj(w, "wscale");
			tt_jw_u64(w, "snd", s->v[TCPTUNE_SOCK_A_SND_WSCALE]);
			tt_jw_u64(w, "rcv", s->v[TCPTUNE_SOCK_A_RCV_WSCALE]);
			tt_jw_obj_end(w);
		} else {
			tt_jw_null(w, "wscale");
		}
	}
	if (s->owners_asked) {
		tt_jw_arr(w, "users");
		for (i = 0; i < s->n_owners; i++) {
			tt_jw_obj(w, NULL);
			tt_jw_str(w, "name", s->owners[i].name);
			tt_jw_int(w, "pid", s->owners[i].pid);
			tt_jw_int(w, "fd", s->owners[i].fd);
			tt_jw_obj_end(w);
		}
		tt_jw_arr_end(w);
	}
	if (s->cgroup)
		tt_jw_str(w, "cgroup", s->cgroup);
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const struct field *fl = &fields[i];
		uint64_t v = s->v[fl->attr];

		if (fl->fmt == F_MODELS || !tt_has(s, fl->attr))
			continue;
		if (tt_sock_unset(s, fl->attr) || (fl->fmt == F_RATE && !tt_rate_known(v)))
			tt_jw_null(w, fl->json);
		else if (fl->fmt == F_FLAG)
			tt_jw_bool(w, fl->json, v != 0);
		else if (fl->fmt == F_RATE)
			tt_jw_u64(w, fl->json, v * 8);
		else
			tt_jw_u64(w, fl->json, v);
	}
	model_jw(s, w);
	tt_jw_obj_end(w);
}

json_object *tt_sock_json(const struct tt_sock *s)
{
	struct tt_jw w;

	tt_jw_tree(&w, NULL);
	tt_sock_jw(s, &w);
	return w.root;
}

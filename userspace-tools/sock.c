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

#include "tcptune.h"

enum fmt {
	F_U32,		/* name:%u */
	F_U64,		/* name:%llu */
	F_MS,		/* us shown as ms: name:%g (ss) */
	F_RATE,		/* bytes/s shown as "name %sbps" (ss) */
	F_FLAG,		/* name when non-zero */
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
 * Human order follows ss: rto, rtt, mss, cwnd, ssthresh, ...  "rtos" is
 * ss's missing counter: RTOs since the last forward progress
 * (icsk_retransmits, tcpi_retransmits).
 */
static const struct field fields[] = {
	{ TCPTUNE_SOCK_A_RTO, "rto", "rto_us", F_MS, -1 },
	{ TCPTUNE_SOCK_A_RTOS, "rtos", "rtos", F_U32, 0 },
	{ TCPTUNE_SOCK_A_SRTT, "rtt", "srtt_us", F_HIDDEN, -1 },
	{ TCPTUNE_SOCK_A_RTTVAR, "rttvar", "rttvar_us", F_HIDDEN, -1 },
	{ TCPTUNE_SOCK_A_MSS, "mss", "mss", F_U32, -1 },
	{ TCPTUNE_SOCK_A_CWND, "cwnd", "cwnd", F_U32, -1 },
	{ TCPTUNE_SOCK_A_SSTHRESH, "ssthresh", "ssthresh", F_HIDDEN, -1 },
	{ TCPTUNE_SOCK_A_BYTES_ACKED, "bytes_acked", "bytes_acked", F_U64, 0 },
	{ TCPTUNE_SOCK_A_PACING_RATE, "pacing_rate", "pacing_rate_bps", F_RATE, 0 },
	{ TCPTUNE_SOCK_A_DELIVERY_RATE, "delivery_rate", "delivery_rate_bps", F_RATE, 0 },
	{ TCPTUNE_SOCK_A_DELIVERED, "delivered", "delivered", F_U32, 0 },
	{ TCPTUNE_SOCK_A_APP_LIMITED, "app_limited", "app_limited", F_FLAG, -1 },
	{ TCPTUNE_SOCK_A_UNACKED, "unacked", "unacked", F_U32, 0 },
	{ TCPTUNE_SOCK_A_INFLIGHT, "inflight", "inflight", F_U32, 0 },
	{ TCPTUNE_SOCK_A_RETRANS, "retrans", "retrans", F_HIDDEN, -1 },
	{ TCPTUNE_SOCK_A_TOTAL_RETRANS, "total_retrans", "total_retrans", F_HIDDEN, -1 },
	{ TCPTUNE_SOCK_A_LOST, "lost", "lost", F_U32, 0 },
	{ TCPTUNE_SOCK_A_SACKED, "sacked", "sacked", F_U32, 0 },
	{ TCPTUNE_SOCK_A_DSACK_DUPS, "dsack_dups", "dsack_dups", F_U32, 0 },
	{ TCPTUNE_SOCK_A_REORDERING, "reordering", "reordering", F_U32, 3 },
	{ TCPTUNE_SOCK_A_MIN_RTT, "minrtt", "minrtt_us", F_MS, -1 },
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
	return 0;
}

void tt_addr_str(int family, const uint8_t *a, char *buf, size_t len)
{
	char tmp[INET6_ADDRSTRLEN];

	if (!inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, a, tmp, sizeof(tmp)))
		snprintf(tmp, sizeof(tmp), "?");
	snprintf(buf, len, "%s", tmp);
}

/* "198.18.1.1:5201" or "[2001:db8::1]:5201", as ss. */
void tt_sock_addr(const struct tt_sock *s, bool local, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	unsigned int port = (unsigned int)s->v[local ? TCPTUNE_SOCK_A_SPORT
						      : TCPTUNE_SOCK_A_DPORT];

	tt_addr_str(s->family, local ? s->saddr : s->daddr, a, sizeof(a));
	if (s->family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", a, port);
	else
		snprintf(buf, len, "%s:%u", a, port);
}


void tt_sock_header(FILE *f)
{
	fprintf(f, "%-10s %-44s %-44s %s\n", "State", "Local Address:Port",
		"Peer Address:Port", "Cookie");
}

#define INFINITE_SSTHRESH 0x7fffffffu
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
};

struct model_field {
	int attr;
	const char *ss, *json;
	enum mfmt fmt;
	bool unset32;	/* ~0u is "not set": left out / null */
};

struct model {
	const char *name;		/* reno:(...), JSON object "reno" */
	const struct model_field *f;
	size_t n;
};

static const struct model_field reno_fields[] = {
	{ TCPTUNE_RENO_A_RECOVER, "recover", "recover", M_U64, false },
	{ TCPTUNE_RENO_A_RFC_CWND, "rfc_cwnd", "rfc_cwnd", M_U64, false },
	{ TCPTUNE_RENO_A_BYTES_ACKED, "bytes_acked", "bytes_acked", M_U64, false },
	{ TCPTUNE_RENO_A_DUP_SEGS, "dup_segs", "dup_segs", M_U64, false },
};

/* ss's bbr:(bw:,mrtt:,pacing_gain:,cwnd_gain:), then BBRv3's bounds */
static const struct model_field bbr_fields[] = {
	{ TCPTUNE_BBR_A_BW, "bw", "bw_bps", M_RATE, false },
	{ TCPTUNE_BBR_A_MIN_RTT, "mrtt", "mrtt_us", M_MS, false },
	{ TCPTUNE_BBR_A_PACING_GAIN, "pacing_gain", "pacing_gain", M_GAIN, false },
	{ TCPTUNE_BBR_A_CWND_GAIN, "cwnd_gain", "cwnd_gain", M_GAIN, false },
	{ TCPTUNE_BBR_A_INFLIGHT_HI, "inflight_hi", "inflight_hi", M_U64, true },
	{ TCPTUNE_BBR_A_INFLIGHT_LO, "inflight_lo", "inflight_lo", M_U64, true },
	{ TCPTUNE_BBR_A_BW_LO, "bw_lo", "bw_lo_bps", M_RATE, false },
	{ TCPTUNE_BBR_A_ROUND, "round", "round", M_U64, false },
};

static const struct model models[] = {
	{ "reno", reno_fields, sizeof(reno_fields) / sizeof(reno_fields[0]) },
	{ "bbr", bbr_fields, sizeof(bbr_fields) / sizeof(bbr_fields[0]) },
};

/* A socket's model: its table, values, and state ("phase"/"state"). */
struct model_view {
	const struct model *m;
	const uint64_t *v;
	uint64_t have;
	const char *state_key, *state, *phase;	/* state NULL: none */
};

static bool model_view(const struct tt_sock *s, int which, struct model_view *mv)
{
	memset(mv, 0, sizeof(*mv));
	mv->m = &models[which];
	if (which == 0) {
		if (!s->has_reno)
			return false;
		mv->v = s->reno;
		mv->have = s->reno_have;
		mv->state_key = "phase";
		if (mv->have & (1ULL << TCPTUNE_RENO_A_PHASE))
			mv->state = tt_reno_phase_name((int)s->reno[TCPTUNE_RENO_A_PHASE]);
		return true;
	}
	if (!s->has_bbr)
		return false;
	mv->v = s->bbr;
	mv->have = s->bbr_have;
	mv->state_key = "state";
	if (mv->have & (1ULL << TCPTUNE_BBR_A_STATE))
		mv->state = tt_bbr_state_name((int)s->bbr[TCPTUNE_BBR_A_STATE], &mv->phase);
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

void tt_model_print(const struct tt_sock *s, FILE *f)
{
	struct model_view mv;
	char r[32];
	int which;
	size_t i;

	for (which = 0; which < 2; which++) {
		const char *sep = "";

		if (!model_view(s, which, &mv))
			continue;
		fprintf(f, " %s:(", mv.m->name);
		if (mv.state) {
			fprintf(f, "%s:%s", mv.state_key, mv.state);
			if (mv.phase)
				fprintf(f, ",phase:%s", mv.phase);
			sep = ",";
		}
		for (i = 0; i < mv.m->n; i++) {
			const struct model_field *mf = &mv.m->f[i];
			uint64_t v;

			if (!model_value(&mv, mf, &v))
				continue;
			fprintf(f, "%s%s:", sep, mf->ss);
			sep = ",";
			switch (mf->fmt) {
			case M_U64:
				fprintf(f, "%llu", (unsigned long long)v);
				break;
			case M_MS:
				fputs(tt_fmt_ms(r, sizeof(r), v), f);
				break;
			case M_RATE:
				fprintf(f, "%sbps", tt_fmt_rate(r, sizeof(r), (double)v * 8));
				break;
			case M_GAIN:
				fprintf(f, "%g", (double)v / 100);
				break;
			}
		}
		fputc(')', f);
	}
}

/*
 * Two lines, as `ss -tie`: the socket, then a tab and its TCP state in the
 * words of ss, plus what ss lacks (ca_state, the algorithm's model).
 */
void tt_sock_print(const struct tt_sock *s, FILE *f)
{
	char l[64], p[64], r[32], r2[32];
	size_t i;

	tt_sock_addr(s, true, l, sizeof(l));
	tt_sock_addr(s, false, p, sizeof(p));
	fprintf(f, "%-10s %-44s %-44s sk:%llx\n",
		tt_tcp_state_name((int)s->v[TCPTUNE_SOCK_A_STATE]), l, p,
		(unsigned long long)s->v[TCPTUNE_SOCK_A_COOKIE]);
	fprintf(f, "\t %s", s->algo[0] ? s->algo : "-");
	if (tt_has(s, TCPTUNE_SOCK_A_CA_STATE))
		fprintf(f, " ca_state:%s", tt_ca_state_name((int)s->v[TCPTUNE_SOCK_A_CA_STATE]));
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const struct field *fl = &fields[i];
		uint64_t v = s->v[fl->attr];

		if (!tt_has(s, fl->attr) || (fl->hide >= 0 && v == (uint64_t)fl->hide) ||
		    (fl->fmt == F_RATE && !tt_rate_known(v)))
			continue;
		switch (fl->fmt) {
		case F_U32:
		case F_U64:
			fprintf(f, " %s:%llu", fl->ss, (unsigned long long)v);
			break;
		case F_MS:
			fprintf(f, " %s:%s", fl->ss, tt_fmt_ms(r, sizeof(r), v));
			break;
		case F_RATE:
			fprintf(f, " %s %sbps", fl->ss, tt_fmt_rate(r, sizeof(r), (double)v * 8));
			break;
		case F_FLAG:
			if (v)
				fprintf(f, " %s", fl->ss);
			break;
		case F_HIDDEN:
			if (fl->attr == TCPTUNE_SOCK_A_SRTT)
				fprintf(f, " rtt:%s/%s", tt_fmt_ms(r, sizeof(r), v),
					tt_fmt_ms(r2, sizeof(r2), s->v[TCPTUNE_SOCK_A_RTTVAR]));
			else if (fl->attr == TCPTUNE_SOCK_A_SSTHRESH && v < INFINITE_SSTHRESH)
				fprintf(f, " ssthresh:%llu", (unsigned long long)v);
			else if (fl->attr == TCPTUNE_SOCK_A_RETRANS &&
				 (v || s->v[TCPTUNE_SOCK_A_TOTAL_RETRANS]))
				fprintf(f, " retrans:%llu/%llu", (unsigned long long)v,
					(unsigned long long)s->v[TCPTUNE_SOCK_A_TOTAL_RETRANS]);
			break;
		}
	}
	tt_model_print(s, f);
	fputc('\n', f);
}

static json_object *ju64(uint64_t v)
{
	return json_object_new_uint64(v);
}

/* Keys here are string constants, each added once: no copy, no lookup. */
static void jadd(json_object *o, const char *key, json_object *v)
{
	json_object_object_add_ex(o, key, v, JSON_C_OBJECT_ADD_KEY_IS_NEW |
				  JSON_C_OBJECT_KEY_IS_CONSTANT);
}

void tt_model_json(const struct tt_sock *s, json_object *o)
{
	struct model_view mv;
	json_object *m;
	int which;
	size_t i;

	for (which = 0; which < 2; which++) {
		if (!model_view(s, which, &mv))
			continue;
		m = json_object_new_object();
		if (mv.state) {
			jadd(m, mv.state_key, json_object_new_string(mv.state));
			if (which)	/* bbr: a phase in ProbeBW, null elsewhere */
				jadd(m, "phase", mv.phase ? json_object_new_string(mv.phase) : NULL);
		}
		for (i = 0; i < mv.m->n; i++) {
			const struct model_field *mf = &mv.m->f[i];
			uint64_t v;

			if (!(mv.have & (1ULL << mf->attr)))
				continue;
			if (!model_value(&mv, mf, &v))
				jadd(m, mf->json, NULL);
			else if (mf->fmt == M_RATE)
				jadd(m, mf->json, ju64(v * 8));
			else if (mf->fmt == M_GAIN)
				jadd(m, mf->json, json_object_new_double((double)v / 100));
			else
				jadd(m, mf->json, ju64(v));
		}
		jadd(o, mv.m->name, m);
	}
}

json_object *tt_sock_json(const struct tt_sock *s)
{
	json_object *o = json_object_new_object();
	char buf[INET6_ADDRSTRLEN + 8];
	size_t i;

	snprintf(buf, sizeof(buf), "%llx", (unsigned long long)s->v[TCPTUNE_SOCK_A_COOKIE]);
	jadd(o, "sk", json_object_new_string(buf));
	jadd(o, "cookie", ju64(s->v[TCPTUNE_SOCK_A_COOKIE]));
	jadd(o, "family",
	     json_object_new_string(s->family == AF_INET6 ? "inet6" : "inet"));
	tt_addr_str(s->family, s->saddr, buf, sizeof(buf));
	jadd(o, "saddr", json_object_new_string(buf));
	jadd(o, "sport", ju64(s->v[TCPTUNE_SOCK_A_SPORT]));
	tt_addr_str(s->family, s->daddr, buf, sizeof(buf));
	jadd(o, "daddr", json_object_new_string(buf));
	jadd(o, "dport", ju64(s->v[TCPTUNE_SOCK_A_DPORT]));
	jadd(o, "state",
	     json_object_new_string(tt_tcp_state_name((int)s->v[TCPTUNE_SOCK_A_STATE])));
	jadd(o, "algo", s->algo[0] ? json_object_new_string(s->algo) : NULL);
	jadd(o, "tcptune", json_object_new_boolean(s->ours));
	if (tt_has(s, TCPTUNE_SOCK_A_CA_STATE))
		jadd(o, "ca_state",
		     json_object_new_string(tt_ca_state_name((int)s->v[TCPTUNE_SOCK_A_CA_STATE])));
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const struct field *fl = &fields[i];
		uint64_t v = s->v[fl->attr];

		if (!tt_has(s, fl->attr))
			continue;
		if (fl->fmt == F_FLAG)
			jadd(o, fl->json, json_object_new_boolean(v != 0));
		else if (fl->fmt == F_RATE)
			jadd(o, fl->json, tt_rate_known(v) ? ju64(v * 8) : NULL);
		else if (fl->attr == TCPTUNE_SOCK_A_SSTHRESH && v >= INFINITE_SSTHRESH)
			jadd(o, fl->json, NULL);
		else
			jadd(o, fl->json, ju64(v));
	}
	tt_model_json(s, o);
	return o;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * --sort FIELD and --top N, for sockets and watch: the fields by their JSON
 * names (ss's where they differ as aliases), largest first (ports:
 * ascending), sockets without the value last, ties by cookie.
 */
#include <stdlib.h>
#include <string.h>

#include "tcptune.h"

/* The fields --sort takes: their JSON names, and ss's where they differ. */
struct tt_sort_field {
	const char *name, *alias;
	int attr;
	bool asc;		/* ports: ascending; the rest largest first */
};

static const struct tt_sort_field sort_fields[] = {
	{ "cwnd", NULL, TCPTUNE_SOCK_A_CWND, false },
	{ "ssthresh", NULL, TCPTUNE_SOCK_A_SSTHRESH, false },
	{ "srtt_us", "rtt", TCPTUNE_SOCK_A_SRTT, false },
	{ "rttvar_us", NULL, TCPTUNE_SOCK_A_RTTVAR, false },
	{ "minrtt_us", "minrtt", TCPTUNE_SOCK_A_MIN_RTT, false },
	{ "rto_us", "rto", TCPTUNE_SOCK_A_RTO, false },
	{ "mss", NULL, TCPTUNE_SOCK_A_MSS, false },
	{ "retrans", NULL, TCPTUNE_SOCK_A_RETRANS, false },
	{ "total_retrans", NULL, TCPTUNE_SOCK_A_TOTAL_RETRANS, false },
	{ "lost", NULL, TCPTUNE_SOCK_A_LOST, false },
	{ "sacked", NULL, TCPTUNE_SOCK_A_SACKED, false },
	{ "unacked", NULL, TCPTUNE_SOCK_A_UNACKED, false },
	{ "inflight", NULL, TCPTUNE_SOCK_A_INFLIGHT, false },
	{ "delivered", NULL, TCPTUNE_SOCK_A_DELIVERED, false },
	{ "bytes_acked", NULL, TCPTUNE_SOCK_A_BYTES_ACKED, false },
	{ "delivery_rate_bps", "delivery_rate", TCPTUNE_SOCK_A_DELIVERY_RATE, false },
	{ "pacing_rate_bps", "pacing_rate", TCPTUNE_SOCK_A_PACING_RATE, false },
	{ "rtos", NULL, TCPTUNE_SOCK_A_RTOS, false },
	{ "recv_q", NULL, TCPTUNE_SOCK_A_RECV_Q, false },
	{ "send_q", NULL, TCPTUNE_SOCK_A_SEND_Q, false },
	{ "bytes_sent", NULL, TCPTUNE_SOCK_A_BYTES_SENT, false },
	{ "bytes_retrans", NULL, TCPTUNE_SOCK_A_BYTES_RETRANS, false },
	{ "notsent", NULL, TCPTUNE_SOCK_A_NOTSENT, false },
	{ "snd_wnd", NULL, TCPTUNE_SOCK_A_SND_WND, false },
	{ "send_bps", "send", TT_F_SEND, false },
	/* watch's per-interval figures (none in a single dump: sorted last) */
	{ "goodput_bps", "goodput", TT_F_GOODPUT, false },
	{ "retrans_delta", NULL, TT_F_RETRANS_DELTA, false },
	{ "bytes_retrans_delta", NULL, TT_F_BYTES_RETRANS_DELTA, false },
	{ "sport", NULL, TCPTUNE_SOCK_A_SPORT, true },
	{ "dport", NULL, TCPTUNE_SOCK_A_DPORT, true },
};
#define NSORT (sizeof(sort_fields) / sizeof(sort_fields[0]))

static const struct tt_sort_field *sort_by;	/* for the comparator */

/* A value the socket has (an unset rate, min RTT or ssthresh is none, as
 * null in JSON): sorted after the others. */
static bool sort_value(const struct tt_sock *s, uint64_t *v)
{
	int a = sort_by->attr;

	if (!tt_has(s, a) || tt_sock_unset(s, a))
		return false;
	*v = s->v[a];
	if ((a == TCPTUNE_SOCK_A_PACING_RATE || a == TCPTUNE_SOCK_A_DELIVERY_RATE) &&
	    !tt_rate_known(*v))
		return false;
	return true;
}

static int sock_cmp(const void *pa, const void *pb)
{
	const struct tt_sock *a = pa, *b = pb;
	uint64_t x = 0, y = 0;
	bool hx = sort_value(a, &x), hy = sort_value(b, &y);

	if (hx != hy)
		return hx ? -1 : 1;
	if (x != y)
		return (x < y) == sort_by->asc ? -1 : 1;
	/* ties in the order of the dump (cookies are unique) */
	return a->v[TCPTUNE_SOCK_A_COOKIE] < b->v[TCPTUNE_SOCK_A_COOKIE] ? -1 :
	       a->v[TCPTUNE_SOCK_A_COOKIE] > b->v[TCPTUNE_SOCK_A_COOKIE];
}

const struct tt_sort_field *tt_sort_find(const char *cmd, const char *name)
{
	const char *names[2 * NSORT];
	size_t i, n = 0;

	for (i = 0; i < NSORT; i++) {
		if (!strcmp(name, sort_fields[i].name) ||
		    (sort_fields[i].alias && !strcmp(name, sort_fields[i].alias)))
			return &sort_fields[i];
		names[n++] = sort_fields[i].name;
	}
	tt_err("%s: --sort: unknown field \"%s\"; one of: cwnd, ssthresh, srtt_us (rtt), "
	       "rttvar_us, minrtt_us (minrtt), rto_us (rto), mss, retrans, total_retrans, lost, "
	       "sacked, unacked, inflight, delivered, bytes_acked, delivery_rate_bps "
	       "(delivery_rate), pacing_rate_bps (pacing_rate), rtos, recv_q, send_q, bytes_sent, "
	       "bytes_retrans, notsent, snd_wnd, send_bps (send), goodput_bps (goodput), "
	       "retrans_delta, bytes_retrans_delta, sport, dport", cmd, name);
	tt_suggest_print(name, names, n);
	return NULL;
}

int tt_parse_top(const char *cmd, const char *arg, long *top)
{
	uint32_t u;

	if (tt_parse_u32(arg, &u) || !u) {
		tt_err("%s: --top: \"%s\" is not a positive number of sockets", cmd, arg);
		return -1;
	}
	*top = u;
	return 0;
}

void tt_sort_apply(struct tt_socklist *l, const struct tt_sort_field *by, long top)
{
	if (by && l->n > 1) {
		sort_by = by;
		qsort(l->v, l->n, sizeof(l->v[0]), sock_cmp);
	}
	if (top >= 0 && l->n > (size_t)top)
		l->n = (size_t)top;
}

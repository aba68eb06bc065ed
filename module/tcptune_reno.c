// SPDX-License-Identifier: GPL-2.0
/*
 * tcptune_reno (RFC 5681) and tcptune_newreno (RFC 6582).
 *
 * Both algorithms implement cong_control, so every cwnd decision is theirs:
 * the stack applies no PRR, no end-of-recovery reset, no slow start after
 * idle and no pacing-rate update for them.  The stack still decides *when*
 * a loss is detected (three duplicate ACKs or SACK/RACK, the RTO), marks
 * segments lost and chooses *which* segment to send next; it calls
 * ssthresh() when it enters Recovery, Loss or CWR.
 *
 * Window growth (both algorithms, on an ACK that acknowledges new data,
 * when cwnd limits the sender - RFC 7661 section 4.1):
 *
 *   slow start      cwnd < ssthresh   cwnd += min(N, L * SMSS)  RFC 3465 2.2
 *                                      L = 2, and L = 1 after an RTO (2.3)
 *   cong. avoidance cwnd >= ssthresh  +1 SMSS per cwnd bytes   RFC 3465 2.1,
 *                                                               RFC 5681 3.1
 *   restart         idle > RTO        cwnd = min(IW, cwnd)     RFC 5681 4.1
 *
 * Loss and congestion signals:
 *
 *   third dup ACK   ssthresh = max(FlightSize / 2, 2)         RFC 5681 (4)
 *                   FlightSize leaves out limited-transmit data (RFC 3042),
 *                   i.e. what was sent after the first duplicate ACK.
 *   RTO             ssthresh as above with FlightSize = packets_out (the
 *                   stack has marked everything lost before it asks);
 *                   cwnd = LW = 1 (the stack sets in-flight + 1 = 1).
 *   ECN echo / CWR  ssthresh as above, cwnd = ssthresh, once per window,
 *                   nothing retransmitted                      RFC 3168 6.1.2
 *
 * Fast recovery in Linux's accounting.  RFC 5681 inflates cwnd by one SMSS
 * per duplicate ACK so that FlightSize < cwnd lets a new segment out for each
 * segment that left the network.  Linux sends while pipe < cwnd, and pipe
 * already leaves out every duplicate-ACKed or SACKed segment (RFC 6675's
 * view): the inflation is implicit.  With cwnd_rfc = ssthresh + #dupacks and
 * pipe = FlightSize - #dupacks (one hole, retransmitted), the two sending
 * rules are the same when Linux's cwnd is ssthresh.  Likewise RFC 6582's
 * partial-ACK step (deflate by the newly acknowledged amount, add one SMSS
 * back) leaves cwnd_rfc - #dupacks unchanged, because the partial ACK takes
 * the same segments off Linux's duplicate-ACK count.  So, in Linux terms:
 *
 *   entering recovery  cwnd = max(ssthresh, pipe + 1): the RFCs send the
 *                      fast retransmission whatever cwnd says, and Linux
 *                      counts it in pipe (the RFC's FlightSize does not)
 *   duplicate ACK      cwnd = ssthresh (the RFC's inflation is in pipe)
 *   NewReno, partial   cwnd = max(ssthresh, pipe + 1): the first unacked
 *     ACK              segment goes out at once (RFC 6582 3.2 step 5)
 *   NewReno, full ACK  cwnd = min(ssthresh, max(FlightSize, 1) + 1), the
 *                      first of RFC 6582's two exit options: it bounds the
 *                      burst when little is in flight at the end of
 *                      recovery, which matters because these algorithms do
 *                      not force pacing on.
 *   Reno, first ACK    cwnd_rfc = ssthresh and Reno has left fast recovery
 *     of new data      (RFC 5681 3.2 step 6).  The stack itself stays in
 *                      Recovery until recover (high_seq) is acknowledged,
 *                      so Linux's cwnd is then derived from Reno's window:
 *                      cwnd = cwnd_rfc - (packets_out - pipe), at least 1,
 *                      which keeps the stack from retransmitting the next
 *                      hole before Reno would (three more duplicate ACKs).
 *                      After those, Reno runs fast retransmit again and
 *                      halves ssthresh a second time: the multiple-loss
 *                      behaviour that NewReno was designed to avoid.  The
 *                      stack's pipe still leaves out the duplicate ACKs of
 *                      the first recovery, so this second one maps its
 *                      window explicitly: cwnd_rfc = ssthresh + #dup ACKs,
 *                      cwnd = cwnd_rfc - (packets_out - pipe).
 *
 * Without SACK the stack holds Recovery until an ACK goes beyond recover
 * (RFC 6582 section 4.1, no false fast retransmit); both algorithms treat
 * the full ACK as the end of fast recovery and derive Linux's cwnd from
 * their own window until the stack reopens.
 *
 * Known departures, all forced by Linux:
 *  - cwnd cannot be 0: where every outstanding segment is SACKed or lost
 *    and Reno would wait for the RTO, Linux may send one segment (the hole).
 *  - After Reno's partial ACK, *which* segment goes out when cwnd permits is
 *    the stack's choice (it retransmits the hole first); how many is Reno's.
 *  - Undo after a spurious retransmission (DSACK, timestamps, F-RTO) is the
 *    stack's: undo_cwnd() returns the window before the reduction.
 *
 * Pacing: the stack leaves sk_pacing_rate to cong_control algorithms; it
 * feeds fq and TSO autosizing.  We set it as the stack would for Reno
 * (tcp_pacing_ss_ratio / tcp_pacing_ca_ratio of cwnd * mss / srtt) and do not
 * turn on internal pacing, so that we compare with the kernel's reno.
 */
#include <linux/module.h>
#include <linux/math64.h>
#include <net/tcp.h>

#include "tcptune.h"
#include "knobs.h"
#include "reno_math.h"

/*
 * RFC 5681 section 3.2: fast retransmit on the third duplicate ACK (for
 * Reno's own second fast retransmit; the stack detects the first one).
 */
#define TCPTUNE_DUPTHRESH	3
/* RFC 3465 section 2.3: L = 1 SMSS in slow start after an RTO. */
#define TCPTUNE_ABC_L_RTO_SEGS	1

/* Per-socket state, in icsk_ca_priv. */
struct tcptune_reno {
	struct tcptune_sk common;	/* ready, counted (tcptune.h) */
	u32 prior_snd_una;	/* snd_una after the previous ACK */
	u32 lt_snd_nxt;		/* snd_nxt at the first dup ACK of a run */
	u32 ss_bytes;		/* RFC 3465 slow-start bytes below one SMSS */
	u64 ca_bytes;		/* RFC 3465 congestion-avoidance bytes_acked */
	u32 rfc_cwnd;		/* TCPTUNE_RENO_AFTER_RECOVERY: the RFC's cwnd */
	u32 dup_segs;		/* dup-ACKed/SACKed segments since last new ACK */
	u32 iw;			/* initial window: RFC 5681 4.1 restart window */
	/* The LIVE knobs read per ACK, copied at tcptune_knob_gen knob_gen. */
	u32 knob_gen;
	u32 cwnd_clamp;		/* knob cwnd_clamp */
	u16 pacing_ratio[2];	/* knobs pacing_ss_ratio, pacing_ca_ratio */
	u8 abc_l;		/* knob abc_l */
	u8 phase;		/* enum tcptune_reno_phase (uapi) */
	u8 knob_base;		/* first knob id of this algorithm */
	u8 force_rexmit:1,	/* let one retransmission out on this ACK */
	   after_rto:1,		/* slow start after an RTO: L = 1 SMSS */
	   reno_refr:1;		/* Reno's own fast retransmit, stack in Recovery */
};

static inline bool tcptune_is_newreno(const struct sock *sk)
{
	return inet_csk(sk)->icsk_ca_ops == &tcptune_newreno_ops;
}

/*
 * This socket's value of one of its algorithm's knobs (after init), from
 * k = tcptune_sk_knobs(sk), its namespace's knobs, looked up once per hook
 * call: the private area keeps no pointer (tcptune.h).  The per-ACK path
 * reads the copies of tcptune_reno_copy_knobs() instead.
 */
static inline u32 reno_knob(const struct tcptune_knobs *k, const struct tcptune_reno *ca,
			    enum tcptune_reno_knob id)
{
	return tcptune_knob(k, ca->knob_base + id);
}

/*
 * The LIVE knobs of the per-ACK path, copied into the private area with
 * the knob generation gen they were read at (knobs.h): the copy is
 * refreshed on the first ACK after any knob write, so existing connections
 * still follow a change, and an ACK reads no knob table.  Values, never a
 * pointer (tcptune.h).
 */
static void tcptune_reno_copy_knobs(struct sock *sk, const struct tcptune_knobs *k,
				    unsigned int gen)
{
	struct tcptune_reno *ca = inet_csk_ca(sk);

	ca->cwnd_clamp = reno_knob(k, ca, RENO_KNOB_cwnd_clamp);
	ca->pacing_ratio[0] = reno_knob(k, ca, RENO_KNOB_pacing_ss_ratio);
	ca->pacing_ratio[1] = reno_knob(k, ca, RENO_KNOB_pacing_ca_ratio);
	ca->abc_l = reno_knob(k, ca, RENO_KNOB_abc_l);
	ca->knob_gen = gen;
}

/* Before the copies are used: one load and compare when nothing changed. */
static inline void tcptune_reno_knobs_fresh(struct sock *sk)
{
	const struct tcptune_reno *ca = inet_csk_ca(sk);
	unsigned int gen = READ_ONCE(tcptune_knob_gen);

	if (unlikely(tcptune_knob_gen_changed(gen, ca->knob_gen)))
		tcptune_reno_copy_knobs(sk, tcptune_sk_knobs(sk), gen);
}

/*
 * tcp_init_transfer() sets the loss window (cwnd 1) when the SYN or SYN-ACK
 * was retransmitted more than once (RFC 5681 3.1, RFC 6298 5.7; one
 * retransmission is forgiven for the 1 s initial RTO), the same test in
 * 6.1, 6.12 and 7.x; init() runs right after it.
 */
static bool tcptune_syn_lost_window(const struct tcp_sock *tp)
{
	return tp->total_retrans > 1 && tp->undo_marker;
}

static void tcptune_reno_init(struct sock *sk)
{
	const struct tcptune_knobs *k = tcptune_sk_knobs(sk);
	struct tcptune_reno *ca = inet_csk_ca(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	const struct dst_entry *dst = __sk_dst_get(sk);
	u32 iw = dst ? dst_metric(dst, RTAX_INITCWND) : 0;
	bool fresh = !tp->data_segs_out && !tp->packets_out;
	u32 init_ssthresh;

	BUILD_BUG_ON(sizeof(struct tcptune_reno) > ICSK_CA_PRIV_SIZE);
	BUILD_BUG_ON(offsetof(struct tcptune_reno, common));

	/* Everything but the common head, which the stack zeroed for us. */
	memset((char *)ca + sizeof(ca->common), 0, sizeof(*ca) - sizeof(ca->common));
	tcptune_sk_init(sk);
	ca->knob_base = tcptune_is_newreno(sk) ? TCPTUNE_KNOB_NEWRENO_iw :
						 TCPTUNE_KNOB_RENO_iw;
	ca->prior_snd_una = tp->snd_una;
	ca->lt_snd_nxt = tp->snd_nxt;
	ca->phase = TCPTUNE_RENO_OPEN;
	tcptune_reno_copy_knobs(sk, k, tcptune_knob_gen_acquire());

	/* Knobs read once (each a single read), when the connection starts. */
	iw = reno_knob(k, ca, RENO_KNOB_iw) ?: iw ?: TCP_INIT_CWND;
	ca->iw = min_t(u32, iw, tp->snd_cwnd_clamp);
	init_ssthresh = reno_knob(k, ca, RENO_KNOB_init_ssthresh);
	if (fresh) {
		/*
		 * RFC 5681 3.1 / RFC 6298 5.7: after a lost SYN or SYN-ACK
		 * the stack has set the loss window (cwnd 1) just before
		 * calling us; keep it.  Otherwise start from IW.
		 */
		if (!tcptune_syn_lost_window(tp))
			tcp_snd_cwnd_set(tp, ca->iw);
		if (init_ssthresh)
			tp->snd_ssthresh = init_ssthresh;
	}
	if (reno_knob(k, ca, RENO_KNOB_pacing))
		cmpxchg(&sk->sk_pacing_status, SK_PACING_NONE, SK_PACING_NEEDED);
}

/* After tcptune_reno_knobs_fresh(). */
static void tcptune_set_cwnd(const struct tcptune_reno *ca, struct tcp_sock *tp, u32 cwnd)
{
	u32 clamp = ca->cwnd_clamp ?: tp->snd_cwnd_clamp;

	tcp_snd_cwnd_set(tp, clamp_t(u32, cwnd, 1, min(clamp, tp->snd_cwnd_clamp)));
}

/*
 * FlightSize in segments for RFC 5681 equation (4): the data outstanding
 * before the current run of duplicate ACKs began, so that segments sent by
 * limited transmit (RFC 3042) stay out of it.
 */
static u32 tcptune_flight_size(const struct sock *sk)
{
	const struct tcptune_reno *ca = inet_csk_ca(sk);
	const struct tcp_sock *tp = tcp_sk(sk);
	u32 flight = tp->packets_out;

	if (ca->dup_segs && after(tp->snd_nxt, ca->lt_snd_nxt) && tp->mss_cache) {
		u32 lt = DIV_ROUND_UP(tp->snd_nxt - ca->lt_snd_nxt, tp->mss_cache);

		flight -= min(flight, lt);
	}
	return flight;
}

/* Entering Recovery, Loss or CWR: RFC 5681 equation (4). */
static u32 tcptune_reno_ssthresh(struct sock *sk)
{
	const struct tcptune_knobs *k = tcptune_sk_knobs(sk);
	const struct tcptune_reno *ca = inet_csk_ca(sk);
	u32 beta = ca->common.ready ? reno_knob(k, ca, RENO_KNOB_beta) : 50;

	return tcptune_rfc5681_ssthresh(tcptune_flight_size(sk), beta);
}

/*
 * Grow an RFC window on an ACK of new data (slow start or CA).  Inline in
 * each caller: out of line, its call and return were the largest single
 * cost of the per-ACK path (P8, scripts/bench-ackcost.sh).
 */
static __always_inline u32 tcptune_grow(struct tcptune_reno *ca, const struct tcp_sock *tp,
					u32 cwnd, u32 acked_bytes)
{
	u32 mss = tp->mss_cache ?: 1;

	if (cwnd < tp->snd_ssthresh) {
		u32 l = ca->after_rto ? TCPTUNE_ABC_L_RTO_SEGS : ca->abc_l;

		cwnd = tcptune_abc_slow_start(cwnd, tp->snd_ssthresh, &ca->ss_bytes,
					      acked_bytes, mss, l);
		if (cwnd >= tp->snd_ssthresh)
			ca->after_rto = 0;
		return cwnd;
	}
	ca->after_rto = 0;
	return tcptune_abc_cong_avoid(cwnd, &ca->ca_bytes, acked_bytes, mss);
}

/* Fast retransmit: the stack entered Recovery, or Reno runs it again. */
static void tcptune_enter_fast_recovery(struct tcptune_reno *ca)
{
	ca->phase = TCPTUNE_RENO_FAST_RECOVERY;
	ca->reno_refr = 0;
	ca->force_rexmit = 1;
	ca->ss_bytes = 0;
	ca->ca_bytes = 0;
}

/* RFC fast recovery is over: full ACK (both) or first new ACK (Reno). */
static void tcptune_leave_fast_recovery(struct sock *sk, u32 cwnd_rfc)
{
	struct tcptune_reno *ca = inet_csk_ca(sk);

	ca->rfc_cwnd = cwnd_rfc;
	ca->dup_segs = 0;
	ca->reno_refr = 0;
	ca->phase = TCPTUNE_RENO_AFTER_RECOVERY;
}

/* One ACK while the stack is in Recovery. */
static u32 tcptune_recovery_ack(struct sock *sk, u32 acked_bytes, u32 delivered)
{
	struct tcptune_reno *ca = inet_csk_ca(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	u32 pipe = tcp_packets_in_flight(tp);
	bool full = !before(tp->snd_una, tp->high_seq);

	/*
	 * The entry ACK (force_rexmit) is one even where it also advanced
	 * snd_una: with SACK the stack enters Recovery on marked losses, and
	 * that ACK may acknowledge new data too (RFC 5681 3.2 step 6 is for
	 * the ACKs after the retransmission).
	 */
	if (ca->phase == TCPTUNE_RENO_FAST_RECOVERY && !full &&
	    (tcptune_is_newreno(sk) || !acked_bytes || ca->force_rexmit)) {
		u32 w = tp->snd_ssthresh;

		if (ca->reno_refr) {
			/*
			 * Reno's own fast recovery inside the stack's: the
			 * stack still counts the earlier duplicate ACKs in
			 * pipe, so map the RFC window explicitly:
			 * cwnd_rfc = ssthresh + #dup ACKs (RFC 5681 3.2).
			 */
			ca->dup_segs += delivered;
			w = tcptune_rfc_to_linux_cwnd(tp->snd_ssthresh + ca->dup_segs,
						      tp->packets_out, pipe);
		} else if (acked_bytes) {
			/*
			 * NewReno partial ACK: the next hole goes out now
			 * (and the entry ACK's retransmission, for both).
			 */
			ca->force_rexmit = 1;
		}
		/*
		 * Entry ACK, NewReno partial ACK: one retransmission goes
		 * out regardless of cwnd.  Otherwise pipe does the RFC's
		 * inflation.
		 */
		if (ca->force_rexmit) {
			ca->force_rexmit = 0;
			w = max(w, pipe + 1);
		}
		return w;
	}

	if (ca->phase == TCPTUNE_RENO_FAST_RECOVERY) {
		u32 exit_cwnd = tp->snd_ssthresh;

		/*
		 * Full ACK (both), or Reno's first ACK of new data (RFC 5681
		 * 3.2 step 6: deflate, leave fast recovery).
		 */
		if (full && tcptune_is_newreno(sk))
			exit_cwnd = tcptune_newreno_exit_cwnd(tp->snd_ssthresh,
							      tp->packets_out);
		tcptune_leave_fast_recovery(sk, exit_cwnd);
	} else if (acked_bytes) {
		/* TCPTUNE_RENO_AFTER_RECOVERY: the RFC window grows as usual. */
		ca->dup_segs = 0;
		ca->lt_snd_nxt = tp->snd_nxt;
		ca->rfc_cwnd = tcptune_grow(ca, tp, ca->rfc_cwnd, acked_bytes);
	} else if (delivered && !tcptune_is_newreno(sk)) {
		/* RFC 5681 Reno has no "recover": 3 dup ACKs, halve again. */
		if (!ca->dup_segs)
			ca->lt_snd_nxt = tp->snd_nxt;
		ca->dup_segs += delivered;
		if (ca->dup_segs >= TCPTUNE_DUPTHRESH) {
			u32 w;

			tp->snd_ssthresh = tcptune_reno_ssthresh(sk);
			tcptune_enter_fast_recovery(ca);
			ca->reno_refr = 1;
			ca->force_rexmit = 0;
			w = tcptune_rfc_to_linux_cwnd(tp->snd_ssthresh + ca->dup_segs,
						      tp->packets_out, pipe);
			return max(w, pipe + 1);
		}
	}
	/*
	 * The RFC's window, seen through Linux's pipe; RFC 3042 limited
	 * transmit lets one new segment out for each of the first two
	 * duplicate ACKs.
	 */
	return tcptune_rfc_to_linux_cwnd(ca->rfc_cwnd +
					 min_t(u32, ca->dup_segs, 2),
					 tp->packets_out, pipe);
}

static void tcptune_update_pacing_rate(struct sock *sk)
{
	const struct tcptune_reno *ca = inet_csk_ca(sk);
	const struct tcp_sock *tp = tcp_sk(sk);
	u32 cwnd = max(tcp_snd_cwnd(tp), tp->packets_out);
	u32 ratio;
	u64 rate;

	/* Near the end of slow start, pace at the CA ratio already. */
	ratio = ca->pacing_ratio[tcp_snd_cwnd(tp) >= tp->snd_ssthresh / 2];
	rate = tcptune_window_rate(tp->mss_cache, cwnd, tp->srtt_us, ratio);
	WRITE_ONCE(sk->sk_pacing_rate,
		   min_t(u64, rate, READ_ONCE(sk->sk_max_pacing_rate)));
}

/*
 * Per-ACK entry point, after the stack has processed SACK, loss marking
 * and CA state changes for this ACK and before it sends anything.
 */
static void tcptune_reno_cong_control(struct sock *sk, u32 ack, int flag,
				      const struct rate_sample *rs)
{
	struct tcptune_reno *ca = inet_csk_ca(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	u8 state = inet_csk(sk)->icsk_ca_state;
	u32 acked = 0, cwnd = tcp_snd_cwnd(tp);
	u32 delivered = rs->acked_sacked > 0 ? rs->acked_sacked : 0;

	/* The handshake's ACK is processed before init(): nothing to do. */
	if (unlikely(!ca->common.ready))
		return;
	tcptune_reno_knobs_fresh(sk);
	if (after(tp->snd_una, ca->prior_snd_una))
		acked = tp->snd_una - ca->prior_snd_una;
	ca->prior_snd_una = tp->snd_una;

	/* With SACK the stack reopens before we see the full ACK. */
	if (ca->phase != TCPTUNE_RENO_OPEN && state != TCP_CA_Recovery) {
		if (ca->phase == TCPTUNE_RENO_FAST_RECOVERY) {
			cwnd = tcptune_is_newreno(sk) ?
			       tcptune_newreno_exit_cwnd(tp->snd_ssthresh,
							 tp->packets_out) :
			       tp->snd_ssthresh;
			acked = 0;	/* the exit ACK deflates, it does not grow */
		} else {
			/* RFC recovery ended earlier: an ordinary new ACK. */
			cwnd = ca->rfc_cwnd;
		}
		ca->phase = TCPTUNE_RENO_OPEN;
		ca->reno_refr = 0;
		ca->dup_segs = 0;
	}

	switch (state) {
	case TCP_CA_Recovery:
		cwnd = tcptune_recovery_ack(sk, acked, delivered);
		break;
	case TCP_CA_CWR:
		/* RFC 3168 6.1.2: halve once per window, no growth. */
		cwnd = min(cwnd, tp->snd_ssthresh);
		break;
	default:	/* Open, Disorder, Loss */
		if (acked) {
			ca->dup_segs = 0;
			if (tcp_is_cwnd_limited(sk))
				cwnd = tcptune_grow(ca, tp, cwnd, acked);
		} else if (delivered) {
			if (!ca->dup_segs)
				ca->lt_snd_nxt = tp->snd_nxt;
			ca->dup_segs += delivered;
		}
		break;
	}
	tcptune_set_cwnd(ca, tp, cwnd);
	tcptune_update_pacing_rate(sk);
}

TCPTUNE_DEFINE_CONG_CONTROL(tcptune_reno_cong_control)

static void tcptune_reno_release(struct sock *sk)
{
	tcptune_sk_release(sk);
}

static void tcptune_reno_set_state(struct sock *sk, u8 new_state)
{
	struct tcptune_reno *ca = inet_csk_ca(sk);
	u8 old_state = inet_csk(sk)->icsk_ca_state;

	if (old_state == TCP_CA_Recovery && new_state != TCP_CA_Recovery)
		tcptune_event(sk, TCPTUNE_EVENT_RECOVERY_EXIT, new_state, 0);

	switch (new_state) {
	case TCP_CA_Recovery:
		tcptune_enter_fast_recovery(ca);
		tcptune_count(sk, TCPTUNE_CNT_RECOVERIES);
		tcptune_event(sk, TCPTUNE_EVENT_RECOVERY_ENTER, new_state, 0);
		break;
	case TCP_CA_Loss:
		tcptune_count(sk, TCPTUNE_CNT_RTOS);
		tcptune_event(sk, TCPTUNE_EVENT_RTO, new_state, 0);
		/* RFC 5681 3.1: LW = 1 SMSS, then slow start with L = 1. */
		ca->phase = TCPTUNE_RENO_OPEN;
		ca->after_rto = 1;
		ca->ss_bytes = 0;
		ca->ca_bytes = 0;
		ca->dup_segs = 0;
		break;
	case TCP_CA_CWR:
		ca->ss_bytes = 0;
		ca->ca_bytes = 0;
		break;
	}
}

/* RFC 5681 section 4.1: restart window after an idle period > RTO. */
static void tcptune_reno_tx_start(struct sock *sk)
{
	const struct tcptune_knobs *k = tcptune_sk_knobs(sk);
	const struct tcptune_reno *ca = inet_csk_ca(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	u32 restart;
	s32 idle;

	if (!ca->common.ready)
		return;
	restart = reno_knob(k, ca, RENO_KNOB_restart_idle);
	if (restart == 2)
		restart = READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_slow_start_after_idle);
	if (!restart)
		return;
	idle = tcp_jiffies32 - tp->lsndtime;
	if (idle > (s32)inet_csk(sk)->icsk_rto && tcp_snd_cwnd(tp) > ca->iw) {
		tcptune_reno_knobs_fresh(sk);
		tcptune_set_cwnd(ca, tp, ca->iw);
	}
}

TCPTUNE_DEFINE_TX_START(tcptune_reno_tx_start)

/*
 * Spurious retransmission (DSACK, timestamps, F-RTO): restore the window.
 * Without SACK the stack may hold Recovery after the undo until an ACK
 * above high_seq (tcp_is_non_sack_preventing_reopen()): the restored
 * window is then the RFC's, as after a recovery, and those ACKs grow it.
 */
static u32 tcptune_reno_undo_cwnd(struct sock *sk)
{
	struct tcptune_reno *ca = inet_csk_ca(sk);
	u32 cwnd = tcp_reno_undo_cwnd(sk);

	if (inet_csk(sk)->icsk_ca_state == TCP_CA_Recovery) {
		ca->phase = TCPTUNE_RENO_AFTER_RECOVERY;
		ca->rfc_cwnd = cwnd;
	} else {
		ca->phase = TCPTUNE_RENO_OPEN;
	}
	ca->after_rto = 0;
	ca->reno_refr = 0;
	ca->dup_segs = 0;
	tcptune_count(sk, TCPTUNE_CNT_UNDOS);
	return cwnd;
}

/* The model for the socket dump (socket locked). */
static int tcptune_reno_fill_model(struct sock *sk, struct sk_buff *skb)
{
	const struct tcptune_reno *ca = inet_csk_ca(sk);
	const struct tcp_sock *tp = tcp_sk(sk);
	u32 rfc_cwnd = ca->phase == TCPTUNE_RENO_AFTER_RECOVERY ? ca->rfc_cwnd :
		       tcp_snd_cwnd(tp);
	/*
	 * Every user may dump every socket (as with ss), so no absolute
	 * sequence number leaves the kernel: recover is given as its
	 * distance from snd_una, 0 once it is acknowledged.
	 */
	bool recovering = ca->phase != TCPTUNE_RENO_OPEN ||
			  inet_csk(sk)->icsk_ca_state >= TCP_CA_CWR;
	/*
	 * high_seq is 0 until the first recovery and stale after it: only
	 * while recovering, and only within what is in flight, is it a
	 * recovery point (else 2^32 - snd_una would give snd_una away).
	 */
	u32 recover = recovering && after(tp->high_seq, tp->snd_una) &&
		      !after(tp->high_seq, tp->snd_nxt) ?
		      tp->high_seq - tp->snd_una : 0;
	struct nlattr *nest;

	if (!ca->common.ready)
		return 0;
	nest = nla_nest_start(skb, TCPTUNE_SOCK_A_RENO);
	if (!nest ||
	    nla_put_u8(skb, TCPTUNE_RENO_A_PHASE, ca->phase) ||
	    nla_put_u32(skb, TCPTUNE_RENO_A_RECOVER, recover) ||
	    nla_put_u32(skb, TCPTUNE_RENO_A_BYTES_ACKED,
			(u32)min_t(u64, ca->ca_bytes, U32_MAX)) ||
	    nla_put_u32(skb, TCPTUNE_RENO_A_RFC_CWND, rfc_cwnd) ||
	    nla_put_u32(skb, TCPTUNE_RENO_A_DUP_SEGS, ca->dup_segs))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

struct tcp_congestion_ops tcptune_reno_ops __read_mostly = {
	.name		= "tcptune_reno",
	.owner		= THIS_MODULE,
	.init		= tcptune_reno_init,
	.release	= tcptune_reno_release,
	.ssthresh	= tcptune_reno_ssthresh,
	.cong_control	= TCPTUNE_CONG_CONTROL(tcptune_reno_cong_control),
	.set_state	= tcptune_reno_set_state,
	TCPTUNE_TX_START(tcptune_reno_tx_start),
	.undo_cwnd	= tcptune_reno_undo_cwnd,
};

struct tcp_congestion_ops tcptune_newreno_ops __read_mostly = {
	.name		= "tcptune_newreno",
	.owner		= THIS_MODULE,
	.init		= tcptune_reno_init,
	.release	= tcptune_reno_release,
	.ssthresh	= tcptune_reno_ssthresh,
	.cong_control	= TCPTUNE_CONG_CONTROL(tcptune_reno_cong_control),
	.set_state	= tcptune_reno_set_state,
	TCPTUNE_TX_START(tcptune_reno_tx_start),
	.undo_cwnd	= tcptune_reno_undo_cwnd,
};

const struct tcptune_algo_info tcptune_reno_info = {
	.ops		= &tcptune_reno_ops,
	.algo		= TCPTUNE_ALGO_RENO,
	.fill_model	= tcptune_reno_fill_model,
};

const struct tcptune_algo_info tcptune_newreno_info = {
	.ops		= &tcptune_newreno_ops,
	.algo		= TCPTUNE_ALGO_NEWRENO,
	.fill_model	= tcptune_reno_fill_model,
};

// SPDX-License-Identifier: GPL-2.0
/*
 * tcptune_bbr: a model-based congestion control written from the IETF
 * draft (draft-ietf-ccwg-bbr, "the draft") and the BBR papers, with BBRv1's
 * tolerance of random loss and BBRv3's restraint on congestive loss.
 *
 * The model (draft "Network path model"), updated on every ACK from the
 * stack's delivery-rate sample (struct rate_sample):
 *
 *   max_bw    = max over the current and the previous ProbeBW cycle of the
 *               delivery rate, app-limited samples only when they raise it
 *   min_rtt   = min RTT seen over probe_rtt_interval_ms
 *   bw        = min(max_bw, bw_lo)             bw_lo: short-term lower bound
 *   BDP       = bw * min_rtt
 *   pacing    = pacing_gain * bw * (1 - pacing_margin); in young Startup
 *               at least cwnd * mss / (srtt / 8) (below)
 *   cwnd      = cwnd_gain * BDP + extra_acked + 3 * send quantum, then
 *               bounded by inflight_hi (minus headroom when not probing)
 *               and inflight_lo
 *   extra_acked = max over extra_acked_win_rounds rounds of the data ACKed
 *               beyond bw * time since the aggregation epoch started (ACK
 *               aggregation, draft "BBRUpdateACKAggregation")
 *
 * The stack's internal pacing is turned on (sk_pacing_status NONE->NEEDED),
 * so the flow is paced with or without the fq qdisc.
 *
 * States (draft "State Machine"); gains in percent, ProbeBW sub-states are
 * the "phases" of this file:
 *
 *             +---------+  bw grew < 25 % for 3 rounds, or congestive loss
 *   init ---->| Startup |-------------------------+
 *             | 277/200 |                         v
 *             +---------+                    +---------+
 *               ^     |                      |  Drain  |  inflight <= BDP
 *   ProbeRTT    |     |                      | 35/200  |---------+
 *   done before |     |  min_rtt older than  +---------+         |
 *   full bw     |     |  probe_rtt_interval                      v
 *             +---------+  (from any state)   +---------------------------+
 *             | ProbeRTT|<--------------------|          ProbeBW          |
 *             | 100/ 50 |-------------------->|                           |
 *             +---------+  >= 200 ms and a    |   DOWN 90/200             |
 *                          round at cwnd      |    | inflight <= BDP and  |
 *                          = BDP/2 (>= 4)     |    v below the headroom   |
 *                                             |   CRUISE 100/200          |
 *                                             |    | 2-3 s, or min(BDP,   |
 *                                             |    | 63) rounds (Reno),   |
 *                                             |    | or 2 rounds after a  |
 *                                             |    v probe that paid off  |
 *                                             |   (DOWN -> REFILL when    |
 *                                             |    the wait is over)      |
 *                                             |   REFILL 100/200          |
 *                                             |    | one round            |
 *                                             |    v                      |
 *                                             |   UP 125+/225 --> DOWN:   |
 *                                             |   inflight >= 1.25 BDP    |
 *                                             |   after min_rtt, bw flat  |
 *                                             |   (not under inflight_hi),|
 *                                             |   or congestion           |
 *                                             +---------------------------+
 *
 * (+: 125 / (1 - the random-loss floor) under random loss, below.)
 *
 * Loss and ECN (BBRv3, draft "Responding to congestion"): once per round
 * the round's congestive loss rate (below) and, for an ECN-capable flow,
 * its CE-marked share are compared with loss_thresh (2 %) and ecn_thresh.
 * A congested round sets inflight_hi = max(delivered in the round,
 * beta * target inflight) and ends a bw probe (UP -> DOWN); outside probing
 * it also lowers bw_lo and inflight_lo to max(latest, beta * themselves).
 * The lower bounds are forgotten when the next probe starts (REFILL) and
 * after ProbeRTT.  In UP, inflight_hi grows by 1, 2, 4, ... packets per
 * round while the flow is limited by it.  Congestive loss in Startup (at
 * least startup_full_loss_cnt packets and above the threshold) ends
 * Startup with inflight_hi = max(BDP, delivered in the round, the largest
 * inflight an ACK of the round saw).
 *
 * The round's CE-marked packets are the stack's own count, tp->delivered_ce,
 * taken per ACK: what it means depends on the ECN feedback negotiated, not
 * on the kernel version (no version test here).  With Accurate ECN (7.x:
 * negotiated when the connecting side has net.ipv4.tcp_ecn = 3 and the
 * listening side 3, 4 or 5) the receiver's ACE counter says how many
 * packets were marked, so the share is the path's marking rate.  With
 * RFC 3168 feedback (every kernel; the only one before 7.x) the receiver
 * repeats ECE from the first mark until our CWR reaches it, about a round
 * trip later, and every packet those ACKs deliver counts: one mark reads
 * as a round mostly marked, so a mark or two a round crosses ecn_thresh
 * (the classic, once-per-window reading of a mark; what 6.1 gets).  The
 * first round of a connection is its first ACK alone, too small for a
 * share: its marks are not judged.
 *
 * Congestive versus random loss (the tcptune rule; knobs loss_qdelay,
 * rand_loss_excuse, rand_loss_floor_shift).  A drop-tail or AQM bottleneck
 * drops when its queue is full or growing, and only when the senders push
 * more than it carries; a lossy link (radio, a bad cable, a policer's
 * random early drops aside) drops at any sending rate and with the queue
 * empty.  So each loss is judged by two pieces of evidence:
 *
 *  1. Queueing delay at the loss.  Losses are marked by the ACK (SACK, RACK)
 *     of packets sent just after the lost one; that ACK's RTT sample is the
 *     queueing delay the lost packet met.  If rtt > min_rtt * (1 +
 *     loss_qdelay) the losses it marks are "queue-qualified" (congestive
 *     evidence), otherwise "flat-RTT" losses.  No RTT sample counts as
 *     queue-qualified (conservative).
 *  2. Loss at low inflight.  In rounds where the flow is not probing
 *     (ProbeBW DOWN, CRUISE, REFILL: inflight at or below the BDP; not
 *     the first two rounds of DOWN, whose ACKs are mostly a probe's) the
 *     loss rate feeds an EWMA, the random-loss floor: the loss the path
 *     shows whatever we do.  A quiet round in which some RTT sample was within
 *     loss_qdelay of min_rtt had no standing queue, and all its losses feed
 *     the floor; otherwise only its flat-RTT losses do.  The EWMA's first
 *     three samples weigh 1, 1/2 and 1/4 (about their mean), then
 *     1/2^rand_loss_floor_shift: from zero it would take ~2^shift rounds
 *     to learn the path's loss, and until then random losses count as
 *     congestive and cut the lower bounds (5 % loss, 20 Mbit/s, 40 ms, a
 *     1 BDP buffer: goodput in the first 4 s 13.4-16.1 Mbit/s, median
 *     15.0 of 10 runs, without the warm-up; 15.8-16.3 with it, of 6).
 *
 *   N  = packets of the round, at least one BDP (as the draft's test is of
 *        the inflight a lost packet met)
 *   L  = lost packets, Lf = flat-RTT ones, F = floor * N, e = rand_loss_excuse
 *   band = min(L, F + s * sqrt(F))  the floor's expected count and its
 *                                   binomial noise (s = rand_loss_band_sigma
 *                                   standard deviations, 3)
 *   excused = max(band, Lf)         in Startup (band = 0) and the quiet
 *                                   phases: a loss with no queue behind it
 *                                   is random
 *   excused = band                  in ProbeBW UP: a probe builds a queue on
 *                                   purpose, so RTT says nothing there; what
 *                                   the probe adds above the floor is what
 *                                   the probe caused
 *   congestive = L - e * excused    congested if congestive > loss_thresh * N
 *
 * Only congestive loss moves the model (inflight_hi, bw_lo, inflight_lo,
 * the Startup exit) and only queue-qualified losses shrink cwnd in
 * recovery.  With e = 0 every loss counts, which is the draft's (BBRv3's)
 * behaviour.  ECN marks are always congestion.  A policer (loss above a
 * rate, flat RTT) is caught by the plateau of the delivery rate in Startup
 * and by rule 2 in UP.  What the rule cannot see: random loss and a full
 * queue at once count as congestion (the safe side), and a queueing delay
 * smaller than loss_qdelay * min_rtt (buffers below ~5 % of the BDP, or RTT
 * noise of the same size) hides congestion in the quiet phases, where
 * rule 2 still catches it at the next probe.
 * References: Cardwell et al., "BBR: Congestion-Based Congestion Control",
 * ACM Queue 14(5), 2016 (loss tolerance, fig. 8); Cao et al., "When to use
 * and when not to use BBR", IMC 2019 and Hock et al., "Experimental
 * evaluation of BBR", ICNP 2017 (v1's loss in shallow buffers); Biaz and
 * Vaidya, "Discriminating congestion losses from wireless losses using
 * inter-arrival times at the receiver", ASSET 1999, and the Vegas/Veno
 * family (Fu and Liew, "TCP Veno", JSAC 21(2), 2003: a loss with little
 * backlog is random); draft-ietf-ccwg-bbr (loss_thresh, beta, headroom).
 *
 * Probing through loss (tcptune; knob rand_loss_probe_max, 25 %).  A
 * delivery-rate sample counts delivered packets only, so through a random
 * loss rate f a flow paced at rate r is measured at (1 - f) r.  The draft's
 * probe at 1.25 bw then reads 1.25 (1 - f) bw: at 15 % loss 1.06 bw, and
 * a flow whose bw estimate fell far below the path's (a Startup that
 * ended early on a plateau its own loss recovery made: 1.15 Mbit/s of a
 * 42 Mbit/s ceiling, P2 at 15 %) gained ~5 % per ProbeBW cycle, 3.3 Mbit/s
 * after 30 s.  In UP the pacing gain is divided by (1 - floor), the
 * random-loss floor of the quiet rounds (above) capped at
 * rand_loss_probe_max, so that the probe asks the path to deliver
 * 1.25 bw: the rate the draft's probe is meant to test.  Only UP: the
 * quiet phases keep the draft's gains, as a floor inflated by losses the
 * quiet rounds could not tell from random (a buffer below loss_qdelay of
 * the BDP, above) would otherwise raise the rate that causes them, round
 * after round; and the floor does not learn from the two rounds after a
 * probe (rule 2), which carry the probe's own losses, so a faster probe
 * cannot raise the floor that speeds it up.  What the probe adds above
 * the floor is judged in UP as before (band, above): a probe into a full
 * path is congested and ends.  The divisor is the series 1 + f + f^2 +
 * f^3 (bbr_loss_comp_gain(): no division per ACK; 0.4 % short at 25 %,
 * 2.6 % at the knob's largest, 40 %, where 1.25 / 0.6 is still below
 * UP's cwnd gain of 2.25).  With rand_loss_excuse = 0 (every loss
 * congestive, the draft's) the floor still exists and still speeds the
 * probe; rand_loss_probe_max = 0 is the draft's probe.  Reference: the draft's
 * "ProbeBW_UP" (the probe tests whether the path delivers 1.25 bw); Mathis
 * et al., "The macroscopic behavior of the TCP congestion avoidance
 * algorithm", CCR 27(3), 1997 (a sender's rate through random loss).
 *
 * Probing again (tcptune; knob probe_bw_again).  The draft and BBRv1 keep
 * their probe schedule whatever the probe found: after a probe that raised
 * bw the next one still waits 2-3 s (v3) or 8 rounds (v1), so a flow far
 * below the path's rate (an early Startup exit, a competitor that left,
 * a link that got faster) climbs 25 % per cycle.  Here the second round
 * after UP ended, when all of the probe's ACKs are in, compares max_bw
 * with the max_bw the probe started from.  The path had room if max_bw
 * grew by more than half the probe's gain (12.5 % at 1.25, at least
 * 1/16: a path that is full gives a probe ~0 %) and each of the two rounds
 * after UP, which carry the ACKs of the packets sent around and in the
 * probe, had an RTT sample within loss_qdelay of min_rtt: no queue met.
 * Growth alone is not room: in a shared FIFO a probe at 1.25 raises a
 * flow's share s to 1.25 s / (1 + 0.25 s), over 12.5 % for any s below
 * 4/9, with the queue standing.
 * Then REFILL and UP follow as soon as DOWN has drained our queue
 * (inflight at or below the BDP), ~4-5 rounds a cycle: from 4 to 24 Mbit/s
 * in ~8 cycles; if it does not drain (another flow's queue came), after
 * probe_bw_wait_base_ms, the draft's shortest wait.  A congested round in
 * ProbeBW (loss or ECN above the thresholds), in UP, in the rounds that
 * carry the probe's losses or after the decision, cancels it: the draft's
 * wait again.  Where it fails: a delivery-rate sample inflated by ACK
 * compression by 12.5 % or more, on an empty queue, starts one probe early
 * (the draft's schedule resumes after it).
 *
 * Young Startup (a tcptune departure; issue 11's P10, short flows).  In
 * Startup's first BBR_YOUNG_ROUNDS (3) rounds, the flights of IW, 2 IW
 * and 4 IW packets (7 IW: 70 packets, 101 KB at IW 10, what slow start
 * sends in three round trips), and while the CA state is Open (no loss,
 * ECN echo or reordering seen), the pacing rate is at least
 *
 *   floor = cwnd * mss / (srtt / 2^BBR_YOUNG_SHIFT)   (a window in srtt / 8)
 *
 * The draft paces Startup at 2.77 * bw, but in these rounds bw is not the
 * path's, it is the flow's own: a round's samples read about the window
 * before it per round trip (the IW's, IW per RTT and less), so the IW and
 * the 2 IW flight go out at the draft's initial rate (BBRInitPacingRate,
 * 2.77 * IW / SRTT: the IW in 0.36 RTT, the next flight in 0.72 RTT), and
 * each later flight at 2.77 times the delivery rate that the pacing of
 * the flight before held down.  A transfer that ends within these rounds
 * spends them pacing out windows the path could have taken at once: at
 * 50 Mbit/s, 40 ms, 1 BDP, IW 10, a 100 KB transfer took 218 ms (median
 * of 20) against Reno's 186 (the kernel's bbr: 215).  With the floor the
 * ACK clock sets the pace, not the pacing rate: Startup grows cwnd by the
 * packets ACKed, as slow start does (RFC 5681 3.1), so the bursts are never
 * larger than slow start's (two packets per ACK, and the IW at once,
 * which RFC 6928 allows) and the floor spreads them over srtt / 8 rather
 * than sending them at line rate; a window below BDP / 8 builds no queue
 * at all.  In a one-bottleneck model of that path (an ACK per packet) a
 * floor of a window in srtt / 2 or srtt / 4 still costs the 100 KB
 * transfer 16 or 4 ms over Reno's, srtt / 8 nothing, with a peak queue of
 * 13 packets against Reno's 21.  srtt, not min_rtt: the draft's initial
 * rate is taken from it, and a queue raises it, so that where the path is
 * smaller than the young window the floor stays near 8 x the delivery
 * rate instead of growing with cwnd.
 *
 * The floor ends at the first of: the ACK that opens round 4 (bw is then
 * the delivery rate of a window the ACK clock sent), leaving Startup, or
 * a CA state other than Open (the bursts met the path's limit, or the path
 * reorders: the draft's pacing from then on).  The pacing rate then comes
 * down, once, to the draft's: the model's Startup rate, or
 * BBRInitPacingRate taken with the cwnd the young rounds grew, whichever
 * is higher (the draft never lets Startup pace below its initial rate).
 * The floor's factor, 8 * mss / srtt, is divided out once per young round
 * (bbr_young_rate()); per ACK it costs a multiplication, and after the
 * young rounds one bit test.  References: RFC 9002 7.7 (pace at
 * N * cwnd / srtt, N > 1, so that pacing does not hold cwnd back; bursts
 * up to the initial window); RFC 6928 (IW 10, sent as a burst); RFC 5681
 * 3.1 (slow start); the draft's BBRInitPacingRate; the stack's own
 * slow-start pacing for fq-paced senders (net.ipv4.tcp_pacing_ss_ratio,
 * 200 %: a window in half an RTT).
 *
 * Departures from the draft, and why:
 *  - One min_rtt filter whose window is the ProbeRTT interval (5 s) instead
 *    of a 5 s probe_rtt_min_delay plus a 10 s min_rtt: 8 bytes of the
 *    104-byte private area.  min_rtt can rise after 5 s instead of 10 s,
 *    and only to a sample taken in ProbeRTT once the pipe is drained (the
 *    draft's 10 s filter is what keeps its ProbeRTT cwnd from the queue).
 *  - Loss and CE are judged per round from counters, not per packet from
 *    tx_in_flight (6.1's rate_sample has no tx_in_flight or lost): the
 *    response comes at the end of the round rather than at the lost packet,
 *    inflight_hi is set from the largest inflight an ACK of the round saw,
 *    and losses marked outside an ACK (RACK's reordering timer, the RTO)
 *    are not counted (rs->losses does not carry them).
 *  - inflight_hi grows once per round (1, 2, 4, ... packets) instead of
 *    per ACK with a fractional counter: the same slope, less state.
 *  - ProbeBW_UP does not end on "inflight >= 1.25 BDP for a min_rtt" nor
 *    on a bw plateau while inflight_hi holds cwnd back: other flows' queue
 *    inflates inflight without any probing, and a late starter whose
 *    inflight_hi Startup set low never raised it (P5 Jain 0.87 -> 0.94,
 *    P2 at 10 % loss 0.70 -> 0.79 of the ceiling, one run each).  Loss or
 *    ECN (the congestion response) still ends the probe.
 *  - The random-vs-congestive rule above (the draft counts every loss).
 *  - extra_acked is capped at extra_acked_max_ms of bw as well as at cwnd,
 *    as Linux's BBRv1 does, so that ACK bunching in a virtual machine does
 *    not build a standing queue.
 *  - Packet conservation in recovery lasts until the next round starts; the
 *    round is not restarted, so that the round's loss rate stays whole.
 *  - CRUISE goes back to DOWN (keeping the probe timer) after a round in
 *    which no RTT sample came within loss_qdelay of min_rtt: a standing
 *    queue, from a max-filtered bw a little above the link's (ACK
 *    compression), that the draft would keep until the next probe.
 *  - Young Startup's pacing floor (above).
 *  - Probing through loss, and probing again (above).
 *  - A plateau behind a closed window.  The draft's plateau test (bw
 *    grew less than full_bw_growth in full_bw_rounds rounds) skips only
 *    app-limited rounds.  In Startup a round counts neither way if, on
 *    one of its ACKs whose RTT sample showed no queue, the stack's
 *    chronograph said the sender was held back by the receiver's window
 *    (chrono_type RWND_LIMITED: the last tcp_write_xmit stopped at the
 *    send window) or by the send buffer (SNDBUF_LIMITED: the application
 *    blocked on it with nothing left to send): the limit was the peer's
 *    or ours, not the path's.  Under heavy random loss the receiver's
 *    out-of-order queue holds its window for a round trip or more, and
 *    Startup ended on that plateau (15 % loss, 50 Mbit/s, 100 ms, 1 BDP:
 *    exits at 1.7, 5.9 and 15 Mbit/s in 3 of 5 runs, 8.5-24.0 Mbit/s,
 *    median 18.9, over 20 s).  An ACK that shows a standing queue does not
 *    excuse its round: a window larger than the pipe must not keep a flow
 *    in Startup with the buffer full.  A flow whose peer keeps the window
 *    below the BDP stays in Startup, where inflight is the window's and
 *    the pacing rate above it, as an app-limited one does.  ProbeBW_UP's
 *    plateau test is the draft's: a window-limited probe ends there.
 *  - The ProbeBW phase is visible in `ss -ti` only through the gains:
 *    CRUISE and REFILL both show 1.0/2.0.
 *
 * Fixed point: bw in packets per usec << 24; gains and fractions in 1/1024
 * (BBR_UNIT), made from the percent knobs by multiplying with 10486 and
 * shifting by 10 (error < 0.002 %).  Per ACK: no allocation, no lock, and
 * one 64-by-32 division (the delivery-rate sample) and one 32-bit division
 * (the send quantum in packets); in UP four more multiplications and a
 * knob read (the loss-compensated gain); the loss rate is divided once
 * per round,
 * and young Startup's floor factor once per round in its three rounds.
 */
#include <linux/module.h>
#include <linux/random.h>
#include <linux/math.h>
#include <linux/inet_diag.h>
#include <net/netlink.h>
#include <net/tcp.h>

#include "tcptune.h"
#include "knobs.h"
#include "bbr_math.h"

#define BW_SHIFT	24			/* bw: packets per usec << 24 */
#define BBR_UNIT_SHIFT	10
#define BBR_UNIT	BIT(BBR_UNIT_SHIFT)	/* gains and fractions: 1/1024 */
#define BBR_INF		(~0U)			/* "no bound" for u32 bounds */
#define LOSS_SHIFT	BBR_RATE_SHIFT		/* loss rates: 1/65536 */
#define BBR_YOUNG_ROUNDS 3	/* young Startup: the rounds of IW, 2 IW, 4 IW */
#define BBR_YOUNG_SHIFT	3	/* ... a window leaves in srtt / 2^this */

enum bbr_state {
	BBR_STARTUP,
	BBR_DRAIN,
	BBR_PROBE_BW,
	BBR_PROBE_RTT,
};

enum bbr_phase {		/* ProbeBW sub-states */
	BBR_BW_DOWN,
	BBR_BW_CRUISE,
	BBR_BW_REFILL,
	BBR_BW_UP,
};

/* Per-socket state, in icsk_ca_priv (BUILD_BUG_ON in init). */
struct tcptune_bbr {
	struct tcptune_sk common;	/* ready, counted (tcptune.h) */
	u32 bw_hi[2];		/* max delivery rate, this/last ProbeBW cycle */
	u32 bw_lo;		/* lower bound on bw after congestion, or INF */
	u32 bw_latest;		/* max delivery rate in this round */
	u32 min_rtt_us;		/* windowed min RTT, INF before a sample */
	u32 min_rtt_stamp;	/* jiffies when min_rtt was last set */
	u32 next_round_delivered; /* tp->delivered when this round began */
	u32 inflight_hi;	/* upper bound on inflight (packets), or INF */
	u32 inflight_lo;	/* lower bound after congestion, or INF */
	u32 full_bw;		/* bw at the last growth step (plateau test) */
	u32 cycle_stamp;	/* jiffies: ProbeBW phase start, ProbeRTT end */
	u32 ack_epoch_mstamp;	/* usec (low 32 bits): aggregation epoch start */
	u32 prior_cwnd;		/* cwnd saved before recovery or ProbeRTT */
	u32 probe_bw;		/* max_bw when the last UP began; INF: none */
	struct bbr_round_signals round; /* this round's losses, CE, inflight */
	u32 round_count;	/* rounds since init (for the socket dump) */
	u32 prior_delivered_ce;	/* tp->delivered_ce after the previous ACK */
	u32 young_rate;		/* young Startup: floor, B/s per cwnd packet */
	u16 bw_probe_wait_ms;	/* this cycle's wait before probing */
	u16 loss_floor;		/* random-loss floor, 1/65536 (EWMA) */
	u16 extra_acked[2];	/* windowed max of ACK aggregation, packets */
	u32 ack_epoch_acked:19,	/* packets ACKed in this aggregation epoch */
	    rounds_since_probe:8, /* rounds since the last bw probe (sat.) */
	    up_rounds:3,	/* rounds in UP: inflight_hi grows 2^this */
	    hi_limited:1,	/* UP: cwnd was limited by inflight_hi */
	    probe_flat:1;	/* the round after UP had a no-queue RTT sample */
	/* 104 bytes: the whole of 6.1's and 6.12's ICSK_CA_PRIV_SIZE */
	u32 state:2,		/* enum bbr_state */
	    phase:2,		/* enum bbr_phase (state == BBR_PROBE_BW) */
	    full_bw_cnt:4,	/* rounds without growth */
	    full_bw_reached:1,	/* Startup has filled the pipe */
	    idle_restart:1,	/* restarting after idle */
	    probe_rtt_timing:1,	/* ProbeRTT: cycle_stamp holds the end time */
	    probe_rtt_round_done:1, /* ProbeRTT: a round at the low cwnd */
	    bw_slot:1,		/* bw_hi slot of the current cycle */
	    advance_pending:1,	/* start a new bw_hi slot at the next round */
	    prev_ca_state:3,	/* icsk_ca_state at the previous ACK */
	    packet_conservation:1, /* first round of recovery */
	    round_start:1,	/* this ACK started a round */
	    extra_slot:1,	/* extra_acked slot being filled */
	    extra_rounds:5,	/* rounds in that slot (up to 60 / 2) */
	    round_limited:1,	/* rwnd or sndbuf held this round back */
	    round_flat:1,	/* an RTT sample of this round showed no queue */
	    hi_limited_prev:1,	/* UP: hi_limited in the previous round */
	    ack_queue:1,	/* this ACK's RTT sample shows a queue */
	    young:1,		/* young Startup: the pacing floor applies */
	    floor_n:2;		/* quiet rounds the floor has seen, up to 3 */
};

/*
 * A knob of the socket's namespace, from k = tcptune_sk_knobs(sk), looked
 * up once per hook call and handed down (each lookup is an RCU read-side
 * section, out of line on PREEMPT_RCU kernels): never a pointer kept in
 * the private area.
 */
#define BBR_KNOB(k, name) tcptune_knob(k, TCPTUNE_KNOB_BBR_##name)

/* Percent to BBR_UNIT (1/1024) without a division: 10486 / 1024 = 10.24. */
static inline u32 bbr_pct(u32 pct)
{
	return (pct * 10486U) >> 10;
}

#define BBR_GAIN(k, name) bbr_pct(BBR_KNOB(k, name))

/* v * unit / BBR_UNIT in 64 bits, saturated to u32. */
static inline u32 bbr_scale(u32 v, u32 unit)
{
	return min_t(u64, ((u64)v * unit) >> BBR_UNIT_SHIFT, BBR_INF);
}

static inline u32 bbr_max_bw(const struct tcptune_bbr *ca)
{
	return max(ca->bw_hi[0], ca->bw_hi[1]);
}

/* The model's bw (draft BBRBoundBWForModel). */
static inline u32 bbr_bw(const struct tcptune_bbr *ca)
{
	return min(bbr_max_bw(ca), ca->bw_lo);
}

/* bw * min_rtt * gain in packets, rounded up (draft BBRBDPMultiple). */
static u32 bbr_bdp(const struct tcptune_bbr *ca, u32 bw, u32 gain)
{
	u64 w;

	if (unlikely(ca->min_rtt_us == BBR_INF))
		return TCP_INIT_CWND;
	w = (u64)bw * ca->min_rtt_us;
	w = (w * gain) >> BBR_UNIT_SHIFT;
	return min_t(u64, (w + (1ULL << BW_SHIFT) - 1) >> BW_SHIFT, BBR_INF);
}

/* bytes per second for bw * gain * (1 - margin) (draft BBRSetPacingRate). */
static u64 bbr_rate_bytes(const struct sock *sk, u32 bw, u32 gain, const struct tcptune_knobs *k)
{
	u32 keep = BBR_UNIT - bbr_pct(BBR_KNOB(k, pacing_margin));
	u64 rate = (u64)bw * tcp_sk(sk)->mss_cache;

	rate = (rate * gain) >> BBR_UNIT_SHIFT;
	rate = (rate * keep) >> BBR_UNIT_SHIFT;
	return (rate * USEC_PER_SEC) >> BW_SHIFT;
}

static u32 bbr_pacing_gain(const struct tcptune_bbr *ca, const struct tcptune_knobs *k)
{
	switch (ca->state) {
	case BBR_STARTUP:
		return BBR_GAIN(k, startup_pacing_gain);
	case BBR_DRAIN:
		return BBR_GAIN(k, drain_pacing_gain);
	case BBR_PROBE_BW:
		if (ca->phase == BBR_BW_DOWN)
			return BBR_GAIN(k, probe_bw_down_pacing_gain);
		/*
		 * header, "Probing through loss"; the floor read once, as
		 * get_info() calls this without the socket lock
		 */
		if (ca->phase == BBR_BW_UP)
			return bbr_loss_comp_gain(BBR_GAIN(k, probe_bw_up_pacing_gain),
						  READ_ONCE(ca->loss_floor),
						  BBR_GAIN(k, rand_loss_probe_max) <<
						  (LOSS_SHIFT - BBR_UNIT_SHIFT));
		return BBR_UNIT;
	default:
		return BBR_UNIT;
	}
}

static u32 bbr_cwnd_gain(const struct tcptune_bbr *ca, const struct tcptune_knobs *k)
{
	switch (ca->state) {
	case BBR_STARTUP:
	case BBR_DRAIN:
		return BBR_GAIN(k, startup_cwnd_gain);
	case BBR_PROBE_BW:
		if (ca->phase == BBR_BW_UP)
			return BBR_GAIN(k, probe_bw_up_cwnd_gain);
		return BBR_GAIN(k, probe_bw_cwnd_gain);
	default:
		return BBR_GAIN(k, probe_rtt_cwnd_gain);
	}
}

/* Draft BBRInitPacingRate: Startup gain * cwnd / (SRTT or 1 ms). */
static u64 bbr_init_rate(const struct sock *sk, u32 cwnd, const struct tcptune_knobs *k)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	u64 rate = (u64)cwnd * tp->mss_cache * USEC_PER_SEC;

	rate = div_u64(rate, tp->srtt_us ? max(tp->srtt_us >> 3, 1U) : USEC_PER_MSEC);
	return (rate * BBR_GAIN(k, startup_pacing_gain)) >> BBR_UNIT_SHIFT;
}

/* Still in the young rounds of Startup, with no sign of congestion? */
static bool bbr_still_young(const struct sock *sk)
{
	const struct tcptune_bbr *ca = inet_csk_ca(sk);

	return ca->state == BBR_STARTUP && ca->round_count < BBR_YOUNG_ROUNDS &&
	       inet_csk(sk)->icsk_ca_state == TCP_CA_Open;
}

/*
 * Pace at rate; before the pipe is full, never slow down (draft).  In
 * young Startup (header) at least the young floor, cwnd * young_rate;
 * when that ends, once, down to the draft's: the model's rate, or
 * BBRInitPacingRate taken with the cwnd the young rounds grew.
 */
static void bbr_set_pacing_rate(struct sock *sk, u64 rate, const struct tcptune_knobs *k)
{
	struct tcptune_bbr *ca = inet_csk_ca(sk);
	const struct tcp_sock *tp = tcp_sk(sk);
	bool down = ca->full_bw_reached;

	if (unlikely(ca->young)) {
		if (bbr_still_young(sk)) {
			if (ca->round_start)	/* srtt of this round */
				ca->young_rate = bbr_young_rate(tp->mss_cache, tp->srtt_us,
								BBR_YOUNG_SHIFT);
			rate = max(rate, (u64)tcp_snd_cwnd(tp) * ca->young_rate);
		} else {
			ca->young = 0;
			ca->young_rate = 0;
			rate = max(rate, bbr_init_rate(sk, tcp_snd_cwnd(tp), k));
			down = true;
		}
	}
	rate = min_t(u64, rate, READ_ONCE(sk->sk_max_pacing_rate));
	if (down || rate > READ_ONCE(sk->sk_pacing_rate))
		WRITE_ONCE(sk->sk_pacing_rate, rate);
}

/* Draft BBRTargetInflight: min(BDP, cwnd). */
static u32 bbr_target_inflight(const struct sock *sk)
{
	const struct tcptune_bbr *ca = inet_csk_ca(sk);

	return min(bbr_bdp(ca, bbr_bw(ca), BBR_UNIT), tcp_snd_cwnd(tcp_sk(sk)));
}

/* Draft BBRInflightWithHeadroom. */
static u32 bbr_inflight_with_headroom(const struct tcptune_bbr *ca, u32 min_pipe,
				      const struct tcptune_knobs *k)
{
	u32 keep = BBR_UNIT - bbr_pct(BBR_KNOB(k, headroom));

	if (ca->inflight_hi == BBR_INF)
		return BBR_INF;
	return max(bbr_scale(ca->inflight_hi, keep), min_pipe);
}

static void bbr_start_round(struct sock *sk)
{
	struct tcptune_bbr *ca = inet_csk_ca(sk);

	ca->next_round_delivered = tcp_sk(sk)->delivered;
}

static void bbr_reset_lower_bounds(struct tcptune_bbr *ca)
{
	ca->bw_lo = BBR_INF;
	ca->inflight_lo = BBR_INF;
}

/* The cwnd to come back to after recovery or ProbeRTT (draft BBRSaveCwnd). */
static void bbr_save_cwnd(struct sock *sk)
{
	struct tcptune_bbr *ca = inet_csk_ca(sk);
	u32 cwnd = tcp_snd_cwnd(tcp_sk(sk));

	if (ca->prev_ca_state < TCP_CA_Recovery && ca->state != BBR_PROBE_RTT)
		ca->prior_cwnd = cwnd;
	else
		ca->prior_cwnd = max(ca->prior_cwnd, cwnd);
}

/*
 * msecs_to_jiffies() of a variable is an out-of-line call, on the per-ACK
 * path here: where HZ divides 1000 (100, 250, 1000) the same rounding up,
 * inline.  ms is at most a knob's 60000 or min_rtt / 1000.
 */
static inline u32 bbr_ms_to_jiffies(u32 ms)
{
#if MSEC_PER_SEC % HZ == 0
	return DIV_ROUND_UP(ms, MSEC_PER_SEC / HZ);
#else
	return msecs_to_jiffies(ms);
#endif
}

static bool bbr_elapsed_ms(const struct tcptune_bbr *ca, u32 ms)
{
	return after(tcp_jiffies32, ca->cycle_stamp + bbr_ms_to_jiffies(ms));
}

/* ---- ProbeBW phases (draft "ProbeBW") --------------------------------- */

/* Draft: the next probe 2-3 s on (base + random; knobs.h keeps it in u16). */
static u16 bbr_probe_wait_ms(const struct tcptune_knobs *k)
{
	u32 rand_ms = BBR_KNOB(k, probe_bw_wait_rand_ms);

	return min_t(u32, U16_MAX, BBR_KNOB(k, probe_bw_wait_base_ms) +
		     (rand_ms ? get_random_u32_below(rand_ms + 1) : 0));
}

static void bbr_start_down(struct sock *sk, const struct tcptune_knobs *k)
{
	struct tcptune_bbr *ca = inet_csk_ca(sk);

	/* Only a probe's end is judged by its result (bbr_probe_paid_off()). */
	if (ca->state != BBR_PROBE_BW || ca->phase != BBR_BW_UP)
		ca->probe_bw = BBR_INF;
	ca->state = BBR_PROBE_BW;
	ca->phase = BBR_BW_DOWN;
	ca->cycle_stamp = tcp_jiffies32;
	ca->rounds_since_probe = 0;
	ca->bw_probe_wait_ms = bbr_probe_wait_ms(k);
	/* The probe's ACKs arrive during the next round: then a new cycle. */
	ca->advance_pending = 1;
}

static void bbr_start_cruise(struct tcptune_bbr *ca)
{
	ca->phase = BBR_BW_CRUISE;
}

static void bbr_start_refill(struct sock *sk)
{
	struct tcptune_bbr *ca = inet_csk_ca(sk);

	bbr_reset_lower_bounds(ca);
	ca->up_rounds = 0;
	ca->hi_limited = 0;
	ca->phase = BBR_BW_REFILL;
	bbr_start_round(sk);
}

static void bbr_start_up(struct sock *sk)
{
	struct tcptune_bbr *ca = inet_csk_ca(sk);

	ca->phase = BBR_BW_UP;
	ca->cycle_stamp = tcp_jiffies32;
	ca->probe_bw = bbr_max_bw(ca);
	ca->full_bw = 0;
	ca->full_bw_cnt = 0;
	ca->up_rounds = 0;
	ca->hi_limited = 0;
	ca->hi_limited_prev = 0;
}

/* Draft BBRIsTimeToProbeBW: the wait is over, or Reno would have probed. */
static bool bbr_time_to_probe(const struct sock *sk, const struct tcptune_knobs *k)
{
	const struct tcptune_bbr *ca = inet_csk_ca(sk);
	u32 reno_rounds = min(bbr_target_inflight(sk),
			      BBR_KNOB(k, reno_coexist_rounds_max));

	return bbr_elapsed_ms(ca, ca->bw_probe_wait_ms) ||
	       ca->rounds_since_probe >= reno_rounds;
}

/* DOWN is done: inflight at or below the BDP and below the headroom. */
static bool bbr_down_drained(const struct tcptune_bbr *ca, u32 inflight, u32 bw,
			     const struct tcptune_knobs *k)
{
	return inflight <= bbr_bdp(ca, bw, BBR_UNIT) &&
	       inflight <= bbr_inflight_with_headroom(ca, BBR_KNOB(k, min_pipe_cwnd), k);
}

/*
 * An early probe (wait 0, "Probing again") leaves DOWN once our own queue
 * is gone, inflight at or below the BDP: not the headroom too, which DOWN's
 * cap at inflight_hi can keep out of reach.  Nor does it wait longer than
 * the draft's shortest wait, whatever holds inflight up (another flow's
 * queue, a bw estimate that ACK compression inflated).
 */
static bool bbr_early_probe_ready(const struct tcptune_bbr *ca, u32 inflight, u32 bw,
				  const struct tcptune_knobs *k)
{
	return inflight <= bbr_bdp(ca, bw, BBR_UNIT) ||
	       bbr_elapsed_ms(ca, BBR_KNOB(k, probe_bw_wait_base_ms));
}

static void bbr_update_probe_bw_phase(struct sock *sk, const struct tcptune_knobs *k)
{
	struct tcptune_bbr *ca = inet_csk_ca(sk);
	u32 inflight = tcp_packets_in_flight(tcp_sk(sk));
	u32 bw = bbr_bw(ca);

	if (ca->state != BBR_PROBE_BW)
		return;
	switch (ca->phase) {
	case BBR_BW_DOWN:
		if (bbr_time_to_probe(sk, k) &&
		    (ca->bw_probe_wait_ms || bbr_early_probe_ready(ca, inflight, bw, k))) {
			bbr_start_refill(sk);
			break;
		}
		if (bbr_down_drained(ca, inflight, bw, k))
			bbr_start_cruise(ca);
		break;
	case BBR_BW_CRUISE:
		if (bbr_time_to_probe(sk, k))
			bbr_start_refill(sk);
		break;
	case BBR_BW_REFILL:
		/* One round at 1.0 refills the pipe before the probe. */
		if (ca->round_start)
			bbr_start_up(sk);
		break;
	case BBR_BW_UP:
		/*
		 * The probe put 1.25 BDP in flight for a min_rtt, or bw is
		 * flat.  While inflight_hi holds cwnd back, the inflight test
		 * is left out (tcptune departure): with other flows' queue in
		 * the RTT, inflight passes 1.25 BDP without any probing, and a
		 * flow whose inflight_hi was set low (a late starter) would
		 * never raise it.  inflight_hi then grows until the path
		 * pushes back (loss, ECN) or bw stops growing without the cap.
		 */
		if ((bbr_elapsed_ms(ca, ca->min_rtt_us / USEC_PER_MSEC) &&
		     inflight >= bbr_bdp(ca, bw, BBR_GAIN(k, probe_bw_up_pacing_gain)) &&
		     !ca->hi_limited && !ca->hi_limited_prev) ||
		    ca->full_bw_cnt >= BBR_KNOB(k, full_bw_rounds))
			bbr_start_down(sk, k);
		break;
	}
}

/* ---- Rounds, bw, loss and ECN ----------------------------------------- */

/* Draft BBRUpdateMaxBw: a round counter and the windowed max of bw. */
static void bbr_update_bw(struct sock *sk, const struct rate_sample *rs)
{
	struct tcptune_bbr *ca = inet_csk_ca(sk);
	u64 bw64;
	u32 bw;

	if (rs->delivered < 0 || rs->interval_us <= 0)
		return;
	bw64 = div_u64((u64)rs->delivered << BW_SHIFT, rs->interval_us);
	bw = min_t(u64, bw64, BBR_INF);
	ca->bw_latest = max(ca->bw_latest, bw);
	if (!rs->is_app_limited || bw >= bbr_max_bw(ca))
		ca->bw_hi[ca->bw_slot] = max(ca->bw_hi[ca->bw_slot], bw);
}

/* Do this ACK's losses come with queueing delay?  (rule 1, header) */
static bool bbr_loss_shows_queue(const struct tcptune_bbr *ca,
				 const struct rate_sample *rs, const struct tcptune_knobs *k)
{
	u32 q = bbr_pct(BBR_KNOB(k, loss_qdelay));

	if (rs->rtt_us < 0 || ca->min_rtt_us == BBR_INF)
		return true;
	return ((u64)rs->rtt_us << BBR_UNIT_SHIFT) >
	       (u64)ca->min_rtt_us * (BBR_UNIT + q);
}

/* First per ACK: judged once (one read of loss_qdelay), used all ACK long. */
static void bbr_count_signals(struct sock *sk, const struct rate_sample *rs,
			      const struct tcptune_knobs *k)
{
	struct tcptune_bbr *ca = inet_csk_ca(sk);
	const struct tcp_sock *tp = tcp_sk(sk);
	u32 lost = rs->losses > 0 ? rs->losses : 0;

	ca->ack_queue = bbr_loss_shows_queue(ca, rs, k);
	if (rs->rtt_us >= 0 && ca->min_rtt_us != BBR_INF && !ca->ack_queue) {
		ca->round_flat = 1;
		/* held back by rwnd or sndbuf with no queue (header) */
		if (tp->chrono_type >= TCP_CHRONO_RWND_LIMITED)
			ca->round_limited = 1;
	}
	bbr_round_add(&ca->round, lost, lost && ca->ack_queue,
		      tp->delivered_ce - ca->prior_delivered_ce,
		      rs->prior_in_flight);
	ca->prior_delivered_ce = tp->delivered_ce;
}

/*
 * The round's congestive losses in packets (rule, header).  N, the packets
 * the round is judged on, is at least a BDP, as the draft's per-packet test
 * is of the inflight a lost packet met: a short round does not turn one
 * loss into a high rate.  The random-loss floor excuses its expected count
 * plus rand_loss_band_sigma standard deviations (binomial, ~sqrt(expected)),
 * so that the
 * noise of a few random losses per round is not taken for congestion.
 */
static u32 bbr_congestive_losses(struct tcptune_bbr *ca, u32 delivered, u32 *n,
				 const struct tcptune_knobs *k)
{
	u32 total = max(bbr_add_sat(delivered, ca->round.lost),
			bbr_bdp(ca, bbr_max_bw(ca), BBR_UNIT));
	u32 lost = ca->round.lost, flat = ca->round.lost - ca->round.lost_q;
	bool probing = ca->state == BBR_PROBE_BW && ca->phase == BBR_BW_UP;
	/* not the two rounds after DOWN began: they carry a probe's ACKs */
	bool quiet = ca->state == BBR_PROBE_BW && ca->phase != BBR_BW_UP &&
		     ca->rounds_since_probe >= 2;
	u32 excused = 0;
	u64 expect;

	*n = total;
	if (quiet) {	/* rule 2: the floor, from low-inflight rounds */
		u32 shift = BBR_KNOB(k, rand_loss_floor_shift);
		/* With no standing queue all of the round's loss is random. */
		s32 sample = bbr_rate16(ca->round_flat ? lost : flat, total);
		s32 diff = sample - (s32)ca->loss_floor;

		/* warm-up: weights 1, 1/2, 1/4, then 1/2^shift (header) */
		if (ca->floor_n < 3)
			shift = min_t(u32, shift, ca->floor_n);
		ca->loss_floor = (s32)ca->loss_floor + (diff >> shift);
		if (ca->floor_n < 3)
			ca->floor_n++;
	}
	if (ca->state == BBR_PROBE_BW) {
		/* expected losses and sigma standard deviations, 1/65536 */
		expect = (u64)ca->loss_floor * total;
		expect += (u64)BBR_KNOB(k, rand_loss_band_sigma) *
			  int_sqrt64(expect << LOSS_SHIFT);
		excused = min_t(u64, lost, expect >> LOSS_SHIFT);
	}
	if (!probing)
		excused = max(excused, flat);
	excused = bbr_scale(excused, bbr_pct(BBR_KNOB(k, rand_loss_excuse)));
	return lost - min(lost, excused);
}

/* BBRv3's response to a congested round (draft "Responding to loss"). */
static void bbr_on_congestion(struct sock *sk, const struct rate_sample *rs,
			      u32 delivered, const struct tcptune_knobs *k)
{
	struct tcptune_bbr *ca = inet_csk_ca(sk);
	u32 beta = bbr_pct(BBR_KNOB(k, beta));

	if (ca->state == BBR_STARTUP) {	/* draft BBRCheckStartupHighLoss */
		/*
		 * The draft takes the inflight the lost packet met; the
		 * largest inflight an ACK of the round saw stands for it
		 * (a round's delivered count is only about one BDP and
		 * would leave no room for the buffer).
		 */
		ca->inflight_hi = max3(bbr_bdp(ca, bbr_max_bw(ca), BBR_UNIT),
				       delivered, ca->round.inflight);
		ca->full_bw_reached = 1;
		return;
	}
	/* draft BBRHandleInflightTooHigh */
	if (!rs->is_app_limited)
		ca->inflight_hi = max_t(u32, ca->round.inflight,
					bbr_scale(bbr_target_inflight(sk), beta));
	if (ca->state != BBR_PROBE_BW)
		return;
	/*
	 * The path pushed back: no early probe, neither one still to be
	 * judged (its losses come in DOWN) nor one decided (its wait again
	 * the draft's, from DOWN's start).
	 */
	ca->probe_bw = BBR_INF;
	if (!ca->bw_probe_wait_ms)
		ca->bw_probe_wait_ms = bbr_probe_wait_ms(k);
	if (ca->phase == BBR_BW_UP) {
		bbr_start_down(sk, k);
		return;
	}
	if (ca->phase == BBR_BW_REFILL)
		return;
	/* draft BBRAdaptLowerBoundsFromCongestion, outside probing */
	if (ca->bw_lo == BBR_INF)
		ca->bw_lo = bbr_max_bw(ca);
	if (ca->inflight_lo == BBR_INF)
		ca->inflight_lo = tcp_snd_cwnd(tcp_sk(sk));
	ca->bw_lo = max(ca->bw_latest, bbr_scale(ca->bw_lo, beta));
	ca->inflight_lo = max(max_t(u32, delivered, rs->delivered),
			      bbr_scale(ca->inflight_lo, beta));
}

/*
 * After a probe (header, "Probing again"): the two rounds that end after
 * UP carry the ACKs of the packets sent around and in it; at the end of
 * the second all of them are in.  If max_bw grew by half the probe's gain
 * (12.5 % at 1.25; at least 1/16) and both rounds had an RTT sample with
 * no queue, the path had room: the next probe starts once DOWN drained.
 */
static void bbr_probe_paid_off(struct tcptune_bbr *ca, const struct tcptune_knobs *k)
{
	u32 half;

	if (ca->probe_bw == BBR_INF || ca->state != BBR_PROBE_BW ||
	    (ca->phase != BBR_BW_DOWN && ca->phase != BBR_BW_CRUISE))
		return;
	if (ca->rounds_since_probe == 1) {
		ca->probe_flat = ca->round_flat;
		return;
	}
	if (ca->rounds_since_probe != 2)
		return;
	half = max((BBR_GAIN(k, probe_bw_up_pacing_gain) + BBR_UNIT) >> 1,
		   BBR_UNIT + (BBR_UNIT >> 4));
	if (BBR_KNOB(k, probe_bw_again) && ca->probe_flat && ca->round_flat &&
	    bbr_max_bw(ca) > bbr_scale(ca->probe_bw, half))
		ca->bw_probe_wait_ms = 0;
	ca->probe_bw = BBR_INF;
}

/* Once per round: judge the round that just ended. */
static void bbr_end_round(struct sock *sk, const struct rate_sample *rs,
			  u32 delivered, const struct tcptune_knobs *k)
{
	struct tcptune_bbr *ca = inet_csk_ca(sk);
	const struct tcp_sock *tp = tcp_sk(sk);
	u32 thresh = bbr_pct(BBR_KNOB(k, loss_thresh));
	u32 n, cong = bbr_congestive_losses(ca, delivered, &n, k);
	bool congested = bbr_loss_congested(cong, n, thresh);

	if (congested && ca->state == BBR_STARTUP)
		congested = cong >= BBR_KNOB(k, startup_full_loss_cnt);
	/* counted first: a probe that ends here starts DOWN at round 0 */
	if (ca->rounds_since_probe < 255)
		ca->rounds_since_probe++;
	/*
	 * On a new connection the first round ends at the first ACK (its
	 * packets were all sent when the round began): it holds a packet or
	 * two, one CE mark is half of it or all, and that is no marking
	 * rate.  Round 1's CE share is not judged (after a switch mid-flow
	 * round 1 is a whole round: its marks are only ignored).
	 */
	if (BBR_KNOB(k, ecn) && tcptune_ecn_on(tp) && ca->round_count > 1 &&
	    bbr_ce_congested(ca->round.ce, delivered,
			     bbr_pct(BBR_KNOB(k, ecn_thresh))))
		congested = true;
	if (congested)
		bbr_on_congestion(sk, rs, delivered, k);

	/* ProbeBW_UP: raise inflight_hi 1, 2, 4... packets per round. */
	if (ca->state == BBR_PROBE_BW && ca->phase == BBR_BW_UP && !congested &&
	    ca->hi_limited && ca->inflight_hi != BBR_INF) {
		ca->inflight_hi += 1U << ca->up_rounds;
		if (ca->up_rounds < 7)
			ca->up_rounds++;
		/*
		 * A bw plateau under our own cap says nothing about the
		 * path: keep probing until inflight reaches the probe's
		 * target or the path pushes back.
		 */
		ca->full_bw = bbr_max_bw(ca);
		ca->full_bw_cnt = 0;
	}
	/*
	 * CRUISE: a whole round with every RTT sample above min_rtt * (1 +
	 * loss_qdelay) is a standing queue (bw overestimated): drain it in
	 * DOWN, keeping the time of the next probe (tcptune departure).
	 */
	if (ca->state == BBR_PROBE_BW && ca->phase == BBR_BW_CRUISE &&
	    !ca->round_flat && BBR_KNOB(k, cruise_drain))
		ca->phase = BBR_BW_DOWN;
	bbr_probe_paid_off(ca, k);	/* before round_flat is cleared */
	ca->hi_limited_prev = ca->hi_limited;
	ca->hi_limited = 0;
	memset(&ca->round, 0, sizeof(ca->round));
	ca->round_flat = 0;
	ca->bw_latest = 0;
	if (ca->advance_pending && !rs->is_app_limited) {
		/* draft BBRAdvanceMaxBwFilter */
		ca->advance_pending = 0;
		ca->bw_slot ^= 1;
		ca->bw_hi[ca->bw_slot] = 0;
	}
}

static void bbr_update_round(struct sock *sk, const struct rate_sample *rs,
			     const struct tcptune_knobs *k)
{
	struct tcptune_bbr *ca = inet_csk_ca(sk);
	const struct tcp_sock *tp = tcp_sk(sk);
	u32 delivered;

	ca->round_start = 0;
	if (rs->delivered < 0 || rs->interval_us <= 0 ||
	    before(rs->prior_delivered, ca->next_round_delivered))
		return;
	delivered = tp->delivered - ca->next_round_delivered;
	ca->next_round_delivered = tp->delivered;
	ca->round_start = 1;
	ca->round_count++;
	bbr_end_round(sk, rs, delivered, k);
}

/* Draft BBRUpdateACKAggregation, two slots of win/2 rounds each. */
static void bbr_update_ack_aggregation(struct sock *sk,
				       const struct rate_sample *rs, const struct tcptune_knobs *k)
{
	struct tcptune_bbr *ca = inet_csk_ca(sk);
	const struct tcp_sock *tp = tcp_sk(sk);
	u32 epoch_us, expected, extra, cap_ms;

	if (rs->acked_sacked <= 0 || rs->delivered < 0 || rs->interval_us <= 0)
		return;
	if (ca->round_start &&
	    ++ca->extra_rounds >= BBR_KNOB(k, extra_acked_win_rounds) / 2) {
		ca->extra_rounds = 0;
		ca->extra_slot ^= 1;
		ca->extra_acked[ca->extra_slot] = 0;
	}
	epoch_us = (u32)tp->delivered_mstamp - ca->ack_epoch_mstamp;
	expected = min_t(u64, ((u64)bbr_bw(ca) * epoch_us) >> BW_SHIFT, BBR_INF);
	if (ca->ack_epoch_acked <= expected ||
	    ca->ack_epoch_acked + rs->acked_sacked >= (1U << 19)) {
		ca->ack_epoch_acked = 0;
		ca->ack_epoch_mstamp = (u32)tp->delivered_mstamp;
		expected = 0;
	}
	/* saturated: one huge ACK (an ACK path back from an outage) */
	ca->ack_epoch_acked = min_t(u32, ca->ack_epoch_acked + rs->acked_sacked,
				    (1U << 19) - 1);
	extra = min(ca->ack_epoch_acked - expected, tcp_snd_cwnd(tp));
	cap_ms = BBR_KNOB(k, extra_acked_max_ms);
	if (cap_ms)
		extra = min_t(u64, extra,
			      ((u64)bbr_bw(ca) * cap_ms * USEC_PER_MSEC) >> BW_SHIFT);
	extra = min_t(u32, extra, U16_MAX);
	if (extra > ca->extra_acked[ca->extra_slot])
		ca->extra_acked[ca->extra_slot] = extra;
}

/* ---- Startup and Drain (draft "Startup", "Drain") ---------------------- */

/* Draft BBRCheckFullBWReached; also the plateau test of ProbeBW_UP. */
static void bbr_check_full_bw(struct sock *sk, const struct rate_sample *rs,
			      const struct tcptune_knobs *k)
{
	struct tcptune_bbr *ca = inet_csk_ca(sk);
	u32 grow = BBR_UNIT + bbr_pct(BBR_KNOB(k, full_bw_growth));
	bool up = ca->state == BBR_PROBE_BW && ca->phase == BBR_BW_UP;
	bool limited;

	if (!ca->round_start)
		return;
	/* the round this ACK ended (its signals count there), judged once */
	limited = ca->round_limited;
	ca->round_limited = 0;
	if ((ca->full_bw_reached && !up) || rs->is_app_limited)
		return;
	if (bbr_max_bw(ca) >= bbr_scale(ca->full_bw, grow)) {
		ca->full_bw = bbr_max_bw(ca);
		ca->full_bw_cnt = 0;
		return;
	}
	/*
	 * In Startup a round that the receiver's window or our send buffer
	 * held back, with no queue, is no plateau of the path (header, "A
	 * plateau behind a closed window").
	 */
	if (limited && ca->state == BBR_STARTUP)
		return;
	if (ca->full_bw_cnt < 15)
		ca->full_bw_cnt++;
	if (ca->full_bw_cnt >= BBR_KNOB(k, full_bw_rounds))
		ca->full_bw_reached = 1;
}

static void bbr_check_startup_drain(struct sock *sk, const struct tcptune_knobs *k)
{
	struct tcptune_bbr *ca = inet_csk_ca(sk);

	if (ca->state == BBR_STARTUP && ca->full_bw_reached)
		ca->state = BBR_DRAIN;
	if (ca->state == BBR_DRAIN &&
	    tcp_packets_in_flight(tcp_sk(sk)) <= bbr_bdp(ca, bbr_bw(ca), BBR_UNIT))
		bbr_start_down(sk, k);
}

/* ---- min_rtt and ProbeRTT (draft "ProbeRTT") --------------------------- */

static u32 bbr_probe_rtt_cwnd(const struct tcptune_bbr *ca, u32 min_pipe,
			      const struct tcptune_knobs *k)
{
	return max(bbr_bdp(ca, bbr_bw(ca), BBR_GAIN(k, probe_rtt_cwnd_gain)),
		   min_pipe);
}

static void bbr_exit_probe_rtt(struct sock *sk, const struct tcptune_knobs *k)
{
	struct tcptune_bbr *ca = inet_csk_ca(sk);
	struct tcp_sock *tp = tcp_sk(sk);

	ca->min_rtt_stamp = tcp_jiffies32;	/* next ProbeRTT in an interval */
	tcp_snd_cwnd_set(tp, max(tcp_snd_cwnd(tp), ca->prior_cwnd));
	bbr_reset_lower_bounds(ca);
	if (ca->full_bw_reached) {
		bbr_start_down(sk, k);
		bbr_start_cruise(ca);
	} else {
		ca->state = BBR_STARTUP;
	}
}

static void bbr_check_probe_rtt_done(struct sock *sk, const struct tcptune_knobs *k)
{
	struct tcptune_bbr *ca = inet_csk_ca(sk);

	if (ca->probe_rtt_timing && after(tcp_jiffies32, ca->cycle_stamp))
		bbr_exit_probe_rtt(sk, k);
}

static void bbr_update_min_rtt(struct sock *sk, const struct rate_sample *rs,
			       const struct tcptune_knobs *k)
{
	struct tcptune_bbr *ca = inet_csk_ca(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	bool expired;

	expired = after(tcp_jiffies32, ca->min_rtt_stamp +
			bbr_ms_to_jiffies(BBR_KNOB(k, probe_rtt_interval_ms)));
	/*
	 * An expired min_rtt is replaced by the first sample taken once
	 * ProbeRTT has drained the pipe, not by the sample at expiry: that
	 * one carries the queue, and a ProbeRTT cwnd made from it would keep
	 * the queue for another interval (one filter instead of the
	 * draft's two, see the header).  Only expiry enters ProbeRTT, and
	 * the replacement (or the exit) restamps min_rtt: "expired in
	 * ProbeRTT" is "not yet replaced".
	 */
	if (rs->rtt_us >= 0 &&
	    (rs->rtt_us < ca->min_rtt_us ||
	     (expired && ca->state == BBR_PROBE_RTT && ca->probe_rtt_timing &&
	      !rs->is_ack_delayed))) {
		ca->min_rtt_us = rs->rtt_us;
		ca->min_rtt_stamp = tcp_jiffies32;
	}

	if (expired && !ca->idle_restart && ca->state != BBR_PROBE_RTT) {
		bbr_save_cwnd(sk);
		ca->state = BBR_PROBE_RTT;
		ca->probe_rtt_timing = 0;
		ca->probe_rtt_round_done = 0;
	}
	if (ca->state == BBR_PROBE_RTT) {
		/* Ignore low-rate samples during ProbeRTT (draft). */
		tp->app_limited = (tp->delivered + tcp_packets_in_flight(tp)) ? : 1;
		if (!ca->probe_rtt_timing &&
		    tcp_packets_in_flight(tp) <=
		    bbr_probe_rtt_cwnd(ca, BBR_KNOB(k, min_pipe_cwnd), k)) {
			ca->cycle_stamp = tcp_jiffies32 +
				bbr_ms_to_jiffies(BBR_KNOB(k, probe_rtt_duration_ms));
			ca->probe_rtt_timing = 1;
			ca->probe_rtt_round_done = 0;
			bbr_start_round(sk);
		} else if (ca->probe_rtt_timing) {
			if (ca->round_start)
				ca->probe_rtt_round_done = 1;
			if (ca->probe_rtt_round_done)
				bbr_check_probe_rtt_done(sk, k);
		}
	}
	if (rs->delivered > 0)
		ca->idle_restart = 0;
}

/* ---- Control parameters (draft "Updating Control Parameters") ---------- */

/* Draft BBRQuantizationBudget: room for three send quanta in flight. */
static u32 bbr_quantization_budget(const struct sock *sk, u32 inflight, u32 min_pipe)
{
	const struct tcptune_bbr *ca = inet_csk_ca(sk);
	u32 mss = tcp_sk(sk)->mss_cache ? : 1;
	u32 quantum = min_t(u64, READ_ONCE(sk->sk_pacing_rate) >> 10, 65536U);

	/* 1 ms of data at the pacing rate, at least 2 packets (tcp_tso_autosize) */
	quantum = max(quantum / mss, 2U);
	inflight = max(inflight, 3 * quantum);
	inflight = max(inflight, min_pipe);
	if (ca->state == BBR_PROBE_BW && ca->phase == BBR_BW_UP)
		inflight += 2;
	return inflight;
}

static void bbr_set_cwnd(struct sock *sk, const struct rate_sample *rs,
			 const struct tcptune_knobs *k)
{
	struct tcptune_bbr *ca = inet_csk_ca(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	u32 acked = rs->acked_sacked > 0 ? rs->acked_sacked : 0;
	u32 cwnd = tcp_snd_cwnd(tp), target, cap, lost;
	u32 min_pipe = BBR_KNOB(k, min_pipe_cwnd);
	u8 st = inet_csk(sk)->icsk_ca_state;

	target = bbr_bdp(ca, bbr_bw(ca), bbr_cwnd_gain(ca, k));
	target += max(ca->extra_acked[0], ca->extra_acked[1]);
	target = bbr_quantization_budget(sk, target, min_pipe);

	/* Draft BBRModulateCwndForRecovery (losses: the rule, header). */
	lost = rs->losses > 0 ? rs->losses : 0;
	if (lost && BBR_KNOB(k, rand_loss_excuse) && !ca->ack_queue)
		lost = 0;
	if (lost)
		cwnd = max_t(s32, (s32)cwnd - (s32)lost, 1);
	if (st >= TCP_CA_Recovery && ca->prev_ca_state < TCP_CA_Recovery) {
		ca->packet_conservation = 1;
		cwnd = tcp_packets_in_flight(tp) + max(acked, 1U);
	} else if (st < TCP_CA_Recovery && ca->prev_ca_state >= TCP_CA_Recovery) {
		ca->packet_conservation = 0;
		cwnd = max(cwnd, ca->prior_cwnd);
	} else if (ca->packet_conservation && ca->round_start) {
		ca->packet_conservation = 0;
	}
	ca->prev_ca_state = st;

	if (ca->packet_conservation) {
		cwnd = max(cwnd, tcp_packets_in_flight(tp) + acked);
	} else {
		if (ca->full_bw_reached)
			cwnd = min(cwnd + acked, target);
		else if (cwnd < target || tp->delivered < TCP_INIT_CWND)
			cwnd += acked;
		cwnd = max(cwnd, min_pipe);
	}

	if (ca->state == BBR_PROBE_RTT)
		cwnd = min(cwnd, bbr_probe_rtt_cwnd(ca, min_pipe, k));

	/* Draft BBRBoundCwndForModel. */
	cap = BBR_INF;
	if (ca->state == BBR_PROBE_BW && ca->phase != BBR_BW_CRUISE)
		cap = ca->inflight_hi;
	else if (ca->state == BBR_PROBE_RTT ||
		 (ca->state == BBR_PROBE_BW && ca->phase == BBR_BW_CRUISE))
		cap = bbr_inflight_with_headroom(ca, min_pipe, k);
	cap = max(min(cap, ca->inflight_lo), min_pipe);
	if (ca->state == BBR_PROBE_BW && ca->phase == BBR_BW_UP &&
	    cwnd >= ca->inflight_hi && tcp_is_cwnd_limited(sk))
		ca->hi_limited = 1;
	cwnd = min(cwnd, cap);

	tcp_snd_cwnd_set(tp, min(cwnd, tp->snd_cwnd_clamp));
}

/* The state as the tuning layer's dump and events name it. */
static u8 bbr_uapi_state(const struct tcptune_bbr *ca)
{
	static const u8 phase[] = {
		[BBR_BW_DOWN]	= TCPTUNE_BBR_PROBE_BW_DOWN,
		[BBR_BW_CRUISE]	= TCPTUNE_BBR_PROBE_BW_CRUISE,
		[BBR_BW_REFILL]	= TCPTUNE_BBR_PROBE_BW_REFILL,
		[BBR_BW_UP]	= TCPTUNE_BBR_PROBE_BW_UP,
	};

	switch (ca->state) {
	case BBR_STARTUP:
		return TCPTUNE_BBR_STARTUP;
	case BBR_DRAIN:
		return TCPTUNE_BBR_DRAIN;
	case BBR_PROBE_BW:
		return phase[ca->phase];
	default:
		return TCPTUNE_BBR_PROBE_RTT;
	}
}

/* A state change: an event for `tcptune monitor`, ProbeRTT counted. */
static void bbr_state_changed(struct sock *sk, u8 state)
{
	if (state == TCPTUNE_BBR_PROBE_RTT)
		tcptune_count(sk, TCPTUNE_CNT_PROBE_RTTS);
	tcptune_event(sk, TCPTUNE_EVENT_BBR_STATE, inet_csk(sk)->icsk_ca_state, state);
}

/* Per-ACK entry point (draft BBRUpdateOnACK). */
static void tcptune_bbr_cong_control(struct sock *sk, u32 ack, int flag,
				     const struct rate_sample *rs)
{
	struct tcptune_bbr *ca = inet_csk_ca(sk);
	const struct tcptune_knobs *k;
	u8 old_state;

	/* The handshake's ACK is processed before init(): nothing to do. */
	if (unlikely(!ca->common.ready))
		return;
	k = tcptune_sk_knobs(sk);	/* once per ACK, handed down */
	old_state = bbr_uapi_state(ca);

	bbr_count_signals(sk, rs, k);
	bbr_update_bw(sk, rs);
	bbr_update_round(sk, rs, k);
	bbr_update_ack_aggregation(sk, rs, k);
	bbr_check_full_bw(sk, rs, k);
	bbr_check_startup_drain(sk, k);
	bbr_update_probe_bw_phase(sk, k);
	bbr_update_min_rtt(sk, rs, k);

	bbr_set_pacing_rate(sk, bbr_rate_bytes(sk, bbr_bw(ca), bbr_pacing_gain(ca, k), k), k);
	bbr_set_cwnd(sk, rs, k);
	if (unlikely(bbr_uapi_state(ca) != old_state))
		bbr_state_changed(sk, bbr_uapi_state(ca));
}

TCPTUNE_DEFINE_CONG_CONTROL(tcptune_bbr_cong_control)

static void tcptune_bbr_init(struct sock *sk)
{
	const struct tcptune_knobs *k = tcptune_sk_knobs(sk);
	struct tcptune_bbr *ca = inet_csk_ca(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	u64 rate;

	BUILD_BUG_ON(sizeof(struct tcptune_bbr) > ICSK_CA_PRIV_SIZE);
	BUILD_BUG_ON(offsetof(struct tcptune_bbr, common));

	/* Everything but the common head, which the stack zeroed for us. */
	memset((char *)ca + sizeof(ca->common), 0,
	       sizeof(*ca) - sizeof(ca->common));
	tcptune_sk_init(sk);
	ca->state = BBR_STARTUP;
	ca->min_rtt_us = tcp_min_rtt(tp);	/* ~0U: no sample yet */
	ca->min_rtt_stamp = tcp_jiffies32;
	ca->inflight_hi = BBR_INF;
	ca->probe_bw = BBR_INF;
	bbr_reset_lower_bounds(ca);
	ca->prev_ca_state = TCP_CA_Open;
	ca->next_round_delivered = tp->delivered;
	ca->prior_delivered_ce = tp->delivered_ce;
	ca->ack_epoch_mstamp = (u32)tp->tcp_mstamp;
	ca->prior_cwnd = tcp_snd_cwnd(tp);

	/* Draft BBRInitPacingRate, or the young floor above it (header). */
	ca->young = 1;
	ca->young_rate = bbr_young_rate(tp->mss_cache, tp->srtt_us, BBR_YOUNG_SHIFT);
	rate = max(bbr_init_rate(sk, tcp_snd_cwnd(tp), k),
		   (u64)tcp_snd_cwnd(tp) * ca->young_rate);
	WRITE_ONCE(sk->sk_pacing_rate,
		   min_t(u64, rate, READ_ONCE(sk->sk_max_pacing_rate)));

	/* Pace in the stack when fq is not there to do it. */
	cmpxchg(&sk->sk_pacing_status, SK_PACING_NONE, SK_PACING_NEEDED);
}

/* Idempotent, also without init (tcp_disconnect, 6.x). */
static void tcptune_bbr_release(struct sock *sk)
{
	tcptune_sk_release(sk);
}

/* Recoveries and RTOs, counted and told as for the other algorithms. */
static void tcptune_bbr_set_state(struct sock *sk, u8 new_state)
{
	u8 old_state = inet_csk(sk)->icsk_ca_state;

	if (old_state == TCP_CA_Recovery && new_state != TCP_CA_Recovery)
		tcptune_event(sk, TCPTUNE_EVENT_RECOVERY_EXIT, new_state, 0);
	if (new_state == TCP_CA_Recovery) {
		tcptune_count(sk, TCPTUNE_CNT_RECOVERIES);
		tcptune_event(sk, TCPTUNE_EVENT_RECOVERY_ENTER, new_state, 0);
	} else if (new_state == TCP_CA_Loss) {
		tcptune_count(sk, TCPTUNE_CNT_RTOS);
		tcptune_event(sk, TCPTUNE_EVENT_RTO, new_state, 0);
	}
}

/* Save cwnd for recovery; ssthresh itself means nothing to BBR. */
static u32 tcptune_bbr_ssthresh(struct sock *sk)
{
	struct tcptune_bbr *ca = inet_csk_ca(sk);

	if (ca->common.ready)
		bbr_save_cwnd(sk);
	return tcp_sk(sk)->snd_ssthresh;
}

static u32 tcptune_bbr_undo_cwnd(struct sock *sk)
{
	struct tcptune_bbr *ca = inet_csk_ca(sk);

	/* A spurious loss: the pipe may not be full after all. */
	tcptune_count(sk, TCPTUNE_CNT_UNDOS);
	ca->full_bw = 0;
	ca->full_bw_cnt = 0;
	bbr_reset_lower_bounds(ca);
	return tcp_snd_cwnd(tcp_sk(sk));
}

/* Draft "Restarting From Idle". */
static void tcptune_bbr_tx_start(struct sock *sk)
{
	const struct tcptune_knobs *k = tcptune_sk_knobs(sk);
	struct tcptune_bbr *ca = inet_csk_ca(sk);
	struct tcp_sock *tp = tcp_sk(sk);

	if (!ca->common.ready || !tp->app_limited)
		return;
	ca->idle_restart = 1;
	ca->ack_epoch_mstamp = (u32)tp->tcp_mstamp;
	ca->ack_epoch_acked = 0;
	if (ca->state == BBR_PROBE_BW)
		WRITE_ONCE(sk->sk_pacing_rate,
			   min_t(u64, bbr_rate_bytes(sk, bbr_bw(ca), BBR_UNIT, k),
				 READ_ONCE(sk->sk_max_pacing_rate)));
	else if (ca->state == BBR_PROBE_RTT)
		bbr_check_probe_rtt_done(sk, k);
}

TCPTUNE_DEFINE_TX_START(tcptune_bbr_tx_start)

/* Enough send buffer to keep sending while recovering from losses. */
static u32 tcptune_bbr_sndbuf_expand(struct sock *sk)
{
	return 3;
}

/*
 * inet_diag: the BBR layout, so `ss -ti` shows bbr:(bw,mrtt,gains).
 *
 * Runs without the socket lock (getsockopt TCP_CC_INFO, inet_diag), while
 * tcp_disconnect() or a change of algorithm may release and zero the
 * private area: it reads only scalars from it (a torn or zeroed view gives
 * odd numbers, never a fault) and finds the knobs through sock_net(sk).
 */
static size_t tcptune_bbr_get_info(struct sock *sk, u32 ext, int *attr,
				   union tcp_cc_info *info)
{
	const struct tcptune_knobs *k = tcptune_sk_knobs(sk);
	const struct tcptune_bbr *ca = inet_csk_ca(sk);
	u64 bw;

	if (!(ext & (1 << (INET_DIAG_BBRINFO - 1))) &&
	    !(ext & (1 << (INET_DIAG_VEGASINFO - 1))))
		return 0;
	memset(&info->bbr, 0, sizeof(info->bbr));
	if (ca->common.ready) {
		bw = ((u64)bbr_bw(ca) * tcp_sk(sk)->mss_cache * USEC_PER_SEC) >> BW_SHIFT;
		info->bbr.bbr_bw_lo = (u32)bw;
		info->bbr.bbr_bw_hi = (u32)(bw >> 32);
		info->bbr.bbr_min_rtt = ca->min_rtt_us;
		info->bbr.bbr_pacing_gain = bbr_pacing_gain(ca, k) >> 2;	/* << 8 */
		info->bbr.bbr_cwnd_gain = bbr_cwnd_gain(ca, k) >> 2;
	}
	*attr = INET_DIAG_BBRINFO;
	return sizeof(info->bbr);
}

/* The model for the tuning layer's socket dump (socket locked). */
static int tcptune_bbr_fill_model(struct sock *sk, struct sk_buff *skb)
{
	const struct tcptune_knobs *k = tcptune_sk_knobs(sk);
	const struct tcptune_bbr *ca = inet_csk_ca(sk);
	u32 mss = tcp_sk(sk)->mss_cache;
	u64 bw_lo = ca->bw_lo == BBR_INF ? ~0ULL :
		    ((u64)ca->bw_lo * mss * USEC_PER_SEC) >> BW_SHIFT;
	struct nlattr *nest;

	if (!ca->common.ready)
		return 0;
	nest = nla_nest_start(skb, TCPTUNE_SOCK_A_BBR);
	if (!nest ||
	    nla_put_u8(skb, TCPTUNE_BBR_A_STATE, bbr_uapi_state(ca)) ||
	    nla_put_u64_64bit(skb, TCPTUNE_BBR_A_BW,
			      ((u64)bbr_max_bw(ca) * mss * USEC_PER_SEC) >> BW_SHIFT,
			      TCPTUNE_BBR_A_PAD) ||
	    nla_put_u32(skb, TCPTUNE_BBR_A_MIN_RTT, ca->min_rtt_us) ||
	    nla_put_u32(skb, TCPTUNE_BBR_A_PACING_GAIN,
			DIV_ROUND_CLOSEST(bbr_pacing_gain(ca, k) * 100, BBR_UNIT)) ||
	    nla_put_u32(skb, TCPTUNE_BBR_A_CWND_GAIN,
			DIV_ROUND_CLOSEST(bbr_cwnd_gain(ca, k) * 100, BBR_UNIT)) ||
	    nla_put_u32(skb, TCPTUNE_BBR_A_INFLIGHT_HI, ca->inflight_hi) ||
	    nla_put_u32(skb, TCPTUNE_BBR_A_INFLIGHT_LO, ca->inflight_lo) ||
	    nla_put_u64_64bit(skb, TCPTUNE_BBR_A_BW_LO, bw_lo, TCPTUNE_BBR_A_PAD) ||
	    nla_put_u32(skb, TCPTUNE_BBR_A_ROUND, ca->round_count)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

struct tcp_congestion_ops tcptune_bbr_ops __read_mostly = {
	.name		= "tcptune_bbr",
	.owner		= THIS_MODULE,
	.init		= tcptune_bbr_init,
	.release	= tcptune_bbr_release,
	.ssthresh	= tcptune_bbr_ssthresh,
	.undo_cwnd	= tcptune_bbr_undo_cwnd,
	.cong_control	= TCPTUNE_CONG_CONTROL(tcptune_bbr_cong_control),
	.set_state	= tcptune_bbr_set_state,
	TCPTUNE_TX_START(tcptune_bbr_tx_start),
	.sndbuf_expand	= tcptune_bbr_sndbuf_expand,
	.get_info	= tcptune_bbr_get_info,
};

const struct tcptune_algo_info tcptune_bbr_info = {
	.ops		= &tcptune_bbr_ops,
	.algo		= TCPTUNE_ALGO_BBR,
	.fill_model	= tcptune_bbr_fill_model,
};

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The knob table: the single source of truth for every tunable of every
 * tcptune algorithm.  Sysctls (net.tcptune.<algo>.<knob>), the netlink
 * policy and replies, and the CLI's listing are all generated from it; a new
 * knob is one line here.
 *
 * A row is X(ALGO, name, unit, min, max, default, when, doc):
 *   ALGO     RENO, NEWRENO or BBR (the family lists below take it as A)
 *   name     C identifier, also the sysctl and CLI name
 *   unit     shown to users: "segments", "percent", "ms", "us", "bool", ...
 *   min,max  inclusive bounds, checked on every write
 *   default  a new network namespace starts from these values
 *   when     LIVE: read on every ACK, existing connections follow a change;
 *            START: read when a connection starts (init), later changes
 *            reach new connections only (enum tcptune_knob_when, uapi)
 *   doc      one line for `tcptune knobs` and the sysctl documentation
 * Every value is a u32.
 */
#ifndef _TCPTUNE_KNOBS_H
#define _TCPTUNE_KNOBS_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <net/netns/generic.h>
#include <net/sock.h>
#include <uapi/linux/tcptune.h>

/* RFC 5681 / RFC 6582 algorithms: one set each for reno and newreno. */
#define TCPTUNE_RENO_KNOBS(X, A)						\
	X(A, iw, "segments", 0, 1000, 0, START,					\
	  "initial window; 0: the route's initcwnd, else 10 (RFC 6928)")	\
	X(A, init_ssthresh, "segments", 0, 1000000, 0, START,			\
	  "initial ssthresh; 0: unlimited (RFC 5681 3.1: arbitrarily high)")	\
	X(A, cwnd_clamp, "segments", 0, 1000000, 0, LIVE,			\
	  "upper bound on cwnd; 0: only the socket's own clamp")		\
	X(A, restart_idle, "0/1/2", 0, 2, 2, LIVE,				\
	  "restart window after idle > RTO (RFC 5681 4.1): 0 off, 1 on, "	\
	  "2 as net.ipv4.tcp_slow_start_after_idle")				\
	X(A, beta, "percent", 10, 90, 50, LIVE,					\
	  "multiplicative decrease: ssthresh = max(FlightSize * beta, 2) "	\
	  "(RFC 5681 (4): 50)")							\
	X(A, abc_l, "segments", 1, 16, 2, LIVE,					\
	  "slow-start growth limit L per ACK (RFC 3465 2.2; 1 after an RTO)")	\
	X(A, pacing, "bool", 0, 1, 0, START,					\
	  "turn on the stack's internal pacing (without fq) at the ratios "	\
	  "below")								\
	X(A, pacing_ss_ratio, "percent", 1, 1000, 200, LIVE,			\
	  "pacing rate in slow start, percent of cwnd * mss / srtt")		\
	X(A, pacing_ca_ratio, "percent", 1, 1000, 120, LIVE,			\
	  "pacing rate in congestion avoidance, percent of cwnd * mss / srtt")

/*
 * tcptune_bbr (draft-ietf-ccwg-bbr, "the draft", whose names are quoted).
 * Gains and fractions are percent; the algorithm turns them into its
 * 1/1024 fixed point with a multiply and a shift (no division per ACK).
 */
#define TCPTUNE_BBR_KNOBS(X, A)						\
	X(A, startup_pacing_gain, "percent", 100, 1000, 277, LIVE,		\
	  "Startup pacing_gain, 4*ln(2) (draft: 2.77)")		\
	X(A, startup_cwnd_gain, "percent", 100, 1000, 200, LIVE,		\
	  "Startup cwnd_gain (draft: 2)")				\
	X(A, drain_pacing_gain, "percent", 10, 100, 35, LIVE,			\
	  "Drain pacing_gain (draft: 0.35)")				\
	X(A, probe_bw_down_pacing_gain, "percent", 10, 100, 90, LIVE,	\
	  "ProbeBW_DOWN pacing_gain (draft: 0.90)")			\
	X(A, probe_bw_up_pacing_gain, "percent", 100, 400, 125, LIVE,	\
	  "ProbeBW_UP pacing_gain (draft: 1.25)")			\
	X(A, probe_bw_cwnd_gain, "percent", 100, 1000, 200, LIVE,		\
	  "cwnd_gain in ProbeBW DOWN/CRUISE/REFILL (draft: 2)")		\
	X(A, probe_bw_up_cwnd_gain, "percent", 100, 1000, 225, LIVE,		\
	  "cwnd_gain in ProbeBW_UP (draft: 2.25)")			\
	X(A, probe_rtt_cwnd_gain, "percent", 10, 100, 50, LIVE,		\
	  "ProbeRTT cwnd as a fraction of the BDP (draft: 0.5)")	\
	X(A, full_bw_growth, "percent", 1, 100, 25, LIVE,			\
	  "Startup ends when bw grew less than this ... (draft: 25)")	\
	X(A, full_bw_rounds, "rounds", 1, 10, 3, LIVE,				\
	  "... for this many rounds in a row (draft: 3)")		\
	X(A, startup_full_loss_cnt, "packets", 1, 1000, 6, LIVE,		\
	  "congestive losses in a round that can end Startup "			\
	  "(draft: 6)")							\
	X(A, probe_rtt_interval_ms, "ms", 100, 60000, 5000, LIVE,		\
	  "min_rtt window and ProbeRTT interval (draft: 5 s)")	\
	X(A, probe_rtt_duration_ms, "ms", 1, 10000, 200, LIVE,		\
	  "time at the ProbeRTT cwnd (draft: 200 ms)")		\
	/* base + rand <= U16_MAX: tcptune_bbr keeps the wait in a u16 */	\
	X(A, probe_bw_wait_base_ms, "ms", 100, 30000, 2000, LIVE,		\
	  "ProbeBW: wait at least this long between bw probes "		\
	  "(draft: 2 s)")						\
	X(A, probe_bw_wait_rand_ms, "ms", 0, 30000, 1000, LIVE,		\
	  "... plus a random 0..this (draft: 1 s)")			\
	X(A, reno_coexist_rounds_max, "rounds", 1, 255, 63, LIVE,		\
	  "probe bw after min(BDP in packets, this) rounds "			\
	  "(draft: 63)")						\
	/* max 60: tcptune_bbr counts 60 / 2 rounds in a 5-bit field */	\
	X(A, extra_acked_win_rounds, "rounds", 2, 60, 10, LIVE,		\
	  "ACK aggregation max filter window (draft: 10)")		\
	X(A, extra_acked_max_ms, "ms", 0, 1000, 100, LIVE,			\
	  "cap of the aggregation allowance, in ms at bw; 0: cwnd only "	\
	  "(departure: the draft caps at cwnd only)")				\
	X(A, min_pipe_cwnd, "segments", 2, 100, 4, LIVE,			\
	  "smallest cwnd (draft BBRMinPipeCwnd: 4)")			\
	X(A, pacing_margin, "percent", 0, 50, 1, LIVE,				\
	  "pace this much below the model (draft: 1)")			\
	X(A, loss_thresh, "percent", 1, 50, 2, LIVE,				\
	  "congestive loss rate per round that bounds inflight "		\
	  "(draft BBRLossThresh: 2)")					\
	X(A, beta, "percent", 10, 100, 70, LIVE,				\
	  "multiplicative decrease of the bounds on congestion "		\
	  "(draft BBRBeta: 70)")					\
	X(A, headroom, "percent", 0, 90, 15, LIVE,				\
	  "inflight_hi headroom left for other flows "				\
	  "(draft BBRHeadroom: 15)")					\
	X(A, ecn, "bool", 0, 1, 1, LIVE,					\
	  "CE marks count as congestion when the flow is ECN-capable")	\
	X(A, ecn_thresh, "percent", 1, 100, 50, LIVE,				\
	  "CE-marked share of a round that counts as congestion (v3: 50)")	\
	X(A, loss_qdelay, "percent", 0, 1000, 5, LIVE,				\
	  "a loss whose ACK shows queueing delay above this share of "	\
	  "min_rtt is congestive (tcptune rule, see tcptune_bbr.c)")		\
	X(A, rand_loss_excuse, "percent", 0, 100, 100, LIVE,			\
	  "share of random-looking loss not treated as congestion; "		\
	  "0: every loss counts (draft/BBRv3)")					\
	X(A, rand_loss_floor_shift, "log2 rounds", 0, 8, 3, LIVE,		\
	  "random-loss floor: EWMA over 2^this quiet rounds")		\
	X(A, rand_loss_band_sigma, "std devs", 0, 10, 3, LIVE,		\
	  "a round's loss within the floor plus this many binomial "		\
	  "standard deviations is random")					\
	X(A, cruise_drain, "bool", 0, 1, 1, LIVE,				\
	  "CRUISE -> DOWN after a round with a standing queue "		\
	  "(departure: the draft waits for the next probe)")		\
	X(A, probe_bw_again, "bool", 0, 1, 1, LIVE,				\
	  "a probe that raised bw by half its gain on an empty queue "	\
	  "probes again once drained (departure: the draft waits 2-3 s)")	\
	X(A, rand_loss_probe_max, "percent", 0, 40, 25, LIVE,		\
	  "ProbeBW_UP paces 1 / (1 - floor) faster for a random-loss "	\
	  "floor up to this; 0: the draft's gain")

#define TCPTUNE_KNOBS(X)		\
	TCPTUNE_RENO_KNOBS(X, RENO)	\
	TCPTUNE_RENO_KNOBS(X, NEWRENO)	\
	TCPTUNE_BBR_KNOBS(X, BBR)

enum tcptune_algo {
	TCPTUNE_ALGO_RENO,
	TCPTUNE_ALGO_NEWRENO,
	TCPTUNE_ALGO_BBR,
	TCPTUNE_ALGO_MAX,
};

/* Global knob ids: TCPTUNE_KNOB_<ALGO>_<name>. */
enum tcptune_knob_id {
#define TCPTUNE_X_ID(A, name, ...) TCPTUNE_KNOB_##A##_##name,
	TCPTUNE_KNOBS(TCPTUNE_X_ID)
#undef TCPTUNE_X_ID
	TCPTUNE_NR_KNOBS
};

/* Offsets inside one family, so shared code serves reno and newreno. */
enum tcptune_reno_knob {
#define TCPTUNE_X_OFF(A, name, ...) RENO_KNOB_##name,
	TCPTUNE_RENO_KNOBS(TCPTUNE_X_OFF, _)
#undef TCPTUNE_X_OFF
	RENO_NR_KNOBS
};

struct tcptune_knob_desc {
	const char *name;
	const char *unit;
	const char *doc;
	u32 min, max, def;
	u8 algo;	/* enum tcptune_algo */
	u8 when;	/* enum tcptune_knob_when (uapi) */
};

extern const struct tcptune_knob_desc tcptune_knob_desc[TCPTUNE_NR_KNOBS];
extern const char *const tcptune_algo_name[TCPTUNE_ALGO_MAX];

/* One network namespace's values. */
struct tcptune_knobs {
	u32 val[TCPTUNE_NR_KNOBS];
};

/*
 * What is atomic.  Writers (sysctl, netlink KNOB_SET) store each u32 with
 * WRITE_ONCE() under tcptune_knob_mutex, and check every value of a set
 * against its range before storing any: a set is all or nothing, and two
 * writers never interleave.  Readers take no lock (the per-ACK path may
 * not): an ACK that races with a multi-knob set may see some of the set's
 * new values and some old ones.  No knob's range or meaning depends on
 * another's, so every mix is a valid configuration.  What the algorithms
 * guarantee is that each decision reads each knob once (one READ_ONCE()
 * into a local): a decision never acts on two values of one knob.
 */
static inline u32 tcptune_knob(const struct tcptune_knobs *k, unsigned int id)
{
	return READ_ONCE(k->val[id]);
}

/*
 * The knob block of a namespace (struct tcptune_net begins with it); valid
 * while the namespace lives, so while any socket of it does.  No pointer
 * to it is kept in a socket's private area.
 *
 * net_generic()'s two loads, with preemption off instead of inside
 * rcu_read_lock(): on PREEMPT_RCU kernels (Debian's) that is a pair of
 * out-of-line calls, which made most of a lookup's per-ACK cost (P8,
 * scripts/bench-ackcost.sh).  A preempt-disabled region is an RCU reader
 * that synchronize_rcu() and kfree_rcu(), which frees a replaced net->gen,
 * wait for (one RCU flavour since 4.20); preempt_disable() is one inline
 * per-CPU increment.
 */
extern unsigned int tcptune_net_id;

static inline const struct tcptune_knobs *tcptune_net_knobs(const struct net *net)
{
	const struct tcptune_knobs *k;

	preempt_disable();
	k = rcu_dereference_sched(net->gen)->ptr[tcptune_net_id];
	preempt_enable();
	return k;
}

static inline const struct tcptune_knobs *tcptune_sk_knobs(const struct sock *sk)
{
	return tcptune_net_knobs(sock_net(sk));
}

/*
 * The knob generation: every write of knobs, in any namespace, stores its
 * values and then bumps it (tcptune_knobs_written(), under
 * tcptune_knob_mutex, a release).  An algorithm may keep in its private
 * area a copy of the few LIVE knob values it reads per ACK, with the
 * generation it took them at: one load and compare per ACK instead of
 * the lookup of the namespace's block, and the copy is refreshed on the
 * first ACK after any write (tcptune_knob_gen_changed()).  A u32: a socket
 * would need 2^32 writes between two of its ACKs to miss one.  It is one
 * counter for every namespace, so that an ACK reads nothing of its own
 * namespace: a writer in one namespace (its own admin, maybe in a user
 * namespace) makes every socket refresh on its next ACK, which costs it at
 * most the namespace lookup the copy saves, once per write.
 */
extern unsigned int tcptune_knob_gen;

void tcptune_knobs_written(void);

/* The generation, for a first copy: the values read after it are its own. */
static inline unsigned int tcptune_knob_gen_acquire(void)
{
	return smp_load_acquire(&tcptune_knob_gen);	/* pairs with the release */
}

/*
 * gen was read (READ_ONCE) from tcptune_knob_gen: true if it differs from
 * the copy's, and then the reads that follow, of the knob values, see at
 * least the values stored before gen was published.
 */
static inline bool tcptune_knob_gen_changed(unsigned int gen, unsigned int copy)
{
	if (likely(gen == copy))
		return false;
	smp_rmb();	/* pairs with smp_store_release() in tcptune_knobs_written() */
	return true;
}

int tcptune_knobs_init(void);
void tcptune_knobs_exit(void);

#endif /* _TCPTUNE_KNOBS_H */

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
#include <uapi/linux/tcptune.h>

struct net;

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

#define TCPTUNE_KNOBS(X)		\
	TCPTUNE_RENO_KNOBS(X, RENO)	\
	TCPTUNE_RENO_KNOBS(X, NEWRENO)

enum tcptune_algo {
	TCPTUNE_ALGO_RENO,
	TCPTUNE_ALGO_NEWRENO,
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
 * Per-ACK read.  A writer (sysctl, netlink) stores each u32 with
 * WRITE_ONCE(); a reader sees the old or the new value, never a torn one.
 */
static inline u32 tcptune_knob(const struct tcptune_knobs *k, unsigned int id)
{
	return READ_ONCE(k->val[id]);
}

/* The knob block of a namespace; valid while the namespace lives. */
const struct tcptune_knobs *tcptune_net_knobs(const struct net *net);

int tcptune_knobs_init(void);
void tcptune_knobs_exit(void);

#endif /* _TCPTUNE_KNOBS_H */

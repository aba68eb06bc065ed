/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcptune: declarations shared by the module's compile units.
 */
#ifndef _TCPTUNE_H
#define _TCPTUNE_H

#include <net/tcp.h>

struct tcptune_knobs;
struct sk_buff;

/*
 * Common head of every tcptune algorithm's per-socket state (first member
 * of its struct in icsk_ca_priv), so the tuning layer can find and read any
 * of our sockets the same way.
 */
struct tcptune_sk {
	struct hlist_node node;			/* per-netns registry of sockets */
	const struct tcptune_knobs *knobs;	/* this netns's knobs; NULL before init */
};

extern struct tcp_congestion_ops tcptune_reno_ops;
extern struct tcp_congestion_ops tcptune_newreno_ops;
extern struct tcp_congestion_ops tcptune_bbr_ops;

/*
 * What the tuning layer needs of an algorithm besides its ops: its knob
 * set, and how to put its own model into a socket dump (a nest it opens
 * itself; called with the socket locked, may not sleep).
 */
struct tcptune_algo_info {
	struct tcp_congestion_ops *ops;
	u8 algo;					/* enum tcptune_algo */
	int (*fill_model)(struct sock *sk, struct sk_buff *skb);
};

extern const struct tcptune_algo_info tcptune_reno_info;
extern const struct tcptune_algo_info tcptune_newreno_info;
extern const struct tcptune_algo_info tcptune_bbr_info;

/* Per-namespace, per-algorithm event counters. */
enum tcptune_counter {
	TCPTUNE_CNT_RECOVERIES,
	TCPTUNE_CNT_RTOS,
	TCPTUNE_CNT_UNDOS,
	TCPTUNE_CNT_PROBE_RTTS,
	TCPTUNE_NR_COUNTERS
};

/*
 * Called by every algorithm: register from init() (sets common.knobs),
 * unregister from release() (idempotent, also without init).
 */
void tcptune_sk_register(struct sock *sk);
void tcptune_sk_unregister(struct sock *sk);

/*
 * A state change worth counting / telling `tcptune monitor` (never per ACK):
 * type is enum tcptune_event_type, ca_state the CA state the socket is
 * entering (set_state() runs before the stack changes it), bbr_state the
 * new enum tcptune_bbr_state for TCPTUNE_EVENT_BBR_STATE.
 */
void tcptune_count(const struct sock *sk, enum tcptune_counter c);
void tcptune_event(struct sock *sk, u8 type, u8 ca_state, u8 bbr_state);

#endif /* _TCPTUNE_H */

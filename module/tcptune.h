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
 * of its struct in icsk_ca_priv).
 *
 * It holds no pointer: get_info() and inet_diag read the private area
 * without the socket lock while tcp_disconnect() or a change of algorithm
 * releases and zeroes it, so nothing in it may be followed.  Knobs and
 * counters are found through sock_net(sk) (tcptune_sk_knobs()).
 */
struct tcptune_sk {
	u32 ready:1,		/* init() ran since the area was last zeroed */
	    counted:1,		/* in this namespace's socket count */
	    unused:30;
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
 * Called by every algorithm: tcptune_sk_init() from init(), which marks
 * the area ready and counts the socket; tcptune_sk_release() from
 * release() (idempotent, also without init).
 */
void tcptune_sk_init(struct sock *sk);
void tcptune_sk_release(struct sock *sk);

static inline bool tcptune_sk_ready(const struct sock *sk)
{
	const struct tcptune_sk *c = inet_csk_ca(sk);

	return c->ready;
}

/*
 * A state change worth counting / telling `tcptune monitor` (never per ACK):
 * type is enum tcptune_event_type, ca_state the CA state the socket is
 * entering (set_state() runs before the stack changes it), bbr_state the
 * new enum tcptune_bbr_state for TCPTUNE_EVENT_BBR_STATE.
 */
void tcptune_count(const struct sock *sk, enum tcptune_counter c);
void tcptune_event(struct sock *sk, u8 type, u8 ca_state, u8 bbr_state);

/*
 * The socket dump's filter (filter.c), inet_diag bytecode: checked once by
 * tcptune_bc_audit() (0, -EINVAL, -EPERM for a mark without CAP_NET_ADMIN,
 * -EOPNOTSUPP for a cgroup where the kernel keeps none), then run on full
 * sockets under their hash bucket's lock.
 */
struct nlattr;
struct netlink_ext_ack;
int tcptune_bc_audit(const struct nlattr *attr, bool net_admin,
		     struct netlink_ext_ack *extack);
bool tcptune_bc_run(const struct nlattr *attr, struct sock *sk);

#endif /* _TCPTUNE_H */

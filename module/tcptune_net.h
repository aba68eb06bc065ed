/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per network namespace state of the tuning layer (net_generic): the knob
 * values, socket counts, event counters and the event rate limiter.
 */
#ifndef _TCPTUNE_NET_H
#define _TCPTUNE_NET_H

#include <linux/atomic.h>
#include <linux/percpu.h>
#include <linux/spinlock.h>
#include <net/net_namespace.h>

#include "knobs.h"
#include "tcptune.h"

struct ctl_table_header;

/*
 * Sockets of each algorithm counted on this CPU: inits minus releases, in
 * modular arithmetic (a CPU that only releases wraps below zero); the sum
 * over all CPUs is the count.
 */
struct tcptune_pcpu {
	unsigned int nsocks[TCPTUNE_ALGO_MAX];
};

struct tcptune_net {
	struct tcptune_knobs knobs;	/* first: see tcptune_net_knobs() */
	struct net *net;

	/*
	 * User sockets (sk_net_refcnt) per algorithm: incremented in init()
	 * and decremented in release(), on whichever CPU they run, with no
	 * lock shared between CPUs; summed by readers.  Each such socket
	 * holds a reference on the namespace, so all are gone before the
	 * namespace's exit.  Kernel sockets are not counted (see registry.c).
	 */
	struct tcptune_pcpu __percpu *pcpu;

	/* Event counters: written on state changes, never per ACK. */
	atomic64_t counters[TCPTUNE_ALGO_MAX][TCPTUNE_NR_COUNTERS];

	/* events: token bucket of TCPTUNE_EVENT_BURST, TCPTUNE_EVENT_RATE/s */
	spinlock_t ev_lock;
	unsigned long ev_stamp;		/* jiffies of the last refill */
	u32 ev_credit;			/* events * HZ */
	atomic_t ev_dropped;		/* not sent since the last event sent */

	struct ctl_table_header *sysctl[TCPTUNE_ALGO_MAX];
};

static inline struct tcptune_net *tcptune_net(const struct net *net)
{
	return net_generic(net, tcptune_net_id);
}

/* Serialises knob writers (sysctl and netlink) across namespaces. */
extern struct mutex tcptune_knob_mutex;

int tcptune_knob_find(const char *algo, const char *name);
int tcptune_sysctl_net_init(struct tcptune_net *tn);
void tcptune_sysctl_net_exit(struct tcptune_net *tn);
int tcptune_registry_net_init(struct tcptune_net *tn);
void tcptune_registry_net_exit(struct tcptune_net *tn);

/* netlink.c */
int tcptune_netlink_init(void);
void tcptune_netlink_exit(void);

/* tcptune_main.c: every algorithm, indexed by enum tcptune_algo */
extern const struct tcptune_algo_info *const tcptune_algos[];
extern const unsigned int tcptune_nr_algos;

/* registry.c */
const struct tcptune_algo_info *tcptune_algo_info_of(const struct sock *sk);
int tcptune_sk_algo(const struct sock *sk);	/* enum tcptune_algo, or -1 */
u32 tcptune_nsocks(const struct tcptune_net *tn, unsigned int algo);

#endif /* _TCPTUNE_NET_H */

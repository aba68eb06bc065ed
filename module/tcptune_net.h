/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per network namespace state of the tuning layer (net_generic): the knob
 * values, the registry of sockets that use our algorithms, counters and
 * the event rate limiter.
 */
#ifndef _TCPTUNE_NET_H
#define _TCPTUNE_NET_H

#include <linux/atomic.h>
#include <linux/spinlock.h>
#include <net/net_namespace.h>

#include "knobs.h"
#include "tcptune.h"

struct ctl_table_header;

struct tcptune_net {
	struct tcptune_knobs knobs;	/* first: tcptune_sk.knobs points here */
	struct net *net;

	spinlock_t lock;		/* registry: socks, nsocks */
	struct hlist_head socks;
	u32 nsocks[TCPTUNE_ALGO_MAX];

	atomic64_t counters[TCPTUNE_ALGO_MAX][TCPTUNE_NR_COUNTERS];

	/* events: at most TCPTUNE_EVENT_RATE per second */
	unsigned long ev_window;	/* jiffies when the window began */
	atomic_t ev_sent;		/* in this window */
	atomic_t ev_dropped;		/* since the last event sent */

	struct ctl_table_header *sysctl[TCPTUNE_ALGO_MAX];
};

struct tcptune_net *tcptune_net(const struct net *net);

static inline struct tcptune_net *tcptune_net_of_sk(const struct tcptune_sk *c)
{
	return container_of(c->knobs, struct tcptune_net, knobs);
}

/* Serialises knob writers (sysctl and netlink) across namespaces. */
extern struct mutex tcptune_knob_mutex;

int tcptune_knob_find(const char *algo, const char *name);
int tcptune_sysctl_net_init(struct tcptune_net *tn);
void tcptune_sysctl_net_exit(struct tcptune_net *tn);
void tcptune_registry_net_init(struct tcptune_net *tn);

/* netlink.c */
int tcptune_netlink_init(void);
void tcptune_netlink_exit(void);

/* tcptune_main.c: every algorithm, indexed by enum tcptune_algo */
extern const struct tcptune_algo_info *const tcptune_algos[];
extern const unsigned int tcptune_nr_algos;

/* registry.c */
const struct tcptune_algo_info *tcptune_algo_info_of(const struct sock *sk);
int tcptune_sk_algo(const struct sock *sk);	/* enum tcptune_algo, or -1 */
unsigned int tcptune_registry_snapshot(struct tcptune_net *tn, int algo,
				       struct sock **socks, unsigned int max);
unsigned int tcptune_registry_count(struct tcptune_net *tn);

#endif /* _TCPTUNE_NET_H */

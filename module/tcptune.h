/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcptune: declarations shared by the module's compile units.
 */
#ifndef _TCPTUNE_H
#define _TCPTUNE_H

#include <net/tcp.h>

struct tcptune_knobs;

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

#endif /* _TCPTUNE_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * Registry of the sockets that use one of our algorithms, per network
 * namespace, for the socket dump and the per-algorithm socket counts.
 *
 * The list node lives in the socket's own private area (struct tcptune_sk),
 * so registering allocates nothing.  init() and release() may run in
 * softirq context: the lock is taken with BHs off.  Never on the per-ACK
 * path.  A dump takes a snapshot (references on every socket, see
 * netlink.c) under the lock and reads the sockets after dropping it.
 */
#include <linux/module.h>
#include <net/inet_connection_sock.h>

#include "tcptune_net.h"

const struct tcptune_algo_info *tcptune_algo_info_of(const struct sock *sk)
{
	const struct tcp_congestion_ops *ops = READ_ONCE(inet_csk(sk)->icsk_ca_ops);
	unsigned int i;

	for (i = 0; i < tcptune_nr_algos; i++)
		if (tcptune_algos[i]->ops == ops)
			return tcptune_algos[i];
	return NULL;
}

int tcptune_sk_algo(const struct sock *sk)
{
	const struct tcptune_algo_info *info = tcptune_algo_info_of(sk);

	return info ? info->algo : -1;
}

void tcptune_registry_net_init(struct tcptune_net *tn)
{
	unsigned int a, c;

	spin_lock_init(&tn->lock);
	INIT_HLIST_HEAD(&tn->socks);
	for (a = 0; a < TCPTUNE_ALGO_MAX; a++)
		for (c = 0; c < TCPTUNE_NR_COUNTERS; c++)
			atomic64_set(&tn->counters[a][c], 0);
	tn->ev_window = jiffies;
}

void tcptune_sk_register(struct sock *sk)
{
	struct tcptune_sk *c = inet_csk_ca(sk);
	struct tcptune_net *tn = tcptune_net(sock_net(sk));
	int algo = tcptune_sk_algo(sk);

	c->knobs = &tn->knobs;
	if (WARN_ON_ONCE(algo < 0) || !hlist_unhashed(&c->node))
		return;
	spin_lock_bh(&tn->lock);
	hlist_add_head(&c->node, &tn->socks);
	tn->nsocks[algo]++;
	spin_unlock_bh(&tn->lock);
}

void tcptune_sk_unregister(struct sock *sk)
{
	struct tcptune_sk *c = inet_csk_ca(sk);
	struct tcptune_net *tn;
	int algo = tcptune_sk_algo(sk);

	if (hlist_unhashed(&c->node) || !c->knobs)
		return;
	tn = tcptune_net_of_sk(c);
	spin_lock_bh(&tn->lock);
	hlist_del_init(&c->node);
	if (algo >= 0 && tn->nsocks[algo])
		tn->nsocks[algo]--;
	spin_unlock_bh(&tn->lock);
}

void tcptune_count(const struct sock *sk, enum tcptune_counter cnt)
{
	const struct tcptune_sk *c = inet_csk_ca(sk);
	int algo = tcptune_sk_algo(sk);

	if (c->knobs && algo >= 0)
		atomic64_inc(&tcptune_net_of_sk(c)->counters[algo][cnt]);
}

/*
 * Take a reference on up to max registered sockets of this namespace (of
 * one algorithm if algo >= 0).  Returns how many were taken.
 */
unsigned int tcptune_registry_snapshot(struct tcptune_net *tn, int algo,
				       struct sock **socks, unsigned int max)
{
	struct tcptune_sk *c;
	unsigned int n = 0;

	spin_lock_bh(&tn->lock);
	hlist_for_each_entry(c, &tn->socks, node) {
		struct inet_connection_sock *icsk =
			container_of((void *)c, struct inet_connection_sock,
				     icsk_ca_priv);
		struct sock *sk = &icsk->icsk_inet.sk;

		if (n == max)
			break;
		if (algo >= 0 && tcptune_sk_algo(sk) != algo)
			continue;
		if (refcount_inc_not_zero(&sk->sk_refcnt))
			socks[n++] = sk;
	}
	spin_unlock_bh(&tn->lock);
	return n;
}

unsigned int tcptune_registry_count(struct tcptune_net *tn)
{
	unsigned int a, n = 0;

	spin_lock_bh(&tn->lock);
	for (a = 0; a < TCPTUNE_ALGO_MAX; a++)
		n += tn->nsocks[a];
	spin_unlock_bh(&tn->lock);
	return n;
}

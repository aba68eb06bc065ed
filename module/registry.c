// SPDX-License-Identifier: GPL-2.0
/*
 * Accounting of the sockets that use one of our algorithms, per network
 * namespace: the per-algorithm socket counts and event counters.
 *
 * There is no list of sockets: the socket dump (netlink.c) walks the TCP
 * established hash as inet_diag does, so connection setup and teardown
 * take no lock.  A socket is counted on the CPU its init() runs on and
 * uncounted on the CPU its release() runs on (per-CPU ints, summed when
 * read), so connect, accept and close share no cache line across CPUs.
 *
 * Lifetimes.  Nothing in a socket's private area points anywhere.  Only
 * user sockets are counted: each holds a reference on its namespace, so
 * none is left when the namespace exits, and the per-CPU counts can be
 * freed then (a WARN says if one was not uncounted).  Kernel sockets
 * (sk_net_refcnt == 0: NFS, SMB, ...) hold no such reference and may be
 * released after our pernet exit ran, while another subsystem's exit
 * closes them: for them release() touches nothing of ours, and the event
 * counters they bump live in the net_generic block, which the core frees
 * only after every subsystem's exit.
 */
#include <linux/module.h>
#include <linux/percpu.h>
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

int tcptune_registry_net_init(struct tcptune_net *tn)
{
	unsigned int a, c;

	tn->pcpu = alloc_percpu(struct tcptune_pcpu);
	if (!tn->pcpu)
		return -ENOMEM;
	for (a = 0; a < TCPTUNE_ALGO_MAX; a++)
		for (c = 0; c < TCPTUNE_NR_COUNTERS; c++)
			atomic64_set(&tn->counters[a][c], 0);
	spin_lock_init(&tn->ev_lock);
	tn->ev_stamp = jiffies;
	tn->ev_credit = TCPTUNE_EVENT_BURST * HZ;
	atomic_set(&tn->ev_dropped, 0);
	return 0;
}

void tcptune_registry_net_exit(struct tcptune_net *tn)
{
	unsigned int a;

	for (a = 0; a < TCPTUNE_ALGO_MAX; a++) {
		unsigned int n = tcptune_nsocks(tn, a);

		/* user sockets hold the namespace: none may be left (or owed) */
		WARN_ONCE(n, "tcptune: netns exits with %d %s sockets counted\n",
			  (int)n, tcptune_algo_name[a]);
	}
	free_percpu(tn->pcpu);
	tn->pcpu = NULL;
}

/* Sum of the per-CPU counts, raw (a racing init/release may be half seen). */
u32 tcptune_nsocks(const struct tcptune_net *tn, unsigned int algo)
{
	unsigned int n = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		n += per_cpu_ptr(tn->pcpu, cpu)->nsocks[algo];
	return n;
}

void tcptune_sk_init(struct sock *sk)
{
	struct tcptune_sk *c = inet_csk_ca(sk);
	int algo = tcptune_sk_algo(sk);

	c->ready = 1;
	if (WARN_ON_ONCE(algo < 0) || c->counted || !sk->sk_net_refcnt)
		return;
	c->counted = 1;
	this_cpu_inc(tcptune_net(sock_net(sk))->pcpu->nsocks[algo]);
}

void tcptune_sk_release(struct sock *sk)
{
	struct tcptune_sk *c = inet_csk_ca(sk);
	int algo = tcptune_sk_algo(sk);

	c->ready = 0;
	if (!c->counted)
		return;
	c->counted = 0;
	if (!WARN_ON_ONCE(algo < 0))
		this_cpu_dec(tcptune_net(sock_net(sk))->pcpu->nsocks[algo]);
}

void tcptune_count(const struct sock *sk, enum tcptune_counter cnt)
{
	int algo = tcptune_sk_algo(sk);

	if (tcptune_sk_ready(sk) && algo >= 0)
		atomic64_inc(&tcptune_net(sock_net(sk))->counters[algo][cnt]);
}

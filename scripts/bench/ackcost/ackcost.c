// SPDX-License-Identifier: GPL-2.0
/*
 * tcptune_ackcost: what each congestion-control algorithm costs per ACK
 * (issue 11, P8).  A benchmark module, never loaded by the tests:
 * scripts/bench-ackcost.sh loads it in the VM beside tcptune.ko and the
 * kernel's tcp_bbr, reads the figures from the kernel log and unloads it.
 *
 * What it measures.  For each algorithm named in `algos` it makes a kernel
 * TCP socket, picks the algorithm with setsockopt(TCP_CONGESTION) (so the
 * stack finds the ops and takes the module reference, as for a user), sets
 * up the state of a bulk sender in congestion avoidance (cwnd 100, mss
 * 1448, srtt and min_rtt 40 ms, the window full: packets_out = cwnd,
 * cwnd-limited), calls the algorithm's init, and then feeds it `acks`
 * ACKs, each acknowledging two segments, through exactly the hooks the
 * stack calls for an ACK, in the stack's order (tcp_ack(): in_ack_event,
 * pkts_acked from the retransmit-queue cleanup, then cong_control, or for
 * an algorithm without it what tcp_cong_control() does around cong_avoid:
 * the cwnd-reduction and may-raise tests, cong_avoid, the window's
 * timestamp and the pacing-rate update, all of which an algorithm with
 * cong_control does itself).  The socket
 * lock is held and bottom halves are off, as in tcp_ack() on the softirq
 * path.  Time is read with ktime_get_ns() around batches of BATCH ACKs; the
 * figure is the batches' total over the ACKs, per round, `rounds` rounds,
 * the algorithms in turn within a round so that drift hits them alike.
 *
 * The ACK stream is the same for every algorithm: the clock the
 * algorithms read (tp->tcp_mstamp, delivered_mstamp) advances by one
 * ACK's share of a 40 ms round trip, the RTT sample cycles over
 * 40.0-40.35 ms, each rate sample reports 100 packets delivered over
 * 40 ms (a fixed path: BBR settles in ProbeBW; Reno's window keeps
 * growing, cwnd-limited, by one per window), nothing is lost or marked.
 * What it leaves out: jiffies do not advance with that clock (they are
 * real time), so what an algorithm times in
 * jiffies (BBR's min_rtt window and ProbeRTT; tcptune_bbr's ProbeBW phase
 * clock) does not move; loss, recovery and ECN paths are not exercised;
 * the loop keeps the algorithm's code and data in cache, which a real
 * host serving many sockets does not.  It is a steady-state, per-ACK,
 * hot-cache figure of the algorithm's own code, identical input for all:
 * right for comparing two algorithms, not an absolute cost of an ACK.
 */
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/win_minmax.h>
#include <net/sock.h>
#include <net/tcp.h>

static char *algos = "reno,tcptune_reno,tcptune_newreno,bbr,tcptune_bbr";
module_param(algos, charp, 0444);
MODULE_PARM_DESC(algos, "algorithms to measure, comma-separated");
static uint acks = 200000;
module_param(acks, uint, 0444);
MODULE_PARM_DESC(acks, "ACKs per algorithm and round");
static uint rounds = 5;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "rounds (each algorithm once per round)");

#define ACKCOST_MAX_ALGOS	8
#define ACKCOST_MAX_ROUNDS	31
#define BATCH			4096
#define MSS			1448
#define RTT_US			40000
#define CWND			100

struct ackcost_algo {
	char name[TCP_CA_NAME_MAX];
	u64 ns[ACKCOST_MAX_ROUNDS];	/* per round: total ns of its ACKs */
};

/* tcp_input.c's FLAG_DATA_ACKED and FLAG_FORWARD_PROGRESS, 6.1's values */
#define ACKCOST_FLAG_DATA_ACKED		0x04
#define ACKCOST_FLAG_FORWARD_PROGRESS	(0x04 | 0x10 | 0x20)

/*
 * What tcp_cong_control() does for an algorithm without cong_control, in
 * the steady state of this stream (Open, no cwnd reduction): the window
 * may grow on an ACK of new data unless reordering is high, cong_avoid
 * runs and the window's timestamp is taken, then the pacing rate is set
 * to tcp_pacing_{ss,ca}_ratio percent of mss * max(cwnd, packets_out) per
 * srtt.  An algorithm with cong_control does all of that itself, so the
 * two are timed over the same work.
 */
static void ackcost_stack_cong_control(struct sock *sk, u32 ack, u32 acked)
{
	const struct tcp_congestion_ops *ops = inet_csk(sk)->icsk_ca_ops;
	struct tcp_sock *tp = tcp_sk(sk);
	const struct net *net = sock_net(sk);
	int flag = ACKCOST_FLAG_DATA_ACKED;	/* in order, new data */
	bool may_raise;
	u32 cwnd;
	u64 rate;

	/* The stack's flag is the ACK's: keep the compiler from folding the tests. */
	OPTIMIZER_HIDE_VAR(flag);
	if (tp->reordering > READ_ONCE(net->ipv4.sysctl_tcp_reordering))
		may_raise = flag & ACKCOST_FLAG_FORWARD_PROGRESS;
	else
		may_raise = flag & ACKCOST_FLAG_DATA_ACKED;
	if (!((1 << inet_csk(sk)->icsk_ca_state) & (TCPF_CA_CWR | TCPF_CA_Recovery)) &&
	    may_raise) {
		ops->cong_avoid(sk, ack, acked);
		tp->snd_cwnd_stamp = tcp_jiffies32;
	}

	/* mss per srtt in us << 3, in bytes per second, in percent */
	rate = (u64)tp->mss_cache * ((USEC_PER_SEC / 100) << 3);
	if (tcp_snd_cwnd(tp) < tp->snd_ssthresh / 2)
		rate *= READ_ONCE(net->ipv4.sysctl_tcp_pacing_ss_ratio);
	else
		rate *= READ_ONCE(net->ipv4.sysctl_tcp_pacing_ca_ratio);
	cwnd = max(tcp_snd_cwnd(tp), tp->packets_out);
	rate *= cwnd;
	if (tp->srtt_us)
		rate = div_u64(rate, tp->srtt_us);
	WRITE_ONCE(sk->sk_pacing_rate,
		   min_t(u64, rate, READ_ONCE(sk->sk_max_pacing_rate)));
}

/* A bulk sender in congestion avoidance, before the algorithm's init. */
static void ackcost_sender_state(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	tp->mss_cache = MSS;
	tcp_snd_cwnd_set(tp, CWND);
	tp->snd_ssthresh = CWND / 2;
	tp->srtt_us = RTT_US << 3;
	tp->mdev_us = RTT_US / 4;
	minmax_reset(&tp->rtt_min, tcp_jiffies32, RTT_US);
	tp->tcp_mstamp = tcp_clock_us();
	tp->delivered = 10 * CWND;
	tp->delivered_mstamp = tp->tcp_mstamp;
	tp->packets_out = CWND;
	tp->is_cwnd_limited = 1;
	tp->snd_una = 1;
	tp->snd_nxt = tp->snd_una + CWND * MSS;
	inet_csk(sk)->icsk_ca_state = TCP_CA_Open;
}

/* n ACKs through the hooks, socket locked, BHs off.  Returns their ns. */
static u64 ackcost_batch(struct sock *sk, u32 n, u32 *seq)
{
	const struct tcp_congestion_ops *ops = inet_csk(sk)->icsk_ca_ops;
	struct tcp_sock *tp = tcp_sk(sk);
	u32 step_us = RTT_US * 2 / CWND;
	u64 t0, t1;
	u32 i;

	local_bh_disable();
	t0 = ktime_get_ns();
	for (i = 0; i < n; i++, (*seq)++) {
		u32 cwnd = tcp_snd_cwnd(tp);
		struct rate_sample rs = {};

		tp->tcp_mstamp += step_us;
		tp->delivered += 2;
		tp->delivered_mstamp = tp->tcp_mstamp;
		tp->snd_una += 2 * MSS;
		tp->packets_out = cwnd;
		tp->snd_nxt = tp->snd_una + cwnd * MSS;

		rs.prior_mstamp = tp->tcp_mstamp - RTT_US;
		/* a path of CWND packets per RTT: the delivery rate is fixed */
		rs.prior_delivered = tp->delivered - CWND;
		rs.delivered = CWND;
		rs.interval_us = RTT_US;
		rs.snd_interval_us = RTT_US;
		rs.rcv_interval_us = RTT_US;
		rs.rtt_us = RTT_US + (*seq & 7) * 50;
		rs.acked_sacked = 2;
		rs.prior_in_flight = cwnd;
		rs.last_end_seq = tp->snd_una;

		if (ops->in_ack_event)
			ops->in_ack_event(sk, 0);
		if (ops->pkts_acked) {
			struct ack_sample sample = {
				.pkts_acked = 2,
				.rtt_us = rs.rtt_us,
				.in_flight = MSS * cwnd,
			};

			ops->pkts_acked(sk, &sample);
		}
		if (ops->cong_control)
			TCPTUNE_CALL_CONG_CONTROL(ops, sk, tp->snd_una, 0, &rs);
		else
			ackcost_stack_cong_control(sk, tp->snd_una, 2);
	}
	t1 = ktime_get_ns();
	local_bh_enable();
	return t1 - t0;
}

/* One algorithm, one round: a fresh socket, acks ACKs.  0 or -errno. */
static int ackcost_run(char *name, u64 *ns)
{
	struct socket *sock;
	struct sock *sk;
	u32 done = 0, seq = 0;
	int err;

	err = sock_create_kern(&init_net, PF_INET, SOCK_STREAM, IPPROTO_TCP, &sock);
	if (err)
		return err;
	sk = sock->sk;
	err = sock->ops->setsockopt(sock, SOL_TCP, TCP_CONGESTION,
				    KERNEL_SOCKPTR(name), strlen(name));
	if (err)
		goto out;

	lock_sock(sk);
	ackcost_sender_state(sk);
	if (inet_csk(sk)->icsk_ca_ops->init)
		inet_csk(sk)->icsk_ca_ops->init(sk);
	*ns = 0;
	while (done < acks) {
		u32 n = min_t(u32, BATCH, acks - done);

		*ns += ackcost_batch(sk, n, &seq);
		done += n;
		release_sock(sk);
		cond_resched();
		lock_sock(sk);
	}
	release_sock(sk);
out:
	sock_release(sock);
	return err;
}

static int ackcost_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* ns per ACK, in hundredths, of a round total. */
static u64 ackcost_centi(u64 ns)
{
	return div_u64(ns * 100, acks);
}

static int __init ackcost_init(void)
{
	struct ackcost_algo *a;
	char *list, *p, *tok;
	int n = 0, r, i, err = 0;

	if (!acks || !rounds || rounds > ACKCOST_MAX_ROUNDS)
		return -EINVAL;
	a = kcalloc(ACKCOST_MAX_ALGOS, sizeof(*a), GFP_KERNEL);
	list = kstrdup(algos, GFP_KERNEL);
	if (!a || !list) {
		err = -ENOMEM;
		goto out;
	}
	p = list;
	while ((tok = strsep(&p, " ,")) != NULL) {
		if (!*tok)
			continue;
		if (n == ACKCOST_MAX_ALGOS || strscpy(a[n].name, tok, sizeof(a[n].name)) < 0) {
			err = -EINVAL;
			goto out;
		}
		n++;
	}
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < n; i++) {
			/* alternate the order: forward, then backward */
			struct ackcost_algo *x = &a[r & 1 ? n - 1 - i : i];

			err = ackcost_run(x->name, &x->ns[r]);
			if (err) {
				pr_err("tcptune_ackcost: %s: %d\n", x->name, err);
				goto out;
			}
		}
	}
	for (i = 0; i < n; i++) {
		u64 med, lo, hi;

		sort(a[i].ns, rounds, sizeof(u64), ackcost_cmp, NULL);
		med = ackcost_centi(a[i].ns[rounds / 2]);
		lo = ackcost_centi(a[i].ns[0]);
		hi = ackcost_centi(a[i].ns[rounds - 1]);
		pr_info("tcptune_ackcost: algo %s acks %u rounds %u ns_per_ack_median %llu.%02llu min %llu.%02llu max %llu.%02llu\n",
			a[i].name, acks, rounds, med / 100, med % 100,
			lo / 100, lo % 100, hi / 100, hi % 100);
	}
out:
	kfree(list);
	kfree(a);
	return err;
}

static void __exit ackcost_exit(void)
{
}

module_init(ackcost_init);
module_exit(ackcost_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("tcptune benchmark: per-ACK cost of congestion-control algorithms");

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcptune compatibility layer.
 *
 * The module is written against the newest kernel API (7.x); this header,
 * force-included into every compile unit by Kbuild, maps older kernels onto
 * it.  Each section is keyed on LINUX_VERSION_CODE and covers one subsystem.
 * Nothing outside this file may test the kernel version.
 */
#ifndef _TCPTUNE_COMPAT_H
#define _TCPTUNE_COMPAT_H

#include <linux/version.h>

/* ---- supported kernels ------------------------------------------------- */

/*
 * 6.1 up to 7.x: the range this file maps onto the 7.x API.  dkms.conf's
 * BUILD_EXCLUSIVE_KERNEL names the same range, so DKMS skips other kernels
 * before this fires; a plain `make` against one stops here.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0) || \
	LINUX_VERSION_CODE >= KERNEL_VERSION(8, 0, 0)
#error "tcptune supports Linux 6.1 up to 7.x only: this kernel is out of that range"
#endif

/* ---- tcp_congestion_ops ------------------------------------------------ */

/*
 * cong_control() gained (ack, flag) arguments in 6.10.  Our algorithms are
 * written with the new prototype; TCPTUNE_CONG_CONTROL(fn) names the function
 * to put in the ops table, and on older kernels it is a wrapper that passes
 * ack = snd_una and flag = 0 (tcptune does not depend on either: it keeps its
 * own copy of snd_una to measure newly acknowledged bytes).
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 10, 0)
#define TCPTUNE_DEFINE_CONG_CONTROL(fn)					\
	static void fn##_compat(struct sock *sk,			\
				const struct rate_sample *rs)		\
	{								\
		fn(sk, tcp_sk(sk)->snd_una, 0, rs);			\
	}
#define TCPTUNE_CONG_CONTROL(fn) fn##_compat
#else
#define TCPTUNE_DEFINE_CONG_CONTROL(fn)
#define TCPTUNE_CONG_CONTROL(fn) fn
#endif

/* Calling an ops' cong_control (the per-ACK cost benchmark, scripts/bench). */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 10, 0)
#define TCPTUNE_CALL_CONG_CONTROL(ops, sk, ack, flag, rs) \
	((ops)->cong_control(sk, rs))
#else
#define TCPTUNE_CALL_CONG_CONTROL(ops, sk, ack, flag, rs) \
	((ops)->cong_control(sk, ack, flag, rs))
#endif

/*
 * Restart after idle.  From 7.2 the stack no longer passes CA_EVENT_TX_START
 * to cwnd_event() but calls cwnd_event_tx_start(sk).  Our algorithms react
 * only to that event: each has an fn(sk) for it, and TCPTUNE_TX_START(fn)
 * puts it in the ops table, as the new hook on 7.2+, and before 7.2 as a
 * cwnd_event() wrapper (TCPTUNE_DEFINE_TX_START(fn)) that calls fn for
 * CA_EVENT_TX_START alone.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(7, 2, 0)
#define TCPTUNE_DEFINE_TX_START(fn)					\
	static void fn##_cwnd_event(struct sock *sk, enum tcp_ca_event ev)	\
	{								\
		if (ev == CA_EVENT_TX_START)				\
			fn(sk);						\
	}
#define TCPTUNE_TX_START(fn) .cwnd_event = fn##_cwnd_event
#else
#define TCPTUNE_DEFINE_TX_START(fn)
#define TCPTUNE_TX_START(fn) .cwnd_event_tx_start = fn
#endif

/*
 * ECN on the connection: TCP_ECN_OK in tp->ecn_flags until the AccECN
 * preparation ("tcp: helpers for ECN mode handling", taken here as 6.14:
 * 6.12 has TCP_ECN_OK, 7.x only the helpers) turned it into a mode, RFC 3168
 * or AccECN, read with tcp_ecn_mode_any() (what tcp_get_info() reports).
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 14, 0)
#define tcptune_ecn_on(tp) (!!((tp)->ecn_flags & TCP_ECN_OK))
#else
#define tcptune_ecn_on(tp) tcp_ecn_mode_any(tp)
#endif

/* ---- sockets ----------------------------------------------------------- */

/*
 * A socket's owner: sk_uid(sk) from 6.17 ("net: add sk_uid() helper",
 * lockless), which later removed sock_i_uid(); before, sock_i_uid(sk)
 * (under sk_callback_lock).  Both give what inet_diag reports as idiag_uid.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 17, 0)
#define tcptune_sk_uid(sk) sock_i_uid(sk)
#else
#define tcptune_sk_uid(sk) sk_uid(sk)
#endif

/* ---- sysctl ------------------------------------------------------------ */

/*
 * proc_handler takes a const table from 6.11; register_net_sysctl_sz()
 * (6.5) takes the entry count, and from 6.11 a sentinel is an error.  The
 * tables tcptune builds have n entries followed by a zeroed one.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 11, 0)
#define TCPTUNE_CTL_TABLE struct ctl_table
#else
#define TCPTUNE_CTL_TABLE const struct ctl_table
#endif

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 5, 0)
#define tcptune_register_net_sysctl(net, path, table, n) \
	register_net_sysctl(net, path, table)
#else
#define tcptune_register_net_sysctl(net, path, table, n) \
	register_net_sysctl_sz(net, path, table, n)
#endif

/*
 * 7.3 refuses to register a writable sysctl of a non-init netns whose data
 * points outside per-net memory (6.x made it read-only with a WARN): every
 * entry of ours points into the namespace's net_generic block (knobs.c), so
 * this needs no mapping.
 */

/* ---- generic netlink --------------------------------------------------- */

/* A dump's parsed attributes: genl_dumpit_info() changed shape in 6.2. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
#define tcptune_dump_attrs(cb) (genl_dumpit_info(cb)->attrs)
#else
#define tcptune_dump_attrs(cb) (genl_dumpit_info(cb)->info.attrs)
#endif

/*
 * ---- not used yet: what newer kernels offer the algorithms ----------------
 *
 * struct rate_sample, struct ack_sample and the tcp_sock fields we read are
 * the same from 6.1 to 7.3.  What 7.x adds that 6.1 lacks, for later work
 * (each would need a section here, or a feature that is off before it):
 *  - cong_control()'s flag (6.10): the ACK's FLAG_* bits, but their values
 *    are private to tcp_input.c: usable only as "this ACK did something".
 *  - AccECN (7.3): tp->delivered_ce counts every CE mark the peer saw
 *    (not every packet ACKed with ECE).  USED, without a version test:
 *    tcptune_bbr takes its per-round CE count from tp->delivered_ce, which
 *    is exact where AccECN was negotiated and the RFC 3168 over-count
 *    elsewhere (its header comment; selftests/vm/ecn_test.sh).  Not used:
 *    TCP_CONG_NEEDS_ACCECN, TCP_CONG_ECT_1_NEGOTIATION and
 *    TCP_CONG_NO_FALLBACK_RFC3168 in ops->flags (each would override the
 *    admin's net.ipv4.tcp_ecn for every socket using the algorithm), and
 *    tp->delivered_ecn_bytes[] / tp->received_ce.
 *  - tp->total_rto, total_rto_recoveries, total_rto_time (6.7): RTO counts
 *    for the socket dump and the loss response, beyond icsk_retransmits.
 *  - tcp_rto_max(sk): a per-socket RTO ceiling (after 6.12; in 7.x).
 *  - minmax_running_min() is exported in 7.x (not in Debian's 6.1 or
 *    6.12 Module.symvers): a windowed min_rtt without our own filter.
 *  - genetlink: NLA_UINT and the _FMT extack helpers (6.12).
 */

#endif /* _TCPTUNE_COMPAT_H */

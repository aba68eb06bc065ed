/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause */
/*
 * tcptune generic netlink ABI.  The YNL spec beside this file (tcptune.yaml)
 * describes the same protocol and is checked against the module by the
 * selftests with the kernel's own YNL client.
 *
 * Family "tcptune", version 1, visible in every network namespace; every
 * command acts on the caller's namespace only.
 *
 * Commands
 * --------
 * TCPTUNE_CMD_ALGO_GET       dump            (any user)
 *	One message per algorithm: TCPTUNE_A_ALGO { NAME, SOCKETS,
 *	RECOVERIES, RTOS, UNDOS, PROBE_RTTS }.  Counters are per namespace,
 *	since the module was loaded (or the namespace created).  SOCKETS
 *	counts user sockets; kernel sockets (NFS, SMB, ...) are left out.
 *
 * TCPTUNE_CMD_KNOB_GET       do, dump        (any user)
 *	do:   request TCPTUNE_A_KNOB { ALGO, NAME }, reply one
 *	      TCPTUNE_A_KNOB with every knob attribute.
 *	dump: optional TCPTUNE_A_FILTER_ALGO (ENOENT if it names no
 *	      algorithm); one message per knob, each with one
 *	      TCPTUNE_A_KNOB { ALGO, NAME, VALUE, RANGE_MIN, RANGE_MAX,
 *	      DEFAULT, UNIT, DOC, WHEN }.
 *
 * TCPTUNE_CMD_KNOB_SET       do              (CAP_NET_ADMIN over the
 *	                                       namespace's user namespace)
 *	One or more TCPTUNE_A_KNOB { ALGO, NAME, VALUE }.  Atomic: every
 *	entry is validated first (known knob, value within [RANGE_MIN, RANGE_MAX]);
 *	if any is wrong nothing changes and the extack names the attribute
 *	at fault.  The same values are the sysctls net.tcptune.<algo>.<name>.
 *	Writers are serialised; readers (the algorithms, per ACK) take no
 *	lock, so one ACK may see part of a set applied: each knob is read
 *	once per decision and no knob's range depends on another's.
 *
 * TCPTUNE_CMD_SOCK_GET       dump            (any user)
 *	Optional TCPTUNE_A_FILTER_ALGO (ENOENT if it names no algorithm).
 *	One message per socket that uses one of our algorithms in the
 *	caller's namespace, each with one TCPTUNE_A_SOCK.  The dump walks the
 *	TCP established hash as inet_diag does, a bucket at a time, holding a
 *	bucket lock and references on at most 16 sockets at once and nothing
 *	between two reads: a dump left unread pins no socket.  Within a
 *	bucket sockets come in cookie order and the dump resumes after the
 *	last cookie sent, so a socket that lives through the whole dump is
 *	reported exactly once; one that opens or closes meanwhile may or may
 *	not be.  Each socket is locked once, to read a consistent state.  No
 *	absolute sequence number is reported (RENO RECOVER is relative to
 *	snd_una), since every user may dump every socket, as with ss(8):
 *	what a socket's entry holds is what ss -tie (tcp_info and
 *	inet_diag) shows every user of it, and the algorithm's model.
 *
 * TCPTUNE_CMD_EVENT          multicast group "events" (CAP_NET_ADMIN
 *	                                       over the namespace's user
 *	                                       namespace, to join)
 *	TCPTUNE_A_EVENT { TYPE, COOKIE, FAMILY, SADDR, DADDR, SPORT, DPORT,
 *	ALGO, CA_STATE, CWND, SSTHRESH, BBR_STATE, DROPPED, TIMESTAMP }.
 *	TIMESTAMP is the wall-clock time (CLOCK_REALTIME, ns since the epoch)
 *	at which the kernel built the event, when the state changed: not when
 *	a listener read it, which a busy host may delay.  The wall clock, so
 *	that it can be printed as a date and set beside packet captures and
 *	logs; it follows the clock's steps (settimeofday, NTP): order events
 *	by their arrival, not by it.  Rate-limited
 *	per namespace by a token bucket: bursts of up to TCPTUNE_EVENT_BURST,
 *	TCPTUNE_EVENT_RATE per second on average; events beyond the limit, or
 *	that could not be allocated or sent, are dropped and counted in the
 *	next event's DROPPED.  A live feed of every socket's 4-tuple is for
 *	the administrator, as the kernel's own socket-destroy groups are.
 *
 * TCPTUNE_A_FILTER_ALGO names an algorithm either way: "reno" (the knob
 * set's name) or "tcptune_reno" (the congestion-control name).
 *
 * TCPTUNE_A_FILTER_BC (SOCK_GET dumps): an inet_diag bytecode program
 * (struct inet_diag_bc_op ..., linux/inet_diag.h), the one ss gives
 * sock_diag, of at most TCPTUNE_FILTER_BC_MAX bytes; only the sockets it
 * matches are sent.  Checked as sock_diag checks it: malformed is EINVAL,
 * a MARK_COND without CAP_NET_ADMIN over the namespace is EPERM (as for
 * ss), a CGROUP_COND where the kernel keeps no socket cgroups
 * (CONFIG_SOCK_CGROUP_DATA off) EOPNOTSUPP.
 *
 * Errors: a value outside a knob's range, like any malformed request, is
 * EINVAL; an unknown knob or algorithm is ENOENT; a missing permission
 * EPERM.  The extack message and offset name the attribute at fault.
 *
 * Units: times in microseconds, rates in bytes per second, windows in
 * segments (but SND_WND, in bytes as tcp_info's tcpi_snd_wnd), queues in
 * bytes, addresses in network byte order (4 or 16 bytes), ports in host
 * byte order.
 */
#ifndef _UAPI_LINUX_TCPTUNE_H
#define _UAPI_LINUX_TCPTUNE_H

#define TCPTUNE_GENL_NAME		"tcptune"
#define TCPTUNE_GENL_VERSION		1
#define TCPTUNE_MCGRP_EVENTS		"events"

#define TCPTUNE_EVENT_RATE		100
#define TCPTUNE_EVENT_BURST		200

#define TCPTUNE_FILTER_BC_MAX		4096

enum tcptune_cmd {
	TCPTUNE_CMD_UNSPEC,
	TCPTUNE_CMD_ALGO_GET,
	TCPTUNE_CMD_KNOB_GET,
	TCPTUNE_CMD_KNOB_SET,
	TCPTUNE_CMD_SOCK_GET,
	TCPTUNE_CMD_EVENT,

	__TCPTUNE_CMD_MAX,
	TCPTUNE_CMD_MAX = __TCPTUNE_CMD_MAX - 1
};

/* Top level of every message. */
enum tcptune_attr {
	TCPTUNE_A_UNSPEC,
	TCPTUNE_A_ALGO,			/* nest, enum tcptune_algo_attr */
	TCPTUNE_A_KNOB,			/* nest, enum tcptune_knob_attr; multi */
	TCPTUNE_A_SOCK,			/* nest, enum tcptune_sock_attr */
	TCPTUNE_A_EVENT,		/* nest, enum tcptune_event_attr */
	TCPTUNE_A_FILTER_ALGO,		/* string: only this algorithm */
	TCPTUNE_A_FILTER_BC,		/* binary: inet_diag bytecode (dumps) */

	__TCPTUNE_A_MAX,
	TCPTUNE_A_MAX = __TCPTUNE_A_MAX - 1
};

enum tcptune_algo_attr {
	TCPTUNE_ALGO_A_UNSPEC,
	TCPTUNE_ALGO_A_NAME,		/* string: "tcptune_reno", ... */
	TCPTUNE_ALGO_A_SOCKETS,		/* u32: sockets using it now */
	TCPTUNE_ALGO_A_RECOVERIES,	/* u64: fast recoveries entered */
	TCPTUNE_ALGO_A_RTOS,		/* u64: retransmission timeouts */
	TCPTUNE_ALGO_A_UNDOS,		/* u64: spurious reductions undone */
	TCPTUNE_ALGO_A_PROBE_RTTS,	/* u64: ProbeRTT entries (bbr) */
	TCPTUNE_ALGO_A_PAD,

	__TCPTUNE_ALGO_A_MAX,
	TCPTUNE_ALGO_A_MAX = __TCPTUNE_ALGO_A_MAX - 1
};

/* When a knob's new value reaches connections. */
enum tcptune_knob_when {
	TCPTUNE_KNOB_LIVE,		/* next ACK of every connection */
	TCPTUNE_KNOB_START,		/* connections that start afterwards */
};

enum tcptune_knob_attr {
	TCPTUNE_KNOB_A_UNSPEC,
	TCPTUNE_KNOB_A_ALGO,		/* string: "reno", "newreno", "bbr" */
	TCPTUNE_KNOB_A_NAME,		/* string */
	TCPTUNE_KNOB_A_VALUE,		/* u32 */
	TCPTUNE_KNOB_A_RANGE_MIN,	/* u32 */
	TCPTUNE_KNOB_A_RANGE_MAX,	/* u32 */
	TCPTUNE_KNOB_A_DEFAULT,		/* u32 */
	TCPTUNE_KNOB_A_UNIT,		/* string */
	TCPTUNE_KNOB_A_DOC,		/* string */
	TCPTUNE_KNOB_A_WHEN,		/* u8, enum tcptune_knob_when */

	__TCPTUNE_KNOB_A_MAX,
	TCPTUNE_KNOB_A_MAX = __TCPTUNE_KNOB_A_MAX - 1
};

/* tcpi_ca_state values, named as the CLI prints them. */
enum tcptune_ca_state {
	TCPTUNE_CA_OPEN,
	TCPTUNE_CA_DISORDER,
	TCPTUNE_CA_CWR,
	TCPTUNE_CA_RECOVERY,
	TCPTUNE_CA_LOSS,
};

enum tcptune_sock_attr {
	TCPTUNE_SOCK_A_UNSPEC,
	TCPTUNE_SOCK_A_FAMILY,		/* u8: AF_INET or AF_INET6 */
	TCPTUNE_SOCK_A_SADDR,		/* binary: 4 or 16 bytes */
	TCPTUNE_SOCK_A_DADDR,		/* binary: 4 or 16 bytes */
	TCPTUNE_SOCK_A_SPORT,		/* u16 */
	TCPTUNE_SOCK_A_DPORT,		/* u16 */
	TCPTUNE_SOCK_A_COOKIE,		/* u64: as `ss -e` prints (sk:) */
	TCPTUNE_SOCK_A_ALGO,		/* string: "tcptune_reno", ... */
	TCPTUNE_SOCK_A_STATE,		/* u8: TCP state (TCP_ESTABLISHED, ...) */
	TCPTUNE_SOCK_A_CA_STATE,	/* u8: enum tcptune_ca_state */
	TCPTUNE_SOCK_A_CWND,		/* u32: segments */
	TCPTUNE_SOCK_A_SSTHRESH,	/* u32: segments */
	TCPTUNE_SOCK_A_RTO,		/* u32: us */
	TCPTUNE_SOCK_A_SRTT,		/* u32: us */
	TCPTUNE_SOCK_A_RTTVAR,		/* u32: us */
	TCPTUNE_SOCK_A_MIN_RTT,		/* u32: us */
	TCPTUNE_SOCK_A_MSS,		/* u32: bytes */
	TCPTUNE_SOCK_A_INFLIGHT,	/* u32: segments (pipe) */
	TCPTUNE_SOCK_A_UNACKED,		/* u32: segments (packets_out) */
	TCPTUNE_SOCK_A_SACKED,		/* u32: segments */
	TCPTUNE_SOCK_A_LOST,		/* u32: segments */
	TCPTUNE_SOCK_A_RETRANS,		/* u32: segments retransmitted now */
	TCPTUNE_SOCK_A_TOTAL_RETRANS,	/* u32: segments, whole life */
	TCPTUNE_SOCK_A_REORDERING,	/* u32: segments */
	TCPTUNE_SOCK_A_DSACK_DUPS,	/* u32: segments */
	TCPTUNE_SOCK_A_DELIVERED,	/* u32: segments */
	TCPTUNE_SOCK_A_DELIVERY_RATE,	/* u64: bytes/s */
	TCPTUNE_SOCK_A_PACING_RATE,	/* u64: bytes/s */
	TCPTUNE_SOCK_A_APP_LIMITED,	/* u8: 0 or 1 */
	TCPTUNE_SOCK_A_RTOS,		/* u32: RTOs since the last progress
					 * (icsk_retransmits, tcpi_retransmits)
					 */
	TCPTUNE_SOCK_A_BYTES_ACKED,	/* u64 */
	TCPTUNE_SOCK_A_PAD,
	TCPTUNE_SOCK_A_RENO,		/* nest, enum tcptune_reno_attr */
	TCPTUNE_SOCK_A_BBR,		/* nest, enum tcptune_bbr_attr */
	/* What `ss -tie` shows besides (tcp_info, inet_diag_msg): */
	TCPTUNE_SOCK_A_RECV_Q,		/* u32: bytes received, not yet read
					 * (ss Recv-Q: rcv_nxt - copied_seq)
					 */
	TCPTUNE_SOCK_A_SEND_Q,		/* u32: bytes written, not yet acked
					 * (ss Send-Q: write_seq - snd_una)
					 */
	TCPTUNE_SOCK_A_BYTES_SENT,	/* u64: bytes, retransmissions included */
	TCPTUNE_SOCK_A_BYTES_RETRANS,	/* u64: bytes retransmitted */
	TCPTUNE_SOCK_A_BUSY,		/* u64: us sending (tcpi_busy_time) */
	TCPTUNE_SOCK_A_RWND_LIMITED,	/* u64: us of it limited by the
					 * peer's window
					 */
	TCPTUNE_SOCK_A_SNDBUF_LIMITED,	/* u64: us of it limited by the send
					 * buffer
					 */
	TCPTUNE_SOCK_A_NOTSENT,		/* u32: bytes written, never sent */
	TCPTUNE_SOCK_A_SND_WND,		/* u32: bytes, the peer's window */
	TCPTUNE_SOCK_A_OPTIONS,		/* u8: TCPI_OPT_* of linux/tcp.h
					 * (TIMESTAMPS, SACK, WSCALE, ECN,
					 * ECN_SEEN, SYN_DATA)
					 */
	TCPTUNE_SOCK_A_SND_WSCALE,	/* u8: shift, with OPTIONS' WSCALE */
	TCPTUNE_SOCK_A_RCV_WSCALE,	/* u8: shift, with OPTIONS' WSCALE */
	TCPTUNE_SOCK_A_INODE,		/* u64: the socket's inode, as ss -e
					 * (ino:), 0 once it has no file
					 */
	TCPTUNE_SOCK_A_UID,		/* u32: its owner, in the reader's
					 * user namespace (ss -e uid:)
					 */
	TCPTUNE_SOCK_A_CGROUP_ID,	/* u64: its cgroup v2 id, as
					 * INET_DIAG_CGROUP_ID (ss --cgroup)
					 */

	__TCPTUNE_SOCK_A_MAX,
	TCPTUNE_SOCK_A_MAX = __TCPTUNE_SOCK_A_MAX - 1
};

/* tcptune_reno / tcptune_newreno model. */
enum tcptune_reno_phase {
	TCPTUNE_RENO_OPEN,		/* cwnd is the RFC window */
	TCPTUNE_RENO_FAST_RECOVERY,
	TCPTUNE_RENO_AFTER_RECOVERY,	/* RFC recovery over, stack's not yet */
};

enum tcptune_reno_attr {
	TCPTUNE_RENO_A_UNSPEC,
	TCPTUNE_RENO_A_PHASE,		/* u8, enum tcptune_reno_phase */
	TCPTUNE_RENO_A_RECOVER,		/* u32: bytes from snd_una to the
					 * recovery point (high_seq); 0 once
					 * it is acknowledged
					 */
	TCPTUNE_RENO_A_BYTES_ACKED,	/* u32: RFC 3465 CA byte counter */
	TCPTUNE_RENO_A_RFC_CWND,	/* u32: the RFC's cwnd, segments */
	TCPTUNE_RENO_A_DUP_SEGS,	/* u32: dup-ACKed segments in a row */

	__TCPTUNE_RENO_A_MAX,
	TCPTUNE_RENO_A_MAX = __TCPTUNE_RENO_A_MAX - 1
};

/* tcptune_bbr model. */
enum tcptune_bbr_state {
	TCPTUNE_BBR_STARTUP,
	TCPTUNE_BBR_DRAIN,
	TCPTUNE_BBR_PROBE_BW_DOWN,
	TCPTUNE_BBR_PROBE_BW_CRUISE,
	TCPTUNE_BBR_PROBE_BW_REFILL,
	TCPTUNE_BBR_PROBE_BW_UP,
	TCPTUNE_BBR_PROBE_RTT,
};

enum tcptune_bbr_attr {
	TCPTUNE_BBR_A_UNSPEC,
	TCPTUNE_BBR_A_STATE,		/* u8, enum tcptune_bbr_state */
	TCPTUNE_BBR_A_BW,		/* u64: bytes/s, max filter */
	TCPTUNE_BBR_A_MIN_RTT,		/* u32: us */
	TCPTUNE_BBR_A_PACING_GAIN,	/* u32: percent */
	TCPTUNE_BBR_A_CWND_GAIN,	/* u32: percent */
	TCPTUNE_BBR_A_INFLIGHT_HI,	/* u32: segments, ~0 = unset */
	TCPTUNE_BBR_A_INFLIGHT_LO,	/* u32: segments, ~0 = unset */
	TCPTUNE_BBR_A_BW_LO,		/* u64: bytes/s, ~0 = unset */
	TCPTUNE_BBR_A_ROUND,		/* u32: round trips counted */
	TCPTUNE_BBR_A_PAD,

	__TCPTUNE_BBR_A_MAX,
	TCPTUNE_BBR_A_MAX = __TCPTUNE_BBR_A_MAX - 1
};

enum tcptune_event_type {
	TCPTUNE_EVENT_RECOVERY_ENTER,
	TCPTUNE_EVENT_RECOVERY_EXIT,
	TCPTUNE_EVENT_RTO,
	TCPTUNE_EVENT_BBR_STATE,
};

enum tcptune_event_attr {
	TCPTUNE_EVENT_A_UNSPEC,
	TCPTUNE_EVENT_A_TYPE,		/* u8, enum tcptune_event_type */
	TCPTUNE_EVENT_A_COOKIE,		/* u64 */
	TCPTUNE_EVENT_A_ALGO,		/* string */
	TCPTUNE_EVENT_A_CA_STATE,	/* u8, enum tcptune_ca_state */
	TCPTUNE_EVENT_A_CWND,		/* u32 */
	TCPTUNE_EVENT_A_SSTHRESH,	/* u32 */
	TCPTUNE_EVENT_A_BBR_STATE,	/* u8, enum tcptune_bbr_state */
	TCPTUNE_EVENT_A_DROPPED,	/* u32: events dropped before this one */
	TCPTUNE_EVENT_A_PAD,
	TCPTUNE_EVENT_A_FAMILY,		/* u8 */
	TCPTUNE_EVENT_A_SADDR,		/* binary: 4 or 16 bytes */
	TCPTUNE_EVENT_A_DADDR,		/* binary: 4 or 16 bytes */
	TCPTUNE_EVENT_A_SPORT,		/* u16 */
	TCPTUNE_EVENT_A_DPORT,		/* u16 */
	TCPTUNE_EVENT_A_TIMESTAMP,	/* u64: ns since the epoch, CLOCK_REALTIME,
					 * when the event was built
					 */

	__TCPTUNE_EVENT_A_MAX,
	TCPTUNE_EVENT_A_MAX = __TCPTUNE_EVENT_A_MAX - 1
};

#endif /* _UAPI_LINUX_TCPTUNE_H */

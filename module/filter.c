// SPDX-License-Identifier: GPL-2.0
/*
 * tcptune: the socket dump's filter, an inet_diag bytecode program
 * (include/uapi/linux/inet_diag.h), the one ss and `tcptune sockets -a`
 * hand sock_diag.  Checked whole once, before the dump starts, and then
 * run on each of our sockets under its hash bucket's lock, so that a dump
 * of 20,000 sockets for one port sends one.
 *
 * The program is a sequence of struct inet_diag_bc_op, each followed by
 * its operand.  An op whose test holds goes on by op->yes bytes, one whose
 * test fails by op->no; the socket matches if the walk ends exactly at the
 * end.  A jump to the end plus 4 rejects.  The check below takes what the
 * kernel's own sock_diag takes: op boundaries are those reached from the
 * start by the yes offsets, every no lands on one of them (or at the end,
 * or 4 past it), every offset is a multiple of 4 and forward, every
 * operand lies inside the program.  So the walk only moves forward and
 * ends after at most len / 4 ops.
 */
#include <linux/bitmap.h>
#include <linux/cgroup.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <net/inet_sock.h>
#include <net/sock.h>

#include <uapi/linux/tcptune.h>

#include "tcptune.h"

/* The bytes an op takes with its operand, or 0 if it is not well-formed. */
static unsigned int tcptune_bc_op_len(const struct inet_diag_bc_op *op, unsigned int rem)
{
	const struct inet_diag_hostcond *hc;
	unsigned int alen;

	switch (op->code) {
	case INET_DIAG_BC_NOP:
	case INET_DIAG_BC_JMP:
	case INET_DIAG_BC_AUTO:
		return sizeof(*op);
	case INET_DIAG_BC_S_EQ:
	case INET_DIAG_BC_S_GE:
	case INET_DIAG_BC_S_LE:
	case INET_DIAG_BC_D_EQ:
	case INET_DIAG_BC_D_GE:
	case INET_DIAG_BC_D_LE:
		/* the port is in the .no of a second op */
		return rem >= 2 * sizeof(*op) ? 2 * sizeof(*op) : 0;
	case INET_DIAG_BC_DEV_COND:
		return rem >= sizeof(*op) + sizeof(u32) ? sizeof(*op) + sizeof(u32) : 0;
	case INET_DIAG_BC_MARK_COND:
		return rem >= sizeof(*op) + sizeof(struct inet_diag_markcond) ?
		       sizeof(*op) + sizeof(struct inet_diag_markcond) : 0;
	case INET_DIAG_BC_CGROUP_COND:
		return rem >= sizeof(*op) + sizeof(u64) ? sizeof(*op) + sizeof(u64) : 0;
	case INET_DIAG_BC_S_COND:
	case INET_DIAG_BC_D_COND:
		if (rem < sizeof(*op) + sizeof(*hc))
			return 0;
		hc = (const void *)(op + 1);
		switch (hc->family) {
		case AF_UNSPEC:
			alen = 0;
			break;
		case AF_INET:
			alen = sizeof(struct in_addr);
			break;
		case AF_INET6:
			alen = sizeof(struct in6_addr);
			break;
		default:
			return 0;
		}
		if (hc->prefix_len > alen * 8 ||
		    rem < sizeof(*op) + sizeof(*hc) + alen)
			return 0;
		return sizeof(*op) + sizeof(*hc) + alen;
	}
	return 0;
}

/* An offset from op at off: forward, past the operand, aligned, in range. */
static bool tcptune_bc_step_ok(unsigned int step, unsigned int oplen,
			       unsigned int off, unsigned int len)
{
	return step >= oplen && !(step & 3) && off + step <= len + 4;
}

int tcptune_bc_audit(const struct nlattr *attr, bool net_admin,
		     struct netlink_ext_ack *extack)
{
	DECLARE_BITMAP(starts, TCPTUNE_FILTER_BC_MAX / 4);
	const u8 *bc = nla_data(attr);
	unsigned int len = nla_len(attr), off, oplen;
	const struct inet_diag_bc_op *op;

	if (!len || len > TCPTUNE_FILTER_BC_MAX || len & 3) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "filter: length not a multiple of 4 in 4..4096");
		return -EINVAL;
	}
	bitmap_zero(starts, TCPTUNE_FILTER_BC_MAX / 4);
	/* the ops, by their yes offsets, which must end exactly at len */
	for (off = 0; off < len; off += op->yes) {
		op = (const void *)(bc + off);
		oplen = tcptune_bc_op_len(op, len - off);
		if (!oplen) {
			NL_SET_ERR_MSG_ATTR(extack, attr, "filter: unknown or malformed op");
			return -EINVAL;
		}
		if (op->code == INET_DIAG_BC_MARK_COND && !net_admin) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "filter: matching socket marks needs CAP_NET_ADMIN");
			return -EPERM;
		}
		if (op->code == INET_DIAG_BC_CGROUP_COND &&
		    !IS_ENABLED(CONFIG_SOCK_CGROUP_DATA)) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "filter: this kernel keeps no socket cgroups");
			return -EOPNOTSUPP;
		}
		if (!tcptune_bc_step_ok(op->yes, oplen, off, len)) {
			NL_SET_ERR_MSG_ATTR(extack, attr, "filter: bad yes offset");
			return -EINVAL;
		}
		__set_bit(off / 4, starts);
	}
	if (off != len) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "filter: the ops overrun the end");
		return -EINVAL;
	}
	/* every no: the end, 4 past it, or the start of an op */
	for (off = 0; off < len; off += op->yes) {
		op = (const void *)(bc + off);
		if (op->code == INET_DIAG_BC_NOP)
			continue;
		if (!tcptune_bc_step_ok(op->no, tcptune_bc_op_len(op, len - off), off, len) ||
		    (off + op->no < len && !test_bit((off + op->no) / 4, starts))) {
			NL_SET_ERR_MSG_ATTR(extack, attr, "filter: bad no offset");
			return -EINVAL;
		}
	}
	return 0;
}

/* The first plen bits of a and b are equal (both in network order). */
static bool tcptune_prefix_eq(const __be32 *a, const __be32 *b, unsigned int plen)
{
	unsigned int words = plen / 32, bits = plen % 32;

	if (words && memcmp(a, b, words * sizeof(*a)))
		return false;
	return !bits || !((a[words] ^ b[words]) & htonl(~0U << (32 - bits)));
}

static bool tcptune_bc_host(const struct inet_diag_hostcond *hc, const struct sock *sk,
			    bool src)
{
	const struct inet_sock *inet = inet_sk(sk);
	int port = ntohs(src ? inet->inet_sport : inet->inet_dport);
	const __be32 *addr;

	if (hc->port != -1 && hc->port != port)
		return false;
	/*
	 * A family (not AF_UNSPEC) holds for its own sockets only, whatever
	 * the prefix length, except that an IPv4 prefix matches an IPv6
	 * socket's IPv4-mapped address; prefix length 0 is any address.
	 */
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		addr = (src ? sk->sk_v6_rcv_saddr : sk->sk_v6_daddr).s6_addr32;
		if (hc->family == AF_INET)
			return !addr[0] && !addr[1] && addr[2] == htonl(0xffff) &&
			       tcptune_prefix_eq(addr + 3, hc->addr, hc->prefix_len);
		return hc->family == AF_UNSPEC || !hc->prefix_len ||
		       tcptune_prefix_eq(addr, hc->addr, hc->prefix_len);
	}
#endif
	addr = src ? &inet->inet_rcv_saddr : &inet->inet_daddr;
	if (hc->family != AF_UNSPEC && hc->family != AF_INET)
		return false;
	return !hc->prefix_len || tcptune_prefix_eq(addr, hc->addr, hc->prefix_len);
}

static u64 tcptune_sk_cgroup_id(struct sock *sk)
{
#ifdef CONFIG_SOCK_CGROUP_DATA
	return cgroup_id(sock_cgroup_ptr(&sk->sk_cgrp_data));
#else
	return 0;	/* the audit refused the test */
#endif
}

/*
 * Whether the audited program matches sk, a full socket of ours, under its
 * hash bucket's lock: the tuple is fixed while the socket is hashed; the
 * mark and the bound device are read once.
 */
bool tcptune_bc_run(const struct nlattr *attr, struct sock *sk)
{
	const u8 *bc = nla_data(attr);
	int len = nla_len(attr), off = 0;
	u16 sport = ntohs(inet_sk(sk)->inet_sport);
	u16 dport = ntohs(inet_sk(sk)->inet_dport);

	while (off < len) {
		const struct inet_diag_bc_op *op = (const void *)(bc + off);
		const void *arg = op + 1;
		bool yes;

		switch (op->code) {
		case INET_DIAG_BC_NOP:
			yes = true;
			break;
		case INET_DIAG_BC_JMP:
			yes = false;
			break;
		case INET_DIAG_BC_S_EQ:
			yes = sport == op[1].no;
			break;
		case INET_DIAG_BC_S_GE:
			yes = sport >= op[1].no;
			break;
		case INET_DIAG_BC_S_LE:
			yes = sport <= op[1].no;
			break;
		case INET_DIAG_BC_D_EQ:
			yes = dport == op[1].no;
			break;
		case INET_DIAG_BC_D_GE:
			yes = dport >= op[1].no;
			break;
		case INET_DIAG_BC_D_LE:
			yes = dport <= op[1].no;
			break;
		case INET_DIAG_BC_AUTO:
			yes = !(sk->sk_userlocks & SOCK_BINDPORT_LOCK);
			break;
		case INET_DIAG_BC_S_COND:
		case INET_DIAG_BC_D_COND:
			yes = tcptune_bc_host(arg, sk, op->code == INET_DIAG_BC_S_COND);
			break;
		case INET_DIAG_BC_DEV_COND:	/* ops are 4-aligned */
			yes = *(const u32 *)arg == (u32)READ_ONCE(sk->sk_bound_dev_if);
			break;
		case INET_DIAG_BC_MARK_COND: {
			const struct inet_diag_markcond *mc = arg;

			yes = (READ_ONCE(sk->sk_mark) & mc->mask) == mc->mark;
			break;
		}
		case INET_DIAG_BC_CGROUP_COND: {
			u64 id;

			memcpy(&id, arg, sizeof(id));	/* 4-aligned only */
			yes = id == tcptune_sk_cgroup_id(sk);
			break;
		}
		default:	/* not reached: audited */
			return false;
		}
		off += yes ? op->yes : op->no;
	}
	return off == len;
}

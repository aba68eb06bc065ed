/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's side of inet_diag bytecode, for the CLI's host tests
 * (test_cli_unit.c, fuzz_cli.c): the audit a request's bytecode must pass
 * (inet_diag_bc_audit: every op's yes its own length, every no a forward
 * jump to an op, the end or the end + 4) and its run over one socket
 * (inet_diag_bc_run), written from net/ipv4/inet_diag.c's behaviour and
 * linux/inet_diag.h.  Only the ops the CLI emits are known.  MARK_COND is
 * refused ("EPERM") unless bc_admin is set, as the kernel refuses it to a
 * user without CAP_NET_ADMIN.
 */
#ifndef TCPTUNE_CLI_BC_H
#define TCPTUNE_CLI_BC_H

#include <stdbool.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/inet_diag.h>

#include "tcptune.h"

/* Is cc (bytes left at the target) an op boundary of bc[0..len)? */
static bool bc_valid_cc(const unsigned char *bc, int len, int cc)
{
	while (len >= 0) {
		const struct inet_diag_bc_op *op = (const void *)bc;

		if (cc > len)
			return false;
		if (cc == len)
			return true;
		if (op->yes < 4 || op->yes & 3)
			return false;
		len -= op->yes;
		bc += op->yes;
	}
	return false;
}

static bool bc_admin = true;

/* 0 if the kernel takes bc[0..len), else why not. */
static const char *bc_audit(const unsigned char *bc0, int len0)
{
	const unsigned char *bc = bc0;
	int len = len0;

	if (len0 & 3)
		return "length not a multiple of 4";
	while (len > 0) {
		const struct inet_diag_bc_op *op = (const void *)bc;
		int min_len = sizeof(*op);

		if (len < (int)sizeof(*op))
			return "an op cut short";
		switch (op->code) {
		case INET_DIAG_BC_S_COND:
		case INET_DIAG_BC_D_COND: {
			const struct inet_diag_hostcond *hc = (const void *)(op + 1);
			int alen;

			min_len += sizeof(*hc);
			if (len < min_len)
				return "a host condition cut short";
			alen = hc->family == AF_UNSPEC ? 0 : hc->family == AF_INET ? 4 :
			       hc->family == AF_INET6 ? 16 : -1;
			if (alen < 0)
				return "a host condition of an unknown family";
			min_len += alen;
			if (len < min_len)
				return "a host condition's address cut short";
			if (hc->prefix_len > 8 * alen)
				return "a prefix longer than its address";
			break;
		}
		case INET_DIAG_BC_S_GE: case INET_DIAG_BC_S_LE: case INET_DIAG_BC_S_EQ:
		case INET_DIAG_BC_D_GE: case INET_DIAG_BC_D_LE: case INET_DIAG_BC_D_EQ:
			min_len += sizeof(*op);
			if (len < min_len)
				return "a port comparison cut short";
			break;
		case INET_DIAG_BC_DEV_COND:	/* u32 ifindex */
			min_len += 4;
			if (len < min_len)
				return "a device condition cut short";
			break;
		case INET_DIAG_BC_MARK_COND:	/* struct inet_diag_markcond */
			if (!bc_admin)
				return "EPERM";
			min_len += sizeof(struct inet_diag_markcond);
			if (len < min_len)
				return "a mark condition cut short";
			break;
		case INET_DIAG_BC_CGROUP_COND:	/* u64 cgroup id */
			min_len += 8;
			if (len < min_len)
				return "a cgroup condition cut short";
			break;
		case INET_DIAG_BC_AUTO:
		case INET_DIAG_BC_JMP:
		case INET_DIAG_BC_NOP:
			break;
		default:
			return "an op the CLI does not emit";
		}
		if (op->code != INET_DIAG_BC_NOP) {
			if (op->no < min_len || op->no > len + 4 || op->no & 3)
				return "a no out of range";
			if (op->no < len && !bc_valid_cc(bc0, len0, len - op->no))
				return "a no into the middle of an op";
		}
		if (op->yes < min_len || op->yes > len + 4 || op->yes & 3)
			return "a yes out of range";
		bc += op->yes;
		len -= op->yes;
	}
	return len == 0 ? NULL : "the last op runs past the end";
}

static bool bc_bits(const uint8_t *a, const uint8_t *b, int bits)
{
	int full = bits / 8, rest = bits % 8;

	if (memcmp(a, b, (size_t)full))
		return false;
	if (rest) {
		uint8_t mask = (uint8_t)(0xff << (8 - rest));

		return (a[full] & mask) == (b[full] & mask);
	}
	return true;
}

/* Would the kernel dump s?  bc has passed bc_audit. */
static bool bc_run(const unsigned char *bc, int len, const struct tt_sock *s)
{
	int sport = (int)s->v[TCPTUNE_SOCK_A_SPORT], dport = (int)s->v[TCPTUNE_SOCK_A_DPORT];

	while (len > 0) {
		const struct inet_diag_bc_op *op = (const void *)bc;
		bool yes = true;

		switch (op->code) {
		case INET_DIAG_BC_JMP: yes = false; break;
		case INET_DIAG_BC_S_EQ: yes = sport == op[1].no; break;
		case INET_DIAG_BC_S_GE: yes = sport >= op[1].no; break;
		case INET_DIAG_BC_S_LE: yes = sport <= op[1].no; break;
		case INET_DIAG_BC_D_EQ: yes = dport == op[1].no; break;
		case INET_DIAG_BC_D_GE: yes = dport >= op[1].no; break;
		case INET_DIAG_BC_D_LE: yes = dport <= op[1].no; break;
		/* the socket's fields as sock_diag reports them (inet_diag_bc_sk) */
		case INET_DIAG_BC_AUTO: yes = s->autobound; break;
		case INET_DIAG_BC_DEV_COND: {
			uint32_t idx;

			memcpy(&idx, op + 1, sizeof(idx));
			yes = s->ifindex == idx;
			break;
		}
		case INET_DIAG_BC_MARK_COND: {
			struct inet_diag_markcond mc;

			memcpy(&mc, op + 1, sizeof(mc));
			yes = (s->mark & mc.mask) == mc.mark;
			break;
		}
		case INET_DIAG_BC_CGROUP_COND: {
			uint64_t id;

			memcpy(&id, op + 1, sizeof(id));
			yes = s->cgroup_id == id;
			break;
		}
		case INET_DIAG_BC_S_COND:
		case INET_DIAG_BC_D_COND: {
			const struct inet_diag_hostcond *hc = (const void *)(op + 1);
			bool src = op->code == INET_DIAG_BC_S_COND;
			const uint8_t *a = src ? s->saddr : s->daddr;
			static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };

			if (hc->port != -1 && hc->port != (src ? sport : dport)) {
				yes = false;
				break;
			}
			if (hc->family != AF_UNSPEC && hc->family != s->family) {
				if (s->family == AF_INET6 && hc->family == AF_INET &&
				    !memcmp(a, mapped, 12) &&
				    bc_bits(a + 12, (const uint8_t *)hc->addr, hc->prefix_len))
					break;
				yes = false;
				break;
			}
			if (hc->prefix_len == 0)
				break;
			yes = bc_bits(a, (const uint8_t *)hc->addr, hc->prefix_len);
			break;
		}
		default:
			break;
		}
		if (yes) {
			len -= op->yes;
			bc += op->yes;
		} else {
			len -= op->no;
			bc += op->no;
		}
	}
	return len == 0;
}

#endif /* TCPTUNE_CLI_BC_H */

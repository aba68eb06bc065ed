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

/* ---- generic netlink --------------------------------------------------- */

/* A dump's parsed attributes: genl_dumpit_info() changed shape in 6.2. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
#define tcptune_dump_attrs(cb) (genl_dumpit_info(cb)->attrs)
#else
#define tcptune_dump_attrs(cb) (genl_dumpit_info(cb)->info.attrs)
#endif

#endif /* _TCPTUNE_COMPAT_H */

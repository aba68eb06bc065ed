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

#endif /* _TCPTUNE_COMPAT_H */

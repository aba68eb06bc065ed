/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcptune: declarations shared by the module's compile units.
 */
#ifndef _TCPTUNE_H
#define _TCPTUNE_H

#include <net/tcp.h>

extern struct tcp_congestion_ops tcptune_reno_ops;
extern struct tcp_congestion_ops tcptune_newreno_ops;

#endif /* _TCPTUNE_H */

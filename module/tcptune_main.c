// SPDX-License-Identifier: GPL-2.0
/*
 * tcptune: pluggable congestion control and TCP tuning layer.
 *
 * Module entry: registers the algorithms.  Each one is also reachable by
 * the alias the stack asks for when a sysctl, setsockopt(TCP_CONGESTION) or
 * route names an algorithm that is not loaded ("tcp_<name>").
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "tcptune.h"
#include "knobs.h"

static struct tcp_congestion_ops *const tcptune_algorithms[] = {
	&tcptune_reno_ops,
	&tcptune_newreno_ops,
};

static void tcptune_unregister(int n)
{
	while (n-- > 0)
		tcp_unregister_congestion_control(tcptune_algorithms[n]);
}

static int __init tcptune_init(void)
{
	int i, err;

	err = tcptune_knobs_init();
	if (err)
		return err;
	for (i = 0; i < ARRAY_SIZE(tcptune_algorithms); i++) {
		err = tcp_register_congestion_control(tcptune_algorithms[i]);
		if (err) {
			pr_err("cannot register %s: %d\n",
			       tcptune_algorithms[i]->name, err);
			tcptune_unregister(i);
			tcptune_knobs_exit();
			return err;
		}
	}
	return 0;
}

static void __exit tcptune_exit(void)
{
	tcptune_unregister(ARRAY_SIZE(tcptune_algorithms));
	tcptune_knobs_exit();
}

module_init(tcptune_init);
module_exit(tcptune_exit);

MODULE_AUTHOR("tcptune developers");
MODULE_DESCRIPTION("tcptune: RFC 5681 Reno, RFC 6582 NewReno and a tuning layer");
MODULE_LICENSE("GPL");
MODULE_ALIAS("tcp_tcptune_reno");
MODULE_ALIAS("tcp_tcptune_newreno");

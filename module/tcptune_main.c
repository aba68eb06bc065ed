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

#include "tcptune_net.h"

/* Every algorithm of the module, in enum tcptune_algo order. */
const struct tcptune_algo_info *const tcptune_algos[] = {
	&tcptune_reno_info,
	&tcptune_newreno_info,
	&tcptune_bbr_info,
};

const unsigned int tcptune_nr_algos = ARRAY_SIZE(tcptune_algos);

static void tcptune_unregister(int n)
{
	while (n-- > 0)
		tcp_unregister_congestion_control(tcptune_algos[n]->ops);
}

static int __init tcptune_init(void)
{
	int i, err;

	BUILD_BUG_ON(ARRAY_SIZE(tcptune_algos) > TCPTUNE_ALGO_MAX);
	for (i = 0; i < ARRAY_SIZE(tcptune_algos); i++)
		if (WARN_ON(tcptune_algos[i]->algo != i))
			return -EINVAL;

	/* Namespaces (knobs, registry) before anything can use them. */
	err = tcptune_knobs_init();
	if (err)
		return err;
	err = tcptune_netlink_init();
	if (err)
		goto fail_netlink;
	for (i = 0; i < ARRAY_SIZE(tcptune_algos); i++) {
		err = tcp_register_congestion_control(tcptune_algos[i]->ops);
		if (err) {
			pr_err("cannot register %s: %d\n", tcptune_algos[i]->ops->name, err);
			goto fail_register;
		}
	}
	return 0;

fail_register:
	tcptune_unregister(i);
	tcptune_netlink_exit();
fail_netlink:
	tcptune_knobs_exit();
	return err;
}

/* No socket uses us any more (the module is not in use): unwind. */
static void __exit tcptune_exit(void)
{
	tcptune_unregister(ARRAY_SIZE(tcptune_algos));
	tcptune_netlink_exit();
	tcptune_knobs_exit();
}

module_init(tcptune_init);
module_exit(tcptune_exit);

MODULE_AUTHOR("tcptune developers");
MODULE_DESCRIPTION("tcptune: RFC 5681 Reno, RFC 6582 NewReno and a tuning layer");
MODULE_LICENSE("GPL");
MODULE_ALIAS("tcp_tcptune_reno");
MODULE_ALIAS("tcp_tcptune_newreno");
MODULE_ALIAS("tcp_tcptune_bbr");

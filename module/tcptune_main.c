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
#include <net/genetlink.h>

#include "tcptune_net.h"

/* Every algorithm of the module, in enum tcptune_algo order. */
const struct tcptune_algo_info *const tcptune_algos[] = {
	&tcptune_reno_info,
	&tcptune_newreno_info,
	&tcptune_bbr_info,
};

const unsigned int tcptune_nr_algos = ARRAY_SIZE(tcptune_algos);

/* What is registered: a bit per enum tcptune_algo, and the family. */
static unsigned long tcptune_registered;
#define TCPTUNE_REG_NETLINK	TCPTUNE_ALGO_MAX

static void tcptune_unregister(void)
{
	unsigned int i;

	if (test_and_clear_bit(TCPTUNE_REG_NETLINK, &tcptune_registered))
		tcptune_netlink_exit();
	for (i = 0; i < ARRAY_SIZE(tcptune_algos); i++)
		if (test_and_clear_bit(i, &tcptune_registered))
			tcp_unregister_congestion_control(tcptune_algos[i]->ops);
}

/*
 * Everything that can fail for want of memory comes first (namespaces:
 * knobs, counts, sysctls); then the netlink family and the algorithms.
 * From the moment either is registered, a socket or a dump may take a
 * reference on the module while init still runs (try_module_get()
 * succeeds on a module that is coming).  If a later step fails (an
 * algorithm's name is taken), init must not fail once anything holds such
 * a reference, or the loader would free the module under it.  So:
 * unregister the family and the algorithms (genl_unregister_family() waits
 * for running dumps, tcp_unregister_congestion_control() for RCU readers:
 * after them nobody can take a new reference), then fail only if nobody
 * took one; otherwise stay loaded with nothing registered, say so, and
 * let rmmod unwind once the last user is gone.
 */
static int __init tcptune_init(void)
{
	int i, err;

	BUILD_BUG_ON(ARRAY_SIZE(tcptune_algos) > TCPTUNE_ALGO_MAX);
	for (i = 0; i < ARRAY_SIZE(tcptune_algos); i++)
		if (WARN_ON(tcptune_algos[i]->algo != i))
			return -EINVAL;

	err = tcptune_knobs_init();
	if (err)
		return err;
	err = tcptune_netlink_init();
	if (err)
		goto fail;
	set_bit(TCPTUNE_REG_NETLINK, &tcptune_registered);
	for (i = 0; i < ARRAY_SIZE(tcptune_algos); i++) {
		err = tcp_register_congestion_control(tcptune_algos[i]->ops);
		if (err) {
			pr_err("cannot register %s: %d\n", tcptune_algos[i]->ops->name, err);
			goto fail_register;
		}
		set_bit(i, &tcptune_registered);
	}
	return 0;

fail_register:
	tcptune_unregister();
	/* The loader holds one reference while init runs. */
	if (module_refcount(THIS_MODULE) > 1) {
		pr_err("in use by sockets that started during init: staying loaded, with nothing registered\n");
		return 0;
	}
fail:
	tcptune_knobs_exit();
	return err;
}

/* No socket uses us any more (the module is not in use): unwind. */
static void __exit tcptune_exit(void)
{
	tcptune_unregister();
	tcptune_knobs_exit();
}

module_init(tcptune_init);
module_exit(tcptune_exit);

MODULE_AUTHOR("tcptune developers");
MODULE_DESCRIPTION("tcptune: RFC 5681 Reno, RFC 6582 NewReno, a BBR-style model-based algorithm and a TCP tuning layer");
MODULE_LICENSE("GPL");
/* the package version: dkms.conf and debian/changelog say the same */
MODULE_VERSION("0.1.0");
MODULE_ALIAS("tcp_tcptune_reno");
MODULE_ALIAS("tcp_tcptune_newreno");
MODULE_ALIAS("tcp_tcptune_bbr");
MODULE_ALIAS_GENL_FAMILY(TCPTUNE_GENL_NAME);

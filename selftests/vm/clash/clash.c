// SPDX-License-Identifier: GPL-2.0
/*
 * A test module for the security suite: registers a congestion control
 * named "tcptune_newreno" (the kernel's Reno inside), so that tcptune.ko's
 * init fails on its second algorithm after the first is registered.
 */
#include <linux/module.h>
#include <net/tcp.h>

static struct tcp_congestion_ops clash_ops __read_mostly = {
	.name		= "tcptune_newreno",
	.owner		= THIS_MODULE,
	.ssthresh	= tcp_reno_ssthresh,
	.cong_avoid	= tcp_reno_cong_avoid,
	.undo_cwnd	= tcp_reno_undo_cwnd,
};

static int __init clash_init(void)
{
	return tcp_register_congestion_control(&clash_ops);
}

static void __exit clash_exit(void)
{
	tcp_unregister_congestion_control(&clash_ops);
}

module_init(clash_init);
module_exit(clash_exit);

MODULE_DESCRIPTION("tcptune selftest: a congestion control that takes tcptune_newreno's name");
MODULE_LICENSE("GPL");

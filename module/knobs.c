// SPDX-License-Identifier: GPL-2.0
/*
 * Knob storage: the descriptor table generated from knobs.h, and one block
 * of values per network namespace (net_generic), filled with the defaults
 * when the namespace is created.
 */
#include <linux/module.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "knobs.h"

const char *const tcptune_algo_name[TCPTUNE_ALGO_MAX] = {
	[TCPTUNE_ALGO_RENO]	= "reno",
	[TCPTUNE_ALGO_NEWRENO]	= "newreno",
};

const struct tcptune_knob_desc tcptune_knob_desc[TCPTUNE_NR_KNOBS] = {
#define TCPTUNE_X_DESC(A, n, u, lo, hi, d, w, text)			\
	[TCPTUNE_KNOB_##A##_##n] = {					\
		.name = #n, .unit = u, .doc = text,			\
		.min = lo, .max = hi, .def = d,				\
		.algo = TCPTUNE_ALGO_##A, .when = TCPTUNE_KNOB_##w,		\
	},
	TCPTUNE_KNOBS(TCPTUNE_X_DESC)
#undef TCPTUNE_X_DESC
};

struct tcptune_net {
	struct tcptune_knobs knobs;
};

static unsigned int tcptune_net_id __read_mostly;

const struct tcptune_knobs *tcptune_net_knobs(const struct net *net)
{
	const struct tcptune_net *tn;

	rcu_read_lock();
	tn = net_generic(net, tcptune_net_id);
	rcu_read_unlock();
	return &tn->knobs;
}

static int __net_init tcptune_net_init(struct net *net)
{
	struct tcptune_net *tn = net_generic(net, tcptune_net_id);
	unsigned int i;

	for (i = 0; i < TCPTUNE_NR_KNOBS; i++)
		tn->knobs.val[i] = tcptune_knob_desc[i].def;
	return 0;
}

static struct pernet_operations tcptune_net_ops = {
	.init = tcptune_net_init,
	.id = &tcptune_net_id,
	.size = sizeof(struct tcptune_net),
};

int tcptune_knobs_init(void)
{
	unsigned int i;

	/* Defaults must lie within their own bounds. */
	for (i = 0; i < TCPTUNE_NR_KNOBS; i++)
		if (WARN_ON(tcptune_knob_desc[i].def < tcptune_knob_desc[i].min ||
			    tcptune_knob_desc[i].def > tcptune_knob_desc[i].max))
			return -EINVAL;
	return register_pernet_subsys(&tcptune_net_ops);
}

void tcptune_knobs_exit(void)
{
	unregister_pernet_subsys(&tcptune_net_ops);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Knobs: the descriptor table generated from knobs.h, one block of values
 * per network namespace (filled with the defaults when the namespace is
 * created), and the sysctls net.tcptune.<algo>.<knob> over the same values.
 *
 * Writes, from sysctl or netlink, are strict: one decimal number, nothing
 * else, within [min, max]; otherwise EINVAL and the value is unchanged.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "tcptune_net.h"

const char *const tcptune_algo_name[TCPTUNE_ALGO_MAX] = {
	[TCPTUNE_ALGO_RENO]	= "reno",
	[TCPTUNE_ALGO_NEWRENO]	= "newreno",
	[TCPTUNE_ALGO_BBR]	= "bbr",
};

const struct tcptune_knob_desc tcptune_knob_desc[TCPTUNE_NR_KNOBS] = {
#define TCPTUNE_X_DESC(A, n, u, lo, hi, d, w, text)			\
	[TCPTUNE_KNOB_##A##_##n] = {					\
		.name = #n, .unit = u, .doc = text,			\
		.min = lo, .max = hi, .def = d,				\
		.algo = TCPTUNE_ALGO_##A, .when = TCPTUNE_KNOB_##w,	\
	},
	TCPTUNE_KNOBS(TCPTUNE_X_DESC)
#undef TCPTUNE_X_DESC
};

/* Serialises knob writers: a multi-knob netlink set is seen whole. */
DEFINE_MUTEX(tcptune_knob_mutex);
unsigned int tcptune_net_id __read_mostly;
unsigned int tcptune_knob_gen __read_mostly;

/* After a write of knobs, under tcptune_knob_mutex (knobs.h). */
void tcptune_knobs_written(void)
{
	lockdep_assert_held(&tcptune_knob_mutex);
	/* the values first: pairs with smp_rmb() in tcptune_knob_gen_changed() */
	smp_store_release(&tcptune_knob_gen, tcptune_knob_gen + 1);
}

/* Knob id of algo ("reno") and name ("iw"), or -ENOENT. */
int tcptune_knob_find(const char *algo, const char *name)
{
	unsigned int i;

	for (i = 0; i < TCPTUNE_NR_KNOBS; i++)
		if (!strcmp(tcptune_knob_desc[i].name, name) &&
		    !strcmp(tcptune_algo_name[tcptune_knob_desc[i].algo], algo))
			return i;
	return -ENOENT;
}

/* ---- sysctl ------------------------------------------------------------ */

static int tcptune_sysctl_knob(TCPTUNE_CTL_TABLE *table, int write, void *buffer,
			       size_t *lenp, loff_t *ppos)
{
	const struct tcptune_knob_desc *d = table->extra1;
	u32 *val = table->data;
	char buf[32];
	size_t len = *lenp;
	u32 v;

	if (!write) {
		struct ctl_table tmp = {
			.data = &v, .maxlen = sizeof(v), .mode = table->mode,
		};

		v = READ_ONCE(*val);
		return proc_douintvec(&tmp, 0, buffer, lenp, ppos);
	}
	/* One complete write of one number: no appends, no empty writes. */
	if (*ppos || !len || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, buffer, len);
	buf[len] = '\0';
	if (kstrtou32(strim(buf), 10, &v) || v < d->min || v > d->max)
		return -EINVAL;

	mutex_lock(&tcptune_knob_mutex);
	WRITE_ONCE(*val, v);
	tcptune_knobs_written();
	mutex_unlock(&tcptune_knob_mutex);
	*ppos += len;
	return 0;
}

int tcptune_sysctl_net_init(struct tcptune_net *tn)
{
	unsigned int a, i;

	for (a = 0; a < TCPTUNE_ALGO_MAX; a++) {
		struct ctl_table *t;
		char path[32];
		int n = 0, cnt = 0;

		for (i = 0; i < TCPTUNE_NR_KNOBS; i++)
			cnt += tcptune_knob_desc[i].algo == a;
		/*
		 * cnt entries and an empty sentinel (kernels before 6.11),
		 * charged to the netns creator's memcg: any user who can make
		 * a user and network namespace can make one.
		 */
		t = kcalloc(cnt + 1, sizeof(*t), GFP_KERNEL_ACCOUNT);
		if (!t)
			goto fail;
		for (i = 0; i < TCPTUNE_NR_KNOBS; i++) {
			if (tcptune_knob_desc[i].algo != a)
				continue;
			t[n].procname = tcptune_knob_desc[i].name;
			t[n].data = &tn->knobs.val[i];
			t[n].maxlen = sizeof(u32);
			t[n].mode = 0644;
			t[n].proc_handler = tcptune_sysctl_knob;
			t[n].extra1 = (void *)&tcptune_knob_desc[i];
			n++;
		}
		snprintf(path, sizeof(path), "net/tcptune/%s", tcptune_algo_name[a]);
		tn->sysctl[a] = tcptune_register_net_sysctl(tn->net, path, t, n);
		if (!tn->sysctl[a]) {
			kfree(t);
			goto fail;
		}
	}
	return 0;
fail:
	tcptune_sysctl_net_exit(tn);
	return -ENOMEM;
}

void tcptune_sysctl_net_exit(struct tcptune_net *tn)
{
	unsigned int a;

	for (a = 0; a < TCPTUNE_ALGO_MAX; a++) {
		const struct ctl_table *t;

		if (!tn->sysctl[a])
			continue;
		t = tn->sysctl[a]->ctl_table_arg;
		unregister_net_sysctl_table(tn->sysctl[a]);
		kfree(t);
		tn->sysctl[a] = NULL;
	}
}

/* ---- per-namespace life ------------------------------------------------ */

static int __net_init tcptune_net_init(struct net *net)
{
	struct tcptune_net *tn = net_generic(net, tcptune_net_id);
	unsigned int i;
	int err;

	BUILD_BUG_ON(offsetof(struct tcptune_net, knobs));
	tn->net = net;
	for (i = 0; i < TCPTUNE_NR_KNOBS; i++)
		tn->knobs.val[i] = tcptune_knob_desc[i].def;
	err = tcptune_registry_net_init(tn);
	if (err)
		return err;
	err = tcptune_sysctl_net_init(tn);
	if (err)
		tcptune_registry_net_exit(tn);
	return err;
}

static void __net_exit tcptune_net_exit(struct net *net)
{
	struct tcptune_net *tn = net_generic(net, tcptune_net_id);

	tcptune_sysctl_net_exit(tn);
	tcptune_registry_net_exit(tn);
}

static struct pernet_operations tcptune_net_ops = {
	.init = tcptune_net_init,
	.exit = tcptune_net_exit,
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

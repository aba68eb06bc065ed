// SPDX-License-Identifier: GPL-2.0
/*
 * The sparse canary (make sparse): a known defect sparse must report, or
 * sparse is not really running and a clean module means nothing.  Built
 * as a scratch module under build/, never loaded.
 */
#include <linux/module.h>
#include <linux/compiler.h>

int tcptune_sparse_canary(int __user *p);

int tcptune_sparse_canary(int __user *p)
{
	return *p;	/* sparse: dereference of noderef expression */
}
EXPORT_SYMBOL_GPL(tcptune_sparse_canary);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("sparse canary, never loaded");

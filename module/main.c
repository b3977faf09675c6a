// SPDX-License-Identifier: GPL-2.0
/*
 * irqlens: observe KVM x86 interrupt delivery (IRQ bypass, posted vs
 * remapped IRTEs, interrupt windows, DSM IPI forwarding) from the inside,
 * and report it under /sys/kernel/debug/irqlens/.
 *
 * This file only owns the module's lifetime and the debugfs root; each
 * debugfs file and each group of hooks lives in a file of its own.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/module.h>

#include "irqlens.h"

static struct dentry *irqlens_root;

static int __init irqlens_init(void)
{
	/*
	 * debugfs_create_dir() returns an ERR_PTR when debugfs is absent or
	 * disabled; that is the one failure worth refusing to load over,
	 * since debugfs is the module's only output.
	 */
	irqlens_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	if (IS_ERR(irqlens_root)) {
		pr_err("cannot create debugfs directory: %ld\n",
		       PTR_ERR(irqlens_root));
		return PTR_ERR(irqlens_root);
	}

	irqlens_caps_create(irqlens_root);

	pr_info("loaded, version %s\n", IRQLENS_VERSION);
	return 0;
}

static void __exit irqlens_exit(void)
{
	debugfs_remove_recursive(irqlens_root);
	pr_info("unloaded\n");
}

module_init(irqlens_init);
module_exit(irqlens_exit);

MODULE_DESCRIPTION("irqlens: KVM x86 interrupt delivery observer");
MODULE_LICENSE("GPL");
MODULE_VERSION(IRQLENS_VERSION);
/* Loading a test-kit module taints the kernel (TAINT_TEST) on purpose. */
MODULE_INFO(test, "Y");

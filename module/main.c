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

#include "bypass.h"
#include "hooks.h"
#include "ids.h"
#include "irqlens.h"
#include "irqwin.h"

static struct dentry *irqlens_root;

static int __init irqlens_init(void)
{
	int ret;

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

	irqlens_ids_init();
	ret = irqlens_events_init(irqlens_root);
	if (ret)
		goto err_remove_debugfs;
	ret = irqlens_bypass_init(irqlens_root);
	if (ret)
		goto err_events;
	ret = irqlens_window_init(irqlens_root);
	if (ret)
		goto err_bypass;
	irqlens_caps_create(irqlens_root);
	irqlens_control_create(irqlens_root);

	/* Last: hooks feed the state, which must be ready. */
	ret = irqlens_hooks_start();
	if (ret)
		goto err_window;

	pr_info("loaded, version %s\n", IRQLENS_VERSION);
	return 0;

err_window:
	debugfs_remove_recursive(irqlens_root);
	irqlens_window_exit();
	irqlens_bypass_exit();
	irqlens_events_exit();
	return ret;
err_bypass:
	debugfs_remove_recursive(irqlens_root);
	irqlens_bypass_exit();
	irqlens_events_exit();
	return ret;
err_events:
	debugfs_remove_recursive(irqlens_root);
	irqlens_events_exit();
	return ret;
err_remove_debugfs:
	debugfs_remove_recursive(irqlens_root);
	return ret;
}

static void __exit irqlens_exit(void)
{
	/* Hooks first: nothing may feed the state once it starts to go. */
	irqlens_hooks_stop();
	/* Then files: no reader or writer may outlive the state. */
	debugfs_remove_recursive(irqlens_root);
	irqlens_window_exit();
	irqlens_bypass_exit();
	irqlens_events_exit();
	pr_info("unloaded\n");
}

module_init(irqlens_init);
module_exit(irqlens_exit);

MODULE_DESCRIPTION("irqlens: KVM x86 interrupt delivery observer");
MODULE_LICENSE("GPL");
MODULE_VERSION(IRQLENS_VERSION);
/* Loading a test-kit module taints the kernel (TAINT_TEST) on purpose. */
MODULE_INFO(test, "Y");

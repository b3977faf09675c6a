// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/irqlens/caps: what this kernel offers irqlens, one
 * "key: value" line each, so that a person and the harness read the same
 * file.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/utsname.h>

#include "bypass.h"
#include "hooks.h"
#include "irqlens.h"

static int caps_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "version: %s\n", IRQLENS_VERSION);
	seq_printf(m, "kernel: %s\n", init_utsname()->release);
	/*
	 * KVM posts (and registers irqfds as bypass consumers) only with
	 * this and APICv/AVIC; the latter is a KVM module parameter, which
	 * "irqlens status" reads from /sys/module.
	 */
	seq_printf(m, "irq_posting_cap: %s\n", irqlens_posting_cap() ? "yes" : "no");
	irqlens_hooks_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(caps);

void irqlens_caps_create(struct dentry *root)
{
	/* Root-only: the file describes the host kernel. */
	debugfs_create_file("caps", 0400, root, NULL, &caps_fops);
}

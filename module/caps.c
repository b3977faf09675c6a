// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/irqlens/caps: what this kernel offers irqlens, one
 * "key: value" line each, so that a person and the harness read the same
 * file.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/utsname.h>

#include "irqlens.h"

static int caps_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "version: %s\n", IRQLENS_VERSION);
	seq_printf(m, "kernel: %s\n", init_utsname()->release);
	/* Hooks are added by later work; an empty list is stated, not hidden. */
	seq_puts(m, "hooks: 0\n");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(caps);

void irqlens_caps_create(struct dentry *root)
{
	/* Root-only: the file describes the host kernel. */
	debugfs_create_file("caps", 0400, root, NULL, &caps_fops);
}

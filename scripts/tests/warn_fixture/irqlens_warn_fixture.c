// SPDX-License-Identifier: GPL-2.0
/*
 * Test fixture for the test bed runner, not part of irqlens: loading it
 * fires one WARN() and succeeds, so a guest command that loads it exits 0
 * while the kernel console shows a splat. The runner must fail that run.
 * (Debian's kernel has no LKDTM to provoke one.)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/module.h>

static int __init warn_fixture_init(void)
{
	WARN(1, "deliberate warning for the runner self-test\n");
	return 0;
}

static void __exit warn_fixture_exit(void)
{
}

module_init(warn_fixture_init);
module_exit(warn_fixture_exit);

MODULE_DESCRIPTION("irqlens runner self-test: fires one WARN on load");
MODULE_LICENSE("GPL");
MODULE_INFO(test, "Y");

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place for differences between the kernel versions irqlens
 * builds on. Supported is what CI builds and runs: 6.12 (Debian's LTS and
 * the project's debug kernel). The 7.x branches (6.17's IRQ-bypass rework,
 * compat_hooks.h) are written from the 7.x sources but not yet built by
 * CI; kernels before 6.12 are not supported (DOMAIN_BUS_DMAR and
 * DOMAIN_BUS_AMDVI, which the hooks need, arrived in 6.2).
 */
#ifndef _IRQLENS_COMPAT_H
#define _IRQLENS_COMPAT_H

#include <linux/version.h>

/*
 * Symbol namespaces became string literals in 6.13: MODULE_IMPORT_NS()
 * and EXPORT_SYMBOL_NS() take "NS" there and a bare identifier before.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#define IRQLENS_KUNIT_NS "EXPORTED_FOR_KUNIT_TESTING"
#else
#define IRQLENS_KUNIT_NS EXPORTED_FOR_KUNIT_TESTING
#endif

/* Differences in what the hooks see live in compat_hooks.h. */

#endif /* _IRQLENS_COMPAT_H */

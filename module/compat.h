/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place for differences between the kernel versions irqlens
 * builds on (6.1, 6.12 and the 7.x line).
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

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place for differences between the kernel versions irqlens
 * builds on. Supported is exactly what CI (make check) builds and runs:
 *
 *  - 6.12: Debian 12's kernel and the project's debug kernel (KASAN,
 *    lockdep, kmemleak), built and run in the test bed;
 *  - 7.2 and 7.2 PREEMPT_RT: Debian sid's, built (W=1) and run in the
 *    test bed, the 7.x branches of compat_hooks.h included;
 *  - 7.3-rc: Debian experimental's, irqlens.ko built W=1 and the KUnit
 *    module's objects compiled; not run.
 *
 * Kernels between 6.12 and 7.2 take the same branches (6.17's IRQ-bypass
 * rework decides) but are not built by CI; kernels before 6.12 are not
 * supported (DOMAIN_BUS_DMAR and DOMAIN_BUS_AMDVI, which the hooks need,
 * arrived in 6.2).
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

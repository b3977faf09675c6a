// SPDX-License-Identifier: GPL-2.0
/*
 * irqlens_kunit.ko: the KUnit suites over irqlens' pure logic. Each
 * *_test.c file registers its own suites; this file only describes the
 * module. It reaches irqlens internals through the symbols irqlens.ko
 * exports for KUnit (EXPORT_SYMBOL_IF_KUNIT).
 */
#include <linux/module.h>

#include "../compat.h"

MODULE_DESCRIPTION("KUnit tests for irqlens");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(IRQLENS_KUNIT_NS);

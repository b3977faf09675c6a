/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Load and unload irqlens.ko with libkmod. Functions return 0 or -errno.
 */
#ifndef IRQLENS_KMOD_UTIL_H
#define IRQLENS_KMOD_UTIL_H

#include <stdbool.h>

/*
 * Where irqlens.ko is: $IRQLENS_KO if set, else the build tree's
 * build/irqlens.ko. NULL (and errno ENOENT) when neither exists, in which
 * case @why is filled with a sentence naming what was tried.
 */
const char *irqlens_ko_path(char *why, unsigned int why_len);

int __irqlens_module_load(const char *path, const char *params);
int __irqlens_module_unload(void);
bool irqlens_module_loaded(void);

#endif

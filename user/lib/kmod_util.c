// SPDX-License-Identifier: GPL-2.0
/*
 * irqlens.ko loading through libkmod: the same path modprobe uses, so a
 * failure is reported with the kernel's own errno.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <libkmod.h>

#include "kmod_util.h"

#define IRQLENS_MODNAME "irqlens"

const char *irqlens_ko_path(char *why, unsigned int why_len)
{
	static const char build_ko[] = IRQLENS_BUILD_DIR "/irqlens.ko";
	const char *env = getenv("IRQLENS_KO");

	if (env && *env) {
		if (access(env, R_OK) == 0)
			return env;
		snprintf(why, why_len, "IRQLENS_KO=%s is not readable", env);
		return NULL;
	}
	if (access(build_ko, R_OK) == 0)
		return build_ko;
	snprintf(why, why_len,
		 "irqlens.ko not found: set IRQLENS_KO or run 'make' (looked for %s)",
		 build_ko);
	errno = ENOENT;
	return NULL;
}

static struct kmod_ctx *irqlens_kmod_ctx(void)
{
	struct kmod_ctx *ctx = kmod_new(NULL, NULL);

	if (ctx)
		kmod_load_resources(ctx);
	return ctx;
}

int __irqlens_module_load(const char *path, const char *params)
{
	struct kmod_module *mod;
	struct kmod_ctx *ctx;
	int ret;

	ctx = irqlens_kmod_ctx();
	if (!ctx)
		return -ENOMEM;
	ret = kmod_module_new_from_path(ctx, path, &mod);
	if (!ret) {
		ret = kmod_module_insert_module(mod, 0, params);
		kmod_module_unref(mod);
	}
	kmod_unref(ctx);
	return ret < 0 ? ret : 0;
}

int __irqlens_module_unload(void)
{
	struct kmod_module *mod;
	struct kmod_ctx *ctx;
	int ret;

	ctx = irqlens_kmod_ctx();
	if (!ctx)
		return -ENOMEM;
	ret = kmod_module_new_from_name(ctx, IRQLENS_MODNAME, &mod);
	if (!ret) {
		ret = kmod_module_remove_module(mod, 0);
		kmod_module_unref(mod);
	}
	kmod_unref(ctx);
	return ret < 0 ? ret : 0;
}

bool irqlens_module_loaded(void)
{
	return access("/sys/module/" IRQLENS_MODNAME, F_OK) == 0;
}

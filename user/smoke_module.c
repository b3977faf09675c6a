// SPDX-License-Identifier: GPL-2.0
/*
 * Smoke test: irqlens.ko loads through libkmod, shows its debugfs files
 * root-only, reports the running kernel in caps, and unloads cleanly.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "kselftest_harness.h"
#include "lib/kmod_util.h"
#include "lib/sysfs_util.h"

#define IRQLENS_DEBUGFS "/sys/kernel/debug/irqlens"

FIXTURE(module) {
	const char *ko;
};

FIXTURE_SETUP(module)
{
	char why[256];
	int ret;

	self->ko = irqlens_ko_path(why, sizeof(why));
	if (!self->ko)
		SKIP(return, "%s", why);
	if (access("/sys/kernel/debug/", R_OK))
		SKIP(return, "debugfs is not mounted on /sys/kernel/debug");
	if (irqlens_module_loaded()) {
		/* A leftover from an earlier run must not fake a load. */
		ret = __irqlens_module_unload();
		ASSERT_EQ(0, ret) TH_LOG("irqlens already loaded and cannot be removed: %s",
					 strerror(-ret));
	}
}

FIXTURE_TEARDOWN(module)
{
	if (irqlens_module_loaded())
		__irqlens_module_unload();
}

static void load_or_fail(struct __test_metadata *_metadata, const char *ko)
{
	int ret = __irqlens_module_load(ko, NULL);

	ASSERT_EQ(0, ret) TH_LOG("loading %s failed: %s", ko, strerror(-ret));
	ASSERT_TRUE(irqlens_module_loaded());
}

TEST_F(module, load_shows_debugfs_and_unloads)
{
	struct stat st;
	int ret;

	load_or_fail(_metadata, self->ko);

	ASSERT_EQ(0, stat(IRQLENS_DEBUGFS, &st)) TH_LOG("%s: %s", IRQLENS_DEBUGFS,
							 strerror(errno));
	EXPECT_TRUE(S_ISDIR(st.st_mode));
	ASSERT_EQ(0, stat(IRQLENS_DEBUGFS "/caps", &st));
	EXPECT_TRUE(S_ISREG(st.st_mode));
	/* Root-only: nothing for group or others. */
	EXPECT_EQ(0, st.st_mode & 077) TH_LOG("caps mode is %o", st.st_mode & 0777);

	ret = __irqlens_module_unload();
	ASSERT_EQ(0, ret) TH_LOG("unload failed: %s", strerror(-ret));
	EXPECT_FALSE(irqlens_module_loaded());
	EXPECT_NE(0, stat(IRQLENS_DEBUGFS, &st)) TH_LOG("debugfs dir left behind");
}

TEST_F(module, caps_names_running_kernel)
{
	char caps[4096], want[128];
	struct utsname uts;

	load_or_fail(_metadata, self->ko);
	ASSERT_EQ(0, uname(&uts));
	ASSERT_EQ(0, sysfs_read(IRQLENS_DEBUGFS "/caps", caps, sizeof(caps)));

	snprintf(want, sizeof(want), "kernel: %s\n", uts.release);
	strcat(caps, "\n");
	EXPECT_NE(NULL, strstr(caps, want)) TH_LOG("caps lacks '%s':\n%s", want, caps);
	EXPECT_NE(NULL, strstr(caps, "version: ")) TH_LOG("caps:\n%s", caps);
	EXPECT_NE(NULL, strstr(caps, "hooks: ")) TH_LOG("caps:\n%s", caps);
}

TEST_F(module, reload_cycles)
{
	int i, ret;

	for (i = 0; i < 5; i++) {
		load_or_fail(_metadata, self->ko);
		ret = __irqlens_module_unload();
		ASSERT_EQ(0, ret) TH_LOG("cycle %d: unload failed: %s", i, strerror(-ret));
	}
	EXPECT_FALSE(irqlens_module_loaded());
}

TEST_HARNESS_MAIN

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

#include "lib/harness.h"
#include "lib/irqlens_view.h"
#include "lib/kmod_util.h"
#include "lib/sysfs_util.h"

#define IRQLENS_EVENTS IRQLENS_DEBUGFS "/events"

static const char *const debugfs_files[] = { "bypass", "caps", "control", "events", "window", NULL };

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
	/* Every reason to SKIP is decided before the first check. */
	if (!strcmp(_metadata->name, "caps_names_iommu") &&
	    access("/sys/firmware/acpi/tables", F_OK))
		SKIP(return, "no /sys/firmware/acpi/tables to compare with");
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
	for (const char *const *f = debugfs_files; *f; f++) {
		char path[128];

		snprintf(path, sizeof(path), IRQLENS_DEBUGFS "/%s", *f);
		ASSERT_EQ(0, stat(path, &st)) TH_LOG("%s: %s", path, strerror(errno));
		EXPECT_TRUE(S_ISREG(st.st_mode));
		/* Root-only: nothing for group or others. */
		EXPECT_EQ(0, st.st_mode & 077) TH_LOG("%s mode is %o", *f, st.st_mode & 0777);
	}

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

/* caps names the IOMMU whose ACPI table userspace sees too. */
TEST_F(module, caps_names_iommu)
{
	char caps[4096];
	const char *want = "iommu: none";
	struct stat st;

	if (!stat("/sys/firmware/acpi/tables/DMAR", &st))
		want = "iommu: intel-vtd";
	else if (!stat("/sys/firmware/acpi/tables/IVRS", &st))
		want = "iommu: amd-vi";
	load_or_fail(_metadata, self->ko);
	ASSERT_EQ(0, sysfs_read(IRQLENS_DEBUGFS "/caps", caps, sizeof(caps)));
	EXPECT_NE(NULL, strstr(caps, want)) TH_LOG("caps lacks '%s':\n%s", want, caps);
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

static void read_events(struct __test_metadata *_metadata, char *buf, size_t len)
{
	int ret = sysfs_read(IRQLENS_EVENTS, buf, len);

	ASSERT_EQ(0, ret) TH_LOG("reading events: %s", strerror(-ret));
}

/* Sequence number of the "mark" event with @value in @events, or -1. */
static long long mark_seq(const char *events, unsigned int value)
{
	unsigned long long seq, ts;
	unsigned int v;
	const char *line;

	for (line = events; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL)
		if (sscanf(line, "%llu %llu mark %u", &seq, &ts, &v) == 3 && v == value)
			return seq;
	return -1;
}

TEST_F(module, control_mark_shows_in_events)
{
	unsigned int value = (unsigned int)getpid() * 2654435761u;
	char cmd[32], events[8192];

	load_or_fail(_metadata, self->ko);
	snprintf(cmd, sizeof(cmd), "mark %u\n", value);
	ASSERT_EQ(0, sysfs_write(IRQLENS_CONTROL, cmd));
	read_events(_metadata, events, sizeof(events));
	EXPECT_LE(0, mark_seq(events, value)) TH_LOG("no 'mark %u' in events:\n%s", value, events);
}

TEST_F(module, control_reset_keeps_numbering)
{
	char events[8192];
	long long first, second;

	load_or_fail(_metadata, self->ko);
	ASSERT_EQ(0, sysfs_write(IRQLENS_CONTROL, "mark 1"));
	read_events(_metadata, events, sizeof(events));
	first = mark_seq(events, 1);
	ASSERT_LE(0, first) TH_LOG("events:\n%s", events);

	ASSERT_EQ(0, sysfs_write(IRQLENS_CONTROL, "reset"));
	read_events(_metadata, events, sizeof(events));
	EXPECT_STREQ("", events) TH_LOG("events left after reset");

	ASSERT_EQ(0, sysfs_write(IRQLENS_CONTROL, "mark 2"));
	read_events(_metadata, events, sizeof(events));
	second = mark_seq(events, 2);
	EXPECT_GT(second, first) TH_LOG("sequence went from %lld to %lld", first, second);
}

/* Every malformed command is -EINVAL and leaves the events as they were. */
TEST_F(module, control_rejects_bad_input)
{
	static const char * const bad[] = {
		"bogus", "\n", " ", "mark", "mark x", "mark -1", "mark 1 2",
		"mark 4294967296", "reset now", "RESET", "resetx",
		"mark 1111111111111111111111111111111111111111",
		"window-threshold 0", "window-threshold", "window-threshold 7x",
	};
	char before[8192], after[8192], window[256];
	unsigned int i;
	int ret;

	load_or_fail(_metadata, self->ko);
	ASSERT_EQ(0, sysfs_write(IRQLENS_CONTROL, "mark 7"));
	read_events(_metadata, before, sizeof(before));

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ret = sysfs_write(IRQLENS_CONTROL, bad[i]);
		EXPECT_EQ(-EINVAL, ret) TH_LOG("'%s' gave %d (%s)", bad[i], ret, strerror(-ret));
	}
	read_events(_metadata, after, sizeof(after));
	EXPECT_STREQ(before, after);
	/* The threshold a refused write named did not take either. */
	ASSERT_EQ(0, sysfs_read(IRQLENS_DEBUGFS "/window", window, sizeof(window)));
	EXPECT_NE(NULL, strstr(window, ", threshold 10000,")) TH_LOG("window: %s", window);
}

TEST_HARNESS_MAIN

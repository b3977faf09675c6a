// SPDX-License-Identifier: GPL-2.0
/*
 * Harness library test: devices VFIO must not be given, or cannot use,
 * are refused before anything changes, with a sentence that says why, and
 * stay on the driver they had: a malformed BDF, a device that does not
 * exist, a device sharing its IOMMU group, a device without MSI or MSI-X.
 *
 * The MSI-less device: $IRQLENS_DEVICE_NOMSI (the test bed's pci-testdev).
 * The group-sharing device is found by scanning /sys/kernel/iommu_groups.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/harness.h"
#include "lib/pci_bdf.h"
#include "lib/vfio_dev.h"
#include "lib/vfio_irq.h"

TEST(malformed_bdf_rejected)
{
	static const char *const bad[] = {
		"", "00:10.0", "0000:00:10", "0000:00:10.8", "0000:00:20.0",
		"0000:0G:10.0", "0000:00:1A.0", "0000-00:10.0", "0000:00:10.0 ",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		const char *s = bad[i];

		EXPECT_FALSE(pci_bdf_valid(s)) TH_LOG("malformed BDF accepted: '%s'", s);
	}
	EXPECT_TRUE(pci_bdf_valid("0000:00:10.0"));
	EXPECT_TRUE(pci_bdf_valid("ffff:ff:1f.7"));
}

TEST(missing_device_refused)
{
	struct vfio_dev d;
	char why[256] = "";

	EXPECT_EQ(-ENODEV, __vfio_dev_open(&d, "ffff:ff:1f.7", VFIO_IOMMU_TYPE1, why, sizeof(why)));
	EXPECT_TRUE(strstr(why, "does not exist") != NULL) TH_LOG("reason given: '%s'", why);
}

/* A device that shares its IOMMU group with another: false when none. */
static bool find_shared_group_device(char *bdf, size_t len)
{
	char path[PATH_MAX], first[NAME_MAX + 1];
	struct dirent *g;
	bool found = false;
	DIR *groups;

	groups = opendir("/sys/kernel/iommu_groups");
	if (!groups)
		return false;
	while (!found && (g = readdir(groups))) {
		struct dirent *e;
		int n = 0;
		DIR *devs;

		if (g->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%s/devices", g->d_name);
		devs = opendir(path);
		if (!devs)
			continue;
		while ((e = readdir(devs)))
			if (e->d_name[0] != '.' && n++ == 0)
				snprintf(first, sizeof(first), "%s", e->d_name);
		closedir(devs);
		if (n > 1) {
			snprintf(bdf, len, "%s", first);
			found = true;
		}
	}
	closedir(groups);
	return found;
}

TEST(shared_group_device_refused_untouched)
{
	char bdf[NAME_MAX + 1], before[PCI_DRIVER_NAME_LEN], after[PCI_DRIVER_NAME_LEN];
	char why[256] = "";
	struct vfio_dev d;

	if (!find_shared_group_device(bdf, sizeof(bdf)))
		SKIP(return, "no IOMMU group here holds more than one device");
	ASSERT_EQ(0, pci_device_driver(bdf, before, sizeof(before)));
	EXPECT_EQ(-EBUSY, __vfio_dev_open(&d, bdf, VFIO_IOMMU_TYPE1, why, sizeof(why)));
	EXPECT_TRUE(strstr(why, "shares IOMMU group") != NULL) TH_LOG("reason given: '%s'", why);
	ASSERT_EQ(0, pci_device_driver(bdf, after, sizeof(after)));
	EXPECT_STREQ(before, after);
	TH_LOG("%s refused: %s", bdf, why);
}

TEST(device_without_msi_refused_untouched)
{
	const char *bdf = getenv("IRQLENS_DEVICE_NOMSI");
	char before[PCI_DRIVER_NAME_LEN], after[PCI_DRIVER_NAME_LEN], why[256];
	unsigned int index;
	struct vfio_dev d;
	uint32_t count;
	int ret;

	if (!bdf || !*bdf)
		SKIP(return, "no MSI-less device given: set IRQLENS_DEVICE_NOMSI");
	if (vfio_iommu_mode_check(VFIO_IOMMU_TYPE1, why, sizeof(why)))
		SKIP(return, "%s", why);
	ASSERT_EQ(0, pci_device_driver(bdf, before, sizeof(before)));
	ret = __vfio_dev_open(&d, bdf, VFIO_IOMMU_TYPE1, why, sizeof(why));
	ASSERT_EQ(0, ret) TH_LOG("%s", why);
	EXPECT_EQ(-ENOTSUP, __vfio_irq_pick_msi_index(&d, &index, &count));
	EXPECT_EQ(0, __vfio_dev_close(&d));
	ASSERT_EQ(0, pci_device_driver(bdf, after, sizeof(after)));
	EXPECT_STREQ(before, after);
}

TEST_HARNESS_MAIN

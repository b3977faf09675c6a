// SPDX-License-Identifier: GPL-2.0
/*
 * The table of MSI-sending drivers and device identification.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest.h"
#include "sysfs_util.h"
#include "vfio_driver.h"

static const struct vfio_driver *const drivers[] = {
	&vfio_driver_edu,
	&vfio_driver_e1000e,
};

static int read_id(const char *bdf, const char *attr, uint16_t *id)
{
	char path[PATH_MAX], val[16];
	int ret;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", bdf, attr);
	ret = sysfs_read(path, val, sizeof(val));
	if (ret)
		return ret;
	*id = strtoul(val, NULL, 16);
	return 0;
}

int pci_device_ids(const char *bdf, uint16_t *vendor, uint16_t *device)
{
	int ret = read_id(bdf, "vendor", vendor);

	return ret ? ret : read_id(bdf, "device", device);
}

bool running_on_qemu(void)
{
	char vendor[64];

	return !sysfs_read("/sys/class/dmi/id/sys_vendor", vendor, sizeof(vendor)) &&
	       !strcmp(vendor, "QEMU");
}

const struct vfio_driver *vfio_driver_find(uint16_t vendor, uint16_t device)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(drivers); i++)
		if (drivers[i]->probe(vendor, device))
			return drivers[i];
	return NULL;
}

int __vfio_device_probe(const char *bdf, const struct vfio_driver **drv, char *why,
			size_t why_len)
{
	uint16_t vendor, device;
	int ret;

	*drv = NULL;
	ret = vfio_dev_check(bdf, why, why_len);
	if (ret)
		return ret;
	ret = pci_device_ids(bdf, &vendor, &device);
	if (ret) {
		snprintf(why, why_len, "cannot read the PCI IDs of %s: %s", bdf, strerror(-ret));
		return ret;
	}
	*drv = vfio_driver_find(vendor, device);
	if (!*drv) {
		snprintf(why, why_len, "no irqlens driver for %s (%04x:%04x); drivers: edu, e1000e",
			 bdf, vendor, device);
		return -EOPNOTSUPP;
	}
	return 0;
}

bool pci_device_resettable(const char *bdf)
{
	char path[96], methods[64];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/reset_method", bdf);
	return !sysfs_read(path, methods, sizeof(methods)) && methods[0];
}

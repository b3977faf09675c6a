// SPDX-License-Identifier: GPL-2.0
/*
 * VFIO device access common to both IOMMU modes: checks before binding,
 * open and close, config space, BARs, reset. How the device is attached to
 * an IOMMU (container or iommufd) is in vfio_iommu.c.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/pci_regs.h>

#include "sysfs_util.h"
#include "vfio_dev.h"

const char *vfio_iommu_mode_name(enum vfio_iommu_mode mode)
{
	return mode == VFIO_IOMMU_IOMMUFD ? "iommufd" : "type1";
}

int vfio_iommu_mode_check(enum vfio_iommu_mode mode, char *why, size_t why_len)
{
	if (access("/sys/bus/pci/drivers/vfio-pci", F_OK)) {
		snprintf(why, why_len, "vfio-pci is not loaded (modprobe vfio-pci)");
		return -ENOENT;
	}
	if (mode == VFIO_IOMMU_TYPE1 && access("/dev/vfio/vfio", F_OK)) {
		snprintf(why, why_len, "no /dev/vfio/vfio: this kernel has no VFIO container (CONFIG_VFIO_CONTAINER)");
		return -ENOENT;
	}
	if (mode == VFIO_IOMMU_IOMMUFD && access("/dev/iommu", F_OK)) {
		snprintf(why, why_len, "no /dev/iommu: this kernel has no iommufd (CONFIG_IOMMUFD)");
		return -ENOENT;
	}
	return 0;
}

static int iommu_group_of(const char *bdf, int *group)
{
	char path[PATH_MAX], name[32];
	int ret;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	ret = sysfs_link_name(path, name, sizeof(name));
	if (ret)
		return ret;
	*group = atoi(name);
	return 0;
}

/* Names of the other devices in IOMMU group @group, into @others. */
static unsigned int group_others(int group, const char *bdf, char *others, size_t len)
{
	char path[PATH_MAX];
	struct dirent *e;
	unsigned int n = 0;
	size_t used = 0;
	DIR *dir;

	others[0] = '\0';
	snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%d/devices", group);
	dir = opendir(path);
	if (!dir)
		return 0;
	while ((e = readdir(dir))) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, bdf))
			continue;
		n++;
		if (used < len)
			used += snprintf(others + used, len - used, "%s%s",
					 n > 1 ? " " : "", e->d_name);
	}
	closedir(dir);
	return n;
}

int vfio_dev_check(const char *bdf, char *why, size_t why_len)
{
	char path[PATH_MAX], others[128];
	int group;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", bdf);
	if (access(path, F_OK)) {
		snprintf(why, why_len, "device %s does not exist (no %s)", bdf, path);
		return -ENODEV;
	}
	if (iommu_group_of(bdf, &group)) {
		snprintf(why, why_len, "%s has no IOMMU group: is the IOMMU on (intel_iommu=on / amd_iommu=on)?",
			 bdf);
		return -ENODEV;
	}
	if (group_others(group, bdf, others, sizeof(others))) {
		snprintf(why, why_len, "%s shares IOMMU group %d with %s: VFIO needs the whole group; use a device alone in its group",
			 bdf, group, others);
		return -EBUSY;
	}
	return 0;
}

void vfio_dev_init(struct vfio_dev *d)
{
	memset(d, 0, sizeof(*d));
	d->iommu_fd = d->group_fd = d->device_fd = -1;
	d->group = -1;
}

int __vfio_dev_open(struct vfio_dev *d, const char *bdf, enum vfio_iommu_mode mode,
		    char *why, size_t why_len)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct vfio_region_info reg = { .argsz = sizeof(reg) };
	int ret;

	vfio_dev_init(d);
	d->mode = mode;
	ret = vfio_dev_check(bdf, why, why_len);
	if (!ret)
		ret = vfio_iommu_mode_check(mode, why, why_len);
	if (ret)
		return ret;
	iommu_group_of(bdf, &d->group);

	ret = __vfio_pci_bind(&d->binding, bdf);
	if (ret) {
		snprintf(why, why_len, "binding %s to vfio-pci: %s", bdf, strerror(-ret));
		return ret;
	}
	if (mode == VFIO_IOMMU_IOMMUFD)
		ret = __vfio_attach_iommufd(d, bdf, why, why_len);
	else
		ret = __vfio_attach_type1(d, bdf, why, why_len);
	if (ret)
		goto fail;

	if (ioctl(d->device_fd, VFIO_DEVICE_GET_INFO, &info)) {
		ret = -errno;
		snprintf(why, why_len, "VFIO_DEVICE_GET_INFO: %s", strerror(errno));
		goto fail;
	}
	d->flags = info.flags;
	reg.index = VFIO_PCI_CONFIG_REGION_INDEX;
	if (ioctl(d->device_fd, VFIO_DEVICE_GET_REGION_INFO, &reg)) {
		ret = -errno;
		snprintf(why, why_len, "config region info: %s", strerror(errno));
		goto fail;
	}
	d->config_offset = reg.offset;
	return 0;
fail:
	__vfio_dev_close(d);
	return ret;
}

int __vfio_dev_close(struct vfio_dev *d)
{
	unsigned int i;

	for (i = 0; i < VFIO_DEV_MAX_BARS; i++) {
		if (d->bar[i].addr)
			munmap(d->bar[i].addr, d->bar[i].size);
		d->bar[i].addr = NULL;
	}
	/* Every fd must be closed before vfio-pci can let the device go. */
	if (d->device_fd >= 0)
		close(d->device_fd);
	if (d->group_fd >= 0)
		close(d->group_fd);
	if (d->iommu_fd >= 0)
		close(d->iommu_fd);
	d->device_fd = d->group_fd = d->iommu_fd = -1;
	return __vfio_pci_restore(&d->binding);
}

int __vfio_dev_config_read(struct vfio_dev *d, unsigned int off, void *buf, size_t len)
{
	ssize_t n = pread(d->device_fd, buf, len, d->config_offset + off);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

int __vfio_dev_config_write(struct vfio_dev *d, unsigned int off, const void *buf,
			    size_t len)
{
	ssize_t n = pwrite(d->device_fd, buf, len, d->config_offset + off);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

int __vfio_dev_set_bus_master(struct vfio_dev *d)
{
	uint16_t cmd;
	int ret;

	ret = __vfio_dev_config_read(d, PCI_COMMAND, &cmd, sizeof(cmd));
	if (ret)
		return ret;
	cmd |= PCI_COMMAND_MASTER | PCI_COMMAND_MEMORY;
	ret = __vfio_dev_config_write(d, PCI_COMMAND, &cmd, sizeof(cmd));
	if (ret)
		return ret;
	ret = __vfio_dev_config_read(d, PCI_COMMAND, &cmd, sizeof(cmd));
	if (ret)
		return ret;
	return (cmd & PCI_COMMAND_MASTER) ? 0 : -EIO;
}

int __vfio_dev_map_bar(struct vfio_dev *d, unsigned int bar)
{
	struct vfio_region_info reg = { .argsz = sizeof(reg), .index = bar };
	void *addr;

	if (bar >= VFIO_DEV_MAX_BARS)
		return -EINVAL;
	if (d->bar[bar].addr)
		return 0;
	if (ioctl(d->device_fd, VFIO_DEVICE_GET_REGION_INFO, &reg))
		return -errno;
	if (!reg.size || !(reg.flags & VFIO_REGION_INFO_FLAG_MMAP))
		return -EOPNOTSUPP;
	addr = mmap(NULL, reg.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		    d->device_fd, reg.offset);
	if (addr == MAP_FAILED)
		return -errno;
	d->bar[bar].addr = addr;
	d->bar[bar].size = reg.size;
	return 0;
}

int __vfio_dev_reset(struct vfio_dev *d)
{
	if (!vfio_dev_can_reset(d))
		return -ENOTTY;
	return ioctl(d->device_fd, VFIO_DEVICE_RESET) ? -errno : 0;
}

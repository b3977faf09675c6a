// SPDX-License-Identifier: GPL-2.0
/*
 * Attaching a vfio-pci device to an IOMMU, the two ways VFIO offers:
 * the legacy container with the type1v2 backend (through the group), and
 * the device cdev bound to an iommufd IOAS. MSIs need no DMA mapping on
 * x86 (the interrupt window is not translated), so no memory is mapped.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/iommufd.h>

#include "sysfs_util.h"
#include "vfio_dev.h"

/* Record why a step failed (with @err's message) and return @err. */
static int __attribute__((format(printf, 4, 5)))
step_failed(char *why, size_t why_len, int err, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(why, why_len, fmt, ap);
	va_end(ap);
	n = strlen(why);
	snprintf(why + n, why_len - n, ": %s", strerror(-err));
	return err;
}

int __vfio_attach_type1(struct vfio_dev *d, const char *bdf, char *why, size_t why_len)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char path[64];

	d->iommu_fd = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (d->iommu_fd < 0)
		return step_failed(why, why_len, -errno, "open /dev/vfio/vfio");
	if (ioctl(d->iommu_fd, VFIO_GET_API_VERSION) != VFIO_API_VERSION)
		return step_failed(why, why_len, -EINVAL, "unexpected VFIO API version");
	if (ioctl(d->iommu_fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) <= 0)
		return step_failed(why, why_len, -EOPNOTSUPP, "no VFIO_TYPE1v2_IOMMU");

	snprintf(path, sizeof(path), "/dev/vfio/%d", d->group);
	d->group_fd = open(path, O_RDWR | O_CLOEXEC);
	if (d->group_fd < 0)
		return step_failed(why, why_len, -errno, "open %s", path);
	if (ioctl(d->group_fd, VFIO_GROUP_GET_STATUS, &status))
		return step_failed(why, why_len, -errno, "VFIO_GROUP_GET_STATUS");
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE))
		return step_failed(why, why_len, -EBUSY,
				   "IOMMU group %d is not viable (another device in it is not on vfio-pci)",
				   d->group);
	if (ioctl(d->group_fd, VFIO_GROUP_SET_CONTAINER, &d->iommu_fd))
		return step_failed(why, why_len, -errno, "VFIO_GROUP_SET_CONTAINER");
	if (ioctl(d->iommu_fd, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		return step_failed(why, why_len, -errno, "VFIO_SET_IOMMU(TYPE1v2)");

	d->device_fd = ioctl(d->group_fd, VFIO_GROUP_GET_DEVICE_FD, bdf);
	if (d->device_fd < 0)
		return step_failed(why, why_len, -errno, "VFIO_GROUP_GET_DEVICE_FD");
	return 0;
}

/* /dev/vfio/devices/vfioN of a device bound to vfio-pci. */
static int cdev_path(const char *bdf, char *path, size_t len)
{
	char link[PATH_MAX], name[32];
	int ret;

	snprintf(link, sizeof(link), "/sys/bus/pci/devices/%s/vfio-dev", bdf);
	ret = sysfs_first_entry(link, name, sizeof(name));
	if (ret)
		return ret;
	/* Without CONFIG_VFIO_DEVICE_CDEV the vfioN device has no dev_t. */
	snprintf(link, sizeof(link), "/sys/bus/pci/devices/%s/vfio-dev/%s/dev", bdf, name);
	if (access(link, F_OK))
		return -EOPNOTSUPP;
	snprintf(path, len, "/dev/vfio/devices/%s", name);
	return 0;
}

int __vfio_attach_iommufd(struct vfio_dev *d, const char *bdf, char *why, size_t why_len)
{
	struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind) };
	struct vfio_device_attach_iommufd_pt attach = { .argsz = sizeof(attach) };
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	char path[64];
	int ret;

	ret = cdev_path(bdf, path, sizeof(path));
	if (ret == -EOPNOTSUPP)
		return step_failed(why, why_len, ret,
				   "%s has no VFIO device cdev (kernel without CONFIG_VFIO_DEVICE_CDEV)", bdf);
	if (ret)
		return step_failed(why, why_len, ret, "finding the VFIO cdev of %s", bdf);

	d->device_fd = open(path, O_RDWR | O_CLOEXEC);
	if (d->device_fd < 0)
		return step_failed(why, why_len, -errno, "open %s", path);
	d->iommu_fd = open("/dev/iommu", O_RDWR | O_CLOEXEC);
	if (d->iommu_fd < 0)
		return step_failed(why, why_len, -errno, "open /dev/iommu");

	bind.iommufd = d->iommu_fd;
	if (ioctl(d->device_fd, VFIO_DEVICE_BIND_IOMMUFD, &bind))
		return step_failed(why, why_len, -errno, "VFIO_DEVICE_BIND_IOMMUFD");
	if (ioctl(d->iommu_fd, IOMMU_IOAS_ALLOC, &alloc))
		return step_failed(why, why_len, -errno, "IOMMU_IOAS_ALLOC");
	d->ioas_id = alloc.out_ioas_id;
	attach.pt_id = d->ioas_id;
	if (ioctl(d->device_fd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach))
		return step_failed(why, why_len, -errno, "VFIO_DEVICE_ATTACH_IOMMUFD_PT");
	return 0;
}

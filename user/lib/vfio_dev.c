// SPDX-License-Identifier: GPL-2.0
/*
 * VFIO device access through the type1v2 container. The iommufd cdev path
 * is added beside it by the harness library work.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/pci_regs.h>

#include "sysfs_util.h"
#include "vfio_dev.h"

void vfio_dev_init(struct vfio_dev *d)
{
	memset(d, 0, sizeof(*d));
	d->container_fd = d->group_fd = d->device_fd = -1;
	d->group = -1;
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

/*
 * Tell the signal handler about every fd as soon as it exists: a SIGTERM
 * that lands mid-open must still close them all before unbinding.
 */
static void track_fds(const struct vfio_dev *d)
{
	int fds[] = { d->device_fd, d->group_fd, d->container_fd };

	vfio_pci_binding_track_fds(fds, 3);
}

/* Record why opening failed, undo what was done, and return @ret. */
static int __attribute__((format(printf, 5, 6)))
open_failed(struct vfio_dev *d, char *why, size_t why_len, int ret,
	    const char *fmt, ...)
{
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, why_len, fmt, ap);
	va_end(ap);
	n = strlen(why);
	snprintf(why + n, why_len - n, ": %s", strerror(-ret));
	__vfio_dev_close(d);
	return ret;
}

int __vfio_dev_open(struct vfio_dev *d, const char *bdf, char *why, size_t why_len)
{
	struct vfio_region_info reg = { .argsz = sizeof(reg) };
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char path[64];
	int ret;

	vfio_dev_init(d);
	ret = iommu_group_of(bdf, &d->group);
	if (ret)
		return open_failed(d, why, why_len, ret, "%s has no IOMMU group (is the IOMMU on?)", bdf);

	ret = __vfio_pci_bind(&d->binding, bdf);
	if (ret)
		return open_failed(d, why, why_len, ret, "binding %s to vfio-pci", bdf);

	d->container_fd = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	track_fds(d);
	if (d->container_fd < 0)
		return open_failed(d, why, why_len, -errno, "open /dev/vfio/vfio");
	if (ioctl(d->container_fd, VFIO_GET_API_VERSION) != VFIO_API_VERSION)
		return open_failed(d, why, why_len, -EINVAL, "unexpected VFIO API version");
	if (ioctl(d->container_fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) <= 0)
		return open_failed(d, why, why_len, -EOPNOTSUPP, "no VFIO_TYPE1v2_IOMMU");

	snprintf(path, sizeof(path), "/dev/vfio/%d", d->group);
	d->group_fd = open(path, O_RDWR | O_CLOEXEC);
	track_fds(d);
	if (d->group_fd < 0)
		return open_failed(d, why, why_len, -errno, "open %s", path);
	if (ioctl(d->group_fd, VFIO_GROUP_GET_STATUS, &status))
		return open_failed(d, why, why_len, -errno, "VFIO_GROUP_GET_STATUS");
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE))
		return open_failed(d, why, why_len, -EBUSY, "IOMMU group %d is not viable (other devices in it are not bound to vfio-pci)",
			  d->group);
	if (ioctl(d->group_fd, VFIO_GROUP_SET_CONTAINER, &d->container_fd))
		return open_failed(d, why, why_len, -errno, "VFIO_GROUP_SET_CONTAINER");
	if (ioctl(d->container_fd, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		return open_failed(d, why, why_len, -errno, "VFIO_SET_IOMMU(TYPE1v2)");

	d->device_fd = ioctl(d->group_fd, VFIO_GROUP_GET_DEVICE_FD, bdf);
	track_fds(d);
	if (d->device_fd < 0)
		return open_failed(d, why, why_len, -errno, "VFIO_GROUP_GET_DEVICE_FD");

	reg.index = VFIO_PCI_CONFIG_REGION_INDEX;
	if (ioctl(d->device_fd, VFIO_DEVICE_GET_REGION_INFO, &reg))
		return open_failed(d, why, why_len, -errno, "config region info");
	d->config_offset = reg.offset;
	return 0;
}

int __vfio_dev_close(struct vfio_dev *d)
{
	unsigned int i;

	for (i = 0; i < VFIO_DEV_MAX_BARS; i++) {
		if (d->bar[i].addr) {
			vfio_pci_binding_untrack_map(d->bar[i].addr);
			munmap(d->bar[i].addr, d->bar[i].size);
		}
		d->bar[i].addr = NULL;
	}
	/* Every fd must be closed before vfio-pci can let the device go. */
	if (d->device_fd >= 0)
		close(d->device_fd);
	if (d->group_fd >= 0)
		close(d->group_fd);
	if (d->container_fd >= 0)
		close(d->container_fd);
	d->device_fd = d->group_fd = d->container_fd = -1;
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
	if (ioctl(d->device_fd, VFIO_DEVICE_GET_REGION_INFO, &reg))
		return -errno;
	if (!reg.size || !(reg.flags & VFIO_REGION_INFO_FLAG_MMAP))
		return -EOPNOTSUPP;
	addr = mmap(NULL, reg.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		    d->device_fd, reg.offset);
	if (addr == MAP_FAILED)
		return -errno;
	if (vfio_pci_binding_track_map(addr, reg.size)) {
		munmap(addr, reg.size);
		return -ENOSPC;
	}
	d->bar[bar].addr = addr;
	d->bar[bar].size = reg.size;
	return 0;
}

int __vfio_dev_irq_count(struct vfio_dev *d, unsigned int index, uint32_t *count)
{
	struct vfio_irq_info info = { .argsz = sizeof(info), .index = index };

	if (ioctl(d->device_fd, VFIO_DEVICE_GET_IRQ_INFO, &info))
		return -errno;
	*count = info.count;
	return 0;
}

int __vfio_dev_irq_enable(struct vfio_dev *d, unsigned int index,
			  const int *eventfds, unsigned int nr)
{
	size_t sz = sizeof(struct vfio_irq_set) + nr * sizeof(int);
	struct vfio_irq_set *set;
	int ret = 0;

	set = calloc(1, sz);
	if (!set)
		return -ENOMEM;
	set->argsz = sz;
	set->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	set->index = index;
	set->start = 0;
	set->count = nr;
	memcpy(set->data, eventfds, nr * sizeof(int));
	if (ioctl(d->device_fd, VFIO_DEVICE_SET_IRQS, set))
		ret = -errno;
	free(set);
	return ret;
}

int __vfio_dev_irq_disable(struct vfio_dev *d, unsigned int index)
{
	struct vfio_irq_set set = {
		.argsz = sizeof(set),
		.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		.index = index,
		.count = 0,
	};

	if (ioctl(d->device_fd, VFIO_DEVICE_SET_IRQS, &set))
		return -errno;
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * MSI / MSI-X control through VFIO_DEVICE_SET_IRQS. vfio-pci allocates a
 * host IRQ per enabled vector (named "vfio-msi[N](bdf)" or
 * "vfio-msix[N](bdf)" in /proc/interrupts) whose handler signals the
 * vector's eventfd.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "vfio_irq.h"

const char *vfio_irq_index_name(unsigned int index)
{
	return index == VFIO_PCI_MSIX_IRQ_INDEX ? "msix" : "msi";
}

int __vfio_irq_count(struct vfio_dev *d, unsigned int index, uint32_t *count)
{
	struct vfio_irq_info info = { .argsz = sizeof(info), .index = index };

	if (ioctl(d->device_fd, VFIO_DEVICE_GET_IRQ_INFO, &info))
		return -errno;
	*count = info.count;
	return 0;
}

int __vfio_irq_pick_msi_index(struct vfio_dev *d, unsigned int *index, uint32_t *count)
{
	static const unsigned int order[] = { VFIO_PCI_MSIX_IRQ_INDEX, VFIO_PCI_MSI_IRQ_INDEX };
	unsigned int i;
	int ret;

	for (i = 0; i < 2; i++) {
		ret = __vfio_irq_count(d, order[i], count);
		if (ret)
			return ret;
		if (*count) {
			*index = order[i];
			return 0;
		}
	}
	return -ENOTSUP;
}

static int set_irqs(struct vfio_dev *d, uint32_t flags, unsigned int index,
		    unsigned int start, unsigned int count, const int *eventfds)
{
	size_t data = eventfds ? count * sizeof(int) : 0;
	struct vfio_irq_set *set;
	int ret = 0;

	set = calloc(1, sizeof(*set) + data);
	if (!set)
		return -ENOMEM;
	set->argsz = sizeof(*set) + data;
	set->flags = flags | VFIO_IRQ_SET_ACTION_TRIGGER;
	set->index = index;
	set->start = start;
	set->count = count;
	if (data)
		memcpy(set->data, eventfds, data);
	if (ioctl(d->device_fd, VFIO_DEVICE_SET_IRQS, set))
		ret = -errno;
	free(set);
	return ret;
}

int __vfio_irq_enable(struct vfio_dev *d, unsigned int index,
		      const int *eventfds, unsigned int nr)
{
	return set_irqs(d, VFIO_IRQ_SET_DATA_EVENTFD, index, 0, nr, eventfds);
}

int __vfio_irq_disable(struct vfio_dev *d, unsigned int index)
{
	return set_irqs(d, VFIO_IRQ_SET_DATA_NONE, index, 0, 0, NULL);
}

int __vfio_irq_trigger(struct vfio_dev *d, unsigned int index, unsigned int vector)
{
	return set_irqs(d, VFIO_IRQ_SET_DATA_NONE, index, vector, 1, NULL);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A VFIO PCI device opened through the legacy container (type1v2): config
 * space, BAR mapping and interrupt (MSI/MSI-X) control. Functions return 0
 * or -errno.
 */
#ifndef IRQLENS_VFIO_DEV_H
#define IRQLENS_VFIO_DEV_H

#include <stddef.h>
#include <stdint.h>

#include <linux/vfio.h>

#include "vfio_pci_bind.h"

#define VFIO_DEV_MAX_BARS 6

struct vfio_dev {
	struct vfio_pci_binding binding;
	int container_fd;
	int group_fd;
	int device_fd;
	int group;
	uint64_t config_offset;
	struct {
		void *addr;
		size_t size;
	} bar[VFIO_DEV_MAX_BARS];
};

/* Set every fd to -1 so that __vfio_dev_close() is safe on any path. */
void vfio_dev_init(struct vfio_dev *d);

/*
 * Bind @bdf to vfio-pci and open it. On failure the device is already back
 * on its original driver; @why says which step failed.
 */
int __vfio_dev_open(struct vfio_dev *d, const char *bdf, char *why, size_t why_len);
/* Close everything and give the device back. Safe to call twice. */
int __vfio_dev_close(struct vfio_dev *d);

int __vfio_dev_config_read(struct vfio_dev *d, unsigned int off, void *buf, size_t len);
int __vfio_dev_config_write(struct vfio_dev *d, unsigned int off, const void *buf, size_t len);
/* Set Bus Master Enable: MSIs are DMA writes and need it. */
int __vfio_dev_set_bus_master(struct vfio_dev *d);
int __vfio_dev_map_bar(struct vfio_dev *d, unsigned int bar);

/* Number of vectors VFIO offers for @index (VFIO_PCI_MSI_IRQ_INDEX, ...). */
int __vfio_dev_irq_count(struct vfio_dev *d, unsigned int index, uint32_t *count);
/* Enable @nr vectors of @index, vector i signalling eventfds[i]. */
int __vfio_dev_irq_enable(struct vfio_dev *d, unsigned int index,
			  const int *eventfds, unsigned int nr);
int __vfio_dev_irq_disable(struct vfio_dev *d, unsigned int index);

static inline uint32_t vfio_bar_read32(struct vfio_dev *d, int bar, unsigned int off)
{
	return *(volatile uint32_t *)((char *)d->bar[bar].addr + off);
}

static inline void vfio_bar_write32(struct vfio_dev *d, int bar, unsigned int off,
				    uint32_t val)
{
	*(volatile uint32_t *)((char *)d->bar[bar].addr + off) = val;
}

#endif

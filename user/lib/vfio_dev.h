/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A VFIO PCI device, opened through the legacy container (type1v2) or
 * through its iommufd cdev: config space, BAR mapping, reset. Interrupt
 * control is in vfio_irq.h. Functions return 0 or -errno.
 */
#ifndef IRQLENS_VFIO_DEV_H
#define IRQLENS_VFIO_DEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/vfio.h>

#include "vfio_pci_bind.h"

#define VFIO_DEV_MAX_BARS 6

enum vfio_iommu_mode {
	VFIO_IOMMU_TYPE1,	/* /dev/vfio/vfio container, group fd */
	VFIO_IOMMU_IOMMUFD,	/* /dev/vfio/devices/vfioN bound to /dev/iommu */
};

struct vfio_dev {
	struct vfio_pci_binding binding;
	enum vfio_iommu_mode mode;
	int iommu_fd;		/* the container (type1) or /dev/iommu */
	int group_fd;		/* type1 only */
	int device_fd;
	int group;
	uint32_t ioas_id;	/* iommufd only */
	uint32_t flags;		/* VFIO_DEVICE_FLAGS_* */
	uint64_t config_offset;
	struct {
		void *addr;
		size_t size;
	} bar[VFIO_DEV_MAX_BARS];
};

const char *vfio_iommu_mode_name(enum vfio_iommu_mode mode);

/*
 * Whether this kernel offers @mode at all (checked before touching any
 * device). 0, or -errno with the reason in @why.
 */
int vfio_iommu_mode_check(enum vfio_iommu_mode mode, char *why, size_t why_len);

/*
 * Whether @bdf may be handed to vfio-pci: it exists, it is alone in an
 * IOMMU group. Touches nothing. 0, or -errno with the reason in @why.
 */
int vfio_dev_check(const char *bdf, char *why, size_t why_len);

/* Set every fd to -1 so that __vfio_dev_close() is safe on any path. */
void vfio_dev_init(struct vfio_dev *d);

/*
 * Bind @bdf to vfio-pci and open it in @mode. On failure the device is
 * already back on its original driver; @why says which step failed.
 */
int __vfio_dev_open(struct vfio_dev *d, const char *bdf, enum vfio_iommu_mode mode,
		    char *why, size_t why_len);
/* Close everything and give the device back. Safe to call twice. */
int __vfio_dev_close(struct vfio_dev *d);

/* Attach an opened device to its IOMMU (vfio_iommu.c); used by open. */
int __vfio_attach_type1(struct vfio_dev *d, const char *bdf, char *why, size_t why_len);
int __vfio_attach_iommufd(struct vfio_dev *d, const char *bdf, char *why, size_t why_len);

int __vfio_dev_config_read(struct vfio_dev *d, unsigned int off, void *buf, size_t len);
int __vfio_dev_config_write(struct vfio_dev *d, unsigned int off, const void *buf, size_t len);
/* Set Bus Master Enable: MSIs are DMA writes and need it. */
int __vfio_dev_set_bus_master(struct vfio_dev *d);
int __vfio_dev_map_bar(struct vfio_dev *d, unsigned int bar);

static inline bool vfio_dev_can_reset(const struct vfio_dev *d)
{
	return d->flags & VFIO_DEVICE_FLAGS_RESET;
}

/* VFIO_DEVICE_RESET; -ENOTTY when the device offers no reset method. */
int __vfio_dev_reset(struct vfio_dev *d);

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

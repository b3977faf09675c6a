/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Drivers that make a VFIO device send MSIs on command, behind one ops
 * table. A driver says which interrupt index it uses and how many vectors
 * it can raise; send_msi() makes the device itself raise one vector once
 * (a DMA write of the MSI message, through the IOMMU's interrupt
 * remapping), which is what the VFIO emulated trigger cannot test.
 */
#ifndef IRQLENS_VFIO_DRIVER_H
#define IRQLENS_VFIO_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vfio_dev.h"

struct vfio_driver {
	const char *name;
	/* True when the device with these IDs is one this driver handles. */
	bool (*probe)(uint16_t vendor, uint16_t device);
	/*
	 * Map what it needs, bring the device to a quiet state, and say which
	 * VFIO IRQ index it raises and how many vectors (@nr_vectors).
	 */
	int (*init)(struct vfio_dev *d, unsigned int *irq_index, unsigned int *nr_vectors);
	/* Leave the device with no interrupt source armed. */
	void (*remove)(struct vfio_dev *d);
	/* Make the device raise @vector once; MSI(-X) must be enabled. */
	int (*send_msi)(struct vfio_dev *d, unsigned int vector);
	/*
	 * When QEMU's model of the device is known to send some interrupts
	 * more than once, the sentence that says so; tests then check that
	 * every send arrives and skip exact counts on QEMU. NULL otherwise.
	 */
	const char *qemu_duplicates;
};

/* True when the machine is QEMU (DMI system vendor). */
bool running_on_qemu(void);

extern const struct vfio_driver vfio_driver_edu;
extern const struct vfio_driver vfio_driver_e1000e;

/* PCI IDs of @bdf from sysfs; 0 or -errno. */
int pci_device_ids(const char *bdf, uint16_t *vendor, uint16_t *device);

/*
 * Can the PCI core reset @bdf? It shows /sys/bus/pci/devices/BDF/
 * reset_method only for a device with a reset method (FLR, PM, bus...).
 */
bool pci_device_resettable(const char *bdf);

/* The driver for a device with these IDs, or NULL. */
const struct vfio_driver *vfio_driver_find(uint16_t vendor, uint16_t device);

/*
 * Can a test use @bdf? 0 and its driver in @drv; -EOPNOTSUPP when no
 * irqlens driver handles it (a reason to SKIP); any other -errno when the
 * device is unusable (a failure). @why says which.
 */
int __vfio_device_probe(const char *bdf, const struct vfio_driver **drv, char *why,
			size_t why_len);

#endif

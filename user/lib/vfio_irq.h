/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MSI and MSI-X of a VFIO device: one eventfd per vector, the emulated
 * trigger, disable. Functions return 0 or -errno.
 */
#ifndef IRQLENS_VFIO_IRQ_H
#define IRQLENS_VFIO_IRQ_H

#include <stdint.h>

#include "vfio_dev.h"

/* "msi" or "msix", as in vfio-pci's /proc/interrupts names. */
const char *vfio_irq_index_name(unsigned int index);

/* Number of vectors VFIO offers for @index (0: the device lacks it). */
int __vfio_irq_count(struct vfio_dev *d, unsigned int index, uint32_t *count);

/*
 * MSI-X when the device has it, else MSI; -ENOTSUP (with no vectors)
 * when it has neither.
 */
int __vfio_irq_pick_msi_index(struct vfio_dev *d, unsigned int *index, uint32_t *count);

/* Enable @nr vectors of @index, vector i signalling eventfds[i]. */
int __vfio_irq_enable(struct vfio_dev *d, unsigned int index,
		      const int *eventfds, unsigned int nr);
int __vfio_irq_disable(struct vfio_dev *d, unsigned int index);

/*
 * VFIO's emulated trigger (DATA_NONE | ACTION_TRIGGER) on one vector:
 * vfio-pci signals the vector's eventfd itself; no device interrupt and
 * no host handler are involved.
 */
int __vfio_irq_trigger(struct vfio_dev *d, unsigned int index, unsigned int vector);

#endif

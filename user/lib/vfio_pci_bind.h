/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hand a PCI device to vfio-pci and give it back to the driver it had, on
 * every exit path: the normal one, a failed test, and SIGINT/SIGTERM.
 */
#ifndef IRQLENS_VFIO_PCI_BIND_H
#define IRQLENS_VFIO_PCI_BIND_H

#include <stddef.h>

#include "pci_bdf.h"

#define PCI_DRIVER_NAME_LEN 64

struct vfio_pci_binding {
	char bdf[PCI_BDF_LEN];
	/* Driver bound before us; empty string when there was none. */
	char orig_driver[PCI_DRIVER_NAME_LEN];
	int bound;
};

/* Current driver of @bdf into @drv ("" when none); 0 or -errno. */
int pci_device_driver(const char *bdf, char *drv, unsigned int len);

/*
 * Bind @bdf to vfio-pci through driver_override. Only one binding is
 * tracked at a time; a signal handler restores it. 0 or -errno; on error
 * the device is left as it was found.
 */
int __vfio_pci_bind(struct vfio_pci_binding *b, const char *bdf);

/*
 * Give the device back to its original driver. The caller must have closed
 * every VFIO file descriptor of the device first, or vfio-pci's unbind
 * waits for them. Idempotent. 0 or -errno.
 */
int __vfio_pci_restore(struct vfio_pci_binding *b);

/*
 * Register file descriptors to close before restoring from a signal
 * handler (the device, group and container fds). -1 entries are skipped.
 */
void vfio_pci_binding_track_fds(const int *fds, unsigned int nr);

/* Likewise for BAR mappings, which keep the device file open. */
int vfio_pci_binding_track_map(void *addr, size_t len);
void vfio_pci_binding_untrack_map(void *addr);

#endif

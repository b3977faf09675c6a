/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hand a PCI device to vfio-pci and give it back to the driver it had, on
 * every exit path: the normal one, a failed test, SIGINT/SIGTERM/SIGHUP,
 * and the death of the two processes above the test (the kselftest
 * harness and its per-test process).
 */
#ifndef IRQLENS_VFIO_PCI_BIND_H
#define IRQLENS_VFIO_PCI_BIND_H

#include <stddef.h>
#include <sys/types.h>

#include "pci_bdf.h"

#define PCI_DRIVER_NAME_LEN 64

struct vfio_pci_binding {
	char bdf[PCI_BDF_LEN];
	/* Driver bound before us; empty string when there was none. */
	char orig_driver[PCI_DRIVER_NAME_LEN];
	int bound;
	/* Restores the device if this process dies first (vfio_pci_bind.c). */
	pid_t guardian;
};

/* Current driver of @bdf into @drv ("" when none); 0 or -errno. */
int pci_device_driver(const char *bdf, char *drv, unsigned int len);

/*
 * Bind @bdf to vfio-pci through driver_override. A guardian process gives
 * the device back if this process dies without doing so, whatever kills
 * it; this process also dies with the harness processes above it. 0 or
 * -errno; on error the device is left as it was found.
 */
int __vfio_pci_bind(struct vfio_pci_binding *b, const char *bdf);

/*
 * Give the device back to its original driver and dismiss the guardian.
 * The caller must have closed every VFIO file descriptor and BAR mapping of
 * the device first, or vfio-pci's unbind waits for them. Idempotent.
 * 0 or -errno.
 */
int __vfio_pci_restore(struct vfio_pci_binding *b);

#endif

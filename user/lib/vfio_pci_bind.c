// SPDX-License-Identifier: GPL-2.0
/*
 * vfio-pci binding through driver_override, with the way back recorded so
 * the device never stays on vfio-pci after the harness is gone.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sysfs_util.h"
#include "vfio_pci_bind.h"

#define PCI_DEV_DIR "/sys/bus/pci/devices/"
#define PCI_DRV_DIR "/sys/bus/pci/drivers/"
#define MAX_TRACKED_FDS 8
#define MAX_TRACKED_MAPS 8

/* The binding a signal handler must undo; NULL when none. */
static struct vfio_pci_binding *active_binding;
static int tracked_fds[MAX_TRACKED_FDS] = { -1, -1, -1, -1, -1, -1, -1, -1 };
/* A BAR mapping holds the device file too: unbind would wait for it. */
static struct {
	void *addr;
	size_t len;
} tracked_maps[MAX_TRACKED_MAPS];

int pci_device_driver(const char *bdf, char *drv, unsigned int len)
{
	char link[PATH_MAX];
	int ret;

	snprintf(link, sizeof(link), PCI_DEV_DIR "%s", bdf);
	if (access(link, F_OK))
		return -ENODEV;
	snprintf(link, sizeof(link), PCI_DEV_DIR "%s/driver", bdf);
	ret = sysfs_link_name(link, drv, len);
	if (ret == -ENOENT) {
		drv[0] = '\0';	/* no driver bound */
		return 0;
	}
	return ret;
}

static int write_dev_attr(const char *bdf, const char *attr, const char *val)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), PCI_DEV_DIR "%s/%s", bdf, attr);
	return sysfs_write(path, val);
}

static int write_drv_attr(const char *drv, const char *attr, const char *val)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), PCI_DRV_DIR "%s/%s", drv, attr);
	return sysfs_write(path, val);
}

/* Everything here is async-signal-safe: it runs from the signal handler. */
static int restore(struct vfio_pci_binding *b)
{
	int err = 0, ret;

	if (!b->bound)
		return 0;
	ret = write_drv_attr("vfio-pci", "unbind", b->bdf);
	if (ret && ret != -ENODEV)
		err = ret;
	/* A lone newline clears driver_override. */
	ret = write_dev_attr(b->bdf, "driver_override", "\n");
	if (ret && !err)
		err = ret;
	if (b->orig_driver[0]) {
		ret = write_drv_attr(b->orig_driver, "bind", b->bdf);
		if (ret && !err)
			err = ret;
	}
	b->bound = 0;
	return err;
}

static void restore_on_signal(int sig)
{
	unsigned int i;

	for (i = 0; i < MAX_TRACKED_MAPS; i++)
		if (tracked_maps[i].addr)
			munmap(tracked_maps[i].addr, tracked_maps[i].len);
	for (i = 0; i < MAX_TRACKED_FDS; i++)
		if (tracked_fds[i] >= 0)
			close(tracked_fds[i]);
	if (active_binding)
		restore(active_binding);
	signal(sig, SIG_DFL);
	raise(sig);
}

void vfio_pci_binding_track_fds(const int *fds, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < MAX_TRACKED_FDS; i++)
		tracked_fds[i] = i < nr ? fds[i] : -1;
}

int vfio_pci_binding_track_map(void *addr, size_t len)
{
	unsigned int i;

	for (i = 0; i < MAX_TRACKED_MAPS; i++) {
		if (!tracked_maps[i].addr) {
			tracked_maps[i].len = len;
			tracked_maps[i].addr = addr;
			return 0;
		}
	}
	return -ENOSPC;
}

void vfio_pci_binding_untrack_map(void *addr)
{
	unsigned int i;

	for (i = 0; i < MAX_TRACKED_MAPS; i++)
		if (tracked_maps[i].addr == addr)
			tracked_maps[i].addr = NULL;
}

int __vfio_pci_bind(struct vfio_pci_binding *b, const char *bdf)
{
	struct sigaction sa = { .sa_handler = restore_on_signal };
	char drv[PCI_DRIVER_NAME_LEN];
	int ret;

	memset(b, 0, sizeof(*b));
	snprintf(b->bdf, sizeof(b->bdf), "%s", bdf);
	ret = pci_device_driver(bdf, b->orig_driver, sizeof(b->orig_driver));
	if (ret)
		return ret;
	if (access(PCI_DRV_DIR "vfio-pci", F_OK))
		return -ENOENT;	/* vfio-pci not loaded */

	active_binding = b;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if (strcmp(b->orig_driver, "vfio-pci") == 0) {
		/* Someone else bound it; leave their binding alone. */
		b->orig_driver[0] = '\0';
		active_binding = NULL;
		return -EBUSY;
	}
	b->bound = 1;
	ret = write_dev_attr(bdf, "driver_override", "vfio-pci");
	if (!ret && b->orig_driver[0])
		ret = write_drv_attr(b->orig_driver, "unbind", bdf);
	if (!ret)
		ret = write_drv_attr("vfio-pci", "bind", bdf);
	if (!ret) {
		ret = pci_device_driver(bdf, drv, sizeof(drv));
		if (!ret && strcmp(drv, "vfio-pci"))
			ret = -EIO;
	}
	if (ret)
		restore(b);
	return ret;
}

int __vfio_pci_restore(struct vfio_pci_binding *b)
{
	int ret = restore(b);

	if (active_binding == b)
		active_binding = NULL;
	vfio_pci_binding_track_fds(NULL, 0);
	return ret;
}

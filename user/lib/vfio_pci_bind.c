// SPDX-License-Identifier: GPL-2.0
/*
 * vfio-pci binding through driver_override, with the way back guaranteed
 * by a guardian process.
 *
 * Restoring from a signal handler of the process that uses the device
 * cannot work in general: vfio-pci's unbind waits until every reference
 * to the device is gone, and the process's own references (an fd being
 * used by another thread, a BAR mapping) only go when the process is gone.
 * So before binding, the binder forks a guardian that holds no device
 * reference, leaves the process group (a group-wide SIGKILL, e.g. the
 * kselftest timeout, must not take it along) and ignores termination
 * signals. It waits on a pidfd of the binder; when the binder has exited
 * for any reason, SIGKILL and crashes included, its files are released and
 * the guardian gives the device back. On the normal path the binder gives
 * the device back itself and then dismisses the guardian.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sysfs_util.h"
#include "vfio_pci_bind.h"

#define PCI_DEV_DIR "/sys/bus/pci/devices/"
#define PCI_DRV_DIR "/sys/bus/pci/drivers/"

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

/*
 * Put the device back on its original driver, from wherever a partial
 * bind left it. Run by the binder and by the guardian, possibly both.
 */
static int restore(const struct vfio_pci_binding *b)
{
	char drv[PCI_DRIVER_NAME_LEN];
	int err = 0, ret;

	ret = pci_device_driver(b->bdf, drv, sizeof(drv));
	if (ret)
		return ret;
	if (!strcmp(drv, "vfio-pci")) {
		ret = write_drv_attr("vfio-pci", "unbind", b->bdf);
		if (ret && ret != -ENODEV)
			err = ret;
	}
	/* A lone newline clears driver_override. */
	ret = write_dev_attr(b->bdf, "driver_override", "\n");
	if (ret && !err)
		err = ret;
	if (b->orig_driver[0] && !pci_device_driver(b->bdf, drv, sizeof(drv)) &&
	    strcmp(drv, b->orig_driver)) {
		ret = write_drv_attr(b->orig_driver, "bind", b->bdf);
		if (ret && !err)
			err = ret;
	}
	return err;
}

static void __attribute__((noreturn)) guardian_main(const struct vfio_pci_binding *b,
						    int pidfd)
{
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
	int ret;

	setpgid(0, 0);
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	/* Nothing of the binder's may stay open here but the pidfd. */
	if (pidfd != STDERR_FILENO + 1) {
		dup2(pidfd, STDERR_FILENO + 1);
		pfd.fd = STDERR_FILENO + 1;
	}
	close_range(STDERR_FILENO + 2, ~0U, 0);

	while (poll(&pfd, 1, -1) < 0 && errno == EINTR)
		;
	ret = restore(b);
	if (ret)
		fprintf(stderr, "irqlens: could not give %s back to '%s': %s\n",
			b->bdf, b->orig_driver, strerror(-ret));
	_exit(ret ? 1 : 0);
}

static int start_guardian(struct vfio_pci_binding *b)
{
	int pidfd = pidfd_open(getpid(), 0);
	pid_t pid;

	if (pidfd < 0)
		return -errno;
	pid = fork();
	if (pid == 0)
		guardian_main(b, pidfd);
	close(pidfd);
	if (pid < 0)
		return -errno;
	b->guardian = pid;
	return 0;
}

static void stop_guardian(struct vfio_pci_binding *b)
{
	if (b->guardian <= 0)
		return;
	kill(b->guardian, SIGKILL);
	waitpid(b->guardian, NULL, 0);
	b->guardian = 0;
}

/* Parent of process @pid, from /proc/<pid>/stat; 0 when unknown. */
static pid_t parent_of(pid_t pid)
{
	char path[64], buf[512], *p;
	int ppid = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (sysfs_read(path, buf, sizeof(buf)))
		return 0;
	/* "pid (comm) state ppid ...": comm may hold spaces and parens. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %*c %d", &ppid) != 1)
		return 0;
	return ppid;
}

static void *watch_grandparent(void *arg)
{
	struct pollfd pfd = { .fd = (int)(intptr_t)arg, .events = POLLIN };

	while (poll(&pfd, 1, -1) < 0 && errno == EINTR)
		;
	kill(getpid(), SIGTERM);
	return NULL;
}

/*
 * The kselftest harness runs each test two forks down: harness ->
 * per-test process (in its own process group) -> the process that binds
 * and runs the test. A signal to either ancestor (Ctrl-C reaches only the
 * harness's group) would leave the test running with the device. So the
 * binder dies with them: its parent through PR_SET_PDEATHSIG, its
 * grandparent through a pidfd; the guardian then restores the device.
 */
static void follow_ancestors(void)
{
	static bool following;
	pthread_t thread;
	pid_t grandparent;
	int fd;

	if (following)
		return;
	following = true;
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	grandparent = parent_of(getppid());
	if (grandparent <= 1)
		return;
	fd = pidfd_open(grandparent, 0);
	if (fd < 0) {
		if (errno == ESRCH)
			kill(getpid(), SIGTERM);
		return;
	}
	if (pthread_create(&thread, NULL, watch_grandparent, (void *)(intptr_t)fd)) {
		close(fd);
		return;
	}
	pthread_detach(thread);
}

int __vfio_pci_bind(struct vfio_pci_binding *b, const char *bdf)
{
	char drv[PCI_DRIVER_NAME_LEN];
	int ret;

	memset(b, 0, sizeof(*b));
	snprintf(b->bdf, sizeof(b->bdf), "%s", bdf);
	ret = pci_device_driver(bdf, b->orig_driver, sizeof(b->orig_driver));
	if (ret)
		return ret;
	if (access(PCI_DRV_DIR "vfio-pci", F_OK))
		return -ENOENT;	/* vfio-pci not loaded */
	if (strcmp(b->orig_driver, "vfio-pci") == 0)
		return -EBUSY;	/* someone else's binding: leave it alone */

	follow_ancestors();
	ret = start_guardian(b);
	if (ret)
		return ret;
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
		__vfio_pci_restore(b);
	return ret;
}

int __vfio_pci_restore(struct vfio_pci_binding *b)
{
	int ret = 0;

	if (b->bound)
		ret = restore(b);
	b->bound = 0;
	stop_guardian(b);
	return ret;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Smoke test: bind QEMU's edu device to vfio-pci, enable its MSI with one
 * eventfd, make the device raise 100 MSIs and count exactly 100 eventfd
 * signals, then give the device back to its original driver.
 *
 * Device: -d <segment:bus:device.function>, or $IRQLENS_DEVICE_EDU, or
 * $IRQLENS_DEVICE.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lib/edu.h"
#include "lib/pci_bdf.h"
#include "lib/proc_irq.h"
#include "lib/sysfs_util.h"
#include "lib/vfio_dev.h"

#define NR_MSIS_DEFAULT	100
#define MSI_TIMEOUT_MS	1000

static const char *edu_bdf;
/* $IRQLENS_EDU_NR_MSIS: a long run lets test_vfio_sigterm.sh kill it mid-test. */
static int nr_msis = NR_MSIS_DEFAULT;

/* SKIP unless the named device exists and is an edu. */
#define REQUIRE_EDU()							\
	do {								\
		char _why[160];						\
		if (!edu_device_present(_why, sizeof(_why)))		\
			SKIP(return, "%s", _why);			\
	} while (0)

static bool edu_device_present(char *why, size_t len)
{
	char path[128], val[32];

	if (!edu_bdf) {
		snprintf(why, len, "no edu device given: pass -d <segment:bus:device.function> or set IRQLENS_DEVICE_EDU");
		return false;
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor", edu_bdf);
	if (sysfs_read(path, val, sizeof(val))) {
		snprintf(why, len, "device %s does not exist", edu_bdf);
		return false;
	}
	if (strtoul(val, NULL, 16) != EDU_VENDOR_ID)
		goto not_edu;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/device", edu_bdf);
	if (sysfs_read(path, val, sizeof(val)) || strtoul(val, NULL, 16) != EDU_DEVICE_ID)
		goto not_edu;
	return true;
not_edu:
	snprintf(why, len, "device %s is not an edu (%04x:%04x)", edu_bdf,
		 EDU_VENDOR_ID, EDU_DEVICE_ID);
	return false;
}

/* Number of eventfd signals within @timeout_ms (0 when none came). */
static uint64_t eventfd_wait(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	uint64_t count = 0;

	if (poll(&pfd, 1, timeout_ms) == 1 && read(fd, &count, sizeof(count)) != sizeof(count))
		count = 0;
	return count;
}

FIXTURE(edu) {
	struct vfio_dev dev;
	char orig_driver[PCI_DRIVER_NAME_LEN];
	int eventfd;
};

FIXTURE_SETUP(edu)
{
	char why[256];
	int ret;

	vfio_dev_init(&self->dev);
	self->eventfd = -1;
	REQUIRE_EDU();
	ASSERT_EQ(0, pci_device_driver(edu_bdf, self->orig_driver, sizeof(self->orig_driver)));

	ret = __vfio_dev_open(&self->dev, edu_bdf, why, sizeof(why));
	ASSERT_EQ(0, ret) TH_LOG("%s", why);
	ret = __vfio_dev_map_bar(&self->dev, 0);
	ASSERT_EQ(0, ret) TH_LOG("mapping BAR0: %s", strerror(-ret));
	ASSERT_EQ(EDU_IDENT_MAGIC, vfio_bar_read32(&self->dev, 0, EDU_REG_IDENT) & 0xff);
	self->eventfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, self->eventfd);
}

FIXTURE_TEARDOWN(edu)
{
	char drv[PCI_DRIVER_NAME_LEN];

	if (self->dev.device_fd >= 0)
		__vfio_dev_irq_disable(&self->dev, VFIO_PCI_MSI_IRQ_INDEX);
	if (self->eventfd >= 0)
		close(self->eventfd);
	EXPECT_EQ(0, __vfio_dev_close(&self->dev));
	if (edu_bdf && !pci_device_driver(edu_bdf, drv, sizeof(drv)))
		EXPECT_STREQ(self->orig_driver, drv)
			TH_LOG("device left on '%s', was on '%s'", drv, self->orig_driver);
}

TEST_F(edu, device_msi_counted_exactly)
{
	uint64_t got, received = 0, host_before, host_after;
	unsigned int host_irq, irq_again;
	char irq_name[64];
	uint32_t nr_vectors;
	int i, ret;

	ret = __vfio_dev_irq_count(&self->dev, VFIO_PCI_MSI_IRQ_INDEX, &nr_vectors);
	ASSERT_EQ(0, ret);
	ASSERT_EQ(1, nr_vectors) TH_LOG("edu should offer exactly one MSI vector");
	ASSERT_EQ(0, __vfio_dev_set_bus_master(&self->dev));
	ret = __vfio_dev_irq_enable(&self->dev, VFIO_PCI_MSI_IRQ_INDEX, &self->eventfd, 1);
	ASSERT_EQ(0, ret) TH_LOG("enabling MSI: %s", strerror(-ret));
	/* The host handler's view: vfio-pci's row in /proc/interrupts. */
	vfio_irq_name(irq_name, sizeof(irq_name), "vfio-msi", 0, edu_bdf);
	ret = __proc_irq_find(irq_name, &host_irq, &host_before);
	ASSERT_EQ(0, ret) TH_LOG("no '%s' in /proc/interrupts", irq_name);

	for (i = 0; i < nr_msis; i++) {
		vfio_bar_write32(&self->dev, 0, EDU_REG_IRQ_RAISE, 1);
		got = eventfd_wait(self->eventfd, MSI_TIMEOUT_MS);
		ASSERT_EQ(1, got) TH_LOG("MSI %d: %lu eventfd signals (received %lu so far)",
					 i, (unsigned long)got, (unsigned long)received);
		received += got;
		EXPECT_EQ(1, vfio_bar_read32(&self->dev, 0, EDU_REG_IRQ_STATUS));
		vfio_bar_write32(&self->dev, 0, EDU_REG_IRQ_ACK, 1);
	}
	/* Nothing more may arrive once the device stops raising. */
	got = eventfd_wait(self->eventfd, 100);
	EXPECT_EQ(0, got) TH_LOG("%lu spurious signals after the last MSI", (unsigned long)got);
	EXPECT_EQ(nr_msis, received);
	/* Remapped delivery: the host handler ran once per device MSI. */
	ASSERT_EQ(0, __proc_irq_find(irq_name, &irq_again, &host_after));
	EXPECT_EQ(host_irq, irq_again);
	EXPECT_EQ(nr_msis, host_after - host_before)
		TH_LOG("host IRQ %u counted %lu interrupts for %d MSIs", host_irq,
		       (unsigned long)(host_after - host_before), nr_msis);
	TH_LOG("edu %s: sent %d MSIs, eventfd saw %lu, host IRQ %u counted %lu",
	       edu_bdf, nr_msis, (unsigned long)received, host_irq,
	       (unsigned long)(host_after - host_before));
}

TEST_F(edu, msi_disabled_sends_nothing)
{
	ASSERT_EQ(0, __vfio_dev_set_bus_master(&self->dev));
	ASSERT_EQ(0, __vfio_dev_irq_enable(&self->dev, VFIO_PCI_MSI_IRQ_INDEX,
					   &self->eventfd, 1));
	ASSERT_EQ(0, __vfio_dev_irq_disable(&self->dev, VFIO_PCI_MSI_IRQ_INDEX));
	vfio_bar_write32(&self->dev, 0, EDU_REG_IRQ_RAISE, 1);
	EXPECT_EQ(0, eventfd_wait(self->eventfd, 200));
	vfio_bar_write32(&self->dev, 0, EDU_REG_IRQ_ACK, 1);
}

int main(int argc, char **argv)
{
	const char *n = getenv("IRQLENS_EDU_NR_MSIS");

	if (n && (nr_msis = atoi(n)) <= 0) {
		fprintf(stderr, "IRQLENS_EDU_NR_MSIS='%s' is not a positive number\n", n);
		return KSFT_FAIL;
	}
	edu_bdf = pci_bdf_from_args(&argc, argv, "EDU");
	return test_harness_run(argc, argv);
}

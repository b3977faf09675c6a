// SPDX-License-Identifier: GPL-2.0
/*
 * Harness library test for VFIO interrupts: for the device given and each
 * IOMMU mode (type1 container, iommufd cdev), MSI or MSI-X enabled with
 * one eventfd per vector and then
 *  - the device itself raises every vector (its irqlens driver does),
 *    and each eventfd and each host IRQ counts exactly what was sent;
 *  - VFIO's emulated trigger signals the eventfd without the host IRQ;
 *  - disabled vectors deliver nothing;
 *  - moving a host IRQ's affinity moves where the host handler runs;
 *  - after a device reset the device still sends;
 *  - KVM's kvm-vfio device accepts the device's VFIO file.
 * Devices the library must refuse are tested in test_device_refusals.c.
 *
 * Device: -d <segment:bus:device.function> or $IRQLENS_DEVICE.
 * $IRQLENS_NR_MSIS: interrupts per test (default 100).
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "lib/harness.h"
#include "lib/kvm_vfio.h"
#include "lib/kvm_vm.h"
#include "lib/pci_bdf.h"
#include "lib/proc_irq.h"
#include "lib/vfio_dev.h"
#include "lib/vfio_driver.h"
#include "lib/vfio_irq.h"

#define MAX_VECTORS	8
#define NR_MSIS_DEFAULT	100
#define MSI_TIMEOUT_MS	1000
#define QUIET_MS	100

static const char *dev_bdf;
static int nr_msis = NR_MSIS_DEFAULT;

/* Signals on @fd within @timeout_ms; 0 when none came. */
static uint64_t eventfd_wait(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	uint64_t count = 0;

	if (poll(&pfd, 1, timeout_ms) == 1 && read(fd, &count, sizeof(count)) != sizeof(count))
		count = 0;
	return count;
}

FIXTURE(vfio_msi) {
	struct vfio_dev dev;
	const struct vfio_driver *drv;
	char orig_driver[PCI_DRIVER_NAME_LEN];
	unsigned int index, nr_vectors;
	int eventfd[MAX_VECTORS];
	bool enabled;
	char irq_name[MAX_VECTORS][64];
	unsigned int host_irq[MAX_VECTORS];
	uint64_t sent[MAX_VECTORS];
};

FIXTURE_VARIANT(vfio_msi) {
	enum vfio_iommu_mode mode;
};

FIXTURE_VARIANT_ADD(vfio_msi, type1) {
	.mode = VFIO_IOMMU_TYPE1,
};

FIXTURE_VARIANT_ADD(vfio_msi, iommufd) {
	.mode = VFIO_IOMMU_IOMMUFD,
};

/* Driver init, Bus Master, MSI(-X) with one eventfd per vector. */
static void bring_up(struct __test_metadata *_metadata, FIXTURE_DATA(vfio_msi) *self)
{
	uint32_t offered;
	unsigned int v;
	uint64_t count;
	int ret;

	ret = self->drv->init(&self->dev, &self->index, &self->nr_vectors);
	ASSERT_EQ(0, ret) TH_LOG("%s init: %s", self->drv->name, strerror(-ret));
	ASSERT_GE(MAX_VECTORS, self->nr_vectors);
	ASSERT_EQ(0, __vfio_irq_count(&self->dev, self->index, &offered));
	ASSERT_LE(self->nr_vectors, offered)
		TH_LOG("VFIO offers %u %s vectors, the %s driver raises %u", offered,
		       vfio_irq_index_name(self->index), self->drv->name, self->nr_vectors);
	ASSERT_EQ(0, __vfio_dev_set_bus_master(&self->dev));
	ret = __vfio_irq_enable(&self->dev, self->index, self->eventfd, self->nr_vectors);
	ASSERT_EQ(0, ret) TH_LOG("enabling %u %s vectors: %s", self->nr_vectors,
				 vfio_irq_index_name(self->index), strerror(-ret));
	self->enabled = true;
	for (v = 0; v < self->nr_vectors; v++) {
		vfio_irq_name(self->irq_name[v], sizeof(self->irq_name[v]),
			      vfio_irq_index_name(self->index), v, dev_bdf);
		ret = __proc_irq_find(self->irq_name[v], &self->host_irq[v], &count);
		ASSERT_EQ(0, ret) TH_LOG("no '%s' in /proc/interrupts", self->irq_name[v]);
	}
}

/*
 * Why test @test cannot run on this device and machine, or NULL: decided
 * in the setup, before its first check (lib/harness.h), from facts that
 * need no open device.
 */
static const char *cannot_run(const char *test, const struct vfio_driver *drv, char *why,
			      size_t why_len)
{
	if (!strcmp(test, "device_msis_counted_exactly") && drv->qemu_duplicates &&
	    running_on_qemu())
		snprintf(why, why_len, "exact counts not exercised on QEMU's %s: %s", drv->name,
			 drv->qemu_duplicates);
	else if (!strcmp(test, "kvm_vfio_device_takes_the_file") && access("/dev/kvm", F_OK))
		snprintf(why, why_len, "no /dev/kvm: load kvm_amd or kvm_intel");
	else if (!strcmp(test, "device_msis_follow_host_affinity") &&
		 sysconf(_SC_NPROCESSORS_ONLN) < 2)
		snprintf(why, why_len, "one CPU online: there is nowhere to move an IRQ to");
	else if (!strcmp(test, "reset_then_device_still_sends") && !pci_device_resettable(dev_bdf))
		snprintf(why, why_len,
			 "%s offers no reset (no reset_method in sysfs: no FLR, PM or bus reset)",
			 dev_bdf);
	else
		return NULL;
	return why;
}

FIXTURE_SETUP(vfio_msi)
{
	char why[256];
	unsigned int v;
	int ret;

	vfio_dev_init(&self->dev);
	for (v = 0; v < MAX_VECTORS; v++)
		self->eventfd[v] = -1;
	if (!dev_bdf)
		SKIP(return, "no device given: pass -d <segment:bus:device.function> or set IRQLENS_DEVICE");
	if (vfio_iommu_mode_check(variant->mode, why, sizeof(why)))
		SKIP(return, "%s mode: %s", vfio_iommu_mode_name(variant->mode), why);
	/* Every reason to SKIP is decided before the first check. */
	ret = __vfio_device_probe(dev_bdf, &self->drv, why, sizeof(why));
	if (ret == -EOPNOTSUPP)
		SKIP(return, "%s", why);
	if (!ret && cannot_run(_metadata->name, self->drv, why, sizeof(why)))
		SKIP(return, "%s", why);
	ASSERT_EQ(0, ret) TH_LOG("%s", why);
	ASSERT_EQ(0, pci_device_driver(dev_bdf, self->orig_driver, sizeof(self->orig_driver)));
	ret = __vfio_dev_open(&self->dev, dev_bdf, variant->mode, why, sizeof(why));
	ASSERT_EQ(0, ret) TH_LOG("%s", why);
	for (v = 0; v < MAX_VECTORS; v++) {
		self->eventfd[v] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		ASSERT_LE(0, self->eventfd[v]);
	}
	bring_up(_metadata, self);
}

FIXTURE_TEARDOWN(vfio_msi)
{
	char drv[PCI_DRIVER_NAME_LEN];
	unsigned int v;

	if (self->enabled)
		__vfio_irq_disable(&self->dev, self->index);
	if (self->drv && self->dev.device_fd >= 0)
		self->drv->remove(&self->dev);
	for (v = 0; v < MAX_VECTORS; v++)
		if (self->eventfd[v] >= 0)
			close(self->eventfd[v]);
	EXPECT_EQ(0, __vfio_dev_close(&self->dev));
	if (self->drv && !pci_device_driver(dev_bdf, drv, sizeof(drv)))
		EXPECT_STREQ(self->orig_driver, drv)
			TH_LOG("device left on '%s', was on '%s'", drv, self->orig_driver);
}

static void host_counts(struct __test_metadata *_metadata, FIXTURE_DATA(vfio_msi) *self,
			uint64_t *counts)
{
	unsigned int v, irq;

	for (v = 0; v < self->nr_vectors; v++) {
		ASSERT_EQ(0, __proc_irq_find(self->irq_name[v], &irq, &counts[v]));
		ASSERT_EQ(self->host_irq[v], irq) TH_LOG("%s moved", self->irq_name[v]);
	}
}

enum send_by { BY_DEVICE, BY_VFIO_TRIGGER };

/*
 * EXACT: each send arrives exactly once on its vector and nowhere else,
 * and the host IRQ ran once per device send. AT_LEAST: each send arrives
 * on its vector, and the host IRQ ran at least once per send; extra
 * interrupts are counted and reported, not failed (for a device model
 * known to send duplicates, see qemu_duplicates).
 */
enum check { EXACT, AT_LEAST };

/*
 * Drain every vector but @v (every vector for MAX_VECTORS), waiting up to
 * @timeout_ms on each; the signals found there.
 */
static uint64_t drain_others(FIXTURE_DATA(vfio_msi) *self, unsigned int v, int timeout_ms)
{
	uint64_t extra = 0;
	unsigned int o;

	for (o = 0; o < self->nr_vectors; o++)
		if (o != v)
			extra += eventfd_wait(self->eventfd[o], timeout_ms);
	return extra;
}

/* Send @n interrupts round-robin over the vectors and check as @check says. */
static void send_checked(struct __test_metadata *_metadata, FIXTURE_DATA(vfio_msi) *self,
			 enum send_by by, int n, enum check check)
{
	uint64_t before[MAX_VECTORS], after[MAX_VECTORS], got, extra = 0;
	uint64_t received = 0, handled = 0, stray;
	unsigned int v;
	int i, ret;

	memset(self->sent, 0, sizeof(self->sent));
	host_counts(_metadata, self, before);
	for (i = 0; i < n; i++) {
		v = i % self->nr_vectors;
		if (by == BY_DEVICE)
			ret = self->drv->send_msi(&self->dev, v);
		else
			ret = __vfio_irq_trigger(&self->dev, self->index, v);
		ASSERT_EQ(0, ret) TH_LOG("send %d on vector %u: %s", i, v, strerror(-ret));
		self->sent[v]++;
		got = eventfd_wait(self->eventfd[v], MSI_TIMEOUT_MS);
		ASSERT_LE(1, got) TH_LOG("send %d on vector %u: not delivered within %d ms",
					 i, v, MSI_TIMEOUT_MS);
		if (check == EXACT && got != 1) {
			/* Say whether the host handler saw the same. */
			host_counts(_metadata, self, after);
			ASSERT_EQ(1, got)
				TH_LOG("send %d on vector %u: %lu eventfd signals (%lu received so far); host IRQ %u ran %lu times for %lu sends",
				       i, v, (unsigned long)got, (unsigned long)received,
				       self->host_irq[v], (unsigned long)(after[v] - before[v]),
				       (unsigned long)self->sent[v]);
		}
		received += 1;
		extra += got - 1;
		stray = drain_others(self, v, 0);
		if (check == EXACT)
			ASSERT_EQ(0, stray) TH_LOG("send %d on vector %u: %lu signals on other vectors",
						  i, v, (unsigned long)stray);
		extra += stray;
	}
	stray = drain_others(self, MAX_VECTORS, QUIET_MS);
	if (check == EXACT)
		EXPECT_EQ(0, stray) TH_LOG("%lu signals after the last send", (unsigned long)stray);
	extra += stray;
	host_counts(_metadata, self, after);
	for (v = 0; v < self->nr_vectors; v++) {
		uint64_t want = by == BY_DEVICE ? self->sent[v] : 0;
		uint64_t ran = after[v] - before[v];

		/* The emulated trigger signals the eventfd; no host IRQ runs. */
		if (check == EXACT || by == BY_VFIO_TRIGGER) {
			EXPECT_EQ(want, ran)
				TH_LOG("host IRQ %u (%s) counted %lu, expected %lu", self->host_irq[v],
				       self->irq_name[v], (unsigned long)ran, (unsigned long)want);
		} else {
			EXPECT_LE(want, ran)
				TH_LOG("host IRQ %u (%s) counted %lu for %lu sends", self->host_irq[v],
				       self->irq_name[v], (unsigned long)ran, (unsigned long)want);
		}
		handled += ran;
	}
	TH_LOG("%s %s via %s: sent %d over %u %s vector(s), all arrived, %lu extra; host IRQs ran %lu%s",
	       self->drv->name, dev_bdf, by == BY_DEVICE ? "device" : "VFIO trigger", n,
	       self->nr_vectors, vfio_irq_index_name(self->index), (unsigned long)extra,
	       (unsigned long)handled, check == EXACT ? " (exact)" : " (duplicates tolerated)");
}

/* The device model's known duplicates, when running on it; else NULL. */
static const char *known_duplicates(FIXTURE_DATA(vfio_msi) *self)
{
	return self->drv->qemu_duplicates && running_on_qemu() ? self->drv->qemu_duplicates : NULL;
}

/* $IRQLENS_NR_MSIS may ask for many; the bed's KASAN kernel is slow. */
TEST_F_TIMEOUT(vfio_msi, device_msis_counted_exactly, 300)
{
	ASSERT_EQ(NULL, known_duplicates(self));
	send_checked(_metadata, self, BY_DEVICE, nr_msis, EXACT);
}

/* Runs where the exact test cannot: every device send arrives. */
TEST_F_TIMEOUT(vfio_msi, device_msis_all_arrive, 300)
{
	send_checked(_metadata, self, BY_DEVICE, nr_msis,
		     known_duplicates(self) ? AT_LEAST : EXACT);
}

TEST_F_TIMEOUT(vfio_msi, emulated_trigger_skips_host_irq, 300)
{
	send_checked(_metadata, self, BY_VFIO_TRIGGER, nr_msis, EXACT);
}

TEST_F(vfio_msi, disabled_vectors_deliver_nothing)
{
	unsigned int v, irq;
	uint64_t count, got;

	ASSERT_EQ(0, __vfio_irq_disable(&self->dev, self->index));
	self->enabled = false;
	for (v = 0; v < self->nr_vectors; v++) {
		ASSERT_EQ(0, self->drv->send_msi(&self->dev, v));
		EXPECT_EQ(-ENOENT, __proc_irq_find(self->irq_name[v], &irq, &count))
			TH_LOG("%s still in /proc/interrupts after disable", self->irq_name[v]);
	}
	got = drain_others(self, MAX_VECTORS, QUIET_MS);
	EXPECT_EQ(0, got) TH_LOG("%lu signals from disabled vectors", (unsigned long)got);
	TH_LOG("%s: %u vector(s) raised while disabled, none delivered", self->drv->name,
	       self->nr_vectors);
}

TEST_F(vfio_msi, reset_then_device_still_sends)
{
	int ret;

	/* The PCI core lists reset methods: VFIO must offer the reset too. */
	ASSERT_TRUE(vfio_dev_can_reset(&self->dev))
		TH_LOG("%s has reset methods in sysfs, but VFIO_DEVICE_FLAGS_RESET is clear",
		       dev_bdf);
	ASSERT_EQ(0, __vfio_irq_disable(&self->dev, self->index));
	self->enabled = false;
	ret = __vfio_dev_reset(&self->dev);
	ASSERT_EQ(0, ret) TH_LOG("VFIO_DEVICE_RESET: %s", strerror(-ret));
	bring_up(_metadata, self);
	send_checked(_metadata, self, BY_DEVICE, 4 * self->nr_vectors,
		     known_duplicates(self) ? AT_LEAST : EXACT);
}

/*
 * The kvm-vfio pseudo device takes the file that gives access to the
 * device (the group in type1 mode, the device cdev with iommufd) and
 * refuses a file that is not VFIO's.
 */
TEST_F(vfio_msi, kvm_vfio_device_takes_the_file)
{
	int file = self->dev.mode == VFIO_IOMMU_TYPE1 ? self->dev.group_fd : self->dev.device_fd;
	struct kvm_vm vm;
	int kvm_vfio, ret;

	ret = __kvm_vm_create(&vm, 2 << 20);
	ASSERT_EQ(0, ret) TH_LOG("creating a VM: %s", strerror(-ret));
	ret = __kvm_vfio_create(&vm, &kvm_vfio);
	ASSERT_EQ(0, ret) TH_LOG("KVM_CREATE_DEVICE(VFIO): %s", strerror(-ret));
	EXPECT_EQ(0, __kvm_vfio_add_file(kvm_vfio, file));
	EXPECT_EQ(-EINVAL, __kvm_vfio_add_file(kvm_vfio, self->eventfd[0]));
	EXPECT_EQ(0, __kvm_vfio_del_file(kvm_vfio, file));
	EXPECT_EQ(-ENOENT, __kvm_vfio_del_file(kvm_vfio, file));
	close(kvm_vfio);
	kvm_vm_destroy(&vm);
}

#define AFFINITY_SENDS	8
/* How long a pending move may take, and how often the device helps it along. */
#define AFFINITY_MOVE_MS	2000
#define AFFINITY_PRIME_MS	10

/* Per-CPU host counts of every vector's IRQ, into counts[vector][cpu]. */
static unsigned int host_counts_per_cpu(struct __test_metadata *_metadata,
					FIXTURE_DATA(vfio_msi) *self,
					uint64_t counts[][PROC_IRQ_MAX_CPUS])
{
	unsigned int v, irq, nr_cpus = 0;

	for (v = 0; v < self->nr_vectors; v++)
		EXPECT_EQ(0, __proc_irq_counts(self->irq_name[v], &irq, counts[v],
					       PROC_IRQ_MAX_CPUS, &nr_cpus));
	return nr_cpus;
}

/*
 * Wait until host IRQ @v's move to @cpu has happened, not only been asked
 * for. x86 moves a remapped MSI at once, unless the vector it had before
 * is still waiting to be freed on its old CPU (a timer there): then the
 * write succeeds, the move stays pending, and it is tried again only at
 * the vector's next interrupt. So: the device sends one interrupt when
 * the move has not happened within a few milliseconds, up to a deadline.
 * Returns the interrupts sent to move it; the caller counts after this.
 */
static unsigned int wait_moved(struct __test_metadata *_metadata,
			       FIXTURE_DATA(vfio_msi) *self, unsigned int v, unsigned int cpu)
{
	unsigned int effective = ~0U, primes = 0, waited_ms = 0;
	int ret;

	for (;;) {
		ret = __proc_irq_effective_cpu(self->host_irq[v], &effective);
		ASSERT_EQ(0, ret) TH_LOG("IRQ %u effective affinity: %s", self->host_irq[v],
					 strerror(-ret));
		if (effective == cpu || waited_ms >= AFFINITY_MOVE_MS)
			break;
		if (waited_ms && waited_ms % AFFINITY_PRIME_MS == 0) {
			ASSERT_EQ(0, self->drv->send_msi(&self->dev, v));
			eventfd_wait(self->eventfd[v], MSI_TIMEOUT_MS);
			drain_others(self, MAX_VECTORS, 0);
			primes++;
		}
		usleep(1000);
		waited_ms++;
	}
	ASSERT_EQ(cpu, effective)
		TH_LOG("IRQ %u routed to CPU %u: the kernel kept the move pending for %u ms (still CPU %u, %u interrupts sent to move it)",
		       self->host_irq[v], cpu, waited_ms, effective, primes);
	return primes;
}

/*
 * Route every vector's host IRQ to one CPU after another; once the kernel
 * has really moved it, the device's interrupts must be handled on that
 * CPU and no other.
 */
TEST_F(vfio_msi, device_msis_follow_host_affinity)
{
	static uint64_t before[MAX_VECTORS][PROC_IRQ_MAX_CPUS], after[MAX_VECTORS][PROC_IRQ_MAX_CPUS];
	unsigned int cpu, c = 0, v, nr_cpus, i, primes = 0;
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	bool exact = !known_duplicates(self);
	uint64_t got, d;
	int ret;

	ASSERT_LE(2, online);
	for (cpu = 0; cpu < (unsigned int)online; cpu++) {
		for (v = 0; v < self->nr_vectors; v++) {
			ret = __proc_irq_set_affinity(self->host_irq[v], cpu);
			ASSERT_EQ(0, ret) TH_LOG("IRQ %u to CPU %u: %s", self->host_irq[v], cpu,
						 strerror(-ret));
		}
		for (v = 0; v < self->nr_vectors; v++)
			primes += wait_moved(_metadata, self, v, cpu);
		nr_cpus = host_counts_per_cpu(_metadata, self, before);
		ASSERT_LT(cpu, nr_cpus);
		for (i = 0; i < AFFINITY_SENDS * self->nr_vectors; i++) {
			v = i % self->nr_vectors;
			ASSERT_EQ(0, self->drv->send_msi(&self->dev, v));
			got = eventfd_wait(self->eventfd[v], MSI_TIMEOUT_MS);
			ASSERT_LE(1, got) TH_LOG("CPU %u, send %u on vector %u: not delivered", cpu, i, v);
			if (exact)
				ASSERT_EQ(1, got) TH_LOG("CPU %u, send %u on vector %u: %lu signals",
							 cpu, i, v, (unsigned long)got);
			drain_others(self, v, 0);
		}
		drain_others(self, MAX_VECTORS, QUIET_MS);
		host_counts_per_cpu(_metadata, self, after);
		for (v = 0; v < self->nr_vectors; v++) {
			for (c = 0; c < nr_cpus; c++) {
				d = after[v][c] - before[v][c];
				if (c != cpu || exact) {
					EXPECT_EQ(c == cpu ? AFFINITY_SENDS : 0, d)
						TH_LOG("IRQ %u routed to CPU %u: CPU %u handled %lu",
						       self->host_irq[v], cpu, c, (unsigned long)d);
				} else {
					EXPECT_LE(AFFINITY_SENDS, d)
						TH_LOG("IRQ %u routed to CPU %u: it handled %lu",
						       self->host_irq[v], cpu, (unsigned long)d);
				}
			}
		}
	}
	TH_LOG("%s: %u vector(s) moved over %ld CPUs, %d interrupts each, all handled where routed%s; %u interrupts sent before counting to complete moves the kernel held pending",
	       self->drv->name, self->nr_vectors, online, AFFINITY_SENDS,
	       exact ? "" : " (duplicates tolerated)", primes);
}

int main(int argc, char **argv)
{
	const char *n = getenv("IRQLENS_NR_MSIS");

	if (n)
		nr_msis = atoi(n);
	if (nr_msis <= 0) {
		fprintf(stderr, "IRQLENS_NR_MSIS='%s' is not a positive number\n", n);
		return KSFT_FAIL;
	}
	dev_bdf = pci_bdf_from_args(&argc, argv, NULL);
	return test_harness_run(argc, argv);
}

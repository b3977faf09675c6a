// SPDX-License-Identifier: GPL-2.0
/*
 * The IRQ-bypass cross-check, modelled on KVM's irq_test (seed 000) and
 * its flags: a VFIO device's vectors are KVM irqfds of a running guest
 * (several vCPUs, spinning or halted, xAPIC or x2APIC, full or split
 * irqchip), and N interrupts (default 1000) are sent by writing the
 * eventfd, by VFIO's emulated trigger, or by the device itself, with
 * NMIs mixed in (4 NMIs, then 4 fixed: -n), the GSI routes destroyed
 * and recreated every 8th interrupt (-c) and the host IRQ's affinity
 * moved at random (-a).
 *
 * After every interrupt three views must agree:
 *  1. what the harness programmed: the IRTE mode it expects (posted only
 *     when the kernel can post, the route is fixed and targets one vCPU;
 *     else remapped, or direct without interrupt remapping, as the host's
 *     /proc/interrupts chip says);
 *  2. what irqlens.ko observed for that host IRQ (IRQLENS_IOC_BYPASS_LINKS);
 *  3. what was delivered: the guest got the interrupt once, with its
 *     vector or as an NMI, on its vCPU and nowhere else; the host handler
 *     ran once per device MSI when remapped and never when posted or sent
 *     without the device; the irqfd was signalled once per send unless
 *     posted; KVM's own irq_/nmi_injections counters say what KVM injected,
 *     and only the test bed may show one injection received twice, where
 *     those counters prove it was the emulator's.
 * A disagreement fails and prints the three views.
 *
 * Where the kernel cannot post (no IRQ_POSTING_CAP, APICv/AVIC off: the
 * QEMU test bed), the bypass pairing and posted delivery are reported as
 * not exercised, and the remapped path is checked in full.
 *
 * Device: -d <segment:bus:device.function> or $IRQLENS_DEVICE.
 * $IRQLENS_BYPASS_SENDS: interrupts per test (default 1000).
 * $IRQLENS_BYPASS_FLAGS: which of irq_test's stressors to use, any of
 * "a" (affinity moves), "c" (route churn), "n" (NMI mixing); default "acn".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "lib/harness.h"
#include "lib/bypass_rig.h"
#include "lib/clock.h"
#include "lib/ir_table.h"
#include "lib/emulator_dups.h"
#include "lib/irqlens_view.h"
#include "lib/kvm_guest.h"
#include "lib/pci_bdf.h"
#include "lib/post_cap.h"
#include "lib/proc_irq.h"
#include "lib/vfio_driver.h"

#define SENDS_DEFAULT	1000
/*
 * How long one interrupt may take to show in all three views. Generous:
 * the bed's single-threaded TCG has held an injection back for over 2 s.
 */
#define DELIVERY_MS	10000
/*
 * Every test, setup and teardown included (the harness's default is 30 s):
 * on the KASAN kernel under single-threaded TCG, setting up the VM and
 * the device alone has taken more than 30 s.
 */
#define TEST_TIMEOUT_S	1800

static const char *dev_bdf;
static int nr_sends = SENDS_DEFAULT;
/* irq_test's -a, -c and -n; $IRQLENS_BYPASS_FLAGS, default all ("acn"). */
static bool flag_affinity = true, flag_churn = true, flag_nmi = true;

FIXTURE(bypass) {
	struct bypass_rig rig;
	uint64_t expected[RIG_VCPUS][256];
	uint64_t seen[RIG_VCPUS][256];	/* the guest's counts, read at once */
	char orig_driver[PCI_DRIVER_NAME_LEN];
	enum post_cap post_cap;		/* from the kernel's files, not irqlens.ko */
	bool can_post;
	char no_post_why[256];
	/* QEMU's device model is known to send an MSI twice: said on failure. */
	const char *device_duplicates;
	bool in_bed;			/* the runner says so: IRQLENS_BED=1 */
	/* Extra guest counts, proven the emulator's or refused. */
	struct emulator_dups dups;
	/*
	 * KVM's irq_/nmi_injections when the last window closed, and what
	 * they added up to over all windows of the test.
	 */
	struct rig_kvm_injections kvm_last[RIG_VCPUS];
	uint64_t kvm_injected;		/* irq_/nmi_injections: re-injections too */
	uint32_t dev_id;		/* segment:bus:devfn, as irqlens.ko says it */
	unsigned int sid;		/* the device's PCI source id (IRTEs carry it) */
	unsigned int irtes_checked;	/* view 4: IOMMU table entries compared */
	bool irte_view_absent;		/* this kernel does not show the IRTEs */
	struct irqlens_view view;
};

FIXTURE_VARIANT(bypass) {
	enum kvm_irqchip_mode irqchip;
	bool x2apic;
	bool halt;
};

#define BYPASS_VARIANT(chip, apic, wait)				\
	FIXTURE_VARIANT_ADD(bypass, chip##_##apic##_##wait) {		\
		.irqchip = KVM_IRQCHIP_##chip,				\
		.x2apic = !strcmp(#apic, "x2apic"),			\
		.halt = !strcmp(#wait, "halt"),				\
	}

BYPASS_VARIANT(FULL, xapic, spin);
BYPASS_VARIANT(FULL, xapic, halt);
BYPASS_VARIANT(FULL, x2apic, spin);
BYPASS_VARIANT(FULL, x2apic, halt);
BYPASS_VARIANT(SPLIT, xapic, spin);
BYPASS_VARIANT(SPLIT, xapic, halt);
BYPASS_VARIANT(SPLIT, x2apic, spin);
BYPASS_VARIANT(SPLIT, x2apic, halt);

FIXTURE_SETUP(bypass)
{
	const struct vfio_driver *drv;
	const char *bed = getenv("IRQLENS_BED");
	char why[256];
	int ret, probe;

	bypass_rig_init(&self->rig);
	/* Every reason to SKIP is decided before the first check. */
	if (!dev_bdf)
		SKIP(return, "no device given: pass -d <segment:bus:device.function> or set IRQLENS_DEVICE");
	if (vfio_iommu_mode_check(VFIO_IOMMU_TYPE1, why, sizeof(why)))
		SKIP(return, "%s", why);
	if (access("/dev/kvm", F_OK))
		SKIP(return, "no /dev/kvm: load kvm_amd or kvm_intel");
	probe = __vfio_device_probe(dev_bdf, &drv, why, sizeof(why));
	if (probe == -EOPNOTSUPP)
		SKIP(return, "%s", why);
	/* KVM posts only with IRQ_POSTING_CAP and APICv/AVIC (kernel-facts 1). */
	ret = __post_cap_probe(&self->post_cap, self->no_post_why, sizeof(self->no_post_why));
	self->can_post = !ret && self->post_cap == POST_CAP_YES;
	if (!ret && !self->can_post && !strcmp(_metadata->name, "posted_delivery"))
		SKIP(return, "posted delivery not exercised here: %s", self->no_post_why);
	ASSERT_EQ(0, ret) TH_LOG("posting capability: %s", self->no_post_why);
	ASSERT_EQ(0, probe) TH_LOG("%s", why);
	ASSERT_EQ(0, pci_device_driver(dev_bdf, self->orig_driver, sizeof(self->orig_driver)));
	ASSERT_EQ(0, pci_bdf_id(dev_bdf, &self->dev_id)) TH_LOG("BDF '%s'", dev_bdf);
	self->sid = self->dev_id & 0xffff;
	ret = __irqlens_view_require_module(why, sizeof(why));
	ASSERT_EQ(0, ret) TH_LOG("%s", why);
	ret = __kvm_vm_create(&self->rig.vm, KVM_GUEST_MEM_SIZE);
	ASSERT_EQ(0, ret) TH_LOG("creating a VM: %s", strerror(-ret));

	self->device_duplicates = running_on_qemu() ? drv->qemu_duplicates : NULL;
	self->in_bed = bed && !strcmp(bed, "1");
	self->dups.trace.pipe_fd = -1;
	ret = __bypass_rig_start_guest(&self->rig, variant->irqchip, variant->x2apic,
				       variant->halt, why, sizeof(why));
	ASSERT_EQ(0, ret) TH_LOG("%s", why);
	ret = __bypass_rig_start_device(&self->rig, dev_bdf, drv, why, sizeof(why));
	ASSERT_EQ(0, ret) TH_LOG("%s", why);
}

FIXTURE_TEARDOWN(bypass)
{
	char drv[PCI_DRIVER_NAME_LEN];
	bool had_driver = self->rig.drv;

	bypass_rig_stop(&self->rig);
	emulator_dups_stop(&self->dups);
	EXPECT_EQ(0, __vfio_dev_close(&self->rig.dev));
	if (had_driver && !pci_device_driver(dev_bdf, drv, sizeof(drv)))
		EXPECT_STREQ(self->orig_driver, drv)
			TH_LOG("device left on '%s', was on '%s'", drv, self->orig_driver);
}

/* View 1: the mode the harness expects for vector @v as routed now. */
static uint32_t expected_mode(FIXTURE_DATA(bypass) *self, unsigned int v)
{
	if (!self->rig.remapped[v])
		return IRQLENS_MODE_DIRECT;
	/* Only Fixed/LowestPriority to a single vCPU is postable. */
	if (self->can_post && self->rig.route[v].delivery_mode == APIC_DM_FIXED)
		return IRQLENS_MODE_POSTED;
	return IRQLENS_MODE_REMAPPED;
}

/* irqlens.ko's link for vector @v, read now; fails the test when absent. */
static struct irqlens_bypass_link observe(struct __test_metadata *_metadata,
					  FIXTURE_DATA(bypass) *self, unsigned int v)
{
	const struct irqlens_bypass_link *l;
	struct irqlens_bypass_link none = { 0 };
	int ret;

	ret = __irqlens_view_read(&self->view);
	EXPECT_EQ(0, ret) TH_LOG("IRQLENS_IOC_BYPASS_LINKS: %s", strerror(-ret));
	l = irqlens_view_link_by_irq(&self->view, self->rig.host_irq[v]);
	EXPECT_NE(NULL, l) TH_LOG("irqlens.ko has no link for host IRQ %u (%u links, %llu unmatched events)",
				  self->rig.host_irq[v], self->view.nr,
				  (unsigned long long)self->view.q.unmatched);
	return l ? *l : none;
}

struct sent {
	unsigned int i, v;
	struct kvm_msi_target t;
	enum rig_send_path path;
};

/* Print the three views side by side; called on any disagreement. */
static void show_views(struct __test_metadata *_metadata, FIXTURE_DATA(bypass) *self,
		       const struct sent *s, const struct irqlens_bypass_link *before,
		       const struct irqlens_bypass_link *after, uint64_t got)
{
	uint8_t vector = s->t.delivery_mode == APIC_DM_NMI ? GUEST_NMI_VECTOR : s->t.vector;

	TH_LOG("send %u by %s on vector %u (host IRQ %u, GSI %u):", s->i, rig_path_name(s->path),
	       s->v, self->rig.host_irq[s->v], self->rig.gsi[s->v]);
	TH_LOG("  harness:   %s to vCPU %u vector 0x%x; expects IRTE %s%s%s",
	       s->t.delivery_mode == APIC_DM_NMI ? "NMI" : "fixed", s->t.apic_id, s->t.vector,
	       irqlens_mode_name(expected_mode(self, s->v)),
	       self->can_post ? "" : ", as ", self->can_post ? "" : self->no_post_why);
	TH_LOG("  irqlens:   IRTE %s, host handled +%llu, irqfd signalled +%llu, transitions %llu, %s",
	       irqlens_mode_name(after->mode),
	       (unsigned long long)(after->host_handled - before->host_handled),
	       (unsigned long long)(after->injections - before->injections),
	       (unsigned long long)after->transitions, irqlens_reason_text(after->reason));
	TH_LOG("  guest:     vCPU %u vector 0x%x received %llu, expected %llu",
	       s->t.apic_id, vector, (unsigned long long)got,
	       (unsigned long long)self->expected[s->t.apic_id][vector]);
}

/*
 * Copy the guest's counts once, so that every check of one send looks at
 * the same numbers: a duplicate landing between two reads would otherwise
 * make them disagree with each other.
 */
static void snapshot_counts(FIXTURE_DATA(bypass) *self)
{
	unsigned int c, v;

	for (c = 0; c < RIG_VCPUS; c++)
		for (v = 0; v < 256; v++)
			self->seen[c][v] = __atomic_load_n(&self->rig.counts[c].vector[v],
							   __ATOMIC_RELAXED);
}

/* First (vCPU, vector) whose received count (snapshot) differs from what was sent. */
static bool counts_differ(FIXTURE_DATA(bypass) *self, unsigned int *c, unsigned int *vec)
{
	for (*c = 0; *c < RIG_VCPUS; (*c)++)
		for (*vec = 0; *vec < 256; (*vec)++)
			if (self->seen[*c][*vec] != self->expected[*c][*vec])
				return true;
	return false;
}

static void set_route(struct __test_metadata *_metadata, FIXTURE_DATA(bypass) *self,
		      unsigned int v, const struct kvm_msi_target *t, bool churn)
{
	int ret = __bypass_rig_route(&self->rig, v, t, churn);

	ASSERT_EQ(0, ret) TH_LOG("KVM_SET_GSI_ROUTING: %s", strerror(-ret));
}

static void send(struct __test_metadata *_metadata, FIXTURE_DATA(bypass) *self,
		 const struct sent *s)
{
	int ret = __bypass_rig_send(&self->rig, s->path, s->v);

	ASSERT_EQ(0, ret) TH_LOG("%s on vector %u: %s", rig_path_name(s->path), s->v,
				 strerror(-ret));
}

struct totals {
	unsigned int checked, nmis, posted, remapped, direct, affinity_moves, route_churns;
	uint64_t host_handled, irqfd_signals, received;
	uint64_t slowest_ns;		/* longest send-to-all-views-agree time */
};

static void kvm_injections(struct __test_metadata *_metadata, FIXTURE_DATA(bypass) *self,
			   struct rig_kvm_injections inj[RIG_VCPUS])
{
	unsigned int c;
	int ret;

	for (c = 0; c < RIG_VCPUS; c++) {
		ret = __bypass_rig_kvm_injections(&self->rig, c, &inj[c]);
		ASSERT_EQ(0, ret) TH_LOG("vCPU %u irq_/nmi_injections: %s", c, strerror(-ret));
	}
}

/*
 * What KVM did between two points of the test: the windows follow each
 * other without a gap (route changes, affinity moves and IRTE reads
 * between two sends belong to the next send's window), so an injection
 * that lands late is still seen, in the window it lands in. The first
 * window of a test starts here; what came before is dropped.
 */
static void kvm_windows_start(struct __test_metadata *_metadata, FIXTURE_DATA(bypass) *self)
{
	int ret = __emulator_dups_begin(&self->dups);

	ASSERT_EQ(0, ret) TH_LOG("reading KVM's injection tracepoints: %s", strerror(-ret));
	kvm_injections(_metadata, self, self->kvm_last);
	self->kvm_injected = 0;
}

/* Close the current window into @w; the next one starts at once. */
static void kvm_window_take(struct __test_metadata *_metadata, FIXTURE_DATA(bypass) *self,
			    struct kvm_injection_counts *w)
{
	struct rig_kvm_injections now[RIG_VCPUS];
	unsigned int c;
	int ret;

	ret = __emulator_dups_window(&self->dups, w);
	ASSERT_EQ(0, ret) TH_LOG("reading KVM's injection tracepoints: %s", strerror(-ret));
	kvm_injections(_metadata, self, now);
	for (c = 0; c < RIG_VCPUS; c++) {
		self->kvm_injected += now[c].irqs - self->kvm_last[c].irqs +
				      now[c].nmis - self->kvm_last[c].nmis;
		self->kvm_last[c] = now[c];
	}
}

/* Send @s as the emulator-duplicate proof sees it. */
static struct dup_send dup_send_of(const struct sent *s)
{
	return (struct dup_send){
		.vcpu = s->t.apic_id, .vector = s->t.vector,
		.nmi = s->t.delivery_mode == APIC_DM_NMI,
	};
}

/* Extra guest counts after window @w (send @s, or NULL): emulator_dups.h. */
static bool absorb_emulator_duplicates(FIXTURE_DATA(bypass) *self, const struct sent *s,
				       const struct kvm_injection_counts *w, char *why,
				       size_t why_len)
{
	struct dup_send one;

	if (s)
		one = dup_send_of(s);
	return emulator_dups_absorb(&self->dups, self->seen, self->expected, s ? &one : NULL,
				    w, why, why_len);
}

/*
 * Have irqlens.ko's counters for vector @v moved on from @before by at
 * least what this send should add? A missing link counts as "yes": the
 * observe() that follows reports it.
 */
static bool counters_reached(FIXTURE_DATA(bypass) *self, unsigned int v,
			     const struct irqlens_bypass_link *before, uint64_t want_host,
			     uint64_t want_signal)
{
	const struct irqlens_bypass_link *l;

	if (__irqlens_view_read(&self->view))
		return true;
	l = irqlens_view_link_by_irq(&self->view, self->rig.host_irq[v]);
	return !l || (l->host_handled - before->host_handled >= want_host &&
		      l->injections - before->injections >= want_signal);
}

/*
 * View 4, where the kernel shows it (VT-d with INTEL_IOMMU_DEBUGFS and
 * GENERIC_IRQ_DEBUGFS: the test kernel): the IOMMU's own entry for the
 * host IRQ, read after the route change, must be in the table irqlens.ko
 * names (remapped or posted), carry the device's source id, and hold what
 * that mode delivers: the host vector and CPU of the IRQ when remapped,
 * the guest vector when posted.
 */
static void check_irte(struct __test_metadata *_metadata, FIXTURE_DATA(bypass) *self,
		       const struct sent *s, const struct irqlens_bypass_link *seen)
{
	unsigned int irq = self->rig.host_irq[s->v];
	bool posted = seen->mode == IRQLENS_MODE_POSTED, dest_ok = false;
	struct irte_view e;
	int ret;

	ret = __irte_of_irq(irq, &e);
	/* The bed's test kernel has both files: there the view must work. */
	if (ret == -ENOSYS && !self->in_bed)
		ret = -ENOENT;
	if (ret == -ENOENT) {
		self->irte_view_absent = true;
		return;
	}
	ASSERT_NE(-ENOSYS, ret)
		TH_LOG("the kernel shows its IRTEs (ir_translation_struct) but not which IRQ uses which: no /sys/kernel/debug/irq (CONFIG_GENERIC_IRQ_DEBUGFS)");
	if (!self->rig.remapped[s->v]) {
		EXPECT_EQ(-ENODATA, ret) TH_LOG("host IRQ %u is not remapped, yet has an IRTE", irq);
		return;
	}
	ASSERT_EQ(0, ret) TH_LOG("no IRTE for remapped host IRQ %u: %s", irq, strerror(-ret));
	EXPECT_EQ(posted, e.posted)
		TH_LOG("send %u: IRTE %u of dmar%u is among the %s entries, irqlens says %s",
		       s->i, e.index, e.unit, e.posted ? "posted" : "remapped",
		       irqlens_mode_name(seen->mode));
	EXPECT_EQ(self->sid, e.sid) TH_LOG("IRTE %u source id", e.index);
	if (e.posted) {
		EXPECT_EQ(s->t.vector, e.vector) TH_LOG("posted IRTE %u: guest vector", e.index);
	} else {
		EXPECT_EQ(e.host_vector, e.vector)
			TH_LOG("remapped IRTE %u: vector 0x%x, host IRQ %u has vector 0x%x",
			       e.index, e.vector, irq, e.host_vector);
		ASSERT_EQ(0, __irte_dest_is_cpu(e.dest, e.host_cpu, &dest_ok));
		EXPECT_TRUE(dest_ok) TH_LOG("remapped IRTE %u: destination 0x%x is not CPU %u",
					    e.index, e.dest, e.host_cpu);
	}
	self->irtes_checked++;
}

/*
 * One interrupt, then the three views, exactly: every path, the device's
 * included. A device model that sends an MSI twice shows in the host
 * handler's count and fails the send, with the known cause named.
 */
static void send_and_check(struct __test_metadata *_metadata, FIXTURE_DATA(bypass) *self,
			   const struct sent *s, struct totals *tot)
{
	struct timespec ts = { 0, 100 * 1000 };
	uint64_t start, took;
	uint8_t vector = s->t.delivery_mode == APIC_DM_NMI ? GUEST_NMI_VECTOR : s->t.vector;
	struct irqlens_bypass_link before, after;
	uint64_t want_host, want_signal, got = 0;
	struct dup_send one = dup_send_of(s);
	struct kvm_injection_counts w = { 0 };
	uint32_t mode = expected_mode(self, s->v);
	bool emulator_ok, dev_dup;
	char why[320] = "";
	unsigned int c, vec;

	/* The device's MSI runs the host handler unless the IOMMU posts it. */
	want_host = s->path == RIG_BY_DEVICE && mode != IRQLENS_MODE_POSTED;
	/* irqlens counts irqfd_wakeup(EPOLLIN): the eventfd was signalled. */
	want_signal = mode != IRQLENS_MODE_POSTED || s->path != RIG_BY_DEVICE;

	before = observe(_metadata, self, s->v);
	self->expected[s->t.apic_id][vector]++;
	start = monotonic_ns();
	send(_metadata, self, s);
	/*
	 * Wait for the guest's count, then for irqlens.ko's and for KVM's
	 * own injection of this send: an earlier send's duplicate can
	 * satisfy the guest's count before this send's MSI has even reached
	 * the host (emulator_dups_kvm_took()).
	 */
	do {
		got = __atomic_load_n(&self->rig.counts[s->t.apic_id].vector[vector], __ATOMIC_RELAXED);
		if (got >= self->expected[s->t.apic_id][vector] &&
		    counters_reached(self, s->v, &before, want_host, want_signal) &&
		    emulator_dups_kvm_took(&self->dups, &w, &one))
			break;
		nanosleep(&ts, NULL);
	} while (monotonic_ns() - start < DELIVERY_MS * 1000000ULL);
	took = monotonic_ns() - start;
	after = observe(_metadata, self, s->v);
	snapshot_counts(self);
	kvm_window_take(_metadata, self, &w);
	check_irte(_metadata, self, s, &after);
	got = self->seen[s->t.apic_id][vector];
	emulator_ok = absorb_emulator_duplicates(self, s, &w, why, sizeof(why));
	dev_dup = s->path == RIG_BY_DEVICE && self->device_duplicates &&
		  after.host_handled - before.host_handled > want_host;

	if (after.mode != mode || got < self->expected[s->t.apic_id][vector] || !emulator_ok ||
	    counts_differ(self, &c, &vec) ||
	    after.host_handled - before.host_handled != want_host ||
	    after.injections - before.injections != want_signal) {
		show_views(_metadata, self, s, &before, &after, got);
		TH_LOG("  (views read %llu ms after the send)",
		       (unsigned long long)(took / 1000000));
		EXPECT_EQ(mode, after.mode) TH_LOG("IRTE mode: harness expects %s, irqlens saw %s",
						   irqlens_mode_name(mode),
						   irqlens_mode_name(after.mode));
		EXPECT_TRUE(emulator_ok) TH_LOG("%s", why);
		EXPECT_FALSE(counts_differ(self, &c, &vec))
			TH_LOG("guest vCPU %u vector 0x%x: received %llu, sent %llu", c, vec,
			       (unsigned long long)self->seen[c][vec],
			       (unsigned long long)self->expected[c][vec]);
		EXPECT_EQ(want_host, after.host_handled - before.host_handled)
			TH_LOG("host handler runs for this send (irqlens)%s%s",
			       dev_dup ? ": a known device-model fault: " : "",
			       dev_dup ? self->device_duplicates : "");
		EXPECT_EQ(want_signal, after.injections - before.injections)
			TH_LOG("irqfd signals for this send (irqlens)");
		ASSERT_TRUE(false) TH_LOG("the three views disagree at send %u", s->i);
	}
	tot->checked++;
	if (took > tot->slowest_ns)
		tot->slowest_ns = took;
	tot->nmis += s->t.delivery_mode == APIC_DM_NMI;
	tot->posted += mode == IRQLENS_MODE_POSTED;
	tot->remapped += mode == IRQLENS_MODE_REMAPPED;
	tot->direct += mode == IRQLENS_MODE_DIRECT;
}

/* Sum of the module's counters over the device's links, read at once. */
static void link_sums(struct __test_metadata *_metadata, FIXTURE_DATA(bypass) *self,
		      uint64_t *host_handled, uint64_t *irqfd_signals)
{
	const struct irqlens_bypass_link *l;
	unsigned int v;
	int ret;

	*host_handled = *irqfd_signals = 0;
	ret = __irqlens_view_read(&self->view);
	EXPECT_EQ(0, ret) TH_LOG("IRQLENS_IOC_BYPASS_LINKS: %s", strerror(-ret));
	for (v = 0; v < self->rig.nr_vectors; v++) {
		l = irqlens_view_link_by_irq(&self->view, self->rig.host_irq[v]);
		EXPECT_NE(NULL, l) TH_LOG("irqlens.ko has no link for host IRQ %u",
					  self->rig.host_irq[v]);
		if (!l)
			continue;
		*host_handled += l->host_handled;
		*irqfd_signals += l->injections;
	}
}

/* Everything the guest counted, as of the last snapshot. */
static uint64_t guest_received(FIXTURE_DATA(bypass) *self)
{
	uint64_t sum = 0;
	unsigned int c, v;

	for (c = 0; c < RIG_VCPUS; c++)
		for (v = 0; v < 256; v++)
			sum += self->seen[c][v];
	return sum;
}

static void run(struct __test_metadata *_metadata, FIXTURE_DATA(bypass) *self,
		enum rig_send_path path)
{
	uint64_t host0, sig0, host1, sig1, recv0;
	struct kvm_injection_counts w = { 0 };
	struct totals tot = { 0 };
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	struct sent s = { .path = path };
	char why[256] = "";
	bool late_ok;

	srand(time(NULL));
	/*
	 * Only tests that send enable KVM's tracepoints: turning them on
	 * patches live kernel text, which multi-threaded TCG races on
	 * (testbed.rst), so the bed keeps it to its single-threaded boots.
	 */
	emulator_dups_init(&self->dups, RIG_VCPUS);
	link_sums(_metadata, self, &host0, &sig0);
	snapshot_counts(self);
	recv0 = guest_received(self);
	kvm_windows_start(_metadata, self);
	for (s.i = 0; s.i < (unsigned int)nr_sends; s.i++) {
		bool churn = flag_churn && s.i % 8 == 0;

		s.v = s.i % self->rig.nr_vectors;
		s.t.apic_id = rand() % RIG_VCPUS;
		s.t.vector = kvm_random_vector();
		s.t.delivery_mode = flag_nmi && (s.i & 4) ? APIC_DM_NMI : APIC_DM_FIXED;
		set_route(_metadata, self, s.v, &s.t, churn);
		tot.route_churns += churn;
		if (flag_affinity && online > 1 && rand() % 4 == 0) {
			ASSERT_EQ(0, __proc_irq_set_affinity(self->rig.host_irq[s.v], rand() % online));
			tot.affinity_moves++;
		}
		send_and_check(_metadata, self, &s, &tot);
	}
	/*
	 * Let late duplicates land (KVM must inject nothing meanwhile), then
	 * the views' totals must agree.
	 */
	usleep(100 * 1000);
	link_sums(_metadata, self, &host1, &sig1);
	snapshot_counts(self);
	kvm_window_take(_metadata, self, &w);
	tot.host_handled = host1 - host0;
	tot.irqfd_signals = sig1 - sig0;
	tot.received = guest_received(self) - recv0;
	late_ok = absorb_emulator_duplicates(self, NULL, &w, why, sizeof(why));
	EXPECT_TRUE(late_ok) TH_LOG("after the last send: %s", why);
	/* KVM's own count of the whole test: one per interrupt sent. */
	if (self->dups.allowed) {
		EXPECT_EQ(tot.checked - tot.nmis, self->dups.fresh_irqs)
			TH_LOG("KVM injected %llu IRQs afresh for %u sent",
			       (unsigned long long)self->dups.fresh_irqs, tot.checked - tot.nmis);
		EXPECT_EQ(tot.nmis, self->dups.accepted_nmis)
			TH_LOG("KVM's APICs accepted %llu NMIs for %u sent",
			       (unsigned long long)self->dups.accepted_nmis, tot.nmis);
	}
	EXPECT_EQ(tot.received, tot.irqfd_signals + self->dups.absorbed +
				(uint64_t)tot.posted * (path == RIG_BY_DEVICE))
		TH_LOG("guest received %llu, irqlens saw %llu irqfd signals (%llu emulator duplicates)",
		       (unsigned long long)tot.received, (unsigned long long)tot.irqfd_signals,
		       (unsigned long long)self->dups.absorbed);
	if (path == RIG_BY_DEVICE)
		EXPECT_EQ(tot.host_handled, tot.irqfd_signals)
			TH_LOG("host handler ran %llu times, irqfd signalled %llu",
			       (unsigned long long)tot.host_handled,
			       (unsigned long long)tot.irqfd_signals);
	TH_LOG("%s: %u interrupts checked three ways (%u NMIs, %u routes recreated, %u affinity moves): %u remapped, %u posted, %u direct; host handled %llu, irqfd signalled %llu, KVM injected %llu (%llu IRQs afresh, %llu NMIs accepted), guest received %llu; slowest send %llu ms",
	       rig_path_name(path), tot.checked, tot.nmis, tot.route_churns, tot.affinity_moves,
	       tot.remapped, tot.posted, tot.direct, (unsigned long long)tot.host_handled,
	       (unsigned long long)tot.irqfd_signals, (unsigned long long)self->kvm_injected,
	       (unsigned long long)self->dups.fresh_irqs,
	       (unsigned long long)self->dups.accepted_nmis, (unsigned long long)tot.received,
	       (unsigned long long)(tot.slowest_ns / 1000000));
	if (self->irte_view_absent)
		TH_LOG("not available here: view 4, the IOMMU's IRTEs (needs VT-d, INTEL_IOMMU_DEBUGFS and GENERIC_IRQ_DEBUGFS)");
	else
		TH_LOG("view 4: %u IOMMU table entries matched irqlens.ko's mode",
		       self->irtes_checked);
	if (!self->can_post)
		TH_LOG("not exercised here: posted delivery (%s)", self->no_post_why);
	if (!flag_affinity || !flag_churn || !flag_nmi)
		TH_LOG("not exercised here: %s%s%s(IRQLENS_BYPASS_FLAGS)",
		       flag_affinity ? "" : "host IRQ affinity moves ",
		       flag_churn ? "" : "route churn ", flag_nmi ? "" : "NMI mixing ");
	TH_LOG("%s", emulator_dups_describe(&self->dups, why, sizeof(why)));
}

TEST_F_TIMEOUT(bypass, by_eventfd, TEST_TIMEOUT_S)
{
	run(_metadata, self, RIG_BY_EVENTFD);
}

TEST_F_TIMEOUT(bypass, by_vfio_trigger, TEST_TIMEOUT_S)
{
	run(_metadata, self, RIG_BY_VFIO_TRIGGER);
}

TEST_F_TIMEOUT(bypass, by_device, TEST_TIMEOUT_S)
{
	run(_metadata, self, RIG_BY_DEVICE);
}

/*
 * The pairing as irqlens.ko sees it matches what was set up: one link per
 * vector, holding both the producer (host IRQ, device) and the irqfd
 * (this process, the vector's GSI); connected and in the mode the setup
 * route asks for (fixed, one vCPU: posted where the host can post, else
 * remapped) and, when not bypassed, for the reason the harness works out
 * from the kernel's own files. Passes or fails wherever it runs.
 */
TEST_F_TIMEOUT(bypass, links_match_setup, TEST_TIMEOUT_S)
{
	uint32_t want_reason, want_mode;
	struct irqlens_bypass_link l;
	unsigned int v;

	want_reason = self->post_cap == POST_CAP_YES ? IRQLENS_REASON_BYPASSED :
		      self->post_cap == POST_CAP_NO_IOMMU ? IRQLENS_REASON_NO_POSTING_CAP :
		      IRQLENS_REASON_NO_CONSUMER;
	for (v = 0; v < self->rig.nr_vectors; v++) {
		want_mode = expected_mode(self, v);
		l = observe(_metadata, self, v);
		EXPECT_EQ(IRQLENS_LINK_PRODUCER | IRQLENS_LINK_IRQFD,
			  l.flags & (IRQLENS_LINK_PRODUCER | IRQLENS_LINK_IRQFD))
			TH_LOG("vector %u: link flags 0x%x", v, l.flags);
		EXPECT_EQ(self->can_post, !!(l.flags & IRQLENS_LINK_CONNECTED))
			TH_LOG("vector %u: link flags 0x%x, the host %s post", v, l.flags,
			       self->can_post ? "can" : "cannot");
		EXPECT_EQ(self->dev_id, l.dev) TH_LOG("vector %u: device 0x%x", v, l.dev);
		EXPECT_EQ(self->rig.gsi[v], l.gsi);
		EXPECT_EQ((uint32_t)getpid(), l.pid);
		EXPECT_EQ(want_mode, l.mode)
			TH_LOG("vector %u: the setup asks for %s (%sremapped by the host, %s), irqlens says %s",
			       v, irqlens_mode_name(want_mode), self->rig.remapped[v] ? "" : "not ",
			       self->can_post ? "the host can post" : self->no_post_why,
			       irqlens_mode_name(l.mode));
		if (want_mode == IRQLENS_MODE_POSTED) {
			EXPECT_EQ(self->rig.route[v].apic_id, l.posted_vcpu);
			EXPECT_EQ(self->rig.route[v].vector, l.posted_vector);
		}
		EXPECT_EQ(self->rig.remapped[v], l.remap != IRQLENS_IOMMU_NONE);
		EXPECT_EQ(want_reason, l.reason)
			TH_LOG("vector %u: irqlens says '%s', the harness expects '%s' (%s)", v,
			       irqlens_reason_text(l.reason), irqlens_reason_text(want_reason),
			       self->can_post ? "the host can post" : self->no_post_why);
		EXPECT_EQ(0, l.last_error);
	}
}

/*
 * The posted path (fixed route -> posted IRTE, host handler not run; NMI
 * route -> remapped and back, each switch a transition) needs posting
 * hardware; by_device checks it per send there. Where the host cannot
 * post, the fixture's setup SKIPs it, before checking anything, with the
 * reason.
 */
TEST_F_TIMEOUT(bypass, posted_delivery, TEST_TIMEOUT_S)
{
	struct irqlens_bypass_link l;
	struct kvm_msi_target t = { .apic_id = 1, .vector = 0x77 };
	uint64_t transitions;

	ASSERT_TRUE(self->can_post);
	l = observe(_metadata, self, 0);
	transitions = l.transitions;
	set_route(_metadata, self, 0, &t, false);
	EXPECT_EQ(IRQLENS_MODE_POSTED, observe(_metadata, self, 0).mode);
	t.delivery_mode = APIC_DM_NMI;
	set_route(_metadata, self, 0, &t, false);
	EXPECT_EQ(IRQLENS_MODE_REMAPPED, observe(_metadata, self, 0).mode);
	t.delivery_mode = APIC_DM_FIXED;
	set_route(_metadata, self, 0, &t, false);
	l = observe(_metadata, self, 0);
	EXPECT_EQ(IRQLENS_MODE_POSTED, l.mode);
	EXPECT_EQ(1, l.posted_vcpu);
	EXPECT_EQ(0x77, l.posted_vector);
	EXPECT_LE(transitions + 2, l.transitions);
}

int main(int argc, char **argv)
{
	const char *n = getenv("IRQLENS_BYPASS_SENDS");

	if (n)
		nr_sends = atoi(n);
	if (nr_sends <= 0) {
		fprintf(stderr, "IRQLENS_BYPASS_SENDS='%s' is not a positive number\n", n);
		return KSFT_FAIL;
	}
	n = getenv("IRQLENS_BYPASS_FLAGS");
	if (n) {
		if (n[strspn(n, "acn")]) {
			fprintf(stderr, "IRQLENS_BYPASS_FLAGS='%s': use letters of \"acn\"\n", n);
			return KSFT_FAIL;
		}
		flag_affinity = strchr(n, 'a');
		flag_churn = strchr(n, 'c');
		flag_nmi = strchr(n, 'n');
	}
	dev_bdf = pci_bdf_from_args(&argc, argv, NULL);
	return test_harness_run(argc, argv);
}

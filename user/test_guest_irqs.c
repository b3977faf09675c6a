// SPDX-License-Identifier: GPL-2.0
/*
 * Harness library test: a 64-bit guest on several vCPUs receives fixed
 * vectors and NMIs sent by KVM_SIGNAL_MSI, through an irqfd, and by
 * KVM_INTERRUPT / KVM_NMI, in each irqchip mode (full, split, userspace),
 * in xAPIC and x2APIC mode, spinning and halted. Every send must arrive
 * exactly once, with its vector, on the vCPU it was sent to, and nowhere
 * else; KVM's own vCPU statistics must have seen the injections. A path
 * an irqchip mode does not offer must be refused by KVM. In the test bed
 * an extra count is taken as the emulator's only where KVM's tracepoints
 * prove it (emulator_dups.h), and counted in the output.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "lib/harness.h"
#include "lib/clock.h"
#include "lib/emulator_dups.h"
#include "lib/guest.h"
#include "lib/irqlens_view.h"
#include "lib/kvm_guest.h"
#include "lib/kvm_irq.h"
#include "lib/kvm_stats.h"
#include "lib/vcpu_thread.h"

#define NR_VCPUS	2
#define NR_SENDS	64	/* per test, spread over the vCPUs */
/*
 * Generous, as test_vfio_bypass's: the bed's nested guest makes progress
 * only while the host runs QEMU, and a loaded host (other QEMUs beside
 * it) stalled deliveries past 2 s with nothing wrong. run_sends() prints
 * the slowest send, so a slowdown shows long before it fails.
 */
#define DELIVERY_MS	10000
#define READY_MS	20000
#define TEST_GSI	30
/* Per test; nested KVM on a KASAN kernel under TCG is slow. */
#define TEST_TIMEOUT_S	180

/* Guest entry: bring up the APIC, then wait (arg: halt instead of spin). */
static void guest_main(uint64_t halt)
{
	guest_wait_for_interrupts(halt);
}

FIXTURE(guest_irqs) {
	struct kvm_vm vm;
	struct vcpu_thread vcpu[NR_VCPUS];
	struct guest_irq_counts *counts;	/* the guest's copy */
	uint64_t expected[NR_VCPUS][256];
	uint64_t seen[NR_VCPUS][256];	/* the guest's counts, read once */
	uint64_t slowest_ns;		/* longest send-to-received time */
	/* Opened before the vCPUs run: KVM_GET_STATS_FD waits for KVM_RUN. */
	struct kvm_stats stats[NR_VCPUS];
	int eventfd;
	enum kvm_irqchip_mode irqchip;
	struct emulator_dups dups;	/* started by the tests that send */
};

FIXTURE_VARIANT(guest_irqs) {
	enum kvm_irqchip_mode irqchip;
	bool x2apic;
	bool halt;
};

#define GUEST_IRQS_VARIANT(chip, apic, wait)				\
	FIXTURE_VARIANT_ADD(guest_irqs, chip##_##apic##_##wait) {	\
		.irqchip = KVM_IRQCHIP_##chip,				\
		.x2apic = !strcmp(#apic, "x2apic"),			\
		.halt = !strcmp(#wait, "halt"),				\
	}

GUEST_IRQS_VARIANT(FULL, xapic, spin);
GUEST_IRQS_VARIANT(FULL, xapic, halt);
GUEST_IRQS_VARIANT(FULL, x2apic, spin);
GUEST_IRQS_VARIANT(FULL, x2apic, halt);
GUEST_IRQS_VARIANT(SPLIT, xapic, spin);
GUEST_IRQS_VARIANT(SPLIT, xapic, halt);
GUEST_IRQS_VARIANT(SPLIT, x2apic, spin);
GUEST_IRQS_VARIANT(SPLIT, x2apic, halt);
GUEST_IRQS_VARIANT(USERSPACE, noapic, spin);
GUEST_IRQS_VARIANT(USERSPACE, noapic, halt);

FIXTURE_SETUP(guest_irqs)
{
	unsigned int i, id;
	int ret;

	self->eventfd = -1;
	self->dups.trace.pipe_fd = -1;
	self->irqchip = variant->irqchip;
	memset(self->stats, 0, sizeof(self->stats));
	for (i = 0; i < NR_VCPUS; i++)
		self->stats[i].fd = -1;
	ret = __kvm_vm_create(&self->vm, KVM_GUEST_MEM_SIZE);
	if (ret == -ENOENT)
		SKIP(return, "no /dev/kvm: load kvm_amd or kvm_intel");
	ASSERT_EQ(0, ret) TH_LOG("creating a VM: %s", strerror(-ret));
	ret = __kvm_irqchip_create(&self->vm, variant->irqchip);
	ASSERT_EQ(0, ret) TH_LOG("%s irqchip: %s", kvm_irqchip_mode_name(variant->irqchip),
				 strerror(-ret));
	ret = __kvm_guest_prepare(&self->vm);
	ASSERT_EQ(0, ret) TH_LOG("preparing guest memory: %s", strerror(-ret));
	*guest_shared_ptr(&self->vm, guest_use_x2apic) = variant->x2apic;
	*guest_shared_ptr(&self->vm, guest_no_apic) = variant->irqchip == KVM_IRQCHIP_USERSPACE;
	self->counts = guest_shared_ptr(&self->vm, guest_irq_counts[0]);

	for (i = 0; i < NR_VCPUS; i++) {
		ASSERT_EQ(0, __kvm_vm_add_vcpu(&self->vm, &id));
		ret = __kvm_vcpu_setup_long_mode(&self->vm, id, guest_main, variant->halt);
		ASSERT_EQ(0, ret) TH_LOG("vCPU %u long mode: %s", id, strerror(-ret));
		ret = __kvm_stats_open(&self->stats[id], self->vm.vcpu[id].fd);
		ASSERT_EQ(0, ret) TH_LOG("vCPU %u KVM_GET_STATS_FD: %s", id, strerror(-ret));
	}
	for (i = 0; i < NR_VCPUS; i++)
		ASSERT_EQ(0, __vcpu_thread_start(&self->vcpu[i], &self->vm, i));
	for (i = 0; i < NR_VCPUS; i++) {
		ret = vcpu_thread_wait_ready(&self->vcpu[i], READY_MS);
		ASSERT_EQ(0, ret) TH_LOG("vCPU %u not ready: %s (exit reason %u, guest line %u)",
					 i, vcpu_thread_not_ready_why(&self->vcpu[i], ret),
					 self->vcpu[i].exit_reason,
					 *guest_shared_ptr(&self->vm, guest_abort_line));
	}
	self->eventfd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, self->eventfd);
}

FIXTURE_TEARDOWN(guest_irqs)
{
	unsigned int i;

	for (i = 0; i < NR_VCPUS; i++) {
		vcpu_thread_stop(&self->vcpu[i]);
		kvm_stats_close(&self->stats[i]);
	}
	if (self->eventfd >= 0)
		close(self->eventfd);
	emulator_dups_stop(&self->dups);
	kvm_vm_destroy(&self->vm);
}

enum send_path { SEND_SIGNAL_MSI, SEND_IRQFD, SEND_KVM_INTERRUPT };

/*
 * The guest's counts are copied once into seen[], which every check and
 * message of a send reads: a count read again could differ from the one
 * that decided.
 */
static void snapshot_counts(FIXTURE_DATA(guest_irqs) *self)
{
	unsigned int c, v;

	for (c = 0; c < NR_VCPUS; c++)
		for (v = 0; v < 256; v++)
			self->seen[c][v] = __atomic_load_n(&self->counts[c].vector[v],
							   __ATOMIC_RELAXED);
}

/* First (vCPU, vector) whose received count (snapshot) is not what was sent. */
static bool counts_differ(FIXTURE_DATA(guest_irqs) *self, unsigned int *vcpu,
			  unsigned int *vector)
{
	unsigned int c, v;

	for (c = 0; c < NR_VCPUS; c++) {
		for (v = 0; v < 256; v++) {
			if (self->seen[c][v] != self->expected[c][v]) {
				*vcpu = c;
				*vector = v;
				return true;
			}
		}
	}
	return false;
}

/* Close the current window of KVM's injections into @w (emulator_dups.h). */
static void kvm_window_take(struct __test_metadata *_metadata,
			    FIXTURE_DATA(guest_irqs) *self, struct kvm_injection_counts *w)
{
	int ret = __emulator_dups_window(&self->dups, w);

	ASSERT_EQ(0, ret) TH_LOG("reading KVM's injection tracepoints: %s", strerror(-ret));
}

/*
 * Send one interrupt to @t by @path and check that exactly it arrived:
 * the count of (vCPU, vector) went up by one and nothing else changed,
 * beyond what is proven the emulator's.
 */
static void send_and_check(struct __test_metadata *_metadata,
			   FIXTURE_DATA(guest_irqs) *self, enum send_path path,
			   const struct kvm_msi_target *t)
{
	uint8_t vector = t->delivery_mode == APIC_DM_NMI ? GUEST_NMI_VECTOR : t->vector;
	struct timespec ts = { 0, 100 * 1000 };
	uint64_t *count = &self->counts[t->apic_id].vector[vector];
	struct dup_send sent = {
		.vcpu = t->apic_id, .vector = vector,
		.nmi = t->delivery_mode == APIC_DM_NMI,
	};
	uint64_t one = 1, got = 0, start, took;
	struct kvm_injection_counts w = { 0 };
	unsigned int c = 0, v = 0;
	/* Sends KVM's tracepoints do not show as new: emulator_dups_accepted_by_ioctl(). */
	bool by_ioctl = path == SEND_KVM_INTERRUPT &&
			(sent.nmi || self->irqchip == KVM_IRQCHIP_USERSPACE);
	char why[256];
	bool expired;
	int ret, state;

	self->expected[t->apic_id][vector]++;
	start = monotonic_ns();
	if (path == SEND_SIGNAL_MSI) {
		ret = __kvm_signal_msi(&self->vm, t);
		if (ret == -EAGAIN) {
			/* Not delivered: say whether it was transient. */
			usleep(10 * 1000);
			ASSERT_EQ(0, ret)
				TH_LOG("KVM_SIGNAL_MSI %s vector %u to vCPU %u: no APIC accepted it (a retry 10 ms later: %d)",
				       t->delivery_mode == APIC_DM_NMI ? "NMI" : "fixed",
				       vector, t->apic_id, __kvm_signal_msi(&self->vm, t));
		}
		ASSERT_EQ(0, ret) TH_LOG("KVM_SIGNAL_MSI: %s", strerror(-ret));
	} else if (path == SEND_KVM_INTERRUPT) {
		struct vcpu_thread *vt = &self->vcpu[t->apic_id];

		ret = vcpu_thread_inject(vt, t->delivery_mode == APIC_DM_NMI ?
					 VCPU_INJECT_NMI : t->vector);
		ASSERT_EQ(0, ret) TH_LOG("vCPU %u: an injection is still queued", t->apic_id);
	} else {
		ret = __kvm_route_msi(&self->vm, TEST_GSI, t);
		ASSERT_EQ(0, ret) TH_LOG("routing GSI %d: %s", TEST_GSI, strerror(-ret));
		ASSERT_EQ(sizeof(one), write(self->eventfd, &one, sizeof(one)));
	}
	/*
	 * The count is read after the clock: a host stall between the two
	 * cannot fail a send that arrived during it. The window also waits
	 * for KVM's own injection of this send (emulator_dups_kvm_took()).
	 */
	for (;;) {
		expired = monotonic_ns() - start >= DELIVERY_MS * 1000000ULL;
		got = __atomic_load_n(count, __ATOMIC_RELAXED);
		if ((got >= self->expected[t->apic_id][vector] &&
		     (by_ioctl || emulator_dups_kvm_took(&self->dups, &w, &sent))) || expired)
			break;
		nanosleep(&ts, NULL);
	}
	took = monotonic_ns() - start;
	if (took > self->slowest_ns)
		self->slowest_ns = took;
	/* One too many is reported by counts_differ(), with the counts. */
	state = vcpu_thread_state(&self->vcpu[t->apic_id]);
	ASSERT_LE(self->expected[t->apic_id][vector], got)
		TH_LOG("%s vector %u to vCPU %u: not delivered within %d ms (vCPU %s: error %d, exit reason %u, guest line %u; injection error %d)",
		       sent.nmi ? "NMI" : "fixed", vector, t->apic_id, DELIVERY_MS,
		       vcpu_thread_state_name(state),
		       state == VCPU_FAILED ? self->vcpu[t->apic_id].error : 0,
		       state == VCPU_FAILED ? self->vcpu[t->apic_id].exit_reason : 0,
		       *guest_shared_ptr(&self->vm, guest_abort_line),
		       vcpu_thread_inject_error(&self->vcpu[t->apic_id]));
	snapshot_counts(self);
	kvm_window_take(_metadata, self, &w);
	if (by_ioctl)
		emulator_dups_accepted_by_ioctl(&self->dups, &w, &sent);
	ASSERT_TRUE(emulator_dups_absorb(&self->dups, self->seen, self->expected, &sent, &w,
					 why, sizeof(why)))
		TH_LOG("%s", why);
	ASSERT_FALSE(counts_differ(self, &c, &v))
		TH_LOG("vCPU %u vector %u: %lu received, %lu sent", c, v,
		       (unsigned long)self->seen[c][v],
		       (unsigned long)self->expected[c][v]);
}

/* Sum of vCPU statistic @name over the vCPUs. */
static uint64_t vcpu_stat_sum(struct __test_metadata *_metadata,
			      FIXTURE_DATA(guest_irqs) *self, const char *name)
{
	uint64_t sum = 0, val;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < NR_VCPUS; i++) {
		ret = __kvm_stats_read(&self->stats[i], name, &val);
		if (ret)
			break;
		sum += val;
	}
	EXPECT_EQ(0, ret) TH_LOG("vCPU stat %s: %s", name, strerror(-ret));
	return sum;
}

static void run_sends(struct __test_metadata *_metadata,
		      FIXTURE_DATA(guest_irqs) *self, enum send_path path, bool mix_nmi)
{
	uint64_t irq_before, nmi_before, irq_after, nmi_after;
	struct kvm_injection_counts w = { 0 };
	unsigned int nr_nmi = 0, c, v;
	struct kvm_msi_target t;
	char why[256];
	int i, ret;

	/*
	 * Only tests that send enable KVM's tracepoints: turning them on
	 * patches live kernel text, which multi-threaded TCG races on
	 * (testbed.rst), so the bed runs this program single-threaded.
	 */
	emulator_dups_init(&self->dups, NR_VCPUS);
	ret = __emulator_dups_begin(&self->dups);
	ASSERT_EQ(0, ret) TH_LOG("reading KVM's injection tracepoints: %s", strerror(-ret));
	irq_before = vcpu_stat_sum(_metadata, self, "irq_injections");
	nmi_before = vcpu_stat_sum(_metadata, self, "nmi_injections");
	srand(time(NULL));
	for (i = 0; i < NR_SENDS; i++) {
		t.apic_id = i % NR_VCPUS;
		t.vector = kvm_random_vector();
		/* As the seed's irq_test -n: 4 NMIs, then 4 fixed, and so on. */
		t.delivery_mode = mix_nmi && (i & 4) ? APIC_DM_NMI : APIC_DM_FIXED;
		nr_nmi += t.delivery_mode == APIC_DM_NMI;
		send_and_check(_metadata, self, path, &t);
	}
	/* Nothing may trail in after the last send but what is proven the emulator's. */
	usleep(50 * 1000);
	snapshot_counts(self);
	kvm_window_take(_metadata, self, &w);
	EXPECT_TRUE(emulator_dups_absorb(&self->dups, self->seen, self->expected, NULL, &w,
					 why, sizeof(why)))
		TH_LOG("after the last send: %s", why);
	EXPECT_FALSE(counts_differ(self, &c, &v))
		TH_LOG("after the last send: vCPU %u vector %u: %lu received, %lu sent", c, v,
		       (unsigned long)self->seen[c][v], (unsigned long)self->expected[c][v]);
	/* KVM's own count of the whole test: one per interrupt sent. */
	if (self->dups.allowed) {
		EXPECT_EQ(NR_SENDS - nr_nmi, self->dups.fresh_irqs)
			TH_LOG("KVM injected %llu IRQs afresh for %u sent (%llu of all sends counted from the ioctl)",
			       (unsigned long long)self->dups.fresh_irqs, NR_SENDS - nr_nmi,
			       (unsigned long long)self->dups.accepted_by_ioctl);
		EXPECT_EQ(nr_nmi, self->dups.accepted_nmis)
			TH_LOG("KVM accepted %llu NMIs for %u sent (%llu of all sends counted from the ioctl)",
			       (unsigned long long)self->dups.accepted_nmis, nr_nmi,
			       (unsigned long long)self->dups.accepted_by_ioctl);
	}
	for (i = 0; i < NR_VCPUS; i++)
		EXPECT_EQ(0, __atomic_load_n(&self->counts[i].spurious, __ATOMIC_RELAXED));
	irq_after = vcpu_stat_sum(_metadata, self, "irq_injections");
	nmi_after = vcpu_stat_sum(_metadata, self, "nmi_injections");
	/*
	 * KVM's view: every send was injected at least once (an injection
	 * cut short by a VM exit is injected again, so not "exactly").
	 */
	EXPECT_LE(nr_nmi, nmi_after - nmi_before);
	if (kvm_apic_virtualization_on())
		TH_LOG("irq_injections not checked: APICv/AVIC delivers without injecting");
	else
		EXPECT_LE(NR_SENDS - nr_nmi, irq_after - irq_before);
	TH_LOG("%d interrupts sent (%u NMIs), each received where sent (+%llu emulator duplicates); KVM injected %lu IRQs, %lu NMIs (irq_/nmi_injections); slowest send %llu ms",
	       NR_SENDS, nr_nmi, (unsigned long long)self->dups.absorbed,
	       (unsigned long)(irq_after - irq_before),
	       (unsigned long)(nmi_after - nmi_before),
	       (unsigned long long)(self->slowest_ns / 1000000));
	TH_LOG("%s", emulator_dups_describe(&self->dups, why, sizeof(why)));
}

/* Without a kernel irqchip KVM has no APIC to send an MSI to. */
static bool refused_without_irqchip(struct __test_metadata *_metadata,
				    FIXTURE_DATA(guest_irqs) *self,
				    const FIXTURE_VARIANT(guest_irqs) *variant)
{
	struct kvm_msi_target t = { .apic_id = 0, .vector = 0x40 };

	if (variant->irqchip != KVM_IRQCHIP_USERSPACE)
		return false;
	EXPECT_EQ(-EINVAL, __kvm_signal_msi(&self->vm, &t));
	EXPECT_EQ(-EINVAL, __kvm_irqfd_assign(&self->vm, self->eventfd, TEST_GSI));
	TH_LOG("userspace irqchip: KVM refuses KVM_SIGNAL_MSI and KVM_IRQFD, as it must");
	return true;
}

TEST_F_TIMEOUT(guest_irqs, signal_msi_fixed, TEST_TIMEOUT_S)
{
	if (!refused_without_irqchip(_metadata, self, variant))
		run_sends(_metadata, self, SEND_SIGNAL_MSI, false);
}

TEST_F_TIMEOUT(guest_irqs, signal_msi_fixed_and_nmi, TEST_TIMEOUT_S)
{
	if (!refused_without_irqchip(_metadata, self, variant))
		run_sends(_metadata, self, SEND_SIGNAL_MSI, true);
}

TEST_F_TIMEOUT(guest_irqs, irqfd_fixed_and_nmi, TEST_TIMEOUT_S)
{
	int ret;

	if (refused_without_irqchip(_metadata, self, variant))
		return;
	ret = __kvm_irqfd_assign(&self->vm, self->eventfd, TEST_GSI);
	ASSERT_EQ(0, ret) TH_LOG("KVM_IRQFD: %s", strerror(-ret));
	run_sends(_metadata, self, SEND_IRQFD, true);
	EXPECT_EQ(0, __kvm_irqfd_deassign(&self->vm, self->eventfd, TEST_GSI));
}

/*
 * KVM_INTERRUPT (external, PIC-style interrupts) and KVM_NMI, injected by
 * each vCPU's thread at the guest's interrupt window. With a kernel PIC
 * (full irqchip) KVM must refuse KVM_INTERRUPT.
 */
TEST_F_TIMEOUT(guest_irqs, kvm_interrupt_fixed_and_nmi, TEST_TIMEOUT_S)
{
	unsigned int i;

	if (variant->irqchip == KVM_IRQCHIP_FULL) {
		/* A vCPU ioctl: out of KVM_RUN first. */
		for (i = 0; i < NR_VCPUS; i++)
			vcpu_thread_stop(&self->vcpu[i]);
		EXPECT_EQ(-ENXIO, __kvm_interrupt(&self->vm, 0, 0x40));
		TH_LOG("full irqchip: KVM refuses KVM_INTERRUPT (the PIC is in the kernel), as it must");
		return;
	}
	run_sends(_metadata, self, SEND_KVM_INTERRUPT, true);
}

TEST_HARNESS_MAIN

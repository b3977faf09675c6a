// SPDX-License-Identifier: GPL-2.0
/*
 * The userspace interrupt window: KVM_INTERRUPT and
 * request_interrupt_window under a split and a userspace irqchip, and
 * the refusals with the PIC in the kernel, judged by the model of KVM's
 * predicates (module/irqwin_model.h, Documentation/irq-window.rst):
 *
 *  - after every KVM_RUN, KVM's ready_for_interrupt_injection and any
 *    KVM_EXIT_IRQ_WINDOW_OPEN must be what the model says for the state
 *    read back from KVM (the differential check);
 *  - the model's table is walked on the running kernel: each state set
 *    through KVM's own ioctls, then KVM_RUN with immediate_exit, which
 *    returns -EINTR at once and still reports readiness;
 *  - a guest that opens its window with STI (never inside its shadow)
 *    or POPF receives each ExtINT exactly once, in order; the MOV SS
 *    shadow is a row of the table (where it lands in a running guest
 *    differs between Intel, AMD and QEMU);
 *  - the case of 71cc849b7093: a LAPIC interrupt pending while userspace
 *    asks for a window leaves the vCPU ready;
 *  - KVM_INTERRUPT refuses a second queued ExtINT (EEXIST) and any with
 *    the PIC in the kernel (ENXIO);
 *  - irqlens.ko's window record of the vCPU agrees with what the test did
 *    (every KVM_RUN, every KVM_EXIT_IRQ_WINDOW_OPEN) and with KVM's own
 *    statistics (irq_window_exits, request_irq_exits, irq_injections);
 *  - its livelock detector flags a vCPU that takes window exits without
 *    an injection while KVM_RUN is still running, and the test then
 *    stops that vCPU with a signal, as a person would.
 *
 * IRQLENS_IRQWIN_MODEL (test only) judges by another model instead of
 * the running kernel's: a version ("pre-71cc849b", "71cc849b") or
 * "split-always-ready". The suite must then fail and name the row.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "lib/harness.h"
#include "lib/guest.h"
#include "lib/irqlens_view.h"
#include "lib/irqwin_vcpu.h"
#include "lib/kvm_guest.h"
#include "lib/kvm_irq.h"
#include "lib/kvm_stats.h"
#include "lib/sysfs_util.h"

/* ExtINT rounds of window_opens_after_shadow. */
#define WINDOW_ROUNDS		64
#define FIRST_EXTINT_VECTOR	0x40
#define PROBE_LAPIC_VECTOR	0x70
/* Class 8: masked while the guest's TPR class is 14. */
#define MASKED_VECTOR		0x80
#define MASKING_TPR		14
/* Several vCPUs at once, each with a LAPIC timer stream: how many, how long. */
#define MULTI_VCPUS		4
#define MULTI_ROUNDS		16
#define TIMER_VECTOR		0xec
#define TIMER_COUNT		1000000	/* 1 ms at KVM's 1 GHz APIC bus */
/* The detector's threshold in the livelock test, and how long to wait. */
#define LIVELOCK_THRESHOLD	200
#define LIVELOCK_WAIT_MS	20000
/* A table row whose KVM verdict differs is printed; a few are enough. */
#define ROWS_SHOWN		5

/* Port values of guest_sync() beyond enum guest_sync. */
#define SYNC_IF0		0x10	/* interrupts are off here */
#define SYNC_IF1		0x11	/* interrupts are on here */

enum guest_scenario {
	SCENARIO_WINDOW = 1,	/* rounds of cli, two syncs, sti, wait for an ExtINT */
	SCENARIO_IF1_STOP,	/* sti, one sync, wait for guest_stop */
	SCENARIO_MASKED_WINDOWS, /* window exits that inject nothing, until stopped */
	SCENARIO_TIMER_WINDOWS,	/* rounds of cli, a sync, sti, with a LAPIC timer stream */
};

static volatile uint32_t guest_scenario;

/* Interrupts the guest took, every vector but NMI and spurious. */
static uint64_t guest_taken(void)
{
	uint32_t id = guest_vcpu_id();
	uint64_t sum = 0;
	unsigned int v;

	for (v = 32; v < 255; v++)
		sum += __atomic_load_n(&guest_irq_counts[id].vector[v], __ATOMIC_RELAXED);
	return sum;
}

static void guest_wait_taken(uint64_t before)
{
	while (guest_taken() == before)
		asm volatile("pause" ::: "memory");
}

/*
 * Interrupts on, two ways: STI (its shadow keeps the window shut until
 * the instruction after it has run: guest_sti_shadowed must never be
 * where the window opens) and POPF (no shadow). Not inlined: one copy of
 * each label.
 */
extern char guest_sti_shadowed[];

static void __attribute__((noinline)) guest_sti(void)
{
	asm volatile("sti\n"
		     ".globl guest_sti_shadowed\n"
		     "guest_sti_shadowed:\n\t"
		     "nop" ::: "memory");
}

static void __attribute__((noinline)) guest_popf_if(void)
{
	asm volatile("pushq $0x202\n\t"
		     "popfq" ::: "memory", "cc");
}

static void guest_main(uint64_t unused)
{
	struct guest_irq_counts *counts;
	uint64_t before;
	unsigned int i;

	guest_apic_enable();
	switch (guest_scenario) {
	case SCENARIO_WINDOW:
		for (i = 0; i < WINDOW_ROUNDS; i++) {
			before = guest_taken();
			asm volatile("cli" ::: "memory");
			guest_sync(SYNC_IF0);
			guest_sync(SYNC_IF0);
			if (i & 1)
				guest_popf_if();
			else
				guest_sti();
			guest_wait_taken(before);
		}
		break;
	case SCENARIO_IF1_STOP:
		asm volatile("sti; nop" ::: "memory");
		guest_sync(SYNC_IF1);
		while (!guest_stop)
			asm volatile("pause" ::: "memory");
		break;
	case SCENARIO_TIMER_WINDOWS:
		/*
		 * The window rounds on every vCPU at once, while the LAPIC
		 * timer keeps interrupting: KVM arms windows of its own for
		 * the timer between the ones userspace asks for. Each round
		 * waits for its own ExtINT, not just any interrupt.
		 */
		counts = &guest_irq_counts[guest_vcpu_id()];
		guest_apic_timer_periodic(TIMER_VECTOR, TIMER_COUNT);
		for (i = 0; i < MULTI_ROUNDS; i++) {
			asm volatile("cli" ::: "memory");
			guest_sync(SYNC_IF0);
			if (i & 1)
				guest_popf_if();
			else
				guest_sti();
			while (!__atomic_load_n(&counts->vector[FIRST_EXTINT_VECTOR + i],
						__ATOMIC_RELAXED))
				asm volatile("pause" ::: "memory");
		}
		guest_apic_timer_periodic(TIMER_VECTOR, 0);
		break;
	case SCENARIO_MASKED_WINDOWS:
		/*
		 * A LAPIC interrupt stays pending, masked by the TPR. Each
		 * round lowers the TPR with interrupts off (KVM, seeing it
		 * deliverable, arms a window), raises it again, then STI:
		 * the window exit finds nothing deliverable, so KVM injects
		 * nothing and the guest goes on. Window exits without an
		 * injection, in one KVM_RUN, for as long as the host lets it
		 * run. Through the LAPIC's TPR register, not CR8: a CR8
		 * write in a nested guest aborts QEMU 7.2's TCG (its
		 * tcg_handle_interrupt asserts the iothread lock).
		 */
		asm volatile("cli" ::: "memory");
		guest_self_ipi(MASKED_VECTOR);
		while (!guest_stop) {
			asm volatile("cli" ::: "memory");
			guest_apic_set_tpr(0);
			guest_apic_set_tpr(MASKING_TPR << 4);
			guest_sti();
		}
		asm volatile("cli" ::: "memory");
		break;
	default:
		guest_abort(__LINE__);
	}
	guest_sync(GUEST_SYNC_DONE);
}

/* Everything a test of any of the three fixtures shares. */
struct irqwin_ctx {
	struct kvm_vm vm;
	enum kvm_irqchip_mode mode;
	unsigned int irqchip;		/* the model's name for mode */
	unsigned int model;		/* enum irqwin_version judging */
	bool split_always_ready;	/* the test-only wrong model */
	const char *model_name;
	bool apicv;
	bool x2apic;
	bool extint_queued;		/* a KVM_INTERRUPT vector KVM has not taken */
	uint8_t queued_vector;
	bool returned;			/* the last KVM_RUN returned to userspace (0) */
	unsigned long long runs_checked, disagreements;
	/* What the test did, for irqlens.ko's record to agree with. */
	unsigned long long kvm_runs, window_opens;
};

static unsigned int model_irqchip(enum kvm_irqchip_mode mode)
{
	switch (mode) {
	case KVM_IRQCHIP_FULL:
		return IRQWIN_IRQCHIP_KERNEL;
	case KVM_IRQCHIP_SPLIT:
		return IRQWIN_IRQCHIP_SPLIT;
	default:
		return IRQWIN_IRQCHIP_NONE;
	}
}

/* IRQLENS_IRQWIN_MODEL: 0, or -EINVAL for a name no model has. */
static int pick_model(struct irqwin_ctx *c)
{
	const char *want = getenv("IRQLENS_IRQWIN_MODEL");
	unsigned int v;

	c->model = IRQWIN_CURRENT;
	c->model_name = irqwin_version_name(IRQWIN_CURRENT);
	if (!want || !*want)
		return 0;
	if (!strcmp(want, "split-always-ready")) {
		c->split_always_ready = true;
		c->model_name = want;
		return 0;
	}
	for (v = 0; v < IRQWIN_NR_VERSIONS; v++) {
		if (!strcmp(want, irqwin_version_name(v))) {
			c->model = v;
			c->model_name = want;
			return 0;
		}
	}
	return -EINVAL;
}

static void ctx_setup(struct __test_metadata *_metadata, struct irqwin_ctx *c,
		      enum kvm_irqchip_mode mode, bool x2apic)
{
	unsigned int id;
	int ret;

	memset(c, 0, sizeof(*c));
	c->vm.vm_fd = c->vm.kvm_fd = -1;
	c->mode = mode;
	c->x2apic = x2apic;
	c->irqchip = model_irqchip(mode);
	ret = __kvm_vm_create(&c->vm, KVM_GUEST_MEM_SIZE);
	if (ret == -ENOENT)
		SKIP(return, "no /dev/kvm: load kvm_amd or kvm_intel");
	ASSERT_EQ(0, ret) TH_LOG("creating a VM: %s", strerror(-ret));
	ASSERT_EQ(0, pick_model(c))
		TH_LOG("IRQLENS_IRQWIN_MODEL=%s: not pre-71cc849b, 71cc849b, fa7a549d or split-always-ready",
		       getenv("IRQLENS_IRQWIN_MODEL"));
	c->apicv = kvm_apic_virtualization_on();
	ret = __kvm_irqchip_create(&c->vm, mode);
	ASSERT_EQ(0, ret) TH_LOG("%s irqchip: %s", kvm_irqchip_mode_name(mode), strerror(-ret));
	ret = __irqwin_vm_enable(&c->vm);
	ASSERT_EQ(0, ret) TH_LOG("KVM_CAP_EXCEPTION_PAYLOAD: %s", strerror(-ret));
	ret = __kvm_guest_prepare(&c->vm);
	ASSERT_EQ(0, ret) TH_LOG("preparing guest memory: %s", strerror(-ret));
	*guest_shared_ptr(&c->vm, guest_use_x2apic) = x2apic;
	*guest_shared_ptr(&c->vm, guest_no_apic) = mode == KVM_IRQCHIP_USERSPACE;
	ASSERT_EQ(0, __kvm_vm_add_vcpu(&c->vm, &id));
	ret = __kvm_vcpu_setup_long_mode(&c->vm, id, guest_main, 0);
	ASSERT_EQ(0, ret) TH_LOG("vCPU %u long mode: %s", id, strerror(-ret));
}

static void ctx_teardown(struct irqwin_ctx *c)
{
	if (c->vm.vm_fd >= 0)
		kvm_vm_destroy(&c->vm);
}

static void judge(const struct irqwin_ctx *c, const struct irqwin_in *in, struct irqwin_out *out)
{
	irqwin_eval(c->model, in, out);
	if (c->split_always_ready && in->irqchip == IRQWIN_IRQCHIP_SPLIT) {
		out->ready = out->run_ready = true;
		out->exits_open = in->window_requested;
	}
}

/* The model's inputs for vCPU @id now: KVM's state, and what only the test knows. */
static int __read_vcpu_inputs(struct irqwin_ctx *c, unsigned int id, bool extint_queued,
			      struct irqwin_in *in)
{
	int ret = __irqwin_vcpu_read(&c->vm, id, c->irqchip, in);

	if (ret)
		return ret;
	in->window_requested = c->vm.vcpu[id].run->request_interrupt_window;
	in->extint_queued = extint_queued;
	in->apicv = c->apicv;
	return 0;
}

static void read_inputs(struct __test_metadata *_metadata, struct irqwin_ctx *c,
			struct irqwin_in *in)
{
	int ret = __read_vcpu_inputs(c, 0, c->extint_queued, in);

	ASSERT_EQ(0, ret) TH_LOG("reading vCPU state back: %s", strerror(-ret));
}

/*
 * Judge vCPU @id's last KVM_RUN (@returned: it returned 0) against the
 * model for inputs @in (read after it): false, with @why filled, when
 * they disagree. A window exit is judged one way only: KVM returns other
 * exits (port I/O) while the vCPU is ready, but never the window open
 * while it is not. vCPU threads call it at once: the counts are atomic.
 */
static bool vcpu_run_agrees(struct irqwin_ctx *c, unsigned int id, bool returned,
			    const struct irqwin_in *in, char *why, size_t why_len)
{
	struct kvm_run *run = c->vm.vcpu[id].run;
	struct irqwin_out want;
	char row[200];

	judge(c, in, &want);
	__atomic_add_fetch(&c->runs_checked, 1, __ATOMIC_RELAXED);
	irqwin_in_describe(in, row, sizeof(row));
	if (run->ready_for_interrupt_injection != want.run_ready) {
		snprintf(why, why_len,
			 "vCPU %u: KVM says ready_for_interrupt_injection=%u, the %s model %u, for %s",
			 id, run->ready_for_interrupt_injection, c->model_name, want.run_ready, row);
		return false;
	}
	/* After -EINTR, exit_reason is the previous run's. */
	if (returned && run->exit_reason == KVM_EXIT_IRQ_WINDOW_OPEN && !want.exits_open) {
		snprintf(why, why_len,
			 "vCPU %u: KVM returned KVM_EXIT_IRQ_WINDOW_OPEN, the %s model says it stays shut, for %s",
			 id, c->model_name, row);
		return false;
	}
	return true;
}

static bool run_agrees(struct irqwin_ctx *c, const struct irqwin_in *in, char *why,
		       size_t why_len)
{
	return vcpu_run_agrees(c, 0, c->returned, in, why, why_len);
}

static void check_run(struct __test_metadata *_metadata, struct irqwin_ctx *c, const char *step)
{
	struct irqwin_in in;
	char why[400];
	bool ok;

	read_inputs(_metadata, c, &in);
	ok = run_agrees(c, &in, why, sizeof(why));
	EXPECT_TRUE(ok) TH_LOG("%s: %s", step, why);
	__atomic_add_fetch(&c->disagreements, !ok, __ATOMIC_RELAXED);
}

/* KVM_RUN; the guest's sync value, or -EPROTO with *@exit, or -errno. */
static int run_vcpu(struct irqwin_ctx *c, uint32_t *exit)
{
	int ret;

	*exit = 0;
	ret = __kvm_guest_run(&c->vm, 0, exit);
	c->kvm_runs++;
	c->returned = ret >= 0 || ret == -EPROTO;
	c->window_opens += ret == -EPROTO && *exit == KVM_EXIT_IRQ_WINDOW_OPEN;
	return ret;
}

/* KVM_RUN with immediate_exit: -EINTR at once, readiness filled in. */
static int run_immediate_exit(struct irqwin_ctx *c)
{
	struct kvm_run *run = c->vm.vcpu[0].run;
	int ret;

	run->immediate_exit = 1;
	ret = ioctl(c->vm.vcpu[0].fd, KVM_RUN, 0) ? -errno : 0;
	run->immediate_exit = 0;
	c->kvm_runs++;
	c->returned = !ret;
	return ret;
}

/* The ledger of the queued ExtINT: KVM took it once the guest counts it. */
static void ledger_update(struct irqwin_ctx *c)
{
	if (c->extint_queued &&
	    guest_shared_ptr(&c->vm, guest_irq_counts[0])->vector[c->queued_vector])
		c->extint_queued = false;
}

static void queue_extint(struct __test_metadata *_metadata, struct irqwin_ctx *c,
			 uint8_t vector)
{
	int ret = __kvm_interrupt(&c->vm, 0, vector);

	ASSERT_EQ(0, ret) TH_LOG("KVM_INTERRUPT vector 0x%x: %s", vector, strerror(-ret));
	c->extint_queued = c->irqchip == IRQWIN_IRQCHIP_SPLIT;
	c->queued_vector = vector;
}

static void report(struct __test_metadata *_metadata, const struct irqwin_ctx *c)
{
	TH_LOG("%llu KVM_RUNs checked against the %s model (%s%s), %llu disagree",
	       c->runs_checked, c->model_name, irqwin_irqchip_name(c->irqchip),
	       c->apicv ? ", APICv/AVIC" : "", c->disagreements);
}

/*
 * Walk the model's table on the running kernel: every state the vCPU
 * can be put in for this irqchip (an ExtINT queued only under a split
 * irqchip, the LAPIC's inputs only with one in KVM), each judged by
 * KVM_RUN with immediate_exit. Rows with the ExtINT queued come last:
 * KVM keeps it (it only takes it on a real entry) and has no way to drop
 * it.
 */
static void walk_table(struct __test_metadata *_metadata, struct irqwin_ctx *c)
{
	static const uint8_t shadows[] = {
		0, KVM_X86_SHADOW_INT_STI, KVM_X86_SHADOW_INT_MOV_SS,
	};
	bool lapic = c->irqchip != IRQWIN_IRQCHIP_NONE;
	unsigned int nr_lvt0 = lapic ? IRQWIN_NR_LVT0 : 1, nr_irr = lapic ? IRQWIN_NR_IRR : 1;
	unsigned int queued, i, lvt0, irr, rows = 0, shown = 0;
	struct kvm_run *run = c->vm.vcpu[0].run;
	struct irqwin_setting set;
	struct irqwin_in in;
	char why[400], row[200];
	int ret;

	/* The guest never runs here: put its LAPIC in x2APIC mode from outside. */
	if (c->x2apic) {
		ret = __irqwin_vcpu_x2apic(&c->vm, 0);
		ASSERT_EQ(0, ret) TH_LOG("APIC_BASE to x2APIC mode: %s", strerror(-ret));
	}
	for (queued = 0; queued <= (c->irqchip == IRQWIN_IRQCHIP_SPLIT); queued++) {
		if (queued)
			queue_extint(_metadata, c, FIRST_EXTINT_VECTOR);
		/* i: four booleans, the shadow, LVT0 and the IRR, as digits. */
		for (i = 0; i < 16 * 3 * nr_lvt0 * nr_irr; i++) {
			lvt0 = i / (16 * 3) % nr_lvt0;
			irr = i / (16 * 3 * nr_lvt0);
			set = (struct irqwin_setting){
				.irq_injected = i & 1, .nmi_injected = i & 2,
				.exception_pending = i & 4, .if_flag = i & 8,
				.shadow = shadows[i / 16 % 3], .lvt0 = lvt0, .irr = irr,
			};
			ret = __irqwin_vcpu_set(&c->vm, 0, c->irqchip, &set);
			ASSERT_EQ(0, ret) TH_LOG("setting vCPU state: %s", strerror(-ret));
			/* Readiness does not depend on it; the rows ask, as a VMM would. */
			run->request_interrupt_window = 1;
			ret = run_immediate_exit(c);
			ASSERT_EQ(-EINTR, ret) TH_LOG("KVM_RUN with immediate_exit: %s", strerror(-ret));
			/* KVM must hold what was set, or the row tests nothing. */
			read_inputs(_metadata, c, &in);
			irqwin_in_describe(&in, row, sizeof(row));
			ASSERT_TRUE(in.interruptible == (set.if_flag && !set.shadow) &&
				    in.irq_injected == set.irq_injected &&
				    in.event_injected == set.nmi_injected &&
				    in.exception_pending == set.exception_pending &&
				    (!lapic || (in.lint0_extint == (lvt0 == IRQWIN_LVT0_EXTINT) &&
						in.lapic_irr == (irr == IRQWIN_IRR_ABOVE_PPR))))
				TH_LOG("KVM did not take the state set: reads back %s", row);
			rows++;
			if (!run_agrees(c, &in, why, sizeof(why))) {
				c->disagreements++;
				if (shown++ < ROWS_SHOWN)
					TH_LOG("row %u: %s", rows, why);
			}
		}
	}
	TH_LOG("%u states set through KVM's ioctls and judged by KVM_RUN with immediate_exit",
	       rows);
	report(_metadata, c);
	EXPECT_EQ(0, c->disagreements) TH_LOG("KVM and the %s model disagree in %llu rows",
					      c->model_name, c->disagreements);
}

/* The window scenarios: a split or a userspace irqchip. */
FIXTURE(irqwin) {
	struct irqwin_ctx c;
};

FIXTURE_VARIANT(irqwin) {
	enum kvm_irqchip_mode mode;
	bool x2apic;
};

FIXTURE_VARIANT_ADD(irqwin, SPLIT_xapic) { .mode = KVM_IRQCHIP_SPLIT };
FIXTURE_VARIANT_ADD(irqwin, SPLIT_x2apic) { .mode = KVM_IRQCHIP_SPLIT, .x2apic = true };
FIXTURE_VARIANT_ADD(irqwin, USERSPACE_noapic) { .mode = KVM_IRQCHIP_USERSPACE };

FIXTURE_SETUP(irqwin)
{
	ctx_setup(_metadata, &self->c, variant->mode, variant->x2apic);
}

FIXTURE_TEARDOWN(irqwin)
{
	ctx_teardown(&self->c);
}

TEST_F(irqwin, table_on_this_kernel)
{
	walk_table(_metadata, &self->c);
}

/*
 * Round after round: the guest turns interrupts off and syncs twice
 * (the window, asked for at the first, must stay shut), then turns them
 * on with STI (odd rounds: POPF); KVM must report the window open, and
 * the ExtINT then injected must arrive exactly once, before the next
 * round, with its vector. Returns how many windows opened at the
 * instruction in STI's shadow.
 */
static unsigned int window_rounds(struct __test_metadata *_metadata, struct irqwin_ctx *c)
{
	struct kvm_run *run = c->vm.vcpu[0].run;
	struct guest_irq_counts *counts = guest_shared_ptr(&c->vm, guest_irq_counts[0]);
	unsigned int i, v, in_shadow = 0;
	struct kvm_regs regs;
	uint32_t exit;
	int ret;

	*guest_shared_ptr(&c->vm, guest_scenario) = SCENARIO_WINDOW;
	for (i = 0; i <= WINDOW_ROUNDS; i++) {
		ret = run_vcpu(c, &exit);
		ledger_update(c);
		check_run(_metadata, c, "round start");
		ASSERT_EQ(i == WINDOW_ROUNDS ? GUEST_SYNC_DONE : SYNC_IF0, ret)
			TH_LOG("round %u: exit reason %u, guest line %u", i, exit,
			       *guest_shared_ptr(&c->vm, guest_abort_line));
		/* Every ExtINT so far, once each, and nothing else. */
		for (v = 32; v < 255; v++)
			ASSERT_EQ(v >= FIRST_EXTINT_VECTOR && v < FIRST_EXTINT_VECTOR + i,
				  counts->vector[v])
				TH_LOG("round %u: vector 0x%x taken %llu times", i, v,
				       (unsigned long long)counts->vector[v]);
		if (i == WINDOW_ROUNDS)
			break;

		run->request_interrupt_window = 1;
		ret = run_vcpu(c, &exit);
		check_run(_metadata, c, "interrupts off");
		ASSERT_EQ(SYNC_IF0, ret)
			TH_LOG("round %u: with interrupts off, KVM_RUN returned %d, exit reason %u",
			       i, ret, exit);

		ret = run_vcpu(c, &exit);
		check_run(_metadata, c, i & 1 ? "after POPF" : "after STI");
		ASSERT_EQ(-EPROTO, ret) TH_LOG("round %u: the guest went on (%d)", i, ret);
		ASSERT_EQ(KVM_EXIT_IRQ_WINDOW_OPEN, exit)
			TH_LOG("round %u: exit reason %u, not the window", i, exit);
		ASSERT_EQ(0, ioctl(c->vm.vcpu[0].fd, KVM_GET_REGS, &regs));
		in_shadow += regs.rip == (uintptr_t)guest_sti_shadowed;
		run->request_interrupt_window = 0;
		queue_extint(_metadata, c, FIRST_EXTINT_VECTOR + i);
	}
	EXPECT_EQ(FIRST_EXTINT_VECTOR + WINDOW_ROUNDS - 1, counts->last_vector);
	report(_metadata, c);
	return in_shadow;
}

TEST_F(irqwin, window_opens_after_shadow)
{
	unsigned int in_shadow = window_rounds(_metadata, &self->c);

	if (in_shadow)
		TH_LOG("%u of %u STI rounds saw the window open at the instruction in STI's shadow (window_not_in_sti_shadow judges that on a real CPU)",
		       in_shadow, WINDOW_ROUNDS / 2);
}

/*
 * Where STI's shadow ends is the CPU's to record (the VMCB's int_state or
 * the VMCS's interruptibility state at an exit); KVM only reads it. Under
 * QEMU's TCG a window was once reported open at the shadowed instruction
 * while KVM read no shadow (test kernel, userspace irqchip, 1 of 32 STI
 * rounds): not yet attributed to the emulator or to KVM, so the position
 * is judged only on a real CPU.
 */
FIXTURE(irqwin_sti) {
	struct irqwin_ctx c;
};

FIXTURE_VARIANT(irqwin_sti) {
	enum kvm_irqchip_mode mode;
};

FIXTURE_VARIANT_ADD(irqwin_sti, SPLIT) { .mode = KVM_IRQCHIP_SPLIT };
FIXTURE_VARIANT_ADD(irqwin_sti, USERSPACE) { .mode = KVM_IRQCHIP_USERSPACE };

FIXTURE_SETUP(irqwin_sti)
{
	const char *accel = getenv("IRQLENS_BED_ACCEL");

	self->c.vm.vm_fd = self->c.vm.kvm_fd = -1;
	if (accel && !strncmp(accel, "tcg", 3))
		SKIP(return, "needs a real CPU: under QEMU's TCG the STI shadow at a VM exit is not yet proven right (irq-window.rst)");
	ctx_setup(_metadata, &self->c, variant->mode, false);
}

FIXTURE_TEARDOWN(irqwin_sti)
{
	ctx_teardown(&self->c);
}

TEST_F(irqwin_sti, window_not_in_sti_shadow)
{
	EXPECT_EQ(0, window_rounds(_metadata, &self->c))
		TH_LOG("the window opened inside STI's shadow");
}

/* Split irqchip only: the LAPIC is in KVM, the PIC is not. */
FIXTURE(irqwin_split) {
	struct irqwin_ctx c;
};

FIXTURE_VARIANT(irqwin_split) {
	bool x2apic;
};

FIXTURE_VARIANT_ADD(irqwin_split, xapic) { };
FIXTURE_VARIANT_ADD(irqwin_split, x2apic) { .x2apic = true };

FIXTURE_SETUP(irqwin_split)
{
	ctx_setup(_metadata, &self->c, KVM_IRQCHIP_SPLIT, variant->x2apic);
}

FIXTURE_TEARDOWN(irqwin_split)
{
	ctx_teardown(&self->c);
}

/*
 * 71cc849b7093's case, made deterministic: the guest stops at a port
 * write with interrupts on, a LAPIC interrupt is queued with
 * KVM_SIGNAL_MSI, and KVM_RUN with immediate_exit and a window request
 * returns at once. Since the fix KVM says "ready"; before it, it said
 * "not ready" for as long as a LAPIC interrupt was pending (and with
 * APICv never delivered it: the livelock). Then the interrupt must
 * arrive, once.
 */
TEST_F(irqwin_split, lapic_pending_window_ready)
{
	struct irqwin_ctx *c = &self->c;
	struct kvm_run *run = c->vm.vcpu[0].run;
	struct kvm_msi_target t = { .apic_id = 0, .vector = PROBE_LAPIC_VECTOR };
	uint32_t exit;
	int ret;

	*guest_shared_ptr(&c->vm, guest_scenario) = SCENARIO_IF1_STOP;
	ret = run_vcpu(c, &exit);
	check_run(_metadata, c, "guest ready");
	ASSERT_EQ(SYNC_IF1, ret) TH_LOG("exit reason %u, guest line %u", exit,
					*guest_shared_ptr(&c->vm, guest_abort_line));
	ret = __kvm_signal_msi(&c->vm, &t);
	ASSERT_EQ(0, ret) TH_LOG("KVM_SIGNAL_MSI: %s", strerror(-ret));

	run->request_interrupt_window = 1;
	ret = run_immediate_exit(c);
	ASSERT_EQ(-EINTR, ret) TH_LOG("KVM_RUN with immediate_exit: %s", strerror(-ret));
	check_run(_metadata, c, "LAPIC interrupt pending, window requested");

	run->request_interrupt_window = 0;
	*guest_shared_ptr(&c->vm, guest_stop) = true;
	ret = run_vcpu(c, &exit);
	check_run(_metadata, c, "guest done");
	ASSERT_EQ(GUEST_SYNC_DONE, ret) TH_LOG("exit reason %u", exit);
	EXPECT_EQ(1, guest_shared_ptr(&c->vm, guest_irq_counts[0])->vector[PROBE_LAPIC_VECTOR]);
	report(_metadata, c);
}

/* A second KVM_INTERRUPT before KVM took the first: EEXIST, first kept. */
TEST_F(irqwin_split, second_extint_refused)
{
	struct irqwin_ctx *c = &self->c;
	struct guest_irq_counts *counts = guest_shared_ptr(&c->vm, guest_irq_counts[0]);
	uint32_t exit;
	int ret;

	*guest_shared_ptr(&c->vm, guest_scenario) = SCENARIO_IF1_STOP;
	ret = run_vcpu(c, &exit);
	check_run(_metadata, c, "guest ready");
	ASSERT_EQ(SYNC_IF1, ret) TH_LOG("exit reason %u", exit);
	queue_extint(_metadata, c, FIRST_EXTINT_VECTOR);
	ret = __kvm_interrupt(&c->vm, 0, FIRST_EXTINT_VECTOR + 1);
	EXPECT_EQ(-EEXIST, ret) TH_LOG("a second KVM_INTERRUPT: %s", strerror(-ret));
	/* Queued, not yet taken: no longer ready for another. */
	ret = run_immediate_exit(c);
	ASSERT_EQ(-EINTR, ret) TH_LOG("KVM_RUN with immediate_exit: %s", strerror(-ret));
	check_run(_metadata, c, "ExtINT queued");

	*guest_shared_ptr(&c->vm, guest_stop) = true;
	ret = run_vcpu(c, &exit);
	ledger_update(c);
	check_run(_metadata, c, "guest done");
	ASSERT_EQ(GUEST_SYNC_DONE, ret) TH_LOG("exit reason %u", exit);
	EXPECT_EQ(1, counts->vector[FIRST_EXTINT_VECTOR]);
	EXPECT_EQ(0, counts->vector[FIRST_EXTINT_VECTOR + 1]);
	report(_metadata, c);
}

/* The PIC in the kernel: no userspace window, no KVM_INTERRUPT. */
FIXTURE(irqwin_kernel) {
	struct irqwin_ctx c;
};

FIXTURE_SETUP(irqwin_kernel)
{
	ctx_setup(_metadata, &self->c, KVM_IRQCHIP_FULL, false);
}

FIXTURE_TEARDOWN(irqwin_kernel)
{
	ctx_teardown(&self->c);
}

TEST_F(irqwin_kernel, table_on_this_kernel)
{
	walk_table(_metadata, &self->c);
}

TEST_F(irqwin_kernel, kvm_interrupt_refused)
{
	int ret = __kvm_interrupt(&self->c.vm, 0, FIRST_EXTINT_VECTOR);

	EXPECT_EQ(-ENXIO, ret) TH_LOG("KVM_INTERRUPT with the PIC in KVM: %s", strerror(-ret));
}

/*
 * irqlens.ko's view. The module must be there (in the bed it always
 * is); its vCPU record is found by this process and vCPU 0, since every
 * test runs in a process of its own.
 */
static void require_irqlens(struct __test_metadata *_metadata, struct irqwin_ctx *c)
{
	char why[256] = "";

	c->vm.vm_fd = c->vm.kvm_fd = -1;
	if (__irqlens_view_require_module(why, sizeof(why)))
		SKIP(return, "irqlens.ko: %s", why);
}

static struct irqlens_window_vcpu read_record(struct __test_metadata *_metadata)
{
	static struct irqlens_window_view view;
	const struct irqlens_window_vcpu *w;
	int ret = __irqlens_window_read(&view);

	ASSERT_EQ(0, ret) TH_LOG("reading %s/window: %s", IRQLENS_DEBUGFS, strerror(-ret));
	w = irqlens_window_vcpu(&view, getpid(), 0);
	ASSERT_NE(NULL, w) TH_LOG("irqlens.ko has no window record of vCPU 0 of pid %d (%u held)",
				  getpid(), view.nr);
	return *w;
}

static uint64_t vcpu_stat(struct __test_metadata *_metadata, struct kvm_stats *st,
			  const char *name)
{
	uint64_t val = 0;
	int ret = __kvm_stats_read(st, name, &val);

	EXPECT_EQ(0, ret) TH_LOG("KVM statistic %s: %s", name, strerror(-ret));
	return val;
}

/* irqlens.ko watches the window scenarios: the counts must agree. */
FIXTURE(irqwin_seen) {
	struct irqwin_ctx c;
	struct kvm_stats stats;
};

FIXTURE_VARIANT(irqwin_seen) {
	enum kvm_irqchip_mode mode;
	bool x2apic;
};

FIXTURE_VARIANT_ADD(irqwin_seen, SPLIT_xapic) { .mode = KVM_IRQCHIP_SPLIT };
FIXTURE_VARIANT_ADD(irqwin_seen, SPLIT_x2apic) { .mode = KVM_IRQCHIP_SPLIT, .x2apic = true };
FIXTURE_VARIANT_ADD(irqwin_seen, USERSPACE_noapic) { .mode = KVM_IRQCHIP_USERSPACE };

FIXTURE_SETUP(irqwin_seen)
{
	int ret;

	self->stats.fd = -1;
	require_irqlens(_metadata, &self->c);
	ctx_setup(_metadata, &self->c, variant->mode, variant->x2apic);
	/* Before any KVM_RUN: the stats ioctl waits for the vCPU's mutex. */
	ret = __kvm_stats_open(&self->stats, self->c.vm.vcpu[0].fd);
	ASSERT_EQ(0, ret) TH_LOG("vCPU statistics: %s", strerror(-ret));
}

FIXTURE_TEARDOWN(irqwin_seen)
{
	if (self->stats.fd >= 0)
		kvm_stats_close(&self->stats);
	ctx_teardown(&self->c);
}

/*
 * The window rounds, then three views of the same vCPU: what the test
 * did, what irqlens.ko saw from inside KVM, and KVM's statistics. The
 * VM is new, so KVM's counts and the module's both start at zero.
 */
TEST_F(irqwin_seen, module_counts_agree)
{
	struct irqwin_ctx *c = &self->c;
	struct irqlens_window_vcpu w;
	uint64_t received = 0;
	unsigned int v;

	window_rounds(_metadata, c);
	w = read_record(_metadata);
	for (v = 32; v < 255; v++)
		received += guest_shared_ptr(&c->vm, guest_irq_counts[0])->vector[v];
	TH_LOG("test: %llu KVM_RUNs, %llu windows open; irqlens.ko: %llu runs, %llu returns, %llu window exits, %llu windows open, %llu IRQs injected, longest streak %llu",
	       c->kvm_runs, c->window_opens, (unsigned long long)w.runs,
	       (unsigned long long)w.returns, (unsigned long long)w.window_exits,
	       (unsigned long long)w.window_opens, (unsigned long long)w.irq_injections,
	       (unsigned long long)w.longest_streak);
	EXPECT_EQ(c->kvm_runs, w.runs) TH_LOG("KVM_RUN entries");
	EXPECT_EQ(c->kvm_runs, w.returns) TH_LOG("KVM_RUN returns");
	EXPECT_EQ(0, w.flags & IRQLENS_WIN_IN_RUN) TH_LOG("still in KVM_RUN");
	EXPECT_EQ(WINDOW_ROUNDS, c->window_opens);
	EXPECT_EQ(c->window_opens, w.window_opens) TH_LOG("KVM_EXIT_IRQ_WINDOW_OPEN returns");
	EXPECT_EQ(vcpu_stat(_metadata, &self->stats, "request_irq_exits"), w.window_opens);
	EXPECT_EQ(vcpu_stat(_metadata, &self->stats, "irq_window_exits"), w.window_exits);
	EXPECT_LE(c->window_opens, w.window_exits) TH_LOG("each window asked for with IF=0 takes an exit");
	EXPECT_EQ(vcpu_stat(_metadata, &self->stats, "irq_injections"), w.irq_injections);
	EXPECT_EQ(vcpu_stat(_metadata, &self->stats, "nmi_injections"), w.nmi_injections);
	EXPECT_LE(received, w.irq_injections) TH_LOG("the guest took %llu interrupts",
						     (unsigned long long)received);
	EXPECT_EQ(c->irqchip == IRQWIN_IRQCHIP_SPLIT ? IRQLENS_IRQCHIP_SPLIT :
		  IRQLENS_IRQCHIP_USERSPACE, w.irqchip);
	/* Healthy: a window exit is followed by an injection or a return. */
	EXPECT_EQ(0, w.flagged);
	EXPECT_GE(1, w.longest_streak) TH_LOG("window exits in a row without an injection");
}

/* A vCPU's record goes with it: memory stays bounded as VMs come and go. */
TEST_F(irqwin_seen, record_goes_with_the_vm)
{
	static struct irqlens_window_view view;
	struct irqwin_ctx *c = &self->c;
	uint32_t exit;
	int ret;

	*guest_shared_ptr(&c->vm, guest_scenario) = SCENARIO_IF1_STOP;
	ret = run_vcpu(c, &exit);
	ASSERT_EQ(SYNC_IF1, ret) TH_LOG("exit reason %u", exit);
	EXPECT_EQ(1, read_record(_metadata).runs);

	kvm_stats_close(&self->stats);
	self->stats.fd = -1;
	ctx_teardown(c);
	c->vm.vm_fd = -1;
	ret = __irqlens_window_read(&view);
	ASSERT_EQ(0, ret) TH_LOG("reading %s/window: %s", IRQLENS_DEBUGFS, strerror(-ret));
	EXPECT_EQ(NULL, irqlens_window_vcpu(&view, getpid(), 0))
		TH_LOG("the record of vCPU 0 outlived its VM (%u records held)", view.nr);
}

/*
 * The livelock detector, live: a guest whose window exits inject
 * nothing (SCENARIO_MASKED_WINDOWS) runs in one KVM_RUN on a thread of
 * its own; the test waits for irqlens.ko to flag it while it is still
 * inside KVM_RUN, reads the snapshot, and stops it with a signal.
 */
struct livelock_run {
	struct kvm_vm *vm;
	pthread_t thread;
	int ret;
};

static void livelock_kick(int sig)
{
}

static void *livelock_vcpu(void *arg)
{
	struct livelock_run *r = arg;

	r->ret = ioctl(r->vm->vcpu[0].fd, KVM_RUN, 0) ? -errno : 0;
	return NULL;
}

/*
 * What "irqlens status [--json]" (the CLI beside this program) prints now,
 * into @buf; false with the reason in @buf if it could not run.
 */
static bool cli_status(const char *args, char *buf, size_t len)
{
	char self[512], cmd[600];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	size_t got;
	FILE *f;

	if (n <= 0)
		return snprintf(buf, len, "readlink /proc/self/exe: %s", strerror(errno)), false;
	self[n] = '\0';
	*strrchr(self, '/') = '\0';
	snprintf(cmd, sizeof(cmd), "'%s/irqlens' status %s 2>&1", self, args);
	f = popen(cmd, "r");
	if (!f)
		return snprintf(buf, len, "%s: %s", cmd, strerror(errno)), false;
	got = fread(buf, 1, len - 1, f);
	buf[got] = '\0';
	return pclose(f) == 0;
}

static unsigned long long ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

FIXTURE(irqwin_livelock) {
	struct irqwin_ctx c;
	unsigned int old_threshold;
};

FIXTURE_VARIANT(irqwin_livelock) {
	bool x2apic;
};

FIXTURE_VARIANT_ADD(irqwin_livelock, xapic) { };
FIXTURE_VARIANT_ADD(irqwin_livelock, x2apic) { .x2apic = true };

FIXTURE_SETUP(irqwin_livelock)
{
	static struct irqlens_window_view view;
	char verb[64];

	self->old_threshold = 0;
	require_irqlens(_metadata, &self->c);
	ctx_setup(_metadata, &self->c, KVM_IRQCHIP_SPLIT, variant->x2apic);
	ASSERT_EQ(0, __irqlens_window_read(&view));
	self->old_threshold = view.q.threshold;
	snprintf(verb, sizeof(verb), "window-threshold %u", LIVELOCK_THRESHOLD);
	ASSERT_EQ(0, sysfs_write(IRQLENS_CONTROL, verb));
}

FIXTURE_TEARDOWN(irqwin_livelock)
{
	char verb[64];

	if (self->old_threshold) {
		snprintf(verb, sizeof(verb), "window-threshold %u", self->old_threshold);
		sysfs_write(IRQLENS_CONTROL, verb);
	}
	ctx_teardown(&self->c);
}

TEST_F(irqwin_livelock, flagged_while_in_kvm_run)
{
	struct irqwin_ctx *c = &self->c;
	struct livelock_run r = { .vm = &c->vm };
	struct sigaction sa = { .sa_handler = livelock_kick };
	unsigned long long deadline = ms_now() + LIVELOCK_WAIT_MS;
	struct irqlens_window_vcpu w;
	char table[8192], text[16384], json[16384];
	bool stuck, text_ok = false, json_ok = false;

	/* No SA_RESTART: the signal must end KVM_RUN with -EINTR. */
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	*guest_shared_ptr(&c->vm, guest_scenario) = SCENARIO_MASKED_WINDOWS;
	ASSERT_EQ(0, pthread_create(&r.thread, NULL, livelock_vcpu, &r));
	do {
		usleep(10000);
		w = read_record(_metadata);
		stuck = (w.flags & (IRQLENS_WIN_STUCK | IRQLENS_WIN_IN_RUN)) ==
			(IRQLENS_WIN_STUCK | IRQLENS_WIN_IN_RUN);
	} while (!stuck && ms_now() < deadline);
	/* What a person would read: the table and "irqlens status" name it stuck. */
	if (stuck) {
		EXPECT_EQ(0, sysfs_read(IRQLENS_DEBUGFS "/window", table, sizeof(table)));
		text_ok = cli_status("", text, sizeof(text));
		json_ok = cli_status("--json", json, sizeof(json));
	}

	c->vm.vcpu[0].run->immediate_exit = 1;
	pthread_kill(r.thread, SIGUSR1);
	pthread_join(r.thread, NULL);

	ASSERT_TRUE(stuck) TH_LOG("not flagged within %u ms: %llu window exits, longest streak %llu, %llu IRQs injected, flags 0x%x",
				  LIVELOCK_WAIT_MS, (unsigned long long)w.window_exits,
				  (unsigned long long)w.longest_streak,
				  (unsigned long long)w.irq_injections, w.flags);
	EXPECT_EQ(1, w.flagged);
	EXPECT_EQ(LIVELOCK_THRESHOLD, w.snap_streak);
	EXPECT_EQ(LIVELOCK_THRESHOLD, w.snap_threshold);
	EXPECT_EQ(0, w.snap_flags & (IRQLENS_SNAP_REQ_WINDOW | IRQLENS_SNAP_IRQ_QUEUED))
		TH_LOG("snapshot flags 0x%x", w.snap_flags);
	EXPECT_EQ(-1, w.snap_ext_vector);
	EXPECT_LE(LIVELOCK_THRESHOLD, w.streak);
	EXPECT_NE(NULL, strstr(table, " (stuck now): ")) TH_LOG("window:\n%s", table);
	EXPECT_TRUE(text_ok && strstr(text, " STUCK in KVM_RUN now: flagged 1 times"))
		TH_LOG("irqlens status:\n%s", text);
	EXPECT_TRUE(json_ok && strstr(json, "\"stuck_now\": true, \"flagged\": 1,"))
		TH_LOG("irqlens status --json:\n%s", json);
	TH_LOG("flagged while in KVM_RUN: %llu window exits, streak %llu, %llu IRQs injected",
	       (unsigned long long)w.window_exits, (unsigned long long)w.streak,
	       (unsigned long long)w.irq_injections);

	/* Stopped by the signal: out of KVM_RUN, no longer stuck, never delivered. */
	EXPECT_EQ(-EINTR, r.ret) TH_LOG("KVM_RUN: %s", strerror(-r.ret));
	w = read_record(_metadata);
	EXPECT_EQ(0, w.flags & (IRQLENS_WIN_STUCK | IRQLENS_WIN_IN_RUN)) TH_LOG("flags 0x%x", w.flags);
	EXPECT_EQ(-EINTR, w.last_result);
	EXPECT_EQ(1, w.flagged);
	EXPECT_EQ(0, guest_shared_ptr(&c->vm, guest_irq_counts[0])->vector[MASKED_VECTOR]);
}

/*
 * Several vCPUs at once, each on a thread of its own with a LAPIC timer
 * stream, each running the window rounds: every KVM_RUN of every vCPU is
 * judged by the model, every ExtINT must arrive once on its vCPU, and
 * irqlens.ko must keep the vCPUs apart, each record agreeing with that
 * vCPU's thread and KVM's statistics.
 */
struct multi_vcpu {
	struct irqwin_ctx *c;
	unsigned int id;
	pthread_t thread;
	struct kvm_stats stats;
	bool returned;
	bool extint_queued;
	unsigned int round;
	unsigned long long kvm_runs, window_opens;
	char error[512];		/* the first thing that went wrong, or "" */
};

/* The round trip of one vCPU; stops at the first failure, in @error. */
static void *multi_vcpu_run(void *arg)
{
	struct multi_vcpu *m = arg;
	struct irqwin_ctx *c = m->c;
	struct kvm_run *run = c->vm.vcpu[m->id].run;
	struct guest_irq_counts *counts = guest_shared_ptr(&c->vm, guest_irq_counts[m->id]);
	struct irqwin_in in;
	char why[400];
	uint32_t exit;
	int ret, err;

	for (;;) {
		ret = __kvm_guest_run(&c->vm, m->id, &exit);
		m->kvm_runs++;
		m->returned = ret >= 0 || ret == -EPROTO;
		if (m->extint_queued && counts->vector[FIRST_EXTINT_VECTOR + m->round - 1])
			m->extint_queued = false;
		err = __read_vcpu_inputs(c, m->id, m->extint_queued, &in);
		if (err) {
			snprintf(m->error, sizeof(m->error), "reading vCPU state: %s", strerror(-err));
			break;
		}
		if (!vcpu_run_agrees(c, m->id, m->returned, &in, why, sizeof(why))) {
			__atomic_add_fetch(&c->disagreements, 1, __ATOMIC_RELAXED);
			snprintf(m->error, sizeof(m->error), "round %u: %s", m->round, why);
			break;
		}
		if (ret == GUEST_SYNC_DONE)
			break;
		if (ret == SYNC_IF0) {
			run->request_interrupt_window = 1;
			continue;
		}
		if (ret != -EPROTO || exit != KVM_EXIT_IRQ_WINDOW_OPEN || m->round >= MULTI_ROUNDS) {
			snprintf(m->error, sizeof(m->error),
				 "round %u: KVM_RUN returned %d, exit reason %u, guest line %u",
				 m->round, ret, exit, *guest_shared_ptr(&c->vm, guest_abort_line));
			break;
		}
		m->window_opens++;
		run->request_interrupt_window = 0;
		err = __kvm_interrupt(&c->vm, m->id, FIRST_EXTINT_VECTOR + m->round++);
		if (err) {
			snprintf(m->error, sizeof(m->error), "round %u: KVM_INTERRUPT: %s",
				 m->round, strerror(-err));
			break;
		}
		m->extint_queued = true;
	}
	return NULL;
}

/* One vCPU's three views after its thread ended. */
static void multi_vcpu_check(struct __test_metadata *_metadata, struct multi_vcpu *m,
			     const struct irqlens_window_vcpu *w)
{
	struct guest_irq_counts *counts = guest_shared_ptr(&m->c->vm, guest_irq_counts[m->id]);
	unsigned int v;

	EXPECT_STREQ("", m->error) TH_LOG("vCPU %u", m->id);
	EXPECT_EQ(MULTI_ROUNDS, m->window_opens) TH_LOG("vCPU %u", m->id);
	for (v = 32; v < 255; v++)
		if (v != TIMER_VECTOR)
			EXPECT_EQ(v >= FIRST_EXTINT_VECTOR && v < FIRST_EXTINT_VECTOR + MULTI_ROUNDS,
				  counts->vector[v])
				TH_LOG("vCPU %u: vector 0x%x taken %llu times", m->id, v,
				       (unsigned long long)counts->vector[v]);
	EXPECT_LT(0, counts->vector[TIMER_VECTOR]) TH_LOG("vCPU %u: no timer interrupt", m->id);
	ASSERT_NE(NULL, w) TH_LOG("irqlens.ko has no record of vCPU %u of pid %d", m->id, getpid());
	TH_LOG("vCPU %u: %llu KVM_RUNs, %llu windows open, %llu timer interrupts; irqlens.ko: %llu runs, %llu window exits, %llu IRQs injected, longest streak %llu",
	       m->id, m->kvm_runs, m->window_opens,
	       (unsigned long long)counts->vector[TIMER_VECTOR], (unsigned long long)w->runs,
	       (unsigned long long)w->window_exits, (unsigned long long)w->irq_injections,
	       (unsigned long long)w->longest_streak);
	EXPECT_EQ(m->kvm_runs, w->runs) TH_LOG("vCPU %u: KVM_RUN entries", m->id);
	EXPECT_EQ(m->kvm_runs, w->returns) TH_LOG("vCPU %u: KVM_RUN returns", m->id);
	EXPECT_EQ(m->window_opens, w->window_opens) TH_LOG("vCPU %u", m->id);
	EXPECT_EQ(vcpu_stat(_metadata, &m->stats, "request_irq_exits"), w->window_opens);
	EXPECT_EQ(vcpu_stat(_metadata, &m->stats, "irq_window_exits"), w->window_exits);
	EXPECT_EQ(vcpu_stat(_metadata, &m->stats, "irq_injections"), w->irq_injections);
	EXPECT_LE(MULTI_ROUNDS + counts->vector[TIMER_VECTOR], w->irq_injections)
		TH_LOG("vCPU %u: injections below what the guest took", m->id);
	EXPECT_EQ(0, w->flagged) TH_LOG("vCPU %u", m->id);
	EXPECT_GE(1, w->longest_streak) TH_LOG("vCPU %u: window exits in a row without an injection",
					       m->id);
}

FIXTURE(irqwin_multi) {
	struct irqwin_ctx c;
	struct multi_vcpu m[MULTI_VCPUS];
};

FIXTURE_VARIANT(irqwin_multi) {
	bool x2apic;
};

FIXTURE_VARIANT_ADD(irqwin_multi, SPLIT_xapic) { };
FIXTURE_VARIANT_ADD(irqwin_multi, SPLIT_x2apic) { .x2apic = true };

FIXTURE_SETUP(irqwin_multi)
{
	struct irqwin_ctx *c = &self->c;
	unsigned int i, id;
	int ret;

	for (i = 0; i < MULTI_VCPUS; i++)
		self->m[i].stats.fd = -1;
	c->vm.vm_fd = c->vm.kvm_fd = -1;
	/*
	 * Once in about a dozen bed runs (7.2, x2APIC) one vCPU ended its
	 * first KVM_RUN in KVM_EXIT_SHUTDOWN: not yet explained, so the
	 * make check gate leaves this test to make soak (irq-window.rst).
	 */
	if (getenv("IRQLENS_STRENGTH") && !strcmp(getenv("IRQLENS_STRENGTH"), "check"))
		SKIP(return, "make soak only: a vCPU once triple-faulted on its first KVM_RUN (7.2, x2APIC), not yet explained (irq-window.rst)");
	require_irqlens(_metadata, c);
	ctx_setup(_metadata, c, KVM_IRQCHIP_SPLIT, variant->x2apic);
	for (i = 0; i < MULTI_VCPUS; i++) {
		if (i) {
			ASSERT_EQ(0, __kvm_vm_add_vcpu(&c->vm, &id));
			ret = __kvm_vcpu_setup_long_mode(&c->vm, id, guest_main, 0);
			ASSERT_EQ(0, ret) TH_LOG("vCPU %u long mode: %s", id, strerror(-ret));
		}
		self->m[i].c = c;
		self->m[i].id = i;
		ret = __kvm_stats_open(&self->m[i].stats, c->vm.vcpu[i].fd);
		ASSERT_EQ(0, ret) TH_LOG("vCPU %u statistics: %s", i, strerror(-ret));
	}
}

FIXTURE_TEARDOWN(irqwin_multi)
{
	unsigned int i;

	for (i = 0; i < MULTI_VCPUS; i++)
		if (self->m[i].stats.fd >= 0)
			kvm_stats_close(&self->m[i].stats);
	ctx_teardown(&self->c);
}

TEST_F(irqwin_multi, timer_stream_and_extints)
{
	static struct irqlens_window_view view;
	struct irqwin_ctx *c = &self->c;
	unsigned int i;
	int ret;

	*guest_shared_ptr(&c->vm, guest_scenario) = SCENARIO_TIMER_WINDOWS;
	for (i = 0; i < MULTI_VCPUS; i++)
		ASSERT_EQ(0, pthread_create(&self->m[i].thread, NULL, multi_vcpu_run, &self->m[i]));
	for (i = 0; i < MULTI_VCPUS; i++)
		pthread_join(self->m[i].thread, NULL);
	ret = __irqlens_window_read(&view);
	ASSERT_EQ(0, ret) TH_LOG("reading %s/window: %s", IRQLENS_DEBUGFS, strerror(-ret));
	for (i = 0; i < MULTI_VCPUS; i++)
		multi_vcpu_check(_metadata, &self->m[i], irqlens_window_vcpu(&view, getpid(), i));
	report(_metadata, c);
	EXPECT_EQ(0, c->disagreements);
}

TEST_HARNESS_MAIN

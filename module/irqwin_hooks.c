// SPDX-License-Identifier: GPL-2.0
/*
 * Hooks that turn KVM_RUN, interrupt-window exits and injections into
 * interrupt-window events (irqwin_state.h). As for the bypass hooks,
 * nothing links to KVM: functions are reached by name through kprobes,
 * and the vCPU is read with the layouts of the kernel irqlens was built
 * against (struct kvm_vcpu and kvm_vcpu_arch are in its headers).
 *
 * Interrupt-window exits are counted through KVM's own statistic, not by
 * exit reason: kvm_exit's probe arguments are only (vcpu, isa), the exit
 * reason being fetched inside the event through a vendor static call,
 * and reading it ourselves would mean mirroring vcpu_svm / vcpu_vmx,
 * which change every release. Nor can the vendor window handlers be
 * kprobed: with retpolines KVM calls them directly from its exit
 * dispatch (svm_invoke_exit_handler, __vmx_handle_exit), where they are
 * inlined, so the out-of-line copy a kprobe lands on never runs. Those
 * handlers (SVM_EXIT_VINTR 0x64, VMX exit 7) bump vcpu->stat.irq_window_exits;
 * every event below carries its value and the state takes the growth.
 * The kvm_entry tracepoint (vcpu, force_immediate_exit in 6.12 and 7.x)
 * gives the state a look at every guest entry, so a vCPU stuck in a
 * window loop inside one KVM_RUN is seen while it loops.
 *
 * kvm_inj_virq carries no vCPU and there is no NMI-injection tracepoint:
 * the vendor inject_irq and inject_nmi (called through kvm_x86_ops, never
 * inlined) take the vCPU as their first argument.
 */
#include <linux/kvm_host.h>
#include <linux/kprobes.h>
#include <linux/sched.h>
#include <uapi/linux/irqlens.h>

#include "compat_hooks.h"
#include "hooks.h"
#include "ids.h"
#include "irqwin.h"

static_assert(IRQLENS_IRQCHIP_USERSPACE == KVM_IRQCHIP_NONE);
static_assert(IRQLENS_IRQCHIP_KERNEL == KVM_IRQCHIP_KERNEL);
static_assert(IRQLENS_IRQCHIP_SPLIT == KVM_IRQCHIP_SPLIT);

/* KVM's state when the detector fires: what the snapshot keeps. */
static void window_snapshot(struct kvm_vcpu *vcpu, struct irqlens_win_snap *snap)
{
	struct kvm_vcpu_arch *a = &vcpu->arch;
	bool req_window = READ_ONCE(vcpu->run->request_interrupt_window);

	snap->flags = (req_window ? IRQLENS_WIN_SNAP_REQ_WINDOW : 0) |
		      (a->interrupt.injected ? IRQLENS_WIN_SNAP_IRQ_QUEUED : 0) |
		      (a->exception.pending ? IRQLENS_WIN_SNAP_EXC_PENDING : 0) |
		      (a->exception.injected ? IRQLENS_WIN_SNAP_EXC_INJECTED : 0) |
		      (a->nmi_injected ? IRQLENS_WIN_SNAP_NMI_INJECTED : 0) |
		      (a->hflags & HF_GUEST_MASK ? IRQLENS_WIN_SNAP_GUEST_MODE : 0);
	snap->ext_vector = a->pending_external_vector;
	snap->queued_vector = a->interrupt.nr;
	snap->nmi_pending = a->nmi_pending;
}

static void window_event(u32 type, struct kvm_vcpu *vcpu, struct irqlens_win_event *ev)
{
	ev->type = type;
	ev->key = (unsigned long)vcpu;
	ev->vm = irqlens_id32(vcpu->kvm);
	ev->vcpu_id = vcpu->vcpu_id;
	ev->window_stat = READ_ONCE(vcpu->stat.irq_window_exits);
	if (!irqlens_window_feed(ev))
		return;
	ev->type = IRQLENS_WIN_SNAPSHOT;
	window_snapshot(vcpu, &ev->snap);
	irqlens_window_feed(ev);
}

static struct kvm_vcpu *arg_vcpu(struct pt_regs *regs)
{
	return (struct kvm_vcpu *)regs_get_kernel_argument(regs, 0);
}

/* kvm_arch_vcpu_ioctl_run(vcpu): kept for the return, which has no arguments. */
struct run_call {
	struct kvm_vcpu *vcpu;
};

static int run_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct run_call *rc = (void *)ri->data;
	struct kvm_vcpu *vcpu = arg_vcpu(regs);
	struct irqlens_win_event ev = {
		.pid = task_tgid_nr(current),
		.irqchip = READ_ONCE(vcpu->kvm->arch.irqchip_mode),
		.req_window = READ_ONCE(vcpu->run->request_interrupt_window),
	};

	rc->vcpu = vcpu;
	window_event(IRQLENS_WIN_RUN_ENTER, vcpu, &ev);
	return 0;
}

/* What userspace finds in kvm_run: post_kvm_run_save() has filled it. */
static int run_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct kvm_vcpu *vcpu = ((struct run_call *)ri->data)->vcpu;
	struct kvm_run *run = vcpu->run;
	struct irqlens_win_event ev = {
		.result = (s32)regs_return_value(regs),
		.exit_reason = READ_ONCE(run->exit_reason),
		.req_window = READ_ONCE(run->request_interrupt_window),
		.ready = READ_ONCE(run->ready_for_interrupt_injection),
		.if_flag = READ_ONCE(run->if_flag),
	};

	window_event(IRQLENS_WIN_RUN_RETURN, vcpu, &ev);
	return 0;
}

/* trace_kvm_entry(vcpu, force_immediate_exit): a look at every entry. */
static void guest_entry_probe(IRQLENS_KVM_ENTRY_PROBE_ARGS)
{
	struct irqlens_win_event ev = {};

	window_event(IRQLENS_WIN_GUEST_ENTRY, vcpu, &ev);
}

/* svm_inject_irq(vcpu, reinjected), vmx_inject_irq(vcpu, reinjected) */
static int inject_irq_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct irqlens_win_event ev = {};

	window_event(IRQLENS_WIN_INJECT_IRQ, arg_vcpu(regs), &ev);
	return 0;
}

/* svm_inject_nmi(vcpu), vmx_inject_nmi(vcpu) */
static int inject_nmi_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct irqlens_win_event ev = {};

	window_event(IRQLENS_WIN_INJECT_NMI, arg_vcpu(regs), &ev);
	return 0;
}

/* kvm_arch_vcpu_destroy(vcpu): its record goes, so memory stays bounded. */
static int destroy_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct irqlens_win_event ev = {};

	window_event(IRQLENS_WIN_DESTROY, arg_vcpu(regs), &ev);
	return 0;
}

/*
 * Every vCPU thread sits in KVM_RUN (a halted one for long), each holding
 * a kretprobe instance: room for a few hundred; a shortfall shows as
 * "missed" in caps.
 */
#define RUN_INSTANCES 512

#define KPROBE(mod, sym, fn) \
	{ .kind = IRQLENS_HOOK_KPROBE, .module = mod, .symbol = sym, .pre = fn }

static struct irqlens_hook window_hooks[] = {
	{ .kind = IRQLENS_HOOK_KRETPROBE, .module = "kvm", .symbol = "kvm_arch_vcpu_ioctl_run",
	  .entry = run_entry, .ret = run_ret, .data_size = sizeof(struct run_call),
	  .maxactive = RUN_INSTANCES },
	{ .kind = IRQLENS_HOOK_TRACEPOINT, .module = "kvm", .symbol = "kvm_entry",
	  .probe = guest_entry_probe },
	KPROBE("kvm_amd", "svm_inject_irq", inject_irq_pre),
	KPROBE("kvm_intel", "vmx_inject_irq", inject_irq_pre),
	KPROBE("kvm_amd", "svm_inject_nmi", inject_nmi_pre),
	KPROBE("kvm_intel", "vmx_inject_nmi", inject_nmi_pre),
	KPROBE("kvm", "kvm_arch_vcpu_destroy", destroy_pre),
};

struct irqlens_hook_group irqlens_window_hooks = {
	.name = "window",
	.hooks = window_hooks,
	.nr = ARRAY_SIZE(window_hooks),
};

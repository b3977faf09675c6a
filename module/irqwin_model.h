/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The userspace interrupt window of KVM x86, as pure functions of one
 * struct of inputs, per kernel version (Documentation/irq-window.rst).
 *
 * Under a split or userspace irqchip, userspace injects ExtINTs with
 * KVM_INTERRUPT. It sets kvm_run->request_interrupt_window to be told
 * when it may (KVM_EXIT_IRQ_WINDOW_OPEN); after every KVM_RUN it reads
 * kvm_run->ready_for_interrupt_injection. Three predicates decide it
 * (6.12 arch/x86/kvm/x86.c):
 *
 *  - kvm_cpu_accept_dm_intr(): the vCPU would take an ExtINT now;
 *  - kvm_vcpu_ready_for_interrupt_injection(): what userspace is told;
 *  - the window is armed on each entry when userspace asked for it and
 *    the PIC is not in the kernel and accept_dm_intr holds; vcpu_run()
 *    returns KVM_EXIT_IRQ_WINDOW_OPEN when the guest comes back and the
 *    vCPU is ready.
 *
 * A window armed while "ready" can never become true without userspace
 * (and with nothing for KVM itself to inject) exits again and again: the
 * livelock of 71cc849b7093, where a LAPIC interrupt pending under VMX's
 * APICv kept the vCPU "not ready" (seed 001; on SVM the armed window
 * inhibits AVIC, so KVM injects the interrupt itself).
 *
 * Shared with the harness (user/Makefile builds this file too), so the
 * live differential check and KUnit judge by the same model: plain C, no
 * kernel API.
 */
#ifndef _IRQLENS_IRQWIN_MODEL_H
#define _IRQLENS_IRQWIN_MODEL_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#endif

/* KVM's own values (struct kvm_arch.irqchip_mode). */
enum irqwin_irqchip {
	IRQWIN_IRQCHIP_NONE,	/* no in-kernel LAPIC: KVM_INTERRUPT sets interrupt.injected */
	IRQWIN_IRQCHIP_KERNEL,	/* PIC and IOAPIC in the kernel: KVM_INTERRUPT is -ENXIO */
	IRQWIN_IRQCHIP_SPLIT,	/* LAPIC in the kernel, PIC in userspace */
	IRQWIN_NR_IRQCHIPS,
};

/* The forms the predicates took, oldest first. */
enum irqwin_version {
	/* Up to v5.10-rc5: "ready" also wanted no interrupt pending at all. */
	IRQWIN_PRE_71CC849B,
	/*
	 * 71cc849b7093 (v5.10-rc6, with 72c3bcdcda49 of the same series
	 * for kvm_cpu_has_extint()): accept_dm_intr refuses while an ExtINT
	 * is already queued; "ready" is just interruptible and accepting.
	 */
	IRQWIN_71CC849B,
	/*
	 * fa7a549d321a (v5.14): not ready while an event awaits
	 * re-injection or an exception is pending. 6.12 and 7.2 compute
	 * the same (7.2 read from its kvm.ko); 6.12's exception test also
	 * counts exception_vmexit and a pending triple fault, which this
	 * model folds into exception_pending.
	 */
	IRQWIN_FA7A549D,
	IRQWIN_NR_VERSIONS,
};

/* The version every kernel irqlens supports (6.12 to 7.3) computes. */
#define IRQWIN_CURRENT IRQWIN_FA7A549D

struct irqwin_in {
	unsigned int irqchip;	/* enum irqwin_irqchip */
	bool window_requested;	/* kvm_run->request_interrupt_window */
	/*
	 * kvm_apic_accept_pic_intr(): the LAPIC is hardware-disabled
	 * (APIC_BASE bit 11), or LVT0 is unmasked in ExtINT mode.
	 */
	bool lint0_extint;
	/* Split: KVM_INTERRUPT's vector not yet taken (pending_external_vector). */
	bool extint_queued;
	/* kvm_apic_has_interrupt() != -1: an IRR vector above the PPR. */
	bool lapic_irr;
	/* APICv/AVIC active outside L2: KVM leaves LAPIC interrupts to the CPU. */
	bool apicv;
	/*
	 * interrupt.injected: an IRQ awaiting (re-)injection. Without an
	 * in-kernel LAPIC, also where KVM_INTERRUPT puts its vector.
	 */
	bool irq_injected;
	bool event_injected;	/* exception.injected or nmi_injected */
	bool exception_pending;	/* kvm_is_exception_pending() */
	/*
	 * interrupt_allowed(): IF=1, no STI or MOV SS shadow, GIF=1. Up to
	 * 7.2 a pending nested VM-entry also counts as allowed (-EBUSY).
	 */
	bool interruptible;
};

struct irqwin_out {
	bool has_extint;	/* kvm_cpu_has_extint() */
	bool accept_dm_intr;	/* kvm_cpu_accept_dm_intr() */
	bool ready;		/* kvm_vcpu_ready_for_interrupt_injection() */
	bool armed;		/* vcpu_enter_guest() arms the window for userspace */
	bool run_ready;		/* kvm_run->ready_for_interrupt_injection */
	bool exits_open;	/* vcpu_run() returns KVM_EXIT_IRQ_WINDOW_OPEN */
	bool kvm_progress;	/* KVM has an event of its own to inject */
	/* Armed, interruptible, not ready, and nothing for KVM to inject. */
	bool livelock;
};

#define IRQWIN_NR_INPUT_BITS	9
/* Every input combination: irqchip modes times the boolean inputs. */
#define IRQWIN_NR_COMBINATIONS	(IRQWIN_NR_IRQCHIPS << IRQWIN_NR_INPUT_BITS)

/* Combination @index (0 .. IRQWIN_NR_COMBINATIONS - 1) into @in. */
void irqwin_in_from_index(unsigned int index, struct irqwin_in *in);

/* The predicates of @version (enum irqwin_version) for @in. */
void irqwin_eval(unsigned int version, const struct irqwin_in *in, struct irqwin_out *out);

/* "pre-71cc849b", "71cc849b", "fa7a549d"; NULL for an unknown version. */
const char *irqwin_version_name(unsigned int version);
const char *irqwin_irqchip_name(unsigned int irqchip);

/* @in as "split window lint0-extint lapic-irr ...": the inputs set. */
int irqwin_in_describe(const struct irqwin_in *in, char *buf, unsigned int len);

#endif

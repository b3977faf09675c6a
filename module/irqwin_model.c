// SPDX-License-Identifier: GPL-2.0
/*
 * The interrupt-window predicates per KVM version (irqwin_model.h). Each
 * form below is KVM's own, term by term: 6.12 arch/x86/kvm/x86.c
 * kvm_cpu_accept_dm_intr(), kvm_vcpu_ready_for_interrupt_injection(),
 * vcpu_enter_guest() (req_int_win), vcpu_run() and post_kvm_run_save();
 * arch/x86/kvm/irq.c kvm_cpu_has_extint() and kvm_cpu_has_interrupt();
 * the older forms from the diffs of 71cc849b7093 and fa7a549d321a.
 */
#ifdef __KERNEL__
#include <linux/kernel.h>
#include <kunit/visibility.h>
#else
/* user/Makefile defines EXPORT_SYMBOL_IF_KUNIT() empty for the harness. */
#include <stdio.h>
#endif

#include "irqwin_model.h"

void irqwin_in_from_index(unsigned int index, struct irqwin_in *in)
{
	unsigned int bits = index & ((1u << IRQWIN_NR_INPUT_BITS) - 1);

	in->irqchip = index >> IRQWIN_NR_INPUT_BITS;
	in->window_requested = bits & 1;
	in->lint0_extint = bits & 2;
	in->extint_queued = bits & 4;
	in->lapic_irr = bits & 8;
	in->apicv = bits & 16;
	in->irq_injected = bits & 32;
	in->event_injected = bits & 64;
	in->exception_pending = bits & 128;
	in->interruptible = bits & 256;
}
EXPORT_SYMBOL_IF_KUNIT(irqwin_in_from_index);

void irqwin_eval(unsigned int version, const struct irqwin_in *in, struct irqwin_out *out)
{
	bool lapic_in_kernel = in->irqchip != IRQWIN_IRQCHIP_NONE;
	bool pic_in_kernel = in->irqchip == IRQWIN_IRQCHIP_KERNEL;
	/* kvm_event_needs_reinjection() */
	bool reinjection = in->irq_injected || in->event_injected;
	/* The LAPIC would pass an ExtINT on: the part every version has. */
	bool lapic_passes = !lapic_in_kernel || in->lint0_extint;
	/* kvm_apic_has_interrupt() reports nothing without a LAPIC. */
	bool lapic_pending = lapic_in_kernel && in->lapic_irr;
	bool has_interrupt;

	/* Without a LAPIC, KVM_INTERRUPT's vector is interrupt.injected. */
	out->has_extint = lapic_in_kernel ? in->lint0_extint && in->extint_queued :
					    in->irq_injected;
	has_interrupt = out->has_extint || lapic_pending;

	switch (version) {
	case IRQWIN_PRE_71CC849B:
		out->accept_dm_intr = lapic_passes;
		out->ready = in->interruptible && !has_interrupt && !reinjection &&
			     out->accept_dm_intr;
		break;
	case IRQWIN_71CC849B:
		out->accept_dm_intr = !out->has_extint && lapic_passes;
		out->ready = in->interruptible && out->accept_dm_intr;
		break;
	default:
		out->accept_dm_intr = !out->has_extint && lapic_passes;
		out->ready = in->interruptible && out->accept_dm_intr && !reinjection &&
			     !in->exception_pending;
		break;
	}

	/* dm_request_for_irq_injection(): the request, and no PIC in KVM. */
	out->armed = in->window_requested && !pic_in_kernel && out->accept_dm_intr;
	out->exits_open = in->window_requested && !pic_in_kernel && out->ready;
	out->run_ready = pic_in_kernel || out->ready;
	/*
	 * kvm_check_and_inject_events() injects these itself; a LAPIC
	 * interrupt only without APICv (kvm_cpu_has_injectable_intr()).
	 */
	out->kvm_progress = reinjection || in->exception_pending || out->has_extint ||
			    (lapic_pending && !in->apicv);
	out->livelock = out->armed && in->interruptible && !out->ready && !out->kvm_progress;
}
EXPORT_SYMBOL_IF_KUNIT(irqwin_eval);

const char *irqwin_version_name(unsigned int version)
{
	static const char *const names[IRQWIN_NR_VERSIONS] = {
		[IRQWIN_PRE_71CC849B] = "pre-71cc849b",
		[IRQWIN_71CC849B] = "71cc849b",
		[IRQWIN_FA7A549D] = "fa7a549d",
	};

	return version < IRQWIN_NR_VERSIONS ? names[version] : NULL;
}
EXPORT_SYMBOL_IF_KUNIT(irqwin_version_name);

const char *irqwin_irqchip_name(unsigned int irqchip)
{
	static const char *const names[IRQWIN_NR_IRQCHIPS] = {
		[IRQWIN_IRQCHIP_NONE] = "userspace-irqchip",
		[IRQWIN_IRQCHIP_KERNEL] = "kernel-irqchip",
		[IRQWIN_IRQCHIP_SPLIT] = "split-irqchip",
	};

	return irqchip < IRQWIN_NR_IRQCHIPS ? names[irqchip] : "unknown-irqchip";
}
EXPORT_SYMBOL_IF_KUNIT(irqwin_irqchip_name);

int irqwin_in_describe(const struct irqwin_in *in, char *buf, unsigned int len)
{
	return snprintf(buf, len, "%s%s%s%s%s%s%s%s%s%s",
			irqwin_irqchip_name(in->irqchip),
			in->window_requested ? " window-requested" : "",
			in->lint0_extint ? " lint0-extint" : "",
			in->extint_queued ? " extint-queued" : "",
			in->lapic_irr ? " lapic-irr" : "",
			in->apicv ? " apicv" : "",
			in->irq_injected ? " irq-injected" : "",
			in->event_injected ? " event-injected" : "",
			in->exception_pending ? " exception-pending" : "",
			in->interruptible ? " interruptible" : " not-interruptible");
}
EXPORT_SYMBOL_IF_KUNIT(irqwin_in_describe);

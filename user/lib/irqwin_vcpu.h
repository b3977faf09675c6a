/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interrupt-window model's inputs (module/irqwin_model.h) on a real
 * vCPU: read back from KVM after a KVM_RUN, for the differential check,
 * and set through KVM's state ioctls, to walk the model's table on the
 * running kernel (KVM_RUN with immediate_exit returns -EINTR at once and
 * still fills in ready_for_interrupt_injection: 6.12 and 7.2
 * kvm_arch_vcpu_ioctl_run() goes through post_kvm_run_save()).
 *
 * Three inputs KVM does not show, which the caller supplies: whether
 * userspace asked for a window (its own kvm_run field), whether a
 * KVM_INTERRUPT vector is still queued (pending_external_vector has no
 * getter), and whether APICv/AVIC is on.
 *
 * Functions return 0 or -errno.
 */
#ifndef IRQLENS_IRQWIN_VCPU_H
#define IRQLENS_IRQWIN_VCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "../../module/irqwin_model.h"
#include "kvm_vm.h"

/* KVM_CAP_EXCEPTION_PAYLOAD: a pending exception reads back as pending. */
int __irqwin_vm_enable(struct kvm_vm *vm);

/* Inputs of vCPU @id as KVM holds them; the three above are left false. */
int __irqwin_vcpu_read(struct kvm_vm *vm, unsigned int id, unsigned int irqchip,
		       struct irqwin_in *in);

enum irqwin_lvt0 {
	IRQWIN_LVT0_MASKED,	/* ExtINT mode, masked */
	IRQWIN_LVT0_EXTINT,	/* ExtINT mode, unmasked: passes ExtINTs */
	IRQWIN_LVT0_FIXED,	/* unmasked, but fixed mode */
	IRQWIN_NR_LVT0,
};

enum irqwin_irr {
	IRQWIN_IRR_NONE,
	IRQWIN_IRR_ABOVE_PPR,	/* IRQWIN_IRR_VECTOR set, TPR 0: deliverable */
	IRQWIN_IRR_BELOW_PPR,	/* the same bit under a TPR of its class */
	IRQWIN_NR_IRR,
};

/* One state to put a vCPU in: each field one way KVM can be told it. */
struct irqwin_setting {
	bool if_flag;		/* RFLAGS.IF (KVM_SET_REGS) */
	uint8_t shadow;		/* 0, KVM_X86_SHADOW_INT_STI or _MOV_SS */
	uint8_t lvt0;		/* enum irqwin_lvt0 (KVM_SET_LAPIC) */
	uint8_t irr;		/* enum irqwin_irr; ISR clear */
	bool irq_injected;	/* interrupt.injected (KVM_SET_VCPU_EVENTS) */
	bool nmi_injected;	/* nmi.injected */
	bool exception_pending;	/* #UD pending (needs __irqwin_vm_enable()) */
};

#define IRQWIN_IRR_VECTOR	0x50
#define IRQWIN_INJECTED_VECTOR	0x61

/* Put vCPU @id in @s; the LAPIC parts only when the LAPIC is in KVM. */
int __irqwin_vcpu_set(struct kvm_vm *vm, unsigned int id, unsigned int irqchip,
		      const struct irqwin_setting *s);

/* The LAPIC of vCPU @id into x2APIC mode (KVM_SET_MSRS on APIC_BASE). */
int __irqwin_vcpu_x2apic(struct kvm_vm *vm, unsigned int id);

#endif

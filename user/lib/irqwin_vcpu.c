// SPDX-License-Identifier: GPL-2.0
/*
 * The interrupt-window model's inputs on a real vCPU (irqwin_vcpu.h).
 * Each input is computed as KVM computes it (6.12 arch/x86/kvm/lapic.c
 * kvm_apic_accept_pic_intr(), kvm_apic_has_interrupt(); x86.c
 * kvm_vcpu_ioctl_x86_get_vcpu_events()).
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include <linux/kvm.h>

#include "irqwin_vcpu.h"

#define MSR_IA32_APICBASE	0x1b
#define APICBASE_ENABLE		(1ULL << 11)
#define APICBASE_X2APIC		(1ULL << 10)
#define X86_EFLAGS_IF		(1ULL << 9)
#define APIC_TPR		0x80
#define APIC_SPIV		0xf0
#define APIC_ISR		0x100
#define APIC_IRR		0x200
#define APIC_LVT0		0x350
#define APIC_LVT_MASKED		(1U << 16)
#define APIC_DM_EXTINT		7
#define UD_VECTOR		6

int __irqwin_vm_enable(struct kvm_vm *vm)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_EXCEPTION_PAYLOAD, .args = { 1 } };

	return ioctl(vm->vm_fd, KVM_ENABLE_CAP, &cap) ? -errno : 0;
}

static uint32_t lapic_reg(const struct kvm_lapic_state *l, unsigned int reg)
{
	uint32_t v;

	memcpy(&v, l->regs + reg, sizeof(v));
	return v;
}

static void lapic_set_reg(struct kvm_lapic_state *l, unsigned int reg, uint32_t v)
{
	memcpy(l->regs + reg, &v, sizeof(v));
}

/* Highest vector set in the 256-bit register at @base, or -1. */
static int lapic_highest(const struct kvm_lapic_state *l, unsigned int base)
{
	int i, bit;
	uint32_t w;

	for (i = 7; i >= 0; i--) {
		w = lapic_reg(l, base + i * 0x10);
		if (!w)
			continue;
		for (bit = 31; bit >= 0; bit--)
			if (w & (1U << bit))
				return i * 32 + bit;
	}
	return -1;
}

/* kvm_apic_has_interrupt() != -1: the IRR's best above the PPR. */
static bool lapic_irr_deliverable(const struct kvm_lapic_state *l)
{
	int irr = lapic_highest(l, APIC_IRR), isr = lapic_highest(l, APIC_ISR);
	uint32_t tpr = lapic_reg(l, APIC_TPR) & 0xff, isrv = isr < 0 ? 0 : isr, ppr;

	/* __apic_update_ppr() */
	ppr = (tpr & 0xf0) >= (isrv & 0xf0) ? tpr : isrv & 0xf0;
	return irr >= 0 && ((uint32_t)irr & 0xf0) > ppr;
}

/* KVM_GET_MSRS or KVM_SET_MSRS (@req) of APIC_BASE alone. */
static int apic_base_io(struct kvm_vm *vm, unsigned int id, unsigned long req, uint64_t *base)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e;
	} m = { .hdr.nmsrs = 1, .e.index = MSR_IA32_APICBASE, .e.data = *base };
	int ret = ioctl(vm->vcpu[id].fd, req, &m);

	if (ret < 0)
		return -errno;
	if (ret != 1)
		return -EIO;
	*base = m.e.data;
	return 0;
}

int __irqwin_vcpu_read(struct kvm_vm *vm, unsigned int id, unsigned int irqchip,
		       struct irqwin_in *in)
{
	int fd = vm->vcpu[id].fd, ret;
	struct kvm_vcpu_events ev;
	struct kvm_lapic_state l;
	struct kvm_regs regs;
	uint64_t base;
	uint32_t lvt0;

	memset(in, 0, sizeof(*in));
	in->irqchip = irqchip;
	if (ioctl(fd, KVM_GET_REGS, &regs) || ioctl(fd, KVM_GET_VCPU_EVENTS, &ev))
		return -errno;
	/* Not nested: GIF is 1. */
	in->interruptible = (regs.rflags & X86_EFLAGS_IF) && !ev.interrupt.shadow;
	in->irq_injected = ev.interrupt.injected;
	in->event_injected = ev.nmi.injected || ev.exception.injected;
	in->exception_pending = ev.exception.pending;
	if (irqchip == IRQWIN_IRQCHIP_NONE)
		return 0;

	if (ioctl(fd, KVM_GET_LAPIC, &l))
		return -errno;
	base = 0;
	ret = apic_base_io(vm, id, KVM_GET_MSRS, &base);
	if (ret)
		return ret;
	lvt0 = lapic_reg(&l, APIC_LVT0);
	in->lint0_extint = !(base & APICBASE_ENABLE) ||
			   (!(lvt0 & APIC_LVT_MASKED) && ((lvt0 >> 8) & 7) == APIC_DM_EXTINT);
	/* kvm_apic_present(): a hardware-disabled LAPIC has nothing. */
	in->lapic_irr = (base & APICBASE_ENABLE) && lapic_irr_deliverable(&l);
	return 0;
}

static int set_lapic(int fd, const struct irqwin_setting *s)
{
	struct kvm_lapic_state l;
	unsigned int i;
	uint32_t lvt0;

	if (ioctl(fd, KVM_GET_LAPIC, &l))
		return -errno;
	for (i = 0; i < 8; i++) {
		lapic_set_reg(&l, APIC_IRR + i * 0x10, 0);
		lapic_set_reg(&l, APIC_ISR + i * 0x10, 0);
	}
	if (s->irr != IRQWIN_IRR_NONE)
		lapic_set_reg(&l, APIC_IRR + (IRQWIN_IRR_VECTOR / 32) * 0x10,
			      1U << (IRQWIN_IRR_VECTOR % 32));
	/* A TPR of the vector's own class holds it back. */
	lapic_set_reg(&l, APIC_TPR, s->irr == IRQWIN_IRR_BELOW_PPR ? IRQWIN_IRR_VECTOR & 0xf0 : 0);
	lapic_set_reg(&l, APIC_SPIV, 0x1ff);
	switch (s->lvt0) {
	case IRQWIN_LVT0_MASKED:
		lvt0 = APIC_DM_EXTINT << 8 | APIC_LVT_MASKED;
		break;
	case IRQWIN_LVT0_EXTINT:
		lvt0 = APIC_DM_EXTINT << 8;
		break;
	default:
		lvt0 = 0;	/* fixed mode, vector 0, unmasked */
		break;
	}
	lapic_set_reg(&l, APIC_LVT0, lvt0);
	return ioctl(fd, KVM_SET_LAPIC, &l) ? -errno : 0;
}

int __irqwin_vcpu_set(struct kvm_vm *vm, unsigned int id, unsigned int irqchip,
		      const struct irqwin_setting *s)
{
	int fd = vm->vcpu[id].fd;
	struct kvm_vcpu_events ev;
	struct kvm_regs regs;

	if (ioctl(fd, KVM_GET_REGS, &regs))
		return -errno;
	regs.rflags = (regs.rflags & ~X86_EFLAGS_IF) | (s->if_flag ? X86_EFLAGS_IF : 0);
	if (ioctl(fd, KVM_SET_REGS, &regs))
		return -errno;

	/* Keep the flags KVM reported: the same state groups go back. */
	if (ioctl(fd, KVM_GET_VCPU_EVENTS, &ev))
		return -errno;
	ev.flags &= KVM_VCPUEVENT_VALID_NMI_PENDING | KVM_VCPUEVENT_VALID_SHADOW |
		    KVM_VCPUEVENT_VALID_SMM | KVM_VCPUEVENT_VALID_PAYLOAD |
		    KVM_VCPUEVENT_VALID_TRIPLE_FAULT;
	ev.flags |= KVM_VCPUEVENT_VALID_SHADOW;
	ev.interrupt.shadow = s->shadow;
	ev.interrupt.injected = s->irq_injected;
	ev.interrupt.nr = IRQWIN_INJECTED_VECTOR;
	ev.interrupt.soft = 0;
	ev.nmi.injected = s->nmi_injected;
	ev.exception.injected = 0;
	ev.exception.pending = s->exception_pending;
	ev.exception.nr = UD_VECTOR;
	ev.exception.has_error_code = 0;
	ev.exception_has_payload = 0;
	if (ioctl(fd, KVM_SET_VCPU_EVENTS, &ev))
		return -errno;

	if (irqchip == IRQWIN_IRQCHIP_NONE)
		return 0;
	return set_lapic(fd, s);
}

int __irqwin_vcpu_x2apic(struct kvm_vm *vm, unsigned int id)
{
	uint64_t base = 0;
	int ret = apic_base_io(vm, id, KVM_GET_MSRS, &base);

	if (ret)
		return ret;
	base |= APICBASE_ENABLE | APICBASE_X2APIC;
	return apic_base_io(vm, id, KVM_SET_MSRS, &base);
}

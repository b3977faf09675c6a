/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The ABI of the DSM IRQ forwarding RFC ("KVM: x86: add DSM IRQ
 * forwarding ABI and state", v2, June 2026; the GiantVM tree), spelled
 * as irqlens's own definitions so that they never clash with a kernel
 * header that carries the series. The layouts are the RFC's on x86_64,
 * byte for byte (user/test_dsm_abi.c pins every size and offset); where
 * the RFC leaves padding implicit or uses bool, the fields here say so
 * explicitly. Documentation/dsm.rst lists the RFC's ABI defects.
 *
 * The RFC puts its exit reasons and kvm_run members inside
 * "#ifdef CONFIG_KVM_DSM_IRQ_FORWARD" in include/uapi/linux/kvm.h, where
 * userspace never sees them; a VMM needs definitions like these.
 */
#ifndef _UAPI_LINUX_IRQLENS_DSM_H
#define _UAPI_LINUX_IRQLENS_DSM_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* kvm_run->exit_reason values of the RFC (KVM_EXIT_* 44..47). */
#define IRQLENS_DSM_EXIT_DAPIC		44	/* distributed APIC region access */
#define IRQLENS_DSM_EXIT_SEND_IRQ	45	/* xAPIC ICR/ICR2 write to forward */
#define IRQLENS_DSM_EXIT_X2_ICR		46	/* x2APIC ICR write to forward */
#define IRQLENS_DSM_EXIT_APIC_BASE	47	/* APIC base MSR write to forward */

/* KVM_CAP_X86_DSM as the GiantVM tree numbers it. */
#define IRQLENS_DSM_CAP			249

/**
 * struct irqlens_dsm_lapic_irq - kvm_run->lapic_irq (IRQLENS_DSM_EXIT_SEND_IRQ)
 * @id: the sending vCPU's id
 * @val: the APIC register written: 0x300 (ICR) or 0x310 (ICR2). The
 *	series' documentation calls it "ICR low"; its code sends the offset.
 * @val2: the value written to that register ("ICR high" in the
 *	documentation)
 * @dest_id: the xAPIC destination, ICR2 bits 31:24
 */
struct irqlens_dsm_lapic_irq {
	__u32 id;
	__u32 val;
	__u32 val2;
	__u32 dest_id;
};

/**
 * struct irqlens_dsm_x2apic - kvm_run->x2apic (IRQLENS_DSM_EXIT_X2_ICR)
 * @id: the sending vCPU's id
 * @pad: implicit in the RFC (4 bytes before a __u64)
 * @data: the 64-bit ICR value
 */
struct irqlens_dsm_x2apic {
	__u32 id;
	__u32 pad;
	__u64 data;
};

/**
 * struct irqlens_dsm_x2msr_base - kvm_run->x2msr_base (IRQLENS_DSM_EXIT_APIC_BASE)
 * @id: the vCPU's id
 * @host: "bool host" in the RFC: one byte on x86_64
 * @pad0: implicit in the RFC
 * @index: the MSR index
 * @pad1: implicit in the RFC (before a __u64)
 * @data: the value written
 */
struct irqlens_dsm_x2msr_base {
	__u32 id;
	__u8 host;
	__u8 pad0[3];
	__u32 index;
	__u32 pad1;
	__u64 data;
};

/**
 * struct irqlens_dsm_ipi - argument of %IRQLENS_DSM_IOC_IPI
 * @vcpu_id: the vCPU whose write is replayed: the sender, not a target
 *	(the series does not check it against the VM's vCPUs)
 * @val: as &struct irqlens_dsm_lapic_irq
 * @val2: as &struct irqlens_dsm_lapic_irq
 * @dest_id: as &struct irqlens_dsm_lapic_irq
 */
struct irqlens_dsm_ipi {
	__s32 vcpu_id;
	__u32 val;
	__u32 val2;
	__u32 dest_id;
};

/* VM ioctls of the RFC, on the VM fd (KVMIO is 0xAE). */
#define IRQLENS_DSM_KVMIO		0xAE
#define IRQLENS_DSM_IOC_IPI		_IOW(IRQLENS_DSM_KVMIO, 0xf3, struct irqlens_dsm_ipi)
/* Numbers only: the posted patches do not define their arguments. */
#define IRQLENS_DSM_IOC_X2APIC_NR	0xf4
#define IRQLENS_DSM_IOC_APIC_BASE_NR	0xf5

#endif /* _UAPI_LINUX_IRQLENS_DSM_H */

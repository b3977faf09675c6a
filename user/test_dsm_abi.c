// SPDX-License-Identifier: GPL-2.0
/*
 * The DSM IRQ forwarding RFC's ABI (include/uapi/linux/irqlens_dsm.h),
 * pinned on x86_64: every size and offset of irqlens's definitions equals
 * both the numbers the RFC implies and a copy of the RFC's own structs
 * (bool and implicit padding included) compiled here; each fits the
 * 256-byte exit union of this kernel's struct kvm_run. The RFC's ABI
 * defects are measured, not just asserted, and printed as findings
 * ("# dsm-finding: ..."); Documentation/dsm.rst explains each.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/kvm.h>
#include <linux/irqlens_dsm.h>

#include "lib/harness.h"

/* The RFC's kvm_run members, verbatim but for the names (patch 1/3). */
struct rfc_lapic_irq {
	__u32 id;
	__u32 val;
	__u32 val2;
	__u32 dest_id;
};

struct rfc_x2apic {
	__u32 id;
	__u64 data;
};

struct rfc_x2msr_base {
	__u32 id;
	bool host;
	__u32 index;
	__u64 data;
};

/* The kvm_run union the RFC adds its members to: 256 bytes (padding[256]). */
#define KVM_RUN_EXIT_UNION_SIZE	sizeof(((struct kvm_run *)0)->padding)

#define FINDING(fmt, ...) ksft_print_msg("dsm-finding: " fmt "\n", ##__VA_ARGS__)

TEST(lapic_irq_layout)
{
	EXPECT_EQ(16, sizeof(struct irqlens_dsm_lapic_irq));
	EXPECT_EQ(0, offsetof(struct irqlens_dsm_lapic_irq, id));
	EXPECT_EQ(4, offsetof(struct irqlens_dsm_lapic_irq, val));
	EXPECT_EQ(8, offsetof(struct irqlens_dsm_lapic_irq, val2));
	EXPECT_EQ(12, offsetof(struct irqlens_dsm_lapic_irq, dest_id));
	EXPECT_EQ(sizeof(struct rfc_lapic_irq), sizeof(struct irqlens_dsm_lapic_irq));
	EXPECT_EQ(offsetof(struct rfc_lapic_irq, dest_id),
		  offsetof(struct irqlens_dsm_lapic_irq, dest_id));
	EXPECT_GE(KVM_RUN_EXIT_UNION_SIZE, sizeof(struct irqlens_dsm_lapic_irq));
}

TEST(x2apic_layout)
{
	EXPECT_EQ(16, sizeof(struct irqlens_dsm_x2apic));
	EXPECT_EQ(0, offsetof(struct irqlens_dsm_x2apic, id));
	EXPECT_EQ(8, offsetof(struct irqlens_dsm_x2apic, data));
	EXPECT_EQ(sizeof(struct rfc_x2apic), sizeof(struct irqlens_dsm_x2apic));
	EXPECT_EQ(offsetof(struct rfc_x2apic, data), offsetof(struct irqlens_dsm_x2apic, data));
	EXPECT_GE(KVM_RUN_EXIT_UNION_SIZE, sizeof(struct irqlens_dsm_x2apic));
}

TEST(x2msr_base_layout)
{
	EXPECT_EQ(24, sizeof(struct irqlens_dsm_x2msr_base));
	EXPECT_EQ(0, offsetof(struct irqlens_dsm_x2msr_base, id));
	EXPECT_EQ(4, offsetof(struct irqlens_dsm_x2msr_base, host));
	EXPECT_EQ(8, offsetof(struct irqlens_dsm_x2msr_base, index));
	EXPECT_EQ(16, offsetof(struct irqlens_dsm_x2msr_base, data));
	EXPECT_EQ(sizeof(struct rfc_x2msr_base), sizeof(struct irqlens_dsm_x2msr_base));
	EXPECT_EQ(offsetof(struct rfc_x2msr_base, host), offsetof(struct irqlens_dsm_x2msr_base, host));
	EXPECT_EQ(offsetof(struct rfc_x2msr_base, index),
		  offsetof(struct irqlens_dsm_x2msr_base, index));
	EXPECT_EQ(offsetof(struct rfc_x2msr_base, data), offsetof(struct irqlens_dsm_x2msr_base, data));
	EXPECT_GE(KVM_RUN_EXIT_UNION_SIZE, sizeof(struct irqlens_dsm_x2msr_base));
}

TEST(vm_ioctls_and_numbers)
{
	EXPECT_EQ(16, sizeof(struct irqlens_dsm_ipi));
	EXPECT_EQ(12, offsetof(struct irqlens_dsm_ipi, dest_id));
	/* _IOW(KVMIO, 0xf3, 16 bytes) */
	EXPECT_EQ(0x4010aef3UL, (unsigned long)IRQLENS_DSM_IOC_IPI);
	EXPECT_EQ(KVMIO, IRQLENS_DSM_KVMIO);
	EXPECT_EQ(44, IRQLENS_DSM_EXIT_DAPIC);
	EXPECT_EQ(45, IRQLENS_DSM_EXIT_SEND_IRQ);
	EXPECT_EQ(46, IRQLENS_DSM_EXIT_X2_ICR);
	EXPECT_EQ(47, IRQLENS_DSM_EXIT_APIC_BASE);
	EXPECT_EQ(249, IRQLENS_DSM_CAP);
}

/* Finding: "bool host" in a uapi struct, and padding nobody declared. */
TEST(finding_bool_and_implicit_padding)
{
	size_t x2msr_pad = sizeof(struct rfc_x2msr_base) -
			   (sizeof(__u32) + sizeof(bool) + sizeof(__u32) + sizeof(__u64));
	size_t x2apic_pad = sizeof(struct rfc_x2apic) - (sizeof(__u32) + sizeof(__u64));

	EXPECT_EQ(1, sizeof(bool));
	EXPECT_EQ(7, x2msr_pad);
	EXPECT_EQ(4, x2apic_pad);
	FINDING("kvm_run.x2msr_base uses bool (its size and representation are the compiler's, not the ABI's; uapi headers use __u8)");
	FINDING("kvm_run.x2msr_base has %zu bytes of implicit padding (3 after host, 4 after index) and kvm_run.x2apic %zu (after id): uninitialised kernel stack or stale union bytes can reach userspace unless KVM clears them",
		x2msr_pad, x2apic_pad);
}

/*
 * Finding: the exit numbers and union members sit inside
 * "#ifdef CONFIG_KVM_DSM_IRQ_FORWARD" in a uapi header. Kernel config
 * symbols are never defined for userspace, so even on a DSM kernel the
 * installed <linux/kvm.h> gives a VMM none of them.
 */
TEST(finding_config_ifdef_in_uapi)
{
#ifdef KVM_EXIT_DSM_SEND_IRQ
	FINDING("this system's <linux/kvm.h> defines KVM_EXIT_DSM_SEND_IRQ = %d: its kernel headers carry the series without the CONFIG_ guard",
		KVM_EXIT_DSM_SEND_IRQ);
	EXPECT_EQ(IRQLENS_DSM_EXIT_SEND_IRQ, KVM_EXIT_DSM_SEND_IRQ);
#else
	FINDING("KVM_EXIT_DSM_SEND_IRQ is not visible in <linux/kvm.h>: the RFC guards its uapi additions with #ifdef CONFIG_KVM_DSM_IRQ_FORWARD, which userspace never defines, so no VMM can use them from installed headers");
	EXPECT_EQ(45, IRQLENS_DSM_EXIT_SEND_IRQ);
#endif
#ifdef KVM_CAP_X86_DSM
	EXPECT_EQ(IRQLENS_DSM_CAP, KVM_CAP_X86_DSM);
#endif
}

/*
 * Finding: the series documents lapic_irq.val/val2 as ICR low/high, its
 * code sends the register offset and the value written. A VMM that
 * believes the documentation decodes the ICR write of a fixed IPI to
 * vector 0xec as a reserved-mode IPI to vector 0.
 */
TEST(finding_val_is_register_offset)
{
	const struct irqlens_dsm_lapic_irq exit = {
		.id = 0, .val = 0x300, .val2 = 0x000000ec, .dest_id = 1,
	};
	unsigned int doc_vector = exit.val & 0xff, doc_mode = (exit.val >> 8) & 7;
	unsigned int code_vector = exit.val2 & 0xff, code_mode = (exit.val2 >> 8) & 7;

	EXPECT_EQ(0, doc_vector);
	EXPECT_EQ(3, doc_mode);
	EXPECT_EQ(0xec, code_vector);
	EXPECT_EQ(0, code_mode);
	FINDING("lapic_irq.val is the APIC register written (0x300 ICR, 0x310 ICR2), val2 the value: read as ICR low/high, as the series' documentation says, a fixed IPI to vector 0x%x decodes as delivery mode %u (reserved) to vector 0x%x",
		code_vector, doc_mode, doc_vector);
	FINDING("each xAPIC IPI costs two exits (ICR2, then ICR); x2APIC ICR writes (MSR 0x830) are not forwarded at all; exit reasons 44 (DAPIC), 46 (X2_ICR) and 47 (APIC_BASE) are defined but never emitted; KVM_DSM_IPI does not check the vCPU id it is given (series code, June 2026)");
}

TEST_HARNESS_MAIN

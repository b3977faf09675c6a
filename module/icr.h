/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86 APIC interrupt command register: decoding an IPI as a guest
 * wrote it (xAPIC ICR/ICR2, x2APIC MSR 0x830) and resolving which vCPUs
 * it reaches, given each vCPU's APIC id and logical destination, the way
 * KVM's kvm_apic_match_dest() does. Pure code: the DSM observer uses it
 * for every IPI it records, KUnit checks it with tables
 * (tests/icr_test.c).
 */
#ifndef _IRQLENS_ICR_H
#define _IRQLENS_ICR_H

#include <linux/types.h>

/* Delivery modes, ICR bits 10:8 (7 is reserved). */
enum irqlens_icr_dm {
	IRQLENS_DM_FIXED = 0,
	IRQLENS_DM_LOWEST = 1,
	IRQLENS_DM_SMI = 2,
	IRQLENS_DM_PV_KICK = 3,		/* SDM: remote read; KVM: the PV unhalt kick */
	IRQLENS_DM_NMI = 4,
	IRQLENS_DM_INIT = 5,
	IRQLENS_DM_SIPI = 6,
};

/* Destination shorthands, ICR bits 19:18. */
enum irqlens_icr_shorthand {
	IRQLENS_SH_NONE = 0,
	IRQLENS_SH_SELF = 1,
	IRQLENS_SH_ALL = 2,		/* all including self */
	IRQLENS_SH_ALL_BUT_SELF = 3,
};

struct irqlens_icr {
	u8 vector;
	u8 delivery_mode;	/* enum irqlens_icr_dm, or a reserved value */
	u8 shorthand;		/* enum irqlens_icr_shorthand */
	bool logical;		/* destination mode, bit 11 */
	bool assert;		/* level, bit 14 */
	bool level_triggered;	/* trigger mode, bit 15 */
	bool x2apic;
	u32 dest;		/* xAPIC: ICR2 31:24; x2APIC: ICR 63:32 */
};

/* A vCPU's LAPIC as destination matching sees it. */
struct irqlens_apic_id {
	u32 apic_id;		/* xAPIC: 8 bits; x2APIC: 32 */
	u32 ldr;		/* APIC_LDR as the guest wrote it (x2APIC: KVM's) */
	u32 dfr;		/* APIC_DFR (xAPIC only): flat 0xffffffff, cluster 0x0fffffff */
};

/* Which vCPUs of a set an IPI reaches (up to 64 vCPUs). */
struct irqlens_ipi_targets {
	u64 mask;		/* vCPU indexes the IPI can be delivered to */
	bool one_of;		/* lowest priority: exactly one of @mask gets it */
	bool ignored;		/* delivered nowhere: see irqlens_icr_ignored() */
};

#define IRQLENS_ICR_MAX_VCPUS	64

void irqlens_icr_decode(u32 icr_low, u32 icr_high, bool x2apic, struct irqlens_icr *icr);
bool irqlens_icr_ignored(const struct irqlens_icr *icr);
void irqlens_icr_targets(const struct irqlens_icr *icr, const struct irqlens_apic_id *apics,
			 unsigned int nr_vcpus, unsigned int sender,
			 struct irqlens_ipi_targets *t);
const char *irqlens_icr_dm_name(u8 delivery_mode);
const char *irqlens_icr_shorthand_name(u8 shorthand);

#endif /* _IRQLENS_ICR_H */

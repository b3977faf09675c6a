// SPDX-License-Identifier: GPL-2.0
/*
 * ICR decoding and IPI destination resolution (icr.h). The rules are
 * those of KVM's lapic.c (kvm_apic_match_dest() and what it calls) and
 * of the SDM, vol. 3A, 11.6 "Issuing interprocessor interrupts".
 */
#include <kunit/visibility.h>
#include <linux/bits.h>
#include <linux/export.h>
#include <linux/minmax.h>

#include "compat.h"
#include "icr.h"

#define XAPIC_BROADCAST		0xffU
#define X2APIC_BROADCAST	0xffffffffU
#define DFR_FLAT		0xffffffffU
#define DFR_CLUSTER		0x0fffffffU

void irqlens_icr_decode(u32 icr_low, u32 icr_high, bool x2apic, struct irqlens_icr *icr)
{
	icr->vector = icr_low & 0xff;
	icr->delivery_mode = (icr_low >> 8) & 7;
	icr->logical = icr_low & BIT(11);
	icr->assert = icr_low & BIT(14);
	icr->level_triggered = icr_low & BIT(15);
	icr->shorthand = (icr_low >> 18) & 3;
	icr->x2apic = x2apic;
	/* xAPIC: ICR2 bits 31:24; x2APIC: the whole high half of the MSR. */
	icr->dest = x2apic ? icr_high : icr_high >> 24;
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_icr_decode);

/*
 * Delivered nowhere: an INIT level de-assert (KVM's __apic_accept_irq()
 * takes INIT only when edge-triggered or asserted) and delivery mode 7,
 * which KVM does not support. Mode 3 (remote read in the SDM) is not
 * ignored: KVM uses it as the paravirtual "unhalt" kick
 * (kvm_pv_kick_cpu_op), delivered to the destination without a vector.
 */
bool irqlens_icr_ignored(const struct irqlens_icr *icr)
{
	switch (icr->delivery_mode) {
	case IRQLENS_DM_INIT:
		return icr->level_triggered && !icr->assert;
	case IRQLENS_DM_FIXED:
	case IRQLENS_DM_LOWEST:
	case IRQLENS_DM_SMI:
	case IRQLENS_DM_PV_KICK:
	case IRQLENS_DM_NMI:
	case IRQLENS_DM_SIPI:
		return false;
	default:
		return true;
	}
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_icr_ignored);

static bool match_physical(const struct irqlens_icr *icr, const struct irqlens_apic_id *a)
{
	if (icr->dest == (icr->x2apic ? X2APIC_BROADCAST : XAPIC_BROADCAST))
		return true;
	return icr->dest == (icr->x2apic ? a->apic_id : (a->apic_id & 0xff));
}

static bool match_logical(const struct irqlens_icr *icr, const struct irqlens_apic_id *a)
{
	u32 mda = icr->dest, logical_id;

	if (mda == (icr->x2apic ? X2APIC_BROADCAST : XAPIC_BROADCAST))
		return true;
	/* x2APIC: cluster in 31:16, one bit per member in 15:0. */
	if (icr->x2apic)
		return (a->ldr >> 16) == (mda >> 16) && (a->ldr & mda & 0xffff);
	logical_id = a->ldr >> 24;
	switch (a->dfr) {
	case DFR_FLAT:
		return logical_id & mda;
	case DFR_CLUSTER:
		return (logical_id >> 4) == (mda >> 4) && (logical_id & mda & 0xf);
	default:
		return false;
	}
}

/*
 * Which of @nr_vcpus vCPUs (their LAPICs in @apics, in the same mode as
 * the sender, vCPU @sender) the IPI @icr reaches.
 */
void irqlens_icr_targets(const struct irqlens_icr *icr, const struct irqlens_apic_id *apics,
			 unsigned int nr_vcpus, unsigned int sender,
			 struct irqlens_ipi_targets *t)
{
	unsigned int i;
	bool hit;

	t->mask = 0;
	t->one_of = icr->delivery_mode == IRQLENS_DM_LOWEST;
	t->ignored = irqlens_icr_ignored(icr);
	if (t->ignored)
		return;
	nr_vcpus = min_t(unsigned int, nr_vcpus, IRQLENS_ICR_MAX_VCPUS);
	for (i = 0; i < nr_vcpus; i++) {
		switch (icr->shorthand) {
		case IRQLENS_SH_SELF:
			hit = i == sender;
			break;
		case IRQLENS_SH_ALL:
			hit = true;
			break;
		case IRQLENS_SH_ALL_BUT_SELF:
			hit = i != sender;
			break;
		default:
			hit = icr->logical ? match_logical(icr, &apics[i]) :
					     match_physical(icr, &apics[i]);
		}
		if (hit)
			t->mask |= BIT_ULL(i);
	}
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_icr_targets);

const char *irqlens_icr_dm_name(u8 delivery_mode)
{
	static const char * const names[8] = {
		[IRQLENS_DM_FIXED] = "fixed", [IRQLENS_DM_LOWEST] = "lowest",
		[IRQLENS_DM_SMI] = "smi", [IRQLENS_DM_PV_KICK] = "pv-kick",
		[IRQLENS_DM_NMI] = "nmi", [IRQLENS_DM_INIT] = "init",
		[IRQLENS_DM_SIPI] = "sipi", [7] = "reserved7",
	};

	return names[delivery_mode & 7];
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_icr_dm_name);

const char *irqlens_icr_shorthand_name(u8 shorthand)
{
	static const char * const names[4] = {
		[IRQLENS_SH_NONE] = "dest", [IRQLENS_SH_SELF] = "self",
		[IRQLENS_SH_ALL] = "all", [IRQLENS_SH_ALL_BUT_SELF] = "all-but-self",
	};

	return names[shorthand & 3];
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_icr_shorthand_name);

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IOMMU's own account of an interrupt: the VT-d interrupt remapping
 * table entry (IRTE) a host IRQ uses, as the kernel's debugfs shows it, a
 * view independent of irqlens.ko and of KVM.
 *
 *  - /sys/kernel/debug/irq/irqs/<irq> (CONFIG_GENERIC_IRQ_DEBUGFS): the
 *    IR domain level names the remapping unit ("INTEL-IR-<n>") and its
 *    hwirq is (IRTE index << 16) + sub-handle; the vector domain level
 *    gives the host vector and target CPU;
 *  - /sys/kernel/debug/iommu/intel/ir_translation_struct
 *    (CONFIG_INTEL_IOMMU_DEBUGFS): every present IRTE of unit dmar<n>,
 *    remapped ones (source id, destination, vector) then posted ones
 *    (source id, posted-descriptor address, guest vector).
 *
 * AMD-Vi has no such table in debugfs; there this view is absent.
 */
#ifndef IRQLENS_IR_TABLE_H
#define IRQLENS_IR_TABLE_H

#include <stdbool.h>
#include <stdint.h>

struct irte_view {
	unsigned int unit;		/* dmar<unit> */
	unsigned int index;		/* IRTE index in that unit's table */
	bool posted;			/* found among the posted entries */
	unsigned int sid;		/* source id: bus << 8 | devfn */
	uint32_t dest;			/* remapped: destination APIC id field */
	unsigned int vector;		/* remapped: host vector; posted: guest vector */
	unsigned int host_vector;	/* the vector domain's view of the IRQ */
	unsigned int host_cpu;
};

/*
 * 0 and the IRTE of host IRQ @irq; -ENOENT when this kernel shows no
 * IRTE table (the view is absent here: not a failure), -ENOSYS when it
 * shows the table but not which IRQ uses which entry (no
 * GENERIC_IRQ_DEBUGFS: the view is incomplete), -ENODATA
 * when the IRQ is not behind VT-d remapping or its IRTE is not in the
 * table, other -errno on read errors.
 */
int __irte_of_irq(unsigned int irq, struct irte_view *e);

/* Does @dest, a remapped IRTE's destination, name @cpu (/proc/cpuinfo)? */
int __irte_dest_is_cpu(uint32_t dest, unsigned int cpu, bool *is);

#endif

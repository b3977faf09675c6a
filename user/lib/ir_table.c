// SPDX-License-Identifier: GPL-2.0
/*
 * The VT-d IRTE of a host IRQ from the kernel's debugfs (ir_table.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ir_table.h"

#define IRQ_DEBUGFS	"/sys/kernel/debug/irq/irqs"
#define IR_TABLE	"/sys/kernel/debug/iommu/intel/ir_translation_struct"

static FILE *open_view(const char *path, int *ret)
{
	FILE *f = fopen(path, "re");

	*ret = f ? 0 : (errno == ENOENT ? -ENOENT : -errno);
	return f;
}

/* The IR unit, IRTE index and host vector/CPU from the IRQ's debugfs file. */
static int irq_irte_index(unsigned int irq, struct irte_view *e)
{
	bool in_ir = false, have_index = false, have_vector = false, have_cpu = false;
	char path[64], line[256];
	unsigned long hwirq;
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), IRQ_DEBUGFS "/%u", irq);
	if (access(IRQ_DEBUGFS, F_OK))
		return -ENOSYS;
	f = open_view(path, &ret);
	if (!f)
		return ret == -ENOENT ? -ENODATA : ret;
	while (fgets(line, sizeof(line), f)) {
		const char *p = line + strspn(line, " ");

		if (!strncmp(p, "domain:", 7)) {
			in_ir = sscanf(p, "domain: INTEL-IR-%u", &e->unit) == 1;
		} else if (in_ir && sscanf(p, "hwirq: %lx", &hwirq) == 1) {
			e->index = (hwirq >> 16) + (hwirq & 0xffff);
			have_index = true;
			in_ir = false;
		} else if (sscanf(p, "Vector: %u", &e->host_vector) == 1) {
			have_vector = true;
		} else if (sscanf(p, "Target: %u", &e->host_cpu) == 1) {
			have_cpu = true;
		}
	}
	fclose(f);
	if (!have_index)
		return -ENODATA;
	return have_vector && have_cpu ? 0 : -EPROTO;
}

/* Find entry e->index of dmar<e->unit> in the remapped or posted list. */
static int table_entry(struct irte_view *e)
{
	unsigned int unit = ~0U, idx, bus, dev, fn, a, b, vec;
	bool posted = false;
	char line[256];
	FILE *f;
	int ret;

	f = open_view(IR_TABLE, &ret);
	if (!f)
		return ret;
	ret = -ENODATA;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Remapped Interrupt supported on IOMMU: dmar%u", &unit) == 1) {
			posted = false;
			continue;
		}
		if (sscanf(line, "Posted Interrupt supported on IOMMU: dmar%u", &unit) == 1) {
			posted = true;
			continue;
		}
		if (unit != e->unit)
			continue;
		if (!posted &&
		    sscanf(line, " %u %x:%x.%x %x %x ", &idx, &bus, &dev, &fn, &a, &vec) == 6 &&
		    idx == e->index) {
			e->dest = a;
		} else if (posted &&
			   sscanf(line, " %u %x:%x.%x %x %x %x ", &idx, &bus, &dev, &fn, &a, &b,
				  &vec) == 7 && idx == e->index) {
			e->dest = 0;
		} else {
			continue;
		}
		e->posted = posted;
		e->sid = bus << 8 | dev << 3 | fn;
		e->vector = vec;
		ret = 0;
		break;
	}
	fclose(f);
	return ret;
}

int __irte_of_irq(unsigned int irq, struct irte_view *e)
{
	int ret;

	memset(e, 0, sizeof(*e));
	if (access(IR_TABLE, F_OK))
		return -ENOENT;
	ret = irq_irte_index(irq, e);
	return ret ?: table_entry(e);
}

int __irte_dest_is_cpu(uint32_t dest, unsigned int cpu, bool *is)
{
	unsigned int n = ~0U, apicid;
	char line[512];
	FILE *f;
	int ret;

	f = open_view("/proc/cpuinfo", &ret);
	if (!f)
		return ret;
	ret = -ENOENT;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "processor : %u", &n) == 1)
			continue;
		if (n == cpu && sscanf(line, "apicid : %u", &apicid) == 1) {
			/* x2APIC mode holds the id; xAPIC mode has it in bits 15:8. */
			*is = dest == apicid || (apicid < 256 && dest == apicid << 8);
			ret = 0;
			break;
		}
	}
	fclose(f);
	return ret;
}

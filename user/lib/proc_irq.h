/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host views of an interrupt: its row in /proc/interrupts and its
 * affinity. Functions return 0 or -errno.
 */
#ifndef IRQLENS_PROC_IRQ_H
#define IRQLENS_PROC_IRQ_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Host IRQ number and total count (all CPUs) of the row whose name is
 * exactly @name, e.g. "vfio-msi[0](0000:00:10.0)". -ENOENT when absent.
 */
int __proc_irq_find(const char *name, unsigned int *irq, uint64_t *count);

/* CPUs beyond this are not counted by __proc_irq_find(). */
#define PROC_IRQ_MAX_CPUS	256

/* Likewise, per CPU: @per_cpu[0 .. *@nr_cpus - 1]. */
int __proc_irq_counts(const char *name, unsigned int *irq, uint64_t *per_cpu,
		      unsigned int max_cpus, unsigned int *nr_cpus);

/*
 * Name vfio-pci gives vector @vector of @bdf; @index_name is "msi" or
 * "msix" (vfio_irq_index_name()).
 */
void vfio_irq_name(char *buf, unsigned int len, const char *index_name,
		   unsigned int vector, const char *bdf);

/* Whether host IRQ @irq sits under interrupt remapping (its chip is "IR-..."). */
int __proc_irq_remapped(unsigned int irq, bool *remapped);

/* Route host IRQ @irq to CPU @cpu alone (/proc/irq/N/smp_affinity_list). */
int __proc_irq_set_affinity(unsigned int irq, unsigned int cpu);

/*
 * The CPU host IRQ @irq is really delivered to now
 * (/proc/irq/N/effective_affinity_list: its first CPU). smp_affinity_list
 * shows what was asked for, also while the kernel still holds the move
 * pending (the old vector not yet freed: the move is retried at the next
 * interrupt).
 */
int __proc_irq_effective_cpu(unsigned int irq, unsigned int *cpu);

#endif

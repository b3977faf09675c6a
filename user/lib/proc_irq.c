// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc_irq.h"
#include "sysfs_util.h"

void vfio_irq_name(char *buf, unsigned int len, const char *index_name,
		   unsigned int vector, const char *bdf)
{
	snprintf(buf, len, "vfio-%s[%u](%s)", index_name, vector, bdf);
}

/*
 * A row is "  IRQ:  c0  c1 ...  chip  hwirq  edge  name": the counts are
 * the numeric fields right after the colon, the name is the last field.
 */
static int parse_row(char *line, const char *name, unsigned int *irq,
		     uint64_t *per_cpu, unsigned int max_cpus, unsigned int *nr_cpus)
{
	char *p, *end, *last;
	unsigned int cpu = 0;
	unsigned long n;

	p = line + strspn(line, " ");
	n = strtoul(p, &end, 10);
	if (end == p || *end != ':')
		return -ENOENT;
	last = strrchr(line, ' ');
	if (!last || strcmp(last + 1, name))
		return -ENOENT;
	p = end + 1;
	for (;;) {
		while (*p == ' ')
			p++;
		if (!isdigit((unsigned char)*p))
			break;
		if (cpu < max_cpus)
			per_cpu[cpu] = strtoull(p, &end, 10);
		else
			strtoull(p, &end, 10);
		cpu++;
		p = end;
	}
	*irq = n;
	*nr_cpus = cpu < max_cpus ? cpu : max_cpus;
	return 0;
}

int __proc_irq_find(const char *name, unsigned int *irq, uint64_t *count)
{
	uint64_t per_cpu[PROC_IRQ_MAX_CPUS];
	unsigned int cpu, nr_cpus;
	int ret;

	ret = __proc_irq_counts(name, irq, per_cpu, PROC_IRQ_MAX_CPUS, &nr_cpus);
	if (ret)
		return ret;
	*count = 0;
	for (cpu = 0; cpu < nr_cpus; cpu++)
		*count += per_cpu[cpu];
	return 0;
}

/*
 * Call @match on each line of /proc/interrupts (newline stripped) until it
 * returns true: 0 then, -ENOENT when no line matched.
 */
static int proc_interrupts_find(bool (*match)(char *line, void *arg), void *arg)
{
	char line[4096];
	FILE *f;
	int ret = -ENOENT;

	f = fopen("/proc/interrupts", "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (match(line, arg)) {
			ret = 0;
			break;
		}
	}
	fclose(f);
	return ret;
}

struct row_query {
	const char *name;
	unsigned int *irq;
	uint64_t *per_cpu;
	unsigned int max_cpus;
	unsigned int *nr_cpus;
};

static bool row_named(char *line, void *arg)
{
	struct row_query *q = arg;

	return !parse_row(line, q->name, q->irq, q->per_cpu, q->max_cpus, q->nr_cpus);
}

int __proc_irq_counts(const char *name, unsigned int *irq, uint64_t *per_cpu,
		      unsigned int max_cpus, unsigned int *nr_cpus)
{
	struct row_query q = { name, irq, per_cpu, max_cpus, nr_cpus };

	return proc_interrupts_find(row_named, &q);
}

int __proc_irq_set_affinity(unsigned int irq, unsigned int cpu)
{
	char path[64], val[16];

	snprintf(path, sizeof(path), "/proc/irq/%u/smp_affinity_list", irq);
	snprintf(val, sizeof(val), "%u\n", cpu);
	return sysfs_write(path, val);
}

int __proc_irq_effective_cpu(unsigned int irq, unsigned int *cpu)
{
	char path[64], val[64], *end;
	int ret;

	snprintf(path, sizeof(path), "/proc/irq/%u/effective_affinity_list", irq);
	ret = sysfs_read(path, val, sizeof(val));
	if (ret)
		return ret;
	*cpu = strtoul(val, &end, 10);
	return end == val ? -EPROTO : 0;
}

/*
 * The chip column of an interrupt-remapped MSI reads "IR-PCI-MSI-..." or
 * "IR-PCI-MSIX-...": the host's own account, independent of irqlens.ko.
 */
struct remap_query {
	unsigned int irq;
	bool *remapped;
};

static bool row_of_irq(char *line, void *arg)
{
	struct remap_query *q = arg;
	char *end;

	if (strtoul(line, &end, 10) != q->irq || end == line || *end != ':')
		return false;
	*q->remapped = strstr(end, " IR-") != NULL;
	return true;
}

int __proc_irq_remapped(unsigned int irq, bool *remapped)
{
	struct remap_query q = { irq, remapped };

	return proc_interrupts_find(row_of_irq, &q);
}

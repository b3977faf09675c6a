// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/irqlens/caps: what this kernel offers irqlens, one
 * "key: value" line each, so that a person and the harness read the same
 * file.
 */
#include <linux/acpi.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/utsname.h>

#include "bypass.h"
#include "hooks.h"
#include "irqlens.h"

static bool acpi_has_table(char *signature)
{
	struct acpi_table_header *hdr;

	if (acpi_disabled || ACPI_FAILURE(acpi_get_table(signature, 0, &hdr)))
		return false;
	acpi_put_table(hdr);
	return true;
}

/*
 * Which IOMMU the firmware describes: the ACPI table each driver starts
 * from (neither driver exports whether it is enabled). Which one remaps
 * a given interrupt shows per link in "bypass" (the IR domain it sits in).
 */
static const char *iommu_described(void)
{
	if (!IS_ENABLED(CONFIG_ACPI))
		return "unknown (kernel without ACPI)";
	if (acpi_has_table(ACPI_SIG_DMAR))
		return "intel-vtd (ACPI DMAR table)";
	if (acpi_has_table(ACPI_SIG_IVRS))
		return "amd-vi (ACPI IVRS table)";
	return "none (no ACPI DMAR or IVRS table)";
}

static int caps_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "version: %s\n", IRQLENS_VERSION);
	seq_printf(m, "kernel: %s\n", init_utsname()->release);
	/*
	 * KVM posts (and registers irqfds as bypass consumers) only with
	 * this and APICv/AVIC; the latter is a KVM module parameter, which
	 * "irqlens status" reads from /sys/module.
	 */
	seq_printf(m, "irq_posting_cap: %s\n", irqlens_posting_cap() ? "yes" : "no");
	seq_printf(m, "iommu: %s\n", iommu_described());
	irqlens_hooks_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(caps);

void irqlens_caps_create(struct dentry *root)
{
	/* Root-only: the file describes the host kernel. */
	debugfs_create_file("caps", 0400, root, NULL, &caps_fops);
}

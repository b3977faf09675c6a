/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What irqlens.ko observed, read the way programs should read it: the
 * bypass links through IRQLENS_IOC_BYPASS_LINKS. Shared by the tests and
 * the irqlens CLI. (Whether the host can post is not read from here:
 * post_cap.h decides it from the kernel's own files.)
 */
#ifndef IRQLENS_VIEW_H
#define IRQLENS_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/irqlens.h>

#define IRQLENS_DEBUGFS "/sys/kernel/debug/irqlens"
#define IRQLENS_CONTROL IRQLENS_DEBUGFS "/control"
#define IRQLENS_VIEW_MAX_LINKS 512

struct irqlens_view {
	struct irqlens_bypass_query q;	/* totals of the last read */
	struct irqlens_bypass_link links[IRQLENS_VIEW_MAX_LINKS];
	unsigned int nr;
};

#define IRQLENS_VIEW_MAX_VCPUS 512

/* The interrupt-window records (IRQLENS_IOC_WINDOW_VCPUS). */
struct irqlens_window_view {
	struct irqlens_window_query q;	/* totals of the last read */
	struct irqlens_window_vcpu vcpus[IRQLENS_VIEW_MAX_VCPUS];
	unsigned int nr;
};

/* Make sure irqlens.ko is loaded (libkmod); -errno and @why if not. */
int __irqlens_view_require_module(char *why, size_t why_len);

/* Read every link now; -errno. */
int __irqlens_view_read(struct irqlens_view *v);

/* Read every vCPU's window record now; -errno. */
int __irqlens_window_read(struct irqlens_window_view *v);

/* The record of vCPU @vcpu_id that process @pid last ran, or NULL. */
const struct irqlens_window_vcpu *irqlens_window_vcpu(const struct irqlens_window_view *v,
						      unsigned int pid, unsigned int vcpu_id);

/* The link whose producer has @host_irq, or NULL. */
const struct irqlens_bypass_link *irqlens_view_link_by_irq(const struct irqlens_view *v,
							     unsigned int host_irq);

const char *irqlens_mode_name(uint32_t mode);
const char *irqlens_iommu_name(uint32_t remap);
const char *irqlens_reason_text(uint32_t reason);

/* APICv (kvm_intel) or AVIC (kvm_amd) as KVM's module parameter says. */
bool kvm_apic_virtualization_on(void);

#endif

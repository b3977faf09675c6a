/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Can this host post device interrupts to vCPUs? Worked out from the
 * kernel's own files, never from irqlens.ko (whose answer the tests
 * check): the IOMMU's capability registers in sysfs and the kernel
 * command line for the IOMMU half, KVM's module parameters for the KVM
 * half (kernel-facts.md section 1):
 *
 *  - VT-d: every /sys/class/iommu/dmar* has cap bit 59 (PI) and the CPU
 *    has cx16;
 *  - AMD-Vi: every /sys/class/iommu/ivhd* has FEATURE_GA (bit 7) and
 *    FEATURE_GAM_VAPIC (bit 21) in its extended features;
 *  - either: the command line turns neither remapping nor posting off
 *    (nointremap, intremap= with off or nopost in its list,
 *    amd_iommu_intr=legacy*). Whether remapping came up at all is the
 *    host IRQ's own business: a test expects posting only for an IRQ that
 *    /proc/interrupts shows remapped;
 *  - KVM: kvm_intel.enable_apicv or kvm_amd.avic is on, and on kernels
 *    that have it (6.17+), kvm.enable_device_posted_irqs too.
 *
 * A file that exists but cannot be read or parsed is an error, not a
 * "no": a test must not decide "cannot post" from a failed read.
 */
#ifndef IRQLENS_POST_CAP_H
#define IRQLENS_POST_CAP_H

#include <stdbool.h>
#include <stddef.h>

enum post_cap {
	POST_CAP_YES,		/* IOMMU and KVM can both post */
	POST_CAP_NO_IOMMU,	/* the IOMMU cannot post: KVM adds no consumer */
	POST_CAP_NO_KVM,	/* the IOMMU could, KVM will not (APICv/AVIC off) */
};

/*
 * 0 and the verdict in @cap with the reason in @why (empty for YES), or
 * -errno with @why naming the file that could not be read.
 */
int __post_cap_probe(enum post_cap *cap, char *why, size_t why_len);

#endif

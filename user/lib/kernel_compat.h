/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The harness's one place for differences between the kernels it runs on
 * (6.12 and 7.2 in CI; module/compat.h is the module's). The harness is
 * built once, against 6.12's uapi headers, and decides at run time from
 * what the running kernel shows:
 *
 *  - kvm.enable_device_posted_irqs (7.x; 0444, cleared when APICv or the
 *    IOMMU's IRQ_POSTING_CAP is missing) does not exist on 6.12, where
 *    APICv/AVIC alone decides: absent means "no separate switch".
 *  - kvm_amd.avic defaults to "auto" on 7.x and reads back Y or N once
 *    KVM has decided; 6.12 has Y/N from the start. Both read as a bool.
 *
 * Everything else the harness uses (KVM's binary stats names, the
 * kvm_inj_virq and kvm_apic_accept_irq trace formats, VFIO and irqfd
 * ioctls) is the same on both; the 7.2 and 7.2-rt boots of make check
 * run every program to keep it so.
 */
#ifndef IRQLENS_KERNEL_COMPAT_H
#define IRQLENS_KERNEL_COMPAT_H

#define KVM_PARAM_INTEL_APICV		"/sys/module/kvm_intel/parameters/enable_apicv"
#define KVM_PARAM_AMD_AVIC		"/sys/module/kvm_amd/parameters/avic"
/* 7.x only: ENOENT on 6.12. */
#define KVM_PARAM_DEVICE_POSTED_IRQS	"/sys/module/kvm/parameters/enable_device_posted_irqs"

#endif

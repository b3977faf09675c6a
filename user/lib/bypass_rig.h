/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IRQ-bypass rig: a running guest on several vCPUs whose KVM irqfds
 * are the eventfds of a VFIO device's MSI/MSI-X vectors, one GSI per
 * vector, as a VMM with an assigned device sets it up (kvm-vfio device,
 * routes, irqfds, then the VFIO vectors). Shared by test_vfio_bypass and
 * bench_bypass. Functions return 0 or -errno and say why in @why.
 */
#ifndef IRQLENS_BYPASS_RIG_H
#define IRQLENS_BYPASS_RIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "guest.h"
#include "kvm_irq.h"
#include "kvm_stats.h"
#include "kvm_vm.h"
#include "vcpu_thread.h"
#include "vfio_dev.h"
#include "vfio_driver.h"

#define RIG_VCPUS	2
#define RIG_MAX_VECTORS	4
#define RIG_GSI_BASE	32

enum rig_send_path { RIG_BY_EVENTFD, RIG_BY_VFIO_TRIGGER, RIG_BY_DEVICE, RIG_NR_PATHS };

struct bypass_rig {
	struct kvm_vm vm;
	struct vcpu_thread vcpu[RIG_VCPUS];
	struct guest_irq_counts *counts;	/* the guest's copy */
	struct vfio_dev dev;
	const struct vfio_driver *drv;
	unsigned int index, nr_vectors;
	int eventfd[RIG_MAX_VECTORS];
	bool enabled;
	unsigned int host_irq[RIG_MAX_VECTORS];
	bool remapped[RIG_MAX_VECTORS];		/* the host's view (/proc/interrupts) */
	uint32_t gsi[RIG_MAX_VECTORS];
	struct kvm_msi_target route[RIG_MAX_VECTORS];
	int kvm_vfio;
	/* KVM's own statistics per vCPU: what KVM injected (L1's view). */
	struct kvm_stats stats[RIG_VCPUS];
};

/* What KVM injected into one vCPU so far (its irq_/nmi_injections). */
struct rig_kvm_injections {
	uint64_t irqs, nmis;
};

const char *rig_path_name(enum rig_send_path path);

void bypass_rig_init(struct bypass_rig *r);
/* After __kvm_vm_create(): irqchip, guest memory, vCPU threads ready. */
int __bypass_rig_start_guest(struct bypass_rig *r, enum kvm_irqchip_mode irqchip,
			     bool x2apic, bool halt, char *why, size_t why_len);
/* Type1 VFIO on @bdf with driver @drv, routes, irqfds, vectors enabled. */
int __bypass_rig_start_device(struct bypass_rig *r, const char *bdf,
			      const struct vfio_driver *drv, char *why, size_t why_len);
void bypass_rig_stop(struct bypass_rig *r);

/* Vector @v's route becomes @t; with @churn the table is emptied first. */
int __bypass_rig_route(struct bypass_rig *r, unsigned int v,
		       const struct kvm_msi_target *t, bool churn);
/* KVM's injection counters of vCPU @vcpu, read now; -errno. */
int __bypass_rig_kvm_injections(struct bypass_rig *r, unsigned int vcpu,
				struct rig_kvm_injections *inj);
/* One interrupt on vector @v by @path. */
int __bypass_rig_send(struct bypass_rig *r, enum rig_send_path path, unsigned int v);

#endif

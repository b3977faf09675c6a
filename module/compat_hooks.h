/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place for kernel-version differences in what irqlens' hooks
 * see (compat.h has the rest). Only hook files include this: it pulls in
 * KVM and irqbypass headers.
 *
 * scripts/check-tracepoint-protos.py holds the tracepoint probe argument
 * lists (IRQLENS_*_PROBE_ARGS) and the mirrored private structs
 * ("irqlens-mirror:") here to a kernel source tree of the same version;
 * KVM's trace.h is not in the headers package, so the build cannot.
 */
#ifndef _IRQLENS_COMPAT_HOOKS_H
#define _IRQLENS_COMPAT_HOOKS_H

#include <linux/amd-iommu.h>
#include <linux/irqbypass.h>
#include <linux/kvm_host.h>
#include <linux/kvm_irqfd.h>
#include <linux/poll.h>
#include <linux/ptrace.h>
#include <linux/string.h>
#include <linux/version.h>
#include <asm/irq_remapping.h>

/*
 * The IRQ-bypass rework (6.17, the 7.x line) changed what the bypass
 * hooks see; everything that differs is read through these helpers.
 *
 * - irqbypass: 6.12 pairs by producer->token / consumer->token (the
 *   eventfd_ctx) and irq_bypass_register_producer(prod) reads prod->irq;
 *   7.x passes (prod, eventfd, irq) and (cons, eventfd), and sets
 *   ->eventfd only after __connect() returned, so inside a connect
 *   neither side's ->eventfd is safe to read: the KVM irqfd's own
 *   ->eventfd is, in both.
 * - The irqfd is queued on the eventfd by 6.12 irqfd_ptable_queue_proc()
 *   (void; KVM checked for duplicates before) and by 7.x
 *   kvm_irqfd_register(), whose poll_table sits in a private struct
 *   with the result.
 * - kvm_arch_update_irqfd_routing(): 6.12 (kvm, host_irq, guest_irq, set),
 *   called only for a changed route; 7.x (irqfd, old, new), called for
 *   every routing update, deciding inside.
 * - vcpu_info of irq_set_vcpu_affinity(): 6.12 struct vcpu_data (VT-d)
 *   or struct amd_iommu_pi_data with ->vcpu_data; 7.x struct
 *   intel_iommu_pi_data or struct amd_iommu_pi_data with ->vector.
 * - tracepoint kvm_pi_irte_update: 6.12 (host_irq, vcpu_id, gsi, gvec,
 *   pi_desc_addr, set); 7.x (host_irq, vcpu, gsi, gvec, set).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 17, 0)
#define IRQLENS_BYPASS_REWORK 1
#else
#define IRQLENS_BYPASS_REWORK 0
#endif

/* KVM's irqfds are the only irqbypass consumers on x86. */
static inline struct kvm_kernel_irqfd *irqlens_cons_irqfd(struct irq_bypass_consumer *cons)
{
	return container_of(cons, struct kvm_kernel_irqfd, consumer);
}

#if IRQLENS_BYPASS_REWORK
#define irqlens_producer_eventfd(prod)	((prod)->eventfd)
#define irqlens_consumer_eventfd(cons)	((cons)->eventfd)
/* irq_bypass_register_producer(prod, eventfd, irq) */
#define irqlens_reg_producer_eventfd(regs) \
	((void *)regs_get_kernel_argument(regs, 1))
#define irqlens_reg_producer_irq(regs) \
	((unsigned int)regs_get_kernel_argument(regs, 2))
/* irq_bypass_register_consumer(cons, eventfd) */
#define irqlens_reg_consumer_eventfd(regs) \
	((void *)regs_get_kernel_argument(regs, 1))
#define IRQLENS_PI_IRTE_PROBE_ARGS \
	void *data, unsigned int host_irq, struct kvm_vcpu *vcpu, \
	unsigned int gsi, unsigned int gvec, bool set
#define IRQLENS_PI_IRTE_VCPU_ID (vcpu ? vcpu->vcpu_id : 0)

/*
 * irqlens-mirror: virt/kvm/eventfd.c struct kvm_irqfd_pt
 * KVM's private wrapper of the poll_table kvm_irqfd_register() gets,
 * member for member: the irqfd, and the result it leaves for
 * kvm_irqfd_assign() (-EBUSY when another irqfd holds the eventfd).
 */
struct irqlens_kvm_irqfd_pt {
	struct kvm_kernel_irqfd *irqfd;
	struct kvm *kvm;
	poll_table pt;
	int ret;
};

#define IRQLENS_IRQFD_QUEUE_SYMBOL "kvm_irqfd_register"

/* kvm_irqfd_register(file, wqh, pt): @cookie is kept for the return. */
static inline struct kvm_kernel_irqfd *irqlens_queue_irqfd(struct pt_regs *regs, void **cookie)
{
	poll_table *pt = (void *)regs_get_kernel_argument(regs, 2);
	struct irqlens_kvm_irqfd_pt *p = container_of(pt, struct irqlens_kvm_irqfd_pt, pt);

	*cookie = p;
	return p->irqfd;
}

/* On the caller's stack until vfs_poll() returns, so still there. */
static inline int irqlens_queue_result(void *cookie)
{
	return ((struct irqlens_kvm_irqfd_pt *)cookie)->ret;
}

static inline u32 irqlens_pi_vector(bool amd, void *vcpu_info)
{
	if (amd)
		return ((struct amd_iommu_pi_data *)vcpu_info)->vector;
	return ((struct intel_iommu_pi_data *)vcpu_info)->vector;
}
#else
#define irqlens_producer_eventfd(prod)	((prod)->token)
#define irqlens_consumer_eventfd(cons)	((cons)->token)
#define irqlens_reg_producer_eventfd(regs) \
	(((struct irq_bypass_producer *)regs_get_kernel_argument(regs, 0))->token)
#define irqlens_reg_producer_irq(regs) \
	(((struct irq_bypass_producer *)regs_get_kernel_argument(regs, 0))->irq)
#define irqlens_reg_consumer_eventfd(regs) \
	(((struct irq_bypass_consumer *)regs_get_kernel_argument(regs, 0))->token)
#define IRQLENS_PI_IRTE_PROBE_ARGS \
	void *data, unsigned int host_irq, unsigned int vcpu_id, \
	unsigned int gsi, unsigned int gvec, u64 pi_desc_addr, bool set
#define IRQLENS_PI_IRTE_VCPU_ID vcpu_id

#define IRQLENS_IRQFD_QUEUE_SYMBOL "irqfd_ptable_queue_proc"

/* irqfd_ptable_queue_proc(file, wqh, pt): pt is the irqfd's own. */
static inline struct kvm_kernel_irqfd *irqlens_queue_irqfd(struct pt_regs *regs, void **cookie)
{
	poll_table *pt = (void *)regs_get_kernel_argument(regs, 2);

	*cookie = NULL;
	return container_of(pt, struct kvm_kernel_irqfd, pt);
}

/* It cannot fail: kvm_irqfd_assign() refused duplicates before it. */
static inline int irqlens_queue_result(void *cookie)
{
	return 0;
}

/* Read only for a posted update: 6.12 AVIC leaves ->vcpu_data unset to remap. */
static inline u32 irqlens_pi_vector(bool amd, void *vcpu_info)
{
	struct amd_iommu_pi_data *pi = vcpu_info;

	if (amd)
		return pi->vcpu_data ? pi->vcpu_data->vector : 0;
	return ((struct vcpu_data *)vcpu_info)->vector;
}
#endif

/* trace_kvm_entry(): the same in 6.12 and 7.x (7.x only records more). */
#define IRQLENS_KVM_ENTRY_PROBE_ARGS \
	void *data, struct kvm_vcpu *vcpu, bool force_immediate_exit

/* AMD-Vi: set by KVM to post, cleared by the IOMMU driver when it cannot. */
static inline bool irqlens_amd_guest_mode(void *vcpu_info)
{
	return vcpu_info && ((struct amd_iommu_pi_data *)vcpu_info)->is_guest_mode;
}

/*
 * kvm_arch_update_irqfd_routing(): the host IRQ and GSI it re-routes, and
 * whether the change reaches the IRTE at all.
 */
static inline void irqlens_route_update_args(struct pt_regs *regs, unsigned int *host_irq,
					     unsigned int *gsi, bool *changed)
{
#if IRQLENS_BYPASS_REWORK
	struct kvm_kernel_irqfd *irqfd = (void *)regs_get_kernel_argument(regs, 0);
	struct kvm_kernel_irq_routing_entry *old = (void *)regs_get_kernel_argument(regs, 1);
	struct kvm_kernel_irq_routing_entry *new = (void *)regs_get_kernel_argument(regs, 2);

	*host_irq = irqfd->producer ? irqfd->producer->irq : 0;
	*gsi = irqfd->gsi;
	/* The test arch/x86/kvm/irq.c makes before kvm_pi_update_irte(). */
	if (old->type != KVM_IRQ_ROUTING_MSI && new->type != KVM_IRQ_ROUTING_MSI)
		*changed = false;
	else if (old->type == KVM_IRQ_ROUTING_MSI && new->type == KVM_IRQ_ROUTING_MSI)
		*changed = memcmp(&old->msi, &new->msi, sizeof(new->msi)) != 0;
	else
		*changed = true;
#else
	*host_irq = regs_get_kernel_argument(regs, 1);
	*gsi = regs_get_kernel_argument(regs, 2);
	/* kvm_irq_routing_update() asked kvm_arch_irqfd_route_changed() first. */
	*changed = true;
#endif
}

#endif /* _IRQLENS_COMPAT_HOOKS_H */

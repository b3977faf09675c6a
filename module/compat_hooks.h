/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place for kernel-version differences in what irqlens' hooks
 * see (compat.h has the rest). Only hook files include this: it pulls in
 * KVM and irqbypass headers.
 */
#ifndef _IRQLENS_COMPAT_HOOKS_H
#define _IRQLENS_COMPAT_HOOKS_H

#include <linux/irqbypass.h>
#include <linux/kvm_host.h>
#include <linux/kvm_irqfd.h>
#include <linux/ptrace.h>
#include <linux/version.h>

/*
 * The IRQ-bypass rework (6.17, the 7.x line) changed what the bypass
 * hooks see; everything that differs is read through these helpers.
 *
 * - irqbypass: 6.12 pairs by producer->token / consumer->token (the
 *   eventfd_ctx) and irq_bypass_register_producer(prod) reads prod->irq;
 *   7.x passes (prod, eventfd, irq) and (cons, eventfd), and keeps the
 *   eventfd in ->eventfd.
 * - kvm_arch_update_irqfd_routing(): 6.12 (kvm, host_irq, guest_irq, set);
 *   7.x (irqfd, old, new).
 * - tracepoint kvm_pi_irte_update: 6.12 (host_irq, vcpu_id, gsi, gvec,
 *   pi_desc_addr, set); 7.x (host_irq, vcpu, gsi, gvec, set).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 17, 0)
#define IRQLENS_BYPASS_REWORK 1
#else
#define IRQLENS_BYPASS_REWORK 0
#endif

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
#endif

/* kvm_arch_update_irqfd_routing(): the host IRQ and GSI it re-routes. */
static inline void irqlens_route_update_args(struct pt_regs *regs,
					     unsigned int *host_irq, unsigned int *gsi)
{
#if IRQLENS_BYPASS_REWORK
	struct kvm_kernel_irqfd *irqfd = (void *)regs_get_kernel_argument(regs, 0);

	*host_irq = irqfd->producer ? irqfd->producer->irq : 0;
	*gsi = irqfd->gsi;
#else
	*host_irq = regs_get_kernel_argument(regs, 1);
	*gsi = regs_get_kernel_argument(regs, 2);
#endif
}

#endif /* _IRQLENS_COMPAT_HOOKS_H */

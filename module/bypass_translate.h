/* SPDX-License-Identifier: GPL-2.0 */
/*
 * From hooked calls to IRQ-bypass events: which call, at entry or at
 * return, with which result, means what for the state. bypass_hooks.c
 * reads each call's arguments (the kernel-version differences are there,
 * in compat_hooks.h) into a struct irqlens_bp_call; this pure function
 * decides the event. KUnit replays each kernel's real order of calls
 * through it (tests/bypass_order_test.c).
 *
 * Where each event is taken, and why (6.12: virt/lib/irqbypass.c,
 * virt/kvm/eventfd.c, arch/x86/kvm/x86.c; 7.x the same and
 * arch/x86/kvm/irq.c):
 *
 * - A producer is added at the *entry* of irq_bypass_register_producer():
 *   when KVM's irqfd is there first (QEMU's order), __connect() runs
 *   kvm_arch_irq_bypass_add_producer() -> pi_update_irte ->
 *   irq_set_vcpu_affinity() inside that call, and those IRTE updates must
 *   find the producer by host IRQ. A failed registration removes it at
 *   return. The consumer side is done the same way.
 * - A producer is removed at the *return* of
 *   irq_bypass_unregister_producer(): __disconnect() first puts the IRTE
 *   back to remapped, and that update belongs to the link.
 * - An irqfd is added where KVM queues it on the eventfd (6.12:
 *   irqfd_ptable_queue_proc(), after KVM's duplicate check; 7.x:
 *   kvm_irqfd_register(), which may refuse it), with the irqfd object's
 *   own eventfd, VM and GSI: nothing is looked up in the fd table.
 */
#ifndef _IRQLENS_BYPASS_TRANSLATE_H
#define _IRQLENS_BYPASS_TRANSLATE_H

#include <linux/types.h>

#include "bypass_state.h"

enum irqlens_bp_site {
	IRQLENS_SITE_REG_PRODUCER,	/* irq_bypass_register_producer() entered */
	IRQLENS_SITE_REG_PRODUCER_RET,	/* ... returned @result */
	IRQLENS_SITE_UNREG_PRODUCER_RET, /* irq_bypass_unregister_producer() returned */
	IRQLENS_SITE_REG_CONSUMER,	/* irq_bypass_register_consumer() entered */
	IRQLENS_SITE_REG_CONSUMER_RET,	/* ... returned @result */
	IRQLENS_SITE_UNREG_CONSUMER,	/* irq_bypass_unregister_consumer() entered */
	IRQLENS_SITE_IRQFD_QUEUED,	/* KVM queued its irqfd on the eventfd: @result */
	IRQLENS_SITE_IRQFD_SHUTDOWN,	/* irqfd_shutdown(): every irqfd ends there */
	IRQLENS_SITE_IRQFD_WAKEUP,	/* irqfd_wakeup(): @epollin */
	IRQLENS_SITE_ADD_PRODUCER_RET,	/* kvm_arch_irq_bypass_add_producer() returned */
	IRQLENS_SITE_DEL_PRODUCER,	/* kvm_arch_irq_bypass_del_producer() entered */
	IRQLENS_SITE_ROUTE,		/* kvm_arch_update_irqfd_routing() entered: @changed */
	IRQLENS_SITE_SET_VCPU_AFFINITY_RET, /* irq_set_vcpu_affinity() returned @result */
	IRQLENS_SITE_PI_IRTE_UPDATE,	/* tracepoint kvm_pi_irte_update: @set */
	IRQLENS_SITE_MSIHANDLER,	/* vfio_msihandler() entered */
	IRQLENS_SITE_COUNT,
};

/* What a hook read; which fields count depends on @site. */
struct irqlens_bp_call {
	u32 site;		/* enum irqlens_bp_site */
	u64 token;		/* irqlens id of the eventfd; 0: none was set */
	u64 obj;		/* irqlens id of the producer, or of the KVM irqfd */
	u32 host_irq;
	u32 dev;
	u32 vm;
	u32 pid;
	u32 gsi;
	u32 vcpu;
	u32 vector;		/* the guest vector in vcpu_info, or the tracepoint's */
	u8 remap;		/* enum irqlens_remap of @host_irq */
	bool vcpu_info;		/* irq_set_vcpu_affinity() got a non-NULL vcpu_info */
	bool amd_guest_mode;	/* ... and the AMD IOMMU left is_guest_mode set */
	bool set;		/* kvm_pi_irte_update's "set" */
	bool epollin;		/* irqfd_wakeup's key has EPOLLIN */
	bool changed;		/* the route change reaches the IRTE */
	s32 result;		/* 0 or -errno */
};

bool irqlens_bp_translate(const struct irqlens_bp_call *c, struct irqlens_bp_event *ev);
bool irqlens_irte_posted(enum irqlens_remap remap, bool has_vcpu_info, bool amd_guest_mode);

#endif /* _IRQLENS_BYPASS_TRANSLATE_H */

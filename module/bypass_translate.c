// SPDX-License-Identifier: GPL-2.0
/*
 * Hooked call -> IRQ-bypass event (see bypass_translate.h).
 */
#include <kunit/visibility.h>

#include "bypass_translate.h"
#include "compat.h"

/*
 * Whether a successful irq_set_vcpu_affinity(irq, vcpu_info) posted. On
 * VT-d a vcpu_info (6.12 struct vcpu_data, 7.x struct
 * intel_iommu_pi_data) posts and NULL remaps. On AMD-Vi 6.12 KVM passes
 * struct amd_iommu_pi_data either way, and is_guest_mode, read after the
 * call (the IOMMU driver clears it when it cannot post), says; 7.x
 * passes it only to post, with is_guest_mode as AVIC's state.
 */
bool irqlens_irte_posted(enum irqlens_remap remap, bool has_vcpu_info, bool amd_guest_mode)
{
	if (!has_vcpu_info)
		return false;
	return remap == IRQLENS_REMAP_AMD ? amd_guest_mode : true;
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_irte_posted);

/*
 * Calls about an eventfd mean nothing without one (6.12 vfio clears a
 * failed producer's token, 7.x never sets it; both skip the unregister).
 */
static bool needs_token(u32 site)
{
	switch (site) {
	case IRQLENS_SITE_ROUTE:
	case IRQLENS_SITE_SET_VCPU_AFFINITY_RET:
	case IRQLENS_SITE_PI_IRTE_UPDATE:
	case IRQLENS_SITE_MSIHANDLER:
		return false;
	default:
		return true;
	}
}

/* Fill @ev for @c; false when the call means no event. */
bool irqlens_bp_translate(const struct irqlens_bp_call *c, struct irqlens_bp_event *ev)
{
	*ev = (struct irqlens_bp_event){
		.token = c->token,
		.obj = c->obj,
		.host_irq = c->host_irq,
		.dev = c->dev,
		.vm = c->vm,
		.pid = c->pid,
		.gsi = c->gsi,
		.vcpu = c->vcpu,
		.vector = c->vector,
		.remap = c->remap,
		.result = c->result,
	};
	if (c->site >= IRQLENS_SITE_COUNT || (needs_token(c->site) && !c->token))
		return false;

	switch (c->site) {
	case IRQLENS_SITE_REG_PRODUCER:
		/* Before __connect() can update the IRTE inside this call. */
		ev->type = IRQLENS_BP_PRODUCER_ADD;
		ev->result = 0;
		return true;
	case IRQLENS_SITE_REG_PRODUCER_RET:
		/* Success was taken at entry; a failure undoes it. */
		ev->type = IRQLENS_BP_PRODUCER_DEL;
		return c->result != 0;
	case IRQLENS_SITE_UNREG_PRODUCER_RET:
		/* After __disconnect() put the IRTE back to remapped. */
		ev->type = IRQLENS_BP_PRODUCER_DEL;
		ev->result = 0;
		return true;
	case IRQLENS_SITE_REG_CONSUMER:
		ev->type = IRQLENS_BP_CONSUMER_ADD;
		ev->result = 0;
		return true;
	case IRQLENS_SITE_REG_CONSUMER_RET:
		ev->type = IRQLENS_BP_CONSUMER_DEL;
		return c->result != 0;
	case IRQLENS_SITE_UNREG_CONSUMER:
		ev->type = IRQLENS_BP_CONSUMER_DEL;
		return true;
	case IRQLENS_SITE_IRQFD_QUEUED:
		/* 7.x refuses an eventfd another irqfd already holds. */
		ev->type = IRQLENS_BP_IRQFD_ADD;
		return c->result == 0;
	case IRQLENS_SITE_IRQFD_SHUTDOWN:
		ev->type = IRQLENS_BP_IRQFD_DEL;
		return true;
	case IRQLENS_SITE_IRQFD_WAKEUP:
		/* EPOLLHUP (the eventfd closing) injects nothing. */
		ev->type = IRQLENS_BP_INJECT;
		return c->epollin;
	case IRQLENS_SITE_ADD_PRODUCER_RET:
		ev->type = IRQLENS_BP_CONNECT;
		return true;
	case IRQLENS_SITE_DEL_PRODUCER:
		ev->type = IRQLENS_BP_DISCONNECT;
		return true;
	case IRQLENS_SITE_ROUTE:
		/* 7.x calls for every routing update and filters inside. */
		ev->type = IRQLENS_BP_ROUTE;
		return c->changed;
	case IRQLENS_SITE_SET_VCPU_AFFINITY_RET:
		ev->type = IRQLENS_BP_IRTE;
		ev->posted = irqlens_irte_posted(c->remap, c->vcpu_info, c->amd_guest_mode);
		if (!ev->posted)
			ev->vector = 0;
		return true;
	case IRQLENS_SITE_PI_IRTE_UPDATE:
		ev->type = IRQLENS_BP_PI_UPDATE;
		ev->posted = c->set;
		return true;
	case IRQLENS_SITE_MSIHANDLER:
		ev->type = IRQLENS_BP_HOST_IRQ;
		return true;
	}
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_bp_translate);

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IRQ-bypass view: one link per eventfd that a VFIO producer and a KVM
 * irqfd share (the eventfd is the irqbypass token), built from observed
 * events only. irqlens links producer and irqfd itself because KVM
 * registers a bypass consumer only when it can post, so on most kernels
 * irqbypass pairs nothing.
 *
 * Pure logic: no hooks, no locking (the owner serialises), bounded memory
 * (a fixed table; what does not fit is counted, never allocated). KUnit
 * drives it with event sequences (tests/bypass_state_test.c).
 */
#ifndef _IRQLENS_BYPASS_STATE_H
#define _IRQLENS_BYPASS_STATE_H

#include <linux/types.h>

enum irqlens_irte_mode {
	IRQLENS_IRTE_UNKNOWN,	/* no IRTE update seen since the link appeared */
	IRQLENS_IRTE_REMAPPED,	/* irq_set_vcpu_affinity(irq, NULL) succeeded */
	IRQLENS_IRTE_POSTED,	/* irq_set_vcpu_affinity(irq, vcpu_info) succeeded */
	IRQLENS_IRTE_DIRECT,	/* no IRTE: the IRQ is not behind interrupt remapping */
};

/* Which interrupt-remapping domain the producer's host IRQ sits under. */
enum irqlens_remap {
	IRQLENS_REMAP_NONE,
	IRQLENS_REMAP_INTEL,	/* VT-d (DMAR) interrupt remapping */
	IRQLENS_REMAP_AMD,	/* AMD-Vi interrupt remapping */
};

/* Why a link is, or is not, delivered through IRQ bypass. */
enum irqlens_bp_reason {
	IRQLENS_BP_BYPASSED,		/* producer and consumer connected */
	IRQLENS_BP_NO_PRODUCER,		/* no VFIO producer on this eventfd */
	IRQLENS_BP_NO_IRQFD,		/* no KVM irqfd on this eventfd */
	IRQLENS_BP_NO_POSTING_CAP,	/* IOMMU cannot post, so KVM adds no consumer */
	IRQLENS_BP_NO_CONSUMER,		/* IOMMU can post, KVM added no consumer (APICv/AVIC off) */
	IRQLENS_BP_CONNECT_FAILED,	/* KVM's add_producer failed: see last_error */
	IRQLENS_BP_NOT_CONNECTED,	/* both sides registered, not (yet) connected */
	IRQLENS_BP_REASON_COUNT,
};

enum irqlens_bp_event_type {
	IRQLENS_BP_PRODUCER_ADD,	/* vfio producer: token, host_irq, dev, remap */
	IRQLENS_BP_PRODUCER_DEL,	/* token */
	IRQLENS_BP_IRQFD_ADD,		/* KVM_IRQFD assign: token, vm, pid, gsi */
	IRQLENS_BP_IRQFD_DEL,		/* KVM_IRQFD deassign or VM gone: token */
	IRQLENS_BP_CONSUMER_ADD,	/* KVM registered the irqfd for bypass: token */
	IRQLENS_BP_CONSUMER_DEL,	/* token */
	IRQLENS_BP_CONNECT,		/* KVM add_producer: token, result */
	IRQLENS_BP_DISCONNECT,		/* KVM del_producer: token */
	IRQLENS_BP_ROUTE,		/* bypassed irqfd's route changed: host_irq, gsi */
	IRQLENS_BP_IRTE,		/* irq_set_vcpu_affinity: host_irq, posted, vector, ret */
	IRQLENS_BP_PI_UPDATE,		/* kvm_pi_irte_update: host_irq, vcpu, vector, posted */
	IRQLENS_BP_HOST_IRQ,		/* the host handler ran: host_irq */
	IRQLENS_BP_INJECT,		/* the irqfd injected: token */
	IRQLENS_BP_EVENT_COUNT,
};

struct irqlens_bp_event {
	u32 type;		/* enum irqlens_bp_event_type */
	u64 token;		/* irqlens id of the eventfd, never a pointer */
	u32 host_irq;
	u32 dev;		/* PCI segment:bus:devfn of the producer's device */
	u32 vm;			/* irqlens id of the VM */
	u32 pid;		/* process that assigned the irqfd */
	u32 gsi;
	u32 vcpu;
	u32 vector;
	u8 remap;		/* enum irqlens_remap, for PRODUCER_ADD */
	bool posted;
	s32 result;		/* 0 or -errno */
};

struct irqlens_bp_link {
	u64 token;
	bool in_use;
	bool has_producer;
	bool has_irqfd;
	bool has_consumer;
	bool connected;
	u32 host_irq;
	u32 dev;
	u32 vm;
	u32 pid;
	u32 gsi;
	enum irqlens_remap remap;
	enum irqlens_irte_mode mode;
	u32 posted_vcpu;
	u32 posted_vector;
	u64 transitions;	/* remapped <-> posted changes */
	u64 host_handled;	/* host handler runs */
	u64 injections;		/* irqfd injections */
	u64 route_updates;	/* route changes KVM passed on to the IRTE */
	s32 last_error;		/* last failed IRTE update or connect, or 0 */
};

struct irqlens_bp_state {
	struct irqlens_bp_link *links;
	u32 capacity;
	u32 used;
	u64 overflow;		/* events that needed a link when none was free */
	u64 unmatched;		/* events about no link we know */
};

int irqlens_bp_init(struct irqlens_bp_state *s, u32 capacity);
void irqlens_bp_free(struct irqlens_bp_state *s);
void irqlens_bp_apply(struct irqlens_bp_state *s, const struct irqlens_bp_event *ev);
const struct irqlens_bp_link *irqlens_bp_find(const struct irqlens_bp_state *s, u64 token);
void irqlens_bp_reset_counters(struct irqlens_bp_state *s);
const char *irqlens_irte_mode_name(enum irqlens_irte_mode mode);
const char *irqlens_remap_name(enum irqlens_remap remap);
enum irqlens_bp_reason irqlens_bp_reason(const struct irqlens_bp_link *l, bool posting_cap);
const char *irqlens_bp_reason_text(enum irqlens_bp_reason reason);
bool irqlens_irte_posted(enum irqlens_remap remap, bool has_vcpu_info, bool amd_guest_mode);

#endif /* _IRQLENS_BYPASS_STATE_H */

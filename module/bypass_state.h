/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IRQ-bypass view: one link per eventfd that a VFIO producer and a KVM
 * irqfd share (the eventfd is the irqbypass token), built from observed
 * events only. irqlens links producer and irqfd itself because KVM
 * registers a bypass consumer only when it can post, so on most kernels
 * irqbypass pairs nothing.
 *
 * A fixed pool of links (nothing is allocated after init; what does not
 * fit is counted), found in O(1) through two hash tables: by token and by
 * the producer's host IRQ. The hooks feed it from any context: hard
 * interrupt, under KVM's raw ir_list_lock (7.x AMD), on PREEMPT_RT. So:
 *
 * - the per-interrupt events (HOST_IRQ, INJECT) take no lock: an RCU
 *   lookup and an atomic counter;
 * - every other event changes the table under one raw_spinlock_t, held
 *   for that event only (valid in all those contexts, unlike spinlock_t);
 * - readers copy one link at a time through the link's seqcount and hold
 *   no lock while they format or copy to user space;
 * - a removed link's slot is reused only after an RCU grace period, so a
 *   lockless lookup never counts into a link that became another one.
 *
 * No hooks here: KUnit drives it with event sequences
 * (tests/bypass_state_test.c) and with each kernel's hook-call orders
 * (tests/bypass_order_test.c, through bypass_translate.h).
 */
#ifndef _IRQLENS_BYPASS_STATE_H
#define _IRQLENS_BYPASS_STATE_H

#include <linux/atomic.h>
#include <linux/list_nulls.h>
#include <linux/spinlock.h>
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

/*
 * What happened, in the state's terms. bypass_translate.c makes these from
 * the hooked calls; @obj names which producer or irqfd an event is about,
 * so that a call for another one on the same eventfd (a registration the
 * kernel will refuse, its failure, its later unregistration) never
 * changes the one the link holds.
 */
enum irqlens_bp_event_type {
	IRQLENS_BP_PRODUCER_ADD,	/* token, obj, host_irq, dev, remap */
	IRQLENS_BP_PRODUCER_DEL,	/* token, obj: unregistered, or registration failed */
	IRQLENS_BP_IRQFD_ADD,		/* token, obj, vm, pid, gsi */
	IRQLENS_BP_IRQFD_DEL,		/* token, obj: its consumer, if any, goes next */
	IRQLENS_BP_CONSUMER_ADD,	/* token, obj: KVM registers the irqfd for bypass */
	IRQLENS_BP_CONSUMER_DEL,	/* token, obj */
	IRQLENS_BP_CONNECT,		/* token, obj, result: KVM's add_producer */
	IRQLENS_BP_DISCONNECT,		/* token, obj: KVM's del_producer */
	IRQLENS_BP_ROUTE,		/* host_irq, gsi: a route change KVM passes to the IRTE */
	IRQLENS_BP_IRTE,		/* host_irq, posted, vector, result */
	IRQLENS_BP_PI_UPDATE,		/* host_irq, vcpu, vector, posted: kvm_pi_irte_update */
	IRQLENS_BP_HOST_IRQ,		/* host_irq: the host handler ran */
	IRQLENS_BP_INJECT,		/* token: the irqfd injected */
	IRQLENS_BP_EVENT_COUNT,
};

struct irqlens_bp_event {
	u32 type;		/* enum irqlens_bp_event_type */
	u64 token;		/* irqlens id of the eventfd, never a pointer */
	u64 obj;		/* irqlens id of the producer, or of the KVM irqfd */
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

/* A link as a reader gets it: a consistent copy (irqlens_bp_find/read). */
struct irqlens_bp_link {
	u64 token;
	u64 producer;		/* irqlens id of the producer holding it */
	u64 irqfd;		/* irqlens id of the KVM irqfd holding it */
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
	/*
	 * KVM's last add_producer for this eventfd failed. Kept when the
	 * side whose registration failed with it is removed again, so the
	 * reason stays "connect failed" rather than "no producer".
	 */
	bool connect_failed;
};

struct irqlens_bp_slot;

struct irqlens_bp_state {
	raw_spinlock_t lock;		/* every change but the counters */
	struct irqlens_bp_slot *slots;	/* the pool */
	u32 capacity;
	u32 hash_bits;
	struct hlist_head *by_token;	/* links in use */
	struct hlist_nulls_head *by_irq; /* links with a producer; nulls = bucket */
	u32 free_head;			/* slots past their grace period */
	u32 used;
	atomic64_t overflow;		/* events that needed a link when none was free */
	atomic64_t unmatched;		/* events about no link (or another producer/irqfd) */
};

struct irqlens_bp_totals {
	u32 used;
	u32 capacity;
	u64 overflow;
	u64 unmatched;
};

int irqlens_bp_init(struct irqlens_bp_state *s, u32 capacity);
void irqlens_bp_free(struct irqlens_bp_state *s);
void irqlens_bp_apply(struct irqlens_bp_state *s, const struct irqlens_bp_event *ev);
bool irqlens_bp_find(struct irqlens_bp_state *s, u64 token, struct irqlens_bp_link *out);
bool irqlens_bp_find_irq(struct irqlens_bp_state *s, u32 host_irq, struct irqlens_bp_link *out);
bool irqlens_bp_read(struct irqlens_bp_state *s, u32 slot, struct irqlens_bp_link *out);
void irqlens_bp_totals(struct irqlens_bp_state *s, struct irqlens_bp_totals *t);
void irqlens_bp_reset_counters(struct irqlens_bp_state *s);
bool irqlens_bp_count(atomic64_t *c);
const char *irqlens_irte_mode_name(enum irqlens_irte_mode mode);
const char *irqlens_remap_name(enum irqlens_remap remap);
enum irqlens_bp_reason irqlens_bp_reason(const struct irqlens_bp_link *l, bool posting_cap);
const char *irqlens_bp_reason_text(enum irqlens_bp_reason reason);

#endif /* _IRQLENS_BYPASS_STATE_H */

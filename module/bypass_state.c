// SPDX-License-Identifier: GPL-2.0
/*
 * IRQ-bypass state: pure event -> state function (see bypass_state.h).
 */
#include <kunit/visibility.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "bypass_state.h"
#include "compat.h"

static const char * const irte_mode_names[] = {
	[IRQLENS_IRTE_UNKNOWN] = "unknown",
	[IRQLENS_IRTE_REMAPPED] = "remapped",
	[IRQLENS_IRTE_POSTED] = "posted",
	[IRQLENS_IRTE_DIRECT] = "direct",
};

static const char * const remap_names[] = {
	[IRQLENS_REMAP_NONE] = "none",
	[IRQLENS_REMAP_INTEL] = "intel-ir",
	[IRQLENS_REMAP_AMD] = "amd-ir",
};

static const char * const reason_texts[] = {
	[IRQLENS_BP_BYPASSED] = "bypassed: producer and KVM consumer connected",
	[IRQLENS_BP_NO_PRODUCER] = "no VFIO producer on this eventfd",
	[IRQLENS_BP_NO_IRQFD] = "no KVM irqfd on this eventfd",
	[IRQLENS_BP_NO_POSTING_CAP] =
		"no consumer: KVM bypasses only when it can post, and the IOMMU has no IRQ_POSTING_CAP",
	[IRQLENS_BP_NO_CONSUMER] =
		"no consumer although the IOMMU can post: APICv/AVIC is off in KVM",
	[IRQLENS_BP_CONNECT_FAILED] = "KVM refused the producer (see last error)",
	[IRQLENS_BP_NOT_CONNECTED] = "producer and consumer registered, not connected",
};

static_assert(ARRAY_SIZE(reason_texts) == IRQLENS_BP_REASON_COUNT);

const char *irqlens_irte_mode_name(enum irqlens_irte_mode mode)
{
	return mode < ARRAY_SIZE(irte_mode_names) ? irte_mode_names[mode] : "?";
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_irte_mode_name);

const char *irqlens_remap_name(enum irqlens_remap remap)
{
	return remap < ARRAY_SIZE(remap_names) ? remap_names[remap] : "?";
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_remap_name);

const char *irqlens_bp_reason_text(enum irqlens_bp_reason reason)
{
	return reason < IRQLENS_BP_REASON_COUNT ? reason_texts[reason] : "?";
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_bp_reason_text);

/*
 * KVM registers its irqfd as a bypass consumer only when
 * kvm_arch_has_irq_bypass() holds (x86: APICv/AVIC enabled and the IOMMU
 * has IRQ_POSTING_CAP); the missing piece says why a link is not bypassed.
 */
enum irqlens_bp_reason irqlens_bp_reason(const struct irqlens_bp_link *l, bool posting_cap)
{
	if (l->connected)
		return IRQLENS_BP_BYPASSED;
	if (!l->has_producer)
		return IRQLENS_BP_NO_PRODUCER;
	if (!l->has_irqfd)
		return IRQLENS_BP_NO_IRQFD;
	if (!l->has_consumer)
		return posting_cap ? IRQLENS_BP_NO_CONSUMER : IRQLENS_BP_NO_POSTING_CAP;
	if (l->last_error)
		return IRQLENS_BP_CONNECT_FAILED;
	return IRQLENS_BP_NOT_CONNECTED;
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_bp_reason);

/*
 * Whether a successful irq_set_vcpu_affinity(irq, vcpu_info) posted. On
 * VT-d a vcpu_info (struct vcpu_data) posts and NULL remaps. On AMD-Vi KVM
 * passes struct amd_iommu_pi_data either way, and is_guest_mode, read
 * after the call (the IOMMU driver clears it when it cannot post), says.
 */
bool irqlens_irte_posted(enum irqlens_remap remap, bool has_vcpu_info, bool amd_guest_mode)
{
	if (!has_vcpu_info)
		return false;
	return remap == IRQLENS_REMAP_AMD ? amd_guest_mode : true;
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_irte_posted);

int irqlens_bp_init(struct irqlens_bp_state *s, u32 capacity)
{
	memset(s, 0, sizeof(*s));
	if (!capacity)
		return -EINVAL;
	s->links = kvcalloc(capacity, sizeof(*s->links), GFP_KERNEL);
	if (!s->links)
		return -ENOMEM;
	s->capacity = capacity;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_bp_init);

void irqlens_bp_free(struct irqlens_bp_state *s)
{
	kvfree(s->links);
	s->links = NULL;
	s->capacity = 0;
	s->used = 0;
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_bp_free);

/* Counters stop at the top instead of wrapping back to small numbers. */
static void count(u64 *c)
{
	if (*c != U64_MAX)
		(*c)++;
}

static struct irqlens_bp_link *find(const struct irqlens_bp_state *s, u64 token)
{
	u32 i;

	for (i = 0; i < s->capacity; i++)
		if (s->links[i].in_use && s->links[i].token == token)
			return &s->links[i];
	return NULL;
}

const struct irqlens_bp_link *irqlens_bp_find(const struct irqlens_bp_state *s, u64 token)
{
	return find(s, token);
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_bp_find);

static struct irqlens_bp_link *find_or_add(struct irqlens_bp_state *s, u64 token)
{
	struct irqlens_bp_link *l = find(s, token);
	u32 i;

	if (l)
		return l;
	for (i = 0; i < s->capacity; i++) {
		l = &s->links[i];
		if (!l->in_use) {
			memset(l, 0, sizeof(*l));
			l->in_use = true;
			l->token = token;
			s->used++;
			return l;
		}
	}
	count(&s->overflow);
	return NULL;
}

/* A link neither side holds any more is forgotten. */
static void drop_if_orphan(struct irqlens_bp_state *s, struct irqlens_bp_link *l)
{
	if (l->has_producer || l->has_irqfd)
		return;
	l->in_use = false;
	s->used--;
}

static void set_mode(struct irqlens_bp_link *l, const struct irqlens_bp_event *ev)
{
	enum irqlens_irte_mode mode;

	if (ev->result) {
		/* A failed update leaves the IRTE as it was. */
		l->last_error = ev->result;
		return;
	}
	mode = ev->posted ? IRQLENS_IRTE_POSTED : IRQLENS_IRTE_REMAPPED;
	/* Only a known remapped <-> posted change is a transition. */
	if ((l->mode == IRQLENS_IRTE_REMAPPED || l->mode == IRQLENS_IRTE_POSTED) &&
	    l->mode != mode)
		count(&l->transitions);
	l->mode = mode;
	/*
	 * The IRTE update knows the vector (vcpu_data), not the vCPU: that
	 * comes from kvm_pi_irte_update, which fires next to it.
	 */
	if (mode == IRQLENS_IRTE_POSTED)
		l->posted_vector = ev->vector;
}

/* Apply @ev to every link whose producer has the event's host IRQ. */
static void apply_by_irq(struct irqlens_bp_state *s, const struct irqlens_bp_event *ev)
{
	bool matched = false;
	u32 i;

	for (i = 0; i < s->capacity; i++) {
		struct irqlens_bp_link *l = &s->links[i];

		if (!l->in_use || !l->has_producer || l->host_irq != ev->host_irq)
			continue;
		matched = true;
		switch (ev->type) {
		case IRQLENS_BP_IRTE:
			set_mode(l, ev);
			break;
		case IRQLENS_BP_PI_UPDATE:
			/* KVM's own account of a posted target; the IRTE event sets the mode. */
			if (ev->posted) {
				l->posted_vcpu = ev->vcpu;
				l->posted_vector = ev->vector;
			}
			break;
		case IRQLENS_BP_HOST_IRQ:
			count(&l->host_handled);
			break;
		case IRQLENS_BP_ROUTE:
			l->gsi = ev->gsi;
			count(&l->route_updates);
			break;
		}
	}
	if (!matched)
		count(&s->unmatched);
}

void irqlens_bp_apply(struct irqlens_bp_state *s, const struct irqlens_bp_event *ev)
{
	struct irqlens_bp_link *l;

	switch (ev->type) {
	case IRQLENS_BP_PRODUCER_ADD:
	case IRQLENS_BP_IRQFD_ADD:
	case IRQLENS_BP_CONSUMER_ADD:
		l = find_or_add(s, ev->token);
		if (!l)
			return;
		if (ev->type == IRQLENS_BP_PRODUCER_ADD) {
			/*
			 * A fresh host IRQ under an IR domain starts with a
			 * remapped IRTE; without remapping there is no IRTE.
			 */
			if (!l->has_producer || l->host_irq != ev->host_irq) {
				l->mode = ev->remap == IRQLENS_REMAP_NONE ?
					  IRQLENS_IRTE_DIRECT : IRQLENS_IRTE_REMAPPED;
				l->posted_vcpu = 0;
				l->posted_vector = 0;
			}
			l->has_producer = true;
			l->host_irq = ev->host_irq;
			l->dev = ev->dev;
			l->remap = ev->remap;
		} else if (ev->type == IRQLENS_BP_IRQFD_ADD) {
			l->has_irqfd = true;
			l->vm = ev->vm;
			l->pid = ev->pid;
			l->gsi = ev->gsi;
		} else {
			/* A consumer is an irqfd, even one assigned before we came. */
			l->has_irqfd = true;
			l->has_consumer = true;
		}
		return;
	case IRQLENS_BP_IRTE:
	case IRQLENS_BP_PI_UPDATE:
	case IRQLENS_BP_HOST_IRQ:
	case IRQLENS_BP_ROUTE:
		apply_by_irq(s, ev);
		return;
	}

	l = find(s, ev->token);
	if (!l || ev->type >= IRQLENS_BP_EVENT_COUNT) {
		count(&s->unmatched);
		return;
	}
	switch (ev->type) {
	case IRQLENS_BP_PRODUCER_DEL:
		l->has_producer = false;
		l->connected = false;
		l->mode = IRQLENS_IRTE_UNKNOWN;
		l->remap = IRQLENS_REMAP_NONE;
		l->posted_vcpu = 0;
		l->posted_vector = 0;
		break;
	case IRQLENS_BP_IRQFD_DEL:
		l->has_irqfd = false;
		l->has_consumer = false;
		l->connected = false;
		break;
	case IRQLENS_BP_CONSUMER_DEL:
		l->has_consumer = false;
		l->connected = false;
		break;
	case IRQLENS_BP_CONNECT:
		if (ev->result)
			l->last_error = ev->result;
		else
			l->connected = true;
		break;
	case IRQLENS_BP_DISCONNECT:
		l->connected = false;
		break;
	case IRQLENS_BP_INJECT:
		count(&l->injections);
		break;
	}
	drop_if_orphan(s, l);
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_bp_apply);

/* Zero what counts, keep what is (links, modes, targets): "reset-counters". */
void irqlens_bp_reset_counters(struct irqlens_bp_state *s)
{
	u32 i;

	for (i = 0; i < s->capacity; i++) {
		struct irqlens_bp_link *l = &s->links[i];

		l->transitions = 0;
		l->host_handled = 0;
		l->injections = 0;
		l->route_updates = 0;
		l->last_error = 0;
	}
	s->overflow = 0;
	s->unmatched = 0;
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_bp_reset_counters);

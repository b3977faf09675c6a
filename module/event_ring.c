// SPDX-License-Identifier: GPL-2.0
/*
 * Event ring: pure logic, no locks, no hooks (see event_ring.h).
 */
#include <kunit/visibility.h>
#include <linux/build_bug.h>
#include <linux/log2.h>
#include <linux/slab.h>

#include "compat.h"
#include "event_ring.h"

static const char * const event_type_names[] = {
	[IRQLENS_EV_MARK] = "mark",
	[IRQLENS_EV_BP_FIRST + IRQLENS_BP_PRODUCER_ADD] = "producer_add",
	[IRQLENS_EV_BP_FIRST + IRQLENS_BP_PRODUCER_DEL] = "producer_del",
	[IRQLENS_EV_BP_FIRST + IRQLENS_BP_IRQFD_ADD] = "irqfd_add",
	[IRQLENS_EV_BP_FIRST + IRQLENS_BP_IRQFD_DEL] = "irqfd_del",
	[IRQLENS_EV_BP_FIRST + IRQLENS_BP_CONSUMER_ADD] = "consumer_add",
	[IRQLENS_EV_BP_FIRST + IRQLENS_BP_CONSUMER_DEL] = "consumer_del",
	[IRQLENS_EV_BP_FIRST + IRQLENS_BP_CONNECT] = "connect",
	[IRQLENS_EV_BP_FIRST + IRQLENS_BP_DISCONNECT] = "disconnect",
	[IRQLENS_EV_BP_FIRST + IRQLENS_BP_ROUTE] = "route",
	[IRQLENS_EV_BP_FIRST + IRQLENS_BP_IRTE] = "irte",
	[IRQLENS_EV_BP_FIRST + IRQLENS_BP_PI_UPDATE] = "pi_update",
	[IRQLENS_EV_BP_FIRST + IRQLENS_BP_HOST_IRQ] = "host_irq",
	[IRQLENS_EV_BP_FIRST + IRQLENS_BP_INJECT] = "inject",
	[IRQLENS_EV_WINDOW_FLAG] = "window_flag",
};

static_assert(ARRAY_SIZE(event_type_names) == IRQLENS_EV_COUNT);

const char *irqlens_event_type_name(u32 type)
{
	return type < IRQLENS_EV_COUNT ? event_type_names[type] : "unknown";
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_event_type_name);

/* @capacity must be a power of two, so that a slot is seq & mask. */
int irqlens_ring_init(struct irqlens_ring *r, u32 capacity)
{
	if (!capacity || !is_power_of_2(capacity))
		return -EINVAL;
	r->slots = kvcalloc(capacity, sizeof(*r->slots), GFP_KERNEL);
	if (!r->slots)
		return -ENOMEM;
	r->mask = capacity - 1;
	r->head = 0;
	r->tail = 0;
	r->dropped = 0;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_ring_init);

void irqlens_ring_free(struct irqlens_ring *r)
{
	kvfree(r->slots);
	r->slots = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_ring_free);

/* Store a copy of @ev, overwriting the oldest event when full. */
u64 irqlens_ring_push(struct irqlens_ring *r, const struct irqlens_event *ev)
{
	u64 seq = r->head++;

	r->slots[seq & r->mask] = *ev;
	r->slots[seq & r->mask].seq = seq;
	if (r->head - r->tail > (u64)r->mask + 1) {
		r->tail++;
		r->dropped++;
	}
	return seq;
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_ring_push);

/*
 * Copy the first event with a sequence number >= @from into @out. @lost is
 * how many events after @from were overwritten before this read. False
 * when there is nothing at or after @from yet.
 */
bool irqlens_ring_read(const struct irqlens_ring *r, u64 from,
		       struct irqlens_event *out, u64 *lost)
{
	*lost = 0;
	if (from < r->tail) {
		*lost = r->tail - from;
		from = r->tail;
	}
	if (from >= r->head)
		return false;
	*out = r->slots[from & r->mask];
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_ring_read);

/* Forget every held event; sequence numbers keep counting up. */
void irqlens_ring_reset(struct irqlens_ring *r)
{
	r->tail = r->head;
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_ring_reset);

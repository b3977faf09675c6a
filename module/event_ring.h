/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A bounded ring of observed events, each stamped with a sequence number
 * that never repeats, so a reader can ask "everything after N" and be told
 * how many it missed when the ring overwrote them. No locking inside: the
 * owner serialises (see events.c); KUnit drives it directly.
 */
#ifndef _IRQLENS_EVENT_RING_H
#define _IRQLENS_EVENT_RING_H

#include <linux/types.h>

#include "bypass_state.h"

/*
 * IRQ-bypass events follow MARK in the order of enum irqlens_bp_event_type
 * (bypass_state.h): IRQLENS_EV_BP_FIRST + that type.
 */
enum irqlens_event_type {
	IRQLENS_EV_MARK,	/* written to "control" by a test: a marker */
	IRQLENS_EV_BP_FIRST,
	/* The window livelock detector fired: VM id, vCPU id, threshold. */
	IRQLENS_EV_WINDOW_FLAG = IRQLENS_EV_BP_FIRST + IRQLENS_BP_EVENT_COUNT,
	IRQLENS_EV_COUNT,
};

struct irqlens_event {
	u64 seq;
	u64 ts_ns;
	u32 type;		/* enum irqlens_event_type */
	u32 arg[3];
};

struct irqlens_ring {
	struct irqlens_event *slots;
	u32 mask;		/* capacity - 1; capacity is a power of two */
	u64 head;		/* sequence number the next event gets */
	u64 tail;		/* oldest sequence number still held */
	u64 dropped;		/* events overwritten before anyone could read */
};

int irqlens_ring_init(struct irqlens_ring *r, u32 capacity);
void irqlens_ring_free(struct irqlens_ring *r);
u64 irqlens_ring_push(struct irqlens_ring *r, const struct irqlens_event *ev);
bool irqlens_ring_read(const struct irqlens_ring *r, u64 from,
		       struct irqlens_event *out, u64 *lost);
void irqlens_ring_reset(struct irqlens_ring *r);
const char *irqlens_event_type_name(u32 type);

#endif /* _IRQLENS_EVENT_RING_H */

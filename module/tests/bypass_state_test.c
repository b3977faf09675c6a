// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the IRQ-bypass state function, driven by event sequences:
 * pairing, posted <-> remapped transitions (an NMI route forces remapped,
 * a fixed route posts again), route churn, either side going first,
 * duplicates, strays, another producer or irqfd on the same eventfd,
 * failed updates, and the table itself: lookup by token and host IRQ,
 * a slot reused only after a grace period, a full table, saturating
 * counters. Each kernel's real order of hooked calls is replayed in
 * bypass_order_test.c.
 */
#include <kunit/test.h>
#include <linux/hash.h>
#include <linux/rcupdate.h>

#include "../bypass_state.h"
#include "bp_expect.h"

#define IRQ	40
#define TOKEN	1

/* irqlens ids of the producer and of the KVM irqfd (one per link is enough). */
#define PROD_OBJ	0x1000
#define IRQFD_OBJ	0x2000

#define PROD_ADD(tok, irq) \
	{ .type = IRQLENS_BP_PRODUCER_ADD, .token = (tok), .obj = PROD_OBJ, \
	  .host_irq = (irq), .dev = 0x80, .remap = IRQLENS_REMAP_INTEL }
#define PROD_ADD_DIRECT(tok, irq) \
	{ .type = IRQLENS_BP_PRODUCER_ADD, .token = (tok), .obj = PROD_OBJ, \
	  .host_irq = (irq), .dev = 0x80 }
#define PROD_DEL(tok) \
	{ .type = IRQLENS_BP_PRODUCER_DEL, .token = (tok), .obj = PROD_OBJ }
/* Another producer (or irqfd) object on the same eventfd. */
#define OTHER_PROD_ADD(tok, irq) \
	{ .type = IRQLENS_BP_PRODUCER_ADD, .token = (tok), .obj = 0x9999, .host_irq = (irq), \
	  .remap = IRQLENS_REMAP_INTEL }
#define OTHER_PROD_DEL(tok) \
	{ .type = IRQLENS_BP_PRODUCER_DEL, .token = (tok), .obj = 0x9999 }
#define IRQFD_ADD(tok) \
	{ .type = IRQLENS_BP_IRQFD_ADD, .token = (tok), .obj = IRQFD_OBJ, .vm = 7, .gsi = 30 }
#define OTHER_IRQFD_ADD(tok) \
	{ .type = IRQLENS_BP_IRQFD_ADD, .token = (tok), .obj = 0x8888, .vm = 8, .gsi = 99 }
#define OTHER_IRQFD_DEL(tok) \
	{ .type = IRQLENS_BP_IRQFD_DEL, .token = (tok), .obj = 0x8888 }
#define IRQFD_DEL(tok) \
	{ .type = IRQLENS_BP_IRQFD_DEL, .token = (tok), .obj = IRQFD_OBJ }
#define CONS_ADD(tok) \
	{ .type = IRQLENS_BP_CONSUMER_ADD, .token = (tok), .obj = IRQFD_OBJ }
#define CONS_DEL(tok) \
	{ .type = IRQLENS_BP_CONSUMER_DEL, .token = (tok), .obj = IRQFD_OBJ }
#define CONNECT(tok, r) \
	{ .type = IRQLENS_BP_CONNECT, .token = (tok), .obj = IRQFD_OBJ, .result = (r) }
#define DISCONNECT(tok) \
	{ .type = IRQLENS_BP_DISCONNECT, .token = (tok), .obj = IRQFD_OBJ }
#define ROUTE(irq, g)	{ .type = IRQLENS_BP_ROUTE, .host_irq = (irq), .gsi = (g) }
/* Sequences put PI_UPDATE (KVM's tracepoint: the target) before POSTED. */
#define POSTED(irq, vec) \
	{ .type = IRQLENS_BP_IRTE, .host_irq = (irq), .posted = true, .vector = (vec) }
#define REMAPPED(irq)	{ .type = IRQLENS_BP_IRTE, .host_irq = (irq) }
#define IRTE_FAILS(irq, err) \
	{ .type = IRQLENS_BP_IRTE, .host_irq = (irq), .posted = true, .vcpu = 5, .result = (err) }
#define PI_UPDATE(irq, cpu, vec) \
	{ .type = IRQLENS_BP_PI_UPDATE, .host_irq = (irq), .posted = true, \
	  .vcpu = (cpu), .vector = (vec) }
#define HOST(irq)	{ .type = IRQLENS_BP_HOST_IRQ, .host_irq = (irq) }
#define INJECT(tok)	{ .type = IRQLENS_BP_INJECT, .token = (tok) }

#define MAX_EVENTS 16

struct bp_case {
	const char *name;
	u32 capacity;
	struct irqlens_bp_event ev[MAX_EVENTS];
	/* Expected afterwards, for the link of TOKEN. */
	bool exists;
	struct irqlens_bp_link link;	/* its fields that events change */
	/* Expected for the whole table. */
	u32 used;
	u64 unmatched;
	u64 overflow;
};

static const struct bp_case bp_cases[] = {
	{
		.name = "pair_remapped_counts",
		.ev = { PROD_ADD(TOKEN, IRQ), IRQFD_ADD(TOKEN), REMAPPED(IRQ),
			HOST(IRQ), INJECT(TOKEN), HOST(IRQ), INJECT(TOKEN) },
		.exists = true, .link.has_producer = true, .link.has_irqfd = true,
		.link.mode = IRQLENS_IRTE_REMAPPED, .link.host_handled = 2, .link.injections = 2,
		.used = 1,
	},
	{
		/* The seed irq_test's -n: NMI routing un-posts, fixed re-posts. */
		.name = "posted_remapped_posted_via_nmi_route",
		.ev = { PROD_ADD(TOKEN, IRQ), IRQFD_ADD(TOKEN), CONS_ADD(TOKEN),
			CONNECT(TOKEN, 0), PI_UPDATE(IRQ, 1, 0x41), POSTED(IRQ, 0x41),
			ROUTE(IRQ, 30), REMAPPED(IRQ), ROUTE(IRQ, 30), PI_UPDATE(IRQ, 0, 0x42),
			POSTED(IRQ, 0x42) },
		.exists = true, .link.has_producer = true, .link.has_irqfd = true,
		.link.has_consumer = true,
		.link.connected = true, .link.mode = IRQLENS_IRTE_POSTED, .link.posted_vcpu = 0,
		.link.posted_vector = 0x42, .link.transitions = 3, .link.route_updates = 2,
		.used = 1,
	},
	{
		.name = "route_churn_same_mode_is_no_transition",
		.ev = { PROD_ADD(TOKEN, IRQ), IRQFD_ADD(TOKEN), REMAPPED(IRQ),
			ROUTE(IRQ, 31), REMAPPED(IRQ), ROUTE(IRQ, 32), REMAPPED(IRQ),
			ROUTE(IRQ, 33), REMAPPED(IRQ) },
		.exists = true, .link.has_producer = true, .link.has_irqfd = true,
		.link.mode = IRQLENS_IRTE_REMAPPED, .link.route_updates = 3, .used = 1,
	},
	{
		.name = "producer_removed_first_keeps_irqfd_side",
		.ev = { PROD_ADD(TOKEN, IRQ), IRQFD_ADD(TOKEN), CONS_ADD(TOKEN),
			CONNECT(TOKEN, 0), PI_UPDATE(IRQ, 1, 0x41), POSTED(IRQ, 0x41),
			DISCONNECT(TOKEN), REMAPPED(IRQ), PROD_DEL(TOKEN) },
		.exists = true, .link.has_irqfd = true, .link.has_consumer = true,
		.link.mode = IRQLENS_IRTE_UNKNOWN, .link.transitions = 2, .used = 1,
	},
	{
		.name = "producer_then_irqfd_removed_is_forgotten",
		.ev = { PROD_ADD(TOKEN, IRQ), IRQFD_ADD(TOKEN), PROD_DEL(TOKEN),
			IRQFD_DEL(TOKEN) },
		.exists = false, .used = 0,
	},
	{
		.name = "irqfd_removed_first_keeps_producer_side",
		.ev = { PROD_ADD(TOKEN, IRQ), IRQFD_ADD(TOKEN), CONS_ADD(TOKEN),
			CONNECT(TOKEN, 0), REMAPPED(IRQ), IRQFD_DEL(TOKEN), CONS_DEL(TOKEN),
			DISCONNECT(TOKEN) },
		.exists = true, .link.has_producer = true, .link.mode = IRQLENS_IRTE_REMAPPED,
		.used = 1,
	},
	{
		/* irqfd_shutdown() reports first; the consumer still holds the link. */
		.name = "irqfd_shutdown_then_consumer_forgets_link",
		.ev = { IRQFD_ADD(TOKEN), CONS_ADD(TOKEN), IRQFD_DEL(TOKEN), INJECT(TOKEN),
			CONS_DEL(TOKEN), INJECT(TOKEN) },
		.exists = false, .used = 0, .unmatched = 1,
	},
	{
		.name = "irqfd_then_producer_removed_is_forgotten",
		.ev = { PROD_ADD(TOKEN, IRQ), IRQFD_ADD(TOKEN), IRQFD_DEL(TOKEN),
			PROD_DEL(TOKEN) },
		.exists = false, .used = 0,
	},
	{
		.name = "duplicated_adds_make_one_link",
		.ev = { PROD_ADD(TOKEN, IRQ), PROD_ADD(TOKEN, IRQ), IRQFD_ADD(TOKEN),
			IRQFD_ADD(TOKEN), CONS_ADD(TOKEN), CONS_ADD(TOKEN) },
		.exists = true, .link.has_producer = true, .link.has_irqfd = true,
		.link.has_consumer = true,
		.link.mode = IRQLENS_IRTE_REMAPPED, .used = 1,
	},
	{
		/* The same producer reported again must not reset a posted IRTE. */
		.name = "same_producer_again_keeps_posted",
		.ev = { IRQFD_ADD(TOKEN), CONS_ADD(TOKEN), PROD_ADD(TOKEN, IRQ),
			PI_UPDATE(IRQ, 2, 0x51), POSTED(IRQ, 0x51), CONNECT(TOKEN, 0),
			PROD_ADD(TOKEN, IRQ) },
		.exists = true, .link.has_producer = true, .link.has_irqfd = true,
		.link.has_consumer = true,
		.link.connected = true, .link.mode = IRQLENS_IRTE_POSTED, .link.posted_vcpu = 2,
		.link.posted_vector = 0x51, .link.transitions = 1, .used = 1,
	},
	{
		/*
		 * irqbypass refuses a second producer on one eventfd (-EBUSY);
		 * neither its entry nor its failure touches the link.
		 */
		.name = "second_producer_on_eventfd_is_refused",
		.ev = { PROD_ADD(TOKEN, IRQ), PI_UPDATE(IRQ, 1, 0x41), POSTED(IRQ, 0x41),
			OTHER_PROD_ADD(TOKEN, IRQ + 1), OTHER_PROD_DEL(TOKEN), HOST(IRQ + 1) },
		.exists = true, .link.has_producer = true, .link.mode = IRQLENS_IRTE_POSTED,
		.link.posted_vcpu = 1, .link.posted_vector = 0x41, .link.transitions = 1, .used = 1,
		.unmatched = 3,
	},
	{
		/* 6.12 lets another VM's irqfd use the same eventfd. */
		.name = "other_irqfd_on_eventfd_leaves_link",
		.ev = { IRQFD_ADD(TOKEN), CONS_ADD(TOKEN), OTHER_IRQFD_ADD(TOKEN),
			OTHER_IRQFD_DEL(TOKEN) },
		.exists = true, .link.has_irqfd = true, .link.has_consumer = true, .used = 1,
		.unmatched = 2,
	},
	{
		.name = "unexpected_events_are_counted_not_applied",
		.ev = { INJECT(9), HOST(77), PROD_DEL(9), REMAPPED(77), CONNECT(9, 0),
			ROUTE(77, 3), { .type = 99, .token = 9 } },
		.exists = false, .used = 0, .unmatched = 7,
	},
	{
		.name = "failed_irte_update_keeps_mode",
		.ev = { PROD_ADD(TOKEN, IRQ), IRQFD_ADD(TOKEN), REMAPPED(IRQ),
			IRTE_FAILS(IRQ, -EINVAL) },
		.exists = true, .link.has_producer = true, .link.has_irqfd = true,
		.link.mode = IRQLENS_IRTE_REMAPPED, .link.last_error = -EINVAL, .used = 1,
	},
	{
		.name = "failed_connect_stays_disconnected",
		.ev = { PROD_ADD(TOKEN, IRQ), IRQFD_ADD(TOKEN), CONS_ADD(TOKEN),
			CONNECT(TOKEN, -EBUSY) },
		.exists = true, .link.has_producer = true, .link.has_irqfd = true,
		.link.has_consumer = true,
		.link.mode = IRQLENS_IRTE_REMAPPED, .link.last_error = -EBUSY, .used = 1,
	},
	{
		.name = "consumer_without_seen_irqfd_is_an_irqfd",
		.ev = { CONS_ADD(TOKEN), PROD_ADD(TOKEN, IRQ), CONNECT(TOKEN, 0),
			CONS_DEL(TOKEN) },
		.exists = true, .link.has_producer = true, .link.has_irqfd = true,
		.link.mode = IRQLENS_IRTE_REMAPPED, .used = 1,
	},
	{
		/* A remapped IRTE posts to no one: no stale target is shown. */
		.name = "remapped_clears_posted_target",
		.ev = { PROD_ADD(TOKEN, IRQ), PI_UPDATE(IRQ, 1, 0x41), POSTED(IRQ, 0x41),
			REMAPPED(IRQ) },
		.exists = true, .link.has_producer = true, .link.mode = IRQLENS_IRTE_REMAPPED,
		.link.transitions = 2, .used = 1,
	},
	{
		.name = "pi_update_records_target_not_mode",
		.ev = { PROD_ADD(TOKEN, IRQ), PI_UPDATE(IRQ, 3, 0x50) },
		.exists = true, .link.has_producer = true, .link.mode = IRQLENS_IRTE_REMAPPED,
		.link.posted_vcpu = 3, .link.posted_vector = 0x50, .used = 1,
	},
	{
		/* vfio re-requested the vector: a new IRQ starts remapped, untargeted. */
		.name = "new_host_irq_forgets_posted_state",
		.ev = { PROD_ADD(TOKEN, IRQ), PI_UPDATE(IRQ, 1, 0x41), POSTED(IRQ, 0x41),
			PROD_ADD(TOKEN, IRQ + 1),
			HOST(IRQ), HOST(IRQ + 1) },
		.exists = true, .link.has_producer = true, .link.mode = IRQLENS_IRTE_REMAPPED,
		.link.transitions = 1, .link.host_handled = 1, .used = 1, .unmatched = 1,
	},
	{
		/* A producer we never saw go: its host IRQ's new producer takes it. */
		.name = "host_irq_taken_over_by_new_producer",
		.ev = { PROD_ADD(2, IRQ), PROD_ADD(TOKEN, IRQ), HOST(IRQ), INJECT(2) },
		.exists = true, .link.has_producer = true, .link.mode = IRQLENS_IRTE_REMAPPED,
		.link.host_handled = 1, .used = 1, .unmatched = 1,
	},
	{
		.name = "no_interrupt_remapping_is_direct",
		.ev = { PROD_ADD_DIRECT(TOKEN, IRQ), IRQFD_ADD(TOKEN), IRTE_FAILS(IRQ, -EOPNOTSUPP),
			HOST(IRQ) },
		.exists = true, .link.has_producer = true, .link.has_irqfd = true,
		.link.mode = IRQLENS_IRTE_DIRECT, .link.host_handled = 1,
		.link.last_error = -EOPNOTSUPP,
		.used = 1,
	},
	{
		.name = "other_links_unaffected",
		.ev = { PROD_ADD(TOKEN, IRQ), PROD_ADD(2, IRQ + 1), PI_UPDATE(IRQ + 1, 0, 0x30),
			POSTED(IRQ + 1, 0x30),
			HOST(IRQ + 1), INJECT(2) },
		.exists = true, .link.has_producer = true, .link.mode = IRQLENS_IRTE_REMAPPED,
		.used = 2,
	},
	{
		.name = "full_table_counts_overflow",
		.capacity = 2,
		.ev = { PROD_ADD(2, IRQ + 1), PROD_ADD(3, IRQ + 2), PROD_ADD(TOKEN, IRQ),
			HOST(IRQ) },
		.exists = false, .used = 2, .overflow = 1, .unmatched = 1,
	},
};

KUNIT_ARRAY_PARAM_DESC(bp, bp_cases, name);

static void bp_free_action(void *s)
{
	irqlens_bp_free(s);
}

static struct irqlens_bp_state *test_state(struct kunit *test, u32 capacity)
{
	struct irqlens_bp_state *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_EQ(test, irqlens_bp_init(s, capacity), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, bp_free_action, s), 0);
	return s;
}

static void apply(struct irqlens_bp_state *s, const struct irqlens_bp_event ev)
{
	irqlens_bp_apply(s, &ev);
}

static void bp_sequence_test(struct kunit *test)
{
	const struct bp_case *c = test->param_value;
	struct irqlens_bp_state *s = test_state(test, c->capacity ?: 8);
	struct irqlens_bp_totals t;
	struct irqlens_bp_link l;
	unsigned int i;
	bool exists;

	/* A sequence ends at its first all-zero entry (no event has token 0 and type 0). */
	for (i = 0; i < MAX_EVENTS && (c->ev[i].type || c->ev[i].token); i++)
		irqlens_bp_apply(s, &c->ev[i]);

	irqlens_bp_totals(s, &t);
	KUNIT_EXPECT_EQ(test, t.used, c->used);
	KUNIT_EXPECT_EQ(test, t.unmatched, c->unmatched);
	KUNIT_EXPECT_EQ(test, t.overflow, c->overflow);
	exists = irqlens_bp_find(s, TOKEN, &l);
	KUNIT_ASSERT_EQ(test, exists, c->exists);
	if (!exists)
		return;
	bp_expect_link(test, &l, &c->link);
}

/*
 * Eight links whose tokens all hash to one bucket, and whose host IRQs all
 * hash to one bucket: every lookup walks a chain. Each link is found by
 * its token and by its host IRQ, counts land on the right one, and
 * reading the pool slot by slot yields each link once.
 */
static void bp_hash_lookup_test(struct kunit *test)
{
	struct irqlens_bp_state *s = test_state(test, 8);
	unsigned int found = 0, i, n;
	struct irqlens_bp_link l;
	u64 tokens[8], t;
	u32 irqs[8], irq;

	for (i = 0, t = 1; i < 8; t++)
		if (hash_64(t, s->hash_bits) == 0)
			tokens[i++] = t;
	for (i = 0, irq = 1; i < 8; irq++)
		if (hash_32(irq, s->hash_bits) == 0)
			irqs[i++] = irq;

	for (i = 0; i < 8; i++) {
		apply(s, (struct irqlens_bp_event)PROD_ADD(tokens[i], irqs[i]));
		apply(s, (struct irqlens_bp_event)IRQFD_ADD(tokens[i]));
		for (n = 0; n <= i; n++) {
			apply(s, (struct irqlens_bp_event)HOST(irqs[i]));
			apply(s, (struct irqlens_bp_event)INJECT(tokens[i]));
		}
	}
	for (i = 0; i < 8; i++) {
		KUNIT_ASSERT_TRUE(test, irqlens_bp_find(s, tokens[i], &l));
		KUNIT_EXPECT_EQ(test, l.host_irq, irqs[i]);
		KUNIT_EXPECT_EQ(test, l.host_handled, i + 1);
		KUNIT_EXPECT_EQ(test, l.injections, i + 1);
		KUNIT_ASSERT_TRUE(test, irqlens_bp_find_irq(s, irqs[i], &l));
		KUNIT_EXPECT_EQ(test, l.token, tokens[i]);
	}
	KUNIT_EXPECT_FALSE(test, irqlens_bp_find(s, t, &l));
	KUNIT_EXPECT_FALSE(test, irqlens_bp_find_irq(s, irq, &l));
	for (i = 0; i < 8; i++)
		found += irqlens_bp_read(s, i, &l);
	KUNIT_EXPECT_EQ(test, found, 8);
	KUNIT_EXPECT_FALSE(test, irqlens_bp_read(s, 8, &l));
}

/* The same producer on a new host IRQ: the old IRQ no longer finds it. */
static void bp_irq_moves_test(struct kunit *test)
{
	struct irqlens_bp_state *s = test_state(test, 4);
	struct irqlens_bp_totals t;
	struct irqlens_bp_link l;

	apply(s, (struct irqlens_bp_event)PROD_ADD(TOKEN, IRQ));
	apply(s, (struct irqlens_bp_event)PROD_ADD(TOKEN, IRQ + 1));
	apply(s, (struct irqlens_bp_event)HOST(IRQ));
	apply(s, (struct irqlens_bp_event)HOST(IRQ + 1));
	KUNIT_EXPECT_FALSE(test, irqlens_bp_find_irq(s, IRQ, &l));
	KUNIT_ASSERT_TRUE(test, irqlens_bp_find_irq(s, IRQ + 1, &l));
	KUNIT_EXPECT_EQ(test, l.host_handled, 1);
	irqlens_bp_totals(s, &t);
	KUNIT_EXPECT_EQ(test, t.unmatched, 1);
}

/*
 * A removed link's slot is not reused while a lockless reader may still
 * hold it: inside an RCU read-side section the one slot stays taken (the
 * new link overflows); after a grace period it is reused.
 */
static void bp_reuse_after_grace_period_test(struct kunit *test)
{
	struct irqlens_bp_state *s = test_state(test, 1);
	struct irqlens_bp_totals t;
	struct irqlens_bp_link l;

	apply(s, (struct irqlens_bp_event)PROD_ADD(TOKEN, IRQ));
	rcu_read_lock();
	apply(s, (struct irqlens_bp_event)PROD_DEL(TOKEN));
	apply(s, (struct irqlens_bp_event)PROD_ADD(2, IRQ + 1));
	rcu_read_unlock();
	irqlens_bp_totals(s, &t);
	KUNIT_EXPECT_EQ(test, t.used, 0);
	KUNIT_EXPECT_EQ(test, t.overflow, 1);
	KUNIT_EXPECT_FALSE(test, irqlens_bp_find(s, 2, &l));
	KUNIT_EXPECT_FALSE(test, irqlens_bp_find(s, TOKEN, &l));

	rcu_barrier();
	apply(s, (struct irqlens_bp_event)PROD_ADD(2, IRQ + 1));
	irqlens_bp_totals(s, &t);
	KUNIT_EXPECT_EQ(test, t.used, 1);
	KUNIT_EXPECT_EQ(test, t.overflow, 1);
	KUNIT_ASSERT_TRUE(test, irqlens_bp_find(s, 2, &l));
	KUNIT_EXPECT_EQ(test, l.host_irq, IRQ + 1);
	/* A reused slot starts clean: nothing of the old link. */
	KUNIT_EXPECT_EQ(test, l.host_handled, 0);
	KUNIT_EXPECT_FALSE(test, irqlens_bp_find_irq(s, IRQ, &l));
}

/* A full table counts what does not fit and keeps what does. */
static void bp_full_table_overflow_test(struct kunit *test)
{
	struct irqlens_bp_state *s = test_state(test, 4);
	struct irqlens_bp_totals t;
	struct irqlens_bp_link l;
	unsigned int i;

	for (i = 1; i <= 6; i++)
		apply(s, (struct irqlens_bp_event)IRQFD_ADD(i));
	for (i = 1; i <= 6; i++)
		apply(s, (struct irqlens_bp_event)INJECT(i));
	irqlens_bp_totals(s, &t);
	KUNIT_EXPECT_EQ(test, t.used, 4);
	KUNIT_EXPECT_EQ(test, t.capacity, 4);
	KUNIT_EXPECT_EQ(test, t.overflow, 2);
	KUNIT_EXPECT_EQ(test, t.unmatched, 2);
	for (i = 1; i <= 4; i++) {
		KUNIT_ASSERT_TRUE(test, irqlens_bp_find(s, i, &l));
		KUNIT_EXPECT_EQ(test, l.injections, 1);
	}
	KUNIT_EXPECT_FALSE(test, irqlens_bp_find(s, 5, &l));

	/* Room again once a link is gone and its grace period is over. */
	apply(s, (struct irqlens_bp_event)IRQFD_DEL(1));
	rcu_barrier();
	apply(s, (struct irqlens_bp_event)IRQFD_ADD(5));
	KUNIT_EXPECT_TRUE(test, irqlens_bp_find(s, 5, &l));
	irqlens_bp_totals(s, &t);
	KUNIT_EXPECT_EQ(test, t.used, 4);
	KUNIT_EXPECT_EQ(test, t.overflow, 2);
}

struct bp_reason_case {
	const char *name;
	struct irqlens_bp_link link;
	bool posting_cap;
	enum irqlens_bp_reason reason;
};

static const struct bp_reason_case bp_reason_cases[] = {
	{ "connected_is_bypassed",
	  { .has_producer = true, .has_irqfd = true, .has_consumer = true, .connected = true },
	  true, IRQLENS_BP_BYPASSED },
	{ "irqfd_only", { .has_irqfd = true }, true, IRQLENS_BP_NO_PRODUCER },
	{ "producer_only", { .has_producer = true }, true, IRQLENS_BP_NO_IRQFD },
	{ "pair_without_posting_cap", { .has_producer = true, .has_irqfd = true },
	  false, IRQLENS_BP_NO_POSTING_CAP },
	{ "pair_with_posting_cap_no_consumer", { .has_producer = true, .has_irqfd = true },
	  true, IRQLENS_BP_NO_CONSUMER },
	{ "consumer_refused",
	  { .has_producer = true, .has_irqfd = true, .has_consumer = true, .last_error = -EBUSY,
	    .connect_failed = true },
	  true, IRQLENS_BP_CONNECT_FAILED },
	/* The registration that failed with the connect removed its side. */
	{ "connect_failed_then_producer_gone",
	  { .has_irqfd = true, .has_consumer = true, .last_error = -ENODEV,
	    .connect_failed = true },
	  true, IRQLENS_BP_CONNECT_FAILED },
	/* An IRTE update that failed is not a refused connect. */
	{ "irte_update_failed_not_connected",
	  { .has_producer = true, .has_irqfd = true, .has_consumer = true, .last_error = -EINVAL },
	  true, IRQLENS_BP_NOT_CONNECTED },
	{ "consumer_not_yet_connected",
	  { .has_producer = true, .has_irqfd = true, .has_consumer = true },
	  true, IRQLENS_BP_NOT_CONNECTED },
};

KUNIT_ARRAY_PARAM_DESC(bp_reason, bp_reason_cases, name);

static void bp_reason_test(struct kunit *test)
{
	const struct bp_reason_case *c = test->param_value;

	enum irqlens_bp_reason got = irqlens_bp_reason(&c->link, c->posting_cap);

	KUNIT_EXPECT_STREQ(test, irqlens_bp_reason_text(got), irqlens_bp_reason_text(c->reason));
}

/* "reset-counters" zeroes counts and errors but keeps links and modes. */
static void bp_reset_counters_test(struct kunit *test)
{
	static const struct irqlens_bp_event ev[] = {
		PROD_ADD(TOKEN, IRQ), IRQFD_ADD(TOKEN), PI_UPDATE(IRQ, 2, 0x33), POSTED(IRQ, 0x33),
		REMAPPED(IRQ), PI_UPDATE(IRQ, 2, 0x33), POSTED(IRQ, 0x33), HOST(IRQ), INJECT(TOKEN),
		ROUTE(IRQ, 30), IRTE_FAILS(IRQ, -EIO), HOST(IRQ + 9),
	};
	struct irqlens_bp_state *s = test_state(test, 1);
	static const struct irqlens_bp_event extra = PROD_ADD(2, IRQ + 1);
	struct irqlens_bp_totals t;
	struct irqlens_bp_link l;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ev); i++)
		irqlens_bp_apply(s, &ev[i]);
	irqlens_bp_apply(s, &extra);
	KUNIT_ASSERT_TRUE(test, irqlens_bp_find(s, TOKEN, &l));
	KUNIT_ASSERT_EQ(test, l.transitions, 3);
	KUNIT_ASSERT_EQ(test, l.host_handled, 1);
	irqlens_bp_totals(s, &t);
	KUNIT_ASSERT_EQ(test, t.unmatched, 1);
	KUNIT_ASSERT_EQ(test, t.overflow, 1);

	irqlens_bp_reset_counters(s);
	KUNIT_ASSERT_TRUE(test, irqlens_bp_find(s, TOKEN, &l));
	KUNIT_EXPECT_EQ(test, l.transitions, 0);
	KUNIT_EXPECT_EQ(test, l.host_handled, 0);
	KUNIT_EXPECT_EQ(test, l.injections, 0);
	KUNIT_EXPECT_EQ(test, l.route_updates, 0);
	KUNIT_EXPECT_EQ(test, l.last_error, 0);
	irqlens_bp_totals(s, &t);
	KUNIT_EXPECT_EQ(test, t.unmatched, 0);
	KUNIT_EXPECT_EQ(test, t.overflow, 0);
	KUNIT_EXPECT_EQ(test, t.used, 1);
	KUNIT_EXPECT_TRUE(test, l.has_producer && l.has_irqfd);
	KUNIT_EXPECT_EQ(test, l.mode, IRQLENS_IRTE_POSTED);
	KUNIT_EXPECT_EQ(test, l.posted_vector, 0x33);
}

/* Counters stop at U64_MAX instead of wrapping to small numbers. */
static void bp_counters_saturate_test(struct kunit *test)
{
	atomic64_t c = ATOMIC64_INIT((s64)(U64_MAX - 1));

	KUNIT_EXPECT_TRUE(test, irqlens_bp_count(&c));
	KUNIT_EXPECT_EQ(test, (u64)atomic64_read(&c), U64_MAX);
	KUNIT_EXPECT_FALSE(test, irqlens_bp_count(&c));
	KUNIT_EXPECT_EQ(test, (u64)atomic64_read(&c), U64_MAX);
	atomic64_set(&c, 0);
	KUNIT_EXPECT_TRUE(test, irqlens_bp_count(&c));
	KUNIT_EXPECT_EQ(test, atomic64_read(&c), 1);
}

static void bp_init_rejects_zero_capacity_test(struct kunit *test)
{
	struct irqlens_bp_state s;

	KUNIT_EXPECT_EQ(test, irqlens_bp_init(&s, 0), -EINVAL);
	KUNIT_EXPECT_STREQ(test, irqlens_irte_mode_name(IRQLENS_IRTE_POSTED), "posted");
	KUNIT_EXPECT_STREQ(test, irqlens_irte_mode_name(42), "?");
	KUNIT_EXPECT_STREQ(test, irqlens_remap_name(IRQLENS_REMAP_AMD), "amd-ir");
	KUNIT_EXPECT_STREQ(test, irqlens_bp_reason_text(IRQLENS_BP_REASON_COUNT), "?");
}

static struct kunit_case bypass_state_test_cases[] = {
	KUNIT_CASE_PARAM(bp_sequence_test, bp_gen_params),
	KUNIT_CASE(bp_hash_lookup_test),
	KUNIT_CASE(bp_irq_moves_test),
	KUNIT_CASE(bp_reuse_after_grace_period_test),
	KUNIT_CASE(bp_full_table_overflow_test),
	KUNIT_CASE(bp_counters_saturate_test),
	KUNIT_CASE_PARAM(bp_reason_test, bp_reason_gen_params),
	KUNIT_CASE(bp_reset_counters_test),
	KUNIT_CASE(bp_init_rejects_zero_capacity_test),
	{}
};

static struct kunit_suite bypass_state_test_suite = {
	.name = "irqlens_bypass_state",
	.test_cases = bypass_state_test_cases,
};

kunit_test_suites(&bypass_state_test_suite);

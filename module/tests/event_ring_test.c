// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the event ring keeps the newest events, numbers them without
 * gaps or repeats, and tells a reader exactly how many it missed.
 */
#include <kunit/test.h>

#include "../event_ring.h"

static void ring_free_action(void *ring)
{
	irqlens_ring_free(ring);
}

/* A ring of @capacity that KUnit frees when the case ends. */
static struct irqlens_ring *test_ring(struct kunit *test, u32 capacity)
{
	struct irqlens_ring *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_EQ(test, irqlens_ring_init(r, capacity), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ring_free_action, r), 0);
	return r;
}

/* Push @n events whose arg[0] is their index, so content can be checked. */
static void push_n(struct irqlens_ring *r, u32 n)
{
	struct irqlens_event ev = { .type = IRQLENS_EV_MARK };
	u32 i;

	for (i = 0; i < n; i++) {
		ev.arg[0] = i;
		ev.arg[1] = ~i;
		irqlens_ring_push(r, &ev);
	}
}

struct ring_read_case {
	const char *name;
	u32 capacity;
	u32 pushes;
	u64 from;
	bool found;
	u64 seq;	/* expected sequence number read */
	u64 lost;
	u64 dropped;
};

static const struct ring_read_case ring_read_cases[] = {
	{ "empty", 4, 0, 0, false, 0, 0, 0 },
	{ "first", 4, 3, 0, true, 0, 0, 0 },
	{ "middle", 4, 3, 1, true, 1, 0, 0 },
	{ "past_head", 4, 3, 3, false, 0, 0, 0 },
	{ "exactly_full", 4, 4, 0, true, 0, 0, 0 },
	{ "one_over", 4, 5, 0, true, 1, 1, 1 },
	{ "wrapped_twice", 4, 10, 0, true, 6, 6, 6 },
	{ "wrapped_reader_caught_up", 4, 10, 8, true, 8, 0, 6 },
	{ "wrapped_reader_partly_behind", 4, 10, 5, true, 6, 1, 6 },
	{ "capacity_one", 1, 3, 0, true, 2, 2, 2 },
	{ "large_no_wrap", 4096, 4096, 4095, true, 4095, 0, 0 },
};

KUNIT_ARRAY_PARAM_DESC(ring_read, ring_read_cases, name);

static void ring_read_test(struct kunit *test)
{
	const struct ring_read_case *c = test->param_value;
	struct irqlens_ring *r = test_ring(test, c->capacity);
	struct irqlens_event ev = {};
	u64 lost = ~0ULL;
	bool found;

	push_n(r, c->pushes);
	found = irqlens_ring_read(r, c->from, &ev, &lost);

	KUNIT_EXPECT_EQ(test, found, c->found);
	KUNIT_EXPECT_EQ(test, r->dropped, c->dropped);
	KUNIT_EXPECT_EQ(test, r->head, (u64)c->pushes);
	if (!found)
		return;
	KUNIT_EXPECT_EQ(test, ev.seq, c->seq);
	KUNIT_EXPECT_EQ(test, lost, c->lost);
	/* The slot holds the event pushed with that sequence number. */
	KUNIT_EXPECT_EQ(test, (u64)ev.arg[0], c->seq);
	KUNIT_EXPECT_EQ(test, ev.arg[1], ~(u32)c->seq);
}

/* Walking from 0 visits every held event once, in order, after one loss. */
static void ring_walk_after_wrap_test(struct kunit *test)
{
	struct irqlens_ring *r = test_ring(test, 8);
	struct irqlens_event ev;
	u64 from = 0, lost, total_lost = 0, seen = 0;

	push_n(r, 21);
	while (irqlens_ring_read(r, from, &ev, &lost)) {
		total_lost += lost;
		KUNIT_EXPECT_EQ(test, ev.seq, 13 + seen);
		seen++;
		from = ev.seq + 1;
	}
	KUNIT_EXPECT_EQ(test, seen, 8);
	KUNIT_EXPECT_EQ(test, total_lost, 13);
}

static void ring_reset_keeps_numbering_test(struct kunit *test)
{
	struct irqlens_ring *r = test_ring(test, 4);
	struct irqlens_event ev = {};
	u64 lost;

	push_n(r, 3);
	irqlens_ring_reset(r);
	KUNIT_EXPECT_FALSE(test, irqlens_ring_read(r, 0, &ev, &lost));
	/* A reset is not a loss the ring caused. */
	KUNIT_EXPECT_EQ(test, r->dropped, 0);

	KUNIT_EXPECT_EQ(test, irqlens_ring_push(r, &ev), 3);
	KUNIT_ASSERT_TRUE(test, irqlens_ring_read(r, 3, &ev, &lost));
	KUNIT_EXPECT_EQ(test, ev.seq, 3);
	KUNIT_EXPECT_EQ(test, lost, 0);
}

struct ring_init_case {
	const char *name;
	u32 capacity;
	int ret;
};

static const struct ring_init_case ring_init_cases[] = {
	{ "zero", 0, -EINVAL },
	{ "three", 3, -EINVAL },
	{ "not_power_of_two", 4095, -EINVAL },
	{ "one", 1, 0 },
	{ "power_of_two", 1024, 0 },
};

KUNIT_ARRAY_PARAM_DESC(ring_init, ring_init_cases, name);

static void ring_init_test(struct kunit *test)
{
	const struct ring_init_case *c = test->param_value;
	struct irqlens_ring r = {};
	int ret;

	ret = irqlens_ring_init(&r, c->capacity);
	KUNIT_EXPECT_EQ(test, ret, c->ret);
	if (!ret) {
		KUNIT_EXPECT_EQ(test, r.mask + 1, c->capacity);
		irqlens_ring_free(&r);
	}
}

static void event_type_name_test(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, irqlens_event_type_name(IRQLENS_EV_MARK), "mark");
	KUNIT_EXPECT_STREQ(test, irqlens_event_type_name(IRQLENS_EV_COUNT), "unknown");
	KUNIT_EXPECT_STREQ(test, irqlens_event_type_name(U32_MAX), "unknown");
}

static struct kunit_case event_ring_test_cases[] = {
	KUNIT_CASE_PARAM(ring_read_test, ring_read_gen_params),
	KUNIT_CASE(ring_walk_after_wrap_test),
	KUNIT_CASE(ring_reset_keeps_numbering_test),
	KUNIT_CASE_PARAM(ring_init_test, ring_init_gen_params),
	KUNIT_CASE(event_type_name_test),
	{}
};

static struct kunit_suite event_ring_test_suite = {
	.name = "irqlens_event_ring",
	.test_cases = event_ring_test_cases,
};

kunit_test_suites(&event_ring_test_suite);

// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the interrupt-window records and the livelock detector, driven by
 * the events the hooks make, in KVM's order: KVM_RUN entry, window exits,
 * injections, the return to userspace, the vCPU going away. The detector
 * must fire once per streak, exactly at the threshold, while the vCPU is
 * still inside KVM_RUN; an injection or a return ends the streak; a
 * record follows its vCPU and the pool stays bounded.
 */
#include <kunit/test.h>
#include <linux/sched.h>
#include <linux/rcupdate.h>
#include <uapi/linux/irqlens.h>
#include <uapi/linux/kvm.h>

#include "../irqwin.h"
#include "../irqwin_state.h"

#define VM	0x5eed
#define KEY(n)	(0x1000 + (n))
#define VCPUS	8

/* KVM's irq_window_exits of each vCPU, as the hooks would read it. */
static u64 window_stat[VCPUS];

static void win_free_action(void *s)
{
	irqlens_win_free(s);
}

static struct irqlens_win_state *test_state(struct kunit *test, u32 capacity, u32 threshold)
{
	struct irqlens_win_state *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_EQ(test, irqlens_win_init(s, capacity), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, win_free_action, s), 0);
	memset(window_stat, 0, sizeof(window_stat));
	if (threshold)
		KUNIT_ASSERT_EQ(test, irqlens_win_set_threshold(s, threshold), 0);
	return s;
}

/* One event of vCPU @n; returns whether the detector fired. */
static bool feed(struct irqlens_win_state *s, u32 type, u32 n)
{
	struct irqlens_win_event ev = {
		.type = type, .key = KEY(n), .vm = VM, .vcpu_id = n, .pid = 77,
		.irqchip = IRQLENS_IRQCHIP_SPLIT, .req_window = true,
		.window_stat = window_stat[n],
		.snap = { .flags = IRQLENS_WIN_SNAP_REQ_WINDOW, .ext_vector = 0x30,
			  .nmi_pending = 2 },
	};

	return irqlens_win_apply(s, &ev);
}

static void ret_with(struct irqlens_win_state *s, u32 n, s32 result, u32 reason, bool ready)
{
	struct irqlens_win_event ev = {
		.type = IRQLENS_WIN_RUN_RETURN, .key = KEY(n), .vm = VM, .vcpu_id = n,
		.result = result, .exit_reason = reason, .ready = ready, .if_flag = true,
		.window_stat = window_stat[n],
	};

	irqlens_win_apply(s, &ev);
}

/*
 * Window exits of vCPU @n, each seen at the guest entry after it, as KVM
 * runs them; how many made the detector fire. Each firing is followed by
 * the hook's snapshot.
 */
static u32 window_exits(struct irqlens_win_state *s, u32 n, u32 count)
{
	u32 fired = 0;

	while (count--) {
		window_stat[n]++;
		if (!feed(s, IRQLENS_WIN_GUEST_ENTRY, n))
			continue;
		fired++;
		KUNIT_EXPECT_FALSE(current->kunit_test, feed(s, IRQLENS_WIN_SNAPSHOT, n));
	}
	return fired;
}

static struct irqlens_win_vcpu read_vcpu(struct kunit *test, struct irqlens_win_state *s, u32 n)
{
	struct irqlens_win_vcpu v;

	KUNIT_ASSERT_TRUE(test, irqlens_win_find(s, VM, n, &v));
	return v;
}

/* A healthy run: each window exit is followed by an injection. */
static void win_counts_test(struct kunit *test)
{
	struct irqlens_win_state *s = test_state(test, 4, 3);
	struct irqlens_win_vcpu v;
	int i;

	feed(s, IRQLENS_WIN_RUN_ENTER, 0);
	for (i = 0; i < 5; i++) {
		KUNIT_EXPECT_EQ(test, window_exits(s, 0, 2), 0);
		feed(s, IRQLENS_WIN_INJECT_IRQ, 0);
	}
	feed(s, IRQLENS_WIN_INJECT_NMI, 0);
	ret_with(s, 0, 0, KVM_EXIT_IRQ_WINDOW_OPEN, true);
	v = read_vcpu(test, s, 0);
	KUNIT_EXPECT_EQ(test, v.runs, 1);
	KUNIT_EXPECT_EQ(test, v.returns, 1);
	KUNIT_EXPECT_EQ(test, v.window_exits, 10);
	KUNIT_EXPECT_EQ(test, v.exits_this_run, 10);
	KUNIT_EXPECT_EQ(test, v.irq_injections, 5);
	KUNIT_EXPECT_EQ(test, v.nmi_injections, 1);
	KUNIT_EXPECT_EQ(test, v.window_opens, 1);
	KUNIT_EXPECT_EQ(test, v.longest_streak, 2);
	KUNIT_EXPECT_EQ(test, v.streak, 0);
	KUNIT_EXPECT_EQ(test, v.flagged, 0);
	KUNIT_EXPECT_FALSE(test, v.in_run);
	KUNIT_EXPECT_EQ(test, v.pid, 77);
	KUNIT_EXPECT_EQ(test, v.irqchip, IRQLENS_IRQCHIP_SPLIT);
	KUNIT_EXPECT_TRUE(test, v.last_ready);
	KUNIT_EXPECT_TRUE(test, v.last_if_flag);
	KUNIT_EXPECT_EQ(test, v.last_exit_reason, KVM_EXIT_IRQ_WINDOW_OPEN);
}

/* What KVM counts in request_irq_exits: a return of 0 with that reason. */
static void win_opens_only_on_success_test(struct kunit *test)
{
	struct irqlens_win_state *s = test_state(test, 4, 0);

	feed(s, IRQLENS_WIN_RUN_ENTER, 0);
	ret_with(s, 0, -EINTR, KVM_EXIT_IRQ_WINDOW_OPEN, false);
	feed(s, IRQLENS_WIN_RUN_ENTER, 0);
	ret_with(s, 0, 0, KVM_EXIT_IO, false);
	feed(s, IRQLENS_WIN_RUN_ENTER, 0);
	ret_with(s, 0, 0, KVM_EXIT_IRQ_WINDOW_OPEN, true);
	KUNIT_EXPECT_EQ(test, read_vcpu(test, s, 0).window_opens, 1);
	KUNIT_EXPECT_EQ(test, read_vcpu(test, s, 0).last_result, 0);
	KUNIT_EXPECT_EQ(test, read_vcpu(test, s, 0).returns, 3);
}

/*
 * The livelock: window exits with no injection. The flag and its snapshot
 * are there at the threshold, before KVM_RUN returns, and only once.
 */
static void win_detector_fires_inside_run_test(struct kunit *test)
{
	struct irqlens_win_state *s = test_state(test, 4, 100);
	struct irqlens_win_totals t;
	struct irqlens_win_vcpu v;

	feed(s, IRQLENS_WIN_RUN_ENTER, 1);
	KUNIT_EXPECT_EQ(test, window_exits(s, 1, 99), 0);
	KUNIT_EXPECT_EQ(test, read_vcpu(test, s, 1).flagged, 0);
	KUNIT_EXPECT_EQ(test, read_vcpu(test, s, 1).snap.ext_vector, -1);
	KUNIT_EXPECT_EQ(test, window_exits(s, 1, 1), 1);
	KUNIT_EXPECT_EQ(test, window_exits(s, 1, 1000), 0);
	v = read_vcpu(test, s, 1);
	KUNIT_EXPECT_TRUE(test, v.in_run);
	KUNIT_EXPECT_TRUE(test, v.stuck);
	KUNIT_EXPECT_EQ(test, v.flagged, 1);
	KUNIT_EXPECT_EQ(test, v.streak, 1100);
	KUNIT_EXPECT_EQ(test, v.snap.streak, 100);
	KUNIT_EXPECT_EQ(test, v.snap.threshold, 100);
	KUNIT_EXPECT_EQ(test, v.snap.flags, IRQLENS_WIN_SNAP_REQ_WINDOW);
	KUNIT_EXPECT_EQ(test, v.snap.ext_vector, 0x30);
	KUNIT_EXPECT_EQ(test, v.snap.nmi_pending, 2);
	irqlens_win_totals(s, &t);
	KUNIT_EXPECT_EQ(test, t.stuck, 1);

	/* The signal that stops it: KVM_RUN returns, the flag stays counted. */
	ret_with(s, 1, -EINTR, KVM_EXIT_INTR, false);
	v = read_vcpu(test, s, 1);
	KUNIT_EXPECT_FALSE(test, v.stuck);
	KUNIT_EXPECT_EQ(test, v.flagged, 1);
	KUNIT_EXPECT_EQ(test, v.longest_streak, 1100);
	irqlens_win_totals(s, &t);
	KUNIT_EXPECT_EQ(test, t.stuck, 0);
}

/* Each injection, and each new KVM_RUN, starts a new streak. */
static void win_injection_ends_streak_test(struct kunit *test)
{
	struct irqlens_win_state *s = test_state(test, 4, 5);

	feed(s, IRQLENS_WIN_RUN_ENTER, 2);
	KUNIT_EXPECT_EQ(test, window_exits(s, 2, 4), 0);
	feed(s, IRQLENS_WIN_INJECT_IRQ, 2);
	KUNIT_EXPECT_EQ(test, window_exits(s, 2, 4), 0);
	feed(s, IRQLENS_WIN_INJECT_NMI, 2);
	KUNIT_EXPECT_EQ(test, window_exits(s, 2, 4), 0);
	feed(s, IRQLENS_WIN_RUN_ENTER, 2);
	KUNIT_EXPECT_EQ(test, window_exits(s, 2, 4), 0);
	KUNIT_EXPECT_EQ(test, read_vcpu(test, s, 2).exits_this_run, 4);
	KUNIT_EXPECT_EQ(test, read_vcpu(test, s, 2).window_exits, 16);
	/* The fifth in a row fires; after an injection, a new streak fires again. */
	KUNIT_EXPECT_EQ(test, window_exits(s, 2, 1), 1);
	feed(s, IRQLENS_WIN_INJECT_IRQ, 2);
	KUNIT_EXPECT_EQ(test, window_exits(s, 2, 5), 1);
	KUNIT_EXPECT_EQ(test, read_vcpu(test, s, 2).flagged, 2);
}

/*
 * Window exits are counted at the next event, whatever it is, and before
 * it: two exits then an injection make a streak of 2 that the injection
 * ends; exits KVM made before irqlens saw the vCPU are not counted.
 */
static void win_counted_before_next_event_test(struct kunit *test)
{
	struct irqlens_win_state *s = test_state(test, 4, 3);
	struct irqlens_win_vcpu v;

	window_stat[0] = 40;
	feed(s, IRQLENS_WIN_RUN_ENTER, 0);
	KUNIT_EXPECT_EQ(test, read_vcpu(test, s, 0).window_exits, 0);
	window_stat[0] += 2;
	feed(s, IRQLENS_WIN_INJECT_IRQ, 0);
	v = read_vcpu(test, s, 0);
	KUNIT_EXPECT_EQ(test, v.window_exits, 2);
	KUNIT_EXPECT_EQ(test, v.longest_streak, 2);
	KUNIT_EXPECT_EQ(test, v.streak, 0);
	/* Three at once reach the threshold: one firing. */
	window_stat[0] += 3;
	KUNIT_EXPECT_TRUE(test, feed(s, IRQLENS_WIN_GUEST_ENTRY, 0));
	window_stat[0] += 1;
	ret_with(s, 0, 0, KVM_EXIT_IRQ_WINDOW_OPEN, true);
	v = read_vcpu(test, s, 0);
	KUNIT_EXPECT_EQ(test, v.window_exits, 6);
	KUNIT_EXPECT_EQ(test, v.exits_this_run, 6);
	KUNIT_EXPECT_EQ(test, v.flagged, 1);
	KUNIT_EXPECT_EQ(test, v.snap.streak, 3);
	KUNIT_EXPECT_EQ(test, v.longest_streak, 4);
}

/*
 * Only a guest entry with nothing injected continues a streak that can
 * fire: with the threshold at 1, a window exit followed by an injection
 * or by a return to userspace (a healthy KVM) never fires; one followed
 * by a bare guest entry does.
 */
static void win_fires_only_on_reentry_test(struct kunit *test)
{
	struct irqlens_win_state *s = test_state(test, 4, 1);

	feed(s, IRQLENS_WIN_RUN_ENTER, 0);
	window_stat[0]++;
	KUNIT_EXPECT_FALSE(test, feed(s, IRQLENS_WIN_INJECT_IRQ, 0));
	KUNIT_EXPECT_FALSE(test, feed(s, IRQLENS_WIN_GUEST_ENTRY, 0));
	window_stat[0]++;
	KUNIT_EXPECT_FALSE(test, feed(s, IRQLENS_WIN_INJECT_NMI, 0));
	window_stat[0]++;
	ret_with(s, 0, 0, KVM_EXIT_IRQ_WINDOW_OPEN, true);
	KUNIT_EXPECT_EQ(test, read_vcpu(test, s, 0).flagged, 0);
	KUNIT_EXPECT_EQ(test, read_vcpu(test, s, 0).window_exits, 3);
	feed(s, IRQLENS_WIN_RUN_ENTER, 0);
	KUNIT_EXPECT_EQ(test, window_exits(s, 0, 1), 1);
	KUNIT_EXPECT_EQ(test, read_vcpu(test, s, 0).flagged, 1);
}

/* A probe that missed a billion exits: counted at once, not one by one; totals saturate. */
static void win_large_delta_test(struct kunit *test)
{
	struct irqlens_win_state *s = test_state(test, 4, 0);
	struct irqlens_win_vcpu v;

	feed(s, IRQLENS_WIN_RUN_ENTER, 0);
	window_stat[0] += 1000000000ULL;
	KUNIT_EXPECT_TRUE(test, feed(s, IRQLENS_WIN_GUEST_ENTRY, 0));
	v = read_vcpu(test, s, 0);
	KUNIT_EXPECT_EQ(test, v.window_exits, 1000000000ULL);
	KUNIT_EXPECT_EQ(test, v.snap.streak, 1000000000ULL);
	window_stat[0] = U64_MAX;
	feed(s, IRQLENS_WIN_GUEST_ENTRY, 0);
	/* KVM's count re-based (a stat clear), then five more: the total saturates. */
	window_stat[0] = 0;
	feed(s, IRQLENS_WIN_RUN_ENTER, 0);
	window_stat[0] = 5;
	feed(s, IRQLENS_WIN_GUEST_ENTRY, 0);
	v = read_vcpu(test, s, 0);
	KUNIT_EXPECT_EQ(test, v.window_exits, U64_MAX);
	KUNIT_EXPECT_EQ(test, v.streak, 5);
	KUNIT_EXPECT_EQ(test, v.flagged, 1);
}

/* A threshold lowered mid-streak fires at the next exit; 0 is refused. */
static void win_threshold_test(struct kunit *test)
{
	struct irqlens_win_state *s = test_state(test, 4, 0);

	KUNIT_EXPECT_EQ(test, s->threshold, IRQLENS_WIN_THRESHOLD_DEFAULT);
	KUNIT_EXPECT_EQ(test, irqlens_win_set_threshold(s, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, s->threshold, IRQLENS_WIN_THRESHOLD_DEFAULT);
	feed(s, IRQLENS_WIN_RUN_ENTER, 0);
	KUNIT_EXPECT_EQ(test, window_exits(s, 0, 50), 0);
	KUNIT_EXPECT_EQ(test, irqlens_win_set_threshold(s, 10), 0);
	KUNIT_EXPECT_EQ(test, window_exits(s, 0, 1), 1);
	KUNIT_EXPECT_EQ(test, read_vcpu(test, s, 0).snap.streak, 51);
}

/* vCPUs are kept apart: one's livelock is not another's. */
static void win_vcpus_apart_test(struct kunit *test)
{
	struct irqlens_win_state *s = test_state(test, 8, 3);
	u32 n;

	for (n = 0; n < 4; n++)
		feed(s, IRQLENS_WIN_RUN_ENTER, n);
	KUNIT_EXPECT_EQ(test, window_exits(s, 3, 3), 1);
	for (n = 0; n < 3; n++) {
		KUNIT_EXPECT_EQ(test, window_exits(s, n, 2), 0);
		KUNIT_EXPECT_EQ(test, read_vcpu(test, s, n).flagged, 0);
		KUNIT_EXPECT_EQ(test, read_vcpu(test, s, n).window_exits, 2);
	}
	KUNIT_EXPECT_EQ(test, read_vcpu(test, s, 3).flagged, 1);
}

/*
 * The pool: a vCPU that goes away frees its record (after a grace period);
 * one that does not fit is counted; a record whose vCPU went unseen and
 * whose key comes back as another vCPU starts afresh.
 */
static void win_pool_test(struct kunit *test)
{
	struct irqlens_win_state *s = test_state(test, 2, 0);
	struct irqlens_win_totals t;
	struct irqlens_win_vcpu v;
	struct irqlens_win_event other = {
		.type = IRQLENS_WIN_RUN_ENTER, .key = KEY(0), .vm = VM + 1, .vcpu_id = 9,
	};

	feed(s, IRQLENS_WIN_RUN_ENTER, 0);
	feed(s, IRQLENS_WIN_RUN_ENTER, 1);
	feed(s, IRQLENS_WIN_RUN_ENTER, 2);
	irqlens_win_totals(s, &t);
	KUNIT_EXPECT_EQ(test, t.used, 2);
	KUNIT_EXPECT_EQ(test, t.overflow, 1);
	KUNIT_EXPECT_FALSE(test, irqlens_win_find(s, VM, 2, &v));

	feed(s, IRQLENS_WIN_DESTROY, 1);
	feed(s, IRQLENS_WIN_DESTROY, 1);
	irqlens_win_totals(s, &t);
	KUNIT_EXPECT_EQ(test, t.used, 1);
	KUNIT_EXPECT_EQ(test, t.unmatched, 1);
	KUNIT_EXPECT_FALSE(test, irqlens_win_find(s, VM, 1, &v));
	rcu_barrier();
	feed(s, IRQLENS_WIN_RUN_ENTER, 2);
	KUNIT_EXPECT_EQ(test, read_vcpu(test, s, 2).runs, 1);

	window_exits(s, 0, 7);
	irqlens_win_apply(s, &other);
	KUNIT_EXPECT_FALSE(test, irqlens_win_find(s, VM, 0, &v));
	KUNIT_ASSERT_TRUE(test, irqlens_win_find(s, VM + 1, 9, &v));
	KUNIT_EXPECT_EQ(test, v.window_exits, 0);
	KUNIT_EXPECT_EQ(test, v.runs, 1);
}

/*
 * A vCPU first seen mid-KVM_RUN (irqlens loaded late): the guest entry
 * that brings it in only sets where KVM's count stands.
 */
static void win_late_load_test(struct kunit *test)
{
	struct irqlens_win_state *s = test_state(test, 2, 0);
	struct irqlens_win_vcpu v;

	window_exits(s, 0, 2);
	ret_with(s, 0, 0, KVM_EXIT_HLT, false);
	v = read_vcpu(test, s, 0);
	KUNIT_EXPECT_EQ(test, v.runs, 0);
	KUNIT_EXPECT_EQ(test, v.returns, 1);
	KUNIT_EXPECT_EQ(test, v.window_exits, 1);
}

static void win_uapi_test(struct kunit *test)
{
	struct irqlens_win_state *s = test_state(test, 2, 1);
	struct irqlens_window_vcpu u;
	struct irqlens_win_vcpu v;

	feed(s, IRQLENS_WIN_RUN_ENTER, 0);
	window_exits(s, 0, 1);
	v = read_vcpu(test, s, 0);
	irqlens_win_to_uapi(&v, &u);
	KUNIT_EXPECT_EQ(test, u.flags, IRQLENS_WIN_IN_RUN | IRQLENS_WIN_STUCK);
	KUNIT_EXPECT_EQ(test, u.vm, VM);
	KUNIT_EXPECT_EQ(test, u.flagged, 1);
	KUNIT_EXPECT_EQ(test, u.snap_streak, 1);
	KUNIT_EXPECT_EQ(test, u.snap_threshold, 1);
	KUNIT_EXPECT_EQ(test, u.snap_ext_vector, 0x30);
	KUNIT_EXPECT_EQ(test, u.snap_flags, IRQLENS_SNAP_REQ_WINDOW);
	ret_with(s, 0, 0, KVM_EXIT_IRQ_WINDOW_OPEN, true);
	v = read_vcpu(test, s, 0);
	irqlens_win_to_uapi(&v, &u);
	KUNIT_EXPECT_EQ(test, u.flags, IRQLENS_WIN_LAST_READY | IRQLENS_WIN_LAST_IF);
	KUNIT_EXPECT_EQ(test, u.window_opens, 1);
	KUNIT_EXPECT_EQ(test, u.last_exit_reason, KVM_EXIT_IRQ_WINDOW_OPEN);
}

static void win_init_rejects_zero_capacity_test(struct kunit *test)
{
	struct irqlens_win_state s;

	KUNIT_EXPECT_EQ(test, irqlens_win_init(&s, 0), -EINVAL);
}

static struct kunit_case irqwin_state_test_cases[] = {
	KUNIT_CASE(win_counts_test),
	KUNIT_CASE(win_opens_only_on_success_test),
	KUNIT_CASE(win_detector_fires_inside_run_test),
	KUNIT_CASE(win_injection_ends_streak_test),
	KUNIT_CASE(win_counted_before_next_event_test),
	KUNIT_CASE(win_fires_only_on_reentry_test),
	KUNIT_CASE(win_large_delta_test),
	KUNIT_CASE(win_threshold_test),
	KUNIT_CASE(win_vcpus_apart_test),
	KUNIT_CASE(win_pool_test),
	KUNIT_CASE(win_late_load_test),
	KUNIT_CASE(win_uapi_test),
	KUNIT_CASE(win_init_rejects_zero_capacity_test),
	{}
};

static struct kunit_suite irqwin_state_test_suite = {
	.name = "irqlens_irqwin_state",
	.test_cases = irqwin_state_test_cases,
};

kunit_test_suites(&irqwin_state_test_suite);

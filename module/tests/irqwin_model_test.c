// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the interrupt-window model (irqwin_model.h) over every input
 * combination of every version. The versions since 71cc849b7093 never
 * arm a window they cannot report open; the one before does, in exactly
 * the row of the fix's report; and each pair of versions differs exactly
 * where its commit says. Each commit's claim is restated here from its
 * message, as a predicate over the inputs, independent of how the model
 * is written (its switch over versions).
 */
#include <kunit/test.h>

#include "../irqwin_model.h"

/* An ExtINT the vCPU has queued, as each commit's text means it. */
static bool extint_waiting(const struct irqwin_in *in)
{
	if (in->irqchip == IRQWIN_IRQCHIP_NONE)
		return in->irq_injected;
	return in->lint0_extint && in->extint_queued;
}

/* The LAPIC lets an ExtINT through (or there is none in the kernel). */
static bool lapic_passes_extint(const struct irqwin_in *in)
{
	return in->irqchip == IRQWIN_IRQCHIP_NONE || in->lint0_extint;
}

static void irqwin_no_livelock_since_fix_test(struct kunit *test)
{
	unsigned int v, i, checked = 0, livelocks, total = 0;
	struct irqwin_out out;
	struct irqwin_in in;
	char row[160];

	for (v = IRQWIN_71CC849B; v < IRQWIN_NR_VERSIONS; v++) {
		livelocks = 0;
		for (i = 0; i < IRQWIN_NR_COMBINATIONS; i++) {
			irqwin_in_from_index(i, &in);
			irqwin_eval(v, &in, &out);
			checked++;
			if (!out.livelock)
				continue;
			irqwin_in_describe(&in, row, sizeof(row));
			KUNIT_FAIL(test, "%s arms a window it never reports open: %s",
				   irqwin_version_name(v), row);
			livelocks++;
		}
		KUNIT_EXPECT_EQ(test, livelocks, 0);
		total += livelocks;
	}
	kunit_info(test, "%u combinations checked (%u per version): %u livelock row(s) since 71cc849b\n",
		   checked, IRQWIN_NR_COMBINATIONS, total);
}

/*
 * The fix's report: a LAPIC interrupt pending under APICv, split irqchip
 * (VMX: on SVM the window itself inhibits AVIC, and KVM injects).
 */
static const struct irqwin_in livelock_row = {
	.irqchip = IRQWIN_IRQCHIP_SPLIT, .window_requested = true, .lint0_extint = true,
	.lapic_irr = true, .apicv = true, .interruptible = true,
};

/* Field by field: the struct has padding. */
static bool same_inputs(const struct irqwin_in *a, const struct irqwin_in *b)
{
	return a->irqchip == b->irqchip && a->window_requested == b->window_requested &&
	       a->lint0_extint == b->lint0_extint && a->extint_queued == b->extint_queued &&
	       a->lapic_irr == b->lapic_irr && a->apicv == b->apicv &&
	       a->irq_injected == b->irq_injected && a->event_injected == b->event_injected &&
	       a->exception_pending == b->exception_pending &&
	       a->interruptible == b->interruptible;
}

static void irqwin_pre_fix_livelock_rows_test(struct kunit *test)
{
	struct irqwin_out out;
	struct irqwin_in in;
	unsigned int i, rows = 0;
	char row[160];

	for (i = 0; i < IRQWIN_NR_COMBINATIONS; i++) {
		irqwin_in_from_index(i, &in);
		irqwin_eval(IRQWIN_PRE_71CC849B, &in, &out);
		if (!out.livelock)
			continue;
		rows++;
		irqwin_in_describe(&in, row, sizeof(row));
		kunit_info(test, "pre-71cc849b livelock row: %s\n", row);
		KUNIT_EXPECT_TRUE_MSG(test, same_inputs(&in, &livelock_row),
				      "a livelock row other than the report's: %s", row);
	}
	kunit_info(test, "%u combinations checked: %u livelock row(s) before 71cc849b\n",
		   IRQWIN_NR_COMBINATIONS, rows);
	KUNIT_EXPECT_EQ(test, rows, 1);
}

/*
 * Compare versions @old and @new over every combination: their "armed"
 * and "ready" must differ exactly where @armed_differs and @ready_differs
 * say.
 */
static void expect_differences(struct kunit *test, unsigned int old, unsigned int new,
			       bool (*armed_differs)(const struct irqwin_in *),
			       bool (*ready_differs)(const struct irqwin_in *))
{
	unsigned int i, armed = 0, ready = 0;
	struct irqwin_out a, b;
	struct irqwin_in in;
	char row[160];

	for (i = 0; i < IRQWIN_NR_COMBINATIONS; i++) {
		irqwin_in_from_index(i, &in);
		irqwin_eval(old, &in, &a);
		irqwin_eval(new, &in, &b);
		irqwin_in_describe(&in, row, sizeof(row));
		KUNIT_EXPECT_EQ_MSG(test, a.armed != b.armed, armed_differs(&in),
				    "armed %d -> %d: %s", a.armed, b.armed, row);
		KUNIT_EXPECT_EQ_MSG(test, a.ready != b.ready, ready_differs(&in),
				    "ready %d -> %d: %s", a.ready, b.ready, row);
		/* What userspace reads follows "ready" but with the PIC in KVM. */
		KUNIT_EXPECT_EQ_MSG(test, a.run_ready != b.run_ready,
				    a.ready != b.ready && in.irqchip != IRQWIN_IRQCHIP_KERNEL,
				    "run_ready: %s", row);
		armed += a.armed != b.armed;
		ready += a.ready != b.ready;
	}
	kunit_info(test, "%s -> %s: %u combinations checked, armed differs in %u, ready in %u\n",
		   irqwin_version_name(old), irqwin_version_name(new),
		   IRQWIN_NR_COMBINATIONS, armed, ready);
}

/* 71cc849b7093: "kvm_cpu_accept_dm_intr() ... false if an ExtINT is pending". */
static bool armed_differs_71cc(const struct irqwin_in *in)
{
	return in->window_requested && in->irqchip != IRQWIN_IRQCHIP_KERNEL &&
	       lapic_passes_extint(in) && extint_waiting(in);
}

/*
 * 71cc849b7093: readiness no longer asks for "no interrupt pending" nor
 * "no re-injection", only interruptible and accepting an ExtINT.
 */
static bool ready_differs_71cc(const struct irqwin_in *in)
{
	bool lapic_pending = in->irqchip != IRQWIN_IRQCHIP_NONE && in->lapic_irr;

	return in->interruptible && lapic_passes_extint(in) && !extint_waiting(in) &&
	       (lapic_pending || in->irq_injected || in->event_injected);
}

static void irqwin_71cc849b_differences_test(struct kunit *test)
{
	expect_differences(test, IRQWIN_PRE_71CC849B, IRQWIN_71CC849B,
			   armed_differs_71cc, ready_differs_71cc);
}

static bool never(const struct irqwin_in *in)
{
	return false;
}

/*
 * fa7a549d321a: "accept userspace interrupt only if no event is
 * injected": not ready while an event awaits re-injection or an
 * exception is pending; the window itself is armed as before.
 */
static bool ready_differs_fa7a(const struct irqwin_in *in)
{
	return in->interruptible && lapic_passes_extint(in) && !extint_waiting(in) &&
	       (in->irq_injected || in->event_injected || in->exception_pending);
}

static void irqwin_fa7a549d_differences_test(struct kunit *test)
{
	expect_differences(test, IRQWIN_71CC849B, IRQWIN_FA7A549D, never, ready_differs_fa7a);
}

/* Rows the harness probes on the running kernel (test_irq_window.c). */
struct irqwin_row_case {
	const char *name;
	struct irqwin_in in;
	bool pre_fix_ready, ready, armed;
};

static const struct irqwin_row_case irqwin_row_cases[] = {
	{ "lapic_pending_split", { .irqchip = IRQWIN_IRQCHIP_SPLIT, .window_requested = true,
	  .lint0_extint = true, .lapic_irr = true, .interruptible = true },
	  false, true, true },
	{ "if0_split", { .irqchip = IRQWIN_IRQCHIP_SPLIT, .window_requested = true,
	  .lint0_extint = true }, false, false, true },
	{ "extint_queued_split", { .irqchip = IRQWIN_IRQCHIP_SPLIT, .window_requested = true,
	  .lint0_extint = true, .extint_queued = true, .interruptible = true },
	  false, false, false },
	{ "lvt0_masked_split", { .irqchip = IRQWIN_IRQCHIP_SPLIT, .window_requested = true,
	  .interruptible = true }, false, false, false },
	{ "exception_pending_split", { .irqchip = IRQWIN_IRQCHIP_SPLIT,
	  .window_requested = true, .lint0_extint = true, .exception_pending = true,
	  .interruptible = true }, true, false, true },
	{ "irq_injected_userspace", { .irqchip = IRQWIN_IRQCHIP_NONE, .window_requested = true,
	  .irq_injected = true, .interruptible = true }, false, false, false },
	{ "open_userspace", { .irqchip = IRQWIN_IRQCHIP_NONE, .window_requested = true,
	  .interruptible = true }, true, true, true },
};

KUNIT_ARRAY_PARAM_DESC(irqwin_row, irqwin_row_cases, name);

static void irqwin_row_test(struct kunit *test)
{
	const struct irqwin_row_case *c = test->param_value;
	struct irqwin_out pre, cur;

	irqwin_eval(IRQWIN_PRE_71CC849B, &c->in, &pre);
	irqwin_eval(IRQWIN_CURRENT, &c->in, &cur);
	KUNIT_EXPECT_EQ(test, pre.ready, c->pre_fix_ready);
	KUNIT_EXPECT_EQ(test, cur.ready, c->ready);
	KUNIT_EXPECT_EQ(test, cur.armed, c->armed);
	KUNIT_EXPECT_EQ(test, cur.run_ready, c->ready);
}

static void irqwin_kernel_irqchip_test(struct kunit *test)
{
	struct irqwin_out out;
	struct irqwin_in in;
	unsigned int v, i;

	/* With the PIC in KVM there is no userspace window, and always "ready". */
	for (v = 0; v < IRQWIN_NR_VERSIONS; v++)
		for (i = 0; i < IRQWIN_NR_COMBINATIONS; i++) {
			irqwin_in_from_index(i, &in);
			if (in.irqchip != IRQWIN_IRQCHIP_KERNEL)
				continue;
			irqwin_eval(v, &in, &out);
			KUNIT_EXPECT_FALSE(test, out.armed);
			KUNIT_EXPECT_FALSE(test, out.exits_open);
			KUNIT_EXPECT_TRUE(test, out.run_ready);
		}
}

static void irqwin_index_test(struct kunit *test)
{
	struct irqwin_in in;
	unsigned int i, seen_split = 0, seen_all_bits = 0;

	/* Every index decodes to a distinct, valid combination. */
	for (i = 0; i < IRQWIN_NR_COMBINATIONS; i++) {
		irqwin_in_from_index(i, &in);
		KUNIT_EXPECT_LT(test, in.irqchip, (unsigned int)IRQWIN_NR_IRQCHIPS);
		seen_split += in.irqchip == IRQWIN_IRQCHIP_SPLIT;
		seen_all_bits += in.window_requested && in.lint0_extint && in.extint_queued &&
				 in.lapic_irr && in.apicv && in.irq_injected &&
				 in.event_injected && in.exception_pending && in.interruptible;
	}
	KUNIT_EXPECT_EQ(test, seen_split, 1u << IRQWIN_NR_INPUT_BITS);
	KUNIT_EXPECT_EQ(test, seen_all_bits, (unsigned int)IRQWIN_NR_IRQCHIPS);
	KUNIT_EXPECT_NULL(test, irqwin_version_name(IRQWIN_NR_VERSIONS));
	KUNIT_EXPECT_STREQ(test, irqwin_version_name(IRQWIN_CURRENT), "fa7a549d");
}

static struct kunit_case irqwin_model_test_cases[] = {
	KUNIT_CASE(irqwin_no_livelock_since_fix_test),
	KUNIT_CASE(irqwin_pre_fix_livelock_rows_test),
	KUNIT_CASE(irqwin_71cc849b_differences_test),
	KUNIT_CASE(irqwin_fa7a549d_differences_test),
	KUNIT_CASE_PARAM(irqwin_row_test, irqwin_row_gen_params),
	KUNIT_CASE(irqwin_kernel_irqchip_test),
	KUNIT_CASE(irqwin_index_test),
	{}
};

static struct kunit_suite irqwin_model_test_suite = {
	.name = "irqlens_irqwin_model",
	.test_cases = irqwin_model_test_cases,
};

kunit_test_suites(&irqwin_model_test_suite);

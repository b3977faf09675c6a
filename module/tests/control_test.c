// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the "control" command parser accepts exactly one known verb with
 * the arguments it takes, and rejects everything else with -EINVAL.
 */
#include <kunit/test.h>
#include <linux/string.h>

#include "../control.h"

struct control_parse_case {
	const char *name;
	const char *input;
	int ret;
	enum irqlens_control_verb verb;
	u32 arg;
};

static const struct control_parse_case control_parse_cases[] = {
	{ "reset", "reset", 0, IRQLENS_CTL_RESET, 0 },
	{ "reset_newline", "reset\n", 0, IRQLENS_CTL_RESET, 0 },
	{ "reset_padded", "  reset\n\t ", 0, IRQLENS_CTL_RESET, 0 },
	{ "reset_with_argument", "reset now", -EINVAL },
	{ "reset_prefix_only", "resetx", -EINVAL },
	{ "reset_upper_case", "RESET", -EINVAL },
	{ "reset_counters", "reset-counters\n", 0, IRQLENS_CTL_RESET_COUNTERS, 0 },
	{ "reset_counters_with_argument", "reset-counters 1", -EINVAL },
	{ "reset_counters_partial", "reset-count", -EINVAL },
	{ "mark_decimal", "mark 42", 0, IRQLENS_CTL_MARK, 42 },
	{ "mark_hex", "mark 0x10\n", 0, IRQLENS_CTL_MARK, 16 },
	{ "mark_tab", "mark\t7", 0, IRQLENS_CTL_MARK, 7 },
	{ "mark_u32_max", "mark 4294967295", 0, IRQLENS_CTL_MARK, U32_MAX },
	{ "mark_overflow", "mark 4294967296", -EINVAL },
	{ "mark_negative", "mark -1", -EINVAL },
	{ "mark_missing_value", "mark", -EINVAL },
	{ "mark_blank_value", "mark   ", -EINVAL },
	{ "mark_two_values", "mark 1 2", -EINVAL },
	{ "mark_trailing_junk", "mark 12abc", -EINVAL },
	{ "window_threshold", "window-threshold 3\n", 0, IRQLENS_CTL_WINDOW_THRESHOLD, 3 },
	{ "window_threshold_u32_max", "window-threshold 4294967295", 0,
	  IRQLENS_CTL_WINDOW_THRESHOLD, U32_MAX },
	{ "window_threshold_zero", "window-threshold 0", -EINVAL },
	{ "window_threshold_missing", "window-threshold", -EINVAL },
	{ "window_threshold_junk", "window-threshold 5x", -EINVAL },
	{ "window_threshold_negative", "window-threshold -5", -EINVAL },
	{ "empty", "", -EINVAL },
	{ "only_newline", "\n", -EINVAL },
	{ "unknown_verb", "bogus", -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(control_parse, control_parse_cases, name);

static void control_parse_test(struct kunit *test)
{
	const struct control_parse_case *c = test->param_value;
	struct irqlens_control_cmd cmd = { .verb = IRQLENS_CTL_COUNT, .arg = 0xdead };
	char *buf;
	int ret;

	/* The parser writes into its buffer: give it a copy. */
	buf = kunit_kzalloc(test, strlen(c->input) + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	strscpy(buf, c->input, strlen(c->input) + 1);

	ret = irqlens_control_parse(buf, &cmd);
	KUNIT_EXPECT_EQ(test, ret, c->ret);
	if (c->ret)
		return;
	KUNIT_EXPECT_EQ(test, cmd.verb, c->verb);
	KUNIT_EXPECT_EQ(test, cmd.arg, c->arg);
}

static struct kunit_case control_test_cases[] = {
	KUNIT_CASE_PARAM(control_parse_test, control_parse_gen_params),
	{}
};

static struct kunit_suite control_test_suite = {
	.name = "irqlens_control",
	.test_cases = control_test_cases,
};

kunit_test_suites(&control_test_suite);

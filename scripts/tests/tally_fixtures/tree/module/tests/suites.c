// SPDX-License-Identifier: GPL-2.0
/* Stand-in KUnit suite definitions for scripts/tally.py. */
static struct kunit_case one_cases[] = {
	{ .name = "irqlens_not_a_suite" },
	{}
};

static struct kunit_suite one_suite = {
	.name = "irqlens_one",
	.test_cases = one_cases,
};

static struct kunit_suite two_suite = {
	.test_cases = two_cases,
	.name = "irqlens_two",
};

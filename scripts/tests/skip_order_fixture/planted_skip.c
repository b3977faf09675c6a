// SPDX-License-Identifier: GPL-2.0
/*
 * Planted examples for scripts/tests/test-skip-guard.sh: each test below
 * breaks the rule "a test that has checked something never ends in SKIP".
 * check-skip-order.py must report every one of them, and built against
 * user/lib/harness.h the first must still be reported as a failure.
 */
#include "lib/harness.h"

TEST(expect_fails_then_skips)
{
	EXPECT_EQ(1, 2);
	SKIP(return, "planted: this SKIP must not hide the failure above");
}

TEST(skip_in_checking_loop)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (i == 1)
			SKIP(return, "planted: reached after the check below");
		EXPECT_EQ(i, i);
	}
}

static void check_something(struct __test_metadata *_metadata)
{
	EXPECT_EQ(1, 1);
}

TEST(helper_checks_then_skips)
{
	check_something(_metadata);
	SKIP(return, "planted: reached after the helper's check");
}

FIXTURE(planted) {
	int unused;
};

FIXTURE_SETUP(planted)
{
	ASSERT_EQ(0, self->unused);
}

FIXTURE_TEARDOWN(planted)
{
}

TEST_F(planted, skips_after_setup_checked)
{
	SKIP(return, "planted: the fixture's setup has checked already");
}

TEST_HARNESS_MAIN

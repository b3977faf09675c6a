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

TEST_HARNESS_MAIN

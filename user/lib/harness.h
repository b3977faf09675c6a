/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kselftest_harness.h (from the installed kernel source) with one rule
 * added: SKIP() never hides a failure. The 6.12 harness's SKIP() sets
 * exit_code to KSFT_SKIP unconditionally, so an EXPECT_*() that failed
 * earlier in the same test would be reported as a skip. Here a SKIP()
 * after a failure keeps the test failed and says so.
 *
 * That is the runtime half; scripts/check-skip-order.py is the static
 * half: it rejects any SKIP() reachable after a check in the same
 * function, so that a test which has checked something passes or fails.
 * Every harness program includes this file instead of the kernel's.
 */
#ifndef IRQLENS_HARNESS_H
#define IRQLENS_HARNESS_H

#include "kselftest_harness.h"

#undef SKIP
#define SKIP(statement, fmt, ...) do {						\
	if (_metadata->exit_code == KSFT_FAIL) {			\
		ksft_print_msg("SKIP refused, an earlier check failed: " fmt "\n", \
			       ##__VA_ARGS__);					\
	} else {							\
		snprintf(_metadata->results->reason,			\
			 sizeof(_metadata->results->reason), fmt, ##__VA_ARGS__); \
		if (TH_LOG_ENABLED)					\
			fprintf(TH_LOG_STREAM, "#      SKIP      %s\n",	\
				_metadata->results->reason);		\
		_metadata->exit_code = KSFT_SKIP;			\
		_metadata->trigger = 0;					\
	}								\
	statement;							\
} while (0)

#endif

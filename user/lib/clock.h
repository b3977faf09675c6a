/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Time for deadlines and latencies: CLOCK_MONOTONIC, so that waits are
 * bounded in real time however long each sleep in an emulator takes.
 */
#ifndef IRQLENS_CLOCK_H
#define IRQLENS_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

#endif

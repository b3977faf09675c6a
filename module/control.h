/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /sys/kernel/debug/irqlens/control: whole verbs written by tests.
 */
#ifndef _IRQLENS_CONTROL_H
#define _IRQLENS_CONTROL_H

#include <linux/types.h>

enum irqlens_control_verb {
	IRQLENS_CTL_RESET,	/* "reset": drop held events */
	IRQLENS_CTL_MARK,	/* "mark <u32>": put a marker in the stream */
	IRQLENS_CTL_RESET_COUNTERS,	/* "reset-counters": zero the bypass counters */
	IRQLENS_CTL_WINDOW_THRESHOLD,	/* "window-threshold <u32 >= 1>": the detector's */
	IRQLENS_CTL_COUNT,
};

struct irqlens_control_cmd {
	enum irqlens_control_verb verb;
	u32 arg;
};

#if IS_ENABLED(CONFIG_KUNIT)
int irqlens_control_parse(char *buf, struct irqlens_control_cmd *cmd);
#endif

#endif /* _IRQLENS_CONTROL_H */

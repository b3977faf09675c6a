/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's IRQ-bypass state and its debugfs file (bypass.c).
 */
#ifndef _IRQLENS_BYPASS_H
#define _IRQLENS_BYPASS_H

#include "bypass_state.h"

struct dentry;
struct irqlens_bp_call;

int irqlens_bypass_init(struct dentry *root);
void irqlens_bypass_exit(void);
void irqlens_bypass_feed(const struct irqlens_bp_event *ev);
void irqlens_bypass_call(const struct irqlens_bp_call *c);
void irqlens_bypass_reset_counters(void);
bool irqlens_posting_cap(void);

#if IS_ENABLED(CONFIG_KUNIT)
struct irqlens_bypass_link;
void irqlens_link_to_uapi(const struct irqlens_bp_link *l, bool posting_cap,
			  struct irqlens_bypass_link *u);
#endif

#endif /* _IRQLENS_BYPASS_H */

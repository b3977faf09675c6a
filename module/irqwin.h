/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's interrupt-window state and its debugfs file (irqwin.c).
 */
#ifndef _IRQLENS_IRQWIN_H
#define _IRQLENS_IRQWIN_H

#include "irqwin_state.h"

struct dentry;
struct seq_file;

int irqlens_window_init(struct dentry *root);
void irqlens_window_exit(void);
bool irqlens_window_feed(const struct irqlens_win_event *ev);
int irqlens_window_set_threshold(u32 threshold);
void irqlens_window_show_stuck(struct seq_file *m);

#if IS_ENABLED(CONFIG_KUNIT)
struct irqlens_window_vcpu;
void irqlens_win_to_uapi(const struct irqlens_win_vcpu *v, struct irqlens_window_vcpu *u);
#endif

#endif /* _IRQLENS_IRQWIN_H */

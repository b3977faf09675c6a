/* SPDX-License-Identifier: GPL-2.0 */
/*
 * irqlens internal declarations shared by the module's files.
 */
#ifndef _IRQLENS_H
#define _IRQLENS_H

#include <linux/types.h>

struct dentry;

#define IRQLENS_VERSION "0.1"

void irqlens_caps_create(struct dentry *root);
void irqlens_control_create(struct dentry *root);

int irqlens_events_init(struct dentry *root);
void irqlens_events_exit(void);
void irqlens_event_emit(u32 type, u32 a0, u32 a1, u32 a2);
void irqlens_events_reset(void);

#endif /* _IRQLENS_H */

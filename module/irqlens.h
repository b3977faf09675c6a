/* SPDX-License-Identifier: GPL-2.0 */
/*
 * irqlens internal declarations shared by the module's files.
 */
#ifndef _IRQLENS_H
#define _IRQLENS_H

struct dentry;

#define IRQLENS_VERSION "0.1"

void irqlens_caps_create(struct dentry *root);

#endif /* _IRQLENS_H */

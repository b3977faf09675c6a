/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The size-first record queries of include/uapi/linux/irqlens.h, shared
 * by every debugfs file that answers one: read the caller's header, put
 * records into its array at its stride, answer with the header.
 */
#ifndef _IRQLENS_UQUERY_H
#define _IRQLENS_UQUERY_H

#include <linux/types.h>

int irqlens_uquery_get(void __user *uq, void *q, size_t ksize, size_t size_ver0, u32 *usize);
int irqlens_uquery_put(u64 recs, u32 stride, u32 idx, const void *rec, size_t rec_size);
int irqlens_uquery_answer(void __user *uq, const void *q, size_t ksize, u32 usize);

#endif /* _IRQLENS_UQUERY_H */

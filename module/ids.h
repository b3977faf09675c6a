/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ids for kernel objects irqlens reports (eventfds, VMs): a keyed hash of
 * the address, so that equal objects get equal ids and no address leaks
 * into debugfs. The key is random per load.
 */
#ifndef _IRQLENS_IDS_H
#define _IRQLENS_IDS_H

#include <linux/types.h>

void irqlens_ids_init(void);
u64 irqlens_id(const void *obj);
u32 irqlens_id32(const void *obj);

#endif /* _IRQLENS_IDS_H */

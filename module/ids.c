// SPDX-License-Identifier: GPL-2.0
/*
 * Object ids: siphash of the address with a per-load random key (ids.h).
 */
#include <linux/random.h>
#include <linux/siphash.h>

#include "ids.h"

static siphash_key_t ids_key;

void irqlens_ids_init(void)
{
	get_random_bytes(&ids_key, sizeof(ids_key));
}

/* 0 means "no object": a real object never gets it. */
u64 irqlens_id(const void *obj)
{
	u64 id;

	if (!obj)
		return 0;
	id = siphash_1u64((u64)(unsigned long)obj, &ids_key);
	return id ?: 1;
}

u32 irqlens_id32(const void *obj)
{
	u64 id = irqlens_id(obj);

	return (u32)(id ^ (id >> 32)) ?: (obj ? 1 : 0);
}

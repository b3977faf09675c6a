// SPDX-License-Identifier: GPL-2.0
/*
 * Size-first record queries (uquery.h), extensible the way clone3() and
 * openat2() are: an older caller's smaller struct is accepted, a newer
 * caller's bigger one when the bytes the kernel does not know are zero.
 */
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/uaccess.h>

#include "uquery.h"

/*
 * Read the caller's header (@q, @ksize bytes as this kernel knows it).
 * @usize is the size the caller said; -EINVAL below the first version,
 * -E2BIG above a page (as clone3() and openat2(): the unknown bytes
 * are checked for zeros, and not a gigabyte of them) or for unknown
 * non-zero bytes, -EFAULT for a bad address.
 */
int irqlens_uquery_get(void __user *uq, void *q, size_t ksize, size_t size_ver0, u32 *usize)
{
	if (get_user(*usize, (u32 __user *)uq))
		return -EFAULT;
	if (*usize < size_ver0)
		return -EINVAL;
	if (*usize > PAGE_SIZE)
		return -E2BIG;
	return copy_struct_from_user(q, ksize, uq, *usize);
}

/*
 * Record @idx of the caller's array at @recs, @stride bytes apart (the
 * caller's record size, checked against the query's maximum): ours,
 * then zeros where a newer caller's record is longer.
 */
int irqlens_uquery_put(u64 recs, u32 stride, u32 idx, const void *rec, size_t rec_size)
{
	void __user *dst = u64_to_user_ptr(recs) + (u64)idx * stride;
	size_t copy = min_t(size_t, stride, rec_size);

	if (copy_to_user(dst, rec, copy) || clear_user(dst + copy, stride - copy))
		return -EFAULT;
	return 0;
}

/* The answered header, no longer than the caller's. */
int irqlens_uquery_answer(void __user *uq, const void *q, size_t ksize, u32 usize)
{
	if (copy_to_user(uq, q, min_t(size_t, usize, ksize)))
		return -EFAULT;
	return 0;
}

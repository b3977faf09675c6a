/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one spelling of each IRQLENS_IRQCHIP_* (include/uapi/linux/irqlens.h),
 * shared by irqlens.ko's window table and "irqlens status".
 */
#ifndef _IRQLENS_IRQCHIP_NAMES_H
#define _IRQLENS_IRQCHIP_NAMES_H

#define IRQLENS_IRQCHIP_NAMES {					\
	[IRQLENS_IRQCHIP_USERSPACE] = "userspace",		\
	[IRQLENS_IRQCHIP_KERNEL] = "kernel",			\
	[IRQLENS_IRQCHIP_SPLIT] = "split",			\
}

#define IRQLENS_IRQCHIP_COUNT	(IRQLENS_IRQCHIP_SPLIT + 1)

#endif /* _IRQLENS_IRQCHIP_NAMES_H */

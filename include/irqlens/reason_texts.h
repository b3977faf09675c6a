/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one wording of each IRQLENS_REASON_* (include/uapi/linux/irqlens.h),
 * shared by irqlens.ko's bypass table and the harness's messages, so that
 * a person reads the same sentence in both. Not uapi: programs get the
 * number through the ioctl and may word it as they like.
 */
#ifndef _IRQLENS_REASON_TEXTS_H
#define _IRQLENS_REASON_TEXTS_H

#define IRQLENS_REASON_TEXTS {						\
	[IRQLENS_REASON_BYPASSED] =					\
		"bypassed: producer and KVM consumer connected",	\
	[IRQLENS_REASON_NO_PRODUCER] = "no VFIO producer on this eventfd", \
	[IRQLENS_REASON_NO_IRQFD] = "no KVM irqfd on this eventfd",	\
	[IRQLENS_REASON_NO_POSTING_CAP] =				\
		"no consumer: KVM bypasses only when it can post, "	\
		"and the IOMMU has no IRQ_POSTING_CAP",			\
	[IRQLENS_REASON_NO_CONSUMER] =					\
		"no consumer although the IOMMU can post: "		\
		"APICv/AVIC or device posting is off in KVM",		\
	[IRQLENS_REASON_CONNECT_FAILED] =				\
		"KVM refused the producer (see last error)",		\
	[IRQLENS_REASON_NOT_CONNECTED] =				\
		"producer and consumer registered, not connected",	\
}

#define IRQLENS_REASON_COUNT	(IRQLENS_REASON_NOT_CONNECTED + 1)

#endif /* _IRQLENS_REASON_TEXTS_H */

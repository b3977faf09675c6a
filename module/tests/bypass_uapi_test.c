// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: a link as the uapi reports it (IRQLENS_IOC_BYPASS_LINKS and the
 * "bypass" table): flags, the sides a link lacks, the mode and the reason.
 */
#include <kunit/test.h>
#include <uapi/linux/irqlens.h>

#include "../bypass.h"

static void uapi_pair_without_posting_test(struct kunit *test)
{
	struct irqlens_bp_link l = {
		.token = 0x1234, .has_producer = true, .has_irqfd = true, .host_irq = 40,
		.dev = 0x80, .vm = 7, .pid = 99, .gsi = 32, .remap = IRQLENS_REMAP_INTEL,
		.mode = IRQLENS_IRTE_REMAPPED, .host_handled = 5, .injections = 5,
	};
	struct irqlens_bypass_link u;

	memset(&u, 0xa5, sizeof(u));
	irqlens_link_to_uapi(&l, false, &u);
	KUNIT_EXPECT_EQ(test, u.id, 0x1234);
	KUNIT_EXPECT_EQ(test, u.flags, IRQLENS_LINK_PRODUCER | IRQLENS_LINK_IRQFD);
	KUNIT_EXPECT_EQ(test, u.host_irq, 40);
	KUNIT_EXPECT_EQ(test, u.dev, 0x80);
	KUNIT_EXPECT_EQ(test, u.pid, 99);
	KUNIT_EXPECT_EQ(test, u.gsi, 32);
	KUNIT_EXPECT_EQ(test, u.mode, IRQLENS_MODE_REMAPPED);
	KUNIT_EXPECT_EQ(test, u.remap, IRQLENS_IOMMU_INTEL);
	KUNIT_EXPECT_EQ(test, u.reason, IRQLENS_REASON_NO_POSTING_CAP);
	KUNIT_EXPECT_EQ(test, u.host_handled, 5);
	/* Nothing of the 0xa5 fill may leak: reserved words are zero. */
	KUNIT_EXPECT_EQ(test, u.reserved[0], 0);
	KUNIT_EXPECT_EQ(test, u.reserved[1], 0);
}

static void uapi_irqfd_only_test(struct kunit *test)
{
	struct irqlens_bp_link l = {
		.token = 9, .has_irqfd = true, .host_irq = 77, .dev = 0x10, .gsi = 3,
	};
	struct irqlens_bypass_link u;

	irqlens_link_to_uapi(&l, true, &u);
	KUNIT_EXPECT_EQ(test, u.flags, IRQLENS_LINK_IRQFD);
	/* A stale host IRQ or device of a gone producer is not reported. */
	KUNIT_EXPECT_EQ(test, u.host_irq, 0);
	KUNIT_EXPECT_EQ(test, u.dev, IRQLENS_NO_DEV);
	KUNIT_EXPECT_EQ(test, u.reason, IRQLENS_REASON_NO_PRODUCER);
}

static void uapi_bypassed_posted_test(struct kunit *test)
{
	struct irqlens_bp_link l = {
		.token = 3, .has_producer = true, .has_irqfd = true, .has_consumer = true,
		.connected = true, .mode = IRQLENS_IRTE_POSTED, .posted_vcpu = 2,
		.posted_vector = 0x41, .transitions = 3, .remap = IRQLENS_REMAP_AMD,
	};
	struct irqlens_bypass_link u;

	irqlens_link_to_uapi(&l, true, &u);
	KUNIT_EXPECT_EQ(test, u.flags, IRQLENS_LINK_PRODUCER | IRQLENS_LINK_IRQFD |
			IRQLENS_LINK_CONSUMER | IRQLENS_LINK_CONNECTED);
	KUNIT_EXPECT_EQ(test, u.mode, IRQLENS_MODE_POSTED);
	KUNIT_EXPECT_EQ(test, u.posted_vcpu, 2);
	KUNIT_EXPECT_EQ(test, u.posted_vector, 0x41);
	KUNIT_EXPECT_EQ(test, u.transitions, 3);
	KUNIT_EXPECT_EQ(test, u.remap, IRQLENS_IOMMU_AMD);
	KUNIT_EXPECT_EQ(test, u.reason, IRQLENS_REASON_BYPASSED);
}

static struct kunit_case bypass_uapi_test_cases[] = {
	KUNIT_CASE(uapi_pair_without_posting_test),
	KUNIT_CASE(uapi_irqfd_only_test),
	KUNIT_CASE(uapi_bypassed_posted_test),
	{}
};

static struct kunit_suite bypass_uapi_test_suite = {
	.name = "irqlens_bypass_uapi",
	.test_cases = bypass_uapi_test_cases,
};

kunit_test_suites(&bypass_uapi_test_suite);

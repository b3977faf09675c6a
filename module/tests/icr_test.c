// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: ICR decoding and IPI destination resolution (icr.h), by tables:
 * every delivery mode, physical and logical (flat and cluster)
 * destinations, every shorthand, xAPIC and x2APIC broadcast, over eight
 * vCPUs laid out the way guests program them.
 */
#include <kunit/test.h>

#include "../icr.h"

#define NR	8
#define DFR_FLAT	0xffffffffU
#define DFR_CLUSTER	0x0fffffffU

enum layout { XAPIC_FLAT, XAPIC_CLUSTER, X2APIC };

/* x2APIC ids in four clusters of two, so cluster matching is exercised. */
static const u32 x2apic_ids[NR] = { 0, 1, 2, 3, 16, 17, 32, 33 };

static void make_apics(enum layout l, struct irqlens_apic_id *a)
{
	unsigned int i;

	for (i = 0; i < NR; i++) {
		switch (l) {
		case XAPIC_FLAT:
			/* Linux flat mode: logical id 1 << cpu. */
			a[i] = (struct irqlens_apic_id){ i, BIT(i) << 24, DFR_FLAT };
			break;
		case XAPIC_CLUSTER:
			/* Clusters of four: cluster in 7:4, member bit in 3:0. */
			a[i] = (struct irqlens_apic_id){ i, ((i / 4) << 4 | BIT(i % 4)) << 24,
							 DFR_CLUSTER };
			break;
		case X2APIC:
			/* The LDR x2APIC derives from the id (SDM 11.12.10.2). */
			a[i] = (struct irqlens_apic_id){ x2apic_ids[i],
				(x2apic_ids[i] >> 4) << 16 | BIT(x2apic_ids[i] & 0xf), 0 };
			break;
		}
	}
}

#define ICR(vec, dm, logical, sh) \
	((vec) | (dm) << 8 | (logical) << 11 | BIT(14) | (sh) << 18)
#define XDEST(d)	((u32)(d) << 24)

struct icr_case {
	const char *name;
	enum layout layout;
	u32 low, high;
	unsigned int sender;
	u64 mask;
	bool one_of, ignored;
};

static const struct icr_case icr_cases[] = {
	{ "fixed_physical", XAPIC_FLAT, ICR(0x40, 0, 0, 0), XDEST(3), 0, BIT(3) },
	{ "fixed_physical_nobody", XAPIC_FLAT, ICR(0x40, 0, 0, 0), XDEST(9), 0, 0 },
	{ "fixed_physical_broadcast", XAPIC_FLAT, ICR(0x40, 0, 0, 0), XDEST(0xff), 0, 0xff },
	{ "fixed_logical_flat", XAPIC_FLAT, ICR(0x41, 0, 1, 0), XDEST(0x05), 0, BIT(0) | BIT(2) },
	{ "fixed_logical_flat_broadcast", XAPIC_FLAT, ICR(0x41, 0, 1, 0), XDEST(0xff), 0, 0xff },
	{ "fixed_logical_cluster", XAPIC_CLUSTER, ICR(0x42, 0, 1, 0), XDEST(0x13), 0,
	  BIT(4) | BIT(5) },
	{ "fixed_logical_cluster_whole", XAPIC_CLUSTER, ICR(0x42, 0, 1, 0), XDEST(0x0f), 0, 0x0f },
	{ "fixed_logical_cluster_empty", XAPIC_CLUSTER, ICR(0x42, 0, 1, 0), XDEST(0x20), 0, 0 },
	{ "fixed_logical_cluster_member", XAPIC_CLUSTER, ICR(0x42, 0, 1, 0), XDEST(0x01), 0,
	  BIT(0) },
	{ "self", XAPIC_FLAT, ICR(0x43, 0, 0, 1), XDEST(3), 5, BIT(5) },
	{ "all_including_self", XAPIC_FLAT, ICR(0x44, 0, 0, 2), 0, 2, 0xff },
	{ "all_excluding_self", XAPIC_FLAT, ICR(0x45, 0, 0, 3), 0, 2, 0xfb },
	{ "nmi_physical", XAPIC_FLAT, ICR(0, 4, 0, 0), XDEST(1), 0, BIT(1) },
	{ "smi_physical", XAPIC_FLAT, ICR(0, 2, 0, 0), XDEST(6), 0, BIT(6) },
	{ "lowest_logical_flat", XAPIC_FLAT, ICR(0x46, 1, 1, 0), XDEST(0x0c), 0,
	  BIT(2) | BIT(3), true },
	{ "init_assert", XAPIC_FLAT, ICR(0, 5, 0, 0), XDEST(7), 0, BIT(7) },
	{ "init_deassert_level", XAPIC_FLAT, (5 << 8) | BIT(15), XDEST(7), 0, 0, false, true },
	{ "sipi", XAPIC_FLAT, ICR(0x9a, 6, 0, 0), XDEST(4), 0, BIT(4) },
	/* KVM's PV unhalt kick (kvm_pv_kick_cpu_op): reaches its target. */
	{ "pv_kick_mode_3", XAPIC_FLAT, ICR(0, 3, 0, 0), XDEST(4), 0, BIT(4) },
	{ "reserved_mode_7", XAPIC_FLAT, ICR(0x40, 7, 0, 2), 0, 0, 0, false, true },
	{ "x2apic_physical", X2APIC, ICR(0x50, 0, 0, 0), 33, 0, BIT(7) },
	{ "x2apic_physical_broadcast", X2APIC, ICR(0x50, 0, 0, 0), 0xffffffff, 0, 0xff },
	/* 0xff is an ordinary id in x2APIC mode, not a broadcast. */
	{ "x2apic_physical_ff_not_broadcast", X2APIC, ICR(0x50, 0, 0, 0), 0xff, 0, 0 },
	{ "x2apic_logical_cluster", X2APIC, ICR(0x51, 0, 1, 0), 1 << 16 | 0x3, 0,
	  BIT(4) | BIT(5) },
	{ "x2apic_logical_one", X2APIC, ICR(0x51, 0, 1, 0), 2 << 16 | BIT(1), 0, BIT(7) },
	{ "x2apic_logical_wrong_cluster", X2APIC, ICR(0x51, 0, 1, 0), 3 << 16 | 0x3, 0, 0 },
	{ "x2apic_logical_broadcast", X2APIC, ICR(0x51, 0, 1, 0), 0xffffffff, 0, 0xff },
	{ "x2apic_all_excluding_self", X2APIC, ICR(0x52, 0, 0, 3), 0, 7, 0x7f },
	{ "x2apic_lowest", X2APIC, ICR(0x53, 1, 1, 0), 0x3, 0, BIT(0) | BIT(1), true },
};

KUNIT_ARRAY_PARAM_DESC(icr, icr_cases, name);

static void icr_targets_test(struct kunit *test)
{
	const struct icr_case *c = test->param_value;
	struct irqlens_apic_id apics[NR];
	struct irqlens_ipi_targets t;
	struct irqlens_icr icr;

	make_apics(c->layout, apics);
	irqlens_icr_decode(c->low, c->high, c->layout == X2APIC, &icr);
	irqlens_icr_targets(&icr, apics, NR, c->sender, &t);
	KUNIT_EXPECT_EQ_MSG(test, t.mask, c->mask, "%s %s vector 0x%x dest 0x%x",
			    irqlens_icr_dm_name(icr.delivery_mode),
			    irqlens_icr_shorthand_name(icr.shorthand), icr.vector, icr.dest);
	KUNIT_EXPECT_EQ(test, t.one_of, c->one_of);
	KUNIT_EXPECT_EQ(test, t.ignored, c->ignored);
}

/* Every field, from where the SDM puts it. */
static void icr_decode_test(struct kunit *test)
{
	struct irqlens_icr icr;

	irqlens_icr_decode(0x000cc5ef, 0x2a000000, false, &icr);
	KUNIT_EXPECT_EQ(test, icr.vector, 0xef);
	KUNIT_EXPECT_EQ(test, icr.delivery_mode, IRQLENS_DM_INIT);
	KUNIT_EXPECT_FALSE(test, icr.logical);
	KUNIT_EXPECT_TRUE(test, icr.assert);
	KUNIT_EXPECT_TRUE(test, icr.level_triggered);
	KUNIT_EXPECT_EQ(test, icr.shorthand, IRQLENS_SH_ALL_BUT_SELF);
	KUNIT_EXPECT_EQ(test, icr.dest, 0x2a);
	KUNIT_EXPECT_STREQ(test, irqlens_icr_dm_name(icr.delivery_mode), "init");
	KUNIT_EXPECT_STREQ(test, irqlens_icr_shorthand_name(icr.shorthand), "all-but-self");

	irqlens_icr_decode(0x00000840, 0x12345678, true, &icr);
	KUNIT_EXPECT_EQ(test, icr.vector, 0x40);
	KUNIT_EXPECT_TRUE(test, icr.logical);
	KUNIT_EXPECT_FALSE(test, icr.assert);
	KUNIT_EXPECT_EQ(test, icr.shorthand, IRQLENS_SH_NONE);
	KUNIT_EXPECT_EQ(test, icr.dest, 0x12345678);
	KUNIT_EXPECT_STREQ(test, irqlens_icr_dm_name(3), "pv-kick");
	KUNIT_EXPECT_STREQ(test, irqlens_icr_dm_name(7), "reserved7");
}

/* More vCPUs than the mask holds are never counted into it. */
static void icr_mask_bound_test(struct kunit *test)
{
	struct irqlens_apic_id *apics;
	struct irqlens_ipi_targets t;
	struct irqlens_icr icr;

	apics = kunit_kcalloc(test, IRQLENS_ICR_MAX_VCPUS + 8, sizeof(*apics), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, apics);
	irqlens_icr_decode(ICR(0x40, 0, 0, 2), 0, true, &icr);
	irqlens_icr_targets(&icr, apics, IRQLENS_ICR_MAX_VCPUS + 8, 0, &t);
	KUNIT_EXPECT_EQ(test, t.mask, U64_MAX);
}

static struct kunit_case icr_test_cases[] = {
	KUNIT_CASE_PARAM(icr_targets_test, icr_gen_params),
	KUNIT_CASE(icr_decode_test),
	KUNIT_CASE(icr_mask_bound_test),
	{}
};

static struct kunit_suite icr_test_suite = {
	.name = "irqlens_icr",
	.test_cases = icr_test_cases,
};

kunit_test_suites(&icr_test_suite);

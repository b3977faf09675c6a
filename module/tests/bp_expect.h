/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the bypass KUnit suites expect of a link after a sequence: the
 * fields of struct irqlens_bp_link that events change, compared in one
 * place for every suite.
 */
#ifndef _IRQLENS_BP_EXPECT_H
#define _IRQLENS_BP_EXPECT_H

#include <kunit/test.h>

#include "../bypass_state.h"

static inline void bp_expect_link(struct kunit *test, const struct irqlens_bp_link *l,
				  const struct irqlens_bp_link *want)
{
	KUNIT_EXPECT_EQ(test, l->has_producer, want->has_producer);
	KUNIT_EXPECT_EQ(test, l->has_irqfd, want->has_irqfd);
	KUNIT_EXPECT_EQ(test, l->has_consumer, want->has_consumer);
	KUNIT_EXPECT_EQ(test, l->connected, want->connected);
	KUNIT_EXPECT_STREQ(test, irqlens_irte_mode_name(l->mode),
			   irqlens_irte_mode_name(want->mode));
	KUNIT_EXPECT_EQ(test, l->posted_vcpu, want->posted_vcpu);
	KUNIT_EXPECT_EQ(test, l->posted_vector, want->posted_vector);
	KUNIT_EXPECT_EQ(test, l->transitions, want->transitions);
	KUNIT_EXPECT_EQ(test, l->route_updates, want->route_updates);
	KUNIT_EXPECT_EQ(test, l->host_handled, want->host_handled);
	KUNIT_EXPECT_EQ(test, l->injections, want->injections);
	KUNIT_EXPECT_EQ(test, l->last_error, want->last_error);
}

#endif /* _IRQLENS_BP_EXPECT_H */

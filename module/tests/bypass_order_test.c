// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: each kernel's real order of the calls irqlens hooks, replayed
 * through the same translation the hooks use (bypass_translate.c) into
 * the state (bypass_state.c). Both kernels' orders run whatever kernel
 * the test runs on: they are just sequences of calls.
 *
 * The orders, from the sources (6.12: linux-source-6.12; 7.x: torvalds
 * linux, the irqbypass xarray rework and KVM's kvm_pi_update_irte()):
 *
 * irqfd assign, both: kvm_irqfd_assign() -> vfs_poll() -> the queue
 *   callback (6.12 irqfd_ptable_queue_proc(), 7.x kvm_irqfd_register(),
 *   which may refuse with -EBUSY) -> irq_bypass_register_consumer(),
 *   which connects at once if the producer is there.
 * vfio vector, both: vfio_msi_set_vector_signal() -> request_irq() ->
 *   irq_bypass_register_producer(), which connects at once if the
 *   consumer is there.
 * connect, both: __connect() -> kvm_arch_irq_bypass_add_producer() ->
 *   6.12 vmx_pi_update_irte(): trace_kvm_pi_irte_update() BEFORE
 *        irq_set_vcpu_affinity();
 *   6.12 avic_pi_update_irte(): irq_set_vcpu_affinity() (AMD pi data,
 *        is_guest_mode) THEN the tracepoint;
 *   7.x  kvm_pi_update_irte(): the vendor hook (irq_set_vcpu_affinity())
 *        THEN the tracepoint, also for remapped (vcpu NULL, set 0); no
 *        call at all for remapped -> remapped.
 *   7.x sets producer->eventfd / consumer->eventfd only after __connect()
 *   returned: the hooks take the eventfd from the KVM irqfd instead.
 * route change: 6.12 kvm_irq_routing_update() calls
 *   kvm_arch_update_irqfd_routing() only when kvm_arch_irqfd_route_changed();
 *   7.x calls it for every update and returns early when the MSI did not
 *   change.
 * unregister: irq_bypass_unregister_producer() and irqfd_shutdown() ->
 *   irq_bypass_unregister_consumer() run __disconnect() ->
 *   kvm_arch_irq_bypass_del_producer() -> the IRTE back to remapped
 *   (6.12 vmx: tracepoint with set 0, then irq_set_vcpu_affinity(NULL)).
 */
#include <kunit/test.h>

#include "../bypass_state.h"
#include "bp_expect.h"
#include "../bypass_translate.h"

#define TOK	1		/* irqlens id of the eventfd both sides share */
#define PROD	0x100		/* ... of vfio's producer */
#define PROD2	0x101		/* ... of a second producer on the same eventfd */
#define IRQFD	0x200		/* ... of KVM's irqfd */
#define IRQFD2	0x201		/* ... of another VM's irqfd on the same eventfd */
#define HIRQ	40
#define GSI	30
#define VCPU	1
#define VCPU2	3
#define VEC	0x41
#define VEC2	0x62
#define NMI_VEC	2

#define REG_PRODUCER(rm) \
	{ .site = IRQLENS_SITE_REG_PRODUCER, .token = TOK, .obj = PROD, .host_irq = HIRQ, \
	  .dev = 0x80, .remap = (rm) }
#define REG_PRODUCER_RET(r) \
	{ .site = IRQLENS_SITE_REG_PRODUCER_RET, .token = TOK, .obj = PROD, .result = (r) }
#define UNREG_PRODUCER_RET \
	{ .site = IRQLENS_SITE_UNREG_PRODUCER_RET, .token = TOK, .obj = PROD }
#define REG_CONSUMER \
	{ .site = IRQLENS_SITE_REG_CONSUMER, .token = TOK, .obj = IRQFD }
#define REG_CONSUMER_RET(r) \
	{ .site = IRQLENS_SITE_REG_CONSUMER_RET, .token = TOK, .obj = IRQFD, .result = (r) }
#define UNREG_CONSUMER \
	{ .site = IRQLENS_SITE_UNREG_CONSUMER, .token = TOK, .obj = IRQFD }
#define IRQFD_QUEUED(o, r) \
	{ .site = IRQLENS_SITE_IRQFD_QUEUED, .token = TOK, .obj = (o), .vm = 7, .pid = 1234, \
	  .gsi = GSI, .result = (r) }
#define IRQFD_SHUTDOWN \
	{ .site = IRQLENS_SITE_IRQFD_SHUTDOWN, .token = TOK, .obj = IRQFD }
#define ADD_PRODUCER_RET(r) \
	{ .site = IRQLENS_SITE_ADD_PRODUCER_RET, .token = TOK, .obj = IRQFD, .result = (r) }
#define DEL_PRODUCER \
	{ .site = IRQLENS_SITE_DEL_PRODUCER, .token = TOK, .obj = IRQFD }
#define ROUTE(chg) \
	{ .site = IRQLENS_SITE_ROUTE, .host_irq = HIRQ, .gsi = GSI, .changed = (chg) }
/* irq_set_vcpu_affinity() returned: VT-d posts with a vcpu_info, remaps with NULL. */
#define VTD_POSTED(vec) \
	{ .site = IRQLENS_SITE_SET_VCPU_AFFINITY_RET, .host_irq = HIRQ, \
	  .remap = IRQLENS_REMAP_INTEL, .vcpu_info = true, .vector = (vec) }
#define VTD_REMAPPED \
	{ .site = IRQLENS_SITE_SET_VCPU_AFFINITY_RET, .host_irq = HIRQ, \
	  .remap = IRQLENS_REMAP_INTEL }
#define VTD_FAILS(err) \
	{ .site = IRQLENS_SITE_SET_VCPU_AFFINITY_RET, .host_irq = HIRQ, \
	  .remap = IRQLENS_REMAP_INTEL, .vcpu_info = true, .vector = VEC, .result = (err) }
/* AMD: pi data with is_guest_mode left set posts. */
#define AMD_POSTED(vec) \
	{ .site = IRQLENS_SITE_SET_VCPU_AFFINITY_RET, .host_irq = HIRQ, \
	  .remap = IRQLENS_REMAP_AMD, .vcpu_info = true, .amd_guest_mode = true, .vector = (vec) }
/* 6.12 AVIC remaps with pi data whose is_guest_mode is false. */
#define AMD612_REMAPPED \
	{ .site = IRQLENS_SITE_SET_VCPU_AFFINITY_RET, .host_irq = HIRQ, \
	  .remap = IRQLENS_REMAP_AMD, .vcpu_info = true }
#define PI_TRACE(cpu, vec, st) \
	{ .site = IRQLENS_SITE_PI_IRTE_UPDATE, .host_irq = HIRQ, .gsi = GSI, .vcpu = (cpu), \
	  .vector = (vec), .set = (st) }
#define MSI	{ .site = IRQLENS_SITE_MSIHANDLER, .host_irq = HIRQ }
#define WAKEUP	{ .site = IRQLENS_SITE_IRQFD_WAKEUP, .token = TOK, .obj = IRQFD, .epollin = true }

/*
 * The sequences, in parts that rows put one after another; each part
 * ends at an all-zero call.
 */

/* QEMU's order (and the rig's): the irqfd with its consumer, then the vector. */
static const struct irqlens_bp_call v612_vmx_irqfd_first[] = {
	IRQFD_QUEUED(IRQFD, 0), REG_CONSUMER, REG_CONSUMER_RET(0),
	REG_PRODUCER(IRQLENS_REMAP_INTEL),
	/* __connect() -> add_producer -> vmx_pi_update_irte(): trace, then IRTE */
	PI_TRACE(VCPU, VEC, true), VTD_POSTED(VEC), ADD_PRODUCER_RET(0),
	REG_PRODUCER_RET(0), {}
};

static const struct irqlens_bp_call v612_vmx_vector_first[] = {
	REG_PRODUCER(IRQLENS_REMAP_INTEL), REG_PRODUCER_RET(0),
	IRQFD_QUEUED(IRQFD, 0), REG_CONSUMER,
	PI_TRACE(VCPU, VEC, true), VTD_POSTED(VEC), ADD_PRODUCER_RET(0),
	REG_CONSUMER_RET(0), {}
};

static const struct irqlens_bp_call v612_svm_irqfd_first[] = {
	IRQFD_QUEUED(IRQFD, 0), REG_CONSUMER, REG_CONSUMER_RET(0),
	REG_PRODUCER(IRQLENS_REMAP_AMD),
	/* avic_pi_update_irte(): IRTE (is_guest_mode), then the trace */
	AMD_POSTED(VEC), PI_TRACE(VCPU, VEC, true), ADD_PRODUCER_RET(0),
	REG_PRODUCER_RET(0), {}
};

static const struct irqlens_bp_call v612_svm_vector_first[] = {
	REG_PRODUCER(IRQLENS_REMAP_AMD), REG_PRODUCER_RET(0),
	IRQFD_QUEUED(IRQFD, 0), REG_CONSUMER,
	AMD_POSTED(VEC), PI_TRACE(VCPU, VEC, true), ADD_PRODUCER_RET(0),
	REG_CONSUMER_RET(0), {}
};

/* 7.x kvm_pi_update_irte(): the vendor hook (the IRTE), then the trace. */
static const struct irqlens_bp_call v7_vmx_irqfd_first[] = {
	IRQFD_QUEUED(IRQFD, 0), REG_CONSUMER, REG_CONSUMER_RET(0),
	REG_PRODUCER(IRQLENS_REMAP_INTEL),
	VTD_POSTED(VEC), PI_TRACE(VCPU, VEC, true), ADD_PRODUCER_RET(0),
	REG_PRODUCER_RET(0), {}
};

static const struct irqlens_bp_call v7_vmx_vector_first[] = {
	REG_PRODUCER(IRQLENS_REMAP_INTEL), REG_PRODUCER_RET(0),
	IRQFD_QUEUED(IRQFD, 0), REG_CONSUMER,
	VTD_POSTED(VEC), PI_TRACE(VCPU, VEC, true), ADD_PRODUCER_RET(0),
	REG_CONSUMER_RET(0), {}
};

static const struct irqlens_bp_call v7_svm_irqfd_first[] = {
	IRQFD_QUEUED(IRQFD, 0), REG_CONSUMER, REG_CONSUMER_RET(0),
	REG_PRODUCER(IRQLENS_REMAP_AMD),
	AMD_POSTED(VEC), PI_TRACE(VCPU, VEC, true), ADD_PRODUCER_RET(0),
	REG_PRODUCER_RET(0), {}
};

static const struct irqlens_bp_call v7_svm_vector_first[] = {
	REG_PRODUCER(IRQLENS_REMAP_AMD), REG_PRODUCER_RET(0),
	IRQFD_QUEUED(IRQFD, 0), REG_CONSUMER,
	AMD_POSTED(VEC), PI_TRACE(VCPU, VEC, true), ADD_PRODUCER_RET(0),
	REG_CONSUMER_RET(0), {}
};

/*
 * irq_test -n: the GSI routed as NMI, then as a fixed vector again. 6.12
 * vmx skips a non-postable entry without a trace and remaps.
 */
static const struct irqlens_bp_call v612_vmx_nmi_reroute[] = {
	ROUTE(true), VTD_REMAPPED,
	ROUTE(true), PI_TRACE(VCPU, VEC2, true), VTD_POSTED(VEC2), {}
};

/* 7.x traces the remap too (vcpu NULL, set 0). */
static const struct irqlens_bp_call v7_vmx_nmi_reroute[] = {
	ROUTE(true), VTD_REMAPPED, PI_TRACE(0, NMI_VEC, false),
	ROUTE(true), VTD_POSTED(VEC2), PI_TRACE(VCPU, VEC2, true), {}
};

/* 6.12 AVIC remaps with pi data whose is_guest_mode is false, no trace. */
static const struct irqlens_bp_call v612_svm_nmi_reroute[] = {
	ROUTE(true), AMD612_REMAPPED,
	ROUTE(true), AMD_POSTED(VEC2), PI_TRACE(VCPU, VEC2, true), {}
};

/* irq_test -c and -a: a new target vCPU, then a new vector; posted all along. */
static const struct irqlens_bp_call v612_vmx_route_churn[] = {
	ROUTE(true), PI_TRACE(VCPU2, VEC, true), VTD_POSTED(VEC),
	ROUTE(true), PI_TRACE(VCPU2, VEC2, true), VTD_POSTED(VEC2), {}
};

/* 7.x also calls for unchanged routes; those reach no IRTE. */
static const struct irqlens_bp_call v7_vmx_route_churn[] = {
	ROUTE(false),
	ROUTE(true), VTD_POSTED(VEC), PI_TRACE(VCPU2, VEC, true),
	ROUTE(false),
	ROUTE(true), VTD_POSTED(VEC2), PI_TRACE(VCPU2, VEC2, true), {}
};

/*
 * The vector goes first: irq_bypass_unregister_producer() ->
 * __disconnect() -> del_producer -> the IRTE back to remapped, then the
 * call returns. 6.12 vmx traces set 0 before the IRTE, 7.x after.
 */
static const struct irqlens_bp_call v612_vmx_unregister_producer[] = {
	DEL_PRODUCER, PI_TRACE(VCPU, VEC, false), VTD_REMAPPED, UNREG_PRODUCER_RET, {}
};

static const struct irqlens_bp_call v7_vmx_unregister_producer[] = {
	DEL_PRODUCER, VTD_REMAPPED, PI_TRACE(0, VEC, false), UNREG_PRODUCER_RET, {}
};

/* The irqfd goes first: irqfd_shutdown() -> irq_bypass_unregister_consumer(). */
static const struct irqlens_bp_call v612_vmx_unregister_irqfd[] = {
	IRQFD_SHUTDOWN, UNREG_CONSUMER, DEL_PRODUCER, PI_TRACE(VCPU, VEC, false),
	VTD_REMAPPED, {}
};

static const struct irqlens_bp_call v7_vmx_unregister_irqfd[] = {
	IRQFD_SHUTDOWN, UNREG_CONSUMER, DEL_PRODUCER, VTD_REMAPPED,
	PI_TRACE(0, VEC, false), {}
};

/* The other side after that: nothing left to disconnect. */
static const struct irqlens_bp_call then_irqfd_gone[] = {
	IRQFD_SHUTDOWN, UNREG_CONSUMER, {}
};

static const struct irqlens_bp_call then_producer_gone[] = {
	UNREG_PRODUCER_RET, {}
};

/*
 * A second producer on the eventfd: -EBUSY (6.12 list walk, 7.x
 * xa_insert). 6.12 vfio then clears its token and 7.x never set its
 * ->eventfd, so its later unregistration carries none.
 */
static const struct irqlens_bp_call second_producer_refused[] = {
	{ .site = IRQLENS_SITE_REG_PRODUCER, .token = TOK, .obj = PROD2, .host_irq = HIRQ + 1,
	  .remap = IRQLENS_REMAP_INTEL },
	{ .site = IRQLENS_SITE_REG_PRODUCER_RET, .token = TOK, .obj = PROD2, .result = -EBUSY },
	{ .site = IRQLENS_SITE_UNREG_PRODUCER_RET, .token = 0, .obj = PROD2 },
	{}
};

/* 7.x: the vendor hook fails, so add_producer and the registration do. */
static const struct irqlens_bp_call v7_connect_fails[] = {
	IRQFD_QUEUED(IRQFD, 0), REG_CONSUMER, REG_CONSUMER_RET(0),
	REG_PRODUCER(IRQLENS_REMAP_INTEL),
	VTD_FAILS(-ENODEV), ADD_PRODUCER_RET(-ENODEV), REG_PRODUCER_RET(-ENODEV), {}
};

/* 7.x kvm_irqfd_register() refuses an eventfd another irqfd holds. */
static const struct irqlens_bp_call v7_second_irqfd_refused[] = {
	IRQFD_QUEUED(IRQFD, 0), IRQFD_QUEUED(IRQFD2, -EBUSY), WAKEUP, {}
};

/* No posting: no consumer; the host handler and the irqfd do the work. */
static const struct irqlens_bp_call v612_no_posting_cap[] = {
	IRQFD_QUEUED(IRQFD, 0), REG_PRODUCER(IRQLENS_REMAP_INTEL), REG_PRODUCER_RET(0),
	MSI, WAKEUP, MSI, WAKEUP, {}
};

#define MAX_PARTS 3

struct order_case {
	const char *name;
	const struct irqlens_bp_call *parts[MAX_PARTS];
	/* Expected afterwards, for the link of TOK. */
	bool exists;
	struct irqlens_bp_link link;	/* its fields that events change */
	u64 unmatched;
	bool check_reason;		/* and the reason is @reason */
	enum irqlens_bp_reason reason;
};

/* Every posted case ends "connected, posted, vCPU n, vector v". */
#define ENDS_POSTED(cpu, vec) \
	.exists = true, .link.has_producer = true, .link.has_irqfd = true, \
	.link.has_consumer = true, \
	.link.connected = true, .link.mode = IRQLENS_IRTE_POSTED, .link.posted_vcpu = (cpu), \
	.link.posted_vector = (vec), .check_reason = true, .reason = IRQLENS_BP_BYPASSED

static const struct order_case order_cases[] = {
	/* The IRTE is posted inside irq_bypass_register_producer(). */
	{ .name = "v612_vmx_irqfd_first", .parts = { v612_vmx_irqfd_first },
	  ENDS_POSTED(VCPU, VEC), .link.transitions = 1 },
	/* The IRTE is posted inside irq_bypass_register_consumer(). */
	{ .name = "v612_vmx_vector_first", .parts = { v612_vmx_vector_first },
	  ENDS_POSTED(VCPU, VEC), .link.transitions = 1 },
	{ .name = "v612_svm_irqfd_first", .parts = { v612_svm_irqfd_first },
	  ENDS_POSTED(VCPU, VEC), .link.transitions = 1 },
	{ .name = "v612_svm_vector_first", .parts = { v612_svm_vector_first },
	  ENDS_POSTED(VCPU, VEC), .link.transitions = 1 },
	/* producer->eventfd is still NULL in add_producer: the irqfd's is used. */
	{ .name = "v7_vmx_irqfd_first", .parts = { v7_vmx_irqfd_first },
	  ENDS_POSTED(VCPU, VEC), .link.transitions = 1 },
	/* consumer->eventfd is still NULL in add_producer: the irqfd's is used. */
	{ .name = "v7_vmx_vector_first", .parts = { v7_vmx_vector_first },
	  ENDS_POSTED(VCPU, VEC), .link.transitions = 1 },
	{ .name = "v7_svm_irqfd_first", .parts = { v7_svm_irqfd_first },
	  ENDS_POSTED(VCPU, VEC), .link.transitions = 1 },
	{ .name = "v7_svm_vector_first", .parts = { v7_svm_vector_first },
	  ENDS_POSTED(VCPU, VEC), .link.transitions = 1 },
	{ .name = "v612_vmx_nmi_reroute", .parts = { v612_vmx_irqfd_first, v612_vmx_nmi_reroute },
	  ENDS_POSTED(VCPU, VEC2), .link.transitions = 3, .link.route_updates = 2 },
	{ .name = "v7_vmx_nmi_reroute", .parts = { v7_vmx_irqfd_first, v7_vmx_nmi_reroute },
	  ENDS_POSTED(VCPU, VEC2), .link.transitions = 3, .link.route_updates = 2 },
	{ .name = "v612_svm_nmi_reroute", .parts = { v612_svm_irqfd_first, v612_svm_nmi_reroute },
	  ENDS_POSTED(VCPU, VEC2), .link.transitions = 3, .link.route_updates = 2 },
	{ .name = "v612_vmx_route_churn", .parts = { v612_vmx_irqfd_first, v612_vmx_route_churn },
	  ENDS_POSTED(VCPU2, VEC2), .link.transitions = 1, .link.route_updates = 2 },
	{ .name = "v7_vmx_route_churn", .parts = { v7_vmx_irqfd_first, v7_vmx_route_churn },
	  ENDS_POSTED(VCPU2, VEC2), .link.transitions = 1, .link.route_updates = 2 },
	{ .name = "v612_vmx_unregister_producer_first",
	  .parts = { v612_vmx_irqfd_first, v612_vmx_unregister_producer },
	  .exists = true, .link.has_irqfd = true, .link.has_consumer = true,
	  .link.mode = IRQLENS_IRTE_UNKNOWN, .link.transitions = 2 },
	{ .name = "v612_vmx_unregister_producer_then_irqfd",
	  .parts = { v612_vmx_irqfd_first, v612_vmx_unregister_producer, then_irqfd_gone },
	  .exists = false },
	{ .name = "v7_vmx_unregister_producer_first",
	  .parts = { v7_vmx_irqfd_first, v7_vmx_unregister_producer },
	  .exists = true, .link.has_irqfd = true, .link.has_consumer = true,
	  .link.mode = IRQLENS_IRTE_UNKNOWN, .link.transitions = 2 },
	{ .name = "v7_vmx_unregister_producer_then_irqfd",
	  .parts = { v7_vmx_irqfd_first, v7_vmx_unregister_producer, then_irqfd_gone },
	  .exists = false },
	{ .name = "v612_vmx_unregister_irqfd_first",
	  .parts = { v612_vmx_irqfd_first, v612_vmx_unregister_irqfd },
	  .exists = true, .link.has_producer = true, .link.mode = IRQLENS_IRTE_REMAPPED,
	  .link.transitions = 2 },
	{ .name = "v612_vmx_unregister_irqfd_then_producer",
	  .parts = { v612_vmx_irqfd_first, v612_vmx_unregister_irqfd, then_producer_gone },
	  .exists = false },
	{ .name = "v7_vmx_unregister_irqfd_first",
	  .parts = { v7_vmx_irqfd_first, v7_vmx_unregister_irqfd },
	  .exists = true, .link.has_producer = true, .link.mode = IRQLENS_IRTE_REMAPPED,
	  .link.transitions = 2 },
	{ .name = "v7_vmx_unregister_irqfd_then_producer",
	  .parts = { v7_vmx_irqfd_first, v7_vmx_unregister_irqfd, then_producer_gone },
	  .exists = false },
	{ .name = "v612_second_producer_refused",
	  .parts = { v612_vmx_irqfd_first, second_producer_refused },
	  ENDS_POSTED(VCPU, VEC), .link.transitions = 1, .unmatched = 2 },
	{ .name = "v7_second_producer_refused",
	  .parts = { v7_vmx_irqfd_first, second_producer_refused },
	  ENDS_POSTED(VCPU, VEC), .link.transitions = 1, .unmatched = 2 },
	{ .name = "v7_connect_fails", .parts = { v7_connect_fails },
	  .exists = true, .link.has_irqfd = true, .link.has_consumer = true,
	  .link.mode = IRQLENS_IRTE_UNKNOWN, .link.last_error = -ENODEV,
	  .check_reason = true, .reason = IRQLENS_BP_CONNECT_FAILED },
	{ .name = "v7_second_irqfd_refused", .parts = { v7_second_irqfd_refused },
	  .exists = true, .link.has_irqfd = true, .link.injections = 1 },
	{ .name = "v612_no_posting_cap_remapped", .parts = { v612_no_posting_cap },
	  .exists = true, .link.has_producer = true, .link.has_irqfd = true,
	  .link.mode = IRQLENS_IRTE_REMAPPED, .link.host_handled = 2, .link.injections = 2 },
};

KUNIT_ARRAY_PARAM_DESC(order, order_cases, name);

static void order_free_action(void *s)
{
	irqlens_bp_free(s);
}

static void order_replay_test(struct kunit *test)
{
	const struct order_case *c = test->param_value;
	struct irqlens_bp_state *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	struct irqlens_bp_totals t;
	struct irqlens_bp_event ev;
	const struct irqlens_bp_call *call;
	struct irqlens_bp_link l;
	unsigned int p;
	bool exists;

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_EQ(test, irqlens_bp_init(s, 8), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, order_free_action, s), 0);

	/* Hook calls in the kernel's order, through the hooks' translation. */
	for (p = 0; p < MAX_PARTS && c->parts[p]; p++)
		for (call = c->parts[p]; call->site || call->token; call++)
			if (irqlens_bp_translate(call, &ev))
				irqlens_bp_apply(s, &ev);

	irqlens_bp_totals(s, &t);
	KUNIT_EXPECT_EQ(test, t.unmatched, c->unmatched);
	KUNIT_EXPECT_EQ(test, t.overflow, 0);
	exists = irqlens_bp_find(s, TOK, &l);
	KUNIT_ASSERT_EQ(test, exists, c->exists);
	KUNIT_EXPECT_EQ(test, t.used, exists ? 1 : 0);
	if (!exists)
		return;
	bp_expect_link(test, &l, &c->link);
	if (c->check_reason)
		KUNIT_EXPECT_STREQ(test, irqlens_bp_reason_text(irqlens_bp_reason(&l, true)),
				   irqlens_bp_reason_text(c->reason));
	if (c->link.has_irqfd) {
		KUNIT_EXPECT_EQ(test, l.gsi, GSI);
		KUNIT_EXPECT_EQ(test, l.pid, 1234);
	}
	if (c->link.has_producer)
		KUNIT_EXPECT_EQ(test, l.host_irq, HIRQ);
}

struct irte_case {
	const char *name;
	enum irqlens_remap remap;
	bool has_vcpu_info;
	bool amd_guest_mode;
	bool posted;
};

static const struct irte_case irte_cases[] = {
	{ "vtd_vcpu_data_posts", IRQLENS_REMAP_INTEL, true, false, true },
	{ "vtd_null_remaps", IRQLENS_REMAP_INTEL, false, false, false },
	{ "amd_guest_mode_posts", IRQLENS_REMAP_AMD, true, true, true },
	{ "amd_guest_mode_cleared_remaps", IRQLENS_REMAP_AMD, true, false, false },
	{ "amd_null_remaps", IRQLENS_REMAP_AMD, false, true, false },
	{ "no_remapping_null_is_not_posted", IRQLENS_REMAP_NONE, false, false, false },
};

KUNIT_ARRAY_PARAM_DESC(irte, irte_cases, name);

/* The posted/remapped decision taken at irq_set_vcpu_affinity()'s return. */
static void irte_posted_test(struct kunit *test)
{
	const struct irte_case *c = test->param_value;

	bool posted = irqlens_irte_posted(c->remap, c->has_vcpu_info, c->amd_guest_mode);

	KUNIT_EXPECT_EQ(test, posted, c->posted);
}

static struct kunit_case bypass_order_test_cases[] = {
	KUNIT_CASE_PARAM(order_replay_test, order_gen_params),
	KUNIT_CASE_PARAM(irte_posted_test, irte_gen_params),
	{}
};

static struct kunit_suite bypass_order_test_suite = {
	.name = "irqlens_bypass_order",
	.test_cases = bypass_order_test_cases,
};

kunit_test_suites(&bypass_order_test_suite);

// SPDX-License-Identifier: GPL-2.0
/*
 * irqlens.ko's structured interface (include/uapi/linux/irqlens.h) taken
 * at its word: IRQLENS_IOC_BYPASS_LINKS answers a well-formed query,
 * refuses every malformed one with the errno the header documents and
 * changes nothing, grows and shrinks with the caller's struct sizes, and
 * reports a KVM irqfd this test assigns, with its GSI and process.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lib/harness.h"
#include "lib/irqlens_view.h"
#include "lib/kvm_irq.h"
#include "lib/kvm_vm.h"

#define TEST_GSI 40

FIXTURE(uapi) {
	int fd;
	struct irqlens_bypass_link links[IRQLENS_VIEW_MAX_LINKS];
};

FIXTURE_SETUP(uapi)
{
	char why[256];
	int ret;

	self->fd = -1;
	if (geteuid())
		SKIP(return, "needs root (debugfs files are root-only)");
	/* Every reason to SKIP is decided before the first check. */
	if (!strcmp(_metadata->name, "bigger_structs_from_newer_callers") &&
	    access("/dev/kvm", F_OK))
		SKIP(return, "no /dev/kvm: load kvm_amd or kvm_intel (an irqfd makes a link)");
	ret = __irqlens_view_require_module(why, sizeof(why));
	if (ret == -ENOENT)
		SKIP(return, "%s", why);
	ASSERT_EQ(0, ret) TH_LOG("%s", why);
	self->fd = open(IRQLENS_DEBUGFS "/bypass", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("open bypass: %s", strerror(errno));
}

FIXTURE_TEARDOWN(uapi)
{
	if (self->fd >= 0)
		close(self->fd);
}

static void query_init(FIXTURE_DATA(uapi) *self, struct irqlens_bypass_query *q)
{
	memset(q, 0, sizeof(*q));
	q->size = sizeof(*q);
	q->link_size = sizeof(self->links[0]);
	q->nr_links = IRQLENS_VIEW_MAX_LINKS;
	q->links = (uintptr_t)self->links;
}

static int query(FIXTURE_DATA(uapi) *self, void *q)
{
	return ioctl(self->fd, IRQLENS_IOC_BYPASS_LINKS, q) ? -errno : 0;
}

TEST_F(uapi, well_formed_query_answers)
{
	struct irqlens_bypass_query q;

	query_init(self, &q);
	ASSERT_EQ(0, query(self, &q));
	EXPECT_EQ(IRQLENS_BYPASS_LINK_SIZE_VER0, q.link_size);
	EXPECT_LT(0, q.capacity);
	EXPECT_LE(q.total, q.capacity);
	EXPECT_LE(q.nr_links, q.total);
	EXPECT_GE(1, q.posting_cap);
}

/* The table's size as the ioctl says it, and as the text file says it. */
TEST_F(uapi, capacity_agrees_with_the_text_file)
{
	struct irqlens_bypass_query q;
	unsigned int used, capacity;
	char line[256];
	FILE *f;

	query_init(self, &q);
	ASSERT_EQ(0, query(self, &q));
	f = fopen(IRQLENS_DEBUGFS "/bypass", "re");
	ASSERT_NE(NULL, f) TH_LOG("%s/bypass: %s", IRQLENS_DEBUGFS, strerror(errno));
	ASSERT_NE(NULL, fgets(line, sizeof(line), f));
	fclose(f);
	ASSERT_EQ(2, sscanf(line, "links: %u of %u", &used, &capacity)) TH_LOG("first line: %s", line);
	EXPECT_EQ(capacity, q.capacity);
}

/* Each bad query: its errno, and the query struct left as it was. */
TEST_F(uapi, malformed_queries_are_refused)
{
	struct {
		struct irqlens_bypass_query q;
		uint64_t tail;
	} big;
	struct irqlens_bypass_query q, saved;

	query_init(self, &q);
	q.size = IRQLENS_BYPASS_QUERY_SIZE_VER0 - 4;
	saved = q;
	EXPECT_EQ(-EINVAL, query(self, &q)) TH_LOG("size below the first version");
	EXPECT_EQ(0, memcmp(&q, &saved, sizeof(q)));

	query_init(self, &q);
	q.flags = 1;
	saved = q;
	EXPECT_EQ(-EINVAL, query(self, &q)) TH_LOG("unknown flags");
	EXPECT_EQ(0, memcmp(&q, &saved, sizeof(q)));

	query_init(self, &q);
	q.link_size = 1U << 20;
	saved = q;
	EXPECT_EQ(-EINVAL, query(self, &q)) TH_LOG("a 1 MiB link record");
	EXPECT_EQ(0, memcmp(&q, &saved, sizeof(q)));

	query_init(self, &q);
	q.reserved[2] = 1;
	EXPECT_EQ(-EINVAL, query(self, &q)) TH_LOG("reserved not zero");

	query_init(self, &q);
	q.link_size = IRQLENS_BYPASS_LINK_SIZE_VER0 - 8;
	EXPECT_EQ(-EINVAL, query(self, &q)) TH_LOG("link records smaller than the first version");

	memset(&big, 0, sizeof(big));
	query_init(self, &big.q);
	big.q.size = sizeof(big);
	big.tail = 1;
	EXPECT_EQ(-E2BIG, query(self, &big)) TH_LOG("a bigger struct with unknown bytes set");

	EXPECT_EQ(-EFAULT, query(self, (void *)8)) TH_LOG("a bad address");
	EXPECT_EQ(-1, ioctl(self->fd, _IO(IRQLENS_IOCTL_TYPE, 0x7f), &q));
	EXPECT_EQ(ENOTTY, errno) TH_LOG("an unknown ioctl");
}

/* A newer caller's bigger struct and records: accepted, zero-filled. */
TEST_F(uapi, bigger_structs_from_newer_callers)
{
	struct {
		struct irqlens_bypass_query q;
		uint64_t tail;
	} big;
	struct {
		struct irqlens_bypass_link l;
		uint8_t tail[32];
	} recs[IRQLENS_VIEW_MAX_LINKS];
	struct kvm_vm vm;
	unsigned int i;
	int efd, ret;
	bool found = false;

	ret = __kvm_vm_create(&vm, 2 << 20);
	ASSERT_EQ(0, ret) TH_LOG("creating a VM: %s", strerror(-ret));
	ASSERT_EQ(0, __kvm_irqchip_create(&vm, KVM_IRQCHIP_FULL));
	efd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, efd);
	ASSERT_EQ(0, __kvm_irqfd_assign(&vm, efd, TEST_GSI));

	memset(&big, 0, sizeof(big));
	memset(recs, 0xa5, sizeof(recs));
	big.q.size = sizeof(big);
	big.q.link_size = sizeof(recs[0]);
	big.q.nr_links = IRQLENS_VIEW_MAX_LINKS;
	big.q.links = (uintptr_t)recs;
	ASSERT_EQ(0, query(self, &big));
	EXPECT_EQ(IRQLENS_BYPASS_LINK_SIZE_VER0, big.q.link_size);
	EXPECT_EQ(0, big.tail);
	for (i = 0; i < big.q.nr_links; i++) {
		const uint8_t zero[32] = { 0 };

		EXPECT_EQ(0, memcmp(recs[i].tail, zero, sizeof(zero)))
			TH_LOG("record %u: bytes past the kernel's record not zeroed", i);
		if (recs[i].l.gsi == TEST_GSI && recs[i].l.pid == (uint32_t)getpid() &&
		    (recs[i].l.flags & IRQLENS_LINK_IRQFD)) {
			found = true;
			EXPECT_EQ(0, recs[i].l.flags & IRQLENS_LINK_PRODUCER);
			EXPECT_EQ(IRQLENS_REASON_NO_PRODUCER, recs[i].l.reason);
		}
	}
	EXPECT_TRUE(found) TH_LOG("no link for this process's irqfd on GSI %d (%u links)",
				  TEST_GSI, big.q.nr_links);

	/* Room for none: nothing written, the total still told. */
	big.q.nr_links = 0;
	big.q.link_size = sizeof(recs[0]);
	ASSERT_EQ(0, query(self, &big));
	EXPECT_EQ(0, big.q.nr_links);
	EXPECT_LE(1, big.q.total);

	close(efd);
	kvm_vm_destroy(&vm);
}

TEST_HARNESS_MAIN

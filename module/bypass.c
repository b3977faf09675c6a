// SPDX-License-Identifier: GPL-2.0
/*
 * The module's one IRQ-bypass state (bypass_state.c does the logic), fed
 * by the hooks from any context, and the debugfs file "bypass":
 *
 *   read   a table for people: one line per link
 *   ioctl  IRQLENS_IOC_BYPASS_LINKS: the same links as records for
 *          programs (include/uapi/linux/irqlens.h)
 *
 * The state takes care of its own concurrency (bypass_state.h): the
 * per-interrupt events take no lock, the others a raw spinlock for one
 * event, and readers here copy one link at a time with no lock held while
 * they format it or copy it to user space.
 */
#include <kunit/visibility.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include <asm/irq_remapping.h>
#include <uapi/linux/irqlens.h>

#include "bypass.h"
#include "bypass_translate.h"
#include "compat.h"
#include "event_ring.h"
#include "irqlens.h"
#include "uquery.h"

/* Enough for every vector of a few devices and every irqfd of a few VMs. */
#define BYPASS_LINKS 256

static struct irqlens_bp_state bypass_state;

/* The uapi spells the same values as the state function. */
static_assert(IRQLENS_MODE_UNKNOWN == IRQLENS_IRTE_UNKNOWN);
static_assert(IRQLENS_MODE_REMAPPED == IRQLENS_IRTE_REMAPPED);
static_assert(IRQLENS_MODE_POSTED == IRQLENS_IRTE_POSTED);
static_assert(IRQLENS_MODE_DIRECT == IRQLENS_IRTE_DIRECT);
static_assert(IRQLENS_IOMMU_INTEL == (int)IRQLENS_REMAP_INTEL);
static_assert(IRQLENS_IOMMU_AMD == (int)IRQLENS_REMAP_AMD);
static_assert(IRQLENS_REASON_NOT_CONNECTED == IRQLENS_BP_NOT_CONNECTED);
static_assert(IRQLENS_REASON_NO_POSTING_CAP == IRQLENS_BP_NO_POSTING_CAP);
static_assert(sizeof(struct irqlens_bypass_link) == IRQLENS_BYPASS_LINK_SIZE_VER0);
static_assert(sizeof(struct irqlens_bypass_query) == IRQLENS_BYPASS_QUERY_SIZE_VER0);
static_assert(sizeof(struct irqlens_bypass_link) <= IRQLENS_BYPASS_LINK_SIZE_MAX);

bool irqlens_posting_cap(void)
{
#ifdef CONFIG_IRQ_REMAP
	return irq_remapping_cap(IRQ_POSTING_CAP);
#else
	return false;
#endif
}

void irqlens_bypass_feed(const struct irqlens_bp_event *ev)
{
	u32 detail;

	irqlens_bp_apply(&bypass_state, ev);

	/*
	 * One per interrupt: counted per link, lock-free, and kept out of
	 * the stream, whose one ring lock must not be taken on every
	 * device MSI and irqfd signal of the host (vhost's too).
	 */
	if (ev->type == IRQLENS_BP_HOST_IRQ || ev->type == IRQLENS_BP_INJECT)
		return;

	/* Stream: <link id, low 32 bits> <host irq> <what the event says>. */
	switch (ev->type) {
	case IRQLENS_BP_IRQFD_ADD:
	case IRQLENS_BP_ROUTE:
		detail = ev->gsi;
		break;
	case IRQLENS_BP_PI_UPDATE:
		detail = ev->vcpu;
		break;
	case IRQLENS_BP_IRTE:
		detail = ev->result ? (u32)ev->result : ev->posted;
		break;
	default:
		detail = (u32)ev->result;
	}
	irqlens_event_emit(IRQLENS_EV_BP_FIRST + ev->type, (u32)ev->token,
			   ev->host_irq, detail);
}

/* What a hook saw: bypass_translate.c says which event, if any, it is. */
void irqlens_bypass_call(const struct irqlens_bp_call *c)
{
	struct irqlens_bp_event ev;

	if (irqlens_bp_translate(c, &ev))
		irqlens_bypass_feed(&ev);
}

void irqlens_bypass_reset_counters(void)
{
	irqlens_bp_reset_counters(&bypass_state);
}

VISIBLE_IF_KUNIT void irqlens_link_to_uapi(const struct irqlens_bp_link *l, bool posting_cap,
					   struct irqlens_bypass_link *u)
{
	memset(u, 0, sizeof(*u));
	u->id = l->token;
	u->transitions = l->transitions;
	u->host_handled = l->host_handled;
	u->injections = l->injections;
	u->route_updates = l->route_updates;
	u->host_irq = l->has_producer ? l->host_irq : 0;
	u->dev = l->has_producer ? l->dev : IRQLENS_NO_DEV;
	u->vm = l->vm;
	u->pid = l->pid;
	u->gsi = l->gsi;
	u->flags = (l->has_producer ? IRQLENS_LINK_PRODUCER : 0) |
		   (l->has_irqfd ? IRQLENS_LINK_IRQFD : 0) |
		   (l->has_consumer ? IRQLENS_LINK_CONSUMER : 0) |
		   (l->connected ? IRQLENS_LINK_CONNECTED : 0);
	u->mode = l->mode;
	u->remap = l->remap;
	u->reason = irqlens_bp_reason(l, posting_cap);
	u->posted_vcpu = l->posted_vcpu;
	u->posted_vector = l->posted_vector;
	u->last_error = l->last_error;
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_link_to_uapi);

static void show_dev(struct seq_file *m, u32 dev)
{
	if (dev == IRQLENS_NO_DEV)
		seq_printf(m, " %-12s", "-");
	else
		seq_printf(m, " %04x:%02x:%02x.%x", dev >> 16, (dev >> 8) & 0xff,
			   (dev >> 3) & 0x1f, dev & 7);
}

static void show_link(struct seq_file *m, const struct irqlens_bypass_link *u)
{
	seq_printf(m, "%016llx", u->id);
	if (u->flags & IRQLENS_LINK_PRODUCER)
		seq_printf(m, " %8u", u->host_irq);
	else
		seq_printf(m, " %8s", "-");
	show_dev(m, u->dev);
	seq_printf(m, " %-8s", irqlens_remap_name(u->remap));
	if (u->flags & IRQLENS_LINK_IRQFD)
		seq_printf(m, " %08x %7u %5u", u->vm, u->pid, u->gsi);
	else
		seq_printf(m, " %8s %7s %5s", "-", "-", "-");
	seq_printf(m, " %-8s %-9s %-8s", u->flags & IRQLENS_LINK_CONSUMER ? "yes" : "no",
		   u->flags & IRQLENS_LINK_CONNECTED ? "yes" : "no",
		   irqlens_irte_mode_name(u->mode));
	if (u->mode == IRQLENS_MODE_POSTED)
		seq_printf(m, " %3u/%-#5x", u->posted_vcpu, u->posted_vector);
	else
		seq_printf(m, " %9s", "-");
	seq_printf(m, " %11llu %12llu %13llu %6llu %10d %s\n", u->transitions,
		   u->host_handled, u->injections, u->route_updates, u->last_error,
		   irqlens_bp_reason_text(u->reason));
}

/* Each link is one consistent copy; the table is not one instant. */
static int bypass_show(struct seq_file *m, void *unused)
{
	bool posting_cap = irqlens_posting_cap();
	struct irqlens_bypass_link u;
	struct irqlens_bp_totals t;
	struct irqlens_bp_link l;
	u32 i;

	irqlens_bp_totals(&bypass_state, &t);
	seq_printf(m, "links: %u of %u, overflow %llu, unmatched %llu, posting_cap %s\n",
		   t.used, t.capacity, t.overflow, t.unmatched, posting_cap ? "yes" : "no");
	seq_printf(m, "%-16s %8s %-12s %-8s %-8s %7s %5s %-8s %-9s %-8s %9s %11s %12s %13s %6s %10s %s\n",
		   "link", "host_irq", "device", "iommu", "vm", "pid", "gsi",
		   "consumer", "connected", "mode", "posted_to", "transitions",
		   "host_handled", "irqfd_signals", "routes", "last_error", "reason");
	for (i = 0; i < t.capacity; i++) {
		if (!irqlens_bp_read(&bypass_state, i, &l))
			continue;
		irqlens_link_to_uapi(&l, posting_cap, &u);
		show_link(m, &u);
	}
	return 0;
}

static int bypass_open(struct inode *inode, struct file *file)
{
	return single_open(file, bypass_show, NULL);
}

static long bypass_links_ioctl(struct irqlens_bypass_query __user *uq)
{
	struct irqlens_bypass_query q;
	struct irqlens_bypass_link u;
	struct irqlens_bp_totals t;
	struct irqlens_bp_link l;
	u32 usize, i, written = 0;
	bool posting_cap;
	int ret;

	ret = irqlens_uquery_get(uq, &q, sizeof(q), IRQLENS_BYPASS_QUERY_SIZE_VER0, &usize);
	if (ret)
		return ret;
	/* The cap bounds the zero-filling per record. */
	if (q.flags || memchr_inv(q.reserved, 0, sizeof(q.reserved)) ||
	    q.link_size < IRQLENS_BYPASS_LINK_SIZE_VER0 ||
	    q.link_size > IRQLENS_BYPASS_LINK_SIZE_MAX)
		return -EINVAL;

	irqlens_bp_totals(&bypass_state, &t);
	posting_cap = irqlens_posting_cap();
	for (i = 0; i < t.capacity && written < q.nr_links; i++) {
		if (!irqlens_bp_read(&bypass_state, i, &l))
			continue;
		irqlens_link_to_uapi(&l, posting_cap, &u);
		if (irqlens_uquery_put(q.links, q.link_size, written, &u, sizeof(u)))
			return -EFAULT;
		written++;
	}
	q.nr_links = written;
	q.link_size = sizeof(u);
	q.total = t.used;
	q.capacity = t.capacity;
	q.overflow = t.overflow;
	q.unmatched = t.unmatched;
	q.posting_cap = posting_cap;
	return irqlens_uquery_answer(uq, &q, sizeof(q), usize);
}

static long bypass_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	switch (cmd) {
	case IRQLENS_IOC_BYPASS_LINKS:
		return bypass_links_ioctl(u64_to_user_ptr((u64)arg));
	default:
		return -ENOTTY;
	}
}

static const struct file_operations bypass_fops = {
	.owner = THIS_MODULE,
	.open = bypass_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.unlocked_ioctl = bypass_ioctl,
	/* The records are laid out alike for 32-bit callers; only the pointer converts. */
	.compat_ioctl = compat_ptr_ioctl,
};

int irqlens_bypass_init(struct dentry *root)
{
	int ret = irqlens_bp_init(&bypass_state, BYPASS_LINKS);

	if (ret)
		return ret;
	/*
	 * Not debugfs's full proxy: on 6.12 it forwards unlocked_ioctl but
	 * not compat_ioctl, so 32-bit callers would get ENOTTY. Safe without
	 * it: .owner pins irqlens.ko while the file is open, and the state
	 * the file reads is freed only at module exit, after the file is gone.
	 */
	debugfs_create_file_unsafe("bypass", 0400, root, NULL, &bypass_fops);
	return 0;
}

/* After the hooks are off and the files gone: nobody feeds or reads. */
void irqlens_bypass_exit(void)
{
	irqlens_bp_free(&bypass_state);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The module's event stream: one ring, one lock, and the debugfs "events"
 * file. Hooks call irqlens_event_emit() from any context, also under a
 * raw spinlock of the kernel's (KVM's ir_list_lock on 7.x AMD) and on
 * PREEMPT_RT: so the lock is a raw_spinlock_t, taken with interrupts off
 * for one O(1) push or one event's copy, and nothing here allocates or
 * sleeps.
 *
 * "events" prints one line per held event, oldest first:
 *   <seq> <timestamp ns> <type> <arg0> <arg1> <arg2>
 * and, when the ring overwrote events a reader had not seen yet,
 * "lost <n>" in their place.
 */
#include <linux/debugfs.h>
#include <linux/sched/clock.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>

#include "event_ring.h"
#include "irqlens.h"

#define IRQLENS_EVENT_RING_SIZE 4096

static DEFINE_RAW_SPINLOCK(events_lock);
static struct irqlens_ring events_ring;

void irqlens_event_emit(u32 type, u32 a0, u32 a1, u32 a2)
{
	struct irqlens_event ev = {
		.ts_ns = local_clock(),
		.type = type,
		.arg = { a0, a1, a2 },
	};
	unsigned long flags;

	raw_spin_lock_irqsave(&events_lock, flags);
	irqlens_ring_push(&events_ring, &ev);
	raw_spin_unlock_irqrestore(&events_lock, flags);
}

void irqlens_events_reset(void)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&events_lock, flags);
	irqlens_ring_reset(&events_ring);
	raw_spin_unlock_irqrestore(&events_lock, flags);
}

/* Per-open cursor: the event being shown and what was lost before it. */
struct events_iter {
	struct irqlens_event ev;
	u64 lost;
};

/* *pos is the next sequence number this reader wants. */
static void *events_fetch(struct seq_file *m, loff_t *pos)
{
	struct events_iter *it = m->private;
	unsigned long flags;
	bool found;

	raw_spin_lock_irqsave(&events_lock, flags);
	found = irqlens_ring_read(&events_ring, *pos, &it->ev, &it->lost);
	raw_spin_unlock_irqrestore(&events_lock, flags);
	if (!found)
		return NULL;
	/* A fresh reader starts at the oldest held event: nothing was lost. */
	if (*pos == 0)
		it->lost = 0;
	*pos = it->ev.seq;
	return it;
}

static void *events_start(struct seq_file *m, loff_t *pos)
{
	return events_fetch(m, pos);
}

static void *events_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct events_iter *it = v;

	*pos = it->ev.seq + 1;
	return events_fetch(m, pos);
}

static void events_stop(struct seq_file *m, void *v)
{
}

static int events_show(struct seq_file *m, void *v)
{
	struct events_iter *it = v;

	if (it->lost)
		seq_printf(m, "lost %llu\n", it->lost);
	seq_printf(m, "%llu %llu %s %u %u %u\n", it->ev.seq, it->ev.ts_ns,
		   irqlens_event_type_name(it->ev.type),
		   it->ev.arg[0], it->ev.arg[1], it->ev.arg[2]);
	return 0;
}

static const struct seq_operations events_seq_ops = {
	.start = events_start,
	.next = events_next,
	.stop = events_stop,
	.show = events_show,
};

static int events_open(struct inode *inode, struct file *file)
{
	return seq_open_private(file, &events_seq_ops, sizeof(struct events_iter));
}

static const struct file_operations events_fops = {
	.owner = THIS_MODULE,
	.open = events_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = seq_release_private,
};

int irqlens_events_init(struct dentry *root)
{
	int ret = irqlens_ring_init(&events_ring, IRQLENS_EVENT_RING_SIZE);

	if (ret)
		return ret;
	debugfs_create_file("events", 0400, root, NULL, &events_fops);
	return 0;
}

/* Called after the debugfs files are gone, so no reader is left. */
void irqlens_events_exit(void)
{
	irqlens_ring_free(&events_ring);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The interrupt-window records and the livelock detector (irqwin_state.h
 * has the rules: one writer per record, RCU lookups, a raw spinlock only
 * to claim and release a record).
 */
#include <kunit/visibility.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/irqflags.h>
#include <linux/rculist.h>
#include <linux/rcupdate.h>
#include <linux/seqlock.h>
#include <linux/slab.h>
#include <uapi/linux/kvm.h>

#include "compat.h"
#include "irqwin_state.h"

#define NO_SLOT U32_MAX

/* One record's storage; @v is written only inside a write section of @seq. */
struct irqlens_win_slot {
	struct hlist_node by_key;	/* hashed while in use */
	u64 key;
	bool in_use;
	seqcount_t seq;
	struct irqlens_win_vcpu v;
	struct rcu_head rcu;		/* back to the free list after a grace period */
	struct irqlens_win_state *owner;
	u32 next_free;
};

int irqlens_win_init(struct irqlens_win_state *s, u32 capacity)
{
	u32 i, buckets;

	memset(s, 0, sizeof(*s));
	if (!capacity || capacity > (1U << 16))
		return -EINVAL;
	raw_spin_lock_init(&s->lock);
	s->hash_bits = max_t(u32, 1, order_base_2(capacity));
	buckets = 1U << s->hash_bits;
	s->slots = kvcalloc(capacity, sizeof(*s->slots), GFP_KERNEL);
	s->by_key = kcalloc(buckets, sizeof(*s->by_key), GFP_KERNEL);
	if (!s->slots || !s->by_key) {
		irqlens_win_free(s);
		return -ENOMEM;
	}
	for (i = 0; i < buckets; i++)
		INIT_HLIST_HEAD(&s->by_key[i]);
	for (i = 0; i < capacity; i++) {
		seqcount_init(&s->slots[i].seq);
		s->slots[i].owner = s;
		s->slots[i].next_free = i + 1 < capacity ? i + 1 : NO_SLOT;
	}
	s->capacity = capacity;
	s->threshold = IRQLENS_WIN_THRESHOLD_DEFAULT;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_win_init);

/* Nobody feeds or reads any more; slots may still wait for a grace period. */
void irqlens_win_free(struct irqlens_win_state *s)
{
	rcu_barrier();
	kvfree(s->slots);
	kfree(s->by_key);
	s->slots = NULL;
	s->by_key = NULL;
	s->capacity = 0;
	s->used = 0;
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_win_free);

/* Under rcu_read_lock() or the lock. */
static struct irqlens_win_slot *slot_by_key(struct irqlens_win_state *s, u64 key)
{
	struct irqlens_win_slot *sl;

	hlist_for_each_entry_rcu(sl, &s->by_key[hash_64(key, s->hash_bits)], by_key,
				 lockdep_is_held(&s->lock))
		if (READ_ONCE(sl->key) == key)
			return sl;
	return NULL;
}

static void slot_retired(struct rcu_head *rcu)
{
	struct irqlens_win_slot *sl = container_of(rcu, struct irqlens_win_slot, rcu);
	struct irqlens_win_state *s = sl->owner;
	unsigned long flags;

	raw_spin_lock_irqsave(&s->lock, flags);
	sl->next_free = s->free_head;
	s->free_head = sl - s->slots;
	raw_spin_unlock_irqrestore(&s->lock, flags);
}

/* A fresh record for the vCPU of @ev, or NULL when the pool is empty. */
static struct irqlens_win_slot *slot_claim(struct irqlens_win_state *s,
					   const struct irqlens_win_event *ev)
{
	struct irqlens_win_slot *sl;
	unsigned long flags;

	raw_spin_lock_irqsave(&s->lock, flags);
	/* Another event of the same vCPU cannot race us: it is our thread. */
	sl = slot_by_key(s, ev->key);
	if (sl || s->free_head == NO_SLOT)
		goto out;
	sl = &s->slots[s->free_head];
	s->free_head = sl->next_free;
	/* Past its grace period: no lockless reader still holds it. */
	write_seqcount_begin(&sl->seq);
	memset(&sl->v, 0, sizeof(sl->v));
	sl->v.vm = ev->vm;
	sl->v.vcpu_id = ev->vcpu_id;
	sl->v.snap.ext_vector = -1;
	/* Window exits before irqlens saw the vCPU are not its to count. */
	sl->v.window_stat = ev->window_stat;
	sl->in_use = true;
	sl->key = ev->key;
	write_seqcount_end(&sl->seq);
	hlist_add_head_rcu(&sl->by_key, &s->by_key[hash_64(ev->key, s->hash_bits)]);
	WRITE_ONCE(s->used, s->used + 1);
out:
	raw_spin_unlock_irqrestore(&s->lock, flags);
	return sl;
}

static void slot_release(struct irqlens_win_state *s, u64 key)
{
	struct irqlens_win_slot *sl;
	unsigned long flags;

	raw_spin_lock_irqsave(&s->lock, flags);
	sl = slot_by_key(s, key);
	if (sl) {
		hlist_del_rcu(&sl->by_key);
		write_seqcount_begin(&sl->seq);
		sl->in_use = false;
		write_seqcount_end(&sl->seq);
		WRITE_ONCE(s->used, s->used - 1);
	}
	raw_spin_unlock_irqrestore(&s->lock, flags);
	if (sl)
		call_rcu(&sl->rcu, slot_retired);
	else
		atomic64_inc(&s->unmatched);
}

static void streak_ends(struct irqlens_win_vcpu *v)
{
	v->streak = 0;
	v->stuck = false;
}

/* Counters stop at the top instead of wrapping back to small numbers. */
static void count_by(u64 *c, u64 n)
{
	*c = *c > U64_MAX - n ? U64_MAX : *c + n;
}

static void count(u64 *c)
{
	count_by(c, 1);
}

/*
 * Window exits KVM counted since the record last looked, in O(1) however
 * many there were (a probe that missed events must not loop with
 * interrupts off). Only a guest entry may fire the detector: after a
 * window exit KVM either injects, returns to userspace, or enters the
 * guest again with nothing injected, and only the last is a streak that
 * goes on. It fires once per streak, when the streak reaches the
 * threshold. Returns true when it fired.
 */
static bool window_exits(struct irqlens_win_vcpu *v, u64 window_stat, bool entry,
			 u32 threshold)
{
	/* A new record starts from KVM's count; one that runs backwards is re-based. */
	u64 delta = window_stat > v->window_stat ? window_stat - v->window_stat : 0;

	v->window_stat = window_stat;
	count_by(&v->window_exits, delta);
	count_by(&v->exits_this_run, delta);
	count_by(&v->streak, delta);
	v->longest_streak = max(v->longest_streak, v->streak);
	if (!entry || v->stuck || v->streak < threshold)
		return false;
	v->stuck = true;
	count(&v->flagged);
	v->snap.streak = v->streak;
	v->snap.threshold = threshold;
	return true;
}

/* Under the record's write section. */
static bool update(struct irqlens_win_vcpu *v, const struct irqlens_win_event *ev, u32 threshold)
{
	bool fired = false;

	/* A record keyed by a vCPU that went unseen is someone else's now. */
	if (ev->type == IRQLENS_WIN_RUN_ENTER &&
	    (v->vm != ev->vm || v->vcpu_id != ev->vcpu_id)) {
		memset(v, 0, sizeof(*v));
		v->vm = ev->vm;
		v->vcpu_id = ev->vcpu_id;
		v->snap.ext_vector = -1;
		v->window_stat = ev->window_stat;
	}
	if (ev->type != IRQLENS_WIN_SNAPSHOT)
		fired = window_exits(v, ev->window_stat, ev->type == IRQLENS_WIN_GUEST_ENTRY,
				     threshold);

	switch (ev->type) {
	case IRQLENS_WIN_RUN_ENTER:
		count(&v->runs);
		v->in_run = true;
		v->pid = ev->pid;
		v->irqchip = ev->irqchip;
		v->exits_this_run = 0;
		streak_ends(v);
		break;
	case IRQLENS_WIN_RUN_RETURN:
		count(&v->returns);
		v->in_run = false;
		v->last_exit_reason = ev->exit_reason;
		v->last_result = ev->result;
		v->last_req_window = ev->req_window;
		v->last_ready = ev->ready;
		v->last_if_flag = ev->if_flag;
		/* What KVM counts in request_irq_exits: vcpu_run() returns 0. */
		if (!ev->result && ev->exit_reason == KVM_EXIT_IRQ_WINDOW_OPEN)
			count(&v->window_opens);
		streak_ends(v);
		break;
	case IRQLENS_WIN_SNAPSHOT:
		/* The streak and threshold stay those of the firing. */
		v->snap.flags = ev->snap.flags;
		v->snap.ext_vector = ev->snap.ext_vector;
		v->snap.queued_vector = ev->snap.queued_vector;
		v->snap.nmi_pending = ev->snap.nmi_pending;
		break;
	case IRQLENS_WIN_INJECT_IRQ:
		count(&v->irq_injections);
		streak_ends(v);
		break;
	case IRQLENS_WIN_INJECT_NMI:
		count(&v->nmi_injections);
		streak_ends(v);
		break;
	default:
		break;
	}
	return fired;
}

/*
 * Feed one event. Returns true when it made the detector fire: the caller
 * then sends IRQLENS_WIN_SNAPSHOT with KVM's state. Called from the hooks
 * (tracepoint probes may be preemptible on 7.x) and from KUnit.
 */
bool irqlens_win_apply(struct irqlens_win_state *s, const struct irqlens_win_event *ev)
{
	struct irqlens_win_slot *sl;
	unsigned long flags;
	bool fired;

	if (ev->type >= IRQLENS_WIN_EVENT_COUNT)
		return false;
	if (ev->type == IRQLENS_WIN_DESTROY) {
		slot_release(s, ev->key);
		return false;
	}
	rcu_read_lock();
	sl = slot_by_key(s, ev->key);
	if (!sl)
		sl = slot_claim(s, ev);
	if (!sl) {
		rcu_read_unlock();
		atomic64_inc(&s->overflow);
		return false;
	}
	/*
	 * Interrupts off, as in slot_claim() and slot_release() under the
	 * raw lock: a write section is then never preempted by a reader on
	 * this CPU, and lockdep sees the seqcount taken one way only (the
	 * lock is also taken by the RCU callback, in softirq context).
	 */
	local_irq_save(flags);
	write_seqcount_begin(&sl->seq);
	fired = update(&sl->v, ev, READ_ONCE(s->threshold));
	write_seqcount_end(&sl->seq);
	local_irq_restore(flags);
	rcu_read_unlock();
	return fired;
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_win_apply);

/* A consistent copy of @sl; false when it holds no record. */
static bool slot_copy(struct irqlens_win_slot *sl, struct irqlens_win_vcpu *out)
{
	unsigned int seq;
	bool in_use;

	do {
		seq = read_seqcount_begin(&sl->seq);
		in_use = sl->in_use;
		*out = sl->v;
	} while (read_seqcount_retry(&sl->seq, seq));
	return in_use;
}

/* A copy of pool slot @slot; false when it holds no record. No lock held. */
bool irqlens_win_read(struct irqlens_win_state *s, u32 slot, struct irqlens_win_vcpu *out)
{
	return slot < s->capacity && slot_copy(&s->slots[slot], out);
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_win_read);

/* The record of vCPU @vcpu_id of VM @vm, by a walk of the pool (readers only). */
bool irqlens_win_find(struct irqlens_win_state *s, u32 vm, u32 vcpu_id,
		      struct irqlens_win_vcpu *out)
{
	u32 i;

	for (i = 0; i < s->capacity; i++)
		if (irqlens_win_read(s, i, out) && out->vm == vm && out->vcpu_id == vcpu_id)
			return true;
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_win_find);

void irqlens_win_totals(struct irqlens_win_state *s, struct irqlens_win_totals *t)
{
	struct irqlens_win_vcpu v;
	u32 i;

	t->used = READ_ONCE(s->used);
	t->capacity = s->capacity;
	t->threshold = READ_ONCE(s->threshold);
	t->overflow = atomic64_read(&s->overflow);
	t->unmatched = atomic64_read(&s->unmatched);
	t->stuck = 0;
	for (i = 0; i < s->capacity; i++)
		t->stuck += irqlens_win_read(s, i, &v) && v.stuck;
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_win_totals);

/* 0 would flag every vCPU before its first window exit: refused. */
int irqlens_win_set_threshold(struct irqlens_win_state *s, u32 threshold)
{
	if (!threshold)
		return -EINVAL;
	WRITE_ONCE(s->threshold, threshold);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_win_set_threshold);

// SPDX-License-Identifier: GPL-2.0
/*
 * IRQ-bypass state: the event -> state function, its fixed pool of links
 * and the two hash tables that find them (see bypass_state.h for the
 * locking rules).
 */
#include <kunit/visibility.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/rculist.h>
#include <linux/rculist_nulls.h>
#include <linux/rcupdate.h>
#include <linux/seqlock.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <irqlens/reason_texts.h>
#include <uapi/linux/irqlens.h>

#include "bypass_state.h"
#include "compat.h"

#define NO_SLOT U32_MAX

/*
 * One link's storage. @v changes only under the state's lock, inside a
 * write section of @seq; the counters are atomics so that the
 * per-interrupt paths need no lock.
 */
struct irqlens_bp_slot {
	struct hlist_node by_token;	/* hashed while in use */
	struct hlist_nulls_node by_irq;	/* hashed while it has a producer */
	u32 irq_key;			/* the host IRQ it is hashed under */
	bool irq_hashed;
	seqcount_raw_spinlock_t seq;
	struct irqlens_bp_link v;
	atomic64_t transitions;
	atomic64_t host_handled;
	atomic64_t injections;
	atomic64_t route_updates;
	struct rcu_head rcu;		/* back to the free list after a grace period */
	struct irqlens_bp_state *owner;
	u32 next_free;
};

static const char * const irte_mode_names[] = {
	[IRQLENS_IRTE_UNKNOWN] = "unknown",
	[IRQLENS_IRTE_REMAPPED] = "remapped",
	[IRQLENS_IRTE_POSTED] = "posted",
	[IRQLENS_IRTE_DIRECT] = "direct",
};

static const char * const remap_names[] = {
	[IRQLENS_REMAP_NONE] = "none",
	[IRQLENS_REMAP_INTEL] = "intel-ir",
	[IRQLENS_REMAP_AMD] = "amd-ir",
};

/* The harness prints the same sentences (include/irqlens/reason_texts.h). */
static const char * const reason_texts[] = IRQLENS_REASON_TEXTS;

static_assert(ARRAY_SIZE(reason_texts) == IRQLENS_BP_REASON_COUNT);
static_assert(IRQLENS_REASON_COUNT == IRQLENS_BP_REASON_COUNT);
static_assert(IRQLENS_REASON_BYPASSED == IRQLENS_BP_BYPASSED);
static_assert(IRQLENS_REASON_NO_PRODUCER == IRQLENS_BP_NO_PRODUCER);
static_assert(IRQLENS_REASON_NO_IRQFD == IRQLENS_BP_NO_IRQFD);
static_assert(IRQLENS_REASON_NO_POSTING_CAP == IRQLENS_BP_NO_POSTING_CAP);
static_assert(IRQLENS_REASON_NO_CONSUMER == IRQLENS_BP_NO_CONSUMER);
static_assert(IRQLENS_REASON_CONNECT_FAILED == IRQLENS_BP_CONNECT_FAILED);
static_assert(IRQLENS_REASON_NOT_CONNECTED == IRQLENS_BP_NOT_CONNECTED);

const char *irqlens_irte_mode_name(enum irqlens_irte_mode mode)
{
	return mode < ARRAY_SIZE(irte_mode_names) ? irte_mode_names[mode] : "?";
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_irte_mode_name);

const char *irqlens_remap_name(enum irqlens_remap remap)
{
	return remap < ARRAY_SIZE(remap_names) ? remap_names[remap] : "?";
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_remap_name);

const char *irqlens_bp_reason_text(enum irqlens_bp_reason reason)
{
	return reason < IRQLENS_BP_REASON_COUNT ? reason_texts[reason] : "?";
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_bp_reason_text);

/*
 * KVM registers its irqfd as a bypass consumer only when
 * kvm_arch_has_irq_bypass() holds (x86: APICv/AVIC enabled and the IOMMU
 * has IRQ_POSTING_CAP); the missing piece says why a link is not bypassed.
 */
enum irqlens_bp_reason irqlens_bp_reason(const struct irqlens_bp_link *l, bool posting_cap)
{
	if (l->connected)
		return IRQLENS_BP_BYPASSED;
	if (l->connect_failed)
		return IRQLENS_BP_CONNECT_FAILED;
	if (!l->has_producer)
		return IRQLENS_BP_NO_PRODUCER;
	if (!l->has_irqfd)
		return IRQLENS_BP_NO_IRQFD;
	if (!l->has_consumer)
		return posting_cap ? IRQLENS_BP_NO_CONSUMER : IRQLENS_BP_NO_POSTING_CAP;
	return IRQLENS_BP_NOT_CONNECTED;
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_bp_reason);

/* Counters stop at the top instead of wrapping back to small numbers. */
bool irqlens_bp_count(atomic64_t *c)
{
	return atomic64_add_unless(c, 1, (s64)U64_MAX);
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_bp_count);

int irqlens_bp_init(struct irqlens_bp_state *s, u32 capacity)
{
	u32 i, buckets;

	memset(s, 0, sizeof(*s));
	if (!capacity || capacity > (1U << 16))
		return -EINVAL;
	raw_spin_lock_init(&s->lock);
	/* About one link per bucket; hash_32/64 need at least one bit. */
	s->hash_bits = max_t(u32, 1, order_base_2(capacity));
	buckets = 1U << s->hash_bits;
	s->slots = kvcalloc(capacity, sizeof(*s->slots), GFP_KERNEL);
	s->by_token = kcalloc(buckets, sizeof(*s->by_token), GFP_KERNEL);
	s->by_irq = kcalloc(buckets, sizeof(*s->by_irq), GFP_KERNEL);
	if (!s->slots || !s->by_token || !s->by_irq) {
		irqlens_bp_free(s);
		return -ENOMEM;
	}
	for (i = 0; i < buckets; i++) {
		INIT_HLIST_HEAD(&s->by_token[i]);
		INIT_HLIST_NULLS_HEAD(&s->by_irq[i], i);
	}
	for (i = 0; i < capacity; i++) {
		struct irqlens_bp_slot *sl = &s->slots[i];

		seqcount_raw_spinlock_init(&sl->seq, &s->lock);
		sl->owner = s;
		sl->next_free = i + 1 < capacity ? i + 1 : NO_SLOT;
	}
	s->free_head = 0;
	s->capacity = capacity;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_bp_init);

/* Nobody feeds or reads any more; slots may still wait for a grace period. */
void irqlens_bp_free(struct irqlens_bp_state *s)
{
	rcu_barrier();
	kvfree(s->slots);
	kfree(s->by_token);
	kfree(s->by_irq);
	s->slots = NULL;
	s->by_token = NULL;
	s->by_irq = NULL;
	s->capacity = 0;
	s->used = 0;
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_bp_free);

/* Under rcu_read_lock() or the lock. */
static struct irqlens_bp_slot *slot_by_token(struct irqlens_bp_state *s, u64 token)
{
	struct irqlens_bp_slot *sl;

	hlist_for_each_entry_rcu(sl, &s->by_token[hash_64(token, s->hash_bits)], by_token,
				 lockdep_is_held(&s->lock))
		if (READ_ONCE(sl->v.token) == token)
			return sl;
	return NULL;
}

/*
 * Under rcu_read_lock() or the lock. A slot can move to another bucket
 * while a lockless reader stands on it (its producer got a new host IRQ);
 * the reader then ends on another bucket's nulls value and starts over.
 */
static struct irqlens_bp_slot *slot_by_irq(struct irqlens_bp_state *s, u32 irq)
{
	u32 bucket = hash_32(irq, s->hash_bits);
	struct hlist_nulls_node *n;
	struct irqlens_bp_slot *sl;

again:
	hlist_nulls_for_each_entry_rcu(sl, n, &s->by_irq[bucket], by_irq)
		if (READ_ONCE(sl->irq_key) == irq)
			return sl;
	if (get_nulls_value(n) != bucket)
		goto again;
	return NULL;
}

static void slot_retired(struct rcu_head *rcu)
{
	struct irqlens_bp_slot *sl = container_of(rcu, struct irqlens_bp_slot, rcu);
	struct irqlens_bp_state *s = sl->owner;
	unsigned long flags;

	raw_spin_lock_irqsave(&s->lock, flags);
	sl->next_free = s->free_head;
	s->free_head = sl - s->slots;
	raw_spin_unlock_irqrestore(&s->lock, flags);
}

/* Under the lock: a fresh link for @token, or NULL when the pool is empty. */
static struct irqlens_bp_slot *slot_new(struct irqlens_bp_state *s, u64 token)
{
	struct irqlens_bp_slot *sl;

	if (s->free_head == NO_SLOT)
		return NULL;
	sl = &s->slots[s->free_head];
	s->free_head = sl->next_free;
	/* Past its grace period: no lockless reader still holds it. */
	write_seqcount_begin(&sl->seq);
	memset(&sl->v, 0, sizeof(sl->v));
	sl->v.in_use = true;
	sl->v.token = token;
	write_seqcount_end(&sl->seq);
	atomic64_set(&sl->transitions, 0);
	atomic64_set(&sl->host_handled, 0);
	atomic64_set(&sl->injections, 0);
	atomic64_set(&sl->route_updates, 0);
	sl->irq_hashed = false;
	hlist_add_head_rcu(&sl->by_token, &s->by_token[hash_64(token, s->hash_bits)]);
	WRITE_ONCE(s->used, s->used + 1);
	return sl;
}

/* Under the lock. */
static void irq_unhash(struct irqlens_bp_slot *sl)
{
	if (!sl->irq_hashed)
		return;
	hlist_nulls_del_rcu(&sl->by_irq);
	sl->irq_hashed = false;
}

static void irq_hash(struct irqlens_bp_state *s, struct irqlens_bp_slot *sl, u32 irq)
{
	WRITE_ONCE(sl->irq_key, irq);
	hlist_nulls_add_head_rcu(&sl->by_irq, &s->by_irq[hash_32(irq, s->hash_bits)]);
	sl->irq_hashed = true;
}

/*
 * Under the lock. A link nothing holds any more is unhashed now and
 * returned; the caller hands it to call_rcu() once the lock is dropped.
 * The consumer counts: irqfd_shutdown() starts (IRQFD_DEL) before it
 * unregisters the consumer, whose __disconnect() still updates the IRTE.
 */
static struct irqlens_bp_slot *retire_if_orphan(struct irqlens_bp_state *s,
						struct irqlens_bp_slot *sl, int subclass)
{
	if (sl->v.has_producer || sl->v.has_irqfd || sl->v.has_consumer)
		return NULL;
	irq_unhash(sl);
	hlist_del_rcu(&sl->by_token);
	write_seqcount_begin_nested(&sl->seq, subclass);
	sl->v.in_use = false;
	write_seqcount_end(&sl->seq);
	WRITE_ONCE(s->used, s->used - 1);
	return sl;
}

/* Under the lock and @sl's write section. */
static void producer_gone(struct irqlens_bp_slot *sl)
{
	irq_unhash(sl);
	sl->v.has_producer = false;
	sl->v.producer = 0;
	sl->v.connected = false;
	sl->v.mode = IRQLENS_IRTE_UNKNOWN;
	sl->v.remap = IRQLENS_REMAP_NONE;
	sl->v.posted_vcpu = 0;
	sl->v.posted_vector = 0;
}

/*
 * Under the lock. Returns false when @ev is about another producer than
 * the one the link holds: irqbypass refuses a second producer on one
 * eventfd (-EBUSY, 6.12 and 7.x alike), so that one never gets the link.
 */
static bool producer_add(struct irqlens_bp_state *s, struct irqlens_bp_slot *sl,
			 const struct irqlens_bp_event *ev, struct irqlens_bp_slot **retired)
{
	struct irqlens_bp_slot *other;
	bool fresh;

	if (sl->v.has_producer && sl->v.producer != ev->obj)
		return false;
	/* The same producer on the same IRQ again changes nothing it knows. */
	fresh = !sl->v.has_producer || sl->v.host_irq != ev->host_irq;
	if (fresh) {
		/* One producer per host IRQ: a holder we never saw go lost it. */
		other = slot_by_irq(s, ev->host_irq);
		if (other && other != sl) {
			/*
			 * Inside @sl's write section: every slot's seqcount
			 * is of one lockdep class, so say this is a second,
			 * different one (never the same: other != sl).
			 */
			write_seqcount_begin_nested(&other->seq, SINGLE_DEPTH_NESTING);
			producer_gone(other);
			write_seqcount_end(&other->seq);
			*retired = retire_if_orphan(s, other, SINGLE_DEPTH_NESTING);
		}
		irq_unhash(sl);
		irq_hash(s, sl, ev->host_irq);
		/*
		 * A fresh host IRQ under an IR domain starts with a remapped
		 * IRTE; without remapping there is no IRTE.
		 */
		sl->v.mode = ev->remap == IRQLENS_REMAP_NONE ?
			     IRQLENS_IRTE_DIRECT : IRQLENS_IRTE_REMAPPED;
		sl->v.posted_vcpu = 0;
		sl->v.posted_vector = 0;
	}
	sl->v.has_producer = true;
	sl->v.producer = ev->obj;
	sl->v.host_irq = ev->host_irq;
	sl->v.dev = ev->dev;
	sl->v.remap = ev->remap;
	return true;
}

/*
 * Whether @obj is the irqfd the link holds (as irqfd or as consumer), or
 * the link holds none yet.
 */
static bool irqfd_is(const struct irqlens_bp_link *l, u64 obj)
{
	return !(l->has_irqfd || l->has_consumer) || l->irqfd == obj;
}

static void set_mode(struct irqlens_bp_slot *sl, const struct irqlens_bp_event *ev)
{
	enum irqlens_irte_mode mode;

	if (ev->result) {
		/* A failed update leaves the IRTE as it was. */
		sl->v.last_error = ev->result;
		return;
	}
	mode = ev->posted ? IRQLENS_IRTE_POSTED : IRQLENS_IRTE_REMAPPED;
	/* Only a known remapped <-> posted change is a transition. */
	if ((sl->v.mode == IRQLENS_IRTE_REMAPPED || sl->v.mode == IRQLENS_IRTE_POSTED) &&
	    sl->v.mode != mode)
		irqlens_bp_count(&sl->transitions);
	sl->v.mode = mode;
	/*
	 * The IRTE update knows the vector, not the vCPU: that comes from
	 * kvm_pi_irte_update, just before it (6.12 VT-d) or after it (6.12
	 * AVIC, 7.x). A remapped IRTE posts to no one.
	 */
	if (mode == IRQLENS_IRTE_POSTED) {
		sl->v.posted_vector = ev->vector;
	} else {
		sl->v.posted_vcpu = 0;
		sl->v.posted_vector = 0;
	}
}

/*
 * Under the lock and @sl's write section; false: not about this link.
 * Another link this one took a host IRQ from may end in @retired.
 */
static bool apply_to_link(struct irqlens_bp_state *s, struct irqlens_bp_slot *sl,
			  const struct irqlens_bp_event *ev, struct irqlens_bp_slot **retired)
{
	struct irqlens_bp_link *l = &sl->v;

	switch (ev->type) {
	case IRQLENS_BP_PRODUCER_ADD:
		return producer_add(s, sl, ev, retired);
	case IRQLENS_BP_PRODUCER_DEL:
		if (!l->has_producer || l->producer != ev->obj)
			return false;
		producer_gone(sl);
		return true;
	case IRQLENS_BP_IRQFD_ADD:
		if (!irqfd_is(l, ev->obj))
			return false;
		l->has_irqfd = true;
		l->irqfd = ev->obj;
		l->vm = ev->vm;
		l->pid = ev->pid;
		l->gsi = ev->gsi;
		return true;
	case IRQLENS_BP_IRQFD_DEL:
		/* Its consumer, if any, goes next (CONSUMER_DEL). */
		if (!l->has_irqfd || l->irqfd != ev->obj)
			return false;
		l->has_irqfd = false;
		if (!l->has_consumer)
			l->irqfd = 0;
		return true;
	case IRQLENS_BP_CONSUMER_ADD:
	case IRQLENS_BP_CONNECT:
		/* A consumer is an irqfd, even one assigned before we came. */
		if (!irqfd_is(l, ev->obj))
			return false;
		l->has_irqfd = true;
		l->irqfd = ev->obj;
		l->has_consumer = true;
		if (ev->type == IRQLENS_BP_CONSUMER_ADD)
			return true;
		l->connect_failed = ev->result;
		if (ev->result)
			l->last_error = ev->result;
		else
			l->connected = true;
		return true;
	case IRQLENS_BP_CONSUMER_DEL:
		if (!l->has_consumer || l->irqfd != ev->obj)
			return false;
		l->has_consumer = false;
		l->connected = false;
		if (!l->has_irqfd)
			l->irqfd = 0;
		return true;
	case IRQLENS_BP_DISCONNECT:
		if (!irqfd_is(l, ev->obj))
			return false;
		l->connected = false;
		return true;
	case IRQLENS_BP_IRTE:
		set_mode(sl, ev);
		return true;
	case IRQLENS_BP_PI_UPDATE:
		/* KVM's own account of a posted target; the IRTE event sets the mode. */
		if (ev->posted) {
			l->posted_vcpu = ev->vcpu;
			l->posted_vector = ev->vector;
		}
		return true;
	case IRQLENS_BP_ROUTE:
		l->gsi = ev->gsi;
		irqlens_bp_count(&sl->route_updates);
		return true;
	}
	return false;
}

static bool by_irq(u32 type)
{
	return type == IRQLENS_BP_IRTE || type == IRQLENS_BP_PI_UPDATE ||
	       type == IRQLENS_BP_ROUTE;
}

static bool creates_link(u32 type)
{
	return type == IRQLENS_BP_PRODUCER_ADD || type == IRQLENS_BP_IRQFD_ADD ||
	       type == IRQLENS_BP_CONSUMER_ADD;
}

/* Under the lock; slots to hand to call_rcu() end in @retired[0..1]. */
static void apply_locked(struct irqlens_bp_state *s, const struct irqlens_bp_event *ev,
			 struct irqlens_bp_slot **retired)
{
	struct irqlens_bp_slot *sl;
	bool applied;

	if (ev->type >= IRQLENS_BP_EVENT_COUNT) {
		irqlens_bp_count(&s->unmatched);
		return;
	}
	sl = by_irq(ev->type) ? slot_by_irq(s, ev->host_irq) : slot_by_token(s, ev->token);
	if (!sl && creates_link(ev->type)) {
		sl = slot_new(s, ev->token);
		if (!sl) {
			irqlens_bp_count(&s->overflow);
			return;
		}
	}
	if (!sl) {
		irqlens_bp_count(&s->unmatched);
		return;
	}
	write_seqcount_begin(&sl->seq);
	applied = apply_to_link(s, sl, ev, &retired[1]);
	write_seqcount_end(&sl->seq);
	if (!applied)
		irqlens_bp_count(&s->unmatched);
	retired[0] = retire_if_orphan(s, sl, 0);
}

/* The per-interrupt paths: a lockless lookup and an atomic count. */
static void count_lockless(struct irqlens_bp_state *s, const struct irqlens_bp_event *ev)
{
	struct irqlens_bp_slot *sl;

	rcu_read_lock();
	if (ev->type == IRQLENS_BP_HOST_IRQ) {
		sl = slot_by_irq(s, ev->host_irq);
		if (sl)
			irqlens_bp_count(&sl->host_handled);
	} else {
		sl = slot_by_token(s, ev->token);
		if (sl)
			irqlens_bp_count(&sl->injections);
	}
	rcu_read_unlock();
	if (!sl)
		irqlens_bp_count(&s->unmatched);
}

/* Any context; see bypass_state.h. */
void irqlens_bp_apply(struct irqlens_bp_state *s, const struct irqlens_bp_event *ev)
{
	struct irqlens_bp_slot *retired[2] = {};
	unsigned long flags;
	unsigned int i;

	if (ev->type == IRQLENS_BP_HOST_IRQ || ev->type == IRQLENS_BP_INJECT) {
		count_lockless(s, ev);
		return;
	}
	raw_spin_lock_irqsave(&s->lock, flags);
	apply_locked(s, ev, retired);
	raw_spin_unlock_irqrestore(&s->lock, flags);
	/* Reused once every lockless reader that may hold one is done. */
	for (i = 0; i < ARRAY_SIZE(retired); i++)
		if (retired[i])
			call_rcu(&retired[i]->rcu, slot_retired);
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_bp_apply);

static void slot_copy(struct irqlens_bp_slot *sl, struct irqlens_bp_link *out)
{
	unsigned int seq;

	do {
		seq = read_seqcount_begin(&sl->seq);
		*out = sl->v;
	} while (read_seqcount_retry(&sl->seq, seq));
	out->transitions = atomic64_read(&sl->transitions);
	out->host_handled = atomic64_read(&sl->host_handled);
	out->injections = atomic64_read(&sl->injections);
	out->route_updates = atomic64_read(&sl->route_updates);
}

/*
 * Copy the slot a lookup found, under rcu_read_lock(); false when it found
 * none or the slot was retired meanwhile (the caller then checks the key
 * it looked up by, which a reused slot no longer has).
 */
static bool slot_copy_found(struct irqlens_bp_slot *sl, struct irqlens_bp_link *out)
{
	if (!sl)
		return false;
	slot_copy(sl, out);
	return out->in_use;
}

/* A copy of the link of @token; false when there is none. No lock held. */
bool irqlens_bp_find(struct irqlens_bp_state *s, u64 token, struct irqlens_bp_link *out)
{
	bool found;

	rcu_read_lock();
	found = slot_copy_found(slot_by_token(s, token), out);
	rcu_read_unlock();
	return found && out->token == token;
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_bp_find);

/* A copy of the link whose producer has @host_irq; false when none. */
bool irqlens_bp_find_irq(struct irqlens_bp_state *s, u32 host_irq, struct irqlens_bp_link *out)
{
	bool found;

	rcu_read_lock();
	found = slot_copy_found(slot_by_irq(s, host_irq), out);
	rcu_read_unlock();
	return found && out->has_producer && out->host_irq == host_irq;
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_bp_find_irq);

/* A copy of pool slot @slot; false when it holds no link. No lock held. */
bool irqlens_bp_read(struct irqlens_bp_state *s, u32 slot, struct irqlens_bp_link *out)
{
	if (slot >= s->capacity)
		return false;
	slot_copy(&s->slots[slot], out);
	return out->in_use;
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_bp_read);

void irqlens_bp_totals(struct irqlens_bp_state *s, struct irqlens_bp_totals *t)
{
	t->used = READ_ONCE(s->used);
	t->capacity = s->capacity;
	t->overflow = atomic64_read(&s->overflow);
	t->unmatched = atomic64_read(&s->unmatched);
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_bp_totals);

/*
 * Zero what counts, keep what is (links, modes, targets): "reset-counters".
 * One link at a time, so interrupts are never held off for the table.
 */
void irqlens_bp_reset_counters(struct irqlens_bp_state *s)
{
	unsigned long flags;
	u32 i;

	for (i = 0; i < s->capacity; i++) {
		struct irqlens_bp_slot *sl = &s->slots[i];

		raw_spin_lock_irqsave(&s->lock, flags);
		write_seqcount_begin(&sl->seq);
		sl->v.last_error = 0;
		write_seqcount_end(&sl->seq);
		atomic64_set(&sl->transitions, 0);
		atomic64_set(&sl->host_handled, 0);
		atomic64_set(&sl->injections, 0);
		atomic64_set(&sl->route_updates, 0);
		raw_spin_unlock_irqrestore(&s->lock, flags);
	}
	atomic64_set(&s->overflow, 0);
	atomic64_set(&s->unmatched, 0);
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_bp_reset_counters);

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interrupt-window view: one record per vCPU (VM id + vCPU id, never
 * a pointer) of what KVM_RUN did with interrupt windows, and a livelock
 * detector: a vCPU that keeps taking interrupt-window exits inside one
 * KVM_RUN without KVM injecting anything is flagged, with a snapshot of
 * KVM's state at that moment, while KVM_RUN is still running.
 *
 * A fixed pool of records (nothing is allocated after init; a vCPU that
 * does not fit is counted), found in O(1) by the hooks' key for the vCPU:
 *
 * - a vCPU's events all come from the thread in its KVM_RUN (KVM holds
 *   vcpu->mutex), so its record has one writer at a time: counters are
 *   written inside a seqcount section, with no lock;
 * - finding a record is an RCU lookup; only claiming and releasing one
 *   take the state's raw_spinlock_t (valid in kprobe context on
 *   PREEMPT_RT, where spinlock_t is not);
 * - readers copy one record through its seqcount and hold no lock while
 *   they format it or copy it to user space;
 * - a released record's slot is reused only after an RCU grace period.
 *
 * Window exits are not events of their own: every event carries KVM's own
 * count of them (the vCPU's irq_window_exits statistic, which the vendor
 * handlers of SVM_EXIT_VINTR and VMX exit 7 bump), and the state takes
 * what it grew by first. The vCPU thread runs the handler before it
 * injects, enters the guest again or returns, so each window exit is
 * counted before the event that follows it.
 *
 * No hooks here: KUnit drives it with event sequences
 * (tests/irqwin_state_test.c); irqwin_hooks.c makes the events.
 */
#ifndef _IRQLENS_IRQWIN_STATE_H
#define _IRQLENS_IRQWIN_STATE_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>

enum irqlens_win_event_type {
	IRQLENS_WIN_RUN_ENTER,	/* KVM_RUN entered: vm, vcpu_id, pid, irqchip, req_window */
	/* KVM_RUN returns: result, exit_reason, req_window, ready, if_flag */
	IRQLENS_WIN_RUN_RETURN,
	IRQLENS_WIN_GUEST_ENTRY, /* KVM enters the guest */
	IRQLENS_WIN_SNAPSHOT,	/* snap: KVM's state, right after the detector fired */
	IRQLENS_WIN_INJECT_IRQ,	/* KVM injects an interrupt (the vendor inject_irq) */
	IRQLENS_WIN_INJECT_NMI,	/* KVM injects an NMI (the vendor inject_nmi) */
	IRQLENS_WIN_DESTROY,	/* the vCPU goes away */
	IRQLENS_WIN_EVENT_COUNT,
};

/* Bits of irqlens_win_snap.flags: KVM's state at one window exit. */
#define IRQLENS_WIN_SNAP_REQ_WINDOW	BIT(0)	/* run->request_interrupt_window */
#define IRQLENS_WIN_SNAP_IRQ_QUEUED	BIT(1)	/* arch.interrupt.injected */
#define IRQLENS_WIN_SNAP_EXC_PENDING	BIT(2)	/* arch.exception.pending */
#define IRQLENS_WIN_SNAP_EXC_INJECTED	BIT(3)	/* arch.exception.injected */
#define IRQLENS_WIN_SNAP_NMI_INJECTED	BIT(4)	/* arch.nmi_injected */
#define IRQLENS_WIN_SNAP_GUEST_MODE	BIT(5)	/* running a nested guest */

struct irqlens_win_snap {
	u32 flags;		/* IRQLENS_WIN_SNAP_* */
	s32 ext_vector;		/* split irqchip's queued ExtINT, or -1 */
	u32 queued_vector;	/* arch.interrupt.nr, when IRQ_QUEUED */
	u32 nmi_pending;	/* NMIs KVM holds back */
	u64 streak;		/* filled by the state: the streak that fired */
	u32 threshold;		/* filled by the state: the threshold it passed */
};

struct irqlens_win_event {
	u32 type;		/* enum irqlens_win_event_type */
	u64 key;		/* the vCPU as the hooks know it; never shown */
	u32 vm;			/* irqlens id of the VM */
	u32 vcpu_id;
	u32 pid;		/* RUN_ENTER: the process in KVM_RUN */
	u8 irqchip;		/* RUN_ENTER: IRQLENS_IRQCHIP_* */
	bool req_window;	/* RUN_ENTER, RUN_RETURN */
	bool ready;		/* RUN_RETURN: ready_for_interrupt_injection */
	bool if_flag;		/* RUN_RETURN */
	u32 exit_reason;	/* RUN_RETURN: run->exit_reason */
	s32 result;		/* RUN_RETURN: KVM_RUN's return value */
	u64 window_stat;	/* all but DESTROY: KVM's irq_window_exits now */
	struct irqlens_win_snap snap; /* SNAPSHOT */
};

/* A vCPU's record as a reader gets it: one consistent copy. */
struct irqlens_win_vcpu {
	u32 vm;
	u32 vcpu_id;
	u32 pid;
	u8 irqchip;
	bool in_run;		/* between a KVM_RUN entry and its return */
	bool stuck;		/* the current streak has passed the threshold */
	u64 runs;		/* KVM_RUN entries */
	u64 returns;		/* KVM_RUN returns */
	u64 window_exits;	/* interrupt-window exits */
	u64 window_opens;	/* returns 0 with KVM_EXIT_IRQ_WINDOW_OPEN */
	u64 irq_injections;
	u64 nmi_injections;
	u64 exits_this_run;	/* window exits since the last KVM_RUN entry */
	u64 streak;		/* ... since that entry or the last injection */
	u64 longest_streak;
	u64 flagged;		/* times the detector fired */
	/* The last return to userspace. */
	u32 last_exit_reason;
	s32 last_result;
	bool last_req_window;
	bool last_ready;
	bool last_if_flag;
	struct irqlens_win_snap snap;	/* the last time the detector fired */
	u64 window_stat;	/* KVM's irq_window_exits when last seen */
};

struct irqlens_win_slot;

struct irqlens_win_state {
	raw_spinlock_t lock;		/* claiming and releasing records */
	struct irqlens_win_slot *slots;	/* the pool */
	u32 capacity;
	u32 hash_bits;
	struct hlist_head *by_key;	/* records in use */
	u32 free_head;			/* slots past their grace period */
	u32 used;
	u32 threshold;			/* streak at which the detector fires */
	atomic64_t overflow;		/* events of a vCPU no record was free for */
	atomic64_t unmatched;		/* DESTROY of a vCPU with no record */
};

struct irqlens_win_totals {
	u32 used;
	u32 capacity;
	u32 threshold;
	u32 stuck;			/* records whose streak is past it now */
	u64 overflow;
	u64 unmatched;
};

/* Far above a healthy KVM_RUN (0 or 1 window exit per injection). */
#define IRQLENS_WIN_THRESHOLD_DEFAULT	10000

int irqlens_win_init(struct irqlens_win_state *s, u32 capacity);
void irqlens_win_free(struct irqlens_win_state *s);
bool irqlens_win_apply(struct irqlens_win_state *s, const struct irqlens_win_event *ev);
bool irqlens_win_read(struct irqlens_win_state *s, u32 slot, struct irqlens_win_vcpu *out);
bool irqlens_win_find(struct irqlens_win_state *s, u32 vm, u32 vcpu_id,
		      struct irqlens_win_vcpu *out);
void irqlens_win_totals(struct irqlens_win_state *s, struct irqlens_win_totals *t);
int irqlens_win_set_threshold(struct irqlens_win_state *s, u32 threshold);

#endif /* _IRQLENS_IRQWIN_STATE_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * The module's one interrupt-window state (irqwin_state.c does the
 * logic), fed by irqwin_hooks.c, and the debugfs file "window":
 *
 *   read   a table for people: one line per vCPU, then the snapshot of
 *          every vCPU the livelock detector flagged
 *   ioctl  IRQLENS_IOC_WINDOW_VCPUS: the same records for programs
 *          (include/uapi/linux/irqlens.h)
 *
 * The detector's threshold is set through "control" (window-threshold).
 * When it fires, a "window_flag" event (VM id, vCPU id, streak) goes into
 * the event stream too, so a test that follows the stream sees it at once.
 */
#include <kunit/visibility.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/seq_file.h>
#include <uapi/linux/irqlens.h>
#include <irqlens/irqchip_names.h>

#include "compat.h"
#include "event_ring.h"
#include "irqlens.h"
#include "irqwin.h"
#include "uquery.h"

/* A few VMs with a few dozen vCPUs each; more are counted as overflow. */
#define WINDOW_VCPUS 256

static struct irqlens_win_state window_state;

static_assert(sizeof(struct irqlens_window_vcpu) == IRQLENS_WINDOW_VCPU_SIZE_VER0);
static_assert(sizeof(struct irqlens_window_query) == IRQLENS_WINDOW_QUERY_SIZE_VER0);
static_assert(IRQLENS_SNAP_REQ_WINDOW == IRQLENS_WIN_SNAP_REQ_WINDOW);
static_assert(IRQLENS_SNAP_IRQ_QUEUED == IRQLENS_WIN_SNAP_IRQ_QUEUED);
static_assert(IRQLENS_SNAP_EXC_PENDING == IRQLENS_WIN_SNAP_EXC_PENDING);
static_assert(IRQLENS_SNAP_EXC_INJECTED == IRQLENS_WIN_SNAP_EXC_INJECTED);
static_assert(IRQLENS_SNAP_NMI_INJECTED == IRQLENS_WIN_SNAP_NMI_INJECTED);
static_assert(IRQLENS_SNAP_GUEST_MODE == IRQLENS_WIN_SNAP_GUEST_MODE);

/* True when the detector fired: the hook then sends KVM's state. */
bool irqlens_window_feed(const struct irqlens_win_event *ev)
{
	if (!irqlens_win_apply(&window_state, ev))
		return false;
	irqlens_event_emit(IRQLENS_EV_WINDOW_FLAG, ev->vm, ev->vcpu_id,
			   READ_ONCE(window_state.threshold));
	return true;
}

int irqlens_window_set_threshold(u32 threshold)
{
	return irqlens_win_set_threshold(&window_state, threshold);
}

VISIBLE_IF_KUNIT void irqlens_win_to_uapi(const struct irqlens_win_vcpu *v,
					  struct irqlens_window_vcpu *u)
{
	memset(u, 0, sizeof(*u));
	u->runs = v->runs;
	u->returns = v->returns;
	u->window_exits = v->window_exits;
	u->window_opens = v->window_opens;
	u->irq_injections = v->irq_injections;
	u->nmi_injections = v->nmi_injections;
	u->exits_this_run = v->exits_this_run;
	u->streak = v->streak;
	u->longest_streak = v->longest_streak;
	u->flagged = v->flagged;
	u->snap_streak = v->snap.streak;
	u->vm = v->vm;
	u->vcpu_id = v->vcpu_id;
	u->pid = v->pid;
	u->irqchip = v->irqchip;
	u->flags = (v->in_run ? IRQLENS_WIN_IN_RUN : 0) |
		   (v->stuck ? IRQLENS_WIN_STUCK : 0) |
		   (v->last_req_window ? IRQLENS_WIN_LAST_REQ_WINDOW : 0) |
		   (v->last_ready ? IRQLENS_WIN_LAST_READY : 0) |
		   (v->last_if_flag ? IRQLENS_WIN_LAST_IF : 0);
	u->last_exit_reason = v->last_exit_reason;
	u->last_result = v->last_result;
	u->snap_flags = v->snap.flags;
	u->snap_ext_vector = v->snap.ext_vector;
	u->snap_queued_vector = v->snap.queued_vector;
	u->snap_nmi_pending = v->snap.nmi_pending;
	u->snap_threshold = v->snap.threshold;
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_win_to_uapi);

static const char *irqchip_name(u32 irqchip)
{
	static const char * const names[] = IRQLENS_IRQCHIP_NAMES;

	return irqchip < IRQLENS_IRQCHIP_COUNT ? names[irqchip] : "?";
}

static void show_vcpu(struct seq_file *m, const struct irqlens_window_vcpu *u)
{
	seq_printf(m, "%08x %5u %7u %-9s %-6s %10llu %10llu %12llu %12llu %10llu %8llu %9llu %9llu %7llu %6u %6d %3u %5u %2u\n",
		   u->vm, u->vcpu_id, u->pid, irqchip_name(u->irqchip),
		   u->flags & IRQLENS_WIN_STUCK ? "STUCK" :
		   u->flags & IRQLENS_WIN_IN_RUN ? "run" : "user",
		   u->runs, u->returns, u->window_exits, u->window_opens,
		   u->irq_injections, u->nmi_injections, u->streak, u->longest_streak,
		   u->flagged, u->last_exit_reason, u->last_result,
		   !!(u->flags & IRQLENS_WIN_LAST_REQ_WINDOW),
		   !!(u->flags & IRQLENS_WIN_LAST_READY), !!(u->flags & IRQLENS_WIN_LAST_IF));
}

/* The detector's snapshot, one line, for "window" and "irqlens status". */
static void show_snapshot(struct seq_file *m, const struct irqlens_window_vcpu *u)
{
	seq_printf(m, "flagged vm %08x vcpu %u%s: %llu window exits without an injection (threshold %u); then: request_interrupt_window %u, queued interrupt ",
		   u->vm, u->vcpu_id, u->flags & IRQLENS_WIN_STUCK ? " (stuck now)" : "",
		   u->snap_streak, u->snap_threshold,
		   !!(u->snap_flags & IRQLENS_SNAP_REQ_WINDOW));
	if (u->snap_flags & IRQLENS_SNAP_IRQ_QUEUED)
		seq_printf(m, "%#x", u->snap_queued_vector);
	else
		seq_puts(m, "none");
	seq_puts(m, ", split ExtINT ");
	if (u->snap_ext_vector >= 0)
		seq_printf(m, "%#x", u->snap_ext_vector);
	else
		seq_puts(m, "none");
	seq_printf(m, ", exception pending %u injected %u, NMI injected %u pending %u, nested %u\n",
		   !!(u->snap_flags & IRQLENS_SNAP_EXC_PENDING),
		   !!(u->snap_flags & IRQLENS_SNAP_EXC_INJECTED),
		   !!(u->snap_flags & IRQLENS_SNAP_NMI_INJECTED), u->snap_nmi_pending,
		   !!(u->snap_flags & IRQLENS_SNAP_GUEST_MODE));
}

/* Every vCPU the detector ever flagged that is still known; for "status". */
void irqlens_window_show_stuck(struct seq_file *m)
{
	struct irqlens_window_vcpu u;
	struct irqlens_win_vcpu v;
	u32 i;

	for (i = 0; i < window_state.capacity; i++) {
		if (!irqlens_win_read(&window_state, i, &v) || !v.flagged)
			continue;
		irqlens_win_to_uapi(&v, &u);
		show_snapshot(m, &u);
	}
}

/* Each vCPU is one consistent copy; the table is not one instant. */
static int window_show(struct seq_file *m, void *unused)
{
	struct irqlens_window_vcpu u;
	struct irqlens_win_totals t;
	struct irqlens_win_vcpu v;
	u32 i;

	irqlens_win_totals(&window_state, &t);
	seq_printf(m, "vcpus: %u of %u, overflow %llu, unmatched %llu, threshold %u, stuck %u\n",
		   t.used, t.capacity, t.overflow, t.unmatched, t.threshold, t.stuck);
	seq_printf(m, "%-8s %5s %7s %-9s %-6s %10s %10s %12s %12s %10s %8s %9s %9s %7s %6s %6s %3s %5s %2s\n",
		   "vm", "vcpu", "pid", "irqchip", "state", "runs", "returns",
		   "window_exits", "window_opens", "irq_inj", "nmi_inj", "streak",
		   "longest", "flagged", "exit", "result", "req", "ready", "if");
	for (i = 0; i < t.capacity; i++) {
		if (!irqlens_win_read(&window_state, i, &v))
			continue;
		irqlens_win_to_uapi(&v, &u);
		show_vcpu(m, &u);
	}
	irqlens_window_show_stuck(m);
	return 0;
}

static int window_open(struct inode *inode, struct file *file)
{
	return single_open(file, window_show, NULL);
}

static long window_vcpus_ioctl(struct irqlens_window_query __user *uq)
{
	struct irqlens_window_query q;
	struct irqlens_window_vcpu u;
	struct irqlens_win_totals t;
	struct irqlens_win_vcpu v;
	u32 usize, i, written = 0;
	int ret;

	ret = irqlens_uquery_get(uq, &q, sizeof(q), IRQLENS_WINDOW_QUERY_SIZE_VER0, &usize);
	if (ret)
		return ret;
	if (q.flags || memchr_inv(q.reserved, 0, sizeof(q.reserved)) ||
	    q.vcpu_size < IRQLENS_WINDOW_VCPU_SIZE_VER0 ||
	    q.vcpu_size > IRQLENS_WINDOW_VCPU_SIZE_MAX)
		return -EINVAL;

	irqlens_win_totals(&window_state, &t);
	for (i = 0; i < t.capacity && written < q.nr_vcpus; i++) {
		if (!irqlens_win_read(&window_state, i, &v))
			continue;
		irqlens_win_to_uapi(&v, &u);
		if (irqlens_uquery_put(q.vcpus, q.vcpu_size, written, &u, sizeof(u)))
			return -EFAULT;
		written++;
	}
	q.nr_vcpus = written;
	q.vcpu_size = sizeof(u);
	q.total = t.used;
	q.capacity = t.capacity;
	q.overflow = t.overflow;
	q.unmatched = t.unmatched;
	q.threshold = t.threshold;
	q.stuck = t.stuck;
	return irqlens_uquery_answer(uq, &q, sizeof(q), usize);
}

static long window_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	if (cmd != IRQLENS_IOC_WINDOW_VCPUS)
		return -ENOTTY;
	return window_vcpus_ioctl(u64_to_user_ptr((u64)arg));
}

static const struct file_operations window_fops = {
	.owner = THIS_MODULE,
	.open = window_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.unlocked_ioctl = window_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

int irqlens_window_init(struct dentry *root)
{
	int ret = irqlens_win_init(&window_state, WINDOW_VCPUS);

	if (ret)
		return ret;
	/* Unsafe (no proxy) for compat_ioctl, as "bypass" is: see bypass.c. */
	debugfs_create_file_unsafe("window", 0400, root, NULL, &window_fops);
	return 0;
}

/* After the hooks are off and the files gone: nobody feeds or reads. */
void irqlens_window_exit(void)
{
	irqlens_win_free(&window_state);
}

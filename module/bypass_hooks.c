// SPDX-License-Identifier: GPL-2.0
/*
 * Hooks that turn KVM, VFIO and irqbypass activity into IRQ-bypass events
 * (bypass_state.h). Nothing here links to KVM or VFIO: functions are
 * reached by name through kprobes, the tracepoint through the tracepoint
 * module notifier (hooks.c), and their arguments are read with the
 * layouts of the kernel irqlens was built against; what differs between
 * kernel versions is read through compat_hooks.h.
 *
 * Handlers run in any context (vfio_msihandler and irqfd_wakeup in hard
 * interrupt context): they read what they need and feed one event.
 */
#include <linux/amd-iommu.h>
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/msi.h>
#include <linux/pci.h>
#include <linux/poll.h>
#include <asm/irq_remapping.h>
#include <uapi/linux/irqlens.h>

#include "bypass.h"
#include "compat_hooks.h"
#include "hooks.h"
#include "ids.h"

static enum irqlens_remap irq_remap_kind(unsigned int irq)
{
	struct irq_data *d = irq_get_irq_data(irq);

	for (; d; d = d->parent_data) {
		if (!d->domain)
			continue;
		if (d->domain->bus_token == DOMAIN_BUS_DMAR)
			return IRQLENS_REMAP_INTEL;
		if (d->domain->bus_token == DOMAIN_BUS_AMDVI)
			return IRQLENS_REMAP_AMD;
	}
	return IRQLENS_REMAP_NONE;
}

static u32 irq_pci_dev(unsigned int irq)
{
	struct msi_desc *desc = irq_get_msi_desc(irq);
	struct pci_dev *pdev;

	if (!desc || !desc->dev || !dev_is_pci(desc->dev))
		return IRQLENS_NO_DEV;
	pdev = to_pci_dev(desc->dev);
	return (u32)pci_domain_nr(pdev->bus) << 16 | pdev->bus->number << 8 | pdev->devfn;
}

static void feed(enum irqlens_bp_event_type type, const void *eventfd,
		 struct irqlens_bp_event *ev)
{
	ev->type = type;
	ev->token = irqlens_id(eventfd);
	irqlens_bypass_feed(ev);
}

/* --- irqbypass: producers (vfio) and consumers (KVM irqfds) --- */

struct producer_call {
	void *eventfd;
	unsigned int irq;
};

static int producer_add_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct producer_call *c = (void *)ri->data;

	c->eventfd = irqlens_reg_producer_eventfd(regs);
	c->irq = irqlens_reg_producer_irq(regs);
	return 0;
}

static int producer_add_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct producer_call *c = (void *)ri->data;
	struct irqlens_bp_event ev = {};

	if (regs_return_value(regs) || !c->eventfd)
		return 0;
	ev.host_irq = c->irq;
	ev.dev = irq_pci_dev(c->irq);
	ev.remap = irq_remap_kind(c->irq);
	feed(IRQLENS_BP_PRODUCER_ADD, c->eventfd, &ev);
	return 0;
}

static int producer_del_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct irq_bypass_producer *prod = (void *)regs_get_kernel_argument(regs, 0);
	struct irqlens_bp_event ev = {};

	/* vfio unregisters even a producer whose registration failed. */
	if (irqlens_producer_eventfd(prod))
		feed(IRQLENS_BP_PRODUCER_DEL, irqlens_producer_eventfd(prod), &ev);
	return 0;
}

/* What a kretprobe keeps from entry to return: the eventfd concerned. */
struct eventfd_call {
	void *eventfd;
};

static int consumer_add_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct eventfd_call *c = (void *)ri->data;

	c->eventfd = irqlens_reg_consumer_eventfd(regs);
	return 0;
}

static int consumer_add_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct eventfd_call *c = (void *)ri->data;
	struct irqlens_bp_event ev = {};

	if (!regs_return_value(regs) && c->eventfd)
		feed(IRQLENS_BP_CONSUMER_ADD, c->eventfd, &ev);
	return 0;
}

static int consumer_del_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct irq_bypass_consumer *cons = (void *)regs_get_kernel_argument(regs, 0);
	struct irqlens_bp_event ev = {};

	if (irqlens_consumer_eventfd(cons))
		feed(IRQLENS_BP_CONSUMER_DEL, irqlens_consumer_eventfd(cons), &ev);
	return 0;
}

/* --- KVM irqfds --- */

struct irqfd_call {
	void *eventfd;
	u32 vm;
	u32 pid;
	u32 gsi;
	bool deassign;
};

/* kvm_irqfd(kvm, args): args is KVM's kernel copy of struct kvm_irqfd. */
static int irqfd_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct kvm_irqfd *args = (void *)regs_get_kernel_argument(regs, 1);
	struct irqfd_call *c = (void *)ri->data;
	struct file *f;

	c->eventfd = NULL;
	c->deassign = args->flags & KVM_IRQFD_FLAG_DEASSIGN;
	if (c->deassign)
		return 0;	/* irqfd_shutdown() reports every removal */
	c->vm = irqlens_id32((void *)regs_get_kernel_argument(regs, 0));
	c->pid = task_tgid_nr(current);
	c->gsi = args->gsi;
	/*
	 * The eventfd's context is the file's private data, the same
	 * pointer vfio uses as its producer token. No reference is kept:
	 * only the id is.
	 */
	f = fget(args->fd);
	if (f) {
		c->eventfd = f->private_data;
		fput(f);
	}
	return 0;
}

static int irqfd_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct irqfd_call *c = (void *)ri->data;
	struct irqlens_bp_event ev = {};

	if (c->deassign || regs_return_value(regs) || !c->eventfd)
		return 0;
	ev.vm = c->vm;
	ev.pid = c->pid;
	ev.gsi = c->gsi;
	feed(IRQLENS_BP_IRQFD_ADD, c->eventfd, &ev);
	return 0;
}

/* Every irqfd ends here: deassign, eventfd closed, VM destroyed. */
static int irqfd_shutdown_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct work_struct *work = (void *)regs_get_kernel_argument(regs, 0);
	struct kvm_kernel_irqfd *irqfd = container_of(work, struct kvm_kernel_irqfd, shutdown);
	struct irqlens_bp_event ev = {};

	feed(IRQLENS_BP_IRQFD_DEL, irqfd->eventfd, &ev);
	return 0;
}

/* irqfd_wakeup(wait, mode, sync, key): EPOLLIN is a signal to inject. */
static int irqfd_wakeup_pre(struct kprobe *kp, struct pt_regs *regs)
{
	wait_queue_entry_t *wait = (void *)regs_get_kernel_argument(regs, 0);
	void *key = (void *)regs_get_kernel_argument(regs, 3);
	struct kvm_kernel_irqfd *irqfd = container_of(wait, struct kvm_kernel_irqfd, wait);
	struct irqlens_bp_event ev = {};

	if (key_to_poll(key) & EPOLLIN)
		feed(IRQLENS_BP_INJECT, irqfd->eventfd, &ev);
	return 0;
}

/* --- KVM's bypass consumer callbacks and routing --- */

static int connect_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct irq_bypass_producer *prod = (void *)regs_get_kernel_argument(regs, 1);
	struct eventfd_call *c = (void *)ri->data;

	c->eventfd = irqlens_producer_eventfd(prod);
	return 0;
}

static int connect_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct eventfd_call *c = (void *)ri->data;
	struct irqlens_bp_event ev = { .result = (s32)regs_return_value(regs) };

	feed(IRQLENS_BP_CONNECT, c->eventfd, &ev);
	return 0;
}

static int disconnect_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct irq_bypass_producer *prod = (void *)regs_get_kernel_argument(regs, 1);
	struct irqlens_bp_event ev = {};

	feed(IRQLENS_BP_DISCONNECT, irqlens_producer_eventfd(prod), &ev);
	return 0;
}

static int route_update_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct irqlens_bp_event ev = {};

	irqlens_route_update_args(regs, &ev.host_irq, &ev.gsi);
	ev.type = IRQLENS_BP_ROUTE;
	irqlens_bypass_feed(&ev);
	return 0;
}

/* --- The IRTE itself: every posted <-> remapped switch, any kernel --- */

struct irte_call {
	unsigned int irq;
	void *vcpu_info;
	enum irqlens_remap remap;
};

static int irte_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct irte_call *c = (void *)ri->data;

	c->irq = regs_get_kernel_argument(regs, 0);
	c->vcpu_info = (void *)regs_get_kernel_argument(regs, 1);
	c->remap = irq_remap_kind(c->irq);
	return 0;
}

/* The vcpu_info and the IOMMU say whether it posted (irqlens_irte_posted()). */
static int irte_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct irte_call *c = (void *)ri->data;
	struct amd_iommu_pi_data *pi = c->vcpu_info;
	struct irqlens_bp_event ev = {
		.type = IRQLENS_BP_IRTE,
		.host_irq = c->irq,
		.result = (s32)regs_return_value(regs),
	};
	bool amd = c->remap == IRQLENS_REMAP_AMD;

	ev.posted = irqlens_irte_posted(c->remap, c->vcpu_info, amd && pi && pi->is_guest_mode);
	if (ev.posted && amd)
		ev.vector = pi->vcpu_data ? pi->vcpu_data->vector : 0;
	else if (ev.posted)
		ev.vector = ((struct vcpu_data *)c->vcpu_info)->vector;
	irqlens_bypass_feed(&ev);
	return 0;
}

static void pi_irte_update_probe(IRQLENS_PI_IRTE_PROBE_ARGS)
{
	struct irqlens_bp_event ev = {
		.type = IRQLENS_BP_PI_UPDATE,
		.host_irq = host_irq,
		.vcpu = IRQLENS_PI_IRTE_VCPU_ID,
		.gsi = gsi,
		.vector = gvec,
		.posted = set,
	};

	irqlens_bypass_feed(&ev);
}

/* --- The host handler: runs once per remapped device MSI --- */

static int msihandler_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct irqlens_bp_event ev = {
		.type = IRQLENS_BP_HOST_IRQ,
		.host_irq = regs_get_kernel_argument(regs, 0),
	};

	irqlens_bypass_feed(&ev);
	return 0;
}

#define KPROBE(mod, sym, fn) \
	{ .kind = IRQLENS_HOOK_KPROBE, .module = mod, .symbol = sym, .pre = fn }
#define KRETPROBE(mod, sym, in, out, data) \
	{ .kind = IRQLENS_HOOK_KRETPROBE, .module = mod, .symbol = sym, \
	  .entry = in, .ret = out, .data_size = sizeof(data) }

static struct irqlens_hook bypass_hooks[] = {
	KRETPROBE("irqbypass", "irq_bypass_register_producer",
		  producer_add_entry, producer_add_ret, struct producer_call),
	KPROBE("irqbypass", "irq_bypass_unregister_producer", producer_del_pre),
	KRETPROBE("irqbypass", "irq_bypass_register_consumer",
		  consumer_add_entry, consumer_add_ret, struct eventfd_call),
	KPROBE("irqbypass", "irq_bypass_unregister_consumer", consumer_del_pre),
	KRETPROBE("kvm", "kvm_irqfd", irqfd_entry, irqfd_ret, struct irqfd_call),
	KPROBE("kvm", "irqfd_shutdown", irqfd_shutdown_pre),
	KPROBE("kvm", "irqfd_wakeup", irqfd_wakeup_pre),
	KRETPROBE("kvm", "kvm_arch_irq_bypass_add_producer",
		  connect_entry, connect_ret, struct eventfd_call),
	KPROBE("kvm", "kvm_arch_irq_bypass_del_producer", disconnect_pre),
	KPROBE("kvm", "kvm_arch_update_irqfd_routing", route_update_pre),
	KRETPROBE(NULL, "irq_set_vcpu_affinity", irte_entry, irte_ret, struct irte_call),
	{ .kind = IRQLENS_HOOK_TRACEPOINT, .module = "kvm", .symbol = "kvm_pi_irte_update",
	  .probe = pi_irte_update_probe },
	KPROBE("vfio_pci_core", "vfio_msihandler", msihandler_pre),
};

struct irqlens_hook_group irqlens_bypass_hooks = {
	.name = "bypass",
	.hooks = bypass_hooks,
	.nr = ARRAY_SIZE(bypass_hooks),
};

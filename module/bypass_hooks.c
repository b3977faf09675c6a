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
 * interrupt context, irq_set_vcpu_affinity's return under KVM's raw
 * ir_list_lock on 7.x AMD): they read what they need from the objects
 * the hooked function was given, never from a process's fd table, and
 * hand it to bypass_translate.c.
 */
#include <linux/amd-iommu.h>
#include <linux/eventfd.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/msi.h>
#include <linux/pci.h>
#include <linux/poll.h>
#include <asm/irq_remapping.h>
#include <uapi/linux/irqlens.h>

#include "bypass.h"
#include "bypass_translate.h"
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

/* --- irqbypass: producers (vfio) and consumers (KVM irqfds) --- */

/* What a kretprobe keeps from entry to return. */
struct side_call {
	u64 token;
	u64 obj;
};

/*
 * irq_bypass_register_producer(): the producer is added at entry, so that
 * the IRTE updates __connect() makes inside the call (irqfd first, as
 * QEMU does) find it by host IRQ; a failure undoes it at return.
 */
static int reg_producer_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct side_call *sc = (void *)ri->data;
	unsigned int irq = irqlens_reg_producer_irq(regs);
	struct irqlens_bp_call c = {
		.site = IRQLENS_SITE_REG_PRODUCER,
		.token = irqlens_id(irqlens_reg_producer_eventfd(regs)),
		.obj = irqlens_id((void *)regs_get_kernel_argument(regs, 0)),
		.host_irq = irq,
		.dev = irq_pci_dev(irq),
		.remap = irq_remap_kind(irq),
	};

	sc->token = c.token;
	sc->obj = c.obj;
	irqlens_bypass_call(&c);
	return 0;
}

static int reg_producer_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct side_call *sc = (void *)ri->data;
	struct irqlens_bp_call c = {
		.site = IRQLENS_SITE_REG_PRODUCER_RET,
		.token = sc->token,
		.obj = sc->obj,
		.result = (s32)regs_return_value(regs),
	};

	irqlens_bypass_call(&c);
	return 0;
}

/* The eventfd is read at entry: 7.x clears it before returning. */
static int unreg_producer_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct irq_bypass_producer *prod = (void *)regs_get_kernel_argument(regs, 0);
	struct side_call *sc = (void *)ri->data;

	sc->token = irqlens_id(irqlens_producer_eventfd(prod));
	sc->obj = irqlens_id(prod);
	return 0;
}

/* At return: __disconnect() put the IRTE back to remapped in between. */
static int unreg_producer_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct side_call *sc = (void *)ri->data;
	struct irqlens_bp_call c = {
		.site = IRQLENS_SITE_UNREG_PRODUCER_RET,
		.token = sc->token,
		.obj = sc->obj,
	};

	irqlens_bypass_call(&c);
	return 0;
}

static int reg_consumer_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct irq_bypass_consumer *cons = (void *)regs_get_kernel_argument(regs, 0);
	struct side_call *sc = (void *)ri->data;
	struct irqlens_bp_call c = {
		.site = IRQLENS_SITE_REG_CONSUMER,
		.token = irqlens_id(irqlens_reg_consumer_eventfd(regs)),
		.obj = irqlens_id(irqlens_cons_irqfd(cons)),
	};

	sc->token = c.token;
	sc->obj = c.obj;
	irqlens_bypass_call(&c);
	return 0;
}

static int reg_consumer_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct side_call *sc = (void *)ri->data;
	struct irqlens_bp_call c = {
		.site = IRQLENS_SITE_REG_CONSUMER_RET,
		.token = sc->token,
		.obj = sc->obj,
		.result = (s32)regs_return_value(regs),
	};

	irqlens_bypass_call(&c);
	return 0;
}

static int unreg_consumer_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct irq_bypass_consumer *cons = (void *)regs_get_kernel_argument(regs, 0);
	struct irqlens_bp_call c = {
		.site = IRQLENS_SITE_UNREG_CONSUMER,
		.token = irqlens_id(irqlens_consumer_eventfd(cons)),
		.obj = irqlens_id(irqlens_cons_irqfd(cons)),
	};

	irqlens_bypass_call(&c);
	return 0;
}

/* --- KVM irqfds --- */

struct irqfd_call {
	struct irqlens_bp_call c;
	void *cookie;
};

/*
 * KVM queues its irqfd on the eventfd (IRQLENS_IRQFD_QUEUE_SYMBOL): the
 * irqfd object exists and holds its eventfd, VM and GSI; we run in the
 * KVM_IRQFD caller's context, so current is the process that assigned it.
 */
static int irqfd_queue_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct irqfd_call *ic = (void *)ri->data;
	struct kvm_kernel_irqfd *irqfd = irqlens_queue_irqfd(regs, &ic->cookie);

	ic->c = (struct irqlens_bp_call){
		.site = IRQLENS_SITE_IRQFD_QUEUED,
		.token = irqlens_id(irqfd->eventfd),
		.obj = irqlens_id(irqfd),
		.vm = irqlens_id32(irqfd->kvm),
		.pid = task_tgid_nr(current),
		.gsi = irqfd->gsi,
	};
	return 0;
}

static int irqfd_queue_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct irqfd_call *ic = (void *)ri->data;

	ic->c.result = irqlens_queue_result(ic->cookie);
	irqlens_bypass_call(&ic->c);
	return 0;
}

/* Every irqfd ends here: deassign, eventfd closed, VM destroyed. */
static int irqfd_shutdown_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct work_struct *work = (void *)regs_get_kernel_argument(regs, 0);
	struct kvm_kernel_irqfd *irqfd = container_of(work, struct kvm_kernel_irqfd, shutdown);
	struct irqlens_bp_call c = {
		.site = IRQLENS_SITE_IRQFD_SHUTDOWN,
		.token = irqlens_id(irqfd->eventfd),
		.obj = irqlens_id(irqfd),
	};

	irqlens_bypass_call(&c);
	return 0;
}

/* irqfd_wakeup(wait, mode, sync, key): EPOLLIN is a signal to inject. */
static int irqfd_wakeup_pre(struct kprobe *kp, struct pt_regs *regs)
{
	wait_queue_entry_t *wait = (void *)regs_get_kernel_argument(regs, 0);
	void *key = (void *)regs_get_kernel_argument(regs, 3);
	struct kvm_kernel_irqfd *irqfd = container_of(wait, struct kvm_kernel_irqfd, wait);
	struct irqlens_bp_call c = {
		.site = IRQLENS_SITE_IRQFD_WAKEUP,
		.token = irqlens_id(irqfd->eventfd),
		.obj = irqlens_id(irqfd),
		.epollin = key_to_poll(key) & EPOLLIN,
	};

	irqlens_bypass_call(&c);
	return 0;
}

/* --- KVM's bypass consumer callbacks and routing --- */

/*
 * kvm_arch_irq_bypass_add_producer(cons, prod): the eventfd comes from
 * the consumer's irqfd; 7.x sets prod->eventfd only after the connect.
 */
static int connect_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct kvm_kernel_irqfd *irqfd =
		irqlens_cons_irqfd((void *)regs_get_kernel_argument(regs, 0));
	struct side_call *sc = (void *)ri->data;

	sc->token = irqlens_id(irqfd->eventfd);
	sc->obj = irqlens_id(irqfd);
	return 0;
}

static int connect_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct side_call *sc = (void *)ri->data;
	struct irqlens_bp_call c = {
		.site = IRQLENS_SITE_ADD_PRODUCER_RET,
		.token = sc->token,
		.obj = sc->obj,
		.result = (s32)regs_return_value(regs),
	};

	irqlens_bypass_call(&c);
	return 0;
}

static int disconnect_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct kvm_kernel_irqfd *irqfd =
		irqlens_cons_irqfd((void *)regs_get_kernel_argument(regs, 0));
	struct irqlens_bp_call c = {
		.site = IRQLENS_SITE_DEL_PRODUCER,
		.token = irqlens_id(irqfd->eventfd),
		.obj = irqlens_id(irqfd),
	};

	irqlens_bypass_call(&c);
	return 0;
}

static int route_update_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct irqlens_bp_call c = { .site = IRQLENS_SITE_ROUTE };

	irqlens_route_update_args(regs, &c.host_irq, &c.gsi, &c.changed);
	irqlens_bypass_call(&c);
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
	struct irte_call *ic = (void *)ri->data;

	ic->irq = regs_get_kernel_argument(regs, 0);
	ic->vcpu_info = (void *)regs_get_kernel_argument(regs, 1);
	ic->remap = irq_remap_kind(ic->irq);
	return 0;
}

/*
 * At return, the IOMMU driver has had its say (AMD clears is_guest_mode
 * when it cannot post). The vector is read only when it posted: 6.12
 * AVIC leaves the rest of its struct unset to remap.
 */
static int irte_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct irte_call *ic = (void *)ri->data;
	bool amd = ic->remap == IRQLENS_REMAP_AMD;
	struct irqlens_bp_call c = {
		.site = IRQLENS_SITE_SET_VCPU_AFFINITY_RET,
		.host_irq = ic->irq,
		.remap = ic->remap,
		.vcpu_info = ic->vcpu_info,
		.amd_guest_mode = amd && irqlens_amd_guest_mode(ic->vcpu_info),
		.result = (s32)regs_return_value(regs),
	};

	if (irqlens_irte_posted(c.remap, c.vcpu_info, c.amd_guest_mode))
		c.vector = irqlens_pi_vector(amd, ic->vcpu_info);
	irqlens_bypass_call(&c);
	return 0;
}

static void pi_irte_update_probe(IRQLENS_PI_IRTE_PROBE_ARGS)
{
	struct irqlens_bp_call c = {
		.site = IRQLENS_SITE_PI_IRTE_UPDATE,
		.host_irq = host_irq,
		.vcpu = IRQLENS_PI_IRTE_VCPU_ID,
		.gsi = gsi,
		.vector = gvec,
		.set = set,
	};

	irqlens_bypass_call(&c);
}

/* --- The host handler: runs once per remapped device MSI --- */

static int msihandler_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct irqlens_bp_call c = {
		.site = IRQLENS_SITE_MSIHANDLER,
		.host_irq = regs_get_kernel_argument(regs, 0),
	};

	irqlens_bypass_call(&c);
	return 0;
}

#define KPROBE(mod, sym, fn) \
	{ .kind = IRQLENS_HOOK_KPROBE, .module = mod, .symbol = sym, .pre = fn }
#define KRETPROBE(mod, sym, in, out, data) \
	{ .kind = IRQLENS_HOOK_KRETPROBE, .module = mod, .symbol = sym, \
	  .entry = in, .ret = out, .data_size = sizeof(data) }

static struct irqlens_hook bypass_hooks[] = {
	KRETPROBE("irqbypass", "irq_bypass_register_producer",
		  reg_producer_entry, reg_producer_ret, struct side_call),
	KRETPROBE("irqbypass", "irq_bypass_unregister_producer",
		  unreg_producer_entry, unreg_producer_ret, struct side_call),
	KRETPROBE("irqbypass", "irq_bypass_register_consumer",
		  reg_consumer_entry, reg_consumer_ret, struct side_call),
	KPROBE("irqbypass", "irq_bypass_unregister_consumer", unreg_consumer_pre),
	KRETPROBE("kvm", IRQLENS_IRQFD_QUEUE_SYMBOL,
		  irqfd_queue_entry, irqfd_queue_ret, struct irqfd_call),
	KPROBE("kvm", "irqfd_shutdown", irqfd_shutdown_pre),
	KPROBE("kvm", "irqfd_wakeup", irqfd_wakeup_pre),
	KRETPROBE("kvm", "kvm_arch_irq_bypass_add_producer",
		  connect_entry, connect_ret, struct side_call),
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

// SPDX-License-Identifier: GPL-2.0
/*
 * The IRQ-bypass rig (bypass_rig.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "bypass_rig.h"
#include "kvm_guest.h"
#include "kvm_vfio.h"
#include "proc_irq.h"
#include "vfio_irq.h"

#define READY_MS	20000

static const char *const path_names[] = {
	[RIG_BY_EVENTFD] = "eventfd write",
	[RIG_BY_VFIO_TRIGGER] = "VFIO emulated trigger",
	[RIG_BY_DEVICE] = "device MSI",
};

const char *rig_path_name(enum rig_send_path path)
{
	return path < RIG_NR_PATHS ? path_names[path] : "?";
}

/* Guest entry: bring up the APIC, then wait (arg: halt instead of spin). */
static void rig_guest_main(uint64_t halt)
{
	guest_wait_for_interrupts(halt);
}

void bypass_rig_init(struct bypass_rig *r)
{
	unsigned int v;

	memset(r, 0, sizeof(*r));
	vfio_dev_init(&r->dev);
	r->vm.vm_fd = -1;
	r->vm.kvm_fd = -1;
	r->kvm_vfio = -1;
	for (v = 0; v < RIG_MAX_VECTORS; v++)
		r->eventfd[v] = -1;
	for (v = 0; v < RIG_VCPUS; v++)
		r->stats[v].fd = -1;
}

#define fail(ret, ...) ({ snprintf(why, why_len, __VA_ARGS__); ret; })

int __bypass_rig_start_guest(struct bypass_rig *r, enum kvm_irqchip_mode irqchip,
			     bool x2apic, bool halt, char *why, size_t why_len)
{
	unsigned int i, id;
	int ret;

	ret = __kvm_irqchip_create(&r->vm, irqchip);
	if (ret)
		return fail(ret, "%s irqchip: %s", kvm_irqchip_mode_name(irqchip), strerror(-ret));
	ret = __kvm_guest_prepare(&r->vm);
	if (ret)
		return fail(ret, "preparing guest memory: %s", strerror(-ret));
	*guest_shared_ptr(&r->vm, guest_use_x2apic) = x2apic;
	r->counts = guest_shared_ptr(&r->vm, guest_irq_counts[0]);
	for (i = 0; i < RIG_VCPUS; i++) {
		ret = __kvm_vm_add_vcpu(&r->vm, &id);
		if (!ret)
			ret = __kvm_vcpu_setup_long_mode(&r->vm, id, rig_guest_main, halt);
		/* The stats fd waits for the vCPU mutex: open it before KVM_RUN. */
		if (!ret)
			ret = __kvm_stats_open(&r->stats[i], r->vm.vcpu[id].fd);
		if (ret)
			return fail(ret, "vCPU %u: %s", i, strerror(-ret));
	}
	for (i = 0; i < RIG_VCPUS; i++) {
		ret = __vcpu_thread_start(&r->vcpu[i], &r->vm, i);
		if (ret)
			return fail(ret, "vCPU %u thread: %s", i, strerror(-ret));
	}
	for (i = 0; i < RIG_VCPUS; i++) {
		ret = vcpu_thread_wait_ready(&r->vcpu[i], READY_MS);
		if (ret)
			return fail(ret, "vCPU %u not ready: %s (guest line %u)", i,
				    vcpu_thread_not_ready_why(&r->vcpu[i], ret),
				    *guest_shared_ptr(&r->vm, guest_abort_line));
	}
	return 0;
}

int __bypass_rig_start_device(struct bypass_rig *r, const char *bdf,
			      const struct vfio_driver *drv, char *why, size_t why_len)
{
	char name[64];
	uint64_t count;
	unsigned int v;
	int ret;

	r->drv = drv;
	ret = __vfio_dev_open(&r->dev, bdf, VFIO_IOMMU_TYPE1, why, why_len);
	if (ret)
		return ret;
	/* KVM posts only for a VM that has an assigned device. */
	ret = __kvm_vfio_create(&r->vm, &r->kvm_vfio);
	if (!ret)
		ret = __kvm_vfio_add_file(r->kvm_vfio, r->dev.group_fd);
	if (ret)
		return fail(ret, "kvm-vfio device: %s", strerror(-ret));
	ret = drv->init(&r->dev, &r->index, &r->nr_vectors);
	if (ret)
		return fail(ret, "%s init: %s", drv->name, strerror(-ret));
	if (r->nr_vectors > RIG_MAX_VECTORS)
		return fail(-E2BIG, "%s raises %u vectors, the rig takes %d", drv->name,
			    r->nr_vectors, RIG_MAX_VECTORS);
	ret = __vfio_dev_set_bus_master(&r->dev);
	if (ret)
		return fail(ret, "Bus Master: %s", strerror(-ret));
	for (v = 0; v < r->nr_vectors; v++) {
		r->eventfd[v] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (r->eventfd[v] < 0)
			return fail(-errno, "eventfd: %s", strerror(errno));
		r->gsi[v] = RIG_GSI_BASE + v;
		r->route[v] = (struct kvm_msi_target){ .apic_id = 0, .vector = 0x40 + v };
	}
	ret = __kvm_route_msis(&r->vm, r->nr_vectors, r->gsi, r->route);
	if (ret)
		return fail(ret, "KVM_SET_GSI_ROUTING: %s", strerror(-ret));
	for (v = 0; v < r->nr_vectors; v++) {
		ret = __kvm_irqfd_assign(&r->vm, r->eventfd[v], r->gsi[v]);
		if (ret)
			return fail(ret, "KVM_IRQFD gsi %u: %s", r->gsi[v], strerror(-ret));
	}
	/* irqfds first, then the VFIO vectors: the order QEMU and irq_test use. */
	ret = __vfio_irq_enable(&r->dev, r->index, r->eventfd, r->nr_vectors);
	if (ret)
		return fail(ret, "enabling %u %s vectors: %s", r->nr_vectors,
			    vfio_irq_index_name(r->index), strerror(-ret));
	r->enabled = true;
	for (v = 0; v < r->nr_vectors; v++) {
		vfio_irq_name(name, sizeof(name), vfio_irq_index_name(r->index), v, bdf);
		ret = __proc_irq_find(name, &r->host_irq[v], &count);
		if (!ret)
			ret = __proc_irq_remapped(r->host_irq[v], &r->remapped[v]);
		if (ret)
			return fail(ret, "no '%s' in /proc/interrupts", name);
	}
	return 0;
}

void bypass_rig_stop(struct bypass_rig *r)
{
	unsigned int v;

	for (v = 0; v < RIG_VCPUS; v++) {
		vcpu_thread_stop(&r->vcpu[v]);
		kvm_stats_close(&r->stats[v]);
	}
	if (r->enabled)
		__vfio_irq_disable(&r->dev, r->index);
	r->enabled = false;
	if (r->drv && r->dev.device_fd >= 0)
		r->drv->remove(&r->dev);
	if (r->kvm_vfio >= 0)
		close(r->kvm_vfio);
	r->kvm_vfio = -1;
	kvm_vm_destroy(&r->vm);
	for (v = 0; v < RIG_MAX_VECTORS; v++) {
		if (r->eventfd[v] >= 0)
			close(r->eventfd[v]);
		r->eventfd[v] = -1;
	}
}

int __bypass_rig_kvm_injections(struct bypass_rig *r, unsigned int vcpu,
				struct rig_kvm_injections *inj)
{
	int ret;

	if (vcpu >= RIG_VCPUS)
		return -EINVAL;
	ret = __kvm_stats_read(&r->stats[vcpu], "irq_injections", &inj->irqs);
	if (!ret)
		ret = __kvm_stats_read(&r->stats[vcpu], "nmi_injections", &inj->nmis);
	return ret;
}

int __bypass_rig_route(struct bypass_rig *r, unsigned int v,
		       const struct kvm_msi_target *t, bool churn)
{
	int ret;

	r->route[v] = *t;
	if (churn) {
		ret = __kvm_clear_routes(&r->vm);
		if (ret)
			return ret;
	}
	return __kvm_route_msis(&r->vm, r->nr_vectors, r->gsi, r->route);
}

int __bypass_rig_send(struct bypass_rig *r, enum rig_send_path path, unsigned int v)
{
	uint64_t one = 1;

	switch (path) {
	case RIG_BY_EVENTFD:
		return write(r->eventfd[v], &one, sizeof(one)) == sizeof(one) ? 0 : -errno;
	case RIG_BY_VFIO_TRIGGER:
		return __vfio_irq_trigger(&r->dev, r->index, v);
	case RIG_BY_DEVICE:
		return r->drv->send_msi(&r->dev, v);
	default:
		return -EINVAL;
	}
}

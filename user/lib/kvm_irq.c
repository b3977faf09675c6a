// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kvm_irq.h"

/* IOAPIC pins routed by a split irqchip, as QEMU does. */
#define SPLIT_IRQCHIP_ROUTES 24

static const char * const irqchip_mode_names[] = {
	[KVM_IRQCHIP_FULL] = "full",
	[KVM_IRQCHIP_SPLIT] = "split",
	[KVM_IRQCHIP_USERSPACE] = "userspace",
};

const char *kvm_irqchip_mode_name(enum kvm_irqchip_mode mode)
{
	return mode <= KVM_IRQCHIP_USERSPACE ? irqchip_mode_names[mode] : "?";
}

int __kvm_irqchip_create(struct kvm_vm *vm, enum kvm_irqchip_mode mode)
{
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_SPLIT_IRQCHIP,
		.args = { SPLIT_IRQCHIP_ROUTES },
	};

	switch (mode) {
	case KVM_IRQCHIP_FULL:
		return ioctl(vm->vm_fd, KVM_CREATE_IRQCHIP, 0) ? -errno : 0;
	case KVM_IRQCHIP_SPLIT:
		return ioctl(vm->vm_fd, KVM_ENABLE_CAP, &cap) ? -errno : 0;
	case KVM_IRQCHIP_USERSPACE:
		return 0;
	}
	return -EINVAL;
}

/* MSI address and data for a physically addressed, edge-triggered MSI. */
static void msi_encode(const struct kvm_msi_target *t, uint32_t *addr_lo,
		       uint32_t *addr_hi, uint32_t *data)
{
	*addr_lo = 0xfee00000 | ((t->apic_id & 0xff) << 12);
	/* APIC IDs above 255 go in address_hi (KVM's x2APIC MSI format). */
	*addr_hi = t->apic_id & ~0xffU;
	*data = (t->delivery_mode << 8) |
		(t->delivery_mode == APIC_DM_NMI ? 0 : t->vector);
}

int __kvm_route_msis(struct kvm_vm *vm, unsigned int n, const uint32_t *gsi,
		     const struct kvm_msi_target *t)
{
	struct kvm_irq_routing *r;
	unsigned int i;
	int ret = 0;

	r = calloc(1, sizeof(*r) + n * sizeof(r->entries[0]));
	if (!r)
		return -ENOMEM;
	r->nr = n;
	for (i = 0; i < n; i++) {
		r->entries[i].gsi = gsi[i];
		r->entries[i].type = KVM_IRQ_ROUTING_MSI;
		msi_encode(&t[i], &r->entries[i].u.msi.address_lo,
			   &r->entries[i].u.msi.address_hi, &r->entries[i].u.msi.data);
	}
	if (ioctl(vm->vm_fd, KVM_SET_GSI_ROUTING, r))
		ret = -errno;
	free(r);
	return ret;
}

int __kvm_route_msi(struct kvm_vm *vm, uint32_t gsi, const struct kvm_msi_target *t)
{
	return __kvm_route_msis(vm, 1, &gsi, t);
}

int __kvm_clear_routes(struct kvm_vm *vm)
{
	struct kvm_irq_routing r = { .nr = 0 };

	return ioctl(vm->vm_fd, KVM_SET_GSI_ROUTING, &r) ? -errno : 0;
}

int __kvm_irqfd_assign(struct kvm_vm *vm, int eventfd, uint32_t gsi)
{
	struct kvm_irqfd irqfd = { .fd = eventfd, .gsi = gsi };

	return ioctl(vm->vm_fd, KVM_IRQFD, &irqfd) ? -errno : 0;
}

int __kvm_irqfd_deassign(struct kvm_vm *vm, int eventfd, uint32_t gsi)
{
	struct kvm_irqfd irqfd = { .fd = eventfd, .gsi = gsi, .flags = KVM_IRQFD_FLAG_DEASSIGN };

	return ioctl(vm->vm_fd, KVM_IRQFD, &irqfd) ? -errno : 0;
}

int __kvm_signal_msi(struct kvm_vm *vm, const struct kvm_msi_target *t)
{
	struct kvm_msi msi = { 0 };
	int ret;

	msi_encode(t, &msi.address_lo, &msi.address_hi, &msi.data);
	ret = ioctl(vm->vm_fd, KVM_SIGNAL_MSI, &msi);
	/* > 0: delivered; 0: blocked by the guest (e.g. APIC disabled). */
	if (ret < 0)
		return -errno;
	return ret ? 0 : -EAGAIN;
}

int __kvm_interrupt(struct kvm_vm *vm, unsigned int id, uint8_t vector)
{
	struct kvm_interrupt irq = { .irq = vector };

	return ioctl(vm->vcpu[id].fd, KVM_INTERRUPT, &irq) ? -errno : 0;
}

int __kvm_nmi(struct kvm_vm *vm, unsigned int id)
{
	return ioctl(vm->vcpu[id].fd, KVM_NMI) ? -errno : 0;
}

uint8_t kvm_random_vector(void)
{
	return 32 + rand() % (0xfe - 32 + 1);
}

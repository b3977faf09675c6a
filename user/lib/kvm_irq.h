/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupt plumbing of a VM: irqchip mode, MSI routes, irqfds, directly
 * injected MSIs. Functions return 0 or -errno.
 */
#ifndef IRQLENS_KVM_IRQ_H
#define IRQLENS_KVM_IRQ_H

#include <stdbool.h>
#include <stdint.h>

#include "kvm_vm.h"

enum kvm_irqchip_mode {
	KVM_IRQCHIP_FULL,	/* PIC, IOAPIC and LAPIC in KVM */
	KVM_IRQCHIP_SPLIT,	/* LAPIC in KVM, PIC and IOAPIC in the VMM */
	KVM_IRQCHIP_USERSPACE,	/* no LAPIC in KVM */
};

#define APIC_DM_FIXED	0
#define APIC_DM_NMI	4

/* An MSI to one vCPU by physical APIC ID. */
struct kvm_msi_target {
	uint32_t apic_id;
	uint8_t vector;		/* ignored for NMI */
	uint8_t delivery_mode;	/* APIC_DM_FIXED or APIC_DM_NMI */
};

const char *kvm_irqchip_mode_name(enum kvm_irqchip_mode mode);

/* Before any vCPU exists. */
int __kvm_irqchip_create(struct kvm_vm *vm, enum kvm_irqchip_mode mode);

/* Replace the routing table with one MSI route, @gsi -> @t. */
int __kvm_route_msi(struct kvm_vm *vm, uint32_t gsi, const struct kvm_msi_target *t);
/* The whole table at once: @n MSI routes, gsi[i] to t[i]. */
int __kvm_route_msis(struct kvm_vm *vm, unsigned int n, const uint32_t *gsi,
		     const struct kvm_msi_target *t);
/* Empty the routing table (the irqfd on @gsi then injects nothing). */
int __kvm_clear_routes(struct kvm_vm *vm);

int __kvm_irqfd_assign(struct kvm_vm *vm, int eventfd, uint32_t gsi);
int __kvm_irqfd_deassign(struct kvm_vm *vm, int eventfd, uint32_t gsi);

int __kvm_signal_msi(struct kvm_vm *vm, const struct kvm_msi_target *t);

/* A random fixed vector: 32..0xfe, above the exceptions, below spurious. */
uint8_t kvm_random_vector(void);

/*
 * KVM_INTERRUPT: an external (PIC) interrupt for vCPU @id, for a
 * userspace or split irqchip (-ENXIO with a kernel PIC). The vCPU must be
 * ready for it (kvm_run->ready_for_interrupt_injection); vcpu_thread.h
 * does the waiting. KVM_NMI: an NMI for vCPU @id.
 * Both are vCPU ioctls: call them from the vCPU's thread, between runs.
 */
int __kvm_interrupt(struct kvm_vm *vm, unsigned int id, uint8_t vector);
int __kvm_nmi(struct kvm_vm *vm, unsigned int id);

#endif

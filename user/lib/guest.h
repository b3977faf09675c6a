/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest side of the harness: code compiled into the test binary and run
 * inside the VM. The binary is loaded into guest memory at its own
 * addresses (see kvm_guest_load()), so guest code is ordinary C in the
 * test file, and globals are shared with the host through
 * guest_shared_ptr().
 */
#ifndef IRQLENS_GUEST_H
#define IRQLENS_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#define GUEST_MAX_VCPUS		8
#define GUEST_NMI_VECTOR	2

/* Ports the guest writes to talk to the host (see kvm_guest_run()). */
#define GUEST_PORT_SYNC		0xe7	/* value: enum guest_sync */

enum guest_sync {
	GUEST_SYNC_READY = 1,	/* interrupts enabled, waiting for work */
	GUEST_SYNC_DONE,	/* guest code returned */
	GUEST_SYNC_ABORT,	/* guest_abort(): see guest_abort_line */
};

/* Interrupts and NMIs each vCPU took, by vector; written by the guest. */
struct guest_irq_counts {
	uint64_t vector[256];
	uint32_t last_vector;
	uint32_t spurious;
};

extern struct guest_irq_counts guest_irq_counts[GUEST_MAX_VCPUS];
extern volatile uint32_t guest_abort_line;
/* Set by the host: the guest's run loop returns when it turns true. */
extern volatile bool guest_stop;
/* Set by the host before the vCPUs start. */
extern bool guest_use_x2apic;
/* No LAPIC in KVM (userspace irqchip): never touch the APIC. */
extern bool guest_no_apic;

void guest_sync(enum guest_sync what);
void __attribute__((noreturn)) guest_abort(uint32_t line);
#define GUEST_ASSERT(cond) do { if (!(cond)) guest_abort(__LINE__); } while (0)

uint32_t guest_vcpu_id(void);
void guest_apic_enable(void);
void guest_apic_eoi(void);
void guest_self_ipi(uint8_t vector);
void guest_apic_set_tpr(uint8_t tpr);
void guest_apic_timer_periodic(uint8_t vector, uint32_t count);

/* Enable the APIC and interrupts, say READY, then spin or HLT until stop. */
void guest_wait_for_interrupts(bool halt);

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * Guest side runtime: APIC access (xAPIC MMIO or x2APIC MSRs), the C half
 * of the interrupt handlers, and host synchronisation over port I/O.
 *
 * Runs inside the VM, from interrupt context too: built with
 * -mgeneral-regs-only (a handler must not touch the interrupted code's
 * SSE registers) and, like all guest code, -mno-red-zone (interrupts push
 * onto the same stack).
 */
#include "guest.h"

#define APIC_MMIO_BASE		0xfee00000UL
#define MSR_IA32_APICBASE	0x1b
#define MSR_GS_BASE		0xc0000101
#define APICBASE_ENABLE		(1ULL << 11)
#define APICBASE_X2APIC		(1ULL << 10)
#define APIC_REG_ID		0x20
#define APIC_REG_TPR		0x80
#define APIC_REG_EOI		0xb0
#define APIC_REG_SPIV		0xf0
#define APIC_REG_ICR		0x300
#define APIC_REG_ICR2		0x310
#define APIC_ICR_SELF		(1U << 18)	/* destination shorthand: self */
#define APIC_REG_LVTT		0x320
#define APIC_LVTT_PERIODIC	(1U << 17)
#define APIC_REG_TMICT		0x380	/* timer initial count */
#define APIC_REG_TDCR		0x3e0	/* timer divide configuration */
#define APIC_TDCR_BY_1		0xb
#define APIC_REG_LVT0		0x350
#define APIC_LVT_EXTINT		(7U << 8)
#define APIC_SPIV_ENABLE	(1U << 8)
#define APIC_SPURIOUS_VECTOR	0xff
#define X2APIC_MSR(reg)		(0x800 + ((reg) >> 4))

struct guest_irq_counts guest_irq_counts[GUEST_MAX_VCPUS];
volatile uint32_t guest_abort_line;
volatile bool guest_stop;
bool guest_use_x2apic;
bool guest_no_apic;

static inline void outl(uint16_t port, uint32_t val)
{
	asm volatile("outl %0, %1" : : "a"(val), "Nd"(port) : "memory");
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t val)
{
	asm volatile("wrmsr" : : "c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32))
		     : "memory");
}

static void apic_write(uint32_t reg, uint32_t val)
{
	if (guest_use_x2apic)
		wrmsr(X2APIC_MSR(reg), val);
	else
		*(volatile uint32_t *)(APIC_MMIO_BASE + reg) = val;
}

static uint32_t apic_read(uint32_t reg)
{
	if (guest_use_x2apic)
		return (uint32_t)rdmsr(X2APIC_MSR(reg));
	return *(volatile uint32_t *)(APIC_MMIO_BASE + reg);
}

void guest_sync(enum guest_sync what)
{
	outl(GUEST_PORT_SYNC, what);
}

void guest_abort(uint32_t line)
{
	guest_abort_line = line;
	for (;;)
		guest_sync(GUEST_SYNC_ABORT);
}

/*
 * KVM gives vCPU n the APIC ID n. Without an APIC the host put n in the
 * GS base (kvm_guest.c).
 */
uint32_t guest_vcpu_id(void)
{
	if (guest_no_apic)
		return (uint32_t)rdmsr(MSR_GS_BASE);
	if (guest_use_x2apic)
		return apic_read(APIC_REG_ID);
	return apic_read(APIC_REG_ID) >> 24;
}

void guest_apic_enable(void)
{
	uint64_t base;

	if (guest_no_apic)
		return;
	base = rdmsr(MSR_IA32_APICBASE) | APICBASE_ENABLE;

	/* xAPIC must be enabled before x2APIC mode can be entered. */
	wrmsr(MSR_IA32_APICBASE, base);
	if (guest_use_x2apic)
		wrmsr(MSR_IA32_APICBASE, base | APICBASE_X2APIC);
	apic_write(APIC_REG_SPIV, APIC_SPIV_ENABLE | APIC_SPURIOUS_VECTOR);
	apic_write(APIC_REG_TPR, 0);
	/*
	 * Accept PIC (ExtINT) interrupts on every vCPU, not only the BSP:
	 * with a split irqchip that is how KVM_INTERRUPT reaches the guest.
	 */
	apic_write(APIC_REG_LVT0, APIC_LVT_EXTINT);
}

/* A periodic LAPIC timer: @vector every @count bus clocks (divide by 1). */
void guest_apic_timer_periodic(uint8_t vector, uint32_t count)
{
	apic_write(APIC_REG_TDCR, APIC_TDCR_BY_1);
	apic_write(APIC_REG_LVTT, APIC_LVTT_PERIODIC | vector);
	apic_write(APIC_REG_TMICT, count);
}

/* The LAPIC's task priority register (TPR: class in bits 7:4). */
void guest_apic_set_tpr(uint8_t tpr)
{
	apic_write(APIC_REG_TPR, tpr);
}

/* A fixed interrupt to this vCPU's own LAPIC (shorthand "self"). */
void guest_self_ipi(uint8_t vector)
{
	if (!guest_use_x2apic)
		apic_write(APIC_REG_ICR2, 0);
	apic_write(APIC_REG_ICR, APIC_ICR_SELF | vector);
}

void guest_apic_eoi(void)
{
	if (!guest_no_apic)
		apic_write(APIC_REG_EOI, 0);
}

/* Called by the IDT stubs (guest_idt.S) with the vector taken. */
void guest_irq_dispatch(uint64_t vector, uint64_t error_code);
void guest_irq_dispatch(uint64_t vector, uint64_t error_code)
{
	uint32_t id = guest_vcpu_id();
	struct guest_irq_counts *c;

	(void)error_code;
	if (id >= GUEST_MAX_VCPUS)
		guest_abort(__LINE__);
	/* An exception is a bug in the guest code: stop and say where. */
	if (vector < 32 && vector != GUEST_NMI_VECTOR)
		guest_abort(100000 + vector);

	c = &guest_irq_counts[id];
	c->last_vector = vector;
	if (vector == APIC_SPURIOUS_VECTOR) {
		c->spurious++;
		return;		/* no EOI for a spurious interrupt */
	}
	__atomic_add_fetch(&c->vector[vector], 1, __ATOMIC_RELAXED);
	if (vector != GUEST_NMI_VECTOR)
		guest_apic_eoi();
}

void guest_wait_for_interrupts(bool halt)
{
	guest_apic_enable();
	asm volatile("sti" ::: "memory");
	guest_sync(GUEST_SYNC_READY);
	while (!guest_stop) {
		if (halt)
			asm volatile("hlt" ::: "memory");
		else
			asm volatile("pause" ::: "memory");
	}
	guest_sync(GUEST_SYNC_DONE);
}

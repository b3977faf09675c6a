/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Extra interrupts in the nested guest, taken as the emulator's only where
 * that is proven (Documentation/testbed.rst, "Nested deliveries seen
 * twice"): in the test bed (the runner sets IRQLENS_BED=1) on
 * single-threaded TCG (enabling tracepoints patches live kernel text,
 * which multi-threaded TCG races on), without APICv/AVIC (KVM then
 * delivers without injecting, and its tracepoints prove nothing), and only
 * when KVM's own tracepoints (kvm_injection_trace.h) show that in the
 * window the extra count landed in, KVM injected no more than was sent.
 *
 * A test splits its run into windows that follow each other without a
 * gap: emulator_dups_begin() opens the first, each __emulator_dups_window()
 * closes one and opens the next. After each window the test hands the
 * guest's counts (read once) and what it expected to
 * emulator_dups_absorb(), which raises the expectation by every extra
 * count that is proven the emulator's and refuses any other. A KVM
 * double injection of an IRQ (two fresh injections for one send) is never
 * absorbed. For NMIs the proof stands at the local APIC (6.12 traces no
 * NMI injection): an NMI KVM injected twice below its APIC would be taken
 * for the emulator's. The test's own totals (fresh_irqs, accepted_nmis
 * against what it sent) are the check that a late extra cannot slip
 * through one window into the next.
 */
#ifndef IRQLENS_EMULATOR_DUPS_H
#define IRQLENS_EMULATOR_DUPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kvm_injection_trace.h"

/* The one send a window was opened for, as the proof needs it. */
struct dup_send {
	unsigned int vcpu;	/* its APIC id (= vCPU index) */
	unsigned int vector;	/* a fixed IRQ's vector (an NMI counts on GUEST_NMI_VECTOR) */
	bool nmi;
};

struct emulator_dups {
	unsigned int nr_vcpus;
	bool allowed;			/* the proof is available: tolerate */
	char no_tolerance_why[128];	/* ... or why not */
	struct kvm_injection_trace trace;
	uint64_t absorbed;		/* extra guest counts proven the emulator's */
	/* Sends counted from the test's ioctl: emulator_dups_accepted_by_ioctl(). */
	uint64_t accepted_by_ioctl;
	/* Over all windows since emulator_dups_begin(), from the trace. */
	uint64_t fresh_irqs, accepted_nmis;
};

/* Decide whether the proof is available here, and start the trace if so. */
void emulator_dups_init(struct emulator_dups *d, unsigned int nr_vcpus);
/* Remove the trace instance; safe whether or not init ran. */
void emulator_dups_stop(struct emulator_dups *d);

/* Open the first window: what KVM did before is dropped. -errno. */
int __emulator_dups_begin(struct emulator_dups *d);
/*
 * @w holds the current window's counts: the caller zeroes it when the
 * window opens. A peek adds what KVM did since the last read; closing the
 * window adds the rest and counts the window into the totals. -errno.
 */
int __emulator_dups_peek(struct emulator_dups *d, struct kvm_injection_counts *w);
int __emulator_dups_window(struct emulator_dups *d, struct kvm_injection_counts *w);

/*
 * Has KVM taken send @s in window @w yet (a fresh injection of the IRQ's
 * vector, the NMI accepted by the vCPU's APIC)? Peeks first. True when no
 * proof is available here: there is nothing to wait for.
 *
 * A window closes only once this is true. The guest's count alone is not
 * enough: an emulator duplicate of an earlier send to the same (vCPU,
 * vector) can reach it first, and this send's own injection then lands
 * in the next window, where nothing was sent to that vector, and is
 * refused as KVM's (seen once in 200 sends on 7.2-rt).
 */
bool emulator_dups_kvm_took(struct emulator_dups *d, struct kvm_injection_counts *w,
			    const struct dup_send *s);

/*
 * Two ioctls hand KVM an event its tracepoints do not show as new:
 * KVM_NMI queues an NMI without the local APIC (no kvm_apic_accept_irq),
 * and without a kernel irqchip KVM_INTERRUPT queues its vector as already
 * "injected", so kvm_inj_virq flags even its first injection
 * "[reinjected]" (6.12 kvm_vcpu_ioctl_interrupt()). For those the ioctl
 * the test issued, once, is the acceptance: count send @s in @w as the
 * tracepoint would have. The proof then stands one level up, as it does
 * for NMIs sent as MSIs.
 */
void emulator_dups_accepted_by_ioctl(struct emulator_dups *d, struct kvm_injection_counts *w,
				     const struct dup_send *s);

/*
 * Compare the guest's counts @seen with @expected (both [nr_vcpus][256])
 * after window @w, opened for send @s (NULL: a window with no send).
 * Extra counts proven the emulator's are added to @expected and to
 * d->absorbed. False when an extra count is not proven: @why says what
 * KVM injected. Missing counts are the caller's to report.
 */
bool emulator_dups_absorb(struct emulator_dups *d, const uint64_t (*seen)[256],
			  uint64_t (*expected)[256], const struct dup_send *s,
			  const struct kvm_injection_counts *w, char *why, size_t why_len);

/* One line for the test's output: what was absorbed, or why nothing could be. */
const char *emulator_dups_describe(const struct emulator_dups *d, char *buf, size_t len);

#endif

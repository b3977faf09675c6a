/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What KVM itself decided to inject, counted from its own tracepoints in
 * a private tracefs instance, so that an extra interrupt in the guest can
 * be told apart from a KVM double injection:
 *
 *  - kvm_inj_virq without "[reinjected]", by vector: KVM injecting an
 *    interrupt for the first time. A re-injection (the entry was cancelled,
 *    or the exit interrupted the delivery: EXITINTINFO on SVM, IDT-vectoring
 *    info on VMX) is flagged by KVM and not counted. KVM's irq_injections
 *    statistic counts both and cannot tell them apart.
 *  - kvm_apic_accept_irq with delivery mode NMI, by vCPU: KVM's local APIC
 *    accepting an NMI (once per NMI sent). 6.12 traces no NMI injection,
 *    fresh or re-injected, so for NMIs the proof is one level up: the
 *    APIC took exactly the NMIs that were sent, and anything the guest got
 *    beyond them was made below the APIC (re-injection or the emulator).
 */
#ifndef IRQLENS_KVM_INJECTION_TRACE_H
#define IRQLENS_KVM_INJECTION_TRACE_H

#include <stddef.h>
#include <stdint.h>

#define KVM_TRACE_MAX_VCPUS 16

struct kvm_injection_counts {
	uint64_t fresh_irqs[256];			/* by vector */
	uint64_t accepted_nmis[KVM_TRACE_MAX_VCPUS];	/* by vCPU id */
};

struct kvm_injection_trace {
	char dir[96];		/* the tracefs instance */
	int pipe_fd;		/* its trace_pipe, non-blocking */
	char buf[8192];
	size_t len;		/* a partial line carried over */
};

/* Create the instance and enable the events; -errno and @why. */
int __kvm_injection_trace_start(struct kvm_injection_trace *t, char *why, size_t why_len);
/* Remove the instance; safe on a zeroed one that never started. */
void kvm_injection_trace_stop(struct kvm_injection_trace *t);

/* Add every event since the last call to @c (NULL: drop them); -errno. */
int __kvm_injection_trace_read(struct kvm_injection_trace *t, struct kvm_injection_counts *c);

#endif

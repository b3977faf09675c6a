/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Events KVM re-injects, counted per vCPU from KVM's own kvm_exit
 * tracepoint (a private tracefs instance, filtered on a valid
 * intr_info). On SVM, intr_info is the VMCB's EXITINTINFO: an interrupt
 * or NMI whose delivery the exit interrupted, which KVM queues again
 * (svm_complete_interrupts()) and injects a second time, counting it in
 * irq_injections / nmi_injections once more. Subtracting these from
 * KVM's statistics leaves the fresh injections: what KVM itself decided
 * to inject. (On VMX, kvm_exit's intr_info is the exit's own interruption
 * info, not the IDT-vectoring info: this reader is for SVM only.)
 */
#ifndef IRQLENS_KVM_EXIT_TRACE_H
#define IRQLENS_KVM_EXIT_TRACE_H

#include <stddef.h>
#include <stdint.h>

#define KVM_EXIT_TRACE_MAX_VCPUS 16

struct kvm_exit_trace {
	char dir[96];		/* the tracefs instance */
	int pipe_fd;		/* its trace_pipe, non-blocking */
	char buf[8192];
	size_t len;		/* a partial line carried over */
};

/* Create the instance and enable the filtered event; -errno and @why. */
int __kvm_exit_trace_start(struct kvm_exit_trace *t, char *why, size_t why_len);
/* Remove the instance; safe on one that never started. */
void kvm_exit_trace_stop(struct kvm_exit_trace *t);

/*
 * Add the re-injections announced since the last call to @irqs[vcpu_id]
 * and @nmis[vcpu_id] (vCPU ids below KVM_EXIT_TRACE_MAX_VCPUS); -errno.
 */
int __kvm_exit_trace_reinjections(struct kvm_exit_trace *t, uint64_t *irqs, uint64_t *nmis);

#endif

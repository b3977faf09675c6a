/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One host thread per vCPU, running KVM_RUN until the guest says it is
 * done or the host stops it.
 */
#ifndef IRQLENS_VCPU_THREAD_H
#define IRQLENS_VCPU_THREAD_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "kvm_vm.h"

enum vcpu_thread_state {
	VCPU_STARTING,
	VCPU_READY,	/* guest_sync(GUEST_SYNC_READY) seen */
	VCPU_DONE,
	VCPU_ABORTED,	/* guest_abort(): see guest_abort_line */
	VCPU_FAILED,	/* KVM_RUN failed or exited unexpectedly */
	VCPU_STOPPED,	/* stopped by the host */
};

struct vcpu_thread {
	struct kvm_vm *vm;
	unsigned int id;
	pthread_t thread;
	bool started;
	volatile bool stop;
	volatile int state;	/* enum vcpu_thread_state */
	int error;		/* -errno for VCPU_FAILED */
	uint32_t exit_reason;	/* KVM exit reason for VCPU_FAILED */
	/* An interrupt queued by vcpu_thread_inject(), or VCPU_NO_INJECT. */
	volatile int inject;
	/* Result of the last KVM_INTERRUPT / KVM_NMI the thread issued. */
	volatile int inject_error;
};

#define VCPU_NO_INJECT	-1
#define VCPU_INJECT_NMI	256	/* vcpu_thread_inject(): KVM_NMI, not a vector */

const char *vcpu_thread_state_name(int state);
int __vcpu_thread_start(struct vcpu_thread *t, struct kvm_vm *vm, unsigned int id);
/* Wait until the guest is READY: 0, -ETIMEDOUT, or -EPROTO (it ended). */
int vcpu_thread_wait_ready(struct vcpu_thread *t, int timeout_ms);
/*
 * Have the vCPU thread inject @what (a vector by KVM_INTERRUPT, or
 * VCPU_INJECT_NMI) at the guest's next interrupt window. -EBUSY while the
 * previous one is still queued.
 */
int vcpu_thread_inject(struct vcpu_thread *t, int what);

/* Stop the vCPU wherever it is (halted included) and join the thread. */
void vcpu_thread_stop(struct vcpu_thread *t);

#endif

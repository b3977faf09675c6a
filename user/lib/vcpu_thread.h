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
};

const char *vcpu_thread_state_name(int state);
int __vcpu_thread_start(struct vcpu_thread *t, struct kvm_vm *vm, unsigned int id);
/* Wait until the guest is READY: 0, -ETIMEDOUT, or -EPROTO (it ended). */
int vcpu_thread_wait_ready(struct vcpu_thread *t, int timeout_ms);
/* Stop the vCPU wherever it is (halted included) and join the thread. */
void vcpu_thread_stop(struct vcpu_thread *t);

#endif

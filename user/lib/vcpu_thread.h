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

/*
 * Fields marked "shared" are written by one thread and read by another:
 * only through __atomic builtins (vcpu_thread_state() for @state), and one
 * load per decision, so that a value changing between two reads is never
 * taken for a third state (a vCPU turning READY between "is it READY?"
 * and "is it still STARTING?" once failed a test).
 */
struct vcpu_thread {
	struct kvm_vm *vm;
	unsigned int id;
	pthread_t thread;
	bool started;
	bool stop;		/* shared: set by vcpu_thread_stop() */
	int state;		/* shared: enum vcpu_thread_state */
	/* Written before @state turns VCPU_FAILED; read after seeing that. */
	int error;		/* -errno for VCPU_FAILED */
	uint32_t exit_reason;	/* KVM exit reason for VCPU_FAILED */
	/* Shared: an interrupt queued by vcpu_thread_inject(), or VCPU_NO_INJECT. */
	int inject;
	/* Shared: result of the last KVM_INTERRUPT / KVM_NMI the thread issued. */
	int inject_error;
};

#define VCPU_NO_INJECT	-1
#define VCPU_INJECT_NMI	256	/* vcpu_thread_inject(): KVM_NMI, not a vector */

const char *vcpu_thread_state_name(int state);

/* The vCPU's state now: one acquire load (then @error is valid for FAILED). */
static inline int vcpu_thread_state(const struct vcpu_thread *t)
{
	return __atomic_load_n(&t->state, __ATOMIC_ACQUIRE);
}

/* Result of the last KVM_INTERRUPT / KVM_NMI the vCPU thread issued. */
static inline int vcpu_thread_inject_error(const struct vcpu_thread *t)
{
	return __atomic_load_n(&t->inject_error, __ATOMIC_RELAXED);
}

int __vcpu_thread_start(struct vcpu_thread *t, struct kvm_vm *vm, unsigned int id);
/*
 * Wait until the guest is READY: 0, -ETIMEDOUT (still starting), or
 * -EPROTO (it ended: its state is final, vcpu_thread_state() says how).
 */
int vcpu_thread_wait_ready(struct vcpu_thread *t, int timeout_ms);
/* What a failed vcpu_thread_wait_ready() (status @ret) saw, for messages. */
const char *vcpu_thread_not_ready_why(const struct vcpu_thread *t, int ret);
/*
 * Have the vCPU thread inject @what (a vector by KVM_INTERRUPT, or
 * VCPU_INJECT_NMI) at the guest's next interrupt window. -EBUSY while the
 * previous one is still queued.
 */
int vcpu_thread_inject(struct vcpu_thread *t, int what);

/* Stop the vCPU wherever it is (halted included) and join the thread. */
void vcpu_thread_stop(struct vcpu_thread *t);

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * vCPU threads. A halted vCPU blocks in KVM_RUN, so stopping one sets
 * kvm_run->immediate_exit and sends a signal: KVM_RUN returns -EINTR
 * whether the thread is inside it or about to enter it.
 *
 * The thread also injects what the host queued with vcpu_thread_inject():
 * KVM_INTERRUPT must come from userspace at an interrupt window (it
 * asks KVM for one with request_interrupt_window), and with a userspace
 * irqchip a HLT exits to us and the thread waits here for work.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "guest.h"
#include "kvm_guest.h"
#include "kvm_irq.h"
#include "vcpu_thread.h"

#define VCPU_KICK_SIGNAL SIGUSR1

static const char * const state_names[] = {
	"starting", "ready", "done", "aborted", "failed", "stopped",
};

const char *vcpu_thread_state_name(int state)
{
	return state >= 0 && state <= VCPU_STOPPED ? state_names[state] : "?";
}

static void kick_handler(int sig)
{
	(void)sig;
}

static void set_state(struct vcpu_thread *t, int state)
{
	__atomic_store_n(&t->state, state, __ATOMIC_RELEASE);
}

static bool stop_asked(struct vcpu_thread *t)
{
	return __atomic_load_n(&t->stop, __ATOMIC_ACQUIRE);
}

static int queued(struct vcpu_thread *t)
{
	return __atomic_load_n(&t->inject, __ATOMIC_ACQUIRE);
}

/* Inject the queued interrupt if the guest can take it now. */
static int inject_pending(struct vcpu_thread *t, struct kvm_run *run)
{
	int what = queued(t), ret;

	if (what == VCPU_NO_INJECT)
		return 0;
	if (what == VCPU_INJECT_NMI)
		ret = __kvm_nmi(t->vm, t->id);
	else if (run->ready_for_interrupt_injection && run->if_flag)
		ret = __kvm_interrupt(t->vm, t->id, what);
	else
		return 0;
	__atomic_store_n(&t->inject_error, ret, __ATOMIC_RELAXED);
	__atomic_store_n(&t->inject, VCPU_NO_INJECT, __ATOMIC_RELEASE);
	return ret;
}

/* A HLT that exited to us (userspace irqchip): wait for work or stop. */
static void wait_while_halted(struct vcpu_thread *t)
{
	struct timespec ts = { 0, 100 * 1000 };

	while (!stop_asked(t) && queued(t) == VCPU_NO_INJECT)
		nanosleep(&ts, NULL);
}

static void *vcpu_thread_fn(void *arg)
{
	struct vcpu_thread *t = arg;
	struct kvm_run *run = t->vm->vcpu[t->id].run;
	int ret;

	for (;;) {
		ret = inject_pending(t, run);
		if (ret) {
			t->error = ret;
			set_state(t, VCPU_FAILED);
			break;
		}
		/* Still queued (no window yet) or queued since: ask for a window. */
		run->request_interrupt_window = queued(t) != VCPU_NO_INJECT;
		ret = __kvm_guest_run(t->vm, t->id, &t->exit_reason);
		if (ret == -EPROTO && t->exit_reason == KVM_EXIT_IRQ_WINDOW_OPEN)
			continue;
		if (ret == -EPROTO && t->exit_reason == KVM_EXIT_HLT) {
			wait_while_halted(t);
			ret = -EINTR;
		}
		if (ret == -EINTR) {
			if (stop_asked(t)) {
				set_state(t, VCPU_STOPPED);
				break;
			}
			continue;
		}
		if (ret == GUEST_SYNC_READY) {
			set_state(t, VCPU_READY);
			continue;
		}
		if (ret == GUEST_SYNC_DONE) {
			set_state(t, VCPU_DONE);
			break;
		}
		if (ret == GUEST_SYNC_ABORT) {
			set_state(t, VCPU_ABORTED);
			break;
		}
		t->error = ret < 0 ? ret : -EPROTO;
		set_state(t, VCPU_FAILED);
		break;
	}
	return NULL;
}

int __vcpu_thread_start(struct vcpu_thread *t, struct kvm_vm *vm, unsigned int id)
{
	struct sigaction sa = { .sa_handler = kick_handler };	/* no SA_RESTART */
	int ret;

	memset(t, 0, sizeof(*t));
	t->vm = vm;
	t->id = id;
	t->state = VCPU_STARTING;
	t->inject = VCPU_NO_INJECT;
	sigaction(VCPU_KICK_SIGNAL, &sa, NULL);
	ret = pthread_create(&t->thread, NULL, vcpu_thread_fn, t);
	if (ret)
		return -ret;
	t->started = true;
	return 0;
}

/*
 * STARTING turns READY and then one of the final states, never back: one
 * load decides. The last look comes after the deadline, so a vCPU that
 * turned READY while this thread slept past it still counts.
 */
int vcpu_thread_wait_ready(struct vcpu_thread *t, int timeout_ms)
{
	struct timespec ts = { 0, 1000 * 1000 };
	int waited, state;

	for (waited = 0;; waited++) {
		state = vcpu_thread_state(t);
		if (state == VCPU_READY)
			return 0;
		if (state != VCPU_STARTING)
			return -EPROTO;
		if (waited >= timeout_ms)
			return -ETIMEDOUT;
		nanosleep(&ts, NULL);
	}
}

/* A final state stays as it is, so reading it again here is exact. */
const char *vcpu_thread_not_ready_why(const struct vcpu_thread *t, int ret)
{
	if (ret == -ETIMEDOUT)
		return "still starting";
	return vcpu_thread_state_name(vcpu_thread_state(t));
}

int vcpu_thread_inject(struct vcpu_thread *t, int what)
{
	int none = VCPU_NO_INJECT;

	if (!__atomic_compare_exchange_n(&t->inject, &none, what, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return -EBUSY;
	/* Out of KVM_RUN (a halted vCPU blocks there) to inject. */
	pthread_kill(t->thread, VCPU_KICK_SIGNAL);
	return 0;
}

void vcpu_thread_stop(struct vcpu_thread *t)
{
	if (!t->started)
		return;
	__atomic_store_n(&t->stop, true, __ATOMIC_RELEASE);
	t->vm->vcpu[t->id].run->immediate_exit = 1;
	pthread_kill(t->thread, VCPU_KICK_SIGNAL);
	pthread_join(t->thread, NULL);
	t->vm->vcpu[t->id].run->immediate_exit = 0;
	t->started = false;
}

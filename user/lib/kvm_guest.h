/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host side of 64-bit guests: the test binary is loaded into guest memory
 * at its own (non-PIE) addresses and identity-mapped, so a guest entry
 * point is just a function of the test. Functions return 0 or -errno.
 */
#ifndef IRQLENS_KVM_GUEST_H
#define IRQLENS_KVM_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "guest.h"
#include "kvm_vm.h"

/* Guest memory every long-mode VM gets: tables, stacks, the binary. */
#define KVM_GUEST_MEM_SIZE	(64UL << 20)

/* Host pointer to the guest's copy of a global of the test binary. */
#define guest_shared_ptr(vm, var) \
	((__typeof__(&(var)))((char *)(vm)->mem + (uintptr_t)&(var)))

/* Copy the binary in, build page tables, GDT, TSS and IDT. */
int __kvm_guest_prepare(struct kvm_vm *vm);

/* Put vCPU @id in 64-bit mode at @entry(arg) on its own stack. */
int __kvm_vcpu_setup_long_mode(struct kvm_vm *vm, unsigned int id,
			       void (*entry)(uint64_t), uint64_t arg);

/*
 * Run vCPU @id until the guest syncs. Returns the guest_sync value, or
 * -errno; -EINTR when a signal interrupted KVM_RUN (see kvm_guest_kick()).
 * Any other exit is -EPROTO with *@exit_reason set.
 */
int __kvm_guest_run(struct kvm_vm *vm, unsigned int id, uint32_t *exit_reason);

#endif

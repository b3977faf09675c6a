/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal KVM virtual machine: one memory slot, vCPUs, KVM_RUN. The
 * harness library grows long-mode guests and irqchips on top of this.
 * Functions return 0 or -errno.
 */
#ifndef IRQLENS_KVM_VM_H
#define IRQLENS_KVM_VM_H

#include <stddef.h>
#include <stdint.h>

#include <linux/kvm.h>

#define KVM_VM_MAX_VCPUS 8

struct kvm_vm {
	int kvm_fd;
	int vm_fd;
	void *mem;
	size_t mem_size;
	int run_size;
	unsigned int nr_vcpus;
	struct {
		int fd;
		struct kvm_run *run;
	} vcpu[KVM_VM_MAX_VCPUS];
};

/* -ENOENT when /dev/kvm does not exist (no kvm_amd/kvm_intel loaded). */
int __kvm_vm_create(struct kvm_vm *vm, size_t mem_size);
void kvm_vm_destroy(struct kvm_vm *vm);
int __kvm_vm_add_vcpu(struct kvm_vm *vm, unsigned int *id);
/* Put vCPU @id in real mode at guest physical address @rip (CS base 0). */
int __kvm_vcpu_setup_real_mode(struct kvm_vm *vm, unsigned int id, uint64_t rip);
int __kvm_vcpu_run(struct kvm_vm *vm, unsigned int id);

#endif

// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kvm_vm.h"

int __kvm_vm_create(struct kvm_vm *vm, size_t mem_size)
{
	struct kvm_userspace_memory_region region = { 0 };
	int ret;

	memset(vm, 0, sizeof(*vm));
	vm->vm_fd = -1;
	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0)
		return -errno;
	if (ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		ret = -EINVAL;
		goto err;
	}
	vm->run_size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (vm->run_size <= 0) {
		ret = -errno;
		goto err;
	}
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0) {
		ret = -errno;
		goto err;
	}
	vm->mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->mem == MAP_FAILED) {
		vm->mem = NULL;
		ret = -errno;
		goto err;
	}
	vm->mem_size = mem_size;
	region.memory_size = mem_size;
	region.userspace_addr = (uintptr_t)vm->mem;
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region)) {
		ret = -errno;
		goto err;
	}
	return 0;
err:
	kvm_vm_destroy(vm);
	return ret;
}

void kvm_vm_destroy(struct kvm_vm *vm)
{
	unsigned int i;

	for (i = 0; i < vm->nr_vcpus; i++) {
		munmap(vm->vcpu[i].run, vm->run_size);
		close(vm->vcpu[i].fd);
	}
	vm->nr_vcpus = 0;
	if (vm->mem)
		munmap(vm->mem, vm->mem_size);
	vm->mem = NULL;
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	vm->vm_fd = vm->kvm_fd = -1;
}

int __kvm_vm_add_vcpu(struct kvm_vm *vm, unsigned int *id)
{
	unsigned int i = vm->nr_vcpus;
	void *run;
	int fd;

	if (i >= KVM_VM_MAX_VCPUS)
		return -ENOSPC;
	fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, i);
	if (fd < 0)
		return -errno;
	run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (run == MAP_FAILED) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	vm->vcpu[i].fd = fd;
	vm->vcpu[i].run = run;
	vm->nr_vcpus++;
	*id = i;
	return 0;
}

int __kvm_vcpu_setup_real_mode(struct kvm_vm *vm, unsigned int id, uint64_t rip)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	int fd = vm->vcpu[id].fd;

	if (ioctl(fd, KVM_GET_SREGS, &sregs))
		return -errno;
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(fd, KVM_SET_SREGS, &sregs))
		return -errno;
	memset(&regs, 0, sizeof(regs));
	regs.rip = rip;
	regs.rflags = 0x2;	/* bit 1 is reserved and must be set */
	if (ioctl(fd, KVM_SET_REGS, &regs))
		return -errno;
	return 0;
}

int __kvm_vcpu_run(struct kvm_vm *vm, unsigned int id)
{
	int ret;

	do {
		ret = ioctl(vm->vcpu[id].fd, KVM_RUN, 0);
	} while (ret && errno == EINTR);
	return ret ? -errno : 0;
}

// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdint.h>
#include <sys/ioctl.h>

#include "kvm_vfio.h"

int __kvm_vfio_create(struct kvm_vm *vm, int *dev_fd)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_VFIO };

	if (ioctl(vm->vm_fd, KVM_CREATE_DEVICE, &cd))
		return -errno;
	*dev_fd = cd.fd;
	return 0;
}

/* KVM_DEV_VFIO_FILE is the older KVM_DEV_VFIO_GROUP, same value and ABI. */
static int file_attr(int dev_fd, uint64_t op, int vfio_fd)
{
	struct kvm_device_attr attr = {
		.group = KVM_DEV_VFIO_FILE,
		.attr = op,
		.addr = (uintptr_t)&vfio_fd,
	};

	return ioctl(dev_fd, KVM_SET_DEVICE_ATTR, &attr) ? -errno : 0;
}

int __kvm_vfio_add_file(int dev_fd, int vfio_fd)
{
	return file_attr(dev_fd, KVM_DEV_VFIO_FILE_ADD, vfio_fd);
}

int __kvm_vfio_del_file(int dev_fd, int vfio_fd)
{
	return file_attr(dev_fd, KVM_DEV_VFIO_FILE_DEL, vfio_fd);
}

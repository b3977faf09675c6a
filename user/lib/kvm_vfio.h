/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KVM's "kvm-vfio" pseudo device: tells KVM which VFIO files (a group fd,
 * or a device cdev fd on kernels with cdevs) the VM uses. Functions
 * return 0 or -errno.
 */
#ifndef IRQLENS_KVM_VFIO_H
#define IRQLENS_KVM_VFIO_H

#include "kvm_vm.h"

int __kvm_vfio_create(struct kvm_vm *vm, int *dev_fd);
int __kvm_vfio_add_file(int dev_fd, int vfio_fd);
int __kvm_vfio_del_file(int dev_fd, int vfio_fd);

#endif

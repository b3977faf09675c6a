/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reader of KVM's binary statistics (KVM_GET_STATS_FD on a VM or vCPU):
 * the header and descriptors are read once, values by name on demand.
 * Functions return 0 or -errno.
 */
#ifndef IRQLENS_KVM_STATS_H
#define IRQLENS_KVM_STATS_H

#include <stdint.h>

#include <linux/kvm.h>

struct kvm_stats {
	int fd;
	struct kvm_stats_header header;
	/* header.num_desc descriptors, each header.name_size bytes of name after it */
	void *descs;
	size_t desc_size;
};

/*
 * @fd: a VM or vCPU fd. KVM_GET_STATS_FD on a vCPU takes the vCPU's
 * mutex, so it waits while the vCPU is in KVM_RUN: open before running.
 * Reads of the stats fd do not wait.
 */
int __kvm_stats_open(struct kvm_stats *s, int fd);
void kvm_stats_close(struct kvm_stats *s);

/* First value of the statistic @name; -ENOENT when KVM has none such. */
int __kvm_stats_read(struct kvm_stats *s, const char *name, uint64_t *val);

#endif

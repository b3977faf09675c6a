// SPDX-License-Identifier: GPL-2.0
/*
 * KVM binary stats: a header, then descriptors (struct kvm_stats_desc
 * followed by a name of header.name_size bytes) at header.desc_offset,
 * then the values (u64 each) at header.data_offset + desc->offset.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kvm_stats.h"

static int read_exact(int fd, void *buf, size_t len, off_t off)
{
	ssize_t n = pread(fd, buf, len, off);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

int __kvm_stats_open(struct kvm_stats *s, int fd)
{
	int ret;

	memset(s, 0, sizeof(*s));
	s->fd = ioctl(fd, KVM_GET_STATS_FD, NULL);
	if (s->fd < 0)
		return -errno;
	ret = read_exact(s->fd, &s->header, sizeof(s->header), 0);
	if (ret)
		goto fail;
	s->desc_size = sizeof(struct kvm_stats_desc) + s->header.name_size;
	s->descs = calloc(s->header.num_desc, s->desc_size);
	ret = -ENOMEM;
	if (!s->descs)
		goto fail;
	ret = read_exact(s->fd, s->descs, s->header.num_desc * s->desc_size,
			 s->header.desc_offset);
	if (ret)
		goto fail;
	return 0;
fail:
	kvm_stats_close(s);
	return ret;
}

void kvm_stats_close(struct kvm_stats *s)
{
	free(s->descs);
	s->descs = NULL;
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

int __kvm_stats_read(struct kvm_stats *s, const char *name, uint64_t *val)
{
	struct kvm_stats_desc *d;
	uint32_t i;

	for (i = 0; i < s->header.num_desc; i++) {
		d = (struct kvm_stats_desc *)((char *)s->descs + i * s->desc_size);
		if (strncmp(d->name, name, s->header.name_size))
			continue;
		return read_exact(s->fd, val, sizeof(*val), s->header.data_offset + d->offset);
	}
	return -ENOENT;
}

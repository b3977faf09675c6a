// SPDX-License-Identifier: GPL-2.0
/*
 * KVM's re-injections from its kvm_exit tracepoint (kvm_exit_trace.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kvm_exit_trace.h"
#include "sysfs_util.h"

/* SVM EXITINTINFO (arch/x86/include/asm/svm.h). */
#define EXITINTINFO_VALID	(1U << 31)
#define EXITINTINFO_TYPE_MASK	(7U << 8)
#define EXITINTINFO_TYPE_INTR	(0U << 8)
#define EXITINTINFO_TYPE_NMI	(2U << 8)

static const char *const tracefs_roots[] = {
	"/sys/kernel/tracing",
	"/sys/kernel/debug/tracing",
};

#define fail(ret, ...) ({ snprintf(why, why_len, __VA_ARGS__); ret; })

static int instance_write(struct kvm_exit_trace *t, const char *file, const char *val)
{
	char path[160];

	snprintf(path, sizeof(path), "%s/%s", t->dir, file);
	return sysfs_write(path, val);
}

int __kvm_exit_trace_start(struct kvm_exit_trace *t, char *why, size_t why_len)
{
	char path[160];
	unsigned int i;
	int ret;

	memset(t, 0, sizeof(*t));
	t->pipe_fd = -1;
	for (i = 0; i < 2 && !t->dir[0]; i++) {
		snprintf(path, sizeof(path), "%s/instances", tracefs_roots[i]);
		if (!access(path, F_OK))
			snprintf(t->dir, sizeof(t->dir), "%s/instances/irqlens-%d",
				 tracefs_roots[i], (int)getpid());
	}
	if (!t->dir[0])
		return fail(-ENOENT, "no tracefs instances directory (tracefs not mounted?)");
	if (mkdir(t->dir, 0700) && errno != EEXIST)
		return fail(-errno, "mkdir %s: %s", t->dir, strerror(errno));
	/* Only exits that interrupted an event's delivery: few of them. */
	ret = instance_write(t, "events/kvm/kvm_exit/filter", "intr_info & 0x80000000");
	if (!ret)
		ret = instance_write(t, "events/kvm/kvm_exit/enable", "1");
	if (ret) {
		kvm_exit_trace_stop(t);
		return fail(ret, "enabling kvm:kvm_exit in a tracefs instance: %s", strerror(-ret));
	}
	snprintf(path, sizeof(path), "%s/trace_pipe", t->dir);
	t->pipe_fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (t->pipe_fd < 0) {
		ret = -errno;
		kvm_exit_trace_stop(t);
		return fail(ret, "open %s: %s", path, strerror(-ret));
	}
	return 0;
}

void kvm_exit_trace_stop(struct kvm_exit_trace *t)
{
	/* A zeroed struct never started: its pipe_fd 0 is not ours. */
	if (!t->dir[0])
		return;
	if (t->pipe_fd >= 0)
		close(t->pipe_fd);
	t->pipe_fd = -1;
	instance_write(t, "events/kvm/kvm_exit/enable", "0");
	rmdir(t->dir);
	t->dir[0] = 0;
}

/* One kvm_exit line: which vCPU, and which kind of event it re-queues. */
static void count_line(const char *line, uint64_t *irqs, uint64_t *nmis)
{
	const char *p = strstr(line, "kvm_exit: vcpu ");
	unsigned int vcpu, info;

	if (!p || sscanf(p, "kvm_exit: vcpu %u", &vcpu) != 1 || vcpu >= KVM_EXIT_TRACE_MAX_VCPUS)
		return;
	p = strstr(p, " intr_info 0x");
	if (!p || sscanf(p, " intr_info 0x%x", &info) != 1 || !(info & EXITINTINFO_VALID))
		return;
	if ((info & EXITINTINFO_TYPE_MASK) == EXITINTINFO_TYPE_INTR)
		irqs[vcpu]++;
	else if ((info & EXITINTINFO_TYPE_MASK) == EXITINTINFO_TYPE_NMI)
		nmis[vcpu]++;
}

int __kvm_exit_trace_reinjections(struct kvm_exit_trace *t, uint64_t *irqs, uint64_t *nmis)
{
	char *nl, *line;
	ssize_t n;

	for (;;) {
		n = read(t->pipe_fd, t->buf + t->len, sizeof(t->buf) - 1 - t->len);
		if (n < 0)
			return errno == EAGAIN ? 0 : -errno;
		if (!n)
			return 0;
		t->len += n;
		t->buf[t->len] = 0;
		line = t->buf;
		while ((nl = strchr(line, '\n'))) {
			*nl = 0;
			count_line(line, irqs, nmis);
			line = nl + 1;
		}
		t->len -= line - t->buf;
		memmove(t->buf, line, t->len);
		/* A line longer than the buffer cannot be ours: drop it. */
		if (t->len == sizeof(t->buf) - 1)
			t->len = 0;
	}
}

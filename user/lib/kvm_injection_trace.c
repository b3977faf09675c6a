// SPDX-License-Identifier: GPL-2.0
/*
 * KVM's own injections from its tracepoints (kvm_injection_trace.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kvm_injection_trace.h"
#include "sysfs_util.h"

#define APIC_DM_NMI_VALUE	1024	/* APIC_DM_NMI, as the event's dm field */

static const char *const tracefs_roots[] = {
	"/sys/kernel/tracing",
	"/sys/kernel/debug/tracing",
};

#define fail(ret, ...) ({ snprintf(why, why_len, __VA_ARGS__); ret; })

static int instance_write(struct kvm_injection_trace *t, const char *file, const char *val)
{
	char path[160];

	snprintf(path, sizeof(path), "%s/%s", t->dir, file);
	return sysfs_write(path, val);
}

int __kvm_injection_trace_start(struct kvm_injection_trace *t, char *why, size_t why_len)
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
	/* A test killed before its teardown leaves its instance: take it over. */
	if (mkdir(t->dir, 0700) && errno != EEXIST) {
		ret = -errno;
		t->dir[0] = 0;
		return fail(ret, "mkdir %s/..: %s", path, strerror(-ret));
	}
	ret = instance_write(t, "events/kvm/kvm_apic_accept_irq/filter", "dm == 1024");
	if (!ret)
		ret = instance_write(t, "events/kvm/kvm_apic_accept_irq/enable", "1");
	if (!ret)
		ret = instance_write(t, "events/kvm/kvm_inj_virq/enable", "1");
	if (ret) {
		kvm_injection_trace_stop(t);
		return fail(ret, "enabling kvm_inj_virq and kvm_apic_accept_irq: %s",
			    strerror(-ret));
	}
	snprintf(path, sizeof(path), "%s/trace_pipe", t->dir);
	t->pipe_fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (t->pipe_fd < 0) {
		ret = -errno;
		kvm_injection_trace_stop(t);
		return fail(ret, "opening the instance's trace_pipe: %s", strerror(-ret));
	}
	return 0;
}

void kvm_injection_trace_stop(struct kvm_injection_trace *t)
{
	/* A zeroed struct never started: its pipe_fd 0 is not ours. */
	if (!t->dir[0])
		return;
	if (t->pipe_fd >= 0)
		close(t->pipe_fd);
	t->pipe_fd = -1;
	instance_write(t, "events/kvm/kvm_inj_virq/enable", "0");
	instance_write(t, "events/kvm/kvm_apic_accept_irq/enable", "0");
	rmdir(t->dir);
	t->dir[0] = 0;
}

/*
 * One line: "kvm_inj_virq: IRQ 0x41" (fresh), "... [reinjected]" or
 * "Soft/INTn ..." (not counted); "kvm_apic_accept_irq: apicid 1 vec 2
 * (NMI|edge)" (the filter lets only NMIs through; the text is checked too).
 */
static void count_line(const char *line, struct kvm_injection_counts *c)
{
	unsigned int vector, vcpu;
	const char *p;

	p = strstr(line, "kvm_inj_virq: IRQ 0x");
	if (p) {
		if (sscanf(p, "kvm_inj_virq: IRQ 0x%x", &vector) == 1 && vector < 256 &&
		    !strstr(p, "[reinjected]"))
			c->fresh_irqs[vector]++;
		return;
	}
	p = strstr(line, "kvm_apic_accept_irq: apicid ");
	if (p && strstr(p, "(NMI|") &&
	    sscanf(p, "kvm_apic_accept_irq: apicid %x", &vcpu) == 1 && vcpu < KVM_TRACE_MAX_VCPUS)
		c->accepted_nmis[vcpu]++;
}

int __kvm_injection_trace_read(struct kvm_injection_trace *t, struct kvm_injection_counts *c)
{
	struct kvm_injection_counts dropped = { 0 };
	char *nl, *line;
	ssize_t n;

	if (!c)
		c = &dropped;
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
			count_line(line, c);
			line = nl + 1;
		}
		t->len -= line - t->buf;
		memmove(t->buf, line, t->len);
		/* A line longer than the buffer cannot be ours: drop it. */
		if (t->len == sizeof(t->buf) - 1)
			t->len = 0;
	}
}

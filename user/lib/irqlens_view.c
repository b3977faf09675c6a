// SPDX-License-Identifier: GPL-2.0
/*
 * Reading irqlens.ko's debugfs files (irqlens_view.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "irqlens/reason_texts.h"
#include "irqlens_view.h"
#include "kernel_compat.h"
#include "kmod_util.h"

int __irqlens_view_require_module(char *why, size_t why_len)
{
	const char *ko;
	int ret;

	if (irqlens_module_loaded())
		return 0;
	ko = irqlens_ko_path(why, why_len);
	if (!ko)
		return -ENOENT;
	ret = __irqlens_module_load(ko, NULL);
	if (ret && ret != -EEXIST) {
		snprintf(why, why_len, "loading %s: %s", ko, strerror(-ret));
		return ret;
	}
	return 0;
}

/* One size-first query ioctl on one of irqlens.ko's debugfs files. */
static int query(const char *file, unsigned long cmd, void *q)
{
	char path[128];
	int fd, ret = 0;

	snprintf(path, sizeof(path), IRQLENS_DEBUGFS "/%s", file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, cmd, q))
		ret = -errno;
	close(fd);
	return ret;
}

int __irqlens_view_read(struct irqlens_view *v)
{
	int ret;

	memset(&v->q, 0, sizeof(v->q));
	v->q.size = sizeof(v->q);
	v->q.link_size = sizeof(v->links[0]);
	v->q.nr_links = IRQLENS_VIEW_MAX_LINKS;
	v->q.links = (uintptr_t)v->links;
	ret = query("bypass", IRQLENS_IOC_BYPASS_LINKS, &v->q);
	v->nr = ret ? 0 : v->q.nr_links;
	return ret;
}

int __irqlens_window_read(struct irqlens_window_view *v)
{
	int ret;

	memset(&v->q, 0, sizeof(v->q));
	v->q.size = sizeof(v->q);
	v->q.vcpu_size = sizeof(v->vcpus[0]);
	v->q.nr_vcpus = IRQLENS_VIEW_MAX_VCPUS;
	v->q.vcpus = (uintptr_t)v->vcpus;
	ret = query("window", IRQLENS_IOC_WINDOW_VCPUS, &v->q);
	v->nr = ret ? 0 : v->q.nr_vcpus;
	return ret;
}

const struct irqlens_window_vcpu *irqlens_window_vcpu(const struct irqlens_window_view *v,
						      unsigned int pid, unsigned int vcpu_id)
{
	unsigned int i;

	for (i = 0; i < v->nr; i++)
		if (v->vcpus[i].pid == pid && v->vcpus[i].vcpu_id == vcpu_id)
			return &v->vcpus[i];
	return NULL;
}

const struct irqlens_bypass_link *irqlens_view_link_by_irq(const struct irqlens_view *v,
							     unsigned int host_irq)
{
	unsigned int i;

	for (i = 0; i < v->nr; i++)
		if ((v->links[i].flags & IRQLENS_LINK_PRODUCER) &&
		    v->links[i].host_irq == host_irq)
			return &v->links[i];
	return NULL;
}

const char *irqlens_mode_name(uint32_t mode)
{
	static const char *const names[] = {
		[IRQLENS_MODE_UNKNOWN] = "unknown",
		[IRQLENS_MODE_REMAPPED] = "remapped",
		[IRQLENS_MODE_POSTED] = "posted",
		[IRQLENS_MODE_DIRECT] = "direct",
	};

	return mode < sizeof(names) / sizeof(names[0]) ? names[mode] : "?";
}

const char *irqlens_iommu_name(uint32_t remap)
{
	static const char *const names[] = {
		[IRQLENS_IOMMU_NONE] = "none",
		[IRQLENS_IOMMU_INTEL] = "intel-ir",
		[IRQLENS_IOMMU_AMD] = "amd-ir",
	};

	return remap < sizeof(names) / sizeof(names[0]) ? names[remap] : "?";
}

/* Short forms of the module's texts (module/bypass_state.c). */
const char *irqlens_reason_text(uint32_t reason)
{
	static const char *const texts[] = IRQLENS_REASON_TEXTS;

	return reason < sizeof(texts) / sizeof(texts[0]) ? texts[reason] : "?";
}

bool kvm_apic_virtualization_on(void)
{
	static const char *const params[] = {
		KVM_PARAM_AMD_AVIC,
		KVM_PARAM_INTEL_APICV,
	};
	unsigned int i;
	char c;
	FILE *f;

	for (i = 0; i < 2; i++) {
		f = fopen(params[i], "re");
		if (!f)
			continue;
		if (fread(&c, 1, 1, f) != 1)
			c = 'N';
		fclose(f);
		if (c == 'Y' || c == '1')
			return true;
	}
	return false;
}

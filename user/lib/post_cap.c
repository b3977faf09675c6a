// SPDX-License-Identifier: GPL-2.0
/*
 * The host's posting capability from the kernel's own files (post_cap.h).
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel_compat.h"
#include "post_cap.h"
#include "sysfs_util.h"

#define IOMMU_CLASS		"/sys/class/iommu"
#define VTD_CAP_PI		(1ULL << 59)	/* cap_pi_support() */
#define AMD_FEATURE_GA		(1ULL << 7)
#define AMD_FEATURE_GAM_VAPIC	(1ULL << 21)

#define fail(ret, ...) ({ snprintf(why, why_len, __VA_ARGS__); ret; })

/* A hex register from sysfs ("%llx", AMD's "%llx:%llx" gives the first). */
static int read_hex(const char *path, uint64_t *val, char *why, size_t why_len)
{
	char buf[64], *end;
	int ret = sysfs_read(path, buf, sizeof(buf));

	if (ret)
		return fail(ret, "cannot read %s: %s", path, strerror(-ret));
	errno = 0;
	*val = strtoull(buf, &end, 16);
	if (errno || end == buf || (*end && *end != ':'))
		return fail(-EINVAL, "%s holds '%s', not a hex register", path, buf);
	return 0;
}

/*
 * Y/N (or 1/0) of a module parameter into @on; -ENOENT when the file does
 * not exist, -EINVAL when it holds anything else.
 */
static int read_bool_param(const char *path, bool *on, char *why, size_t why_len)
{
	char buf[16];
	int ret;

	if (access(path, F_OK))
		return -ENOENT;
	ret = sysfs_read(path, buf, sizeof(buf));
	if (ret)
		return fail(ret, "cannot read %s: %s", path, strerror(-ret));
	if (!strcmp(buf, "Y") || !strcmp(buf, "1"))
		*on = true;
	else if (!strcmp(buf, "N") || !strcmp(buf, "0"))
		*on = false;
	else
		return fail(-EINVAL, "%s holds '%s', not Y/N", path, buf);
	return 0;
}

/*
 * Does the kernel command line turn interrupt remapping or posting off?
 * The kernel reads "intremap=" as a comma list (off, nopost, ...; see
 * drivers/iommu/irq_remapping.c) and "nointremap" alone; AMD-Vi also
 * takes "amd_iommu_intr=legacy" / "legacy_ga" (no vAPIC mode, no posting).
 * @off names the option when one does.
 */
static int cmdline_stops_posting(const char **off, char *why, size_t why_len)
{
	static const char *const words[] = { "off", "nopost" };
	char line[4096], *tok, *save = NULL, *val, *item, *isave;
	FILE *f = fopen("/proc/cmdline", "re");
	unsigned int i;

	if (!f)
		return fail(-errno, "cannot open /proc/cmdline: %s", strerror(errno));
	*off = NULL;
	if (!fgets(line, sizeof(line), f))
		line[0] = 0;
	fclose(f);
	for (tok = strtok_r(line, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save)) {
		if (!strcmp(tok, "nointremap"))
			*off = "nointremap";
		else if (!strncmp(tok, "amd_iommu_intr=legacy", 21))
			*off = "amd_iommu_intr=legacy*";
		if (strncmp(tok, "intremap=", 9))
			continue;
		val = tok + 9;
		for (item = strtok_r(val, ",", &isave); item; item = strtok_r(NULL, ",", &isave))
			for (i = 0; i < 2; i++)
				if (!strcmp(item, words[i]))
					*off = i ? "intremap=...,nopost" : "intremap=...,off";
	}
	return 0;
}

static int cpu_has_cx16(bool *has, char *why, size_t why_len)
{
	char line[8192];
	FILE *f = fopen("/proc/cpuinfo", "re");

	if (!f)
		return fail(-errno, "cannot open /proc/cpuinfo: %s", strerror(errno));
	*has = false;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "flags", 5)) {
			*has = strstr(line, " cx16") != NULL;
			break;
		}
	fclose(f);
	return 0;
}

/*
 * Can every IOMMU of one kind post? @kind "dmar" or "ivhd"; @nr counts
 * the units found, @all_post says whether each one can.
 */
static int iommu_units_post(const char *kind, unsigned int *nr, bool *all_post,
			    char *why, size_t why_len)
{
	const char *file = strcmp(kind, "dmar") ? "amd-iommu/features" : "intel-iommu/cap";
	uint64_t want = strcmp(kind, "dmar") ? AMD_FEATURE_GA | AMD_FEATURE_GAM_VAPIC : VTD_CAP_PI;
	char path[128];
	struct dirent *e;
	uint64_t reg;
	int ret = 0;
	DIR *d;

	*nr = 0;
	*all_post = true;
	d = opendir(IOMMU_CLASS);
	if (!d)
		return errno == ENOENT ? 0 : fail(-errno, "cannot open " IOMMU_CLASS ": %s",
						  strerror(errno));
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, kind, strlen(kind)))
			continue;
		/* Unit names are short ("dmar0", "ivhd0"); anything else is not one. */
		if (snprintf(path, sizeof(path), IOMMU_CLASS "/%.16s/%s", e->d_name, file) >=
		    (int)sizeof(path))
			continue;
		ret = read_hex(path, &reg, why, why_len);
		if (ret)
			break;
		(*nr)++;
		if ((reg & want) != want)
			*all_post = false;
	}
	closedir(d);
	return ret;
}

/* The IOMMU half: @can and, when not, why. */
static int iommu_can_post(bool *can, char *why, size_t why_len)
{
	unsigned int nr_vtd, nr_amd;
	bool vtd_post, amd_post, cx16;
	const char *off = NULL;
	int ret;

	*can = false;
	ret = iommu_units_post("dmar", &nr_vtd, &vtd_post, why, why_len);
	if (!ret)
		ret = iommu_units_post("ivhd", &nr_amd, &amd_post, why, why_len);
	if (!ret)
		ret = cmdline_stops_posting(&off, why, why_len);
	if (ret)
		return ret;
	if (nr_vtd) {
		if (!vtd_post)
			return fail(0, "the VT-d unit has no posted-interrupt capability (cap bit 59)");
		ret = cpu_has_cx16(&cx16, why, why_len);
		if (ret)
			return ret;
		if (!cx16)
			return fail(0, "the CPU has no cx16, which VT-d posting needs");
	} else if (nr_amd) {
		if (!amd_post)
			return fail(0, "the AMD-Vi unit lacks GA or GAM_VAPIC (extended features bits 7, 21)");
	} else {
		return fail(0, "no IOMMU in " IOMMU_CLASS);
	}
	if (off)
		return fail(0, "%s on the kernel command line", off);
	*can = true;
	return 0;
}

/* The KVM half: APICv/AVIC, and device posting where KVM has the switch. */
static int kvm_will_post(bool *will, char *why, size_t why_len)
{
	static const char *const apic_params[] = {
		KVM_PARAM_INTEL_APICV,
		KVM_PARAM_AMD_AVIC,
	};
	const char *dev_param = KVM_PARAM_DEVICE_POSTED_IRQS;
	bool on, found = false;
	unsigned int i;
	int ret;

	*will = false;
	for (i = 0; i < 2; i++) {
		ret = read_bool_param(apic_params[i], &on, why, why_len);
		if (ret == -ENOENT)
			continue;
		if (ret)
			return ret;
		found = true;
		if (!on)
			return fail(0, "APICv/AVIC is off (%s is N)", apic_params[i]);
	}
	if (!found)
		return fail(-ENOENT, "neither kvm_intel nor kvm_amd is loaded (no %s, no %s)",
			    apic_params[0], apic_params[1]);
	ret = read_bool_param(dev_param, &on, why, why_len);
	if (ret && ret != -ENOENT)
		return ret;
	if (!ret && !on)
		return fail(0, "%s is N", dev_param);
	*will = true;
	return 0;
}

int __post_cap_probe(enum post_cap *cap, char *why, size_t why_len)
{
	char reason[512];
	bool can, will;
	int ret;

	*why = 0;
	ret = iommu_can_post(&can, reason, sizeof(reason));
	if (ret)
		return fail(ret, "%s", reason);
	if (!can) {
		*cap = POST_CAP_NO_IOMMU;
		return fail(0, "KVM cannot post: %s", reason);
	}
	ret = kvm_will_post(&will, reason, sizeof(reason));
	if (ret)
		return fail(ret, "%s", reason);
	if (!will) {
		*cap = POST_CAP_NO_KVM;
		return fail(0, "KVM will not post: %s", reason);
	}
	*cap = POST_CAP_YES;
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * bench_bypass: what irqlens.ko costs interrupt delivery. Not a test: it
 * prints numbers and passes no judgement.
 *
 * On the bypass rig (bypass_rig.h: a spinning guest, a VFIO device whose
 * vectors are KVM irqfds) it sends interrupts one at a time by each path
 * (eventfd write, VFIO emulated trigger, device MSI) and times each from
 * the send to the guest's handler counting it. Rounds alternate irqlens.ko
 * unloaded and loaded (the order flips every round, so drift hits both
 * alike). Per path and state it prints the delivery rate and latency
 * percentiles over all rounds, then the overhead: how much lower the rate
 * is with irqlens.ko loaded.
 *
 *   bench_bypass -d BDF [-n sends per round and path] [-r rounds]
 *
 * Needs root, /dev/kvm, a device with an irqlens driver, and irqlens.ko
 * (IRQLENS_KO or the build tree); it leaves irqlens.ko as it found it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/bypass_rig.h"
#include "lib/clock.h"
#include "lib/kmod_util.h"
#include "lib/kvm_guest.h"
#include "lib/pci_bdf.h"
#include "lib/vfio_dev.h"
#include "lib/vfio_driver.h"
#include "lib/vfio_pci_bind.h"

#define DELIVERY_NS	(2ULL * 1000 * 1000 * 1000)

struct samples {
	double *ns;
	unsigned int nr;
	double busy_s;		/* time spent sending and waiting */
};

/* One interrupt on vector 0, spin until the guest counted it: its latency. */
static int timed_send(struct bypass_rig *r, enum rig_send_path path, double *ns)
{
	uint64_t *count = &r->counts[0].vector[r->route[0].vector];
	uint64_t before = __atomic_load_n(count, __ATOMIC_ACQUIRE);
	uint64_t t0 = monotonic_ns(), t;
	int ret;

	ret = __bypass_rig_send(r, path, 0);
	if (ret)
		return ret;
	do {
		t = monotonic_ns();
		if (t - t0 > DELIVERY_NS)
			return -ETIMEDOUT;
	} while (__atomic_load_n(count, __ATOMIC_ACQUIRE) == before);
	*ns = t - t0;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double pct(const struct samples *s, double p)
{
	unsigned int i = (unsigned int)(p / 100.0 * (s->nr - 1) + 0.5);

	return s->ns[i];
}

static int set_module(bool loaded)
{
	char why[256];
	const char *ko;

	if (loaded == irqlens_module_loaded())
		return 0;
	if (!loaded)
		return __irqlens_module_unload();
	ko = irqlens_ko_path(why, sizeof(why));
	if (!ko) {
		fprintf(stderr, "bench_bypass: %s\n", why);
		return -ENOENT;
	}
	return __irqlens_module_load(ko, NULL);
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_bypass -d <segment:bus:device.function> [-n sends] [-r rounds]\n");
}

int main(int argc, char **argv)
{
	static const char *const state_names[] = { "unloaded", "loaded" };
	struct samples s[RIG_NR_PATHS][2] = { 0 };
	unsigned int n = 2000, rounds = 6, round, i;
	bool was_loaded = irqlens_module_loaded();
	const struct vfio_driver *drv;
	uint16_t vendor, device;
	struct bypass_rig rig;
	const char *bdf;
	char why[256];
	int opt, ret, p, st, status = 1;

	bdf = pci_bdf_from_args(&argc, argv, NULL);
	while ((opt = getopt(argc, argv, "n:r:h")) != -1) {
		switch (opt) {
		case 'n':
			n = strtoul(optarg, NULL, 0);
			break;
		case 'r':
			rounds = strtoul(optarg, NULL, 0);
			break;
		default:
			usage();
			return opt == 'h' ? 0 : 2;
		}
	}
	if (!bdf || !n || !rounds || optind != argc) {
		fprintf(stderr, "bench_bypass: %s\n", !bdf ? "no device given (-d or IRQLENS_DEVICE)" :
			"-n and -r take positive numbers, and nothing else is taken");
		usage();
		return 2;
	}
	if (vfio_dev_check(bdf, why, sizeof(why)) || pci_device_ids(bdf, &vendor, &device) ||
	    !(drv = vfio_driver_find(vendor, device))) {
		fprintf(stderr, "bench_bypass: %s: %s\n", bdf, *why ? why : "no irqlens driver for it");
		return 2;
	}
	for (p = 0; p < RIG_NR_PATHS; p++)
		for (st = 0; st < 2; st++) {
			s[p][st].ns = calloc((size_t)n * rounds, sizeof(double));
			if (!s[p][st].ns)
				return 1;
		}

	bypass_rig_init(&rig);
	ret = __kvm_vm_create(&rig.vm, KVM_GUEST_MEM_SIZE);
	if (!ret)
		ret = __bypass_rig_start_guest(&rig, KVM_IRQCHIP_FULL, false, false, why, sizeof(why));
	else
		snprintf(why, sizeof(why), "creating a VM: %s", strerror(-ret));
	if (!ret)
		ret = __bypass_rig_start_device(&rig, bdf, drv, why, sizeof(why));
	if (ret) {
		fprintf(stderr, "bench_bypass: %s\n", why);
		goto out;
	}

	for (round = 0; round < rounds; round++) {
		for (i = 0; i < 2; i++) {
			st = (round + i) % 2;	/* unloaded first on even rounds */
			ret = set_module(st);
			if (ret) {
				fprintf(stderr, "bench_bypass: %s irqlens.ko: %s\n",
					st ? "loading" : "unloading", strerror(-ret));
				goto out;
			}
			for (p = 0; p < RIG_NR_PATHS; p++) {
				struct samples *sp = &s[p][st];
				uint64_t t0 = monotonic_ns();

				for (unsigned int k = 0; k < n; k++) {
					ret = timed_send(&rig, p, &sp->ns[sp->nr]);
					if (ret) {
						fprintf(stderr, "bench_bypass: %s: %s\n",
							rig_path_name(p), strerror(-ret));
						goto out;
					}
					sp->nr++;
				}
				sp->busy_s += (monotonic_ns() - t0) / 1e9;
			}
		}
	}

	printf("bench_bypass: %s (%s), %u rounds x %u interrupts per path and state\n",
	       bdf, drv->name, rounds, n);
	printf("%-22s %-9s %12s %10s %10s %10s %10s\n", "path", "irqlens", "irqs/s",
	       "p50 us", "p90 us", "p99 us", "max us");
	for (p = 0; p < RIG_NR_PATHS; p++) {
		for (st = 0; st < 2; st++) {
			struct samples *sp = &s[p][st];

			qsort(sp->ns, sp->nr, sizeof(double), cmp_double);
			printf("%-22s %-9s %12.0f %10.1f %10.1f %10.1f %10.1f\n", rig_path_name(p),
			       state_names[st], sp->nr / sp->busy_s, pct(sp, 50) / 1e3,
			       pct(sp, 90) / 1e3, pct(sp, 99) / 1e3, sp->ns[sp->nr - 1] / 1e3);
		}
	}
	for (p = 0; p < RIG_NR_PATHS; p++) {
		double off = s[p][0].nr / s[p][0].busy_s, on = s[p][1].nr / s[p][1].busy_s;

		printf("overhead %-22s rate loaded/unloaded %.3f (%+.1f%%), p50 latency %+.1f%%\n",
		       rig_path_name(p), on / off, (off - on) / off * 100.0,
		       (pct(&s[p][1], 50) - pct(&s[p][0], 50)) / pct(&s[p][0], 50) * 100.0);
	}
	status = 0;
out:
	bypass_rig_stop(&rig);
	__vfio_dev_close(&rig.dev);
	if (set_module(was_loaded))
		fprintf(stderr, "bench_bypass: could not put irqlens.ko back as it was\n");
	return status;
}

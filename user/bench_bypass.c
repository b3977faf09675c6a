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

/*
 * Generous, as test_vfio_bypass's: in the test bed the nested guest runs
 * only while the host runs QEMU, and a loaded host stalled deliveries past
 * 2 s with nothing wrong. The slowest send is printed ("max us").
 */
#define DELIVERY_NS	(10ULL * 1000 * 1000 * 1000)

struct samples {
	double *ns;
	unsigned int nr;
	double busy_s;		/* time spent sending and waiting */
	uint64_t extra;		/* deliveries beyond one per send */
};

/* The guest's count on the benchmark's vector, and what it should be. */
struct delivery {
	uint64_t *count;
	uint64_t expected;	/* 0 before the first send */
};

/*
 * One interrupt on vector 0, spin until the guest counted it: its latency.
 * The count is read after the clock, so a host stall between the two
 * cannot time out a send that arrived during it. A count that moved on
 * by more than the sends (the emulator's duplicates, testbed.rst) is
 * added to @sp->extra: such a send's latency may be too low.
 */
static int timed_send(struct bypass_rig *r, enum rig_send_path path, struct delivery *d,
		      struct samples *sp)
{
	uint64_t before = __atomic_load_n(d->count, __ATOMIC_ACQUIRE);
	uint64_t t0 = monotonic_ns(), t;
	int ret;

	if (d->expected && before > d->expected)
		sp->extra += before - d->expected;
	d->expected = before + 1;
	ret = __bypass_rig_send(r, path, 0);
	if (ret)
		return ret;
	for (;;) {
		t = monotonic_ns();
		if (__atomic_load_n(d->count, __ATOMIC_ACQUIRE) != before)
			break;
		if (t - t0 > DELIVERY_NS)
			return -ETIMEDOUT;
	}
	sp->ns[sp->nr++] = t - t0;
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
	struct delivery d = { 0 };
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
	d.count = &rig.counts[0].vector[rig.route[0].vector];

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
					ret = timed_send(&rig, p, &d, sp);
					if (ret == -ETIMEDOUT) {
						fprintf(stderr, "bench_bypass: %s, irqlens.ko %s: send %u of round %u not delivered within %llu s\n",
							rig_path_name(p), state_names[st], k + 1,
							round + 1, DELIVERY_NS / 1000000000ULL);
						goto out;
					}
					if (ret) {
						fprintf(stderr, "bench_bypass: %s: %s\n",
							rig_path_name(p), strerror(-ret));
						goto out;
					}
				}
				sp->busy_s += (monotonic_ns() - t0) / 1e9;
			}
		}
	}

	printf("bench_bypass: %s (%s), %u rounds x %u interrupts per path and state\n",
	       bdf, drv->name, rounds, n);
	printf("%-22s %-9s %12s %10s %10s %10s %10s %8s\n", "path", "irqlens", "irqs/s",
	       "p50 us", "p90 us", "p99 us", "max us", "extra");
	for (p = 0; p < RIG_NR_PATHS; p++) {
		for (st = 0; st < 2; st++) {
			struct samples *sp = &s[p][st];

			qsort(sp->ns, sp->nr, sizeof(double), cmp_double);
			printf("%-22s %-9s %12.0f %10.1f %10.1f %10.1f %10.1f %8llu\n",
			       rig_path_name(p), state_names[st], sp->nr / sp->busy_s,
			       pct(sp, 50) / 1e3, pct(sp, 90) / 1e3, pct(sp, 99) / 1e3,
			       sp->ns[sp->nr - 1] / 1e3, (unsigned long long)sp->extra);
		}
	}
	for (p = 0; p < RIG_NR_PATHS; p++) {
		double off = s[p][0].nr / s[p][0].busy_s, on = s[p][1].nr / s[p][1].busy_s;

		printf("overhead %-22s rate loaded/unloaded %.3f (%+.1f%%), p50 latency %+.1f%%\n",
		       rig_path_name(p), on / off, (off - on) / off * 100.0,
		       (pct(&s[p][1], 50) - pct(&s[p][0], 50)) / pct(&s[p][0], 50) * 100.0);
	}
	printf("max us: the slowest send; extra: deliveries beyond one per send (the emulator's duplicates, testbed.rst): a send overlapped by one may be timed short\n");
	status = 0;
out:
	bypass_rig_stop(&rig);
	__vfio_dev_close(&rig.dev);
	if (set_module(was_loaded))
		fprintf(stderr, "bench_bypass: could not put irqlens.ko back as it was\n");
	return status;
}

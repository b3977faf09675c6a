// SPDX-License-Identifier: GPL-2.0
/*
 * Emulator duplicates, proven or refused (emulator_dups.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emulator_dups.h"
#include "guest.h"
#include "irqlens_view.h"

void emulator_dups_init(struct emulator_dups *d, unsigned int nr_vcpus)
{
	const char *bed = getenv("IRQLENS_BED"), *accel = getenv("IRQLENS_BED_ACCEL");
	char why[120];

	emulator_dups_stop(d);
	memset(d, 0, sizeof(*d));
	d->trace.pipe_fd = -1;
	d->nr_vcpus = nr_vcpus;
	if (!bed || strcmp(bed, "1"))
		snprintf(d->no_tolerance_why, sizeof(d->no_tolerance_why),
			 "not in the test bed (IRQLENS_BED=1)");
	else if (accel && !strcmp(accel, "tcg"))
		/* Enabling tracepoints patches live text: multi-threaded TCG races on it. */
		snprintf(d->no_tolerance_why, sizeof(d->no_tolerance_why),
			 "multi-threaded TCG: KVM's tracepoints stay off (testbed.rst)");
	else if (kvm_apic_virtualization_on())
		snprintf(d->no_tolerance_why, sizeof(d->no_tolerance_why),
			 "APICv/AVIC delivers without traced injections");
	else if (nr_vcpus > KVM_TRACE_MAX_VCPUS)
		snprintf(d->no_tolerance_why, sizeof(d->no_tolerance_why),
			 "more than %d vCPUs", KVM_TRACE_MAX_VCPUS);
	else if (__kvm_injection_trace_start(&d->trace, why, sizeof(why)))
		snprintf(d->no_tolerance_why, sizeof(d->no_tolerance_why), "%s", why);
	else
		d->allowed = true;
}

void emulator_dups_stop(struct emulator_dups *d)
{
	kvm_injection_trace_stop(&d->trace);
}

int __emulator_dups_begin(struct emulator_dups *d)
{
	d->fresh_irqs = d->accepted_nmis = 0;
	return d->allowed ? __kvm_injection_trace_read(&d->trace, NULL) : 0;
}

int __emulator_dups_peek(struct emulator_dups *d, struct kvm_injection_counts *w)
{
	return d->allowed ? __kvm_injection_trace_read(&d->trace, w) : 0;
}

int __emulator_dups_window(struct emulator_dups *d, struct kvm_injection_counts *w)
{
	unsigned int c, v;
	int ret;

	ret = __emulator_dups_peek(d, w);
	if (ret || !d->allowed)
		return ret;
	for (v = 0; v < 256; v++)
		d->fresh_irqs += w->fresh_irqs[v];
	for (c = 0; c < KVM_TRACE_MAX_VCPUS; c++)
		d->accepted_nmis += w->accepted_nmis[c];
	return 0;
}

void emulator_dups_accepted_by_ioctl(struct emulator_dups *d, struct kvm_injection_counts *w,
				     const struct dup_send *s)
{
	if (!d->allowed || s->vcpu >= KVM_TRACE_MAX_VCPUS || s->vector > 255)
		return;
	if (s->nmi) {
		w->accepted_nmis[s->vcpu]++;
		d->accepted_nmis++;
	} else {
		w->fresh_irqs[s->vector]++;
		d->fresh_irqs++;
	}
	d->accepted_by_ioctl++;
}

/*
 * What KVM did in the window for (vCPU @c, vector @v), and what the send
 * asked of it there: an IRQ is proven by fresh injections of its vector
 * (kvm_inj_virq carries no vCPU, so all vCPUs' count against the one
 * send), an NMI by its APIC accepting it.
 */
static void kvm_did(const struct dup_send *s, const struct kvm_injection_counts *w,
		    unsigned int c, unsigned int v, bool nmi_vector,
		    uint64_t *kvm, uint64_t *sent)
{
	if (nmi_vector) {
		*kvm = w->accepted_nmis[c];
		*sent = s && s->nmi && c == s->vcpu;
	} else {
		*kvm = w->fresh_irqs[v];
		*sent = s && !s->nmi && v == s->vector;
	}
}

bool emulator_dups_kvm_took(struct emulator_dups *d, struct kvm_injection_counts *w,
			   const struct dup_send *s)
{
	uint64_t kvm, sent;

	if (!d->allowed || s->vcpu >= KVM_TRACE_MAX_VCPUS || s->vector > 255)
		return true;
	/* A read error says "taken": the window's close reports it. */
	if (__emulator_dups_peek(d, w))
		return true;
	kvm_did(s, w, s->vcpu, s->vector, s->nmi, &kvm, &sent);
	return kvm >= sent;
}

bool emulator_dups_absorb(struct emulator_dups *d, const uint64_t (*seen)[256],
			  uint64_t (*expected)[256], const struct dup_send *s,
			  const struct kvm_injection_counts *w, char *why, size_t why_len)
{
	unsigned int c, v;
	uint64_t kvm, sent, extra;

	for (c = 0; c < d->nr_vcpus; c++)
		for (v = 0; v < 256; v++) {
			if (!expected[c][v] || seen[c][v] <= expected[c][v])
				continue;
			extra = seen[c][v] - expected[c][v];
			if (!d->allowed) {
				snprintf(why, why_len,
					 "vCPU %u vector 0x%x received %llu more than sent (no emulator tolerance: %s)",
					 c, v, (unsigned long long)extra, d->no_tolerance_why);
				return false;
			}
			kvm_did(s, w, c, v, v == GUEST_NMI_VECTOR, &kvm, &sent);
			if (kvm > sent) {
				snprintf(why, why_len,
					 "vCPU %u vector 0x%x received %llu more than sent while KVM itself %s %llu for %llu sent: not the emulator's",
					 c, v, (unsigned long long)extra,
					 v == GUEST_NMI_VECTOR ? "accepted NMIs:" : "injected it afresh",
					 (unsigned long long)kvm, (unsigned long long)sent);
				return false;
			}
			d->absorbed += extra;
			expected[c][v] = seen[c][v];
		}
	return true;
}

const char *emulator_dups_describe(const struct emulator_dups *d, char *buf, size_t len)
{
	if (!d->allowed)
		snprintf(buf, len, "no emulator tolerance: %s", d->no_tolerance_why);
	else
		snprintf(buf, len,
			 "emulator duplicates: the nested guest received %llu interrupt(s) more than KVM itself injected (fresh kvm_inj_virq, NMIs accepted by its APICs%s); test bed only",
			 (unsigned long long)d->absorbed,
			 d->accepted_by_ioctl ? "; sends with no such tracepoint counted once, from the test's own ioctl" : "");
	return buf;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * irqlens: what irqlens.ko sees, for a person or a program.
 *
 *   irqlens status           caps, the IRQ-bypass links, and the vCPUs the
 *                            interrupt-window livelock detector flagged
 *   irqlens status --json    the same as one JSON object
 *
 * It reads /sys/kernel/debug/irqlens/ (root; irqlens.ko loaded) and adds
 * KVM's APICv/AVIC module parameter, which the module does not read.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "irqlens/irqchip_names.h"
#include "lib/irqlens_view.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: irqlens status [--json]\n"
		   "  status   irqlens.ko's capabilities, hooks, IRQ-bypass links and\n"
		   "           the vCPUs its interrupt-window livelock detector flagged\n"
		   "  --json   one JSON object instead of tables\n");
}

static void bdf(char *buf, size_t len, uint32_t dev)
{
	if (dev == IRQLENS_NO_DEV)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%04x:%02x:%02x.%x", dev >> 16, (dev >> 8) & 0xff,
			 (dev >> 3) & 0x1f, dev & 7);
}

/* Strings here are our own or kernel "key: value" text: escape " and \. */
static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		if ((unsigned char)*s >= 0x20)
			putchar(*s);
	}
	putchar('"');
}

static int print_caps(bool json)
{
	char line[512];
	bool first = true;
	FILE *f;

	f = fopen(IRQLENS_DEBUGFS "/caps", "re");
	if (!f)
		return -errno;
	if (json)
		printf("\"caps\": [");
	else
		printf("caps:\n");
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (json) {
			printf("%s", first ? "" : ", ");
			json_str(line);
		} else {
			printf("  %s\n", line);
		}
		first = false;
	}
	fclose(f);
	if (json)
		printf("], \"apic_virtualization\": %s, ",
		       kvm_apic_virtualization_on() ? "true" : "false");
	else
		printf("  apic_virtualization (APICv/AVIC, from /sys/module): %s\n",
		       kvm_apic_virtualization_on() ? "on" : "off");
	return 0;
}

static void print_link_json(const struct irqlens_bypass_link *l, bool first)
{
	char dev[16];

	bdf(dev, sizeof(dev), l->dev);
	printf("%s{\"id\": \"%016llx\", \"host_irq\": %u, \"device\": \"%s\", \"iommu\": \"%s\", "
	       "\"vm\": \"%08x\", \"pid\": %u, \"gsi\": %u, \"producer\": %s, \"irqfd\": %s, "
	       "\"consumer\": %s, \"connected\": %s, \"mode\": \"%s\", \"posted_vcpu\": %u, "
	       "\"posted_vector\": %u, \"transitions\": %llu, \"host_handled\": %llu, "
	       "\"injections\": %llu, \"route_updates\": %llu, \"last_error\": %d, "
	       "\"reason\": \"%s\"}",
	       first ? "" : ", ", (unsigned long long)l->id, l->host_irq, dev,
	       irqlens_iommu_name(l->remap), l->vm, l->pid, l->gsi,
	       l->flags & IRQLENS_LINK_PRODUCER ? "true" : "false",
	       l->flags & IRQLENS_LINK_IRQFD ? "true" : "false",
	       l->flags & IRQLENS_LINK_CONSUMER ? "true" : "false",
	       l->flags & IRQLENS_LINK_CONNECTED ? "true" : "false",
	       irqlens_mode_name(l->mode), l->posted_vcpu, l->posted_vector,
	       (unsigned long long)l->transitions, (unsigned long long)l->host_handled,
	       (unsigned long long)l->injections, (unsigned long long)l->route_updates,
	       l->last_error, irqlens_reason_text(l->reason));
}

static void print_link_row(const struct irqlens_bypass_link *l)
{
	char dev[16], target[16] = "-";

	bdf(dev, sizeof(dev), l->dev);
	if (l->mode == IRQLENS_MODE_POSTED)
		snprintf(target, sizeof(target), "%u/0x%x", l->posted_vcpu, l->posted_vector);
	if (l->flags & IRQLENS_LINK_PRODUCER)
		printf("  %8u", l->host_irq);
	else
		printf("  %8s", "-");
	printf(" %-12s %-8s %7u %5u %-9s %-8s %-9s %11llu %12llu %13llu  %s\n", dev,
	       irqlens_iommu_name(l->remap), l->pid, l->gsi,
	       l->flags & IRQLENS_LINK_CONNECTED ? "bypassed" : "no",
	       irqlens_mode_name(l->mode), target, (unsigned long long)l->transitions,
	       (unsigned long long)l->host_handled, (unsigned long long)l->injections,
	       irqlens_reason_text(l->reason));
}

static const char *irqchip_name(uint32_t irqchip)
{
	static const char * const names[] = IRQLENS_IRQCHIP_NAMES;

	return irqchip < IRQLENS_IRQCHIP_COUNT ? names[irqchip] : "?";
}

/* A vCPU the livelock detector flagged: what KVM held when it fired. */
static void print_flagged(const struct irqlens_window_vcpu *w, bool json, bool first)
{
	bool stuck = w->flags & IRQLENS_WIN_STUCK;

	if (json) {
		printf("%s{\"vm\": %u, \"vcpu\": %u, \"pid\": %u, \"irqchip\": \"%s\", "
		       "\"stuck_now\": %s, \"flagged\": %llu, \"streak\": %llu, "
		       "\"threshold\": %u, \"snap_flags\": %u, \"ext_vector\": %d, "
		       "\"queued_vector\": %u, \"nmi_pending\": %u}",
		       first ? "" : ", ", w->vm, w->vcpu_id, w->pid, irqchip_name(w->irqchip),
		       stuck ? "true" : "false", (unsigned long long)w->flagged,
		       (unsigned long long)w->snap_streak, w->snap_threshold, w->snap_flags,
		       w->snap_ext_vector, w->snap_queued_vector, w->snap_nmi_pending);
		return;
	}
	printf("  vm %08x vcpu %u (pid %u, %s irqchip)%s: flagged %llu times; last: %llu window exits without an injection; request_interrupt_window %u, queued interrupt %s%#x, split ExtINT %d, exception pending %u, NMI pending %u\n",
	       w->vm, w->vcpu_id, w->pid, irqchip_name(w->irqchip),
	       stuck ? " STUCK in KVM_RUN now" : "", (unsigned long long)w->flagged,
	       (unsigned long long)w->snap_streak, !!(w->snap_flags & IRQLENS_SNAP_REQ_WINDOW),
	       w->snap_flags & IRQLENS_SNAP_IRQ_QUEUED ? "" : "none, last ",
	       w->snap_queued_vector, w->snap_ext_vector,
	       !!(w->snap_flags & IRQLENS_SNAP_EXC_PENDING), w->snap_nmi_pending);
}

/* The interrupt-window view: its totals and every flagged vCPU. */
static int print_window(bool json)
{
	static struct irqlens_window_view win;
	unsigned int i, shown = 0;
	int ret = __irqlens_window_read(&win);

	if (ret) {
		fprintf(stderr, "irqlens: cannot read %s/window: %s\n", IRQLENS_DEBUGFS,
			strerror(-ret));
		return ret;
	}
	if (json)
		printf(", \"window\": {\"vcpus\": %u, \"capacity\": %u, \"overflow\": %llu, "
		       "\"threshold\": %u, \"stuck\": %u, \"flagged\": [",
		       win.q.total, win.q.capacity, (unsigned long long)win.q.overflow,
		       win.q.threshold, win.q.stuck);
	else
		printf("interrupt windows: %u vCPUs of %u (overflow %llu); livelock threshold %u window exits without an injection; %u stuck now\n",
		       win.q.total, win.q.capacity, (unsigned long long)win.q.overflow,
		       win.q.threshold, win.q.stuck);
	for (i = 0; i < win.nr; i++)
		if (win.vcpus[i].flagged)
			print_flagged(&win.vcpus[i], json, shown++ == 0);
	if (json)
		printf("]}");
	else if (!shown)
		printf("  no vCPU flagged\n");
	return 0;
}

static int status(bool json)
{
	static struct irqlens_view view;
	unsigned int i;
	int ret;

	ret = __irqlens_view_read(&view);
	if (ret) {
		fprintf(stderr, "irqlens: cannot read %s/bypass: %s%s\n", IRQLENS_DEBUGFS,
			strerror(-ret), ret == -ENOENT ? " (is irqlens.ko loaded?)" :
			ret == -EACCES ? " (run as root)" : "");
		return 1;
	}
	if (json)
		printf("{");
	ret = print_caps(json);
	if (ret) {
		fprintf(stderr, "irqlens: cannot read caps: %s\n", strerror(-ret));
		return 1;
	}
	if (json) {
		printf("\"links_total\": %u, \"capacity\": %u, \"overflow\": %llu, "
		       "\"unmatched\": %llu, \"posting_cap\": %s, \"links\": [",
		       view.q.total, view.q.capacity, (unsigned long long)view.q.overflow,
		       (unsigned long long)view.q.unmatched, view.q.posting_cap ? "true" : "false");
		for (i = 0; i < view.nr; i++)
			print_link_json(&view.links[i], i == 0);
		printf("]");
		ret = print_window(true);
		printf("}\n");
		return ret ? 1 : 0;
	}
	printf("bypass links: %u of %u (overflow %llu, unmatched events %llu)\n",
	       view.q.total, view.q.capacity, (unsigned long long)view.q.overflow,
	       (unsigned long long)view.q.unmatched);
	printf("  %8s %-12s %-8s %7s %5s %-9s %-8s %-9s %11s %12s %13s  %s\n", "host_irq",
	       "device", "iommu", "pid", "gsi", "bypass", "mode", "posted_to", "transitions",
	       "host_handled", "irqfd_signals", "why");
	for (i = 0; i < view.nr; i++)
		print_link_row(&view.links[i]);
	return print_window(false) ? 1 : 0;
}

int main(int argc, char **argv)
{
	bool json = false;

	if (argc < 2 || strcmp(argv[1], "status")) {
		if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
			usage(stdout);
			return 0;
		}
		fprintf(stderr, "irqlens: %s%s\n", argc < 2 ? "no command" : "unknown command: ",
			argc < 2 ? "" : argv[1]);
		usage(stderr);
		return 2;
	}
	if (argc == 3 && !strcmp(argv[2], "--json")) {
		json = true;
	} else if (argc > 2) {
		fprintf(stderr, "irqlens: status: unknown option '%s'\n", argv[2]);
		usage(stderr);
		return 2;
	}
	return status(json);
}

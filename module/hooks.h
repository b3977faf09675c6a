/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hooks: kprobes, kretprobes and tracepoint probes on functions of the
 * core kernel or of a module (kvm, kvm_intel, kvm_amd, irqbypass,
 * vfio_pci_core). A hook on a module is attached when that module is
 * loaded, whether before or after irqlens, and taken off when it goes
 * away, so irqlens never pins nor outlives what it observes. Each hook's
 * state is printed in "caps".
 */
#ifndef _IRQLENS_HOOKS_H
#define _IRQLENS_HOOKS_H

#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/tracepoint.h>

struct seq_file;

enum irqlens_hook_kind {
	IRQLENS_HOOK_KPROBE,
	IRQLENS_HOOK_KRETPROBE,
	IRQLENS_HOOK_TRACEPOINT,
};

struct irqlens_hook {
	/* Set by the hook's owner. */
	enum irqlens_hook_kind kind;
	const char *module;		/* owner of @symbol; NULL: the core kernel */
	const char *symbol;		/* function, or tracepoint name */
	kprobe_pre_handler_t pre;	/* IRQLENS_HOOK_KPROBE */
	kretprobe_handler_t entry;	/* IRQLENS_HOOK_KRETPROBE, may be NULL */
	kretprobe_handler_t ret;	/* IRQLENS_HOOK_KRETPROBE */
	size_t data_size;		/* IRQLENS_HOOK_KRETPROBE: per-call data */
	int maxactive;			/* IRQLENS_HOOK_KRETPROBE: calls in flight, 0: default */
	void *probe;			/* IRQLENS_HOOK_TRACEPOINT: the probe function */

	/* Kept by hooks.c, under its mutex. */
	char name[MODULE_NAME_LEN + KSYM_NAME_LEN];
	struct kprobe kp;
	struct kretprobe rp;
	struct tracepoint *tp;
	bool attached;
	bool went_away;			/* its module was unloaded under us */
	int error;			/* why it is not attached, or 0 */
};

struct irqlens_hook_group {
	const char *name;
	struct irqlens_hook *hooks;
	unsigned int nr;
};

extern struct irqlens_hook_group irqlens_bypass_hooks;
extern struct irqlens_hook_group irqlens_window_hooks;

#if IS_ENABLED(CONFIG_MODULES) && IS_ENABLED(CONFIG_KPROBES) && \
	IS_ENABLED(CONFIG_KRETPROBES) && IS_ENABLED(CONFIG_TRACEPOINTS)
int irqlens_hooks_start(void);
void irqlens_hooks_stop(void);
void irqlens_hooks_show(struct seq_file *m);
#else
/* Matches module/Kbuild: without these there is nothing to hook with. */
static inline int irqlens_hooks_start(void) { return 0; }
static inline void irqlens_hooks_stop(void) { }
static inline void irqlens_hooks_show(struct seq_file *m)
{
	seq_puts(m, "hooks: 0 attached of 0: kernel without MODULES, KPROBES, KRETPROBES or TRACEPOINTS\n");
}
#endif

#endif /* _IRQLENS_HOOKS_H */

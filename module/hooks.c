// SPDX-License-Identifier: GPL-2.0
/*
 * Attaching and detaching hooks as their modules come and go (hooks.h).
 *
 * Kprobes: tried at start for every hook; a hook whose module is not
 * loaded fails with -ENOENT and is tried again when the module notifier
 * says that module is live; when it goes, the hook is unregistered (the
 * kprobes core has already disarmed it). Tracepoints in modules are not
 * exported on newer kernels, so they are found through the tracepoint
 * module notifier, which also replays the modules already loaded.
 *
 * All attach/detach happens under hooks_mutex, from process context.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include "hooks.h"

static struct irqlens_hook_group *hook_groups[] = {
	&irqlens_bypass_hooks,
	&irqlens_window_hooks,
};

static DEFINE_MUTEX(hooks_mutex);

/* A position in the hook groups; hook_at() steps over group ends. */
struct hook_iter {
	unsigned int g, i;
};

static struct irqlens_hook *hook_at(struct hook_iter *it)
{
	while (it->g < ARRAY_SIZE(hook_groups)) {
		if (it->i < hook_groups[it->g]->nr)
			return &hook_groups[it->g]->hooks[it->i];
		it->g++;
		it->i = 0;
	}
	return NULL;
}

static bool hook_in_module(const struct irqlens_hook *h, const char *mod_name)
{
	return h->module && !strcmp(h->module, mod_name);
}

/* kprobe and kretprobe only; tracepoints attach from tp_module_event(). */
static void probe_attach(struct irqlens_hook *h)
{
	int ret;

	if (h->attached || h->kind == IRQLENS_HOOK_TRACEPOINT)
		return;
	if (h->kind == IRQLENS_HOOK_KPROBE) {
		memset(&h->kp, 0, sizeof(h->kp));
		h->kp.symbol_name = h->name;
		h->kp.pre_handler = h->pre;
		ret = register_kprobe(&h->kp);
	} else {
		memset(&h->rp, 0, sizeof(h->rp));
		h->rp.kp.symbol_name = h->name;
		h->rp.entry_handler = h->entry;
		h->rp.handler = h->ret;
		h->rp.data_size = h->data_size;
		h->rp.maxactive = h->maxactive;
		ret = register_kretprobe(&h->rp);
	}
	h->error = ret;
	h->attached = !ret;
	if (ret && ret != -ENOENT)
		pr_warn("cannot hook %s: %d\n", h->name, ret);
}

static void probe_detach(struct irqlens_hook *h)
{
	if (!h->attached || h->kind == IRQLENS_HOOK_TRACEPOINT)
		return;
	if (h->kind == IRQLENS_HOOK_KPROBE)
		unregister_kprobe(&h->kp);
	else
		unregister_kretprobe(&h->rp);
	h->attached = false;
}

static int module_event(struct notifier_block *nb, unsigned long action, void *data)
{
	struct module *mod = data;
	struct irqlens_hook *h;
	struct hook_iter it;

	if (action != MODULE_STATE_LIVE && action != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	mutex_lock(&hooks_mutex);
	for (it = (struct hook_iter){ 0 }; (h = hook_at(&it)); it.i++) {
		if (!hook_in_module(h, mod->name) || h->kind == IRQLENS_HOOK_TRACEPOINT)
			continue;
		if (action == MODULE_STATE_LIVE) {
			probe_attach(h);
		} else if (h->attached) {
			probe_detach(h);
			h->went_away = true;
			h->error = -ENOENT;
		}
	}
	mutex_unlock(&hooks_mutex);
	return NOTIFY_DONE;
}

static struct notifier_block module_nb = {
	.notifier_call = module_event,
};

/* Attach or detach every tracepoint hook whose tracepoint @mod holds. */
static void tp_module_scan(struct module *mod, bool coming)
{
	struct irqlens_hook *h;
	struct hook_iter it;
	unsigned int t;

	for (it = (struct hook_iter){ 0 }; (h = hook_at(&it)); it.i++) {
		if (h->kind != IRQLENS_HOOK_TRACEPOINT || !hook_in_module(h, mod->name))
			continue;
		if (!coming) {
			if (h->attached)
				tracepoint_probe_unregister(h->tp, h->probe, NULL);
			h->went_away = h->attached;
			h->attached = false;
			h->tp = NULL;
			h->error = -ENOENT;
			continue;
		}
		h->error = -ENOENT;
		for (t = 0; t < mod->num_tracepoints; t++) {
			struct tracepoint *tp = tracepoint_ptr_deref(&mod->tracepoints_ptrs[t]);

			if (strcmp(tp->name, h->symbol))
				continue;
			h->error = tracepoint_probe_register(tp, h->probe, NULL);
			h->attached = !h->error;
			h->tp = h->attached ? tp : NULL;
			break;
		}
	}
}

static int tp_module_event(struct notifier_block *nb, unsigned long action, void *data)
{
	struct tp_module *tp_mod = data;

	if (action != MODULE_STATE_COMING && action != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	mutex_lock(&hooks_mutex);
	tp_module_scan(tp_mod->mod, action == MODULE_STATE_COMING);
	mutex_unlock(&hooks_mutex);
	return NOTIFY_DONE;
}

static struct notifier_block tp_module_nb = {
	.notifier_call = tp_module_event,
};

int irqlens_hooks_start(void)
{
	struct irqlens_hook *h;
	struct hook_iter it;
	int ret;

	mutex_lock(&hooks_mutex);
	for (it = (struct hook_iter){ 0 }; (h = hook_at(&it)); it.i++) {
		/*
		 * "module:symbol": kprobes then look only in that module, so
		 * a same-named static elsewhere is never hooked by mistake.
		 */
		snprintf(h->name, sizeof(h->name), "%s%s%s", h->module ?: "",
			 h->module ? ":" : "", h->symbol);
		h->error = -ENOENT;
	}
	mutex_unlock(&hooks_mutex);

	/* Notifier first: a module that loads meanwhile is not missed. */
	ret = register_module_notifier(&module_nb);
	if (ret)
		return ret;
	ret = register_tracepoint_module_notifier(&tp_module_nb);
	if (ret) {
		unregister_module_notifier(&module_nb);
		return ret;
	}
	mutex_lock(&hooks_mutex);
	for (it = (struct hook_iter){ 0 }; (h = hook_at(&it)); it.i++)
		probe_attach(h);
	mutex_unlock(&hooks_mutex);
	return 0;
}

void irqlens_hooks_stop(void)
{
	struct irqlens_hook *h;
	struct hook_iter it;

	unregister_module_notifier(&module_nb);
	/* Replays GOING for every module with tracepoints: probes come off. */
	unregister_tracepoint_module_notifier(&tp_module_nb);
	mutex_lock(&hooks_mutex);
	for (it = (struct hook_iter){ 0 }; (h = hook_at(&it)); it.i++)
		probe_detach(h);
	mutex_unlock(&hooks_mutex);
	/* No tracepoint probe may still be running when our text goes. */
	tracepoint_synchronize_unregister();
}

static const char *hook_kind_name(const struct irqlens_hook *h)
{
	switch (h->kind) {
	case IRQLENS_HOOK_KPROBE:
		return "kprobe";
	case IRQLENS_HOOK_KRETPROBE:
		return "kretprobe";
	default:
		return "tracepoint";
	}
}

/* "hook <group> <module:symbol> <kind>: <state>" per hook, for caps. */
void irqlens_hooks_show(struct seq_file *m)
{
	unsigned int attached = 0, total = 0;
	struct hook_iter it;
	struct irqlens_hook *h;

	mutex_lock(&hooks_mutex);
	for (it = (struct hook_iter){ 0 }; (h = hook_at(&it)); it.i++) {
		total++;
		attached += h->attached;
	}
	seq_printf(m, "hooks: %u attached of %u\n", attached, total);
	for (it = (struct hook_iter){ 0 }; (h = hook_at(&it)); it.i++) {
		seq_printf(m, "hook %s %s %s: ", hook_groups[it.g]->name, h->name,
			   hook_kind_name(h));
		if (h->attached && h->kind == IRQLENS_HOOK_KRETPROBE)
			seq_printf(m, "attached, missed %d\n", h->rp.nmissed);
		else if (h->attached)
			seq_puts(m, "attached\n");
		else if (h->error == -ENOENT && h->module)
			seq_printf(m, "unavailable: %s %s\n", h->module,
				   h->went_away ? "was unloaded" : "is not loaded");
		else if (h->error == -ENOENT)
			seq_puts(m, "unavailable: no such symbol in this kernel\n");
		else
			seq_printf(m, "unavailable: error %d\n", h->error);
	}
	mutex_unlock(&hooks_mutex);
}

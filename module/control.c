// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/irqlens/control: actions, one whole verb per write.
 *
 *   reset       drop every held event (sequence numbers keep counting)
 *   reset-counters
 *               zero the IRQ-bypass counters (transitions, host handler
 *               runs, injections, route updates, last errors, overflow,
 *               unmatched); links and modes stay
 *   mark <n>    put a "mark" event with value n (u32) in the stream, so a
 *               test can find where its own steps begin
 *   window-threshold <n>
 *               flag a vCPU after n (u32, at least 1) interrupt-window
 *               exits in one KVM_RUN without an injection (the "window"
 *               file's livelock detector)
 *
 * Anything else is -EINVAL and changes nothing.
 */
#include <kunit/visibility.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "bypass.h"
#include "compat.h"
#include "control.h"
#include "event_ring.h"
#include "irqlens.h"
#include "irqwin.h"

/* Longest valid command is "window-threshold 4294967295" plus a newline. */
#define CONTROL_MAX_LEN 32

/*
 * Parse one command. @buf is modified (stripped and split). Returns 0 and
 * fills @cmd, or -EINVAL for anything that is not exactly one known verb
 * with the arguments it takes.
 */
VISIBLE_IF_KUNIT int irqlens_control_parse(char *buf, struct irqlens_control_cmd *cmd)
{
	char *verb, *args;

	buf = strstrip(buf);
	verb = strsep(&buf, " \t");
	args = buf ? skip_spaces(buf) : NULL;

	if (!strcmp(verb, "reset") || !strcmp(verb, "reset-counters")) {
		if (args && *args)
			return -EINVAL;
		cmd->verb = verb[5] ? IRQLENS_CTL_RESET_COUNTERS : IRQLENS_CTL_RESET;
		cmd->arg = 0;
		return 0;
	}
	if (!strcmp(verb, "mark") || !strcmp(verb, "window-threshold")) {
		/* kstrtou32 rejects empty strings, signs and trailing junk. */
		if (!args || kstrtou32(args, 0, &cmd->arg))
			return -EINVAL;
		cmd->verb = verb[0] == 'm' ? IRQLENS_CTL_MARK : IRQLENS_CTL_WINDOW_THRESHOLD;
		/* 0 would flag every vCPU at once. */
		if (cmd->verb == IRQLENS_CTL_WINDOW_THRESHOLD && !cmd->arg)
			return -EINVAL;
		return 0;
	}
	return -EINVAL;
}
EXPORT_SYMBOL_IF_KUNIT(irqlens_control_parse);

static ssize_t control_write(struct file *file, const char __user *ubuf,
			     size_t len, loff_t *ppos)
{
	struct irqlens_control_cmd cmd;
	char buf[CONTROL_MAX_LEN + 1];
	int ret;

	if (len > CONTROL_MAX_LEN)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';

	ret = irqlens_control_parse(buf, &cmd);
	if (ret)
		return ret;

	switch (cmd.verb) {
	case IRQLENS_CTL_RESET:
		irqlens_events_reset();
		break;
	case IRQLENS_CTL_MARK:
		irqlens_event_emit(IRQLENS_EV_MARK, cmd.arg, 0, 0);
		break;
	case IRQLENS_CTL_RESET_COUNTERS:
		irqlens_bypass_reset_counters();
		break;
	case IRQLENS_CTL_WINDOW_THRESHOLD:
		ret = irqlens_window_set_threshold(cmd.arg);
		if (ret)
			return ret;
		break;
	default:
		return -EINVAL;
	}
	return len;
}

static const struct file_operations control_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = control_write,
};

void irqlens_control_create(struct dentry *root)
{
	debugfs_create_file("control", 0200, root, NULL, &control_fops);
}

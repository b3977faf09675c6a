#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the irqlens test bed initramfs. Mounts the pseudo file systems,
# loads the modules listed in /irqlens/modules, runs /irqlens/cmd with its
# output on ttyS1 (the kernel console stays alone on ttyS0, so the runner
# can read test output and kernel reports separately), prints the exit
# status as "IRQLENS-EXIT: <n>" and powers off.

/bin/busybox --install -s /bin
export PATH=/irqlens/bin:/bin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp

out=/dev/ttyS1
[ -c $out ] || out=/dev/console

finish()
{
	# kmemleak only reports after a scan, and only objects older than
	# 5 s: wait that long so the last test's leaks count, scan, and put the
	# report in the kernel log where the runner looks for it.
	if [ -w /sys/kernel/debug/kmemleak ]; then
		sleep 6
		echo scan >/sys/kernel/debug/kmemleak
		cat /sys/kernel/debug/kmemleak >/dev/kmsg
	fi
	echo "IRQLENS-EXIT: $1" >$out
	sync
	poweroff -f
}

{
	[ -f /irqlens/env ] && . /irqlens/env
	for m in $(cat /irqlens/modules 2>/dev/null); do
		if ! modprobe "$m"; then
			echo "# irqlens-init: modprobe $m failed"
			finish 125
		fi
	done
	# Keep KVM's first-VM static keys set for the whole run (kvm_keeper.c).
	if [ -x /irqlens/bin/kvm_keeper ] && [ -e /dev/kvm ]; then
		kvm_keeper &
		keeper=$!
		sleep 0.2
		if ! kill -0 $keeper 2>/dev/null; then
			echo "# irqlens-init: kvm_keeper failed to start"
			finish 125
		fi
	fi
	cd /irqlens
	sh /irqlens/cmd
	finish $?
} <>$out >$out 2>&1

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A device the harness bound to vfio-pci goes back to its original driver
# when the harness is killed mid-test. The kselftest harness runs a test
# two forks down (harness -> per-test process -> test body, which binds
# the device); SIGTERM goes to the test body, to the per-test process, to
# both of those and the harness (as a process-wide kill would), and to the
# harness alone (Ctrl-C reaches only its process group). KTAP output.
#
# Devices: each of $IRQLENS_VFIO_DEVICES, else $IRQLENS_DEVICE (the test
# bed sets both; its e1000e starts on the e1000e driver, so its restore is
# a real rebind).

dir=$(dirname "$0")
devices=${IRQLENS_VFIO_DEVICES:-${IRQLENS_DEVICE:-}}
cases="test_body test_process all_three harness_parent"

echo "TAP version 13"
set -- $devices
echo "1..$((4 * ($# > 0 ? $# : 1)))"

driver_of()
{
	if [ -e "$dev/driver" ]; then
		basename "$(readlink "$dev/driver")"
	else
		echo "(none)"
	fi
}

if [ -z "$devices" ]; then
	for t in $cases; do
		echo "ok - sigterm_$t # SKIP no device given: set IRQLENS_DEVICE=<segment:bus:device.function>"
	done
	exit 4
fi
status=0
n=0

# The harness runs each test two forks down: find them by parent, from
# /proc/<pid>/stat ("pid (comm) state ppid ..."). Shell builtins only in
# what polls: on a KASAN kernel in TCG each fork costs tens of ms.
child_of()
{
	target=$1
	for st in /proc/[0-9]*/stat; do
		line=
		read -r line <"$st" 2>/dev/null || continue
		rest=${line##*) }
		ppid=${rest#* }
		ppid=${ppid%% *}
		if [ "$ppid" = "$target" ]; then
			pid=${st#/proc/}
			echo "${pid%/stat}"
			return
		fi
	done
}

back_on_orig()
{
	if [ "$orig" = "(none)" ]; then
		[ ! -e "$dev/driver" ]
	else
		[ -e "/sys/bus/pci/drivers/$orig/$bdf" ]
	fi
}

on_vfio_pci()
{
	[ -e "/sys/bus/pci/drivers/vfio-pci/$bdf" ]
}

# run_and_kill NAME WHO: start a long edu test (a million MSIs), wait
# until the device is on vfio-pci, send SIGTERM to WHO (child, both or
# parent), then check the signal landed and the device went back.
run_and_kill()
{
	name=$1 who=$2
	n=$((n + 1))
	# The emulated trigger: a long test that holds the device without
	# depending on how well the device model sends MSIs.
	IRQLENS_NR_MSIS=1000000 "$dir/test_vfio_msi" -d "$bdf" \
		-r vfio_msi:type1:emulated_trigger_skips_host_irq >/tmp/sigterm-$name.log 2>&1 &
	parent=$!
	i=0
	while ! on_vfio_pci && [ $i -lt 3000 ]; do
		sleep 0.01
		i=$((i + 1))
	done
	if ! on_vfio_pci; then
		echo "# $name: the test never bound $bdf to vfio-pci; its output:"
		wait $parent
		sed 's/^/#   /' /tmp/sigterm-$name.log | tail -n 15
		echo "not ok $n sigterm_$name@$bdf"
		status=1
		return
	fi
	child=$(child_of $parent)
	body=
	[ -n "$child" ] && body=$(child_of $child)
	if [ -z "$child" ] || [ -z "$body" ]; then
		echo "# $name: no test process and body under harness $parent; its output:"
		kill -KILL $parent 2>/dev/null
		wait $parent
		echo "# harness exit status $?"
		sed 's/^/#   /' /tmp/sigterm-$name.log | tail -n 15
		echo "not ok $n sigterm_$name@$bdf"
		status=1
		return
	fi
	case $who in
	body)   kill -TERM "$body" ;;
	child)  kill -TERM "$child" ;;
	all)    kill -TERM "$body" "$child" "$parent" ;;
	parent) kill -TERM "$parent" ;;
	esac
	# The process that still holds the device may need a moment; one that
	# hangs (an unbind waiting on a reference it kept) is a failure, not a
	# reason to hang the whole run.
	i=0
	while ! back_on_orig && [ $i -lt 3000 ]; do
		sleep 0.01
		i=$((i + 1))
	done
	i=0
	while kill -0 $parent 2>/dev/null && [ $i -lt 3000 ]; do
		sleep 0.01
		i=$((i + 1))
	done
	if kill -0 $parent 2>/dev/null; then
		echo "# $name: harness $parent still running 30 s after SIGTERM"
		echo "not ok $n sigterm_$name@$bdf"
		status=1
		kill -KILL $parent $child $body 2>/dev/null
		return
	fi
	wait $parent 2>/dev/null
	rc=$?
	now=$(driver_of)
	override=$(cat "$dev/driver_override")
	# A harness that exits 0 finished its million MSIs: nothing was killed.
	if [ $rc -eq 0 ]; then
		echo "# $name: the harness exited 0, the signal did not interrupt the test"
		echo "not ok $n sigterm_$name@$bdf"
		status=1
	elif [ "$now" = "$orig" ] && [ "$override" = "(null)" ]; then
		echo "# $name: harness status $rc, device back on '$now'"
		echo "ok $n sigterm_$name@$bdf"
	else
		echo "# $name: device on '$now' (was '$orig'), driver_override '$override'"
		echo "not ok $n sigterm_$name@$bdf"
		status=1
	fi
}

for bdf in $devices; do
	dev=/sys/bus/pci/devices/$bdf
	if [ ! -e "$dev" ]; then
		for t in $cases; do
			n=$((n + 1))
			echo "not ok $n sigterm_$t@$bdf # device $bdf does not exist"
		done
		status=1
		continue
	fi
	orig=$(driver_of)
	run_and_kill test_body body
	run_and_kill test_process child
	run_and_kill all_three all
	run_and_kill harness_parent parent
done
exit $status

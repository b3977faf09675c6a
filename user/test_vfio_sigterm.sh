#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A device the harness bound to vfio-pci goes back to its original driver
# when the harness is killed mid-test: SIGTERM to the test process, to the
# whole process group (what Ctrl-C and timeout(1) do), and to the harness
# parent alone. KTAP output.
#
# Device: $IRQLENS_DEVICE_EDU (the test bed sets it).

dir=$(dirname "$0")
bdf=${IRQLENS_DEVICE_EDU:-}
dev=/sys/bus/pci/devices/$bdf

echo "TAP version 13"
echo "1..3"

driver_of()
{
	if [ -e "$dev/driver" ]; then
		basename "$(readlink "$dev/driver")"
	else
		echo "(none)"
	fi
}

if [ -z "$bdf" ] || [ ! -e "$dev" ]; then
	for t in test_process process_group harness_parent; do
		echo "ok - sigterm_$t # SKIP no edu device: set IRQLENS_DEVICE_EDU"
	done
	exit 4
fi
orig=$(driver_of)
status=0
n=0

# The harness runs each test in a child process: find it by its PPid.
child_of()
{
	for st in /proc/[0-9]*/status; do
		if grep -q "^PPid:[[:space:]]*$1\$" "$st" 2>/dev/null; then
			basename "$(dirname "$st")"
			return
		fi
	done
}

# run_and_kill NAME WHO: start a long edu test (a million MSIs), wait
# until the device is on vfio-pci, send SIGTERM to WHO (child, both or
# parent), then check the signal landed and the device went back.
run_and_kill()
{
	name=$1 who=$2
	n=$((n + 1))
	IRQLENS_NR_MSIS=1000000 "$dir/test_vfio_msi" -d "$bdf" \
		-r vfio_msi:type1:device_msis_counted_exactly >/dev/null 2>&1 &
	parent=$!
	i=0
	while [ "$(driver_of)" != vfio-pci ] && [ $i -lt 500 ]; do
		sleep 0.01
		i=$((i + 1))
	done
	if [ "$(driver_of)" != vfio-pci ]; then
		echo "# $name: the test never bound $bdf to vfio-pci"
		echo "not ok $n sigterm_$name"
		status=1
		wait $parent
		return
	fi
	child=$(child_of $parent)
	if [ -z "$child" ]; then
		echo "# $name: no test process under harness $parent"
		echo "not ok $n sigterm_$name"
		status=1
		kill -KILL $parent
		return
	fi
	# busybox kill cannot signal a process group: "both" signals the two
	# processes of the group, as Ctrl-C or timeout(1) would.
	case $who in
	child)  kill -TERM "$child" ;;
	both)   kill -TERM "$child" "$parent" ;;
	parent) kill -TERM "$parent" ;;
	esac
	# The process that still holds the device may need a moment; one that
	# hangs (an unbind waiting on a reference it kept) is a failure, not a
	# reason to hang the whole run.
	i=0
	while [ "$(driver_of)" != "$orig" ] && [ $i -lt 1000 ]; do
		sleep 0.01
		i=$((i + 1))
	done
	i=0
	while kill -0 $parent 2>/dev/null && [ $i -lt 1000 ]; do
		sleep 0.01
		i=$((i + 1))
	done
	if kill -0 $parent 2>/dev/null; then
		echo "# $name: harness $parent still running 10 s after SIGTERM"
		echo "not ok $n sigterm_$name"
		status=1
		kill -KILL $parent $child 2>/dev/null
		return
	fi
	wait $parent 2>/dev/null
	rc=$?
	now=$(driver_of)
	override=$(cat "$dev/driver_override")
	# A harness that exits 0 finished its million MSIs: nothing was killed.
	if [ $rc -eq 0 ]; then
		echo "# $name: the harness exited 0, the signal did not interrupt the test"
		echo "not ok $n sigterm_$name"
		status=1
	elif [ "$now" = "$orig" ] && [ "$override" = "(null)" ]; then
		echo "# $name: harness status $rc, device back on '$now'"
		echo "ok $n sigterm_$name"
	else
		echo "# $name: device on '$now' (was '$orig'), driver_override '$override'"
		echo "not ok $n sigterm_$name"
		status=1
	fi
}

run_and_kill test_process child
run_and_kill process_group both
run_and_kill harness_parent parent
exit $status

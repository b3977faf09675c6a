#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run the harness programs given as arguments (names beside this script,
# or paths; default: every smoke_* and test_* program beside it) one after
# another, as the test bed's guest command. Each program prints its own
# KTAP; after each one a line "# irqlens-suite: <name> exit=<status>" lets
# the host tell a program that crashed from one that reported. Exits
# non-zero if any program failed.
#
# A test_vfio_* C program runs once per device of $IRQLENS_VFIO_DEVICES
# (space-separated BDFs, with IRQLENS_DEVICE set to each), reported as
# "<name>@<bdf>".
#
# IRQLENS_SUITE_SKIP="name:reason|name:reason" reports each named program
# as one SKIP with its reason instead of running it (a known problem,
# said out loud rather than hidden).
#
# IRQLENS_SUITE_ELSEWHERE="name name" leaves the named programs out of the
# default list, with a comment line, because the caller runs them in a
# boot of their own (make check: test_vfio_bypass on single-threaded TCG).
#
# IRQLENS_CAPTURE_STATUS=1 shows what irqlens.ko saw while each
# test_vfio_bypass ran: of the "irqlens status" taken every second that
# list a link of its device, the one whose links had counted most,
# printed after the program as "# irqlens-status: " lines (scripts/bed.sh
# puts it in its report).
#
# IRQLENS_RUN_ID, when set, is printed first as "# irqlens-run-id: <id>":
# the host's tally (scripts/tally.py) refuses a log without the id of the
# boot it started, so an old output.log is never counted again.

dir=$(dirname "$0")
defaulted=
[ -z "${IRQLENS_RUN_ID:-}" ] || echo "# irqlens-run-id: $IRQLENS_RUN_ID"
if [ $# -eq 0 ]; then
	set -- "$dir"/smoke_* "$dir"/test_*
	defaulted=1
fi

status=0
ran=0

# capture_status FILE: poll "irqlens status" until killed, keeping in
# FILE the one whose links of $IRQLENS_DEVICE counted most (host_handled
# plus irqfd signals, its last two number columns).
capture_status()
{
	# Stopped by TERM: let the running command finish first, so that
	# nothing of it outlives the capture (it holds irqlens.ko's file).
	trap 'exit 0' TERM
	best=-1
	while :; do
		if "$dir/irqlens" status >"$1.new" 2>&1; then
			n=$(awk -v dev=" ${IRQLENS_DEVICE:-none} " \
				'index($0, dev) && $11 ~ /^[0-9]+$/ { n += $10 + $11; seen = 1 }
				 END { print seen ? n : -1 }' "$1.new")
			if [ "${n:--1}" -gt "$best" ] 2>/dev/null; then
				best=$n
				mv "$1.new" "$1"
			fi
		fi
		sleep 1
	done
}

# run_one NAME PROG: one program run, bracketed for the host. A program
# named in IRQLENS_SUITE_SKIP ($reason) is one SKIP case instead, under the
# same NAME (NAME@BDF for each device) the host expects.
run_one()
{
	echo "# irqlens-suite: $1 start"
	if [ -n "$reason" ]; then
		echo "1..1"
		echo "ok 1 $1 # SKIP $reason"
		rc=4
	else
		cap_pid=
		if [ "${IRQLENS_CAPTURE_STATUS:-}" = 1 ] && [ "${1%%@*}" = test_vfio_bypass ]; then
			cap=/tmp/irqlens-status.$$
			rm -f "$cap" "$cap.new"
			capture_status "$cap" &
			cap_pid=$!
		fi
		"$2"
		rc=$?
		if [ -n "$cap_pid" ]; then
			kill "$cap_pid" 2>/dev/null
			wait "$cap_pid" 2>/dev/null
			if [ -s "$cap" ]; then
				sed 's/^/# irqlens-status: /' "$cap"
			else
				echo "# irqlens-status: no link of ${IRQLENS_DEVICE:-its device} seen while it ran"
			fi
		fi
	fi
	echo "# irqlens-suite: $1 exit=$rc"
	[ $rc -eq 0 ] || [ $rc -eq 4 ] || status=1
}

for prog in "$@"; do
	case $prog in
	*/*) ;;
	*) prog="$dir/$prog" ;;
	esac
	name=$(basename "$prog")
	if [ -n "$defaulted" ]; then
		case " ${IRQLENS_SUITE_ELSEWHERE:-} " in
		*" $name "*)
			echo "# irqlens-suite: $name runs in a boot of its own (IRQLENS_SUITE_ELSEWHERE)"
			continue
			;;
		esac
	fi
	if [ ! -x "$prog" ]; then
		echo "# irqlens-suite: $name: no such test program"
		status=1
		continue
	fi
	ran=$((ran + 1))
	reason=$(echo "${IRQLENS_SUITE_SKIP:-}" | tr '|' '\n' | sed -n "s/^$name://p")
	case $name in
	test_vfio_*.sh) run_one "$name" "$prog" ;;
	test_vfio_*)
		if [ -z "${IRQLENS_VFIO_DEVICES:-}" ]; then
			run_one "$name" "$prog"
			continue
		fi
		saved=${IRQLENS_DEVICE:-}
		for bdf in $IRQLENS_VFIO_DEVICES; do
			export IRQLENS_DEVICE="$bdf"
			run_one "$name@$bdf" "$prog"
		done
		export IRQLENS_DEVICE="$saved"
		;;
	*) run_one "$name" "$prog" ;;
	esac
done
if [ $ran -eq 0 ]; then
	echo "# irqlens-suite: no test program ran"
	status=1
fi
exit $status

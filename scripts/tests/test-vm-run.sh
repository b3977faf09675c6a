#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Self-tests of the test bed runner (scripts/vm-run.sh): that it refuses
# bad input quickly, propagates the guest command's status, fails a run
# whose kernel printed a WARNING although the command passed, fails on a
# timeout, and leaves no QEMU behind when it, or the script that started
# it, is interrupted or killed. Records one result per case in
# $IRQLENS_RESULTS.

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

run="$IRQLENS_ROOT/scripts/vm-run.sh"
out="$IRQLENS_BUILD/vm/runner-selftest"
err="$IRQLENS_BUILD/runner-selftest.err"

# expect_fail NAME PATTERN CMD...: CMD must fail within 10 s, with one
# "irqlens: error:" line matching PATTERN.
expect_fail()
{
	local name=$1 pattern=$2 rc=0
	shift 2

	timeout 10 "$@" >/dev/null 2>"$err" || rc=$?
	if [[ $rc -eq 0 ]]; then
		result FAIL "runner: $name" "exited 0"
	elif [[ $rc -eq 124 ]]; then
		result FAIL "runner: $name" "hung (killed after 10 s)"
	elif ! grep -q "^irqlens: error: .*$pattern" "$err"; then
		result FAIL "runner: $name" "no error naming '$pattern': $(head -c 200 "$err")"
	else
		result PASS "runner: $name"
	fi
}

expect_fail "unknown option is refused" "unknown option '--bogus'" "$run" --bogus -- true
expect_fail "missing kernel image is refused" "does not exist" \
	"$run" --kernel /nonexistent/bzImage --modroot / -- true
expect_fail "bad timeout is refused" "not a positive number" "$run" --timeout abc -- true
expect_fail "missing command is refused" "no command given" "$run"
expect_fail "missing dependencies are named" "run scripts/install-deps.sh first" \
	env IRQLENS_CACHE=/nonexistent "$run" -- true

# The guest command's status comes back unchanged.
rc=0
bed_boot_run "$run" --out "$out" -- sh -c 'exit 7' >/dev/null 2>"$err" || rc=$?
if [[ $rc -eq 7 ]]; then
	result PASS "runner: guest exit status 7 is propagated"
else
	result FAIL "runner: guest exit status 7 is propagated" "got $rc"
fi

# A WARN in the guest kernel fails the run even though the command passes.
fixture="$IRQLENS_BUILD/guest-extra/irqlens_warn_fixture.ko"
if [[ ! -f $fixture ]]; then
	result FAIL "runner: guest WARN fails a passing command" "fixture $fixture was not built"
else
	rc=0
	bed_boot_run "$run" --out "$out" -- insmod /irqlens/extra/irqlens_warn_fixture.ko \
		>/dev/null 2>"$err" || rc=$?
	if [[ $rc -ne 0 ]] && grep -q 'kernel reported problems' "$err" &&
	   grep -q 'WARNING: CPU' "$err"; then
		result PASS "runner: guest WARN fails a passing command"
	else
		result FAIL "runner: guest WARN fails a passing command" \
			"status $rc: $(grep -m3 -E 'irqlens: (FAIL|error|  )' "$err" | tr '\n' ' ')"
	fi
fi

# A guest that never finishes is stopped and reported.
rc=0
bed_boot_run "$run" --out "$out" --timeout 40 -- sleep 3600 >/dev/null 2>"$err" || rc=$?
if [[ $rc -eq 124 ]] && grep -q 'timeout' "$err"; then
	result PASS "runner: a hung guest times out"
else
	result FAIL "runner: a hung guest times out" \
		"status $rc: $(grep -m3 -E 'irqlens: (FAIL|error|  )' "$err" | tr '\n' ' ')"
fi

# The QEMU processes of the run whose --out is $1: its console path is on
# their command line, and on no other run's.
run_qemus()
{
	ps -eo pid=,args= |
		awk -v m="path=$1/console.log" '$2 ~ /qemu-system-x86_64$/ && index($0, m) { print $1 }'
}

# expect_no_qemu_left NAME SIGNAL WHO: start a run whose guest sleeps,
# send SIGNAL once its QEMU runs, and expect no QEMU of that run 10 s
# later. WHO is "runner" (the signal goes to vm-run.sh) or "script" (to a
# script that started vm-run.sh through lib.sh's bed_boot_run, as
# check.sh's boots are). Started with SIGINT at its default: a background
# job of a script ignores SIGINT, a Ctrl-C does not. Tracked like any
# boot, so that this script's own end stops it too.
expect_no_qemu_left()
{
	local name="runner: $1" sig=$2 who=$3 pid i left
	local out="$IRQLENS_BUILD/vm/runner-selftest-$who-${2,,}"

	rm -rf "$out"
	if [[ $who == runner ]]; then
		tied_to_parent env --default-signal=INT "$run" --out "$out" --timeout 600 \
			-- sleep 3600 >/dev/null 2>"$err" &
	else
		# shellcheck disable=SC2016 # expanded by the inner bash
		tied_to_parent env --default-signal=INT bash -c '. "$1"; shift; bed_boot_run "$@"' \
			bash "$IRQLENS_ROOT/scripts/lib.sh" "$run" --out "$out" --timeout 600 \
			-- sleep 3600 >/dev/null 2>"$err" &
	fi
	pid=$!
	bed_boot_track "$pid"
	for ((i = 0; i < 240; i++)); do
		[[ -n $(run_qemus "$out") ]] && break
		sleep 0.5
	done
	if [[ -z $(run_qemus "$out") ]]; then
		kill -KILL "$pid" 2>/dev/null || true
		bed_boot_wait "$pid" 2>/dev/null || true
		result FAIL "$name" "QEMU never started: $(tail -n 3 "$err" | tr '\n' ' ')"
		return
	fi
	sleep 3		# booting, the stream and the timer running
	kill -"$sig" "$pid"
	# (stderr: not bash's note that the job was killed, which is the point)
	for ((i = 0; i < 20; i++)); do
		left=$(run_qemus "$out")
		[[ -z $left ]] && break
		sleep 0.5
	done 2>/dev/null
	if [[ -n $left ]]; then
		result FAIL "$name" "QEMU $(echo $left) of the run still there 10 s after SIG$sig"
		# shellcheck disable=SC2086 # a list of pids
		kill -KILL $left 2>/dev/null || true
	else
		result PASS "$name"
	fi
	bed_boot_wait "$pid" 2>/dev/null || true
}

expect_no_qemu_left "SIGINT to vm-run.sh stops its QEMU" INT runner
expect_no_qemu_left "SIGTERM to vm-run.sh stops its QEMU" TERM runner
expect_no_qemu_left "SIGKILL to vm-run.sh stops its QEMU" KILL runner
expect_no_qemu_left "SIGTERM to a script's background boot stops its QEMU" TERM script
expect_no_qemu_left "SIGKILL to a script's background boot stops its QEMU" KILL script

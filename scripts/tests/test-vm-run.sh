#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Self-tests of the test bed runner (scripts/vm-run.sh) and of how the
# scripts around it end: that vm-run.sh refuses bad input quickly,
# propagates the guest command's status, fails a run whose kernel printed
# a WARNING although the command passed, fails on a timeout, and leaves no
# QEMU behind when it, the script that started it, or make check's stage
# running it is interrupted or killed; that a stage (lib.sh stage) stops
# on an unchecked error and records one FAIL line per failure; that
# kunit.py's process group (lib.sh group_run) goes with its script.
# Records one result per case in $IRQLENS_RESULTS.

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

run="$IRQLENS_ROOT/scripts/vm-run.sh"
lib="$IRQLENS_ROOT/scripts/lib.sh"
out="$IRQLENS_BUILD/vm/runner-selftest"
err="$IRQLENS_BUILD/runner-selftest.err"
work=$(mktemp -d "${TMPDIR:-/tmp}/irqlens-runner-test.XXXXXX")
mkdir -p "$IRQLENS_BUILD/vm"

# The stages below record into results of their own, which are checked,
# not counted.
# stage_alone NAME CMD...: lib.sh's stage NAME CMD... in a subshell with
# an empty results file, $work/stage-results; its output in $work/stage-out.
stage_alone()
{
	(
		# shellcheck disable=SC2034 # lib.sh's: none of this script's boots
		BED_BOOT_PIDS=()
		export IRQLENS_RESULTS="$work/stage-results"
		: >"$IRQLENS_RESULTS"
		stage "$@"
	) >"$work/stage-out" 2>&1 || echo "the stage ended the script that ran it: status $?" >>"$work/stage-out"
}

# A failure the stage's command recorded itself is one FAIL line, not two:
# a bed boot of a kernel there is none of is refused before it starts.
stage_alone "self-test: no such kernel" bed_suites no-such-kernel
if [[ $(cat "$work/stage-results") == "  FAIL  bed/no-such-kernel: run: not started: unknown bed kernel 'no-such-kernel' (bed kernels: $BED_KERNELS)" ]]; then
	result PASS "stage: a failure the stage recorded is one FAIL line"
else
	result FAIL "stage: a failure the stage recorded is one FAIL line" \
		"results: $(head -c 300 "$work/stage-results" | tr '\n' '|') output: $(tail -n 1 "$work/stage-out")"
fi

# An error nobody checked stops a stage whose command is a function or a
# builtin (set -e, which "CMD || rc=$?" would turn off inside it), and the
# stage is a FAIL.
stage_alone "self-test: set -e" eval 'false; echo "went on after an error"'
if ! grep -q 'went on' "$work/stage-out" &&
   [[ $(cat "$work/stage-results") == "  FAIL  self-test: set -e: stage exited with status 1" ]]; then
	result PASS "stage: an unchecked error stops the stage and is a FAIL"
else
	result FAIL "stage: an unchecked error stops the stage" \
		"output: $(tail -n 2 "$work/stage-out" | tr '\n' '|') results: $(tr '\n' '|' <"$work/stage-results")"
fi

# The processes running program $1 (a path of this run's own).
procs_of()
{
	ps -eo pid=,args= | awk -v m="$1" '$2 == m { print $1 }'
}

# signal_and_expect_gone NAME SIGNAL PID WHAT LISTER ARG: send SIGNAL to
# PID; "LISTER ARG" (procs_of or run_qemus) must then list nothing within
# 10 s, else NAME fails naming WHAT is left (and it is killed). PID is
# reaped either way.
signal_and_expect_gone()
{
	local name=$1 sig=$2 pid=$3 what=$4 lister=$5 arg=$6 i left

	kill -"$sig" "$pid"
	# (stderr: not bash's note that the job was killed, which is the point)
	for ((i = 0; i < 20; i++)); do
		left=$("$lister" "$arg")
		[[ -z $left ]] && break
		sleep 0.5
	done 2>/dev/null
	if [[ -n $left ]]; then
		result FAIL "$name" "$what $(echo $left) still there 10 s after SIG$sig"
		# shellcheck disable=SC2086 # a list of pids
		kill -KILL $left 2>/dev/null || true
	else
		result PASS "$name"
	fi
	bed_boot_wait "$pid" 2>/dev/null || true
}

# expect_no_group_left NAME SIGNAL: a script runs a stand-in for kunit.py
# the way kunit-run.sh does (lib.sh group_run): a command that dies of
# SIGTERM and leaves its child (its "QEMU") running. SIGNAL to the script
# must leave no process of that group 10 s later.
expect_no_group_left()
{
	local name="kunit-run.sh: $1" sig=$2 pid i
	local qemu="$work/irqlens-fake-qemu-${sig,,}"

	ln -sf "$(command -v sleep)" "$qemu"
	# shellcheck disable=SC2016 # expanded by the inner shells
	tied_to_parent env --default-signal=INT bash -c '. "$1"; shift; group_run "$@"' \
		bash "$lib" sh -c '"$1" 3600 & wait' sh "$qemu" >/dev/null 2>&1 &
	pid=$!
	bed_boot_track "$pid"
	for ((i = 0; i < 40; i++)); do
		[[ -n $(procs_of "$qemu") ]] && break
		sleep 0.25
	done
	signal_and_expect_gone "$name" "$sig" "$pid" "its child" procs_of "$qemu"
}

expect_no_group_left "SIGTERM stops kunit.py's whole process group" TERM
expect_no_group_left "SIGINT stops kunit.py's whole process group" INT

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
# later. WHO is "runner" (the signal goes to vm-run.sh), "script" (to a
# script that started vm-run.sh through lib.sh's bed_boot_run, as
# check.sh's boots are) or "stage" (to a script that runs, as a stage the
# way check.sh does, a script that boots as bench.sh does). Started with
# SIGINT at its default: a background job of a script ignores SIGINT, a
# Ctrl-C does not. Tracked like any boot, so that this script's own end
# stops it too.
expect_no_qemu_left()
{
	local name="runner: $1" sig=$2 who=$3 pid i
	local out="$IRQLENS_BUILD/vm/runner-selftest-$who-${2,,}"

	rm -rf "$out"
	if [[ $who == runner ]]; then
		tied_to_parent env --default-signal=INT "$run" --out "$out" --timeout 600 \
			-- sleep 3600 >/dev/null 2>"$err" &
	elif [[ $who == script ]]; then
		# shellcheck disable=SC2016 # expanded by the inner bash
		tied_to_parent env --default-signal=INT bash -c '. "$1"; shift; bed_boot_run "$@"' \
			bash "$lib" "$run" --out "$out" --timeout 600 \
			-- sleep 3600 >/dev/null 2>"$err" &
	else
		# shellcheck disable=SC2016 # expanded by the inner bashes
		tied_to_parent env --default-signal=INT IRQLENS_RESULTS="$work/stage-results" \
			bash -c '. "$1"; shift; stage "self-test: a booting stage" "$@"' bash "$lib" \
			bash -c '. "$1"; shift; bed_boot_run "$@"' bash "$lib" \
			"$run" --out "$out" --timeout 600 -- sleep 3600 >/dev/null 2>"$err" &
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
	signal_and_expect_gone "$name" "$sig" "$pid" "QEMU of the run:" run_qemus "$out"
}

expect_no_qemu_left "SIGINT to vm-run.sh stops its QEMU" INT runner
expect_no_qemu_left "SIGTERM to vm-run.sh stops its QEMU" TERM runner
expect_no_qemu_left "SIGKILL to vm-run.sh stops its QEMU" KILL runner
expect_no_qemu_left "SIGTERM to a script's background boot stops its QEMU" TERM script
expect_no_qemu_left "SIGKILL to a script's background boot stops its QEMU" KILL script
expect_no_qemu_left "SIGTERM to make check's stage stops its QEMU" TERM stage
expect_no_qemu_left "SIGKILL to make check's stage stops its QEMU" KILL stage
rm -rf "$work"

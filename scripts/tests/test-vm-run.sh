#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Self-tests of the test bed runner (scripts/vm-run.sh): that it refuses
# bad input quickly, propagates the guest command's status, fails a run
# whose kernel printed a WARNING although the command passed, and fails on
# a timeout. Records one result per case in $IRQLENS_RESULTS.

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
"$run" --out "$out" -- sh -c 'exit 7' >/dev/null 2>"$err" || rc=$?
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
	"$run" --out "$out" -- insmod /irqlens/extra/irqlens_warn_fixture.ko >/dev/null 2>"$err" || rc=$?
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
"$run" --out "$out" --timeout 40 -- sleep 3600 >/dev/null 2>"$err" || rc=$?
if [[ $rc -eq 124 ]] && grep -q 'timeout' "$err"; then
	result PASS "runner: a hung guest times out"
else
	result FAIL "runner: a hung guest times out" \
		"status $rc: $(grep -m3 -E 'irqlens: (FAIL|error|  )' "$err" | tr '\n' ' ')"
fi

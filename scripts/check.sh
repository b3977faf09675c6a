#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The test command ("make check"): install what is missing, run the static
# checks, build everything (the test kernel included), test the test bed
# runner itself, run the live suites in the bed on Debian's kernel and on
# the test kernel (with the KUnit suites loaded by insmod there), run the
# KUnit suites with kunit.py, and end with "N passed, N failed, N skipped".

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

start=$SECONDS
"$IRQLENS_ROOT/scripts/install-deps.sh"
"$IRQLENS_ROOT/scripts/prepare-source.sh"
mkdir -p "$IRQLENS_BUILD"
export IRQLENS_RESULTS="$IRQLENS_BUILD/results-check.txt"
: >"$IRQLENS_RESULTS"

# A stage script that dies instead of recording its results is a failure
# of its own, not a reason to lose the summary.
stage()
{
	local name=$1 rc=0
	shift

	log "$name"
	"$@" || rc=$?
	[[ $rc -eq 0 ]] || result FAIL "$name" "stage script exited with status $rc"
}

stage "static checks" "$IRQLENS_ROOT/scripts/static-checks.sh"
stage "results tally self-tests" "$IRQLENS_ROOT/scripts/tests/test-tally.sh"

stage "build: test kernel" "$IRQLENS_ROOT/scripts/build-test-kernel.sh"
build_user
build_module debian
build_module test
build_fixture_module

stage "test bed runner self-tests" "$IRQLENS_ROOT/scripts/tests/test-vm-run.sh"

bed_suites debian
bed_suites test
bed_single_thread debian
bed_single_thread test
stage "bench: scripts/bench.sh -d $EDU_BDF -n 20 -r 1 runs" "$IRQLENS_ROOT/scripts/bench.sh" -d "$EDU_BDF" -n 20 -r 1
stage "KUnit through kunit.py run" "$IRQLENS_ROOT/scripts/kunit-run.sh"

echo "wall time: $((SECONDS - start)) s"
# Every boot of scripts/expected-results ran: all of them are expected.
results_summary

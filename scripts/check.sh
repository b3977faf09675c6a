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

stage "build: test kernel" "$IRQLENS_ROOT/scripts/build-test-kernel.sh"
build_user
build_module debian
build_module test
build_fixture_module

stage "test bed runner self-tests" "$IRQLENS_ROOT/scripts/tests/test-vm-run.sh"

# Two harness-library tests (issue 4) are not yet stable and are reported
# as SKIP with the reason; scripts/bed.sh still runs them:
# - test_guest_irqs: one run in three saw KVM_SIGNAL_MSI report a ready
#   x2APIC target as not accepting;
# - test_vfio_sigterm.sh: on the test kernel the SIGTERM restore path
#   hangs (passes on Debian's kernel).
export IRQLENS_SUITE_SKIP="test_guest_irqs:not stable in the TCG bed yet (KVM_SIGNAL_MSI to a ready x2APIC vCPU sometimes returns 0); run scripts/bed.sh|test_vfio_sigterm.sh:hangs on the test kernel (SIGTERM restore path under investigation); run scripts/bed.sh"
bed_suites debian
bed_suites test
unset IRQLENS_SUITE_SKIP
stage "KUnit through kunit.py run" "$IRQLENS_ROOT/scripts/kunit-run.sh"

echo "wall time: $((SECONDS - start)) s"
results_summary

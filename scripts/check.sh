#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The test command ("make check"; "make soak" runs it with
# IRQLENS_STRENGTH=soak, every kernel at full strength): install what is
# missing, fetch Debian's 7.x kernels, run the static checks, build
# everything (the test kernel included; irqlens.ko for every kernel), test
# the test bed runner itself, run the live suites in the bed on Debian's
# 6.12, the test kernel (with the KUnit suites loaded by insmod there),
# Debian's 7.2 and 7.2 PREEMPT_RT, run the KUnit suites with kunit.py, and
# end with "N passed, N failed, N skipped".

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

start=$SECONDS
log "strength: ${IRQLENS_STRENGTH:=check}"
[[ $IRQLENS_STRENGTH == check || $IRQLENS_STRENGTH == soak ]] ||
	die "IRQLENS_STRENGTH='$IRQLENS_STRENGTH': use check or soak"
export IRQLENS_STRENGTH
"$IRQLENS_ROOT/scripts/install-deps.sh"
"$IRQLENS_ROOT/scripts/prepare-source.sh"
STAGE_TIMES=("$(printf '%6d s  %s' $((SECONDS - start)) "packages and kernel source")")
mkdir -p "$IRQLENS_BUILD"
export IRQLENS_RESULTS="$IRQLENS_BUILD/results-check.txt"
: >"$IRQLENS_RESULTS"

# Each stage runs tied to this script (lib.sh stage): killing make check,
# however it dies, stops the running stage with its boots and kunit.py
# (no QEMU outlives it). A stage that
# dies instead of recording its results is a failure of its own, not a
# reason to lose the summary. Each stage's wall time is printed before
# the summary: the check's budget (README) is kept by knowing where the
# time goes.
stage "static checks" "$IRQLENS_ROOT/scripts/static-checks.sh"
stage "results tally self-tests" "$IRQLENS_ROOT/scripts/tests/test-tally.sh"
stage "kernel fetch self-tests (a fake archive)" "$IRQLENS_ROOT/scripts/tests/test-debian-kernels.sh"

stage "kernels: Debian sid 7.2, 7.2-rt, experimental 7.3-rc" fetch_debian_kernels 7.2 7.2-rt 7.3-rc
stage "build: test kernel" "$IRQLENS_ROOT/scripts/build-test-kernel.sh"
stage "kernels: the 6.12 versions" kernel_versions_612
# One stage each: one build that cannot start does not stop the others.
stage "build: harness" build_user
stage "build: irqlens.ko, Debian kernel" build_module debian
stage "build: irqlens.ko, test kernel" build_module test
stage "build: irqlens.ko, 7.2, 7.2-rt, 7.3-rc (W=1)" build_modules_debian_7x
stage "build: runner WARN fixture" build_fixture_module

stage "test bed runner self-tests" "$IRQLENS_ROOT/scripts/tests/test-vm-run.sh"

stage "bed: live suites, Debian kernel" bed_suites debian
stage "bed: live suites and KUnit by insmod, test kernel" bed_suites test
stage "bed: live suites, Debian 7.2 kernel" bed_suites 7.2
stage "bed: live suites, Debian 7.2 PREEMPT_RT kernel" bed_suites 7.2-rt
stage "bed: single-threaded bypass boots, Debian kernel" bed_single_thread debian
stage "bed: single-threaded bypass boots, test kernel" bed_single_thread test
stage "bed: single-threaded bypass boots, Debian 7.2 kernel" bed_single_thread 7.2
stage "bed: single-threaded bypass boots, Debian 7.2 PREEMPT_RT kernel" bed_single_thread 7.2-rt
stage "bench: scripts/bench.sh -d $EDU_BDF -n 20 -r 1 runs" "$IRQLENS_ROOT/scripts/bench.sh" -d "$EDU_BDF" -n 20 -r 1
stage "KUnit through kunit.py run" "$IRQLENS_ROOT/scripts/kunit-run.sh"

echo "==================== stage wall times ($IRQLENS_STRENGTH) ===================="
printf '%s\n' "${STAGE_TIMES[@]}"
echo "wall time: $((SECONDS - start)) s"
# Every boot of scripts/expected-results ran: all of them are expected.
results_summary

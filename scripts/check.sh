#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The test command ("make check"): install what is missing, run the static
# checks, build everything, test the test bed runner itself, run the live
# suites in the bed, and end with "N passed, N failed, N skipped".

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

start=$SECONDS
"$IRQLENS_ROOT/scripts/install-deps.sh"
"$IRQLENS_ROOT/scripts/prepare-source.sh"
mkdir -p "$IRQLENS_BUILD"
export IRQLENS_RESULTS="$IRQLENS_BUILD/results-check.txt"
: >"$IRQLENS_RESULTS"

log "static checks"
"$IRQLENS_ROOT/scripts/static-checks.sh"

log "builds"
build_all
build_fixture_module

log "test bed runner self-tests"
"$IRQLENS_ROOT/scripts/tests/test-vm-run.sh"

bed_suites debian

echo "wall time: $((SECONDS - start)) s"
results_summary

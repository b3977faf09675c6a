#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Host side of the insmod way to run irqlens' KUnit suites: take the
# per-suite KTAP that user/run_kunit.sh printed in a test bed run, parse
# each with the kernel's "kunit.py parse", and add one result line per
# KUnit case to $IRQLENS_RESULTS.
#
# usage: kunit-results.sh OUTPUT_LOG LABEL

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# -eq 2 ]] || die "usage: kunit-results.sh OUTPUT_LOG LABEL"
log=$1 label=$2
src=$(kernel_source)
work=$(mktemp -d "${TMPDIR:-/tmp}/irqlens-kunit.XXXXXX")
trap 'rm -rf "$work"' EXIT

# One file per suite block.
tr -d '\r' <"$log" | awk -v dir="$work" '
/^# irqlens-kunit-results: .* begin$/ { out = dir "/" $3 ".ktap"; next }
/^# irqlens-kunit-results: end$/ { close(out); out = ""; next }
out != "" { print > out }
'

status=0
suites=0
for ktap in "$work"/*.ktap; do
	[[ -f $ktap ]] || continue
	suites=$((suites + 1))
	name=$(basename "$ktap" .ktap)
	if ! python3 "$src/tools/testing/kunit/kunit.py" parse --json="$work/$name.json" \
		<"$ktap" >"$work/$name.parse" 2>&1; then
		status=1
	fi
	cat "$work/$name.parse" >&2
	if [[ -s $work/$name.json ]]; then
		"$IRQLENS_ROOT/scripts/kunit-json-results.py" "$label" "$work/$name.json" \
			>>"$IRQLENS_RESULTS" || status=1
	else
		result FAIL "$label/$name" "kunit.py parse wrote no results"
		status=1
	fi
done
if [[ $suites -eq 0 ]]; then
	result FAIL "$label" "no irqlens KUnit results in $log"
	status=1
fi
exit $status

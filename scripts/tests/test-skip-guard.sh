#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The SKIP guard must catch its planted examples (scripts/tests/
# skip_order_fixture/planted_skip.c): the static check reports all, and
# the runtime guard (user/lib/harness.h) keeps the failing test failed.
# Records one result per half in $IRQLENS_RESULTS.

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

src=$(kernel_source)
fixture="$IRQLENS_ROOT/scripts/tests/skip_order_fixture/planted_skip.c"
work=$(mktemp -d "${TMPDIR:-/tmp}/irqlens-skipguard.XXXXXX")
trap 'rm -rf "$work"' EXIT

found=$(python3 "$IRQLENS_ROOT/scripts/check-skip-order.py" "$fixture" || true)
# Direct, in a loop, after a helper's check, after the fixture's setup.
if [[ $(grep -c 'SKIP after a check' <<<"$found") -eq 2 &&
      $(grep -c 'SKIP inside a loop' <<<"$found") -eq 1 &&
      $(grep -c 'after FIXTURE_SETUP(planted) checked' <<<"$found") -eq 1 ]]; then
	result PASS "SKIP guard: static check reports all four planted SKIPs"
else
	result FAIL "SKIP guard: static check" "planted SKIPs not all reported: ${found:-nothing}"
fi

rc=0
gcc -D_GNU_SOURCE -isystem "$src/tools/testing/selftests" -I"$IRQLENS_ROOT/user" \
	-o "$work/planted" "$fixture" >"$work/cc.log" 2>&1 || rc=$?
if [[ $rc -ne 0 ]]; then
	result FAIL "SKIP guard: runtime" "planted test does not build: $(head -n 3 "$work/cc.log")"
	exit 0
fi
"$work/planted" -r global.expect_fails_then_skips >"$work/out" 2>&1 && rc=0 || rc=$?
if [[ $rc -eq 1 ]] && grep -q '^not ok 1 global.expect_fails_then_skips' "$work/out" &&
   grep -q 'SKIP refused, an earlier check failed' "$work/out"; then
	result PASS "SKIP guard: runtime keeps a failed test failed"
else
	result FAIL "SKIP guard: runtime" "exit $rc: $(grep -m1 'ok 1' "$work/out" || echo 'no result line')"
fi

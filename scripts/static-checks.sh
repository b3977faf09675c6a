#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The static checks the kernel community runs on a patch, on irqlens'
# kernel code: checkpatch.pl --strict (from the installed kernel source)
# over module/ and include/, and a W=1 build that must not warn. Records
# one result per check in $IRQLENS_RESULTS.

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

src=$(kernel_source)
cd "$IRQLENS_ROOT"

checkpatch()
{
	perl "$src/scripts/checkpatch.pl" --strict --no-tree --terse --show-types \
		--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG "$@"
}

# module/compat.h and module/compat_hooks.h are the one place allowed to
# test LINUX_VERSION_CODE (the house style's rule for out-of-tree code), so
# only there are those two checkpatch types off.
compat=(module/compat.h module/compat_hooks.h)
mapfile -t files < <(git ls-files -- 'module/*.[ch]' 'include/*.h' |
	grep -vxF -e "${compat[0]}" -e "${compat[1]}")
if [[ ${#files[@]} -eq 0 ]]; then
	result FAIL "checkpatch --strict" "no kernel sources found under module/ and include/"
elif { checkpatch -f "${files[@]}" &&
       checkpatch --ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON -f "${compat[@]}"; } \
	>"$IRQLENS_BUILD/checkpatch.log" 2>&1; then
	result PASS "checkpatch --strict ($(( ${#files[@]} + ${#compat[@]} )) files)"
else
	grep -E ': (ERROR|WARNING|CHECK):' "$IRQLENS_BUILD/checkpatch.log" | head -n 20 >&2 || true
	result FAIL "checkpatch --strict" "see $IRQLENS_BUILD/checkpatch.log"
fi

# A separate build directory, so every file is compiled with W=1.
w1="$IRQLENS_BUILD/w1"
rm -rf "$w1"
if make -C "$IRQLENS_ROOT" BUILD="$w1" W=1 module >"$IRQLENS_BUILD/w1.log" 2>&1 &&
   ! grep -q 'warning:' "$IRQLENS_BUILD/w1.log"; then
	result PASS "W=1 build without warnings"
else
	grep -E 'warning:|error:|Error' "$IRQLENS_BUILD/w1.log" | head -n 20 >&2 || true
	result FAIL "W=1 build without warnings" "see $IRQLENS_BUILD/w1.log"
fi

# The harness rule "a test that has checked something never ends in SKIP"
# (user/lib/harness.h), over every harness source, and the guard's own
# test on its planted examples.
mapfile -t harness_srcs < <(git ls-files -- 'user/*.c')
if python3 "$IRQLENS_ROOT/scripts/check-skip-order.py" "${harness_srcs[@]}" \
	>"$IRQLENS_BUILD/skip-order.log" 2>&1; then
	result PASS "harness: no SKIP after a check (${#harness_srcs[@]} files)"
else
	head -n 20 "$IRQLENS_BUILD/skip-order.log" >&2
	result FAIL "harness: no SKIP after a check" "$(head -n 1 "$IRQLENS_BUILD/skip-order.log")"
fi
"$IRQLENS_ROOT/scripts/tests/test-skip-guard.sh"
python3 scripts/check-tracepoint-protos.py "$src" >"$IRQLENS_BUILD/tracepoint-protos.log" 2>&1 && result PASS "tracepoint probes and mirrored structs match $src" || { grep MISMATCH -A4 "$IRQLENS_BUILD/tracepoint-protos.log" >&2 || true; result FAIL "tracepoint probes and mirrored structs" "see $IRQLENS_BUILD/tracepoint-protos.log"; }

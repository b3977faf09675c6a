#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Run irqlens' KUnit suites with the kernel's own kunit.py, in QEMU:
#
#   scripts/kunit-run.sh [extra kunit.py run arguments]
#
# It links irqlens into the cached kernel tree (scripts/kunit-tree.sh) and
# runs "kunit.py run --arch=x86_64" with module/tests/.kunitconfig. The
# KUnit kernel is a small one (kunit.py's x86_64 base plus that file), in
# its own build directory, compiled through the same ccache as the test
# kernel: it cannot share the test kernel's tree, because there irqlens
# must stay out of tree to test the irqlens.ko users load.
#
# With $IRQLENS_RESULTS set, one result line per KUnit case is added.

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

src=$("$IRQLENS_ROOT/scripts/kunit-tree.sh")
build="$IRQLENS_CACHE/kunit-build"
json="$IRQLENS_BUILD/kunit-run.json"
mkdir -p "$build" "$IRQLENS_BUILD"
rm -f "$json"

export CCACHE_DIR="$IRQLENS_CACHE/ccache"
export KBUILD_BUILD_TIMESTAMP="2026-01-01 00:00:00 UTC"
export KBUILD_BUILD_USER=irqlens KBUILD_BUILD_HOST=irqlens

rc=0
python3 "$src/tools/testing/kunit/kunit.py" run \
	--arch=x86_64 \
	--build_dir="$build" \
	--kunitconfig="$IRQLENS_ROOT/module/tests/.kunitconfig" \
	--jobs=$(( $(nproc) + 1 )) \
	--timeout=600 \
	--make_options "CC=ccache gcc" \
	--json="$json" \
	"$@" || rc=$?

if [[ -n ${IRQLENS_RESULTS:-} ]]; then
	if [[ -s $json ]]; then
		"$IRQLENS_ROOT/scripts/kunit-json-results.py" kunit.py "$json" >>"$IRQLENS_RESULTS" || true
	fi
	if [[ $rc -eq 0 ]]; then
		result PASS "kunit.py run: exit status 0"
	else
		result FAIL "kunit.py run" "exit status $rc"
	fi
fi
exit "$rc"

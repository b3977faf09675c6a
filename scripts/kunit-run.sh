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
# With $IRQLENS_RESULTS set, one result line per KUnit case is added:
# scripts/tally.py parses the kernel log kunit.py keeps (test.log) with
# "kunit.py parse", labelled "kunit.py". The log is removed first and the
# kernel command line carries a fresh irqlens_run_id, so a log of an
# earlier run is never counted.

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

src=$("$IRQLENS_ROOT/scripts/kunit-tree.sh")
build="$IRQLENS_CACHE/kunit-build"
test_log="$build/test.log"	# kunit_kernel.py's OUTFILE_PATH
run_id=$(cat /proc/sys/kernel/random/uuid)
mkdir -p "$build" "$IRQLENS_BUILD"
rm -f "$test_log"

export CCACHE_DIR="$IRQLENS_CACHE/ccache"
export KBUILD_BUILD_TIMESTAMP="2026-01-01 00:00:00 UTC"
export KBUILD_BUILD_USER=irqlens KBUILD_BUILD_HOST=irqlens

# kunit.py dies of SIGTERM without stopping its QEMU (or its kernel
# build): it runs in a process group of its own (lib.sh group_run), which
# this script's EXIT trap kills whole, and bash runs that trap when
# SIGTERM, SIGINT or SIGHUP kill it too (make check's stage sends SIGTERM
# when make check dies).
rc=0
group_run python3 "$src/tools/testing/kunit/kunit.py" run \
	--arch=x86_64 \
	--build_dir="$build" \
	--kunitconfig="$IRQLENS_ROOT/module/tests/.kunitconfig" \
	--jobs=$(( $(nproc) + 1 )) \
	--timeout=600 \
	--make_options "CC=ccache gcc" \
	--kernel_args "irqlens_run_id=$run_id" \
	"$@" || rc=$?

if [[ -n ${IRQLENS_RESULTS:-} ]]; then
	{
		"$IRQLENS_ROOT/scripts/tally.py" kunit "$test_log" --from run --label kunit.py \
			--run-id "$run_id" --kunit-py "$src/tools/testing/kunit/kunit.py" --quiet ||
			echo "  FAIL  kunit.py: scripts/tally.py kunit exited with status $?"
	} | tee -a "$IRQLENS_RESULTS" >&2
	if [[ $rc -eq 0 ]]; then
		result PASS "kunit.py run: exit status 0"
	else
		result FAIL "kunit.py run" "exit status $rc"
	fi
fi
exit "$rc"

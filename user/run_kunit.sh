#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the "insmod" way to run irqlens' KUnit suites on a kernel
# with CONFIG_KUNIT: load irqlens.ko and irqlens_kunit.ko (KUnit runs the
# suites at load), print each suite's KTAP from
# /sys/kernel/debug/kunit/<suite>/results between markers for
# "scripts/tally.py kunit --from insmod", and unload them. irqlens.ko may
# already be loaded (tests that need it leave it loaded); then it is used
# and left. IRQLENS_RUN_ID, when set, is printed first (see run_suites.sh).

ko_dir=${IRQLENS_KO_DIR:-/irqlens}
[ -z "${IRQLENS_RUN_ID:-}" ] || echo "# irqlens-run-id: $IRQLENS_RUN_ID"

if [ ! -d /sys/kernel/debug/kunit ]; then
	echo "# irqlens-kunit: this kernel has no /sys/kernel/debug/kunit (CONFIG_KUNIT_DEBUGFS)"
	exit 1
fi
loaded_here=
if ! grep -q '^irqlens ' /proc/modules; then
	insmod "$ko_dir/irqlens.ko" || exit 1
	loaded_here=1
fi
if ! insmod "$ko_dir/irqlens_kunit.ko"; then
	[ -n "$loaded_here" ] && rmmod irqlens
	exit 1
fi

found=0
for d in /sys/kernel/debug/kunit/irqlens_*; do
	[ -f "$d/results" ] || continue
	found=$((found + 1))
	echo "# irqlens-kunit-results: $(basename "$d") begin"
	cat "$d/results"
	echo "# irqlens-kunit-results: end"
done

rmmod irqlens_kunit || exit 1
[ -z "$loaded_here" ] || rmmod irqlens || exit 1
if [ $found -eq 0 ]; then
	echo "# irqlens-kunit: no irqlens_* suite in /sys/kernel/debug/kunit"
	exit 1
fi

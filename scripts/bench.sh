#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Run bench_bypass in the test bed, on Debian's kernel (the test kernel's
# KASAN would measure itself), and print its numbers:
#
#   scripts/bench.sh [bench_bypass options, e.g. -n 2000 -r 8]
#
# Without -d it runs once per VFIO device of the bed (the edu, then the
# e1000e); with -d BDF on that device only. It boots single-threaded TCG
# (vm-run.sh --accel tcg-single), as test_vfio_bypass does: on
# multi-threaded TCG a run timed out on its first VFIO emulated trigger,
# while single-threaded TCG carried it (slower: ~10 ms a send). Exits
# with bench_bypass's status: make check runs a short form to see that
# it works, not to judge the numbers.

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

for arg in "$@"; do
	[[ $arg == -h || $arg == --help ]] && { sed -n '3,15p' "$0"; exit 0; }
done

"$IRQLENS_ROOT/scripts/install-deps.sh"
"$IRQLENS_ROOT/scripts/prepare-source.sh"
mkdir -p "$IRQLENS_BUILD"
# The builds' results, its own: under make check they are already counted.
export IRQLENS_RESULTS="$IRQLENS_BUILD/results-bench.txt"
: >"$IRQLENS_RESULTS"
build_user
build_module debian
! grep -q '^  FAIL ' "$IRQLENS_RESULTS" || die "the builds failed (see above)"

# The time limit follows the work asked for: sends per round and path
# (-n), rounds (-r), bench_bypass's defaults otherwise, 3 paths, 2 states
# of irqlens.ko, each device. A send took ~10 ms on single-threaded TCG;
# 30 ms each and 10 minutes for booting and module loads leave room.
sends=2000 rounds=6 devices=2 args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
	case ${args[i]} in
	-d)  devices=1; i=$((i + 1)) ;;
	-n)  sends=${args[i + 1]:-}; i=$((i + 1)) ;;
	-n*) sends=${args[i]#-n} ;;
	-r)  rounds=${args[i + 1]:-}; i=$((i + 1)) ;;
	-r*) rounds=${args[i]#-r} ;;
	esac
done
# A malformed number is bench_bypass's to refuse, in the bed.
[[ $sends =~ ^[0-9]+$ ]] || sends=0
[[ $rounds =~ ^[0-9]+$ ]] || rounds=0
limit=$((600 + 10#$sends * 10#$rounds * 3 * 2 * devices * 30 / 1000))

if [[ $devices -eq 1 ]]; then
	guest=(/irqlens/bin/bench_bypass "$@")
else
	# The options reach bench_bypass as they were given ("$@" in the
	# guest's sh), none when none were given.
	# shellcheck disable=SC2016 # expanded by the guest's sh
	guest=(sh -c 'for d in $IRQLENS_VFIO_DEVICES; do /irqlens/bin/bench_bypass -d "$d" "$@" || exit 1; done' bench "$@")
fi
log "bench_bypass in the bed: at most $limit s"
bed_boot_run "$IRQLENS_ROOT/scripts/vm-run.sh" --kernel debian --accel tcg-single \
	--timeout "$limit" --out "$IRQLENS_BUILD/vm/bench" -- "${guest[@]}"

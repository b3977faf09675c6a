#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The main job: install what is missing, build irqlens.ko and the harness,
# run the live suites and the three-way cross-check (test_vfio_bypass,
# 200 interrupts per test, on single-threaded TCG) in the QEMU test bed,
# and end with a report to read at a glance (scripts/bed-report.py): per
# boot its kernel and counts, what was observed, irqlens status as it was
# during the cross-check, every SKIP reason once, every failure, where the
# logs are. Every result line goes to build/bed-summary.txt.
#
# usage: scripts/bed.sh [--kernel debian|test|7.2|7.2-rt|all]   (default: debian)

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

kernels=(debian)
while [[ $# -gt 0 ]]; do
	case $1 in
	--kernel)
		[[ $# -ge 2 ]] || die "--kernel needs one of: $BED_KERNELS all"
		case " $BED_KERNELS all " in
		*" $2 "*) ;;
		*) die "--kernel '$2': use one of: $BED_KERNELS all" ;;
		esac
		if [[ $2 == all ]]; then
			read -r -a kernels <<<"$BED_KERNELS"
		else
			kernels=("$2")
		fi
		shift 2
		;;
	-h|--help) sed -n '3,12p' "$0"; exit 0 ;;
	*) die "unknown option '$1' (see --help)" ;;
	esac
done

start=$SECONDS
"$IRQLENS_ROOT/scripts/install-deps.sh"
mkdir -p "$IRQLENS_BUILD"
export IRQLENS_RESULTS="$IRQLENS_BUILD/results-bed.txt"
export IRQLENS_STRENGTH=bed
: >"$IRQLENS_RESULTS"
STAGE_TIMES=()

# Stages record their own failures and never stop the summary (lib.sh).
stage "build: harness" build_user
newer=()
for k in "${kernels[@]}"; do
	[[ $k == 7.* ]] && newer+=("$k")
done
[[ ${#newer[@]} -eq 0 ]] ||
	stage "kernels: Debian ${newer[*]}" fetch_debian_kernels "${newer[@]}"
boots=()	# what ran, as labelled in scripts/expected-results
for k in "${kernels[@]}"; do
	[[ $k == test ]] && stage "build: test kernel" "$IRQLENS_ROOT/scripts/build-test-kernel.sh"
	stage "build: irqlens.ko for the $k kernel" build_module "$k"
	stage "bed: live suites, $k kernel" bed_suites "$k"
	stage "bed: cross-check on single-threaded TCG, $k kernel" bed_single_thread "$k"
	boots+=("$k" "$k-tcg-single-edu" "$k-tcg-single-e1000e")
	[[ $k == test ]] && boots+=("kunit-insmod/$k")
done
echo "stage wall times:"
printf '%s\n' "${STAGE_TIMES[@]}"
echo "wall time: $((SECONDS - start)) s"
echo
rc=0
results_summary "${boots[@]}" >"$IRQLENS_BUILD/bed-summary.txt" || rc=$?
"$IRQLENS_ROOT/scripts/bed-report.py" "$IRQLENS_BUILD/bed-summary.txt" "$IRQLENS_BUILD/vm" || rc=1
exit "$rc"

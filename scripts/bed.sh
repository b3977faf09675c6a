#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The main job: install what is missing, build irqlens.ko and the harness,
# run the live suites in the QEMU test bed and print a summary.
#
# usage: scripts/bed.sh [--kernel debian|test|all]   (default: debian)

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

kernels=(debian)
while [[ $# -gt 0 ]]; do
	case $1 in
	--kernel)
		[[ $# -ge 2 ]] || die "--kernel needs debian, test or all"
		case $2 in
		debian|test) kernels=("$2") ;;
		all)         kernels=(debian test) ;;
		*)           die "--kernel '$2': use debian, test or all" ;;
		esac
		shift 2
		;;
	-h|--help) sed -n '3,8p' "$0"; exit 0 ;;
	*) die "unknown option '$1' (see --help)" ;;
	esac
done

start=$SECONDS
"$IRQLENS_ROOT/scripts/install-deps.sh"
mkdir -p "$IRQLENS_BUILD"
export IRQLENS_RESULTS="$IRQLENS_BUILD/results-bed.txt"
: >"$IRQLENS_RESULTS"

# Stages record their own failures and never stop the summary (lib.sh).
stage "build: harness" build_user
boots=()	# what ran, as labelled in scripts/expected-results
for k in "${kernels[@]}"; do
	[[ $k == test ]] && stage "build: test kernel" "$IRQLENS_ROOT/scripts/build-test-kernel.sh"
	stage "build: irqlens.ko for the $k kernel" build_module "$k"
	stage "bed: live suites, $k kernel" bed_suites "$k"
	boots+=("$k")
	if [[ $k == test ]]; then
		boots+=("kunit-insmod/$k")
	fi
done
echo "wall time: $((SECONDS - start)) s"
results_summary "${boots[@]}"

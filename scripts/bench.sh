#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Run bench_bypass in the test bed on each VFIO device, on Debian's kernel
# (the test kernel's KASAN would measure itself), and print its numbers:
#
#   scripts/bench.sh [bench_bypass options, e.g. -n 2000 -r 8]
#
# Not part of make check: a benchmark prints, it does not pass or fail.

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

"$IRQLENS_ROOT/scripts/install-deps.sh"
"$IRQLENS_ROOT/scripts/prepare-source.sh"
build_user
build_module debian
args=$(printf '%q ' "$@")
"$IRQLENS_ROOT/scripts/vm-run.sh" --kernel debian --timeout 1800 \
	--out "$IRQLENS_BUILD/vm/bench" -- sh -c \
	"for d in \$IRQLENS_VFIO_DEVICES; do /irqlens/bin/bench_bypass -d \$d $args || exit 1; done"

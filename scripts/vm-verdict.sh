#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Decide how a test bed run ended, from its logs:
#   - the guest command's status ("IRQLENS-EXIT: n" on the output port);
#   - a timeout, or a guest that died before reporting;
#   - any kernel report on the console, which fails the run even when the
#     command passed.
#
# usage: vm-verdict.sh OUTDIR QEMU_STATUS TIMEOUT
# Exits with the command's status, or 1 when the kernel reported a problem
# or the guest never reported a status (124 on timeout).

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# -eq 3 ]] || die "usage: vm-verdict.sh OUTDIR QEMU_STATUS TIMEOUT"
outdir=$1 qemu_rc=$2 timeout=$3
console="$outdir/console.log"
output="$outdir/output.log"

# What a kernel says when something went wrong. Anchored on the kernel's
# own wording: WARN splats and lockdep headers start a message with
# "WARNING: " (a boot advisory such as SRSO's has it mid-line and is not a
# report). Test output is on another port, so it cannot match.
KERNEL_REPORTS='(^|\] )(WARNING|BUG): |Oops[: ]|Kernel panic|KASAN: |UBSAN: |general protection fault|kernel BUG at|Call Trace:|possible (recursive|circular) locking|inconsistent lock state|suspicious RCU usage|unreferenced object 0x|blocked for more than [0-9]+ seconds|soft lockup|rcu_sched detected stalls|RCU detected stall'

rc=$(tr -d '\r' <"$output" 2>/dev/null | sed -n 's/^IRQLENS-EXIT: \([0-9]*\)$/\1/p' | tail -n 1)
reports=$(tr -d '\r' <"$console" 2>/dev/null | grep -E "$KERNEL_REPORTS" | head -n 20 || true)

if [[ -n $reports ]]; then
	echo "irqlens: FAIL: the guest kernel reported problems (full log: $console):" >&2
	sed 's/^/irqlens:   /' <<<"$reports" >&2
	exit 1
fi
if [[ $qemu_rc -eq 124 || $qemu_rc -eq 137 ]]; then
	echo "irqlens: FAIL: timeout: the test bed run exceeded $timeout s (console: $console)" >&2
	exit 124
fi
if [[ -z $rc ]]; then
	echo "irqlens: FAIL: the guest never reported an exit status (QEMU status $qemu_rc); last console lines:" >&2
	tr -d '\r' <"$console" 2>/dev/null | tail -n 15 | sed 's/^/irqlens:   /' >&2
	exit 1
fi
if [[ $rc -eq 125 ]]; then
	echo "irqlens: FAIL: the guest could not load the bed's kernel modules (see output above)" >&2
	exit 1
fi
exit "$rc"

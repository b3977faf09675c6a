#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Summarise the KTAP output of a test bed run (user/run_suites.sh) for a
# person: one line per case (PASS / FAIL / SKIP with its reason) grouped by
# program, then totals. A program that exits non-zero without a failing
# case (a crash, a timeout of the harness) counts as one failure.
#
# usage: ktap-summary.sh LOG LABEL
# Prints "totals: P F S" last on stdout for the caller.

set -euo pipefail

[[ $# -eq 2 ]] || { echo "usage: ktap-summary.sh LOG LABEL" >&2; exit 2; }
log=$1 label=$2

tr -d '\r' <"$log" | awk -v label="$label" '
/^# irqlens-suite: .* start$/ { prog = $3; nfail_prog = 0; next }
/^# irqlens-suite: .* exit=/ {
	rc = substr($4, 6)
	if (rc != 0 && rc != 4 && nfail_prog == 0) {
		printf "  FAIL  %s/%s: exited %s without a failing case\n", label, prog, rc
		fail++
	}
	prog = ""
	next
}
/^(not )?ok [0-9]+ / {
	if (prog == "")
		next		# nested or foreign KTAP, not ours
	line = $0
	skip = ""
	if (match(line, / # SKIP.*/)) {
		skip = substr(line, RSTART + 8)
		line = substr(line, 1, RSTART - 1)
	}
	notok = (line ~ /^not ok/)
	sub(/^(not )?ok [0-9]+ /, "", line)
	if (skip != "" || line ~ /# SKIP/) {
		printf "  SKIP  %s/%s %s: %s\n", label, prog, line, skip; skipped++
	} else if (notok) {
		printf "  FAIL  %s/%s %s\n", label, prog, line; fail++; nfail_prog++
	} else {
		printf "  PASS  %s/%s %s\n", label, prog, line; pass++
	}
}
END { printf "totals: %d %d %d\n", pass, fail, skipped }
'

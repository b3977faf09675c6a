#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Self-tests of the results tally (scripts/tally.py). Each folder NAME of
# scripts/tests/tally_fixtures/ holds a log and, for each way it is read,
# what the tally must print for it, exactly, after a first line
# "# exit <status>":
#   ktap.expected       tally.py ktap NAME/output.log --label bed --run-id RUNID-1
#   kunit.expected      tally.py kunit NAME/output.log --from insmod
#                       --label kunit-insmod/bed --run-id RUNID-1
#   kunit-run.expected  tally.py kunit NAME/test.log --from run --label kunit.py
#                       --run-id RUNID-1
#   summary.expected    tally.py summary NAME/results expected-results --root tree
#   expected.expected   tally.py expected expected-results --root tree
# with the words of NAME/args added; expected-results and tree/ (a stand-in
# source tree) are the fixtures' manifest. Then: the manifest follows the
# sources and refuses malformed "skip:" blocks, user/run_suites.sh's own
# output passes the tally (its IRQLENS_SUITE_SKIP SKIPs do not), the bed
# boots never pass IRQLENS_SUITE_SKIP on, the real manifest expands, and
# it allows the bed's real SKIPs (real-skips/allowed) and no others
# (real-skips/refused). One result per case in $IRQLENS_RESULTS; run
# alone, the results go to stderr and the exit status says whether all
# passed.

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

fixtures="$IRQLENS_ROOT/scripts/tests/tally_fixtures"
tally="$IRQLENS_ROOT/scripts/tally.py"
kunit_py="$(kernel_source)/tools/testing/kunit/kunit.py"
work=$(mktemp -d "${TMPDIR:-/tmp}/irqlens-tally-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
standalone=
if [[ -z ${IRQLENS_RESULTS:-} ]]; then
	export IRQLENS_RESULTS="$work/results"
	standalone=1
fi

# expect NAME WANT CMD...: CMD, run in the fixtures folder, must print
# WANT's lines after its first, and exit with the status that line names.
expect()
{
	local name=$1 want=$2 rc=0
	shift 2

	(cd "$fixtures" && "$@") >"$work/out" 2>"$work/err" || rc=$?
	{ echo "# exit $rc"; cat "$work/out"; } >"$work/got"
	if diff -u "$want" "$work/got" >"$work/diff"; then
		result PASS "tally: $name"
	else
		sed 's/^/    /' "$work/diff" "$work/err" >&2
		result FAIL "tally: $name" "output differs from ${want#"$fixtures/"}, first: $(
			grep -m1 -E '^[-+]([^-+]|$)' "$work/diff")"
	fi
}

for dir in "$fixtures"/*/; do
	name=$(basename "$dir")
	extra=()
	if [[ -f $dir/args ]]; then
		read -ra extra <"$dir/args"
	fi
	if [[ -f $dir/ktap.expected ]]; then
		expect "$name (ktap)" "$dir/ktap.expected" \
			"$tally" ktap "$name/output.log" --label bed --run-id RUNID-1 "${extra[@]}"
	fi
	if [[ -f $dir/kunit.expected ]]; then
		expect "$name (kunit, insmod)" "$dir/kunit.expected" \
			"$tally" kunit "$name/output.log" --from insmod --label kunit-insmod/bed \
			--run-id RUNID-1 --kunit-py "$kunit_py" "${extra[@]}"
	fi
	if [[ -f $dir/kunit-run.expected ]]; then
		expect "$name (kunit, kunit.py run)" "$dir/kunit-run.expected" \
			"$tally" kunit "$name/test.log" --from run --label kunit.py \
			--run-id RUNID-1 --kunit-py "$kunit_py" "${extra[@]}"
	fi
	if [[ -f $dir/summary.expected ]]; then
		expect "$name (summary)" "$dir/summary.expected" \
			"$tally" summary "$name/results" expected-results --root tree "${extra[@]}"
	fi
	if [[ -f $dir/expected.expected ]]; then
		expect "$name (expected entries)" "$dir/expected.expected" \
			"$tally" expected expected-results --root tree "${extra[@]}"
	fi
done

# The manifest follows the sources: a program dropped from user/Makefile
# (its source still there) stays expected, a program added to it is
# expected at once, and a program left out of one boot must be run by
# another.
# expect_after_edit SED ENTRY WHAT: edit the tree's user/Makefile with
# SED; the manifest must then expect ENTRY.
expect_after_edit()
{
	sed -i "$1" "$work/tree/user/Makefile"
	"$tally" expected "$fixtures/expected-results" --root "$work/tree" --boot bed >"$work/exp"
	if grep -qx "$2" "$work/exp"; then
		result PASS "tally: manifest: $3 is expected"
	else
		result FAIL "tally: manifest: $3" "$2 not expected"
	fi
}
cp -r "$fixtures/tree" "$work/tree"
expect_after_edit 's/^TEST_GEN_PROGS := smoke_a test_b /TEST_GEN_PROGS := smoke_a /' \
	bed/test_b "a program dropped from user/Makefile (its source still there)"
expect_after_edit 's/^TEST_GEN_PROGS := smoke_a /TEST_GEN_PROGS := smoke_a test_new /' \
	bed/test_new "a program added to user/Makefile"
grep -v '^bed-single:\|^skip:\|^[[:space:]]' "$fixtures/expected-results" >"$work/no-single"
rc=0
"$tally" expected "$work/no-single" --root "$fixtures/tree" >/dev/null 2>"$work/err" || rc=$?
if [[ $rc -eq 2 ]] && grep -q 'bed leaves out test_vfio_c but no other boot expects it' "$work/err"; then
	result PASS "tally: manifest: a left-out program no other boot expects is refused"
else
	result FAIL "tally: manifest: a left-out program no other boot expects" \
		"exit $rc: $(head -n 1 "$work/err")"
fi

# A "skip:" block the tally cannot use is refused, never ignored.
bad_manifest()
{
	local name=$1 want=$2 rc=0

	grep -v '^skip:\|^[[:space:]]' "$fixtures/expected-results" >"$work/bad-manifest"
	cat >>"$work/bad-manifest"
	"$tally" summary /dev/null "$work/bad-manifest" --root "$fixtures/tree" \
		>/dev/null 2>"$work/err" || rc=$?
	if [[ $rc -eq 2 ]] && grep -qF "$want" "$work/err"; then
		result PASS "tally: manifest: $name is refused"
	else
		result FAIL "tally: manifest: $name" "exit $rc: $(head -n 1 "$work/err")"
	fi
}
printf 'skip: bed nowhere\n\tcase: test_b\n\treason: no /dev/kvm\n' |
	bad_manifest "a skip: block naming no boot of the manifest" \
	'"skip:" names nowhere, which is no boot of the manifest'
printf 'skip: bed\n\tcase: test_b\n' |
	bad_manifest "a skip: block without a reason" 'a "skip:" block needs "case:" and "reason:" lines'
printf 'skip: bed\n\treason: a\n\treason: b\n' |
	bad_manifest "a skip: block with two reasons" 'a "skip:" block has one "reason:"'
printf 'case: test_b\n' |
	bad_manifest "a case: line outside a skip: block" 'belongs under a "skip:" line'

# user/run_suites.sh's own output, from stand-in programs: the run id, the
# blocks, IRQLENS_SUITE_ELSEWHERE, and IRQLENS_SUITE_SKIP per device, whose
# SKIPs the manifest does not allow.
mkdir -p "$work/bin" "$work/main" "$work/single"
cp "$IRQLENS_ROOT/user/run_suites.sh" "$work/bin/"
for prog in smoke_a test_b test_d.sh test_vfio_c; do
	# shellcheck disable=SC2016 # $IRQLENS_DEVICE is the stand-in's
	printf '#!/bin/sh\necho "TAP version 13"\necho "1..1"\necho "ok 1 %s.on_$IRQLENS_DEVICE"\n' \
		"$prog" >"$work/bin/$prog"
	chmod +x "$work/bin/$prog"
done
rc=0
IRQLENS_RUN_ID=RUNID-E IRQLENS_DEVICE=none IRQLENS_SUITE_ELSEWHERE=test_vfio_c \
	IRQLENS_VFIO_DEVICES="0000:00:10.0 0000:00:11.0" \
	"$work/bin/run_suites.sh" >"$work/main/output.log" 2>&1 || rc=$?
IRQLENS_RUN_ID=RUNID-S IRQLENS_SUITE_SKIP="test_vfio_c:flaky here" \
	IRQLENS_VFIO_DEVICES="0000:00:10.0 0000:00:11.0" \
	"$work/bin/run_suites.sh" test_vfio_c >"$work/single/output.log" 2>&1 || rc=$?
{
	"$tally" ktap "$work/main/output.log" --label bed --run-id RUNID-E
	"$tally" ktap "$work/single/output.log" --label bed-single --run-id RUNID-S
} >"$work/e2e-results"
"$tally" summary "$work/e2e-results" "$fixtures/expected-results" --root "$fixtures/tree" \
	--boot bed --boot bed-single >"$work/e2e-summary" || rc=$?
if [[ $rc -eq 1 ]] && [[ $(tail -n 1 "$work/e2e-summary") == "3 passed, 2 failed, 0 skipped" ]] &&
   grep -qx '  FAIL  bed-single/test_vfio_c@0000:00:11.0 test_vfio_c@0000:00:11.0: unexpected SKIP: flaky here' \
	"$work/e2e-summary"; then
	result PASS "tally: user/run_suites.sh output passes, its IRQLENS_SUITE_SKIP skips per device fail"
else
	sed 's/^/    /' "$work/main/output.log" "$work/single/output.log" "$work/e2e-summary" >&2
	result FAIL "tally: user/run_suites.sh output" \
		"status $rc, last line '$(tail -n 1 "$work/e2e-summary")'"
fi

# lib.sh's side, on results of its own: a boot that left no output.log is
# a FAIL with the reason and the caller goes on; a summary whose tally
# breaks still ends with the counts line, the breakage counted.
rc=0
# shellcheck disable=SC2030,SC2031 # results of its own, in this subshell only
(
	export IRQLENS_RESULTS="$work/lib-results"
	: >"$IRQLENS_RESULTS"
	: >"$work/nolog.err"
	bed_boot_results nolog "$work/nolog" 1 RUNID-1
	echo "went on"
	results_summary no-such-boot
) >"$work/lib-out" 2>&1 || rc=$?
if [[ $rc -eq 1 ]] && grep -q '^went on$' "$work/lib-out" &&
   grep -qx "  FAIL  nolog: no output.log at $work/nolog/output.log (the boot did not start or died before writing it)" \
	"$work/lib-results" &&
   [[ $(tail -n 1 "$work/lib-out") == "0 passed, 3 failed, 0 skipped" ]]; then
	result PASS "tally: lib.sh: a missing output.log is a FAIL, a broken summary still counts"
else
	sed 's/^/    /' "$work/lib-out" >&2
	result FAIL "tally: lib.sh: missing output.log, broken summary" \
		"status $rc, last line '$(tail -n 1 "$work/lib-out")'"
fi

# make check's boots run every program: a caller's IRQLENS_SUITE_SKIP
# never reaches them (the boot itself stands in here).
rc=0
# shellcheck disable=SC2030,SC2031 # stand-ins of its own, in this subshell only
(
	export IRQLENS_RESULTS="$work/lib-results" IRQLENS_BUILD="$work/build"
	export IRQLENS_SUITE_SKIP="smoke_kvm:flaky here"
	# shellcheck disable=SC2317 # called by bed_suites
	bed_boot_run() { printf '%s\n' "$@" >"$work/boot-args"; }
	# shellcheck disable=SC2317 # called by bed_suites
	bed_boot_results() { :; }
	bed_suites debian
) >"$work/lib-out" 2>&1 || rc=$?
if [[ $rc -eq 0 && -s $work/boot-args ]] && ! grep -q 'IRQLENS_SUITE_SKIP' "$work/boot-args"; then
	result PASS "tally: lib.sh: the bed boots do not take IRQLENS_SUITE_SKIP"
else
	result FAIL "tally: lib.sh: the bed boots do not take IRQLENS_SUITE_SKIP" \
		"status $rc, boot arguments: $(grep -m1 IRQLENS_SUITE_SKIP "$work/boot-args" ||
			tail -n 1 "$work/lib-out")"
fi

# The real manifest expands against this checkout.
rc=0
"$tally" expected "$IRQLENS_ROOT/scripts/expected-results" >"$work/real" 2>"$work/err" || rc=$?
if [[ $rc -eq 0 && -s $work/real ]]; then
	result PASS "tally: scripts/expected-results expands ($(wc -l <"$work/real") entries)"
else
	result FAIL "tally: scripts/expected-results expands" "exit $rc: $(head -n 1 "$work/err")"
fi

# The real manifest allows the SKIPs the bed really reports, each where
# it is legitimate, and refuses the same cases on another boot, another
# device or with another reason, a KUnit SKIP, and a program skipped whole.
cat "$fixtures/real-skips/allowed" "$fixtures/real-skips/refused" >"$work/real-results"
"$tally" summary "$work/real-results" "$IRQLENS_ROOT/scripts/expected-results" \
	--boot debian >"$work/real-summary" 2>"$work/err" || true
sed -n '/^---- failed:$/q;p' "$work/real-summary" >"$work/real-lines"
grep '^  SKIP ' "$work/real-lines" >"$work/real-kept" || true
grep '^  FAIL .*: unexpected SKIP: ' "$work/real-lines" >"$work/real-refused" || true
if diff -u "$fixtures/real-skips/allowed" "$work/real-kept" >"$work/diff" &&
   diff -u "$fixtures/real-skips/refused.expected" "$work/real-refused" >>"$work/diff"; then
	result PASS "tally: scripts/expected-results allows the bed's real SKIPs ($(wc -l <"$work/real-kept")), refuses others ($(wc -l <"$work/real-refused"))"
else
	sed 's/^/    /' "$work/diff" "$work/err" >&2
	result FAIL "tally: scripts/expected-results SKIPs" \
		"not as in real-skips/, first: $(grep -m1 -E '^[-+]([^-+]|$)' "$work/diff")"
fi

if [[ -n $standalone ]] && grep -q '^  FAIL ' "$IRQLENS_RESULTS"; then
	exit 1
fi
exit 0

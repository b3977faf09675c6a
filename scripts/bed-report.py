#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The at-a-glance report of scripts/bed.sh.

usage: bed-report.py SUMMARY VMDIR

SUMMARY is what scripts/tally.py summary printed (every judged result
line, then "N passed, N failed, N skipped"); VMDIR holds one folder per
test bed boot (scripts/lib.sh: suites-KERNEL, single-thread-KERNEL-PART).
Prints, per boot, its kernel release and its counts; what the cross-check
observed (interrupts checked three ways, by IRTE mode, the emulator's
duplicates, what could not be exercised and why); irqlens status as
captured while test_vfio_bypass ran; every SKIP reason once with how many
tests it covers; every failure; where the logs are; and the summary's
last line. The referee is tally.py: this only reads what it judged.
"""

import collections
import os
import re
import sys

RESULT = re.compile(r'^  (PASS|FAIL|SKIP)  (?:(\S+?)/)?(.*)$')
CHECKED = re.compile(r'(\d+) interrupts checked three ways .*?: (\d+) remapped, (\d+) posted, '
                     r'(\d+) direct')
DUPS = re.compile(r'emulator duplicates: the nested guest received (\d+) interrupt')
NOT_HERE = re.compile(r':not exercised here: (.*)$')
RELEASE = re.compile(r'Linux version (\S+)')


def boot_label(folder):
    """The tally label of a boot's log folder, or None."""
    m = re.fullmatch(r'suites-(.+)', folder)
    if m:
        return m.group(1)
    m = re.fullmatch(r'single-thread-(.+)-(edu|e1000e)', folder)
    if m:
        return f'{m.group(1)}-tcg-single-{m.group(2)}'
    return None


def read(path):
    try:
        with open(path, errors='replace') as f:
            return f.read().splitlines()
    except OSError:
        return []


def bypass_lines(lines):
    """The lines test_vfio_bypass printed (run_suites.sh brackets each
    program with "# irqlens-suite: NAME start" and "... exit=")."""
    out, inside = [], False
    for ln in lines:
        if ln.startswith('# irqlens-suite: '):
            inside = (ln.startswith('# irqlens-suite: test_vfio_bypass') and
                      ln.endswith(' start'))
            continue
        if inside:
            out.append(ln)
    return out


def observed(lines):
    """Totals of the cross-check lines, the reasons for what did not run,
    and the first irqlens status capture."""
    tot = collections.Counter()
    not_here = collections.Counter()
    status, in_capture, captured = [], False, False
    for ln in lines:
        m = CHECKED.search(ln)
        if m:
            tot['tests'] += 1
            for key, val in zip(('checked', 'remapped', 'posted', 'direct'), m.groups()):
                tot[key] += int(val)
        m = DUPS.search(ln)
        if m:
            tot['duplicates'] += int(m.group(1))
        m = NOT_HERE.search(ln)
        if m:
            not_here[m.group(1)] += 1
        if ln.startswith('# irqlens-status: ') and not captured:
            status.append(ln[len('# irqlens-status: '):])
            in_capture = True
        elif in_capture:
            in_capture, captured = False, True
    return tot, not_here, status


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__.strip().splitlines()[2])
    summary, vmdir = argv[1], argv[2]
    lines = read(summary)
    if not lines:
        sys.exit(f'bed-report.py: {summary}: no summary to report on')
    counts = collections.defaultdict(collections.Counter)
    skips = collections.Counter()
    fails = []
    for ln in lines:
        m = RESULT.match(ln)
        if not m:
            continue
        status, label, rest = m.groups()
        counts[label or ''][status] += 1
        if status == 'SKIP':
            skips[rest.split(': ', 1)[1] if ': ' in rest else rest] += 1
        elif status == 'FAIL' and ln not in fails:
            fails.append(ln)

    print('==================== irqlens bed report ====================')
    print(f'{"boot":34} {"kernel":28} {"passed":>6} {"failed":>6} {"skipped":>7}')
    folders = {}
    for folder in os.listdir(vmdir) if os.path.isdir(vmdir) else []:
        label = boot_label(folder)
        if label and label in counts:
            folders[label] = os.path.join(vmdir, folder)
    # In the order the summary first names them.
    boots = {label: folders[label] for label in counts if label in folders}
    for label, path in boots.items():
        rel = next((m.group(1) for m in map(RELEASE.search, read(f'{path}/console.log')) if m),
                   '?')
        c = counts[label]
        print(f'{label:34} {rel:28} {c["PASS"]:6} {c["FAIL"]:6} {c["SKIP"]:7}')
    # Builds, fetches, static checks, stages: results without a boot.
    others = [lb for lb in counts if lb not in boots]
    if others:
        c = sum((counts[lb] for lb in others), collections.Counter())
        print(f'{"(builds, checks, KUnit)":34} {"":28} {c["PASS"]:6} {c["FAIL"]:6} '
              f'{c["SKIP"]:7}')

    print('\nobserved (test_vfio_bypass: the harness, irqlens.ko and the guest per interrupt):')
    status_shown = False
    any_checked = False
    for label, path in boots.items():
        tot, not_here, status = observed(bypass_lines(read(f'{path}/output.log')))
        if not tot['tests']:
            continue
        any_checked = True
        print(f'  {label}: {tot["checked"]} interrupts checked three ways in {tot["tests"]} '
              f'tests: {tot["remapped"]} remapped, {tot["posted"]} posted, {tot["direct"]} '
              f'direct; {tot["duplicates"]} emulator duplicates proven and counted')
        for why, n in not_here.items():
            print(f'    not exercised here ({n} tests): {why}')
        if status and not status_shown:
            print(f'\nirqlens status while test_vfio_bypass ran ({label}):')
            for ln in status:
                print(f'  {ln}')
            status_shown = True
    if not any_checked:
        print('  nothing: no test_vfio_bypass result in these boots')

    if skips:
        print('\nSKIP reasons (tests):')
        for why, n in skips.most_common():
            print(f'  {n:4}  {why}')
    if fails:
        print('\nfailed:')
        for ln in fails:
            print(ln)
    print(f'\nlogs: {vmdir}/<boot>/output.log and console.log; every result: {summary}')
    print(lines[-1])
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# The referee of "make check": turns test logs into result lines
# ("  PASS  name", "  FAIL  name: reason", "  SKIP  name: reason") and ends
# a run with "N passed, N failed, N skipped". It is strict on purpose: a
# log it cannot vouch for is a failure with the reason, never a pass.
#
#   tally.py ktap LOG --label L --run-id ID
#       A test bed boot's output.log (user/run_suites.sh): one line per KTAP
#       case of each "# irqlens-suite: NAME start" ... "exit=RC" block, and
#       a FAIL for a stale or missing log, a missing, repeated or unmet
#       plan, a duplicate case name, results out of order, "Bail out!", a
#       crash (no exit line), a program run twice, a non-zero exit without
#       a failing case. "not ok" is a FAIL whatever its directive.
#   tally.py kunit LOG --from insmod|run --label L [--run-id ID]
#       KUnit KTAP through the kernel's "kunit.py parse --json": the suites
#       user/run_kunit.sh printed (insmod), or kunit.py run's test.log
#       (run). A parser error, a crashed case, a suite "not ok" without a
#       failing case, a "not ok ... # SKIP" (kunit.py calls it skipped), a
#       duplicate, a non-zero exit that no failing case explains is a FAIL
#       with the reason.
#   tally.py summary RESULTS MANIFEST [--boot LABEL]...
#       Every result, a FAIL "missing" for each result the manifest
#       (scripts/expected-results) expects but RESULTS lacks, and the
#       closing counts line. A SKIP stays a SKIP only where a "skip:"
#       block of the manifest allows it for its boot, case and reason;
#       any other is a FAIL "unexpected SKIP: <reason>". Exit 1 when
#       something failed or nothing passed.
#   tally.py expected MANIFEST [--boot LABEL]...
#       The expected entries, one a line (what summary checks).
#
# ktap and kunit always exit 0 once they have written their lines; exit 2
# means the tally itself could not run (bad usage, unreadable manifest).

import argparse
import fnmatch
import json
import os
import re
import subprocess
import sys
import tempfile

RESULT_LINE = re.compile(r'^  (PASS|FAIL|SKIP)  (.+)$')
RUN_ID_LINE = re.compile(r'^# irqlens-run-id: (\S+)\s*$')
RUN_ID_ARG = re.compile(r'\birqlens_run_id=([A-Za-z0-9._-]+)')

SUITE_START = re.compile(r'^# irqlens-suite: (\S+) start$')
SUITE_EXIT = re.compile(r'^# irqlens-suite: (\S+) exit=(\d+)$')
SUITE_NOPROG = re.compile(r'^# irqlens-suite: (\S+): no such test program$')
SUITE_NONE = re.compile(r'^# irqlens-suite: no test program ran$')

# KTAP at the top level of a program's output. Nested KTAP (kunit's
# subtests, a sub-program's output) is indented or behind "# " and is not
# the program's own.
KTAP_PLAN = re.compile(r'^1\.\.(\d+)\s*(?:#\s*(.*))?$')
# "ok 1 name", "ok 1 - name", "ok - name", "ok 1", each with an optional
# "# DIRECTIVE diagnostic".
KTAP_RESULT = re.compile(
    r'^(not ok|ok)(?=\s|$)\s*(\d+)?\s*(?:-(?:\s+|$))?([^#]*?)\s*(?:#(.*))?$')
KTAP_BAIL = re.compile(r'^Bail out!\s*(.*)$')

KUNIT_BEGIN = re.compile(r'^# irqlens-kunit-results: (\S+) begin$')
KUNIT_END = re.compile(r'^# irqlens-kunit-results: end$')
KUNIT_NOTE = re.compile(r'^# irqlens-kunit: (.*)$')

# kunit.py parse's footer of a test with subtests, "=== [FAILED] name ===".
GROUP_FOOTER = re.compile(r'^\S* ?=+ \[([A-Z ]+)\] (.*?) =+$', re.MULTILINE)

KSFT_SKIP = 4
# A case of the kernel's run_kselftest.sh, as "PROGRAM CASE": its name
# holds ": " itself.
KSELFTEST_CASE = re.compile(r'\S+ selftests: [^:\s]+: [^:\s]+')
ANSI = re.compile(r'\x1b\[[0-9;]*m')


class TallyError(Exception):
    """The tally cannot run at all (exit 2)."""


def line(status, name, detail=''):
    """One result line, as scripts/lib.sh result() writes it."""
    return f'  {status:<4}  {name}{": " + detail if detail else ""}'


def read_lines(path):
    with open(path, encoding='utf-8', errors='backslashreplace') as f:
        return [ln.rstrip('\r\n').replace('\r', '') for ln in f]


def check_log(path, label, run_id, out):
    """The log's lines, or None after a FAIL line for a missing or stale log."""
    base = os.path.basename(path)
    if not os.path.isfile(path):
        out.append(line('FAIL', label,
                        f'no {base} at {path} (the boot did not start or '
                        'died before writing it)'))
        return None
    lines = read_lines(path)
    if run_id is None:
        return lines
    seen = []
    for ln in lines:
        m = RUN_ID_LINE.match(ln)
        if m:
            seen.append(m.group(1))
        seen += RUN_ID_ARG.findall(ln)
    if not seen:
        out.append(line('FAIL', label,
                        f'stale {base}: it carries no run id (expected {run_id})'))
        return None
    wrong = sorted(set(seen) - {run_id})
    if wrong:
        out.append(line('FAIL', label,
                        f'stale {base}: run id {wrong[0]}, expected {run_id}'))
        return None
    return lines


def not_ok_marked(key, rest):
    """The detail of a "not ok" result that carries a SKIP, TODO or XFAIL
    directive: whatever the directive, a failure."""
    return f'not ok, though marked {key}: {rest or "no reason given"}'


def directive(result, text):
    """(status, detail) of a KTAP result from ok/not ok and its directive.

    "not ok" is a failure whatever its directive: "not ok # SKIP", "not ok
    # TODO" and "not ok # XFAIL" fail with the directive's text (a test
    that failed and then said "skip" has still failed). On "ok": SKIP (any
    case, "skipped" too) is a skip; XFAIL and TODO (expected failures) are
    skips that say so; XPASS, TIMEOUT and ERROR fail. Anything else after
    "#" is diagnostic text.
    """
    text = (text or '').strip()
    word, _, rest = text.partition(' ')
    key = word.upper()
    rest = rest.strip()
    if key.startswith('SKIP') or key in ('XFAIL', 'TODO'):
        if result != 'ok':
            return 'FAIL', not_ok_marked(key, rest)
        if key.startswith('SKIP'):
            return 'SKIP', rest or 'no reason given'
        return 'SKIP', f'expected failure ({key}){": " + rest if rest else ""}'
    if key == 'XPASS':
        return 'FAIL', ('XPASS: passed although marked as expected to fail' +
                        (f': {rest}' if rest else ''))
    if key in ('TIMEOUT', 'ERROR'):
        return 'FAIL', text
    if result == 'ok':
        return 'PASS', ''
    return 'FAIL', text


def unique_cases(groups, out):
    """Write each group's lines, then its (name, status, detail) cases; a
    case name seen twice anywhere is one FAIL, where it first appears.

    Returns whether a duplicate was found.
    """
    seen = {}
    for _, cases in groups:
        for name, _, _ in cases:
            seen[name] = seen.get(name, 0) + 1
    reported = set()
    for lines, cases in groups:
        out += lines
        for name, status, detail in cases:
            if seen[name] == 1:
                out.append(line(status, name, detail))
            elif name not in reported:
                out.append(line('FAIL', name,
                                f'duplicate test name: reported {seen[name]} times'))
                reported.add(name)
    return bool(reported)


class Block:
    """One program's run between its start and exit lines."""

    def __init__(self, name):
        self.name = name
        self.plans = []         # (count, directive text)
        self.results = []       # (number or None, name, status, detail)
        self.bail = None
        self.exit = None


def parse_blocks(lines, label):
    """The log in order: a Block per program run, a result line for each
    line of run_suites.sh's that is a failure by itself."""
    items = []
    cur = None
    for ln in lines:
        m = SUITE_START.match(ln)
        if m:
            cur = Block(m.group(1))     # an unfinished one stays exit-less
            items.append(cur)
            continue
        m = SUITE_EXIT.match(ln)
        if m:
            if cur is not None and cur.name == m.group(1):
                cur.exit = int(m.group(2))
            else:
                items.append(line('FAIL', f'{label}/{m.group(1)}',
                                  'exit line without a start line'))
            cur = None
            continue
        m = SUITE_NOPROG.match(ln)
        if m:
            items.append(line('FAIL', f'{label}/{m.group(1)}',
                              'no such test program in the guest'))
            continue
        if SUITE_NONE.match(ln):
            items.append(line('FAIL', label, 'run_suites.sh ran no test program'))
            continue
        if cur is None or ln[:1].isspace():
            continue    # not ours, or nested KTAP
        m = KTAP_PLAN.match(ln)
        if m:
            cur.plans.append((int(m.group(1)), m.group(2) or ''))
            continue
        m = KTAP_BAIL.match(ln)
        if m:
            cur.bail = m.group(1) or 'no reason given'
            continue
        m = KTAP_RESULT.match(ln)
        if m:
            number = int(m.group(2)) if m.group(2) else None
            status, detail = directive(m.group(1), m.group(4))
            cur.results.append((number, m.group(3), status, detail))
    return items


def judge_block(b, label, seen_programs, out):
    prog = f'{label}/{b.name}'
    if b.name in seen_programs:
        out.append(line('FAIL', prog, 'ran more than once in this boot'))
    seen_programs.add(b.name)

    names = [name or f'case {number if number is not None else pos}'
             for pos, (number, name, _, _) in enumerate(b.results, 1)]
    failed_case = any(r[2] == 'FAIL' for r in b.results)
    cases = [(f'{prog} {n}', status, detail)
             for n, (_, _, status, detail) in zip(names, b.results)]
    failed_case |= unique_cases([([], cases)], out)

    for pos, (number, _, _, _) in enumerate(b.results, 1):
        if number is not None and number != pos:
            out.append(line('FAIL', prog,
                            f'result {pos} is numbered {number}: KTAP numbers '
                            'results 1, 2, 3, ...'))
            break

    nres = len(b.results)
    if not b.plans:
        out.append(line('FAIL', prog, f'no KTAP plan (1..N) line; {nres} results'))
    elif len(b.plans) > 1:
        out.append(line('FAIL', prog, 'more than one KTAP plan: ' +
                        ', '.join(f'1..{n}' for n, _ in b.plans)))
    else:
        planned, note = b.plans[0]
        if planned == 0 and nres == 0:
            status, detail = directive('ok', note)
            if status == 'SKIP':
                out.append(line('SKIP', prog, detail))
            else:
                out.append(line('FAIL', prog, 'KTAP plan 1..0: no test case ran'))
        elif planned != nres:
            out.append(line('FAIL', prog,
                            f'KTAP plan 1..{planned} but {nres} results'))
    if b.bail is not None:
        out.append(line('FAIL', prog, f'Bail out! {b.bail}'))
    if b.exit is None:
        out.append(line('FAIL', prog,
                        'no exit line: the program crashed or the boot ended '
                        f'while it ran ({nres} results)'))
    elif b.exit not in (0, KSFT_SKIP) and not failed_case:
        out.append(line('FAIL', prog,
                        f'exited {b.exit} without a failing case'))


def cmd_ktap(args):
    out = []
    lines = check_log(args.log, args.label, args.run_id, out)
    if lines is not None:
        items = parse_blocks(lines, args.label)
        seen = set()
        for it in items:
            if isinstance(it, Block):
                judge_block(it, args.label, seen, out)
            else:
                out.append(it)
        if not items:
            out.append(line('FAIL', args.label,
                            'no "# irqlens-suite:" block in the log'))
    if out:
        print('\n'.join(out))
    return 0


def default_kunit_py():
    cache = os.environ.get('IRQLENS_CACHE', '/var/cache/irqlens')
    return os.path.join(cache, 'src/tools/testing/kunit/kunit.py')


def kunit_parse(kunit_py, ktap, quiet):
    """Run "kunit.py parse --json" on KTAP text: (status, console, json)."""
    with tempfile.TemporaryDirectory(prefix='irqlens-tally.') as work:
        src = os.path.join(work, 'in.ktap')
        dst = os.path.join(work, 'out.json')  # absolute: kunit.py chdirs
        with open(src, 'w') as f:
            f.write('\n'.join(ktap) + '\n')
        p = subprocess.run([sys.executable, kunit_py, 'parse',
                            f'--json={dst}', src],
                           capture_output=True, text=True, timeout=300)
        console = ANSI.sub('', p.stdout + p.stderr)
        data = None
        if os.path.isfile(dst):
            try:
                with open(dst) as f:
                    data = json.load(f)
            except ValueError:
                data = None
    if not quiet:
        sys.stderr.write(console)
    return p.returncode, console, data


def kunit_leaves(group, path):
    for case in group.get('test_cases', []):
        yield path + [case.get('name', '')], case.get('status', '')
    for sub in group.get('sub_groups', []):
        yield from kunit_leaves(sub, path + [sub.get('name', '')])


# A KUnit result line with a SKIP directive, anywhere on the line (kunit.py
# run's log has kernel timestamps): ok or not ok, name, reason.
KUNIT_SKIP_LINE = re.compile(r'(?:^|[\s\]])(not ok|ok) \d+ (?:- )?(.*?)\s*#\s*SKIP\S*\s*(.*)$',
                             re.IGNORECASE)


def kunit_skips(ktap):
    """{name: (ok or not ok, reason)} of the result lines with a SKIP
    directive. kunit.py parse makes "not ok N name # SKIP" a skip like
    "ok ... # SKIP"; the tally must tell them apart."""
    skips = {}
    for ln in ktap:
        m = KUNIT_SKIP_LINE.search(ln)
        if m:
            skips.setdefault(m.group(2), (m.group(1).lower(),
                                          m.group(3).strip() or 'no reason given'))
    return skips


def judge_kunit(args, ktap, owner, out):
    """One kunit.py parse of KTAP; its cases named label/suite case.

    Writes the parse's own failures to out, named owner (label/suite, or
    label), and returns the cases as (name, status, detail).
    """
    label = args.label
    if not os.path.isfile(args.kunit_py):
        out.append(line('FAIL', owner, f'kunit.py not found at {args.kunit_py}'))
        return []
    rc, console, data = kunit_parse(args.kunit_py, ktap, args.quiet)
    failed = False
    errors = re.findall(r'\[ERROR\] Test: (.*)$', console, re.MULTILINE)
    for e in errors:
        out.append(line('FAIL', owner, f'kunit.py parse error: {e.strip()}'))
        failed = True
    m = re.search(r'Testing complete\. Ran (\d+) tests?:?(.*)$', console,
                  re.MULTILINE)
    if not m:
        out.append(line('FAIL', owner,
                        'kunit.py parse printed no "Testing complete" summary'))
        failed = True
    else:
        counted = dict((k, int(v)) for k, v in
                       re.findall(r'(\w+): (\d+)', m.group(2)))
        if counted.get('errors', 0) > len(errors):
            out.append(line('FAIL', owner,
                            f'kunit.py parse counted {counted["errors"]} errors '
                            f'but printed {len(errors)} [ERROR] lines'))
            failed = True
    leaves = []
    if data is None:
        out.append(line('FAIL', owner, 'kunit.py parse wrote no JSON'))
        failed = True
    else:
        # The top group is kunit.py's "KUnit Test Group" wrapper.
        leaves = list(kunit_leaves(data, []))
        if not leaves:
            out.append(line('FAIL', owner, 'no test case in the KTAP (NO_TESTS)'))
            failed = True
    cases = []
    skips = kunit_skips(ktap)
    for path, status in leaves:
        path[-1] = path[-1] or '(unnamed case)'
        name = f'{label}/{path[0]}' + (f' {".".join(path[1:])}' if path[1:] else '')
        if status == 'PASS':
            cases.append((name, 'PASS', ''))
        elif status == 'SKIP':
            result, reason = skips.get(path[-1], ('ok', 'no reason given'))
            if result == 'ok':
                cases.append((name, 'SKIP', reason))
            else:
                cases.append((name, 'FAIL', not_ok_marked('SKIP', reason)))
        elif status == 'ERROR':
            cases.append((name, 'FAIL',
                          'crashed (kunit.py status ERROR, TEST_CRASHED)'))
        elif status == 'FAIL':
            cases.append((name, 'FAIL', 'failed (kunit.py parse output above)'))
        else:
            cases.append((name, 'FAIL', f'kunit.py status {status!r}'))
    # A suite (or parameter group) whose own result line is "not ok" while
    # every case passed: kunit.py's JSON and exit status both miss it,
    # only its footer line says so. (A case's own status here, not
    # kunit.py's: its "not ok ... # SKIP" is a failing case.)
    for verdict, group in GROUP_FOOTER.findall(console):
        if verdict in ('FAILED', 'CRASHED') and not any(
                group in path and st == 'FAIL'
                for (path, _), (_, st, _) in zip(leaves, cases)):
            out.append(line('FAIL', owner, f'{group} reported {verdict} '
                            'by its own result line, though no case failed'))
            failed = True
    # A suite or parameter group reported "not ok ... # SKIP": kunit.py
    # calls it skipped.
    leaf_names = {path[-1] for path, _ in leaves}
    for group, (result, reason) in skips.items():
        if result != 'ok' and group not in leaf_names:
            out.append(line('FAIL', owner, f'{group}: {not_ok_marked("SKIP", reason)}'))
            failed = True
    failed |= any(st == 'FAIL' for _, st, _ in cases)
    # kunit.py exits 1 for a run that only skipped, too.
    only_skips = bool(cases) and all(st == 'SKIP' for _, st, _ in cases)
    if rc != 0 and not failed and not only_skips:
        out.append(line('FAIL', owner,
                        f'kunit.py parse exited {rc} without a failing case'))
    return cases


def kunit_blocks(lines, label, out):
    """The suites run_kunit.sh printed: [(suite, ktap lines, ended)]."""
    blocks = []
    cur = None
    for ln in lines:
        m = KUNIT_BEGIN.match(ln)
        if m:
            if cur is not None:
                blocks.append((cur[0], cur[1], False))
            cur = (m.group(1), [])
        elif KUNIT_END.match(ln) and cur is not None:
            blocks.append((cur[0], cur[1], True))
            cur = None
        elif KUNIT_NOTE.match(ln):
            out.append(line('FAIL', label, KUNIT_NOTE.match(ln).group(1)))
        elif cur is not None:
            cur[1].append(ln)
    if cur is not None:
        blocks.append((cur[0], cur[1], False))
    return blocks


def cmd_kunit(args):
    out = []
    groups = []     # per parse: (its own result lines, its cases)
    lines = check_log(args.log, args.label, args.run_id, out)
    if lines is not None and args.source == 'run':
        own = []
        groups.append((own, judge_kunit(args, lines, args.label, own)))
    elif lines is not None:
        blocks = kunit_blocks(lines, args.label, out)
        if not blocks and not out:
            out.append(line('FAIL', args.label,
                            f'no irqlens KUnit results in {args.log}'))
        suites = set()
        for suite, ktap, ended in blocks:
            owner = f'{args.label}/{suite}'
            own = []
            if suite in suites:
                own.append(line('FAIL', owner, 'printed more than once'))
                groups.append((own, []))
                continue
            suites.add(suite)
            if not ended:
                own.append(line('FAIL', owner, 'no end marker: the output '
                                "stopped inside the suite's results"))
            groups.append((own, judge_kunit(args, ktap, owner, own)))
    unique_cases(groups, out)
    if out:
        print('\n'.join(out))
    return 0


# The manifest. See scripts/expected-results for its format.

def makefile_programs(root):
    """smoke_* and test_* programs user/Makefile builds (PROGS, SCRIPTS)."""
    rule = 'irqlens-tally-programs:\n\t@echo $(notdir $(PROGS) $(SCRIPTS))\n'
    # Not the flags of a "make check" this may run under (-n, jobserver).
    env = {k: v for k, v in os.environ.items()
           if k not in ('MAKEFLAGS', 'MFLAGS', 'MAKELEVEL', 'MAKEOVERRIDES')}
    p = subprocess.run(['make', '-s', '--no-print-directory', '-C',
                        os.path.join(root, 'user'), '-f', 'Makefile', '-f', '-',
                        'irqlens-tally-programs'],
                       input=rule, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise TallyError(f'cannot read the program list of {root}/user/Makefile: '
                         f'{p.stderr.strip()}')
    return [n for n in p.stdout.split() if re.match(r'(smoke|test)_', n)]


def source_programs(root):
    """Programs with a source in user/: built or not, they are expected."""
    progs = []
    for f in sorted(os.listdir(os.path.join(root, 'user'))):
        if not re.match(r'(smoke|test)_\w+\.(c|sh)$', f):
            continue
        progs.append(f[:-2] if f.endswith('.c') else f)
    return progs


def kunit_suites(root):
    """Names of the struct kunit_suite definitions in module/tests/*.c."""
    suites = []
    tests = os.path.join(root, 'module/tests')
    for f in sorted(os.listdir(tests)):
        if not f.endswith('.c'):
            continue
        with open(os.path.join(tests, f)) as src:
            text = src.read()
        for body in re.findall(r'struct\s+kunit_suite\s+\w+\s*=\s*\{(.*?)\};',
                               text, re.DOTALL):
            m = re.search(r'\.name\s*=\s*"([^"]+)"', body)
            if m:
                suites.append(m.group(1))
    return suites


class AllowedSkip:
    """A "skip:" block of the manifest: the SKIPs its boots may report."""

    def __init__(self, where, labels):
        self.where = where      # "path:line", for errors
        self.labels = labels
        self.cases = []         # glob patterns of "PROGRAM[ CASE]"
        self.reason = None      # glob pattern of the reason

    def allows(self, label, case, reason):
        return (label in self.labels and fnmatch.fnmatchcase(reason, self.reason) and
                any(fnmatch.fnmatchcase(case, c) for c in self.cases))


def parse_manifest(path):
    """(devices, {label: [item, ...]}, [AllowedSkip, ...]) of the manifest."""
    devices = []
    boots = {}
    skips = []
    for n, raw in enumerate(read_lines(path), 1):
        ln = raw.strip()
        if not ln or ln.startswith('#'):
            continue
        m = re.match(r'^(\S+):\s*(.*)$', ln)
        if not m:
            raise TallyError(f'{path}:{n}: not "LABEL: ITEM..."')
        key, value = m.group(1), m.group(2).strip()
        if key in ('case', 'reason'):
            if not skips or raw[:1] not in (' ', '\t'):
                raise TallyError(f'{path}:{n}: an indented "{key}:" line belongs '
                                 'under a "skip:" line')
            if not value:
                raise TallyError(f'{path}:{n}: "{key}:" without a pattern')
            if key == 'case':
                skips[-1].cases.append(value)
            elif skips[-1].reason is not None:
                raise TallyError(f'{path}:{n}: a "skip:" block has one "reason:"')
            else:
                skips[-1].reason = value
        elif key == 'skip':
            if not value:
                raise TallyError(f'{path}:{n}: "skip:" names no boot')
            skips.append(AllowedSkip(f'{path}:{n}', value.split()))
        elif key == 'devices':
            devices = value.split()
        elif key in boots:
            raise TallyError(f'{path}:{n}: boot {key} listed twice')
        else:
            boots[key] = value.split()
    for skip in skips:
        if not skip.cases or skip.reason is None:
            raise TallyError(f'{skip.where}: a "skip:" block needs "case:" and '
                             '"reason:" lines')
        unknown = [b for b in skip.labels if b not in boots]
        if unknown:
            raise TallyError(f'{skip.where}: "skip:" names {unknown[0]}, '
                             'which is no boot of the manifest')
    return devices, boots, skips


def read_manifest(path, root):
    """({label: [(entry, what it is), ...]} in manifest order, [AllowedSkip])."""
    devices, boots, skips = parse_manifest(path)

    programs = []
    for p in makefile_programs(root) + source_programs(root):
        if p not in programs:
            programs.append(p)
    if not programs:
        raise TallyError(f'no smoke_* or test_* program in {root}/user')
    suites = kunit_suites(root)
    if not suites:
        raise TallyError(f'no struct kunit_suite in {root}/module/tests')

    def per_device(p):
        if p.startswith('test_vfio_') and not p.endswith('.sh'):
            if not devices:
                raise TallyError(f'{path}: no "devices:" line for {p}')
            return [f'{p}@{d}' for d in devices]
        return [p]

    explicit = {}           # base program name -> boots naming it
    for label, items in boots.items():
        for it in items:
            if it not in ('programs', 'kunit-suites') and not it.startswith('-'):
                explicit.setdefault(it.split('@')[0], set()).add(label)
    expected = {}
    for label, items in boots.items():
        left_out = {it[1:] for it in items if it.startswith('-')}
        for name in left_out:
            if name not in programs:
                raise TallyError(f'{path}: {label} leaves out {name}, '
                                 'which is no test program')
            if not explicit.get(name, set()) - {label}:
                raise TallyError(f'{path}: {label} leaves out {name} but no '
                                 'other boot expects it')
        entries = []
        for it in items:
            if it == 'programs':
                entries += [(e, 'program') for p in programs
                            if p not in left_out for e in per_device(p)]
            elif it == 'kunit-suites':
                entries += [(e, 'KUnit suite (not built or not run)')
                            for e in suites]
            elif not it.startswith('-'):
                entries.append((it, 'program'))
        expected[label] = [(f'{label}/{e}', what) for e, what in entries]
    return expected, skips


def selected(expected, boots):
    unknown = [b for b in boots if b not in expected]
    if unknown:
        raise TallyError(f'boot {unknown[0]} is not in the manifest')
    return [e for label in (boots or expected) for e in expected[label]]


def manifest_root(args):
    """The source tree whose programs and suites are expected."""
    here = os.path.dirname(os.path.abspath(__file__))
    return args.root or os.path.dirname(here)


def cmd_expected(args):
    expected, _ = read_manifest(args.manifest, manifest_root(args))
    print('\n'.join(e for e, _ in selected(expected, args.boot)))
    return 0


def judge_skip(text, labels, skips):
    """A SKIP result ("NAME: REASON") as a (status, line): kept when a
    "skip:" block of its boot allows it, else a FAIL "unexpected SKIP".

    A name may hold ": " itself (run_kselftest.sh's "selftests: irqlens:
    NAME"): every split of the text into name and reason is tried.
    """
    label = max((lb for lb in labels if text.startswith(lb + '/')), key=len,
                default=None)
    rest = text[len(label) + 1:] if label else text
    splits = [i for i in range(len(rest)) if rest.startswith(': ', i)]
    if label:
        for i in splits:
            if any(s.allows(label, rest[:i], rest[i + 2:]) for s in skips):
                return 'SKIP', '  SKIP  ' + text
    # Shown split at the first ": " after the name: after the whole
    # "selftests: COLLECTION: TEST" of run_kselftest.sh's cases.
    shape = KSELFTEST_CASE.match(rest)
    splits = [i for i in splits if not shape or i >= shape.end()]
    cut = splits[0] if splits else len(rest)
    name = (f'{label}/' if label else '') + rest[:cut]
    reason = rest[cut + 2:] if splits else 'no reason given'
    return 'FAIL', line('FAIL', name, f'unexpected SKIP: {reason}')


def cmd_summary(args):
    expected, skips = read_manifest(args.manifest, manifest_root(args))
    labels = list(expected)
    expected = selected(expected, args.boot)
    results = []
    for n, ln in enumerate(read_lines(args.results), 1):
        if not ln.strip():
            continue
        m = RESULT_LINE.match(ln)
        if m and m.group(1) == 'SKIP':
            results.append(judge_skip(m.group(2), labels, skips))
        elif m:
            results.append((m.group(1), ln))
        else:
            results.append(('FAIL', line('FAIL', 'results file',
                                         f'line {n} is not a result: {ln[:120]}')))
    names = [ln[8:] for _, ln in results]
    for e, what in expected:
        if not any(n == e or n.startswith(e + ' ') or n.startswith(e + ': ')
                   for n in names):
            results.append(('FAIL', line('FAIL', e,
                                         f'missing: expected {what}, no result')))
    count = {s: sum(1 for st, _ in results if st == s)
             for s in ('PASS', 'FAIL', 'SKIP')}
    print()
    print('==================== irqlens summary ====================')
    for _, ln in results:
        print(ln)
    if count['FAIL']:
        print('---- failed:')
        for st, ln in results:
            if st == 'FAIL':
                print(ln)
    print('=========================================================')
    print(f'{count["PASS"]} passed, {count["FAIL"]} failed, {count["SKIP"]} skipped')
    # Only SKIPs, however well explained, is no evidence that anything works.
    return 0 if count['FAIL'] == 0 and count['PASS'] > 0 else 1


def main():
    ap = argparse.ArgumentParser(description='irqlens results tally')
    sub = ap.add_subparsers(dest='cmd', required=True)

    p = sub.add_parser('ktap', help='a test bed boot\'s output.log')
    p.add_argument('log')
    p.add_argument('--label', required=True)
    p.add_argument('--run-id', required=True)
    p.set_defaults(func=cmd_ktap)

    p = sub.add_parser('kunit', help='KUnit KTAP through kunit.py parse')
    p.add_argument('log')
    p.add_argument('--from', dest='source', required=True,
                   choices=('insmod', 'run'))
    p.add_argument('--label', required=True)
    p.add_argument('--run-id')
    p.add_argument('--kunit-py', default=default_kunit_py())
    p.add_argument('--quiet', action='store_true',
                   help='do not show kunit.py parse\'s own output')
    p.set_defaults(func=cmd_kunit)

    for name, func in (('summary', cmd_summary), ('expected', cmd_expected)):
        p = sub.add_parser(name)
        if name == 'summary':
            p.add_argument('results')
        p.add_argument('manifest')
        p.add_argument('--boot', action='append', default=[])
        p.add_argument('--root', help='source tree (default: this checkout)')
        p.set_defaults(func=func)

    args = ap.parse_args()
    try:
        return args.func(args)
    except (TallyError, OSError, subprocess.SubprocessError) as e:
        print(f'tally.py: error: {e}', file=sys.stderr)
        return 2


if __name__ == '__main__':
    sys.exit(main())

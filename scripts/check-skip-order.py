#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# A kselftest_harness.h test that has checked something must not end in
# SKIP: in 6.12 SKIP() sets exit_code = KSFT_SKIP unconditionally, so an
# earlier failed EXPECT turns into a skip, and even checks that passed are
# reported as not run. This finds every SKIP() that can be reached after an
# EXPECT_*/ASSERT_* in the same function: later in the text, or earlier in
# the text but inside a loop whose body also checks (the next iteration
# reaches it). A call to a function of the same file that checks (or
# skips), directly or through others, counts as a check (or a SKIP) where
# it is called; a test body of a fixture whose FIXTURE_SETUP checks may
# not SKIP at all. What cannot be exercised belongs in a test of its own
# that decides to SKIP before it checks anything: preconditions are
# probed with the __helpers (they return -errno) before any ASSERT.
#
# It also requires every harness program to include "lib/harness.h" (the
# runtime guard) rather than kselftest_harness.h directly.
#
# usage: check-skip-order.py FILE...   (exit 1 and one line per finding)

import re
import sys

CHECK = re.compile(r'\b(EXPECT|ASSERT)_[A-Z_]+\s*\(')
SKIP = re.compile(r'\bSKIP\s*\(')
LOOP = re.compile(r'\b(for|while|do)\b')


def strip(text):
    """Blank out comments and string/char literals, keeping offsets."""
    out = list(text)
    i, n = 0, len(text)
    while i < n:
        if text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
        elif text.startswith('//', i):
            j = text.find('\n', i)
            j = n if j < 0 else j
        elif text[i] in '"\'':
            q, j = text[i], i + 1
            while j < n and text[j] != q:
                j += 2 if text[j] == '\\' else 1
            j += 1
        else:
            i += 1
            continue
        for k in range(i, min(j, n)):
            if out[k] != '\n':
                out[k] = ' '
        i = j
    return ''.join(out)


def bodies(code):
    """(start, end) of every top-level brace block (function bodies)."""
    depth, start = 0, None
    for i, c in enumerate(code):
        if c == '{':
            if depth == 0:
                start = i
            depth += 1
        elif c == '}':
            depth -= 1
            if depth == 0 and start is not None:
                yield start, i
                start = None


def loop_spans(code, lo, hi):
    """(start, end) of the braced body of every loop inside [lo, hi)."""
    for m in LOOP.finditer(code, lo, hi):
        j = code.find('{', m.end(), hi)
        # Only loops whose body is a block; a one-statement loop cannot
        # hold both a check and a SKIP.
        if j < 0 or code[m.end():j].count(';') > (2 if m.group(1) == 'for' else 0):
            continue
        depth = 0
        for k in range(j, hi):
            if code[k] == '{':
                depth += 1
            elif code[k] == '}':
                depth -= 1
                if depth == 0:
                    yield j, k
                    break


HEAD = re.compile(r'(\w+)\s*\(([^()]*)\)\s*$')
CALL = re.compile(r'\b(\w+)\s*\(')


def functions(code):
    """(name, fixture or None, kind, start, end) of every top-level body."""
    for lo, hi in bodies(code):
        head = code[max(0, code.rfind(';', 0, lo), code.rfind('}', 0, lo)) + 1:lo].strip()
        m = HEAD.search(head)
        if not m:
            continue
        name, args = m.group(1), [a.strip() for a in m.group(2).split(',')]
        if name in ('TEST_F', 'TEST_F_TIMEOUT', 'TEST_F_SIGNAL'):
            yield f'{args[0]}.{args[1]}', args[0], 'test', lo, hi
        elif name in ('FIXTURE_SETUP', 'FIXTURE_TEARDOWN'):
            yield f'{name}({args[0]})', args[0], name, lo, hi
        else:
            yield name, None, 'function', lo, hi


def closure(funcs, code, pattern):
    """Names of the functions that match @pattern or call one that does."""
    marked = {f[0] for f in funcs if f[2] == 'function' and pattern.search(code, f[3], f[4])}
    changed = True
    while changed:
        changed = False
        for name, _, kind, lo, hi in funcs:
            if kind == 'function' and name not in marked and any(
                    c.group(1) in marked for c in CALL.finditer(code, lo, hi)):
                marked.add(name)
                changed = True
    return marked


def positions(code, lo, hi, pattern, helpers):
    """Offsets in [lo, hi) of @pattern and of calls to @helpers."""
    found = [m.start() for m in pattern.finditer(code, lo, hi)]
    found += [c.start() for c in CALL.finditer(code, lo, hi) if c.group(1) in helpers]
    return sorted(found)


def findings(path):
    text = open(path, encoding='utf-8').read()
    code = strip(text)
    line = lambda off: text.count('\n', 0, off) + 1
    if re.search(r'#include\s+"kselftest_harness\.h"', text):
        yield f'{path}:{line(text.index("kselftest_harness.h"))}: include "lib/harness.h", not kselftest_harness.h (it guards SKIP)'
    funcs = list(functions(code))
    checkers = closure(funcs, code, CHECK)
    skippers = closure(funcs, code, SKIP)
    # A fixture whose setup checks has checked something before any test body runs.
    setup_checks = {fix for name, fix, kind, lo, hi in funcs
                    if kind == 'FIXTURE_SETUP' and positions(code, lo, hi, CHECK, checkers)}
    for name, fix, kind, lo, hi in funcs:
        checks = positions(code, lo, hi, CHECK, checkers)
        skips = positions(code, lo, hi, SKIP, skippers)
        if not skips:
            continue
        if kind == 'test' and fix in setup_checks:
            for s in skips:
                yield f'{path}:{line(s)}: SKIP in {name} after FIXTURE_SETUP({fix}) checked: decide it in the setup, before its first check'
            continue
        loops = list(loop_spans(code, lo, hi))
        for s in skips:
            if any(c < s for c in checks):
                yield f'{path}:{line(s)}: SKIP after a check at line {line(max(c for c in checks if c < s))}: a test that has checked something must pass or fail'
            elif any(a < s < b and any(a < c < b for c in checks) for a, b in loops):
                yield f'{path}:{line(s)}: SKIP inside a loop that also checks: the next iteration reaches it after a check'


def main():
    bad = [f for p in sys.argv[1:] for f in findings(p)]
    for f in bad:
        print(f)
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()

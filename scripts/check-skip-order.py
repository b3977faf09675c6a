#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# A kselftest_harness.h test that has checked something must not end in
# SKIP: in 6.12 SKIP() sets exit_code = KSFT_SKIP unconditionally, so an
# earlier failed EXPECT turns into a skip, and even checks that passed are
# reported as not run. This finds every SKIP() that can be reached after an
# EXPECT_*/ASSERT_* in the same function: later in the text, or earlier in
# the text but inside a loop whose body also checks (the next iteration
# reaches it). What cannot be exercised belongs in a test of its own that
# decides to SKIP before it checks anything; preconditions are probed with
# the __helpers (they return -errno) before any ASSERT.
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


def findings(path):
    text = open(path, encoding='utf-8').read()
    code = strip(text)
    line = lambda off: text.count('\n', 0, off) + 1
    if 'kselftest_harness.h' in text and re.search(r'#include\s+"kselftest_harness\.h"', text):
        yield f'{path}:{line(text.index("kselftest_harness.h"))}: include "lib/harness.h", not kselftest_harness.h (it guards SKIP)'
    for lo, hi in bodies(code):
        checks = [m.start() for m in CHECK.finditer(code, lo, hi)]
        if not checks:
            continue
        loops = list(loop_spans(code, lo, hi))
        for m in SKIP.finditer(code, lo, hi):
            s = m.start()
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

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# A stand-in for "kunit.py parse --json=FILE KTAP" that misbehaves in the
# ways the real one has not yet but the tally must not trust (a missing
# summary, errors counted but not printed, no JSON, an unexplained exit
# status, an unknown case status), so that scripts/tally.py's checks of
# kunit.py itself can be shown to fail. The first line of KTAP picks how.

import json
import sys

json_path = next(a for a in sys.argv if a.startswith('--json='))[7:]
with open(sys.argv[-1]) as f:
    mode = f.readline().split()[-1]


def write_json(status):
    case = {'name': 'fake_case', 'status': status}
    group = {'name': 'irqlens_fake_' + mode.replace('-', '_'),
             'sub_groups': [], 'test_cases': [case]}
    with open(json_path, 'w') as f:
        json.dump({'name': 'KUnit Test Group', 'sub_groups': [group],
                   'test_cases': []}, f)


summary = '[00:00:00] Testing complete. Ran 1 tests: passed: 1'
if mode == 'no-summary':
    write_json('PASS')
    sys.exit(0)
if mode == 'errors-uncounted':
    print(summary + ', errors: 2')
    write_json('PASS')
    sys.exit(1)
if mode == 'no-json':
    print(summary)
    sys.exit(0)
if mode == 'bad-exit':
    print(summary)
    write_json('PASS')
    sys.exit(1)
if mode == 'odd-status':
    print(summary)
    write_json('WEIRD')
    sys.exit(0)
sys.exit(f'fake-kunit.py: unknown mode {mode}')

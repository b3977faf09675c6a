#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Turn the JSON that "kunit.py run/parse --json" writes into irqlens result
# lines ("  PASS  kunit/<suite>.<case>[.<param>]"), one per leaf test case,
# so KUnit cases are counted in the same summary as everything else.
#
# usage: kunit-json-results.py LABEL JSON...
# Exit status 1 when a file holds no test case at all.

import json
import sys

STATUS = {'PASS': 'PASS', 'FAIL': 'FAIL', 'SKIP': 'SKIP', 'ERROR': 'FAIL'}


def leaves(group, prefix):
    name = group.get('name', '?')
    path = f'{prefix}.{name}' if prefix else name
    for case in group.get('test_cases', []):
        yield f"{path}.{case['name']}", case.get('status', 'ERROR')
    for sub in group.get('sub_groups', []):
        yield from leaves(sub, path)


def main():
    if len(sys.argv) < 3:
        sys.exit('usage: kunit-json-results.py LABEL JSON...')
    label, status = sys.argv[1], 0
    for path in sys.argv[2:]:
        with open(path) as f:
            top = json.load(f)
        count = 0
        # The top group is kunit.py's "KUnit Test" wrapper: start below it.
        for sub in top.get('sub_groups', []):
            for name, st in leaves(sub, ''):
                print(f'  {STATUS.get(st, "FAIL"):<4}  {label}/{name}')
                count += 1
        if count == 0:
            print(f'  FAIL  {label}: no test case in {path}')
            status = 1
    sys.exit(status)


if __name__ == '__main__':
    main()

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run the harness programs given as arguments (default: every smoke_* and
# test_* program beside this script) one after another, as the test bed's
# guest command. Each program prints its own KTAP; after each one a line
# "# irqlens-suite: <name> exit=<status>" lets the host tell a program that
# crashed from one that reported. Exits non-zero if any program failed.

dir=$(dirname "$0")
[ $# -gt 0 ] || set -- "$dir"/smoke_* "$dir"/test_*

status=0
for prog in "$@"; do
	[ -x "$prog" ] || continue
	name=$(basename "$prog")
	echo "# irqlens-suite: $name start"
	"$prog"
	rc=$?
	echo "# irqlens-suite: $name exit=$rc"
	[ $rc -eq 0 ] || [ $rc -eq 4 ] || status=1
done
exit $status

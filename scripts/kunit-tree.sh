#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Link irqlens into the cached linux-source-6.12 tree so that kunit.py (or
# any in-tree build) can build it: drivers/irqlens points at this
# checkout's module/, and one line each in drivers/Kconfig and
# drivers/Makefile hooks it in. Idempotent; prints the tree's path.
#
# Only the project's cached copy of the tree is touched, never a tree of
# the user's.

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

src=$(kernel_source)
kconfig_line='source "drivers/irqlens/Kconfig"'
make_line='obj-$(CONFIG_IRQLENS) += irqlens/'

# Re-pointed every time: CI runs from a fresh clone somewhere else.
ln -sfn "$IRQLENS_ROOT/module" "$src/drivers/irqlens"

if ! grep -qxF "$kconfig_line" "$src/drivers/Kconfig"; then
	# Inside the "Device Drivers" menu, before its endmenu.
	sed -i "\$i $kconfig_line" "$src/drivers/Kconfig"
	tail -n 2 "$src/drivers/Kconfig" | grep -qxF "$kconfig_line" ||
		die "could not hook irqlens into $src/drivers/Kconfig"
fi
grep -qxF "$make_line" "$src/drivers/Makefile" ||
	echo "$make_line" >>"$src/drivers/Makefile"

echo "$src"

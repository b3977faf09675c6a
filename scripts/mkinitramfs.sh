#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the test bed's initramfs: static busybox, the kernel modules the
# tests need (with their dependencies, decompressed, with a fresh
# modules.dep), the shared libraries of the harness binaries, and a payload
# directory copied to /irqlens.
#
# usage: mkinitramfs.sh KVER MODROOT PAYLOAD_DIR OUT_CPIO MODULE...
#   MODROOT is the directory holding lib/modules/KVER ("/" for Debian's).

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# -ge 4 ]] || die "usage: mkinitramfs.sh KVER MODROOT PAYLOAD_DIR OUT_CPIO MODULE..."
kver=$1 modroot=$2 payload=$3 out=$4
shift 4

moddir="$modroot/lib/modules/$kver"
[[ -f $moddir/modules.dep ]] || die "no modules for $kver under $modroot (missing $moddir/modules.dep)"
[[ -d $payload ]] || die "payload directory $payload missing"

root=$(mktemp -d "${TMPDIR:-/tmp}/irqlens-initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,dev,proc,sys,tmp,lib,lib64,irqlens}
cp /bin/busybox "$root/bin/busybox"

# Kernel modules: each requested one plus everything modprobe says it needs.
# A module built into this kernel prints "builtin", which needs no file.
copy_module()
{
	local src=$1 rel dst

	rel=${src#"$modroot"}
	rel=${rel#/}
	dst="$root/${rel%.xz}"
	dst=${dst%.zst}
	[[ -f $dst ]] && return 0
	mkdir -p "$(dirname "$dst")"
	case $src in
	*.ko.xz)  xz -dc "$src" >"$dst" ;;
	*.ko.zst) zstd -qdc "$src" >"$dst" ;;
	*.ko)     cp "$src" "$dst" ;;
	*)        die "unexpected module file $src" ;;
	esac
}

for m in "$@"; do
	deps=$(modprobe -d "$modroot" -S "$kver" --show-depends "$m" 2>&1) ||
		die "kernel $kver has no module '$m': $deps"
	while read -r verb path _; do
		[[ $verb == insmod ]] && copy_module "$path"
	done <<<"$deps"
done
for f in modules.order modules.builtin modules.builtin.modinfo; do
	[[ -f $moddir/$f ]] && cp "$moddir/$f" "$root/lib/modules/$kver/"
done
mkdir -p "$root/lib/modules/$kver"
depmod -b "$root" "$kver" || die "depmod failed for the initramfs"

cp -a "$payload"/. "$root/irqlens/"

# Shared libraries of every ELF executable in the payload.
find "$root/irqlens" -type f -perm -u+x | while read -r exe; do
	file -b "$exe" | grep -q 'dynamically linked' || continue
	ldd "$exe" | awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }'
done | sort -u | while read -r lib; do
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done

cp "$IRQLENS_ROOT/scripts/guest-init.sh" "$root/init"
chmod 755 "$root/init"

(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) >"$out" ||
	die "cpio failed"

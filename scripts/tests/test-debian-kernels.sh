#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Self-test of scripts/debian-kernels.sh against a fake archive (a flat
# file: repository of tiny packages made here) in a scratch cache: the
# newest version is picked and unpacked into a usable tree, and every bad
# input (a package missing, a tree without Module.symvers, an archive that
# cannot be reached, an unknown kernel) is one line naming what and why,
# exit 1, and no tree. Records one result per case.

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
script="$IRQLENS_ROOT/scripts/debian-kernels.sh"

# deb NAME VERSION [FILE...]: a package holding FILEs (paths in the tree).
deb()
{
	local name=$1 ver=$2 dir="$tmp/pkg/$1_$2" f
	shift 2

	mkdir -p "$dir/DEBIAN"
	printf 'Package: %s\nVersion: %s\nArchitecture: amd64\nMaintainer: irqlens <irqlens@localhost>\nDescription: irqlens self-test package\n' \
		"$name" "$ver" >"$dir/DEBIAN/control"
	for f in "$@"; do
		mkdir -p "$dir/$(dirname "$f")"
		# Like the real Makefile: an absolute /usr/src path to rewrite.
		echo "include /usr/src/$name" >"$dir/$f"
	done
	dpkg-deb -b -Zgzip "$dir" "$tmp/repo/${name}_${ver}_amd64.deb" >/dev/null
}

# kernel ABI [no-symvers|no-headers] [FLAVOUR]: the packages of one fake
# 7.2 kernel (FLAVOUR amd64 by default, or rt-amd64).
kernel()
{
	local abi=$1 how=${2:-} rel="$1-${3:-amd64}" hdr

	deb "linux-image-$rel" 1.0
	hdr=(Makefile .config)
	[[ $how == no-symvers ]] || hdr+=(Module.symvers)
	[[ $how == no-headers ]] ||
		deb "linux-headers-$rel" 1.0 "${hdr[@]/#/usr/src/linux-headers-$rel/}"
	deb "linux-headers-$abi-common" 1.0 "usr/src/linux-headers-$abi-common/Makefile"
	deb "linux-kbuild-$abi" 1.0 "usr/lib/linux-kbuild-$abi/scripts/basic/fixdep"
	deb "linux-binary-$rel" 1.0 "usr/lib/modules/$rel/vmlinuz"
	deb "linux-modules-$rel" 1.0 "usr/lib/modules/$rel/kernel/fake.ko"
	deb "linux-base-$rel" 1.0 "usr/lib/modules/$rel/modules.builtin"
}

# archive CASE: a fresh fake archive and cache for one case.
archive()
{
	rm -rf "$tmp/repo" "$tmp/pkg" "$tmp/cache"
	mkdir -p "$tmp/repo" "$tmp/cache"
	export IRQLENS_CACHE="$tmp/cache"
	export IRQLENS_DEBIAN_SOURCES="deb [trusted=yes] file:$tmp/repo ./"
}

# Compressed, as a real archive's index: apt then keeps its own copy in
# its lists (an uncompressed file: index may be kept as a symlink, which
# the "archive gone" case below would leave dangling).
publish()
{
	(cd "$tmp/repo" && dpkg-scanpackages -m . /dev/null 2>/dev/null | gzip -9n >Packages.gz)
}

# refused NAME WANT ARGS...: the script fails, its last line is its
# verdict and contains WANT, and no kernel tree is left.
refused()
{
	local name=$1 want=$2 out last rc=0
	shift 2

	out=$("$script" "$@" 2>&1 >/dev/null) || rc=$?
	last=$(tail -n 1 <<<"$out")
	if [[ $rc -eq 1 && $last == "irqlens: debian-kernels: "*"$want"* ]] &&
	   ! compgen -G "$IRQLENS_CACHE/debian-kernels/7.*" >/dev/null; then
		result PASS "debian-kernels: $name"
	else
		result FAIL "debian-kernels: $name" "status $rc, said: $last"
	fi
}

archive
kernel 7.2.9+deb14
kernel 7.2.10+deb14
publish
out=$("$script" 7.2 2>"$tmp/err") || true
tree="$IRQLENS_CACHE/debian-kernels/7.2.10+deb14-amd64"
why=
if [[ $out != "7.2 7.2.10+deb14-amd64 1.0 $tree" ]]; then
	why="printed '$out' ($(tail -n 1 "$tmp/err"))"
elif [[ ! -f $tree/build/Module.symvers || ! -f $tree/vmlinuz ]]; then
	why="no build/Module.symvers or vmlinuz in $tree"
elif [[ ! -f $tree/modroot/lib/modules/7.2.10+deb14-amd64/modules.dep ]]; then
	why="the modules tree was not depmod'ed"
elif ! grep -q "^include $tree/root/usr/src/" "$tree/build/Makefile"; then
	why="the headers' Makefile still points at /usr/src"
elif ! grep -q "^DK_TREE=$tree\$" "$IRQLENS_CACHE/debian-kernels/7.2.env"; then
	why="7.2.env does not name the tree"
fi
result "$([[ -z $why ]] && echo PASS || echo FAIL)" \
	"debian-kernels: the newest 7.2 of two is unpacked into a build tree, modules and image" "$why"

# The -rt flavour is told apart from the plain one, and a tree already
# unpacked is reused; an archive gone away afterwards falls back to the
# lists fetched before, and says so.
archive
kernel 7.2.10+deb14
kernel 7.2.10+deb14 "" rt-amd64
publish
out=$("$script" 7.2-rt 2>"$tmp/err") || true
tree="$IRQLENS_CACHE/debian-kernels/7.2.10+deb14-rt-amd64"
touch "$tree/reuse-mark"
mv "$tmp/repo" "$tmp/repo.gone"
out2=$("$script" 7.2-rt 2>"$tmp/err2") || true
if [[ $out == "7.2-rt 7.2.10+deb14-rt-amd64 1.0 $tree" && $out2 == "$out" &&
      -f $tree/reuse-mark ]] && grep -q 'note: apt-get update failed; using the package lists of' "$tmp/err2"; then
	result PASS "debian-kernels: 7.2-rt is the rt flavour; a tree is reused; old lists are used, and said so, when the archive is gone"
else
	result FAIL "debian-kernels: 7.2-rt, reuse, old lists" \
		"got '$out' then '$out2': $(tail -n 1 "$tmp/err2")"
fi

archive
kernel 7.2.10+deb14 no-headers
publish
refused "a missing package is named" \
	"linux-headers-7.2.10+deb14-amd64: not in the archive" 7.2

archive
kernel 7.2.10+deb14 no-symvers
publish
refused "a tree without Module.symvers is refused" "has no Module.symvers" 7.2

archive
export IRQLENS_DEBIAN_SOURCES="deb [trusted=yes] http://127.0.0.1:9/debian sid main"
refused "an archive that cannot be reached is said so" "apt-get update" 7.2

archive
refused "an unknown kernel is refused" "unknown kernel '6.1'" 6.1

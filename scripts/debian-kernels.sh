#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Debian's newer kernels, fetched and unpacked into the cache, never
# installed: 7.2 and 7.2 PREEMPT_RT from sid, 7.3-rc from experimental.
#
#   scripts/debian-kernels.sh [--offline] NAME...     NAME: 7.2 7.2-rt 7.3-rc
#
# For each NAME the newest version the archive offers now is chosen,
# its packages are fetched with "apt-get download" through an apt
# configuration of the project's own (its sources list, lists and
# package cache under $IRQLENS_CACHE/debian-kernels/apt; the system's apt
# sources are not read or changed) and unpacked with dpkg-deb -x into
#
#   $IRQLENS_CACHE/debian-kernels/<release>/
#	build -> the module build tree (KDIR: headers, their -common
#		 half and the kbuild tools)
#	modroot/lib/modules/<release>/  the modules tree, depmod'ed
#	vmlinuz
#
# (the image and modules only for the kernels the bed boots: 7.2, 7.2-rt;
# 7.3-rc is a compile check). Then one line per NAME on stdout,
#
#   NAME RELEASE VERSION TREE
#
# and the same in $IRQLENS_CACHE/debian-kernels/NAME.env for the other
# scripts (lib.sh debian_kernel).
#
# A tree already unpacked for the newest version is reused. --offline
# skips "apt-get update" and takes the newest version in the lists
# fetched before. IRQLENS_DEBIAN_SOURCES, if set, is the sources list to
# use instead (a mirror; scripts/tests/test-debian-kernels.sh's fake
# archive). Any failure: one line naming the package and why, exit 1.

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

top="$IRQLENS_CACHE/debian-kernels"
aptdir="$top/apt"
offline=

# A tree being unpacked: removed if anything fails, so that a failed run
# leaves nothing half made.
partial=

fail()
{
	[[ -z $partial ]] || rm -rf "$partial"
	echo "irqlens: debian-kernels: $*" >&2
	exit 1
}

# The project's own apt configuration: sid and experimental, amd64 only,
# signed by the Debian archive keyring the system already has.
apt_setup()
{
	mkdir -p "$aptdir/lists/partial" "$aptdir/cache/archives/partial" "$aptdir/etc"
	if [[ -n ${IRQLENS_DEBIAN_SOURCES:-} ]]; then
		# Another archive (a mirror, or the self-test's fake one).
		printf '%s\n' "$IRQLENS_DEBIAN_SOURCES" >"$aptdir/etc/sources.list"
	else
		cat >"$aptdir/etc/sources.list" <<-EOF
		deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian sid main
		deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian experimental main
		EOF
	fi
	APT_OPTS=(
		-o "Dir::Etc::sourcelist=$aptdir/etc/sources.list"
		-o Dir::Etc::sourceparts=/dev/null
		-o Dir::Etc::preferences=/dev/null
		-o Dir::Etc::preferencesparts=/dev/null
		-o "Dir::State::Lists=$aptdir/lists"
		-o "Dir::State::status=$aptdir/empty-status"
		-o "Dir::Cache=$aptdir/cache"
		-o Acquire::Languages=none
		-o APT::Architecture=amd64 -o APT::Architectures=amd64
		-o Debug::NoLocking=1
		# The cache is root's: apt's _apt sandbox user cannot write it.
		-o APT::Sandbox::User=root
	)
	: >"$aptdir/empty-status"
}

# The ABI name ("7.2.13+deb14", "7.3") of the newest kernel of series
# $1 ("7.2", "7.3") whose image package exists for flavour suffix $2
# ("amd64", "rt-amd64").
newest_abi()
{
	local series=$1 flavour=$2 re

	re="^linux-image-${series//./\\.}(\\.[0-9]+\\+deb[0-9]+)?-${flavour}\$"
	apt-cache "${APT_OPTS[@]}" pkgnames linux-image- |
		grep -E "$re" |
		sed -e 's/^linux-image-//' -e "s/-${flavour}\$//" |
		sort -V | tail -n 1
}

pkg_version()
{
	apt-cache "${APT_OPTS[@]}" show --no-all-versions "$1" 2>/dev/null |
		awk '/^Version:/ { print $2; exit }'
}

# Fetch package $1 (its version in the lists) into the deb cache; prints
# the file. The package name is in every failure message.
fetch()
{
	local pkg=$1 ver deb

	ver=$(pkg_version "$pkg")
	[[ -n $ver ]] || fail "$pkg: not in the archive (sid, experimental)"
	# amd64 or all; apt writes an epoch's ":" as "%3a".
	deb=$(compgen -G "$top/debs/${pkg}_${ver//:/%3a}_*.deb" | head -n 1) || true
	if [[ -z $deb ]]; then
		mkdir -p "$top/debs"
		(cd "$top/debs" && apt-get "${APT_OPTS[@]}" -qq download "$pkg=$ver" >&2) ||
			fail "$pkg $ver: apt-get download failed"
		deb=$(compgen -G "$top/debs/${pkg}_${ver//:/%3a}_*.deb" | head -n 1) ||
			fail "$pkg $ver: apt-get download left no .deb in $top/debs"
	fi
	echo "$deb"
}

unpack()
{
	local deb=$1 dst=$2

	dpkg-deb -x "$deb" "$dst" || fail "$(basename "$deb"): dpkg-deb -x failed"
}

# Unpack kernel NAME ($1: series, $2: flavour, $3: boot it too) into its
# tree; prints "RELEASE VERSION TREE".
kernel_tree()
{
	local series=$1 flavour=$2 boot=$3 abi release ver tree kbuild deb p
	local -a pkgs

	abi=$(newest_abi "$series" "$flavour")
	[[ -n $abi ]] || fail "linux-image-$series*-$flavour: no such package in sid or experimental"
	release="$abi-$flavour"
	ver=$(pkg_version "linux-headers-$release")
	[[ -n $ver ]] || fail "linux-headers-$release: not in the archive"
	tree="$top/$release"
	if [[ -f $tree/.irqlens-version && $(cat "$tree/.irqlens-version") == "$ver${boot:+ boot}" ]]; then
		echo "$release $ver $tree"
		return
	fi
	pkgs=("linux-headers-$release" "linux-headers-$abi-common" "linux-kbuild-$abi")
	[[ -n $boot ]] && pkgs+=("linux-binary-$release" "linux-modules-$release" "linux-base-$release")
	# Unpacked in place; .irqlens-version, written last, marks it whole.
	partial=$tree
	rm -rf "$tree"
	mkdir -p "$tree/root"
	for p in "${pkgs[@]}"; do
		deb=$(fetch "$p") || exit 1
		unpack "$deb" "$tree/root"
	done
	[[ -f $tree/root/usr/src/linux-headers-$release/Module.symvers ]] ||
		fail "linux-headers-$release $ver: the unpacked tree has no Module.symvers"
	kbuild="$tree/root/usr/lib/linux-kbuild-$abi"
	[[ -d $kbuild ]] || fail "linux-kbuild-$abi $ver: no usr/lib/linux-kbuild-$abi in the package"
	# The packages point at /usr/src and /usr/lib, by absolute links and
	# in the headers' Makefile: point them inside the tree.
	relink_tree "$tree/root" || fail "linux-headers-$release $ver: cannot relink the tree's links"
	sed -i "s|/usr/src/|$tree/root/usr/src/|g" "$tree/root/usr/src/linux-headers-$release/Makefile" ||
		fail "linux-headers-$release $ver: cannot rewrite its Makefile"
	ln -s "root/usr/src/linux-headers-$release" "$tree/build"
	if [[ -n $boot ]]; then
		[[ -f $tree/root/usr/lib/modules/$release/vmlinuz ]] ||
			fail "linux-binary-$release $ver: no usr/lib/modules/$release/vmlinuz"
		mkdir -p "$tree/modroot/lib/modules"
		mv "$tree/root/usr/lib/modules/$release" "$tree/modroot/lib/modules/"
		ln -s "modroot/lib/modules/$release/vmlinuz" "$tree/vmlinuz"
		depmod -b "$tree/modroot" "$release" ||
			fail "linux-modules-$release $ver: depmod failed"
	fi
	echo "$ver${boot:+ boot}" >"$tree/.irqlens-version"
	partial=
	echo "$release $ver $tree"
}

# Absolute symlinks in the unpacked packages point at /usr/...: point
# them at the same place inside the tree.
relink_tree()
{
	local root=$1 l target

	while IFS= read -r -d '' l; do
		target=$(readlink "$l")
		[[ $target == /* ]] || continue
		ln -sfn "$root$target" "$l"
	done < <(find "$root" -type l -print0)
}

while [[ $# -gt 0 ]]; do
	case $1 in
	--offline) offline=1; shift ;;
	-h|--help) sed -n "4,/^$/p" "$0"; exit 0 ;;
	-*) fail "unknown option '$1'" ;;
	*) break ;;
	esac
done
[[ $# -gt 0 ]] || fail "name at least one kernel: 7.2 7.2-rt 7.3-rc"
for name in "$@"; do
	case $name in
	7.2|7.2-rt|7.3-rc) ;;
	*) fail "unknown kernel '$name': use 7.2, 7.2-rt or 7.3-rc" ;;
	esac
done

apt_setup
if [[ -z $offline ]]; then
	# Any source that cannot be fetched fails the update (apt warns only).
	if ! apt-get "${APT_OPTS[@]}" -o APT::Update::Error-Mode=any -qq update >&2; then
		# Lists fetched before still name what was newest then: say so.
		# (-f: apt may keep a file: archive's list as a symlink to it.)
		lists=
		for f in "$aptdir"/lists/*_Packages*; do
			[[ -f $f ]] && lists=$f && break
		done
		[[ -n $lists ]] ||
			fail "apt-get update of the archive failed and no lists were fetched before (network? $aptdir/etc/sources.list)"
		echo "irqlens: debian-kernels: note: apt-get update failed; using the package lists of $(date -u -r "$lists" '+%F %H:%M UTC')" >&2
	fi
fi

for name in "$@"; do
	case $name in
	7.2)    line=$(kernel_tree 7.2 amd64 boot) ;;
	7.2-rt) line=$(kernel_tree 7.2 rt-amd64 boot) ;;
	7.3-rc) line=$(kernel_tree 7.3 amd64 "") ;;
	esac
	read -r release ver tree <<<"$line"
	# For scripts/lib.sh (debian_kernel) and vm-run.sh -k NAME.
	printf 'DK_RELEASE=%q\nDK_VERSION=%q\nDK_TREE=%q\n' "$release" "$ver" "$tree" \
		>"$top/$name.env"
	echo "$name $line"
done

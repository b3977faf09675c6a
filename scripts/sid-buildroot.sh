#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# A Debian sid build root for modules of Debian's 7.x kernels, which sid
# builds with a newer gcc than Debian 12 has: their headers' .config holds
# the compiler's own answers (CONFIG_CC_HAS_*, -fmin-function-alignment,
# counted_by, ...), so a module built with Debian 12's gcc-12 either does
# not compile or differs from what the kernel expects. The root is made
# with debootstrap into the cache, never touches the system, and holds the
# compiler each kernel's CONFIG_CC_VERSION_TEXT names.
#
#   scripts/sid-buildroot.sh prepare KDIR...   make or update the root
#   scripts/sid-buildroot.sh run CMD [ARG...]  run CMD in it as root
#
# "run" gives the command the checkout, the build folder and the cache at
# the same paths as outside, in a mount namespace of its own: nothing
# stays mounted once it returns, however it ends.

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

root="$IRQLENS_CACHE/sid-root"
mirror=http://deb.debian.org/debian
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

fail()
{
	echo "irqlens: sid-buildroot: $*" >&2
	exit 1
}

# "gcc-16" for a tree made with x86_64-linux-gnu-gcc-16 (lib.sh kernel_compiler).
compiler_package()
{
	local kdir=$1 text

	text=$(kernel_compiler "$kdir")
	[[ $text =~ (gcc-[0-9]+)$ ]] || fail "$kdir/.config: no gcc in CONFIG_CC_VERSION_TEXT ('$text')"
	echo "${BASH_REMATCH[1]}"
}

prepare()
{
	local kdir pkg stamp="$root/.irqlens-packages"
	local -a pkgs=(make kmod bc xz-utils zstd pahole libelf1t64 libssl3t64 zlib1g)

	for kdir in "$@"; do
		[[ -f $kdir/.config ]] || fail "$kdir: no .config (not a kernel build tree)"
		pkg=$(compiler_package "$kdir")
		[[ " ${pkgs[*]} " == *" $pkg "* ]] || pkgs+=("$pkg")
	done
	if [[ -f $stamp && $(cat "$stamp") == "${pkgs[*]}" ]]; then
		return 0
	fi
	command -v debootstrap >/dev/null || fail "debootstrap missing: run scripts/install-deps.sh"
	log "making the sid build root in $root (${pkgs[*]})"
	rm -rf "$root"
	debootstrap --variant=minbase --arch=amd64 --keyring="$keyring" \
		--include="$(IFS=,; echo "${pkgs[*]}")" sid "$root" "$mirror" \
		>"$root.log" 2>&1 ||
		fail "debootstrap of sid with ${pkgs[*]} failed: see $root.log"
	echo "${pkgs[*]}" >"$stamp"
}

run()
{
	local -a dirs=("$IRQLENS_ROOT" "$IRQLENS_BUILD" "$IRQLENS_CACHE")

	[[ -f $root/.irqlens-packages ]] || fail "no build root in $root: run '$0 prepare KDIR...'"
	mkdir -p "$IRQLENS_BUILD"
	# shellcheck disable=SC2016 # expanded by the inner shell
	unshare --mount --propagation private -- bash -c '
		root=$1; shift
		n=$1; shift
		for d in "${@:1:$n}"; do
			mkdir -p "$root$d" && mount --bind "$d" "$root$d" || exit 1
		done
		shift "$n"
		mount -t proc proc "$root/proc" || exit 1
		# Nothing of the host environment (locale, MAKEFLAGS, CC) leaks in.
		exec chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
			LANG=C.UTF-8 "$@"
	' bash "$root" "${#dirs[@]}" "${dirs[@]}" "$@"
}

case ${1:-} in
prepare) shift; prepare "$@" ;;
run)     shift; [[ $# -gt 0 ]] || fail "run: no command"; run "$@" ;;
*)       fail "usage: $0 prepare KDIR... | run CMD [ARG...]" ;;
esac

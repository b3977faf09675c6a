#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Install every Debian package irqlens needs to build and to run its QEMU
# test bed. Idempotent: a second run only refreshes the package lists.
#
# The Debian 6.12 point release moves with security updates, so the newest
# linux-image/linux-headers pair the archive offers is chosen at run time
# and written to $IRQLENS_CACHE/debian-kver for the other scripts.

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $(id -u) -eq 0 ]] || die "must run as root (apt-get install)"
command -v apt-get >/dev/null || die "apt-get not found: irqlens targets Debian 12"

export DEBIAN_FRONTEND=noninteractive

BASE_PKGS=(
	build-essential bc bison flex libelf-dev libssl-dev pkg-config
	ccache kmod libkmod-dev cpio xz-utils zstd rsync perl python3
	qemu-system-x86 busybox-static linux-source-6.12
	debootstrap debian-archive-keyring util-linux file procps
)

log "apt-get update"
apt-get update -qq || die "apt-get update failed"

# Newest "6.12.N+deb12" for which both the unsigned image and the headers
# exist; empty when the archive has none.
newest_debian_612()
{
	apt-cache search --names-only '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' |
		awk '{ print $1 }' |
		sed -e 's/^linux-headers-//' -e 's/-amd64$//' |
		sort -V -r |
		while read -r v; do
			if apt-cache show "linux-image-$v-amd64-unsigned" >/dev/null 2>&1; then
				echo "$v"
				break
			fi
		done
}

kv=$(newest_debian_612)
[[ -n $kv ]] || die "no linux-image-6.12.*+deb12-amd64-unsigned with matching headers in the archive (check /etc/apt/sources.list*, bookworm-backports/security)"
KVER="$kv-amd64"

log "installing packages (Debian kernel $KVER)"
apt-get install -y -qq --no-install-recommends "${BASE_PKGS[@]}" \
	"linux-image-$KVER-unsigned" "linux-headers-$KVER" >/dev/null ||
	die "apt-get install failed (see the messages above)"

for f in "/boot/vmlinuz-$KVER" "/lib/modules/$KVER/build/Makefile" \
	 /usr/src/linux-source-6.12.tar.xz /bin/busybox; do
	[[ -e $f ]] || die "package install did not provide $f"
done

mkdir -p "$IRQLENS_CACHE"
echo "$KVER" >"$IRQLENS_CACHE/debian-kver"
log "dependencies ready: Debian kernel $KVER"

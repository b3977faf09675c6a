# SPDX-License-Identifier: GPL-2.0
#
# Helpers sourced by the irqlens scripts. Not executable on its own.

IRQLENS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Heavy, reusable artefacts (extracted kernel source, uapi headers, kernel
# builds, ccache) live outside the checkout so fresh clones reuse them.
: "${IRQLENS_CACHE:=/var/cache/irqlens}"
# Per-checkout outputs (initramfs, console logs) live in the ignored build/.
: "${IRQLENS_BUILD:=$IRQLENS_ROOT/build}"
export IRQLENS_ROOT IRQLENS_CACHE IRQLENS_BUILD

log()
{
	echo "irqlens: $*" >&2
}

die()
{
	echo "irqlens: error: $*" >&2
	exit 1
}

# The Debian 6.12 kernel release chosen by install-deps.sh.
debian_kver()
{
	local f="$IRQLENS_CACHE/debian-kver"

	[[ -s $f ]] || die "$f missing: run scripts/install-deps.sh first"
	cat "$f"
}

# linux-source-6.12 extracted once into the cache; prints its path.
# kselftest_harness.h, checkpatch.pl, kunit.py and headers_install come
# from here, never from copies in the repo.
kernel_source()
{
	local tarball=/usr/src/linux-source-6.12.tar.xz
	local dst="$IRQLENS_CACHE/src"
	local stamp="$dst/.irqlens-extracted"

	[[ -f $tarball ]] || die "$tarball missing: run scripts/install-deps.sh"
	if [[ ! -f $stamp || $tarball -nt $stamp ]]; then
		log "extracting $tarball"
		rm -rf "$dst"
		mkdir -p "$dst"
		tar -xf "$tarball" -C "$dst" --strip-components=1 ||
			die "cannot extract $tarball"
		touch "$stamp"
	fi
	echo "$dst"
}

# Target-kernel uapi headers (make headers_install), for the harness.
uapi_headers()
{
	local src dst="$IRQLENS_CACHE/uapi"

	src=$(kernel_source)
	if [[ ! -f $dst/.irqlens-done || $src/.irqlens-extracted -nt $dst/.irqlens-done ]]; then
		log "installing uapi headers into $dst"
		rm -rf "$dst"
		make -s -C "$src" O="$IRQLENS_CACHE/uapi-obj" ARCH=x86_64 \
			headers_install INSTALL_HDR_PATH="$dst" >&2 ||
			die "make headers_install failed"
		touch "$dst/.irqlens-done"
	fi
	echo "$dst/include"
}

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the project's test kernel from linux-source-6.12: x86_64_defconfig
# + kernel/configs/kvm_guest.config + scripts/kconfig/trim.config +
# scripts/kconfig/testkernel.config (KUnit, KVM/VFIO/IOMMU as the bed needs
# them, KASAN, lockdep, kmemleak, fault injection).
#
# Outputs stay in $IRQLENS_CACHE/testkernel (build tree and an installed
# lib/modules) and compiles go through ccache, so a second run with the
# same inputs does nothing and a changed fragment rebuilds only what it
# touches.

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The cached tree may carry kunit-tree.sh's link to a checkout that no
# longer exists (a CI clone); re-point it before Kconfig reads it.
src=$("$IRQLENS_ROOT/scripts/kunit-tree.sh")
top="$IRQLENS_CACHE/testkernel"
out="$top/build"
modroot="$top/modroot"
fragments=(
	"$src/kernel/configs/kvm_guest.config"
	"$IRQLENS_ROOT/scripts/kconfig/trim.config"
	"$IRQLENS_ROOT/scripts/kconfig/testkernel.config"
)

command -v ccache >/dev/null || die "ccache not found: run scripts/install-deps.sh"
export CCACHE_DIR="$IRQLENS_CACHE/ccache"
# Fixed build stamps keep compile.h, and so ccache hits, stable.
export KBUILD_BUILD_TIMESTAMP="2026-01-01 00:00:00 UTC"
export KBUILD_BUILD_USER=irqlens KBUILD_BUILD_HOST=irqlens
mkdir -p "$out" "$CCACHE_DIR"
ccache -M 8G >/dev/null

# Everything that decides what gets built.
key=$(cat "${fragments[@]}" "$src/.irqlens-extracted" "${BASH_SOURCE[0]}" 2>/dev/null |
      cat - <(stat -c %Y /usr/src/linux-source-6.12.tar.xz) | sha256sum | cut -d' ' -f1)
if [[ -f $out/.irqlens-key && $(cat "$out/.irqlens-key") == "$key" &&
      -f $out/arch/x86/boot/bzImage && -d $modroot/lib/modules ]]; then
	log "test kernel up to date ($(cat "$out/include/config/kernel.release"))"
	exit 0
fi

kmake()
{
	make -C "$src" O="$out" ARCH=x86_64 CC="ccache gcc" "$@"
}

log "configuring the test kernel in $out"
kmake -s x86_64_defconfig >/dev/null
"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "${fragments[@]}" >/dev/null
kmake -s olddefconfig >/dev/null

# Kconfig silently drops a symbol whose dependencies are not met: check
# that every line of our fragment made it into the final configuration.
missing=()
while read -r line; do
	case $line in
	CONFIG_*=*)
		grep -qxF "$line" "$out/.config" || missing+=("$line")
		;;
	"# CONFIG_"*" is not set")
		sym=${line#\# }
		sym=${sym%% *}
		grep -q "^$sym=" "$out/.config" && missing+=("$line")
		;;
	esac
done <"$IRQLENS_ROOT/scripts/kconfig/testkernel.config"
if [[ ${#missing[@]} -gt 0 ]]; then
	printf 'irqlens:   not in the final .config: %s\n' "${missing[@]}" >&2
	die "the test kernel configuration lost options of scripts/kconfig/testkernel.config"
fi

jobs=$(( $(nproc) + 1 ))
log "building the test kernel (make -j$jobs, ccache in $CCACHE_DIR)"
start=$SECONDS
kmake -j"$jobs" -s bzImage modules >"$top/build.log" 2>&1 || {
	tail -n 40 "$top/build.log" >&2
	die "test kernel build failed (full log: $top/build.log)"
}
rm -rf "$modroot"
kmake -s INSTALL_MOD_PATH="$modroot" modules_install >/dev/null ||
	die "modules_install failed"
echo "$key" >"$out/.irqlens-key"
log "test kernel $(cat "$out/include/config/kernel.release") built in $((SECONDS - start)) s"
ccache -s | grep -E 'Hits|Misses|hit rate' >&2 || true

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The check budget's cold case: "make check" on a machine with nothing
# installed by hand and an empty cache. A Debian 12 minbase made with
# debootstrap stands in for the new machine: the checkout is cloned into
# it and its own scripts install every package and build every kernel
# (IRQLENS_CACHE empty, inside it). Prints the wall time and the check's
# own per-stage times.
#
#   scripts/cold-check.sh DIR      DIR: a new, empty folder (several GB)
#
# The root keeps its cache afterwards: a second run there is a warm one.

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# -eq 1 ]] || die "usage: $0 DIR (a new, empty folder)"
root=$1
[[ ! -e $root || -z $(ls -A "$root") ]] || die "$root is not empty"
command -v debootstrap >/dev/null || die "debootstrap missing: run scripts/install-deps.sh"

mkdir -p "$root"
log "a bare Debian 12 in $root"
debootstrap --variant=minbase --include=git,ca-certificates,make bookworm "$root" \
	http://deb.debian.org/debian >"$root.debootstrap.log" 2>&1 ||
	die "debootstrap failed: see $root.debootstrap.log"
# A new machine of this kind comes with the workplace's apt configuration
# (its sources, and the archive snapshot's settings: its Release files
# are past their Valid-Until): the same, not debootstrap's defaults.
rm -f "$root/etc/apt/sources.list"
cp -a /etc/apt/. "$root/etc/apt/"
git clone -q "$IRQLENS_ROOT" "$root/irqlens"
# CI has ../shared beside the checkout.
[[ -d $IRQLENS_ROOT/../shared ]] && cp -a "$IRQLENS_ROOT/../shared" "$root/shared"

log ".ci/run (make check) in it: cold, no packages, empty cache"
start=$SECONDS
rc=0
# Its own mount namespace: /proc, /sys and /dev are gone when it ends;
# its own process group (group_run), stopped with this script.
group_run unshare --mount --propagation private -- bash -c '
	root=$1
	# A root that is a mount point, as on a real machine: unshare
	# --propagation inside (scripts/sid-buildroot.sh) needs one.
	mount --bind "$root" "$root" &&
		mount -t proc proc "$root/proc" && mount --rbind /sys "$root/sys" &&
		mount --rbind /dev "$root/dev" || exit 1
	exec chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		LANG=C.UTF-8 TERM=dumb bash /irqlens/.ci/run
' bash "$root" || rc=$?
log "cold make check: status $rc in $((SECONDS - start)) s"
exit "$rc"

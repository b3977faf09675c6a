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

# The test bed's devices sit at fixed slots so tests can be told where
# they are (scripts/vm-run.sh).
EDU_BDF=0000:00:10.0
E1000E_BDF=0000:00:11.0
NOMSI_BDF=0000:00:12.0		# pci-testdev: BARs, no MSI or MSI-X

log()
{
	echo "irqlens: [${SECONDS}s] $*" >&2
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

# Debian's newer kernel NAME (7.2, 7.2-rt, 7.3-rc) as scripts/debian-kernels.sh
# last fetched it: sets DK_RELEASE, DK_VERSION and DK_TREE (build: its
# KDIR, modroot: its modules, vmlinuz).
debian_kernel()
{
	local f="$IRQLENS_CACHE/debian-kernels/$1.env"

	[[ -s $f ]] || die "$f missing: run scripts/debian-kernels.sh $1"
	# shellcheck source=/dev/null
	. "$f"
	[[ -d $DK_TREE ]] || die "$DK_TREE missing: run scripts/debian-kernels.sh $1"
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

# Test results of a whole run, one line each: "STATUS  name[: detail]",
# STATUS being PASS, FAIL or SKIP. $IRQLENS_RESULTS names the file.
result()
{
	local status=$1 name=$2 detail=${3:-}

	printf '  %-4s  %s%s\n' "$status" "$name" "${detail:+: $detail}" |
		tee -a "$IRQLENS_RESULTS" >&2
}

# Print every result, a FAIL "missing" for each result that
# scripts/expected-results expects of the boots named in $@ (labels there;
# none: all of them) but that never came, and the closing "N passed,
# N failed, N skipped" line (scripts/tally.py summary). Fails when
# something failed (an unexpected SKIP too) or when nothing passed.
results_summary()
{
	local boot rc=0 pass fail skip
	local -a boots=()

	for boot in "$@"; do
		boots+=(--boot "$boot")
	done
	"$IRQLENS_ROOT/scripts/tally.py" summary "$IRQLENS_RESULTS" \
		"$IRQLENS_ROOT/scripts/expected-results" "${boots[@]}" || rc=$?
	[[ $rc -le 1 ]] && return "$rc"
	# The referee itself broke: say so, and still end with the line CI
	# reads, counting that breakage as a failure.
	pass=$(grep -c '^  PASS ' "$IRQLENS_RESULTS") || pass=0
	fail=$(grep -c '^  FAIL ' "$IRQLENS_RESULTS") || fail=0
	skip=$(grep -c '^  SKIP ' "$IRQLENS_RESULTS") || skip=0
	cat "$IRQLENS_RESULTS"
	echo "  FAIL  summary: scripts/tally.py summary exited with status $rc"
	echo "$pass passed, $((fail + 1)) failed, $skip skipped"
	return 1
}

# The compiler a kernel build tree was made with, as its .config names it:
# "x86_64-linux-gnu-gcc-16" from CONFIG_CC_VERSION_TEXT="x86_64-linux-gnu-gcc-16
# (Debian ...) ..."; empty when the tree does not say.
kernel_compiler()
{
	sed -n 's/^CONFIG_CC_VERSION_TEXT="\([^ ]*\) .*/\1/p' "$1/.config"
}

# Kernel build tree of a bed kernel name (debian or test); fails, saying
# why, when there is none (make with an empty KDIR would build for the
# host's kernel instead).
kernel_kdir()
{
	local kdir kver

	case $1 in
	debian) kver=$(debian_kver) || return 1
		kdir=/lib/modules/$kver/build ;;
	test)   kdir=$(. "$IRQLENS_ROOT/scripts/testkernel-paths.sh" && echo "$TESTKERNEL_BUILD") ||
			return 1 ;;
	7.2|7.2-rt|7.3-rc)
		kdir=$(debian_kernel "$1" && echo "$DK_TREE/build") || return 1 ;;
	*)      echo "irqlens: error: unknown bed kernel '$1'" >&2; return 1 ;;
	esac
	if [[ -z $kdir || ! -d $kdir ]]; then
		echo "irqlens: error: no kernel build tree for the $1 kernel at '$kdir'" >&2
		return 1
	fi
	echo "$kdir"
}

# The exact version of each 6.12 kernel the check runs, as results (the
# 7.x ones are recorded by fetch_debian_kernels).
kernel_versions_612()
{
	local kver pkgver rel status=0

	if kver=$(debian_kver) &&
	   pkgver=$(dpkg-query -W -f='${Version}' "linux-image-$kver-unsigned" 2>/dev/null); then
		result PASS "kernel debian: Debian linux-image-$kver-unsigned $pkgver"
	else
		result FAIL "kernel debian" "no Debian 6.12 kernel package installed (scripts/install-deps.sh)"
		status=1
	fi
	if rel=$(. "$IRQLENS_ROOT/scripts/testkernel-paths.sh" 2>/dev/null && echo "$TESTKERNEL_RELEASE") &&
	   pkgver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null); then
		result PASS "kernel test: $rel (linux-source-6.12 $pkgver with scripts/kconfig)"
	else
		result FAIL "kernel test" "the test kernel is not built (scripts/build-test-kernel.sh)"
		status=1
	fi
	return "$status"
}

# Fetch Debian's newer kernels $@ (scripts/debian-kernels.sh: 7.2, 7.2-rt,
# 7.3-rc) and make the sid build root their modules are built in. One
# result per kernel, naming its exact version; a kernel that cannot be had
# is a FAIL naming the package and why, and so are its later stages.
fetch_debian_kernels()
{
	local out name release ver tree logf="$IRQLENS_BUILD/debian-kernels.log" why note
	local -a kdirs=() offline=()
	local status=0

	: >"$logf"
	# One kernel at a time: one that cannot be had fails only its stages.
	for name in "$@"; do
		if ! out=$("$IRQLENS_ROOT/scripts/debian-kernels.sh" "${offline[@]}" "$name" \
			   2>>"$logf"); then
			why=$(grep 'irqlens: debian-kernels:' "$logf" | tail -n 1) ||
				why=$(tail -n 1 "$logf")
			result FAIL "kernel $name" "${why#irqlens: debian-kernels: }"
			status=1
			# A stale tree of an earlier run is not booted in its place.
			rm -f "$IRQLENS_CACHE/debian-kernels/$name.env"
			continue
		fi
		# The lists are fresh for this run now.
		offline=(--offline)
		read -r name release ver tree <<<"$out"
		note=$(grep -o 'note: .*' "$logf" | tail -n 1) || note=
		result PASS "kernel $name: Debian $release, packages $ver${note:+ ($note)}"
		kdirs+=("$tree/build")
	done
	[[ ${#kdirs[@]} -gt 0 ]] || return 1
	if "$IRQLENS_ROOT/scripts/sid-buildroot.sh" prepare "${kdirs[@]}" >>"$logf" 2>&1; then
		result PASS "kernels: sid build root ($(cat "$IRQLENS_CACHE/sid-root/.irqlens-packages"))"
	else
		why=$(grep 'irqlens: sid-buildroot:' "$logf" | tail -n 1) || why=$(tail -n 1 "$logf")
		result FAIL "kernels: sid build root" "${why#irqlens: sid-buildroot: }"
		return 1
	fi
	return "$status"
}

# Build irqlens.ko (and irqlens_kunit.ko where the kernel has KUnit) for
# bed kernel $1; records one result. Like every function here that records
# results, it does not count on "set -e" (a caller's "|| rc=$?" turns it
# off inside): what must stop it is checked, recorded as a FAIL with the
# reason, and returned as status 1.
#
# Debian's 7.x kernels are built by sid's gcc (their .config holds that
# compiler's answers), in the sid build root (scripts/sid-buildroot.sh),
# and with W=1 (6.12's W=1 build is a static check). Any warning, the
# compiler's or modpost's, fails every build.
build_module()
{
	local kernel=$1 kdir logf="$IRQLENS_BUILD/make-module-$1.log" name
	local -a make_cmd=(make -s -C "$IRQLENS_ROOT")

	name="build: irqlens.ko for the $kernel kernel"
	if ! kdir=$(kernel_kdir "$kernel" 2>"$logf"); then
		result FAIL "$name" "$(tail -n 1 "$logf")"
		return 1
	fi
	case $kernel in
	7.*) make_cmd=("$IRQLENS_ROOT/scripts/sid-buildroot.sh" run "${make_cmd[@]}" W=1)
	     name+=" (W=1, $(kernel_compiler "$kdir"))" ;;
	esac
	if "${make_cmd[@]}" KDIR="$kdir" module >"$logf" 2>&1 && ! grep -qi 'warning:' "$logf"; then
		result PASS "$name"
	else
		tail -n 30 "$logf" >&2
		result FAIL "$name" "errors or warnings, see $logf"
		return 1
	fi
}

# kbuild_objects DIR MODULE: the objects DIR/Kbuild lists for MODULE
# ("MODULE-y := a.o b.o \" and "MODULE-y += c.o"), as DIR/a.o lines.
kbuild_objects()
{
	local dir=$1 module=$2 o

	for o in $(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$IRQLENS_ROOT/$dir/Kbuild" |
		   sed -n "s/^$module-y[ :+]*=//p"); do
		[[ $o == *.o ]] && echo "$dir/$o"
	done
}

# irqlens.ko for each of Debian's 7.x kernels, and the 7.3-rc compile
# check of the KUnit module; every build runs and records its result.
build_modules_debian_7x()
{
	local k status=0

	for k in 7.2 7.2-rt 7.3-rc; do
		build_module "$k" || status=1
	done
	build_kunit_compile 7.3-rc || status=1
	return "$status"
}

# Compile check of the KUnit module for Debian kernel $1, whose config has
# no KUnit: every object of irqlens_kunit.ko and of irqlens.ko compiled
# (W=1) as KUnit would, with CONFIG_KUNIT defined, into a build folder of
# its own; not linked, as the kernel has no KUnit to link against.
build_kunit_compile()
{
	local kernel=$1 kdir kmod objs logf="$IRQLENS_BUILD/make-kunit-$1.log"
	local name="build: irqlens_kunit.ko objects for the $kernel kernel (W=1, compile only)"
	local build="$IRQLENS_BUILD/kunit-compile-$1"

	if ! kdir=$(kernel_kdir "$kernel" 2>"$logf"); then
		result FAIL "$name" "$(tail -n 1 "$logf")"
		return 1
	fi
	kmod="$build/kmod-$(cat "$kdir/include/config/kernel.release")"
	# The object lists of both Kbuild files, each under its own folder,
	# as single targets.
	objs=$(kbuild_objects module irqlens; kbuild_objects module/tests irqlens_kunit)
	mkdir -p "$kmod"
	cp -asf "$IRQLENS_ROOT/Kbuild" "$IRQLENS_ROOT/module" "$IRQLENS_ROOT/include" "$kmod/"
	# shellcheck disable=SC2086 # objs is a word list
	if "$IRQLENS_ROOT/scripts/sid-buildroot.sh" run make -s -C "$kdir" M="$kmod" W=1 \
		CONFIG_KUNIT=y KCFLAGS=-DCONFIG_KUNIT=1 $objs >"$logf" 2>&1 &&
	   ! grep -qi 'warning:' "$logf"; then
		result PASS "$name: $(wc -w <<<"$objs") objects"
	else
		tail -n 30 "$logf" >&2
		result FAIL "$name" "errors or warnings, see $logf"
		return 1
	fi
}

# Build the harness; records one result. Warnings count as failures.
build_user()
{
	local logf="$IRQLENS_BUILD/make-user.log"

	if make -s -C "$IRQLENS_ROOT" user >"$logf" 2>&1 && ! grep -q 'warning:' "$logf"; then
		result PASS "build: harness (user/)"
	else
		tail -n 30 "$logf" >&2
		result FAIL "build: harness (user/)" "errors or warnings, see $logf"
	fi
	# The kselftest layout, for the kernel's own runner in the bed. An old
	# layout that cannot be removed is not installed over.
	if rm -rf "$IRQLENS_BUILD/guest-extra/kselftest" >>"$logf" 2>&1 &&
	   make -s -C "$IRQLENS_ROOT" install-kselftest \
		INSTALL_PATH="$IRQLENS_BUILD/guest-extra/kselftest" >>"$logf" 2>&1; then
		result PASS "build: kselftest install layout (make install-kselftest)"
	else
		result FAIL "build: kselftest install layout (make install-kselftest)" "see $logf"
	fi
}

# The installed tests run through the kernel's run_kselftest.sh: the quick
# ones (the matrix tests already ran through run_suites.sh). Its exit status
# is 0 even when a test fails, so the verdict comes from its KTAP lines.
BED_KSELFTEST_CMD='echo "# irqlens-suite: run_kselftest.sh start"; /irqlens/extra/kselftest/run_kselftest.sh -t irqlens:smoke_module -t irqlens:smoke_kvm -t irqlens:test_vfio_msi -t irqlens:test_device_refusals; echo "# irqlens-suite: run_kselftest.sh exit=$?"'

# The kernels the bed boots (vm-run.sh -k): Debian 12's 6.12, the
# project's debug 6.12, Debian sid's 7.2 and 7.2 PREEMPT_RT.
BED_KERNELS="debian test 7.2 7.2-rt"

# Run the live suites in the test bed on bed kernel $1 and record one
# result per KTAP case, plus one for the run as a whole (kernel reports on
# the console, timeouts). On the test kernel (the one with KUnit) the same
# boot also loads irqlens_kunit.ko, and its results go through kunit.py
# parse. Labels: scripts/expected-results.
bed_suites()
{
	local kernel=$1 kunit= out="$IRQLENS_BUILD/vm/suites-$1" rc=0 run_id
	local -A timeout=([debian]=1800 [test]=2700 [7.2]=1800 [7.2-rt]=1800)
	local cmd=/irqlens/bin/run_suites.sh

	[[ $kernel == test ]] && kunit=kunit
	[[ $kunit == kunit ]] &&
		cmd='s=0; /irqlens/bin/run_suites.sh || s=1; /irqlens/bin/run_kunit.sh || s=1; exit $s'
	[[ $kernel == debian ]] &&
		cmd="s=0; /irqlens/bin/run_suites.sh || s=1; $BED_KSELFTEST_CMD; exit \$s"
	log "live suites on the $kernel kernel${kunit:+, with KUnit by insmod}"
	bed_boot_prepare "$kernel" "$kernel" "$out" || return 1
	run_id=$BED_RUN_ID
	# IRQLENS_SUITE_SKIP (user/run_suites.sh) is not passed on: a boot of
	# make check runs every program, and the only SKIPs it may report are
	# the cases scripts/expected-results allows.
	[[ -z ${IRQLENS_SUITE_SKIP:-} ]] ||
		log "IRQLENS_SUITE_SKIP='$IRQLENS_SUITE_SKIP' ignored: the bed boots run every program"
	bed_boot_run "$IRQLENS_ROOT/scripts/vm-run.sh" --kernel "$kernel" --out "$out" \
		--timeout "${timeout[$kernel]}" \
		--env "IRQLENS_SUITE_ELSEWHERE=$BED_SINGLE_THREAD_PROGRAMS" \
		--env "IRQLENS_RUN_ID=$run_id" \
		--env "IRQLENS_STRENGTH=${IRQLENS_STRENGTH:-check}" \
		-- sh -c "$cmd" 2> >(tee "$out.err" >&2) || rc=$?
	bed_boot_results "$kernel" "$out" $rc "$run_id" ${kunit:+"kunit-insmod/$kernel"}
}

# bed_boot_prepare LABEL KERNEL OUT: before the boot labelled LABEL of bed
# kernel KERNEL, its logs in folder OUT: that folder exists and holds no
# output.log (a log the boot did not write is never counted), and
# BED_RUN_ID is a fresh id for the boot's log (scripts/tally.py refuses a
# log without it). When one of these cannot be had: a FAIL with the
# reason, status 1.
bed_boot_prepare()
{
	local label=$1 kernel=$2 out=$3 why

	BED_RUN_ID=
	if [[ " $BED_KERNELS " != *" $kernel "* ]]; then
		why="unknown bed kernel '$kernel' (bed kernels: $BED_KERNELS)"
	elif ! mkdir -p "$out" || ! rm -f "$out/output.log"; then
		why="cannot create $out or remove its old output.log"
	elif ! BED_RUN_ID=$(cat /proc/sys/kernel/random/uuid) || [[ -z $BED_RUN_ID ]]; then
		why="no run id from /proc/sys/kernel/random/uuid"
	else
		return 0
	fi
	result FAIL "bed/$label: run" "not started: $why"
	return 1
}

# The results of one bed boot labelled $1 (logs in $2, vm-run.sh's status
# $3, the boot's run id $4; $5, if given, labels the KUnit suites it loaded
# by insmod): one per KTAP case through scripts/tally.py, which also fails
# a missing or stale output.log, and one for the boot as a whole (kernel
# reports on the console, timeouts). A tally that breaks is a failure too.
bed_boot_results()
{
	local label=$1 out=$2 rc=$3 run_id=$4 kunit_label=${5:-}
	local tally="$IRQLENS_ROOT/scripts/tally.py"

	{
		"$tally" ktap "$out/output.log" --label "$label" --run-id "$run_id" ||
			echo "  FAIL  $label: scripts/tally.py ktap exited with status $?"
		if [[ -n $kunit_label ]]; then
			"$tally" kunit "$out/output.log" --from insmod --label "$kunit_label" \
				--run-id "$run_id" ||
				echo "  FAIL  $kunit_label: scripts/tally.py kunit exited with status $?"
		fi
	} | tee -a "$IRQLENS_RESULTS" >&2
	if [[ $rc -eq 0 ]]; then
		result PASS "bed/$label: run clean (no kernel reports, no timeout)"
	else
		result FAIL "bed/$label: run" "$(grep -m1 'irqlens: FAIL' "$out.err" || echo "exit status $rc")"
	fi
}

# The programs multi-threaded TCG cannot carry, in boots of their own on
# single-threaded TCG (one host thread runs every vCPU, so vCPUs cannot
# race each other inside the emulator; Documentation/testbed.rst):
# - test_vfio_bypass: under its load the nested-SVM bed's L1 guest died
#   on multi-threaded TCG (RCU stalls, triple faults), with and without
#   irqlens.ko. Here it runs at full strength on Debian's kernel (1000
#   interrupts per test, affinity moves, route churn, NMIs) and with 40
#   per test on the KASAN test kernel, where a test takes ~30 s anyway.
# - test_guest_irqs: a spinning nested vCPU once missed its kick (an IPI
#   into L2 code) on multi-threaded TCG; here the emulator's duplicated
#   nested deliveries are proven and counted instead (emulator_dups.h).
#   With the edu, whose boot is the shorter.
# - the KVM-unload case of test_hooks_follow_modules.sh: unloading KVM
#   flips static keys (live text patching), which multi-threaded TCG
#   races on. It runs last in its boot, as it unloads KVM.
# One boot per device, both at once: each keeps one host core busy.
# Strength per kernel: 1000 interrupts per test on Debian's 6.12 and 7.2;
# 40 on the KASAN test kernel and 200 on 7.2 PREEMPT_RT, the slow ones
# (a test there costs ~30 s and ~4 s per 100 sends); make soak: 1000 on
# every kernel. The main boots leave these programs out
# (IRQLENS_SUITE_ELSEWHERE).
BED_SINGLE_THREAD_PROGRAMS="test_vfio_bypass test_guest_irqs"
bed_single_thread()
{
	local kernel=$1 part rc out status=0
	local -A sends=([debian]=1000 [test]=40 [7.2]=1000 [7.2-rt]=200)
	local -A timeout=([debian]=1800 [test]=3000 [7.2]=1800 [7.2-rt]=1800)

	# make soak: every kernel at full strength (1000 interrupts per test);
	# scripts/bed.sh: a few minutes' worth (200) on every kernel.
	case ${IRQLENS_STRENGTH:-check} in
	soak)
		sends[test]=1000
		sends[7.2-rt]=1000
		timeout[test]=9000
		timeout[7.2-rt]=5400
		;;
	bed)
		for part in "${!sends[@]}"; do
			sends[$part]=200
		done
		timeout[test]=5400
		;;
	esac
	local -A devices=([edu]=$EDU_BDF [e1000e]=$E1000E_BDF)
	local -A programs=([edu]="test_vfio_bypass test_guest_irqs"
			   [e1000e]="test_vfio_bypass test_hooks_follow_modules.sh")
	local -A pid=() run_id=()

	log "test_vfio_bypass (a boot per device), test_guest_irqs and the KVM-unload case on the $kernel kernel (single-threaded TCG)"
	for part in edu e1000e; do
		out="$IRQLENS_BUILD/vm/single-thread-$kernel-$part"
		if ! bed_boot_prepare "$kernel-tcg-single-$part" "$kernel" "$out"; then
			status=1
			continue
		fi
		run_id[$part]=$BED_RUN_ID
		# shellcheck disable=SC2086 # programs[] is a word list
		tied_to_parent "$IRQLENS_ROOT/scripts/vm-run.sh" --kernel "$kernel" --accel tcg-single \
			--out "$out" \
			--timeout "${timeout[$kernel]}" \
			--env "IRQLENS_BYPASS_SENDS=${sends[$kernel]}" --env IRQLENS_KVM_UNLOAD=1 \
			--env IRQLENS_CAPTURE_STATUS=1 \
			--env "IRQLENS_VFIO_DEVICES=${devices[$part]}" --env "IRQLENS_RUN_ID=${run_id[$part]}" \
			-- /irqlens/bin/run_suites.sh ${programs[$part]} \
			>/dev/null 2>"$IRQLENS_BUILD/vm/single-thread-$kernel-$part.err" &
		pid[$part]=$!
		bed_boot_track "${pid[$part]}"
	done
	for part in edu e1000e; do
		[[ -n ${pid[$part]:-} ]] || continue
		rc=0
		bed_boot_wait "${pid[$part]}" || rc=$?
		# The guest's output, one boot after the other rather than mixed.
		cat "$IRQLENS_BUILD/vm/single-thread-$kernel-$part/output.log" || true
		cat "$IRQLENS_BUILD/vm/single-thread-$kernel-$part.err" >&2 || true
		bed_boot_results "$kernel-tcg-single-$part" \
			"$IRQLENS_BUILD/vm/single-thread-$kernel-$part" $rc "${run_id[$part]}"
	done
	return "$status"
}

# The runner self-test's WARN fixture, into build/guest-extra/ (the runner
# copies that folder to /irqlens/extra in the guest). Built for Debian's
# kernel, the one the self-tests boot.
build_fixture_module()
{
	local dir="$IRQLENS_BUILD/warn-fixture" logf="$IRQLENS_BUILD/make-fixture.log"
	local kdir

	if kdir=$(kernel_kdir debian 2>"$logf") &&
	   mkdir -p "$dir" "$IRQLENS_BUILD/guest-extra" 2>>"$logf" &&
	   cp -asf "$IRQLENS_ROOT/scripts/tests/warn_fixture/." "$dir/" 2>>"$logf" &&
	   make -C "$kdir" M="$dir" modules >>"$logf" 2>&1 &&
	   cp "$dir/irqlens_warn_fixture.ko" "$IRQLENS_BUILD/guest-extra/" 2>>"$logf"; then
		return 0
	fi
	tail -n 20 "$logf" >&2
	result FAIL "build: runner WARN fixture" "see $logf"
	return 1
}

# kill_wait PID [GRACE_S]: SIGTERM to child PID, SIGKILL once GRACE_S
# seconds (default 10) have passed without it ending, and reap it.
# "-PID": the whole process group that child PID leads (group_run) gets
# the signals, and SIGKILL goes to whatever of it is left once the child
# ended: what it started and did not stop itself (kunit.py's QEMU).
kill_wait()
{
	local target=$1 grace=${2:-10} child=${1#-} grace_pid done_pid=

	kill -TERM -- "$target" 2>/dev/null || true
	sleep "$grace" &
	grace_pid=$!
	wait -n -p done_pid "$child" "$grace_pid" 2>/dev/null || true
	# SIGKILL to a child that did not end, and always to a group's rest.
	[[ $done_pid == "$child" && $target == "$child" ]] ||
		kill -KILL -- "$target" 2>/dev/null || true
	# SIGKILL: a caller that ignores SIGTERM (a cleanup trap) passes that
	# on to the sleep.
	kill -KILL "$grace_pid" 2>/dev/null || true
	wait "$child" "$grace_pid" 2>/dev/null || true
}

# tied_to_parent CMD...: exec CMD so that it gets SIGTERM when the
# script that forked it dies, however (SIGKILL included, where no trap
# runs). For a background job: "tied_to_parent CMD... &".
tied_to_parent()
{
	if command -v setpriv >/dev/null; then
		exec setpriv --pdeathsig TERM "$@"
	fi
	exec "$@"
}

# Children running in the background of this script, by pid: bed boots
# (vm-run.sh), the stages of check.sh, kunit.py's process group ("-PID").
# The script stops them on any exit of its own: the EXIT trap runs on a
# normal end, on "set -e", and when bash dies of SIGINT, SIGTERM or SIGHUP
# (at once, even while a foreground command runs; an INT or TERM trap
# would wait for that command, a kernel build or a kunit.py run). A
# vm-run.sh sent SIGTERM kills its QEMU and exits.
BED_BOOT_PIDS=()

bed_boots_kill()
{
	local boot

	trap '' HUP INT TERM	# a second signal must not cut this short
	for boot in "${BED_BOOT_PIDS[@]}"; do
		kill -TERM -- "$boot" 2>/dev/null || true
	done
	# vm-run.sh gives QEMU 10 s to end before SIGKILL.
	for boot in "${BED_BOOT_PIDS[@]}"; do
		kill_wait "$boot" 20
	done
	BED_BOOT_PIDS=()
}

# bed_boot_track PID: a background child this script started (-PID: the
# process group it leads).
bed_boot_track()
{
	local mine

	mine=$(trap -p EXIT)
	[[ -z $mine || $mine == *bed_boots_kill* ]] ||
		die "bed_boot_track: the caller has an EXIT trap of its own ($mine)"
	trap bed_boots_kill EXIT
	BED_BOOT_PIDS+=("$1")
}

# bed_boot_wait PID: wait for a tracked child; its exit status.
bed_boot_wait()
{
	local boot=$1 rc=0 p
	local -a left=()

	wait "$boot" || rc=$?
	for p in "${BED_BOOT_PIDS[@]}"; do
		[[ $p == "$boot" || $p == "-$boot" ]] || left+=("$p")
	done
	BED_BOOT_PIDS=("${left[@]}")
	return "$rc"
}

# bed_boot_run CMD...: run a bed boot (a vm-run.sh command line) as a
# tracked background job and wait for it; its exit status. Waiting in the
# "wait" builtin rather than on a foreground child lets a signal to this
# script end it at once, and the EXIT trap then stops the boot.
bed_boot_run()
{
	local boot

	tied_to_parent "$@" &
	boot=$!
	bed_boot_track "$boot"
	bed_boot_wait "$boot"
}

# group_run CMD...: CMD in a session and process group of its own
# (setsid), tracked and waited for; its exit status. On any exit of this
# script the whole group is stopped (kill_wait -PID): for a command that
# dies of SIGTERM and leaves its children running, as kunit.py leaves its
# QEMU and its kernel build. setsid does not fork here (so $! leads the
# group): a background job of a script without job control is no process
# group leader.
group_run()
{
	local leader rc=0

	[[ $- != *m* ]] || die "group_run: job control is on (set -m): setsid would fork"
	setsid "$@" &
	leader=$!
	bed_boot_track "-$leader"
	bed_boot_wait "$leader" || rc=$?
	# Nothing of it outlives it.
	kill -KILL -- "-$leader" 2>/dev/null || true
	return "$rc"
}

# The number of FAIL lines in $IRQLENS_RESULTS so far.
results_failed()
{
	local n

	n=$(grep -c '^  FAIL ' "$IRQLENS_RESULTS" 2>/dev/null) || true
	echo "${n:-0}"
}

# stage NAME CMD...: one stage of a run (scripts/check.sh). CMD is an
# executable or a function of this file; it runs in a process of its own,
# tied to this script (tied_to_parent) and tracked (bed_boot_track): when
# this script ends in any way, SIGKILL included, the stage gets SIGTERM
# and stops its own boots and kunit.py, and no QEMU outlives the run.
# (A foreground child is not told when its parent dies.) A function runs
# in a fresh bash that sources this file under "set -euo pipefail": called
# behind "|| rc=$?" bash would ignore set -e inside it. A stage that exits
# non-zero is a FAIL "NAME: stage exited with status N", unless it
# recorded a FAIL of its own (one failure, one line). Its wall time goes
# to STAGE_TIMES.
STAGE_TIMES=()

stage()
{
	local name=$1 rc=0 t0=$SECONDS failed pid
	shift

	log "$name"
	failed=$(results_failed)
	if [[ $(type -t "$1") == file ]]; then
		tied_to_parent "$@" &
	else
		# (Its log lines keep this script's clock.)
		# shellcheck disable=SC2016 # expanded by the stage's bash
		tied_to_parent bash -c 'SECONDS=$1; set -euo pipefail; . "$2"; shift 2; "$@"' stage \
			"$SECONDS" "$IRQLENS_ROOT/scripts/lib.sh" "$@" &
	fi
	pid=$!
	bed_boot_track "$pid"
	bed_boot_wait "$pid" || rc=$?
	if [[ $rc -ne 0 && $(results_failed) -gt $failed ]]; then
		log "$name: exited with status $rc after recording its failure"
	elif [[ $rc -ne 0 ]]; then
		result FAIL "$name" "stage exited with status $rc"
	fi
	STAGE_TIMES+=("$(printf '%6d s  %s' $((SECONDS - t0)) "$name")")
}

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Run one command as root inside the irqlens QEMU test bed and exit with its
# status. See "usage" below, or Documentation/testbed.rst.

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Modules the live tests need; their dependencies (ccp for kvm-amd,
# irqbypass, vfio-pci-core, ...) are added by mkinitramfs.sh.
# e1000e is loaded so the bed's NIC starts on a real driver, the one the
# VFIO tests must give it back to.
BED_MODULES=(kvm_amd vfio vfio_iommu_type1 vfio_pci e1000e)

usage()
{
	cat <<USAGE
usage: vm-run.sh [options] [--] COMMAND [ARG...]

Boot the test bed (QEMU q35, TCG, EPYC+SVM, intel-iommu with interrupt
remapping, edu at $EDU_BDF, e1000e at $E1000E_BDF, pci-testdev (no MSI) at
$NOMSI_BDF), run COMMAND as root in
the guest, and exit with its status. The run fails as well when the guest's
kernel console shows an oops, panic, WARNING, BUG, KASAN, lockdep or
kmemleak report, or when it times out.

options:
  -k, --kernel K      debian (default: Debian 12's 6.12), test (the project's
                      debug 6.12), 7.2 or 7.2-rt (Debian sid's, fetched by
                      scripts/debian-kernels.sh), or a path to a bzImage
  -M, --modroot DIR   directory holding lib/modules/<release> (with a path -k)
  -r, --release REL   kernel release of a path -k (default: from the image)
  -t, --timeout SEC   whole-run time limit (default: $timeout)
  -o, --out DIR       where console.log and output.log go (default: $outdir)
  -a, --accel A       tcg (default, multi-threaded), tcg-single (one host
                      thread for all vCPUs: no cross-vCPU race on live
                      kernel text patching, see testbed.rst), or kvm; kvm
                      falls back to tcg unless it boots the bed
  -c, --cpus N        guest vCPUs (default: $cpus)
  -m, --mem MB        guest memory (default: $mem)
  -e, --env K=V       export K=V to COMMAND (repeatable)
  -h, --help
USAGE
}

kernel=debian modroot= release= timeout=900 accel=tcg cpus=2 mem=2048
outdir="$IRQLENS_BUILD/vm/last"
extra_env=()

need_arg()
{
	[[ $# -ge 2 && -n $2 ]] || die "option $1 needs a value (see --help)"
}

while [[ $# -gt 0 ]]; do
	case $1 in
	-k|--kernel)  need_arg "$@"; kernel=$2; shift 2 ;;
	-M|--modroot) need_arg "$@"; modroot=$2; shift 2 ;;
	-r|--release) need_arg "$@"; release=$2; shift 2 ;;
	-t|--timeout) need_arg "$@"; timeout=$2; shift 2 ;;
	-o|--out)     need_arg "$@"; outdir=$2; shift 2 ;;
	-a|--accel)   need_arg "$@"; accel=$2; shift 2 ;;
	-c|--cpus)    need_arg "$@"; cpus=$2; shift 2 ;;
	-m|--mem)     need_arg "$@"; mem=$2; shift 2 ;;
	-e|--env)     need_arg "$@"; extra_env+=("$2"); shift 2 ;;
	-h|--help)    usage; exit 0 ;;
	--)           shift; break ;;
	-*)           die "unknown option '$1' (see --help)" ;;
	*)            break ;;
	esac
done
[[ $# -gt 0 ]] || die "no command given (see --help)"
[[ $timeout =~ ^[1-9][0-9]*$ ]] || die "--timeout '$timeout' is not a positive number of seconds"
[[ $cpus =~ ^[1-9][0-9]*$ ]] || die "--cpus '$cpus' is not a positive number"
[[ $mem =~ ^[1-9][0-9]*$ ]] || die "--mem '$mem' is not a positive number of MiB"
[[ $accel == tcg || $accel == tcg-single || $accel == kvm ]] ||
	die "--accel '$accel': use tcg, tcg-single or kvm"
for kv in "${extra_env[@]}"; do
	[[ $kv =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || die "--env '$kv' is not K=V"
done
command -v qemu-system-x86_64 >/dev/null ||
	die "qemu-system-x86_64 not found: run scripts/install-deps.sh"

# Resolve the kernel image, its release and its module root.
case $kernel in
debian)
	release=$(debian_kver)
	image=/boot/vmlinuz-$release
	modroot=/
	;;
test)
	. "$IRQLENS_ROOT/scripts/testkernel-paths.sh"
	image=$TESTKERNEL_IMAGE
	release=$TESTKERNEL_RELEASE
	modroot=$TESTKERNEL_MODROOT
	;;
7.2|7.2-rt)
	debian_kernel "$kernel"
	image=$DK_TREE/vmlinuz
	release=$DK_RELEASE
	modroot=$DK_TREE/modroot
	;;
*)
	image=$kernel
	[[ -f $image ]] || die "kernel image '$image' does not exist"
	[[ -n $modroot ]] || die "--kernel PATH needs --modroot DIR"
	if [[ -z $release ]]; then
		release=$(file -bL "$image" | sed -n 's/.*version \([^ ]*\).*/\1/p')
		[[ -n $release ]] || die "cannot read the release of $image; pass --release"
	fi
	;;
esac
[[ -f $image ]] || die "kernel image '$image' does not exist"
[[ -r $image ]] || die "kernel image '$image' is not readable"

mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)
console="$outdir/console.log"
output="$outdir/output.log"
rm -f "$console" "$output"

# Every process this script starts for a boot (QEMU, the stream of its
# output port, the timer) is its own child, its pid recorded here, and is
# killed on any exit of the script: done, failed, SIGINT, SIGTERM, SIGHUP.
# (Under timeout(1), QEMU ran in a process group of its own and outlived
# an interrupted run for up to the whole time limit.)
qemu_pid= stream_pid= timer_pid= payload=

cleanup()
{
	# A second signal (the starter's SIGTERM after its death signal, a
	# second Ctrl-C) must not cut the cleanup short.
	trap '' HUP INT TERM
	[[ -n $qemu_pid ]] && kill_wait "$qemu_pid"
	[[ -n $timer_pid ]] && kill_wait "$timer_pid" 1
	# tail stops by itself once QEMU is gone.
	[[ -n $stream_pid ]] && kill_wait "$stream_pid" 2
	qemu_pid= stream_pid= timer_pid=
	[[ -n $payload ]] && rm -rf "$payload"
	return 0
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# With setpriv, QEMU and the timer also get SIGKILL should this script
# die of SIGKILL, where no trap runs.
pdeath=()
command -v setpriv >/dev/null && pdeath=(setpriv --pdeathsig KILL)

# start_qemu LOG ARG...: QEMU in the background, output to LOG.
start_qemu()
{
	local log=$1
	shift

	"${pdeath[@]}" qemu-system-x86_64 "$@" </dev/null >"$log" 2>&1 &
	qemu_pid=$!
}

# wait_qemu LIMIT: wait for QEMU at most LIMIT seconds; its status in
# qemu_rc, 124 when it ran out of time (it is then killed).
wait_qemu()
{
	local limit=$1 done_pid= rc=0

	"${pdeath[@]}" sleep "$limit" &
	timer_pid=$!
	# A trapped signal ends this wait at once and runs the trap.
	wait -n -p done_pid "$qemu_pid" "$timer_pid" || rc=$?
	if [[ $done_pid == "$qemu_pid" ]]; then
		qemu_rc=$rc
		kill_wait "$timer_pid" 1
	else
		log "QEMU still running after $limit s: stopping it"
		kill_wait "$qemu_pid"
		qemu_rc=124
	fi
	qemu_pid= timer_pid=
}

# Payload: the module, the harness, the command and its environment. In
# the run's folder, so that one a SIGKILL left behind goes with the next
# run there.
payload="$outdir/payload"
rm -rf "$payload"
mkdir -p "$payload/bin"
kmod="$IRQLENS_BUILD/kmod-$release/module"
if [[ -f $kmod/irqlens.ko ]]; then
	cp "$kmod/irqlens.ko" "$payload/"
	[[ -f $kmod/tests/irqlens_kunit.ko ]] && cp "$kmod/tests/irqlens_kunit.ko" "$payload/"
else
	log "warning: no irqlens.ko built for $release (make KDIR=<its build tree>)"
fi
[[ -d $IRQLENS_BUILD/user ]] &&
	find "$IRQLENS_BUILD/user" -maxdepth 1 -type f -perm -u+x -exec cp {} "$payload/bin/" \;
[[ -d $IRQLENS_BUILD/guest-extra ]] && cp -a "$IRQLENS_BUILD/guest-extra" "$payload/extra"
printf '%s\n' "${BED_MODULES[@]}" >"$payload/modules"
{
	echo "export IRQLENS_KO=/irqlens/irqlens.ko"
	# Tests that disturb the machine (hide /dev/kvm, unload vfio-pci)
	# run only where that is harmless.
	echo "export IRQLENS_BED=1"
	# tcg-single delivers some nested guests' interrupts twice (testbed.rst).
	echo "export IRQLENS_BED_ACCEL=$accel"
	echo "export IRQLENS_DEVICE=$EDU_BDF"
	echo "export IRQLENS_VFIO_DEVICES='$EDU_BDF $E1000E_BDF'"
	echo "export IRQLENS_DEVICE_NOMSI=$NOMSI_BDF"
	echo "export IRQLENS_DEVICE_EDU=$EDU_BDF"
	echo "export IRQLENS_DEVICE_E1000E=$E1000E_BDF"
	for kv in "${extra_env[@]}"; do
		printf 'export %q=%q\n' "${kv%%=*}" "${kv#*=}"
	done
} >"$payload/env"
printf '%q ' "$@" >"$payload/cmd"
echo >>"$payload/cmd"

initrd="$outdir/initramfs.cpio"
"$IRQLENS_ROOT/scripts/mkinitramfs.sh" "$release" "$modroot" "$payload" \
	"$initrd" "${BED_MODULES[@]}"

# PREEMPT_RT's KVM loads only with a constant TSC, which an AMD guest
# gets only from invtsc; TCG refuses +invtsc unless forced, and forcing
# works only once every feature TCG cannot do is off (testbed.rst).
# Under KVM the host's CPU decides, and nothing is forced.
cpu_model_for()
{
	local model=EPYC,+svm,+npt

	if [[ $release == *-rt-* && $1 != kvm ]]; then
		model+=,-3dnowprefetch,-fxsr-opt,-misalignsse,-nrip-save,-osvw,-rdseed,-sha-ni
		model+=,-topoext,-xsavec,+invtsc,x-force-features=on
	fi
	echo "$model"
}
cpu_model=$(cpu_model_for "$accel")
qemu_args=(
	-machine q35 -cpu "$cpu_model" -smp "$cpus" -m "$mem"
	-nodefaults -display none -no-reboot
	-device intel-iommu,intremap=on,caching-mode=on
	-device edu,addr=0x10
	-device e1000e,addr=0x11,netdev=bednet -netdev hubport,id=bednet,hubid=0
	-device pci-testdev,addr=0x12
	-kernel "$image" -initrd "$initrd"
	-append "console=ttyS0 intel_iommu=on panic=-1 nokaslr"
	-chardev "file,id=con,path=$console" -serial chardev:con
	-chardev "file,id=out,path=$output" -serial chardev:out
	# A guest that resets without a word (a triple fault) leaves the CPU
	# state of the reset here.
	-d cpu_reset -D "$outdir/qemu-reset.log"
)

# KVM only when asked for and only if it can boot the bed (the build
# machines' /dev/kvm cannot run ordinary kernels): probe with a short run.
if [[ $accel == kvm ]]; then
	qemu_rc=1
	if [[ -w /dev/kvm ]]; then
		start_qemu /dev/null -accel kvm "${qemu_args[@]//"$output"/"$outdir/probe.log"}"
		wait_qemu 60
	fi
	if [[ $qemu_rc -eq 0 ]] && grep -q IRQLENS-EXIT "$outdir/probe.log"; then
		log "KVM acceleration works; using it"
	else
		log "KVM acceleration asked for but it cannot boot the bed; using TCG"
		accel=tcg
		qemu_args=("${qemu_args[@]/#"$cpu_model"/"$(cpu_model_for tcg)"}")
	fi
fi
# Multi-threaded TCG. Single-threaded TCG delivered nested guests' MSIs
# twice (QEMU 7.2 and 10 alike); multi-threaded TCG once ran half-patched
# kernel text, which user/kvm_keeper.c works around (Documentation/testbed.rst).
case $accel in
kvm)        qemu_args=(-accel kvm "${qemu_args[@]}") ;;
tcg-single) qemu_args=(-accel tcg,thread=single "${qemu_args[@]}") ;;
*)          qemu_args=(-accel tcg,thread=multi "${qemu_args[@]}") ;;
esac

# One boot. QEMU, and the stream of its output port to the terminal, run
# in the background while this script waits in the "wait" builtin, which
# a signal interrupts at once (a foreground pipeline would hold the trap
# until QEMU ended). tail stops by itself once QEMU is gone.
boot()
{
	log "booting $release ($accel, $cpus vCPUs), logs in $outdir"
	: >"$output"
	start_qemu "$outdir/qemu.log" "${qemu_args[@]}"
	tail -n +1 -F --pid="$qemu_pid" "$output" 2>/dev/null | tr -d '\r' |
		grep -v '^IRQLENS-EXIT:' &
	stream_pid=$!
	wait_qemu "$timeout"
	wait "$stream_pid" || true
	stream_pid=
}

boot
# Multi-threaded TCG sometimes runs kernel text that another vCPU is
# patching and the guest dies of an unclaimed int3 (testbed.rst). When
# that kills the boot itself, before /init ran anything, no test ran:
# boot once more and say so. A crash after the command started is never
# retried.
if [[ ! -s $output ]] && grep -q 'Oops: int3' "$console" 2>/dev/null; then
	mv "$console" "$outdir/console-boot1.log"
	log "the emulated guest died of an int3 during boot (QEMU MTTCG text-patching race, $outdir/console-boot1.log); booting again"
	boot
fi

# Not exec: the EXIT trap removes the payload.
rc=0
"$IRQLENS_ROOT/scripts/vm-verdict.sh" "$outdir" "$qemu_rc" "$timeout" || rc=$?
exit "$rc"

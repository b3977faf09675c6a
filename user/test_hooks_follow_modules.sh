#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# irqlens.ko's hooks follow the modules they observe: with irqlens loaded,
# unload vfio-pci and KVM under it, check that caps says which hooks went
# away and why, load them again and check every hook is back, and that the
# module still sees a device's interrupts end to end (test_vfio_bypass).
# The kernel's console must stay clean (the bed fails the run on any
# WARNING, BUG, KASAN, lockdep or kmemleak report). Unloading KVM is only
# harmless in the test bed (IRQLENS_BED=1). KTAP.

dir=$(dirname "$0")
caps=/sys/kernel/debug/irqlens/caps
bdf=${IRQLENS_DEVICE:-0000:00:10.0}

echo "TAP version 13"
echo "1..3"
if [ "${IRQLENS_BED:-}" != 1 ]; then
	for t in "1 vfio_pci_core_unload_and_reload" "2 kvm_unload_and_reload" "3 still_observes_after_reloads"; do
		echo "ok $t # SKIP unloads KVM and vfio-pci: runs only in the test bed (IRQLENS_BED=1)"
	done
	exit 4
fi

if ! grep -q '^irqlens ' /proc/modules; then
	insmod "${IRQLENS_KO:-/irqlens/irqlens.ko}" || { echo "Bail out! cannot load irqlens.ko"; exit 1; }
	loaded_here=1
fi

# Only one vendor module can load on a host: the other one's hooks (the
# window group hooks both) stay off and must say that is why.
other_vendor=kvm_intel
grep -q '^kvm_intel ' /proc/modules && other_vendor=kvm_amd

# all_attached: every hook is attached but the other vendor's.
all_attached()
{
	grep -q '^hook ' "$caps" || return 1
	! grep '^hook ' "$caps" | grep -v ': attached' |
		grep -qv "^hook [a-z]* $other_vendor:[a-z_]* [a-z]*: unavailable: $other_vendor is not loaded\$"
}

# hooks_of MODULE: the caps lines of MODULE's hooks.
hooks_of()
{
	grep "^hook [a-z]* $1:" "$caps"
}

# gone MODULE: every hook on MODULE says it was unloaded.
gone()
{
	n=$(hooks_of "$1" | wc -l)
	[ "$n" -gt 0 ] && [ "$(hooks_of "$1" | grep -c "unavailable: $1 was unloaded")" -eq "$n" ]
}

report()
{
	if [ "$1" -eq 1 ]; then
		echo "ok $2 $3"
	else
		echo "not ok $2 $3"
		sed 's/^/#   /' "$caps"
		status=1
	fi
}

status=0

# 1. vfio-pci (vfio_pci_core holds vfio_msihandler).
ok=1
all_attached || { echo "# not every hook attached at start"; ok=0; }
rmmod vfio_pci vfio_pci_core || ok=0
gone vfio_pci_core || { echo "# caps does not say vfio_pci_core went away"; ok=0; }
echo "# after rmmod: $(hooks_of vfio_pci_core | head -n 1)"
modprobe vfio_pci || ok=0
all_attached || { echo "# hooks not back after modprobe vfio_pci"; ok=0; }
report $ok 1 vfio_pci_core_unload_and_reload

# 2. KVM: the bed's kvm_keeper holds VMs; stop it for the moment. Only
# where asked: the last VM going and the next coming flip KVM's static keys
# (live text patching of the scheduler), which multi-threaded TCG races on
# (Documentation/testbed.rst); the bed runs this case in a single-threaded
# TCG boot with IRQLENS_KVM_UNLOAD=1.
if [ "${IRQLENS_KVM_UNLOAD:-}" != 1 ]; then
	echo "ok 2 kvm_unload_and_reload # SKIP unloading KVM patches live kernel text: run with IRQLENS_KVM_UNLOAD=1 on a machine (or single-threaded TCG) where that is safe"
else
	ok=1
	killall kvm_keeper 2>/dev/null
	i=0
	while pidof kvm_keeper >/dev/null && [ $i -lt 50 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	rmmod kvm_amd kvm || { echo "# rmmod kvm_amd kvm failed"; ok=0; }
	gone kvm || { echo "# caps does not say kvm went away"; ok=0; }
	echo "# after rmmod: $(hooks_of kvm | grep -c 'was unloaded') kvm hooks unavailable, e.g. $(hooks_of kvm | grep tracepoint)"
	modprobe kvm_amd || ok=0
	all_attached || { echo "# hooks not back after modprobe kvm_amd"; ok=0; }
	[ -x "$dir/kvm_keeper" ] && [ -e /dev/kvm ] && { "$dir/kvm_keeper" & }
	report $ok 2 kvm_unload_and_reload
fi

# 3. Still observing, through the re-attached hooks: the device's links as
# set up, then interrupts sent by the eventfd and by the device itself,
# each counted by irqlens.ko and received by the guest (test_vfio_bypass
# checks the views per send). The sends enable KVM's tracepoints, which
# patches live kernel text: on multi-threaded TCG (the bed's main boots,
# which reload vfio-pci only) that races (testbed.rst), so there only the
# links are checked; the single-threaded boot, which reloads KVM too,
# sends.
run_bypass()
{
	IRQLENS_DEVICE=$bdf IRQLENS_BYPASS_SENDS=40 "$dir/test_vfio_bypass" -r "bypass.FULL_xapic_spin.$1" 2>&1
}
ok=1
sends="by_eventfd by_device"
if [ "${IRQLENS_BED_ACCEL:-}" = tcg ]; then
	echo "# interrupts are sent after the reloads in the single-threaded boot, not on multi-threaded TCG"
	sends=
fi
for t in links_match_setup $sends; do
	out=$(run_bypass $t)
	if echo "$out" | grep -Eq "^ok 1 bypass\.FULL_xapic_spin\.$t\$"; then
		checked=$(echo "$out" | grep -m1 'checked three ways' | sed 's/^#[^:]*:[0-9]*:[^:]*://')
		echo "# $t passed after the reloads${checked:+:$checked}"
	else
		echo "# $t did not pass after the reloads:"
		echo "$out" | tail -n 12 | sed 's/^/#   /'
		ok=0
	fi
done
report $ok 3 still_observes_after_reloads

[ -n "${loaded_here:-}" ] && { rmmod irqlens || status=1; }
exit $status

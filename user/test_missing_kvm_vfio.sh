#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Bad input at machine level: on a kernel without /dev/kvm or without
# vfio-pci the harness says what is missing (every case a SKIP with the
# reason, none failing; the kselftest harness then exits 0 or 4) and
# leaves the device as it was. The test hides /dev/kvm (a
# rename) and unloads vfio-pci for a moment, and puts both back, so it
# runs only where that is harmless: the test bed (IRQLENS_BED=1). KTAP.

dir=$(dirname "$0")
bdf=${IRQLENS_DEVICE:-}

echo "TAP version 13"
echo "1..2"
if [ "${IRQLENS_BED:-}" != 1 ]; then
	echo "ok 1 no_dev_kvm_is_a_skip # SKIP hides /dev/kvm: runs only in the test bed (IRQLENS_BED=1)"
	echo "ok 2 no_vfio_pci_is_a_skip # SKIP unloads vfio-pci: runs only in the test bed (IRQLENS_BED=1)"
	exit 4
fi
status=0

driver_of()
{
	if [ -e "/sys/bus/pci/devices/$bdf/driver" ]; then
		basename "$(readlink "/sys/bus/pci/devices/$bdf/driver")"
	else
		echo "(none)"
	fi
}

# expect_skip N NAME WANT CMD...: CMD must skip every case with a reason
# that says WANT, fail none, and exit 0 or 4.
expect_skip()
{
	n=$1 name=$2 want=$3
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	if { [ $rc -eq 0 ] || [ $rc -eq 4 ]; } &&
	   ! echo "$out" | grep -q "^not ok" &&
	   ! echo "$out" | grep "^ok " | grep -vq "# SKIP .*$want"; then
		echo "# $name: exit $rc, $(echo "$out" | grep -m1 "^ok .*# SKIP")"
		return 0
	fi
	echo "# $name: exit $rc, wanted every case a SKIP saying '$want'; output:"
	echo "$out" | tail -n 8 | sed 's/^/#   /'
	return 1
}

# 1. No /dev/kvm.
if [ -e /dev/kvm ] && mv /dev/kvm /dev/kvm.irqlens-hidden; then
	ok=1
	expect_skip 1 smoke_kvm "no /dev/kvm" "$dir/smoke_kvm" || ok=0
	expect_skip 1 test_guest_irqs "no /dev/kvm" "$dir/test_guest_irqs" \
		-r guest_irqs:FULL_xapic_spin:signal_msi_fixed || ok=0
	mv /dev/kvm.irqlens-hidden /dev/kvm
	if [ $ok -eq 1 ] && [ -e /dev/kvm ]; then
		echo "ok 1 no_dev_kvm_is_a_skip"
	else
		echo "not ok 1 no_dev_kvm_is_a_skip"
		status=1
	fi
else
	echo "not ok 1 no_dev_kvm_is_a_skip # could not hide /dev/kvm"
	status=1
fi

# 2. No vfio-pci.
if [ -z "$bdf" ]; then
	echo "ok 2 no_vfio_pci_is_a_skip # SKIP no device given: set IRQLENS_DEVICE"
elif rmmod vfio_pci; then
	before=$(driver_of)
	ok=1
	expect_skip 2 test_vfio_msi "vfio-pci is not loaded" "$dir/test_vfio_msi" -d "$bdf" \
		-r vfio_msi:type1:device_msis_all_arrive || ok=0
	after=$(driver_of)
	if [ "$before" != "$after" ]; then
		echo "# device $bdf went from '$before' to '$after'"
		ok=0
	fi
	modprobe vfio_pci || ok=0
	if [ $ok -eq 1 ]; then
		echo "ok 2 no_vfio_pci_is_a_skip"
	else
		echo "not ok 2 no_vfio_pci_is_a_skip"
		status=1
	fi
else
	echo "not ok 2 no_vfio_pci_is_a_skip # could not unload vfio_pci"
	status=1
fi
exit $status

// SPDX-License-Identifier: GPL-2.0
/*
 * Test bed helper, not a test: holds two idle VMs (one whose vCPU has no
 * kernel LAPIC, one with an in-kernel irqchip) until killed.
 *
 * KVM flips static keys when the first VM or vCPU of a kind comes and
 * the last goes (preempt notifiers, which __schedule() tests;
 * kvm_has_noapic_vcpu; apic_sw_disabled). Each flip patches live kernel
 * text. Under QEMU's multi-threaded TCG a vCPU once ran a half-patched
 * __schedule() and took an unclaimed int3 (an emulator race). With these
 * VMs held for the whole run the keys stay set, so the tests' VMs do not
 * patch text. Started by the bed's /init; see Documentation/testbed.rst.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/kvm.h>

static int hold_vm(int kvm, int with_irqchip)
{
	int vm = ioctl(kvm, KVM_CREATE_VM, 0);

	if (vm < 0)
		return -1;
	if (with_irqchip && ioctl(vm, KVM_CREATE_IRQCHIP, 0))
		return -1;
	return ioctl(vm, KVM_CREATE_VCPU, 0) < 0 ? -1 : 0;
}

int main(void)
{
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);

	if (kvm < 0 || hold_vm(kvm, 0) || hold_vm(kvm, 1)) {
		perror("kvm_keeper");
		return 1;
	}
	for (;;)
		pause();
}

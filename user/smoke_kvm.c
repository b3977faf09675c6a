// SPDX-License-Identifier: GPL-2.0
/*
 * Smoke test: a real KVM guest runs code the harness wrote and exits to
 * userspace with a value the harness chose at random, then halts.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/harness.h"
#include "lib/kvm_vm.h"

#define GUEST_MEM	(64 << 10)
#define GUEST_CODE_GPA	0x1000
#define GUEST_PORT	0x10

FIXTURE(vm) {
	struct kvm_vm vm;
	unsigned int vcpu;
};

FIXTURE_SETUP(vm)
{
	int ret;

	ret = __kvm_vm_create(&self->vm, GUEST_MEM);
	if (ret == -ENOENT)
		SKIP(return, "no /dev/kvm: load kvm_amd or kvm_intel (nested virtualization needed in a VM)");
	ASSERT_EQ(0, ret) TH_LOG("creating a VM failed: %s", strerror(-ret));
	ret = __kvm_vm_add_vcpu(&self->vm, &self->vcpu);
	ASSERT_EQ(0, ret) TH_LOG("creating a vCPU failed: %s", strerror(-ret));
	ret = __kvm_vcpu_setup_real_mode(&self->vm, self->vcpu, GUEST_CODE_GPA);
	ASSERT_EQ(0, ret) TH_LOG("setting up real mode failed: %s", strerror(-ret));
}

FIXTURE_TEARDOWN(vm)
{
	kvm_vm_destroy(&self->vm);
}

TEST_F(vm, guest_exits_with_chosen_value)
{
	struct kvm_run *run = self->vm.vcpu[self->vcpu].run;
	uint8_t value, *code = (uint8_t *)self->vm.mem + GUEST_CODE_GPA;
	int ret;

	srand(time(NULL));
	value = 1 + rand() % 255;

	/* mov $value, %al; out %al, $GUEST_PORT; hlt */
	code[0] = 0xb0;
	code[1] = value;
	code[2] = 0xe6;
	code[3] = GUEST_PORT;
	code[4] = 0xf4;

	ret = __kvm_vcpu_run(&self->vm, self->vcpu);
	ASSERT_EQ(0, ret) TH_LOG("KVM_RUN: %s", strerror(-ret));
	ASSERT_EQ(KVM_EXIT_IO, run->exit_reason) TH_LOG("exit reason %u", run->exit_reason);
	EXPECT_EQ(KVM_EXIT_IO_OUT, run->io.direction);
	EXPECT_EQ(1, run->io.size);
	EXPECT_EQ(1, run->io.count);
	EXPECT_EQ(GUEST_PORT, run->io.port);
	EXPECT_EQ(value, *((uint8_t *)run + run->io.data_offset));

	ret = __kvm_vcpu_run(&self->vm, self->vcpu);
	ASSERT_EQ(0, ret) TH_LOG("KVM_RUN: %s", strerror(-ret));
	EXPECT_EQ(KVM_EXIT_HLT, run->exit_reason) TH_LOG("exit reason %u", run->exit_reason);
	TH_LOG("guest sent 0x%02x on port 0x%x and halted", value, GUEST_PORT);
}

TEST_HARNESS_MAIN

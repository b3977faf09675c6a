// SPDX-License-Identifier: GPL-2.0
/*
 * Long-mode guests built by the host: the test binary's PT_LOAD segments
 * copied to guest physical = virtual addresses, 4 GiB identity-mapped
 * with 2 MiB pages (the APIC page uncached), a flat GDT with a TSS, and
 * an IDT whose every vector enters guest_idt.S.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kvm_guest.h"

/* Guest physical layout, below the binary (linked at 0x400000). */
#define GDT_GPA		0x1000
#define TSS_GPA		0x2000
#define IDT_GPA		0x3000
#define PML4_GPA	0x4000
#define PDPT_GPA	0x5000
#define PD_GPA		0x6000		/* four pages: 4 GiB of 2 MiB pages */
#define STACK_GPA	0x100000	/* one stack per vCPU below */
#define STACK_SIZE	0x8000
#define BINARY_MIN_GPA	0x200000

#define SEL_CODE	0x08
#define SEL_DATA	0x10
#define SEL_TSS		0x18

#define PTE_P		(1ULL << 0)
#define PTE_RW		(1ULL << 1)
#define PTE_PWT		(1ULL << 3)
#define PTE_PCD		(1ULL << 4)
#define PTE_PS		(1ULL << 7)

#define CR0_PE		(1ULL << 0)
#define CR0_MP		(1ULL << 1)
#define CR0_ET		(1ULL << 4)
#define CR0_NE		(1ULL << 5)
#define CR0_WP		(1ULL << 16)
#define CR0_PG		(1ULL << 31)
#define CR4_PAE		(1ULL << 5)
#define CR4_OSFXSR	(1ULL << 9)
#define CR4_OSXMMEXCPT	(1ULL << 10)
#define EFER_LME	(1ULL << 8)
#define EFER_LMA	(1ULL << 10)

#define APIC_MMIO_GPA	0xfee00000ULL

extern char guest_idt_stubs[];

static void *gpa(struct kvm_vm *vm, uint64_t addr)
{
	return (char *)vm->mem + addr;
}

static int load_binary(struct kvm_vm *vm)
{
	Elf64_Ehdr *eh;
	Elf64_Phdr *ph;
	struct stat st;
	void *img;
	int fd, i, ret = 0;

	fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		ret = -errno;
		close(fd);
		return ret;
	}
	img = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (img == MAP_FAILED)
		return -errno;

	eh = img;
	/* Guest addresses are the binary's own: it must not be PIE. */
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_type != ET_EXEC) {
		ret = -ENOEXEC;
		goto out;
	}
	ph = (Elf64_Phdr *)((char *)img + eh->e_phoff);
	for (i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (ph[i].p_vaddr < BINARY_MIN_GPA ||
		    ph[i].p_vaddr + ph[i].p_memsz > vm->mem_size) {
			ret = -E2BIG;
			goto out;
		}
		memcpy(gpa(vm, ph[i].p_vaddr), (char *)img + ph[i].p_offset,
		       ph[i].p_filesz);
		memset(gpa(vm, ph[i].p_vaddr + ph[i].p_filesz), 0,
		       ph[i].p_memsz - ph[i].p_filesz);
	}
out:
	munmap(img, st.st_size);
	return ret;
}

static void build_page_tables(struct kvm_vm *vm)
{
	uint64_t *pml4 = gpa(vm, PML4_GPA), *pdpt = gpa(vm, PDPT_GPA);
	uint64_t *pd = gpa(vm, PD_GPA);
	uint64_t i, addr;

	pml4[0] = PDPT_GPA | PTE_P | PTE_RW;
	for (i = 0; i < 4; i++)
		pdpt[i] = (PD_GPA + i * 0x1000) | PTE_P | PTE_RW;
	for (i = 0; i < 4 * 512; i++) {
		addr = i << 21;
		pd[i] = addr | PTE_P | PTE_RW | PTE_PS;
		/* The local APIC is MMIO: never cache it. */
		if (addr == (APIC_MMIO_GPA & ~((1ULL << 21) - 1)))
			pd[i] |= PTE_PCD | PTE_PWT;
	}
}

static void build_gdt_idt(struct kvm_vm *vm)
{
	uint64_t *gdt = gpa(vm, GDT_GPA), *idt = gpa(vm, IDT_GPA);
	uint64_t tss = TSS_GPA, handler;
	int v;

	gdt[0] = 0;
	gdt[SEL_CODE / 8] = 0x00af9b000000ffffULL;	/* 64-bit code, DPL 0 */
	gdt[SEL_DATA / 8] = 0x00cf93000000ffffULL;	/* flat data */
	/* 16-byte 64-bit TSS descriptor, type 9 (available), limit 0x67. */
	gdt[SEL_TSS / 8] = 0x67 | ((tss & 0xffffff) << 16) | (0x89ULL << 40) |
			   (((tss >> 24) & 0xff) << 56);
	gdt[SEL_TSS / 8 + 1] = tss >> 32;

	for (v = 0; v < 256; v++) {
		handler = (uintptr_t)guest_idt_stubs + 16 * v;
		/* 64-bit interrupt gate: P=1, DPL 0, type 0xe, IST 0. */
		idt[2 * v] = (handler & 0xffff) | ((uint64_t)SEL_CODE << 16) |
			     (0x8eULL << 40) | (((handler >> 16) & 0xffff) << 48);
		idt[2 * v + 1] = handler >> 32;
	}
}

int __kvm_guest_prepare(struct kvm_vm *vm)
{
	int ret;

	if (vm->mem_size < KVM_GUEST_MEM_SIZE)
		return -ENOSPC;
	ret = load_binary(vm);
	if (ret)
		return ret;
	build_page_tables(vm);
	build_gdt_idt(vm);
	return 0;
}

static void set_seg(struct kvm_segment *s, uint16_t sel, uint8_t type, bool code)
{
	memset(s, 0, sizeof(*s));
	s->selector = sel;
	s->limit = 0xffffffff;
	s->type = type;
	s->present = 1;
	s->s = 1;
	s->g = 1;
	s->l = code;
	s->db = !code;
}

static int set_cpuid(struct kvm_vm *vm, unsigned int id)
{
	struct kvm_cpuid2 *cpuid;
	int nent = 100, ret = 0;

	for (;;) {
		cpuid = calloc(1, sizeof(*cpuid) + nent * sizeof(cpuid->entries[0]));
		if (!cpuid)
			return -ENOMEM;
		cpuid->nent = nent;
		if (!ioctl(vm->kvm_fd, KVM_GET_SUPPORTED_CPUID, cpuid))
			break;
		ret = -errno;
		free(cpuid);
		if (ret != -E2BIG)
			return ret;
		nent *= 2;
		ret = 0;
	}
	if (ioctl(vm->vcpu[id].fd, KVM_SET_CPUID2, cpuid))
		ret = -errno;
	free(cpuid);
	return ret;
}

int __kvm_vcpu_setup_long_mode(struct kvm_vm *vm, unsigned int id,
			       void (*entry)(uint64_t), uint64_t arg)
{
	struct kvm_mp_state runnable = { .mp_state = KVM_MP_STATE_RUNNABLE };
	int fd = vm->vcpu[id].fd;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	int ret;

	if ((id + 1) * STACK_SIZE > STACK_GPA)
		return -ENOSPC;
	ret = set_cpuid(vm, id);
	if (ret)
		return ret;
	if (ioctl(fd, KVM_GET_SREGS, &sregs))
		return -errno;
	sregs.cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
	sregs.cr4 = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT;
	sregs.cr3 = PML4_GPA;
	sregs.efer = EFER_LME | EFER_LMA;
	set_seg(&sregs.cs, SEL_CODE, 11, true);
	set_seg(&sregs.ds, SEL_DATA, 3, false);
	sregs.es = sregs.fs = sregs.gs = sregs.ss = sregs.ds;
	/* The vCPU's id, for guests without an APIC to read it from. */
	sregs.gs.base = id;
	memset(&sregs.tr, 0, sizeof(sregs.tr));
	sregs.tr.selector = SEL_TSS;
	sregs.tr.base = TSS_GPA;
	sregs.tr.limit = 0x67;
	sregs.tr.type = 11;	/* busy 64-bit TSS */
	sregs.tr.present = 1;
	sregs.gdt.base = GDT_GPA;
	sregs.gdt.limit = 5 * 8 - 1;
	sregs.idt.base = IDT_GPA;
	sregs.idt.limit = 256 * 16 - 1;
	if (ioctl(fd, KVM_SET_SREGS, &sregs))
		return -errno;

	memset(&regs, 0, sizeof(regs));
	regs.rip = (uintptr_t)entry;
	regs.rdi = arg;
	/* 16-byte aligned minus a return address, as at a function entry. */
	regs.rsp = STACK_GPA - id * STACK_SIZE - 8;
	regs.rflags = 0x2;
	if (ioctl(fd, KVM_SET_REGS, &regs))
		return -errno;
	/*
	 * With a kernel LAPIC, KVM parks every vCPU but the first in
	 * wait-for-SIPI; these guests start all vCPUs at their entry.
	 */
	if (ioctl(fd, KVM_SET_MP_STATE, &runnable) && errno != EINVAL)
		return -errno;
	return 0;
}

int __kvm_guest_run(struct kvm_vm *vm, unsigned int id, uint32_t *exit_reason)
{
	struct kvm_run *run = vm->vcpu[id].run;

	if (ioctl(vm->vcpu[id].fd, KVM_RUN, 0))
		return -errno;
	*exit_reason = run->exit_reason;
	if (run->exit_reason == KVM_EXIT_IO && run->io.port == GUEST_PORT_SYNC &&
	    run->io.direction == KVM_EXIT_IO_OUT && run->io.size == 4)
		return *(uint32_t *)((char *)run + run->io.data_offset);
	return -EPROTO;
}

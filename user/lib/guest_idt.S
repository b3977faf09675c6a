/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest interrupt entry: 256 stubs of 16 bytes each (the host points IDT
 * entry n at guest_idt_stubs + 16 * n), each pushing a dummy error code
 * where the CPU pushes none, then the vector, and jumping to the common
 * part that calls guest_irq_dispatch(vector, error_code).
 */
	.altmacro
	.text

	.macro IDT_STUB vec
	.balign 16
	.if (\vec == 8) || (\vec == 10) || (\vec == 11) || (\vec == 12) || \
	    (\vec == 13) || (\vec == 14) || (\vec == 17) || (\vec == 21) || \
	    (\vec == 29) || (\vec == 30)
	.else
	pushq	$0
	.endif
	pushq	$\vec
	jmp	guest_idt_common
	.endm

	.globl	guest_idt_stubs
	.balign	16
guest_idt_stubs:
	.set	vec, 0
	.rept	256
	IDT_STUB %vec
	.set	vec, vec + 1
	.endr

/*
 * The CPU aligned RSP to 16 before pushing its 5-word frame; with the
 * error code, the vector and 9 saved registers the stack is 16-byte
 * aligned again here, so the call below follows the ABI.
 */
guest_idt_common:
	pushq	%rax
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	movq	72(%rsp), %rdi
	movq	80(%rsp), %rsi
	call	guest_irq_dispatch
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rax
	addq	$16, %rsp
	iretq

	.section .note.GNU-stack, "", @progbits

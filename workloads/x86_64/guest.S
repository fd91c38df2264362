/* x86_64 payload: runs at CPL3 in long mode, identity-mapped with 2 MiB pages (see
 * guest_abi.h for the entry registers). It writes every 4 KiB page of its share (or the
 * --touch fraction of them), sequentially or in a seeded pseudo-random permutation,
 * then reports through MMIO writes: alive, populated, and (vCPU 0) a reboot request.
 * Position-independent: the host copies the bytes between the two labels. */
#include "guest_abi.h"

	.section .rodata.pvb_guest, "a"
	.code64
	.globl pvb_guest_x86_64_start, pvb_guest_x86_64_end, pvb_guest_x86_64_vectors

pvb_guest_x86_64_start:
	movq	%r10, PVB_MMIO_ALIVE(%r8)
	movq	%rcx, %r15			/* flags */
	movq	%r10, %r11			/* progress slot: plain memory the host reads */
	shlq	$6, %r11
	movabsq	$(PVB_SYS_BASE + PVB_SYS_PROGRESS), %rax
	addq	%rax, %r11
	xorq	%r12, %r12			/* pages touched */
	testq	%rdx, %rdx
	jz	.Ldone

	/* Random order: an LCG modulo the next power of two >= pages, with a multiplier
	 * = 1 (mod 4) and an odd increment, has full period (Hull-Dobell), so skipping the
	 * values >= pages visits every page exactly once. */
	xorq	%r14, %r14			/* mask */
	movq	%rsi, %rax
	decq	%rax
	jz	1f
	bsrq	%rax, %rcx
	incq	%rcx
	movq	$1, %r14
	shlq	%cl, %r14
	decq	%r14
1:	leaq	1(%r9, %r9), %rbp		/* increment: 2 * seed + 1 */
	movq	%r9, %r13
	andq	%r14, %r13			/* state */
	movabsq	$6364136223846793005, %rbx	/* multiplier */

.Lnext:
	testq	$PVB_FLAG_RANDOM, %r15
	jnz	.Lrandom
	movq	%r12, %rax			/* sequential: page index = pages touched */
	jmp	.Ltouch
.Lrandom:
	movq	%r13, %rax
	imulq	%rbx, %rax
	addq	%rbp, %rax
	andq	%r14, %rax
	movq	%rax, %r13
	cmpq	%rsi, %rax
	jae	.Lrandom
.Ltouch:
	shlq	$12, %rax
	addq	%rdi, %rax			/* page address */
	testq	$PVB_FLAG_VERIFY, %r15
	jz	.Lwrite
	xorl	%ecx, %ecx
.Lverify:
	cmpq	$0, (%rax, %rcx, 8)
	jne	.Lviolation
	incl	%ecx
	cmpl	$512, %ecx
	jb	.Lverify
.Lwrite:
	leaq	1(%rax), %rcx			/* nonzero and unique per page */
	movq	%rcx, (%rax)
	incq	%r12
	testq	$(PVB_PROGRESS_EVERY - 1), %r12
	jnz	1f
	movq	%r12, (%r11)
1:	cmpq	%rdx, %r12
	jb	.Lnext

.Ldone:
	movq	%r12, (%r11)
	movq	%r12, PVB_MMIO_POPULATED(%r8)		/* pages written */
	/* The host holds the vCPU here until it wants the reboot. */
	testq	%r10, %r10
	jnz	.Lidle
	movq	%r10, PVB_MMIO_REBOOT(%r8)
.Lidle:
	pause
	jmp	.Lidle

.Lviolation:
	movq	%rax, PVB_MMIO_VIOLATION(%r8)
	jmp	.Lidle

	/* CPL0 exception stubs, 16 bytes apart: push the vector, report it, stop. The host
	 * reads the frame from the fault stack. Guest CPL0 code is emulated, which is fine
	 * on this path only. */
	.balign 16
pvb_guest_x86_64_vectors:
	.set	vec, 0
	.rept	32
	.balign	16
	pushq	$vec
	jmp	.Lfault
	.set	vec, vec + 1
	.endr
.Lfault:
	movq	(%rsp), %rax
	movabsq	$(PVB_MMIO_BASE + PVB_MMIO_FAULT), %rdx
	movq	%rax, (%rdx)
1:	hlt
	jmp	1b
pvb_guest_x86_64_end:
	.section .note.GNU-stack, "", @progbits

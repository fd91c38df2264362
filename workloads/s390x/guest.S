/* s390x payload: runs as a protected (IBM Secure Execution) guest, started by the Ultravisor
 * at the PSW sealed in the SE header, or as an ordinary KVM guest. It reads its parameters
 * from the host, writes every 4 KiB page of its share of RAM (or the --touch fraction of
 * them) sequentially or in a seeded pseudo-random permutation, so that the Ultravisor
 * imports each page, then reports through DIAG exits: alive, progress, populated, and
 * (vCPU 0) a re-IPL request. See guest_abi.h for the protocol.
 *
 * A protected guest reaches the host only through intercepted instructions:
 *   DIAG 0x500 (r1 = PVB_DIAG_*, r2 = argument; r2 = answer for PARAM): not a virtio-ccw
 *     notify, so KVM passes it to userspace (icptcode 104 = PV instruction; 4 when not
 *     protected). The Ultravisor shows the host r1-r4 at their own numbers, presents the
 *     instruction as ipa 0x8302 / ipb 0x50000000 with the DIAG code in gr5, and copies r2
 *     back into the guest on resume (kvm-unit-tests s390x/pv-diags.c, pv-ipl.c).
 *   SIGP SET PREFIX and SIGP RESTART (vCPU 0 only): how the other vCPUs are started.
 *   DIAG 0x308 subcode 3 (load clear), written `diag %r0,%r2,0x308` with the subcode in
 *     the R3 register (r2), the form kvm-unit-tests' pv-diag-308 snippet uses and the one
 *     the Ultravisor presents (ipa 0x8302). KVM turns it into KVM_EXIT_S390_RESET.
 *
 * Registers: r1-r4 are scratch and may change across any exit (only r2 carries a value
 * back). Live state stays in r0 and r6-r15, which the Ultravisor preserves:
 *   r0  pages until the next PROGRESS exit    r6  vCPU id        r7  share base
 *   r8  pages in share    r9  pages to touch   r10 flags          r11 LCG increment
 *   r12 progress-every    r13 pages written    r14 LCG state      r15 LCG mask
 *
 * Position-independent (larl and relative branches only; lowcore addresses are real
 * addresses by definition), so it also runs in place inside a pvimg image started with
 * --x-psw. DAT stays off: guest real = absolute except the prefix area.
 *
 * Image layout (the whole .image section is the raw payload, loaded at guest address 0):
 *   0x00000  IPL PSW (short format) pointing at PVB_S390_ENTRY, for a CPU loaded from 0
 *   0x10000  PVB_S390_ENTRY: "j", then "S390EP" at +8 (what pvimg's kernel check looks
 *            for, as in Linux arch/s390/boot/head.S), then the code; the quadword at
 *            +0x430 (the kernel's COMMAND_LINE_SIZE field, read by pvimg/stage3b) stays 0
 *   padded to a 4 KiB multiple (the Ultravisor unpacks whole pages). */
#include "guest_abi.h"

/* z/Architecture lowcore (real addresses; Principles of Operation, and the struct lowcore
 * of kvm-unit-tests lib/s390x/asm/arch_def.h). */
#define LC_PGM_INT_CODE   0x08e   /* halfword; 0x08c-0x08f is the interruption id */
#define LC_PGM_OLD_PSW    0x150
#define LC_RESTART_NEW    0x1a0
#define LC_EXT_NEW        0x1b0
#define LC_SVC_NEW        0x1c0
#define LC_PGM_NEW        0x1d0
#define LC_MCCK_NEW       0x1e0
#define LC_IO_NEW         0x1f0
#define LC_SCRATCH_PSW    0x200   /* free for the program: the PSWs we load with LPSWE */
#define LC_WAIT_PSW       0x210

	.if	PVB_S390_PREFIX_SIZE != (1 << 13)
	.error	"guest.S shifts by 13 for PVB_S390_PREFIX_SIZE"
	.endif

/* SIGP orders (Linux arch/s390/include/asm/sigp.h). */
#define SIGP_RESTART      6
#define SIGP_SET_PREFIX   13

/* PSW mask bits, high and low word (Linux arch/s390/include/asm/ptrace.h). */
#define PSW_HI_IO         0x02000000
#define PSW_HI_EXT        0x01000000
#define PSW_HI_MCHECK     0x00040000
#define PSW_HI_WAIT       0x00020000
#define PSW_HI_EA         0x00000001   /* 64-bit addressing: EA and BA */
#define PSW_LO_BA         0x80000000
#define PSW_SHORT         0x00080000   /* bit 12: short (ESA/390-format) PSW at location 0 */

	.section .image, "ax", @progbits
	.globl	pvb_s390_image, pvb_s390_start

pvb_s390_image:
	/* Location 0: an IPL PSW, so that a CPU loaded from absolute 0 starts here too. */
	.long	PSW_SHORT | PSW_HI_EA, PSW_LO_BA | PVB_S390_ENTRY

	.org	PVB_S390_ENTRY
pvb_s390_start:
	j	.Lstart
	.org	PVB_S390_ENTRY + 8
	.ascii	"S390EP"
	.byte	0, 0

.Lstart:
	/* Load a known PSW: 64-bit addressing, DAT and interrupts off, key 0, supervisor
	 * state, whatever mask the SE header sealed. Built in lowcore, as the code may run
	 * at another address than it was linked for. */
	llihf	%r2, PSW_HI_EA
	oilf	%r2, PSW_LO_BA
	larl	%r3, .Lrun
	stg	%r2, LC_SCRATCH_PSW
	stg	%r3, LC_SCRATCH_PSW + 8
	lpswe	LC_SCRATCH_PSW

.Lrun:
	/* New PSWs (disabled, 64-bit): program checks (and a stray SVC) are reported, the
	 * other interruption classes go back to waiting, a restart starts over. */
	stg	%r2, LC_PGM_NEW
	stg	%r2, LC_SVC_NEW
	stg	%r2, LC_EXT_NEW
	stg	%r2, LC_IO_NEW
	stg	%r2, LC_MCCK_NEW
	stg	%r2, LC_RESTART_NEW
	larl	%r3, .Lfault
	stg	%r3, LC_PGM_NEW + 8
	stg	%r3, LC_SVC_NEW + 8
	larl	%r3, .Lidle
	stg	%r3, LC_EXT_NEW + 8
	stg	%r3, LC_IO_NEW + 8
	stg	%r3, LC_MCCK_NEW + 8
	larl	%r3, .Lstart
	stg	%r3, LC_RESTART_NEW + 8
	/* The enabled-wait PSW the idle loop loads: the vCPU sleeps in KVM until kicked. */
	llihf	%r4, PSW_HI_IO | PSW_HI_EXT | PSW_HI_MCHECK | PSW_HI_WAIT | PSW_HI_EA
	oilf	%r4, PSW_LO_BA
	larl	%r3, .Lidle
	stg	%r4, LC_WAIT_PSW
	stg	%r3, LC_WAIT_PSW + 8

	/* Parameters: PARAM exits, the host answers in r2. */
	.macro	PARAM idx:req, reg:req
	llilf	%r1, PVB_DIAG_PARAM
	lghi	%r2, \idx
	diag	%r0, %r0, PVB_DIAG_CODE
	lgr	\reg, %r2
	.endm
	PARAM	PVB_PARAM_VCPU_ID, %r6
	PARAM	PVB_PARAM_SHARE_BASE, %r7
	PARAM	PVB_PARAM_SHARE_PAGES, %r8
	PARAM	PVB_PARAM_TOUCH_PAGES, %r9
	PARAM	PVB_PARAM_FLAGS, %r10
	PARAM	PVB_PARAM_SEED, %r11
	PARAM	PVB_PARAM_PROGRESS_EVERY, %r12

	llilf	%r1, PVB_DIAG_ALIVE
	lgr	%r2, %r6
	diag	%r0, %r0, PVB_DIAG_CODE

	/* vCPU 0 starts the others, as a guest kernel brings up its CPUs: their lowcore (a
	 * copy of the new PSWs above, whose restart PSW leads to .Lstart), SIGP SET PREFIX,
	 * SIGP RESTART. The condition codes are not trusted (a host that handles the order
	 * in userspace may leave them stale): each order is issued once. */
	ltgr	%r6, %r6
	jnz	.Lpopulate
	PARAM	PVB_PARAM_NVCPUS, %r14
	clgfi	%r14, PVB_S390_MAX_VCPUS	/* the prefix areas end there */
	jle	1f
	lghi	%r14, PVB_S390_MAX_VCPUS
1:	lghi	%r13, 1				/* CPU address */
.Lsmp:
	clgr	%r13, %r14
	jhe	.Lpopulate
	lgr	%r1, %r13
	sllg	%r1, %r1, 13			/* * PVB_S390_PREFIX_SIZE */
	agfi	%r1, PVB_S390_PREFIXES
	mvc	LC_RESTART_NEW(LC_WAIT_PSW + 16 - LC_RESTART_NEW, %r1), LC_RESTART_NEW
	sigp	%r1, %r13, SIGP_SET_PREFIX	/* parameter in r1 (odd R1) */
	sigp	%r1, %r13, SIGP_RESTART
	aghi	%r13, 1
	j	.Lsmp

.Lpopulate:
	xgr	%r13, %r13			/* pages written */
	clgr	%r9, %r8			/* never more than the share */
	jle	1f
	lgr	%r9, %r8
1:	ltgr	%r9, %r9
	jz	.Ldone
	lgr	%r0, %r12			/* progress countdown; 0 = no PROGRESS exits */
	ltgr	%r0, %r0
	jnz	1f
	lghi	%r0, -1
1:
	/* Random order: an LCG modulo the next power of two >= pages, with a multiplier
	 * = 1 (mod 4) and an odd increment, has full period (Hull-Dobell), so skipping the
	 * values >= pages visits every page exactly once. Same generator, seed use and
	 * page order as the x86_64 payload. */
	xgr	%r15, %r15			/* mask */
	lgr	%r1, %r8
	aghi	%r1, -1
	jz	1f
	flogr	%r2, %r1			/* r2 = leading zeros of pages - 1 (r3 clobbered) */
	lghi	%r15, -1
	srlg	%r15, %r15, 0(%r2)		/* 2^bits - 1 */
1:	lgr	%r14, %r11
	ngr	%r14, %r15			/* state = seed & mask */
	la	%r11, 1(%r11, %r11)		/* increment = 2 * seed + 1 */

.Lnext:
	tmll	%r10, PVB_S390_FLAG_RANDOM
	jnz	.Lrandom
	lgr	%r1, %r13			/* sequential: page index = pages written */
	j	.Ltouch
.Lrandom:
	llihf	%r3, 0x5851f42d			/* multiplier 6364136223846793005 */
	oilf	%r3, 0x4c957f2d
1:	lgr	%r1, %r14
	msgr	%r1, %r3
	agr	%r1, %r11
	ngr	%r1, %r15
	lgr	%r14, %r1
	clgr	%r1, %r8
	jhe	1b
.Ltouch:
	sllg	%r1, %r1, 12
	agr	%r1, %r7			/* page address */
	la	%r2, 1(%r1)			/* nonzero and unique per page */
	stg	%r2, 0(%r1)
	aghi	%r13, 1
	aghi	%r0, -1
	jnz	1f
	lgr	%r0, %r12
	llilf	%r1, PVB_DIAG_PROGRESS
	lgr	%r2, %r13
	diag	%r0, %r0, PVB_DIAG_CODE
1:	clgr	%r13, %r9
	jl	.Lnext

.Ldone:
	/* The host holds the vCPU in this exit until it wants the reboot. */
	llilf	%r1, PVB_DIAG_POPULATED
	lgr	%r2, %r13
	diag	%r0, %r0, PVB_DIAG_CODE
	ltgr	%r6, %r6
	jnz	.Lidle
	lghi	%r2, PVB_DIAG308_REIPL
	diag	%r0, %r2, PVB_DIAG_IPL		/* subcode in the R3 register */

.Lidle:
	/* Enabled wait with nothing to wake it: the vCPU sleeps in the host until the host
	 * kicks it out of KVM_RUN. An interruption lands back here and waits again. */
	lpswe	LC_WAIT_PSW
	j	.Lidle

.Lfault:
	/* Program interruption: report the code, the old PSW address (r3) and mask (r4). */
	llilf	%r1, PVB_DIAG_FAULT
	llgh	%r2, LC_PGM_INT_CODE
	lg	%r3, LC_PGM_OLD_PSW + 8
	lg	%r4, LC_PGM_OLD_PSW
	diag	%r0, %r0, PVB_DIAG_CODE
	j	.Lidle

	/* Linux keeps its COMMAND_LINE_SIZE at entry + 0x430; pvimg's kernel check and stage3b
	 * read it (0 = the legacy 896 bytes). The .org fails to assemble if the code grew
	 * past it. */
	.org	pvb_s390_start + 0x430
	.quad	0
	.balign	4096, 0
pvb_s390_image_end:
	.globl	pvb_s390_image_end

	.section .note.GNU-stack, "", @progbits

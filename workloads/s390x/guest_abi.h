/* The contract between the s390x payload (guest.S) and the host (bench/backend_pv.c,
 * bench/pv_s390x.c, and the pv-emulated model's C payload, which follows it too).
 * Included from assembly: constants only.
 *
 * A protected guest reaches the host only through intercepted instructions. The payload
 * uses DIAG 0x500 (not a virtio-ccw notify subcode, so KVM passes it to userspace):
 *   r1 = PVB_DIAG_* function code, r2 = argument; the host answers PARAM in r2.
 * Its reboot request is DIAG 0x308 subcode 3 (load clear), as a real guest re-IPLs: written
 * `diag %r0,%r2,0x308` with the subcode in the R3 register (r2), the form the Ultravisor
 * presents to KVM (ipa 0x8302); KVM turns subcode 3 into KVM_EXIT_S390_RESET.
 *
 * Only vCPU 0 is started by the host (LOAD, OPERATING: the Ultravisor starts it at the sealed
 * PSW). It starts the others as a guest kernel does: for each CPU address 1..NVCPUS-1 it
 * fills that CPU's lowcore at PVB_S390_PREFIXES + address * PVB_S390_PREFIX_SIZE, then
 * SIGP SET PREFIX (handled by KVM) and SIGP RESTART (order 6: KVM passes it to userspace,
 * which must inject KVM_S390_RESTART into that vCPU and set it OPERATING). A restarted vCPU
 * runs the whole protocol from PARAM VCPU_ID on. CPU address = KVM vCPU id. */
#ifndef PVB_GUEST_ABI_S390X_H
#define PVB_GUEST_ABI_S390X_H

#define PVB_DIAG_CODE	   0x500
#define PVB_DIAG_BASE	   0x70766200	       /* "pvb\0" */
#define PVB_DIAG_PARAM	   (PVB_DIAG_BASE + 0) /* r2: PVB_PARAM_*; host returns value in r2 */
#define PVB_DIAG_ALIVE	   (PVB_DIAG_BASE + 1) /* r2: vCPU id */
#define PVB_DIAG_PROGRESS  (PVB_DIAG_BASE + 2) /* r2: pages written so far by this vCPU */
#define PVB_DIAG_POPULATED (PVB_DIAG_BASE + 3) /* r2: pages written */
/* r2: program interruption code, r3: old PSW address, r4: old PSW mask */
#define PVB_DIAG_FAULT	   (PVB_DIAG_BASE + 4)
#define PVB_DIAG_IPL	   0x308
#define PVB_DIAG308_REIPL  3 /* subcode (R3 register): load clear */

/* Parameters the payload asks for (PVB_DIAG_PARAM). */
#define PVB_PARAM_VCPU_ID	 0
#define PVB_PARAM_SHARE_BASE	 1 /* first byte of this vCPU's share of RAM */
#define PVB_PARAM_SHARE_PAGES	 2 /* 4 KiB pages in the share */
#define PVB_PARAM_TOUCH_PAGES	 3 /* pages to write (<= share) */
#define PVB_PARAM_FLAGS		 4 /* PVB_S390_FLAG_* */
#define PVB_PARAM_SEED		 5
#define PVB_PARAM_PROGRESS_EVERY 6 /* pages between PROGRESS exits (a power of 2) */
#define PVB_PARAM_COUNT		 7 /* the parameters every vCPU reads, in this order */
/* asked by vCPU 0 only, after ALIVE: vCPUs it starts with SIGP (addresses 1..n-1);
 * 0 or 1 = none */
#define PVB_PARAM_NVCPUS	 7

#define PVB_S390_FLAG_RANDOM 0x1

/* Guest-absolute layout: lowcore 0-0x2000 (vCPU 0's prefix area), payload code from
 * PVB_S390_ENTRY, stacks from PVB_S390_STACKS (4 KiB per vCPU; unused by the assembly
 * payload), the other vCPUs' prefix areas (8 KiB each, indexed by CPU address) from
 * PVB_S390_PREFIXES. RAM shares start at PVB_S390_RAM_START: the payload writes every page
 * from there to the end of memory. */
#define PVB_S390_ENTRY	     0x10000
#define PVB_S390_CODE_MAX    0x10000
#define PVB_S390_STACKS	     0x20000
#define PVB_S390_STACK_SIZE  0x1000
#define PVB_S390_MAX_VCPUS   64
#define PVB_S390_PREFIXES    0x60000 /* ends at 0xe0000 for 64 vCPUs */
#define PVB_S390_PREFIX_SIZE 0x2000
#define PVB_S390_RAM_START   0x100000

#endif

/* The contract between the s390x payload (guest.S) and the host (bench/backend_pv.c,
 * bench/pv_s390x.c, and the pv-emulated model's C payload, which follows it too).
 * Included from assembly: constants only.
 *
 * A protected guest reaches the host only through intercepted instructions. The payload
 * uses DIAG 0x500 (not a virtio-ccw notify subcode, so KVM passes it to userspace):
 *   r1 = PVB_DIAG_* function code, r2 = argument; the host answers PARAM in r2.
 * Its reboot request is DIAG 0x308 subcode 3 (r3 = 3), as a real guest re-IPLs. */
#ifndef PVB_GUEST_ABI_S390X_H
#define PVB_GUEST_ABI_S390X_H

#define PVB_DIAG_CODE       0x500
#define PVB_DIAG_BASE       0x70766200   /* "pvb\0" */
#define PVB_DIAG_PARAM      (PVB_DIAG_BASE + 0) /* r2: PVB_PARAM_*; host returns value in r2 */
#define PVB_DIAG_ALIVE      (PVB_DIAG_BASE + 1) /* r2: vCPU id */
#define PVB_DIAG_PROGRESS   (PVB_DIAG_BASE + 2) /* r2: pages written so far by this vCPU */
#define PVB_DIAG_POPULATED  (PVB_DIAG_BASE + 3) /* r2: pages written */
#define PVB_DIAG_FAULT      (PVB_DIAG_BASE + 4) /* r2: program interruption code */
#define PVB_DIAG_IPL        0x308
#define PVB_DIAG308_REIPL   3                   /* subcode in r3: load clear */

/* Parameters the payload asks for (PVB_DIAG_PARAM). */
#define PVB_PARAM_VCPU_ID     0
#define PVB_PARAM_SHARE_BASE  1  /* first byte of this vCPU's share of RAM */
#define PVB_PARAM_SHARE_PAGES 2  /* 4 KiB pages in the share */
#define PVB_PARAM_TOUCH_PAGES 3  /* pages to write (<= share) */
#define PVB_PARAM_FLAGS       4  /* PVB_S390_FLAG_* */
#define PVB_PARAM_SEED        5
#define PVB_PARAM_PROGRESS_EVERY 6 /* pages between PROGRESS exits (a power of 2) */
#define PVB_PARAM_COUNT       7

#define PVB_S390_FLAG_RANDOM  0x1

/* Guest-absolute layout: lowcore 0-0x2000, payload code from PVB_S390_ENTRY, stacks from
 * PVB_S390_STACKS (4 KiB per vCPU). RAM shares start at PVB_S390_RAM_START: the payload
 * writes every page from there to the end of memory. */
#define PVB_S390_ENTRY        0x10000
#define PVB_S390_CODE_MAX     0x10000
#define PVB_S390_STACKS       0x20000
#define PVB_S390_STACK_SIZE   0x1000
#define PVB_S390_MAX_VCPUS    64
#define PVB_S390_RAM_START    0x100000

#endif

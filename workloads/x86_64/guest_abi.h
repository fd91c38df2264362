/* The contract between the x86_64 payload (guest.S) and the host (bench/kvm_x86_64.c).
 * Included from assembly too: constants only. */
#ifndef PVB_GUEST_ABI_X86_64_H
#define PVB_GUEST_ABI_X86_64_H

/* Guest-physical layout. RAM is slot 0 at 0; the system area (page tables, descriptor
 * tables, code, stacks) is a 2 MiB slot of its own far above RAM, so the payload can write
 * every byte of RAM. The MMIO window right after it has no memslot: writes there exit. */
#define PVB_SYS_BASE  0x4000000000 /* 256 GiB: guest RAM must end below it */
#define PVB_SYS_SIZE  0x200000
#define PVB_MMIO_BASE (PVB_SYS_BASE + PVB_SYS_SIZE)

/* Offsets inside the system area. */
#define PVB_SYS_PML4	    0x000000
#define PVB_SYS_PDPT	    0x001000
#define PVB_SYS_PD_SYS	    0x002000 /* maps the system area and the MMIO window */
#define PVB_SYS_PD_RAM	    0x003000 /* one page directory per GiB of RAM */
#define PVB_SYS_MAX_RAM_PD  250
#define PVB_SYS_GDT	    0x100000
#define PVB_SYS_IDT	    0x101000
#define PVB_SYS_TSS	    0x102000 /* PVB_TSS_STRIDE bytes per vCPU */
#define PVB_TSS_STRIDE	    0x80
#define PVB_SYS_CODE	    0x104000 /* payload code, at most 16 KiB */
#define PVB_SYS_CODE_MAX    0x4000
#define PVB_SYS_KSTACK	    0x110000 /* 4 KiB kernel (fault) stack per vCPU, top-down */
#define PVB_SYS_USTACK	    0x150000 /* 4 KiB user stack per vCPU */
#define PVB_SYS_PROGRESS    0x190000 /* pages written so far, one 64-byte slot per vCPU */
#define PVB_PROGRESS_STRIDE 64
#define PVB_PROGRESS_EVERY  64 /* pages between progress stores (a power of 2) */
#define PVB_STACK_SIZE	    0x1000
#define PVB_MAX_VCPUS	    64

/* GDT selectors. */
#define PVB_SEL_KCODE 0x08
#define PVB_SEL_KDATA 0x10
#define PVB_SEL_UDATA 0x1b /* index 3, RPL 3 */
#define PVB_SEL_UCODE 0x23 /* index 4, RPL 3 */
#define PVB_SEL_TSS   0x28

/* MMIO doorbells: the payload writes its vCPU id (or the value named) to these. */
#define PVB_MMIO_ALIVE	   0x00
#define PVB_MMIO_POPULATED 0x08 /* value: pages written */
#define PVB_MMIO_REBOOT	   0x10
#define PVB_MMIO_VIOLATION 0x18 /* value: guest-physical address of a dirty page */
#define PVB_MMIO_FAULT	   0x20 /* value: exception vector (from the CPL0 handler) */

/* Payload entry registers:
 *   rdi share base (GPA)   rsi pages in share   rdx pages to touch
 *   rcx flags              r8  MMIO base        r9  seed           r10 vCPU id */
#define PVB_FLAG_RANDOM 0x1
#define PVB_FLAG_VERIFY 0x2

#endif

/* x86_64 specifics of the kvm backend: long mode at CPL3 set up from the host.
 * Guest kernel mode is emulated on some nested KVM flavours, so the payload runs in user
 * mode; page tables, GDT, IDT and a TSS exist so that a fault is reported with its vector. */
#include <errno.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kvm_arch.h"
#include "pvbench.h"
#include "x86_64/guest_abi.h"

extern const unsigned char pvb_guest_x86_64_start[], pvb_guest_x86_64_end[];
extern const unsigned char pvb_guest_x86_64_vectors[];

const struct pvb_kvm_arch_layout pvb_kvm_arch = {
	.sys_gpa = PVB_SYS_BASE,
	.sys_size = PVB_SYS_SIZE,
	.mmio_base = PVB_MMIO_BASE,
	.ram_max = (uint64_t)PVB_SYS_MAX_RAM_PD << 30,
	.ram_align = 2 * PVB_MIB,
	.max_vcpus = PVB_MAX_VCPUS,
	.progress_off = PVB_SYS_PROGRESS,
	.progress_stride = PVB_PROGRESS_STRIDE,
};

#define PTE_P	0x1ULL
#define PTE_RW	0x2ULL
#define PTE_US	0x4ULL
#define PTE_PS	0x80ULL
#define PTE_DIR (PTE_P | PTE_RW | PTE_US)

#define CR0_PE	       0x1ULL
#define CR0_MP	       0x2ULL
#define CR0_ET	       0x10ULL
#define CR0_NE	       0x20ULL
#define CR0_WP	       0x10000ULL
#define CR0_PG	       0x80000000ULL
#define CR4_PAE	       0x20ULL
#define CR4_OSFXSR     0x200ULL
#define CR4_OSXMMEXCPT 0x400ULL
#define EFER_LME       0x100ULL
#define EFER_LMA       0x400ULL

static struct kvm_cpuid2 *supported_cpuid;
static int cpuid_err;
static pthread_once_t cpuid_once = PTHREAD_ONCE_INIT;
static int cpuid_kvm_fd;

static void load_cpuid(void)
{
	int n = 256;

	for (;;) {
		struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + n * sizeof(c->entries[0]));

		if (!c) {
			cpuid_err = ENOMEM;
			return;
		}
		c->nent = n;
		if (ioctl(cpuid_kvm_fd, KVM_GET_SUPPORTED_CPUID, c) == 0) {
			supported_cpuid = c;
			return;
		}
		cpuid_err = errno;
		free(c);
		if (cpuid_err != E2BIG || n > 4096)
			return;
		n *= 2;
	}
}

static struct kvm_cpuid2 *get_cpuid(int kvm_fd)
{
	cpuid_kvm_fd = kvm_fd;
	pthread_once(&cpuid_once, load_cpuid);
	return supported_cpuid;
}

int pvb_kvm_arch_probe(int kvm_fd, char *why, size_t len)
{
	struct kvm_cpuid2 *c = get_cpuid(kvm_fd);
	unsigned int phys_bits = 36; /* the architectural minimum when the leaf is absent */

	if (!c) {
		snprintf(why, len,
			 "KVM_GET_SUPPORTED_CPUID failed: %s (this KVM cannot run "
			 "x86_64 guests as pvbench sets them up)",
			 strerror(cpuid_err));
		return PVB_EXIT_USAGE;
	}
	for (unsigned int i = 0; i < c->nent; i++)
		if (c->entries[i].function == 0x80000008)
			phys_bits = c->entries[i].eax & 0xff;
	/* The system area and the MMIO window sit high above RAM. */
	if (phys_bits < 64 && (PVB_MMIO_BASE + PVB_SYS_SIZE) >> phys_bits) {
		snprintf(why, len,
			 "guests here have %u physical address bits; pvbench's x86_64 "
			 "layout needs %d",
			 phys_bits, 39);
		return PVB_EXIT_SKIP;
	}
	if (pvb_guest_x86_64_end - pvb_guest_x86_64_start > PVB_SYS_CODE_MAX) {
		snprintf(why, len, "payload larger than its slot (build error)");
		return PVB_EXIT_FAIL;
	}
	return 0;
}

/* A 64-bit code or data segment descriptor. */
static uint64_t seg_desc(int code, int dpl)
{
	uint64_t d = 0;

	d |= 0xffffULL;				 /* limit 15:0 */
	d |= (uint64_t)(code ? 0xb : 0x3) << 40; /* type: exec/read or read/write, accessed */
	d |= 1ULL << 44;			 /* S: code/data */
	d |= (uint64_t)dpl << 45;
	d |= 1ULL << 47;		       /* present */
	d |= 0xfULL << 48;		       /* limit 19:16 */
	d |= (code ? 1ULL << 53 : 1ULL << 54); /* L for code, D/B for data */
	d |= 1ULL << 55;		       /* G */
	return d;
}

int pvb_kvm_arch_setup_sys(void *sys, uint64_t ram_size, int nvcpus)
{
	unsigned char *s = sys;
	uint64_t *pml4 = (uint64_t *)(s + PVB_SYS_PML4);
	uint64_t *pdpt = (uint64_t *)(s + PVB_SYS_PDPT);
	uint64_t *pd_sys = (uint64_t *)(s + PVB_SYS_PD_SYS);
	uint64_t *gdt = (uint64_t *)(s + PVB_SYS_GDT);
	uint64_t gibs = (ram_size + PVB_GIB - 1) >> 30;
	uint64_t code_len = (uint64_t)(pvb_guest_x86_64_end - pvb_guest_x86_64_start);
	uint64_t vectors = PVB_SYS_BASE + PVB_SYS_CODE +
			   (uint64_t)(pvb_guest_x86_64_vectors - pvb_guest_x86_64_start);

	if (gibs > PVB_SYS_MAX_RAM_PD || nvcpus > PVB_MAX_VCPUS || code_len > PVB_SYS_CODE_MAX)
		return -1;

	pml4[0] = (PVB_SYS_BASE + PVB_SYS_PDPT) | PTE_DIR;
	for (uint64_t g = 0; g < gibs; g++) {
		uint64_t *pd = (uint64_t *)(s + PVB_SYS_PD_RAM + g * 4096);
		uint64_t pages = (ram_size - (g << 30)) >> 21;

		pdpt[g] = (PVB_SYS_BASE + PVB_SYS_PD_RAM + g * 4096) | PTE_DIR;
		for (uint64_t i = 0; i < 512 && i < pages; i++)
			pd[i] = ((g << 30) + (i << 21)) | PTE_DIR | PTE_PS;
	}
	pdpt[PVB_SYS_BASE >> 30] = (PVB_SYS_BASE + PVB_SYS_PD_SYS) | PTE_DIR;
	pd_sys[0] = PVB_SYS_BASE | PTE_DIR | PTE_PS;
	pd_sys[1] = PVB_MMIO_BASE | PTE_DIR | PTE_PS;

	gdt[0] = 0;
	gdt[PVB_SEL_KCODE >> 3] = seg_desc(1, 0);
	gdt[PVB_SEL_KDATA >> 3] = seg_desc(0, 0);
	gdt[PVB_SEL_UDATA >> 3] = seg_desc(0, 3);
	gdt[PVB_SEL_UCODE >> 3] = seg_desc(1, 3);
	/* The TSS descriptor (16 bytes) of vCPU 0; every vCPU's TR carries its own base. */
	{
		uint64_t base = PVB_SYS_BASE + PVB_SYS_TSS, lim = 0x67;

		gdt[PVB_SEL_TSS >> 3] = (lim & 0xffff) | ((base & 0xffffff) << 16) |
					(0x9ULL << 40) | (1ULL << 47) | ((base >> 24 & 0xff) << 56);
		gdt[(PVB_SEL_TSS >> 3) + 1] = base >> 32;
	}

	for (int v = 0; v < 32; v++) {
		uint64_t *e = (uint64_t *)(s + PVB_SYS_IDT + v * 16);
		uint64_t h = vectors + (uint64_t)v * 16;

		/* 64-bit interrupt gate, DPL 0, kernel code selector */
		e[0] = (h & 0xffff) | ((uint64_t)PVB_SEL_KCODE << 16) | (0xeULL << 40) |
		       (1ULL << 47) | ((h >> 16 & 0xffff) << 48);
		e[1] = h >> 32;
	}
	for (int c = 0; c < nvcpus; c++) {
		unsigned char *tss = s + PVB_SYS_TSS + c * PVB_TSS_STRIDE;
		uint64_t rsp0 = PVB_SYS_BASE + PVB_SYS_KSTACK + (uint64_t)(c + 1) * PVB_STACK_SIZE;

		memcpy(tss + 4, &rsp0, sizeof(rsp0));
		tss[102] = 104; /* I/O map base beyond the limit: no I/O bitmap */
	}
	memcpy(s + PVB_SYS_CODE, pvb_guest_x86_64_start, code_len);
	return 0;
}

static void set_seg(struct kvm_segment *sg, uint16_t sel, int code, int dpl)
{
	memset(sg, 0, sizeof(*sg));
	sg->base = 0;
	sg->limit = 0xffffffff;
	sg->selector = sel;
	sg->type = code ? 0xb : 0x3;
	sg->present = 1;
	sg->dpl = dpl;
	sg->db = code ? 0 : 1;
	sg->s = 1;
	sg->l = code ? 1 : 0;
	sg->g = 1;
}

int pvb_kvm_arch_setup_vcpu(int kvm_fd, int vcpu_fd, const struct pvb_kvm_vcpu_init *vi)
{
	struct kvm_cpuid2 *cpuid = get_cpuid(kvm_fd);
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	if (!cpuid || ioctl(vcpu_fd, KVM_SET_CPUID2, cpuid)) {
		pvb_perror("KVM_SET_CPUID2");
		return -1;
	}
	if (ioctl(vcpu_fd, KVM_GET_SREGS, &sregs)) {
		pvb_perror("KVM_GET_SREGS");
		return -1;
	}
	sregs.cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
	sregs.cr4 = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT;
	sregs.efer = EFER_LME | EFER_LMA;
	sregs.cr3 = PVB_SYS_BASE + PVB_SYS_PML4;
	set_seg(&sregs.cs, PVB_SEL_UCODE, 1, 3);
	set_seg(&sregs.ss, PVB_SEL_UDATA, 0, 3);
	sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss;
	memset(&sregs.tr, 0, sizeof(sregs.tr));
	sregs.tr.base = PVB_SYS_BASE + PVB_SYS_TSS + (uint64_t)vi->id * PVB_TSS_STRIDE;
	sregs.tr.limit = 0x67;
	sregs.tr.selector = PVB_SEL_TSS;
	sregs.tr.type = 0xb; /* busy 64-bit TSS */
	sregs.tr.present = 1;
	memset(&sregs.ldt, 0, sizeof(sregs.ldt));
	sregs.ldt.unusable = 1;
	sregs.gdt.base = PVB_SYS_BASE + PVB_SYS_GDT;
	sregs.gdt.limit = 7 * 8 - 1;
	sregs.idt.base = PVB_SYS_BASE + PVB_SYS_IDT;
	sregs.idt.limit = 32 * 16 - 1;
	if (ioctl(vcpu_fd, KVM_SET_SREGS, &sregs)) {
		pvb_perror("KVM_SET_SREGS (long mode, CPL3)");
		return -1;
	}

	memset(&regs, 0, sizeof(regs));
	regs.rflags = 0x2;
	regs.rip = PVB_SYS_BASE + PVB_SYS_CODE;
	regs.rsp = PVB_SYS_BASE + PVB_SYS_USTACK + (uint64_t)(vi->id + 1) * PVB_STACK_SIZE;
	regs.rdi = vi->share_base;
	regs.rsi = vi->share_pages;
	regs.rdx = vi->touch_pages;
	regs.rcx = vi->flags;
	regs.r8 = PVB_MMIO_BASE;
	regs.r9 = vi->seed;
	regs.r10 = (uint64_t)vi->id;
	if (ioctl(vcpu_fd, KVM_SET_REGS, &regs)) {
		pvb_perror("KVM_SET_REGS");
		return -1;
	}
	return 0;
}

static const char *const vector_names[32] = {
	"#DE divide error",
	"#DB debug",
	"NMI",
	"#BP breakpoint",
	"#OF overflow",
	"#BR bound range",
	"#UD invalid opcode",
	"#NM device not available",
	"#DF double fault",
	"coprocessor overrun",
	"#TS invalid TSS",
	"#NP segment not present",
	"#SS stack fault",
	"#GP general protection",
	"#PF page fault",
	"reserved 15",
	"#MF x87 error",
	"#AC alignment check",
	"#MC machine check",
	"#XM SIMD error",
	"#VE virtualization",
	"#CP control protection",
};

void pvb_kvm_arch_describe_fault(int vcpu_fd, const void *sys, uint64_t vector, char *buf,
				 size_t len)
{
	/* Vectors that push an error code below the return frame. */
	static const uint32_t has_error = (1u << 8) | (1u << 10) | (1u << 11) | (1u << 12) |
					  (1u << 13) | (1u << 14) | (1u << 17) | (1u << 21);
	const char *name = vector < 32 && vector_names[vector] ? vector_names[vector] : "?";
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	uint64_t frame[3] = { 0 };

	if (ioctl(vcpu_fd, KVM_GET_REGS, &regs) == 0 && regs.rsp >= PVB_SYS_BASE &&
	    regs.rsp + sizeof(frame) <= PVB_SYS_BASE + PVB_SYS_SIZE)
		memcpy(frame, (const char *)sys + (regs.rsp - PVB_SYS_BASE), sizeof(frame));
	if (ioctl(vcpu_fd, KVM_GET_SREGS, &sregs))
		sregs.cr2 = 0;
	if (vector < 32 && (has_error >> vector & 1))
		snprintf(buf, len, "vector %llu (%s), error code 0x%llx, rip 0x%llx, cr2 0x%llx",
			 (unsigned long long)vector, name, (unsigned long long)frame[1],
			 (unsigned long long)frame[2], (unsigned long long)sregs.cr2);
	else
		snprintf(buf, len, "vector %llu (%s), rip 0x%llx", (unsigned long long)vector, name,
			 (unsigned long long)frame[1]);
}

/* What the generic KVM backend needs from an architecture (kvm_<arch>.c). */
#ifndef PVB_KVM_ARCH_H
#define PVB_KVM_ARCH_H
#include <stddef.h>
#include <stdint.h>

struct pvb_kvm_vcpu_init {
	int id;
	uint64_t share_base;  /* guest-physical */
	uint64_t share_pages; /* 4 KiB pages in the share */
	uint64_t touch_pages;
	uint64_t flags; /* PVB_FLAG_* of the payload ABI */
	uint64_t seed;
};

struct pvb_kvm_arch_layout {
	uint64_t sys_gpa, sys_size; /* the system area slot */
	uint64_t mmio_base;	    /* doorbells: offsets PVB_MMIO_* */
	uint64_t ram_max;	    /* guest RAM must not exceed this */
	uint64_t ram_align;	    /* guest RAM must be a multiple of this */
	int max_vcpus;
	uint64_t progress_off, progress_stride; /* per-vCPU page counters in the system area */
};

extern const struct pvb_kvm_arch_layout pvb_kvm_arch;

/* Check the host can run the payload (CPUID etc.); 0, or an exit code with why filled in. */
int pvb_kvm_arch_probe(int kvm_fd, char *why, size_t len);
/* Fill the system area: page tables for ram_size bytes, descriptor tables, payload code. */
int pvb_kvm_arch_setup_sys(void *sys, uint64_t ram_size, int nvcpus);
/* Put a new vCPU at the payload entry with its registers. Returns 0, or -1 (diagnosed). */
int pvb_kvm_arch_setup_vcpu(int kvm_fd, int vcpu_fd, const struct pvb_kvm_vcpu_init *vi);
/* Describe an exception reported on the FAULT doorbell, reading the frame from sys. */
void pvb_kvm_arch_describe_fault(int vcpu_fd, const void *sys, uint64_t vector, char *buf,
				 size_t len);

#endif

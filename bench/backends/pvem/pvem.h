/* pv-emulated: an executable model of what the kernel (arch/s390/kvm/pv.c with the async
 * destroy patch) and the Ultravisor do for protected guests. It is a model, not a z16:
 * its per-operation costs are parameters (defaults assumed, or fitted by `pvbench
 * calibrate` from a real run); what is real is the memory: guest pages are populated,
 * cleared and given back to the host.
 *
 * Rules it implements (each has a test in tests/test_pvem.c):
 *  - a secure/non-secure state per 4 KiB guest page; a protected guest's first write to a
 *    page imports it (cost import_ns);
 *  - ENABLE creates the configuration and its secure CPUs; DISABLE destroys them, reaps
 *    every configuration still around (set aside, need_cleanup) and destroys their pages;
 *  - ASYNC_CLEANUP_PREPARE destroys the secure CPUs, then sets the configuration aside:
 *    EINVAL when async destroy is off, when one is already set aside (PERFORM not yet
 *    started) and when the memory limit is 2 GiB or less; the pages below 2 GiB are
 *    destroyed at once, the VM goes on non-protected;
 *  - ASYNC_CLEANUP_PERFORM (without the VM lock) takes what is set aside, destroys its
 *    pages and then the configuration; a fatal signal (pvem_fatal_signal) stops it and
 *    leaves the rest on need_cleanup; EINVAL when nothing is set aside;
 *  - while more than one configuration exists (one set aside, being destroyed or left on
 *    need_cleanup), every import costs an extra export, unless MISC is modelled;
 *  - with verify (--verify-clean), a protected guest's first write to a page no configuration
 *    owns checks that it reads zero (a page another configuration owns is encrypted for the
 *    new guest: not checked);
 *  - a destroy walk visits every page mapped in the host (walk_page_ns) and destroys those
 *    of configurations that are gone: the Ultravisor zeroes them (for real here) and they
 *    stay mapped, as the VM's memory does across reboots; the discard feature (off by
 *    default) gives emptied 2 MiB chunks back to the host instead. */
#ifndef PVB_PVEM_H
#define PVB_PVEM_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backends/pv_uapi.h"

struct pvem_costs {
	uint64_t import_ns;	    /* first write of a protected guest to a page */
	uint64_t export_ns;	    /* extra export before an import (no MISC) */
	uint64_t destroy_page_ns;   /* UV destroy of one page (plus the real zeroing) */
	uint64_t unpack_page_ns;    /* UNPACK, per page */
	uint64_t create_config_ns;  /* ENABLE: create the secure configuration */
	uint64_t destroy_config_ns; /* destroy a configuration (DISABLE, PERFORM) */
	uint64_t create_cpu_ns;	    /* per vCPU, in ENABLE */
	uint64_t destroy_cpu_ns;    /* per vCPU, in DISABLE and PREPARE */
	uint64_t set_sec_parms_ns;
	uint64_t verify_ns;
	uint64_t walk_page_ns; /* a destroy walk visiting a mapped page it does not destroy */
};

struct pvem_settings {
	struct pvem_costs c;
	bool misc;	    /* UV feature MISC: no export before import */
	bool destroy_fast;  /* destroy-fast UVC: PREPARE destroys the configuration at once */
	bool async_destroy; /* kvm.async_destroy */
	bool discard;	    /* give emptied 2 MiB chunks back to the host (not what KVM does) */
	bool verify;	    /* --verify-clean: a first write to a non-secure page finds it zero */
	char source[512];   /* "assumed defaults" or the cost file and what it came from */
};

struct pvem_stats {
	uint64_t imports, exports, destroyed_pages, unpacked_pages;
	uint64_t discarded_bytes, configs_created, configs_destroyed;
	uint64_t secure_pages; /* now, all configurations */
	int need_cleanup;      /* configurations left by interrupted PERFORMs */
	bool set_aside, protected_;
};

/* The documented defaults: assumed, not measured on a z16 (see pvem_costs.c). */
void pvem_defaults(struct pvem_settings *s);
/* Read a cost file (INI; pvem_save writes one). Keys not given keep their value. Returns 0,
 * or PVB_EXIT_USAGE with the reason in err. */
int pvem_load(const char *path, struct pvem_settings *s, char *err, size_t len);
/* Write s atomically to path, with comment lines (e.g. where the figures came from). */
int pvem_save(const char *path, const struct pvem_settings *s, const char *comment);
json_t *pvem_settings_json(const struct pvem_settings *s);

struct pvem_vm;

struct pvem_vm *pvem_vm_new(const struct pvem_settings *s);
/* Close the VM: reaps every configuration and destroys their pages (kvm_arch_destroy_vm). */
void pvem_vm_free(struct pvem_vm *vm);
int pvem_set_mem_limit(struct pvem_vm *vm, uint64_t bytes);
int pvem_set_memslot(struct pvem_vm *vm, uint32_t slot, uint64_t gpa, uint64_t size, void *hva);
int pvem_add_vcpu(struct pvem_vm *vm);
/* KVM_S390_PV_COMMAND. */
int pvem_cmd(struct pvem_vm *vm, struct kvm_pv_cmd *cmd);
/* The guest writes the page at gpa (fill byte): import when protected. 0 or -EFAULT; with
 * verify, -EIO when a first write finds a page that no configuration owns not zero. */
int pvem_touch(struct pvem_vm *vm, uint64_t gpa, uint8_t fill);
/* Imports that needed an export first, so far (lock-free). */
uint64_t pvem_exports(struct pvem_vm *vm);
/* Deliver a "fatal signal" to a running (or the next) PERFORM. */
void pvem_fatal_signal(struct pvem_vm *vm);
void pvem_stats(struct pvem_vm *vm, struct pvem_stats *st);
/* Every VM of the process, since the start: what `pvbench stress` checks at a worker's end. */
struct pvem_totals {
	int64_t configs_live;	       /* configurations not yet released (0 once all VMs closed) */
	uint64_t performs_interrupted; /* PERFORMs stopped by a fatal signal (need_cleanup) */
	uint64_t need_cleanup_reaped;  /* configurations reaped from need_cleanup */
	uint64_t old_data_seen;	       /* verify: first writes that found a non-zero page */
};
void pvem_totals(struct pvem_totals *t);
/* Async-signal-safe: the next interruptible step of any VM's PERFORM (running or the next
 * one) stops as after a fatal signal. */
void pvem_fatal_signal_all(void);

/* The guest page at gpa as the host sees it (tests); NULL outside the memslots. */
const uint8_t *pvem_host_page(struct pvem_vm *vm, uint64_t gpa);

#endif

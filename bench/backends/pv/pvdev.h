/* A device that runs protected guests: the real one (/dev/kvm on an s390x host with
 * Secure Execution) or the pv-emulated model (pvem.h). The pv backend drives both through
 * these calls, one per KVM ioctl it needs, so the same command path is exercised here
 * that runs on a z16. Every call returns 0 or -errno like the ioctl it stands for. */
#ifndef PVB_PVDEV_H
#define PVB_PVDEV_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pv_arch.h"
#include "backends/pv_uapi.h"

struct pvdev_vm;
struct pvdev_vcpu;

/* pv-emulated, --verify-clean: the PVB_PVX_FAULT code (beyond any program interruption code)
 * of a first write that found old data in a page no configuration owns */
#define PVDEV_FAULT_OLD_DATA 0x10000
/* pv-emulated: the signal that stops a running (or the next) PERFORM as a fatal signal does
 * (pvem_fatal_signal_all), leaving its configuration on need_cleanup (`pvbench stress`) */
#define PVDEV_PERFORM_SIGNAL SIGUSR2
struct pvem_settings;

struct pvdev_ops {
	const char *name;
	bool emulated;
	/* Open the device; 0, or an exit code (USAGE, SKIP) with why phrased as what to do. */
	int (*open)(const struct pvem_settings *s, char *why, size_t len);
	/* KVM_CHECK_EXTENSION on the device: the value (>= 0) or -errno. */
	int (*check_extension)(long cap);
	/* /sys/module/kvm/parameters/async_destroy: 0/1, or -errno when absent. */
	int (*async_destroy_param)(void);
	int (*create_vm)(struct pvdev_vm **out);
	int (*set_mem_limit)(struct pvdev_vm *vm, uint64_t bytes);
	int (*set_memslot)(struct pvdev_vm *vm, uint32_t slot, uint64_t gpa, uint64_t size,
			   void *hva);
	int (*create_vcpu)(struct pvdev_vm *vm, int id, struct pvdev_vcpu **out);
	/* KVM_S390_PV_COMMAND; rc/rrc are filled even when it fails. */
	int (*pv_cmd)(struct pvdev_vm *vm, struct kvm_pv_cmd *cmd);
	int (*set_mp_state)(struct pvdev_vcpu *v, uint32_t state);
	/* Run until the payload's next event: 0 with e filled, -EINTR after a kick, -errno. */
	int (*run)(struct pvdev_vcpu *v, struct pvb_pvx *e);
	/* The answer to a PVB_PVX_PARAM event, seen by the guest when it runs again. */
	void (*reply)(struct pvdev_vcpu *v, uint64_t value);
	/* Make run() return -EINTR soon (or at once when it is next called); any thread. */
	void (*kick)(struct pvdev_vcpu *v);
	/* Allow run() again after a kick has been consumed. */
	void (*unkick)(struct pvdev_vcpu *v);
	void (*destroy_vcpu)(struct pvdev_vcpu *v);
	/* Close the VM: like the kernel's VM teardown, reaps every protected configuration
	 * still there (current, set aside, need_cleanup). */
	void (*destroy_vm)(struct pvdev_vm *vm);
};

extern const struct pvdev_ops pvdev_kvm_ops;  /* pvdev_kvm.c */
extern const struct pvdev_ops pvdev_emul_ops; /* pvdev_emul.c */

/* The model behind a pv-emulated VM (tests look inside). */
struct pvem_vm *pvdev_emul_model(struct pvdev_vm *vm);

/* Convenience: one PV command. Returns 0 or -errno; rc/rrc (may be NULL) get the UV codes. */
int pvdev_cmd(const struct pvdev_ops *d, struct pvdev_vm *vm, unsigned cmd, uint64_t data,
	      uint16_t *rc, uint16_t *rrc);

#endif

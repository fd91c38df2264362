/* What the pv backend needs from the host architecture to run the real payload: decode a
 * vCPU exit into a payload event (guest_abi.h of the architecture), and answer a PARAM
 * request. Implemented for s390x in pv_s390x.c; elsewhere the pv backend cannot run a
 * real guest (the pv-emulated device produces the same events without KVM_RUN). */
#ifndef PVB_PV_ARCH_H
#define PVB_PV_ARCH_H
#include <linux/kvm.h>
#include <stddef.h>
#include <stdint.h>

enum pvb_pvx_kind {
	PVB_PVX_NONE,	   /* nothing for the payload protocol (e.g. a handled intercept) */
	PVB_PVX_PARAM,	   /* arg: PVB_PARAM_* index; answer with pvb_pv_arch_reply */
	PVB_PVX_ALIVE,	   /* arg: vCPU id */
	PVB_PVX_PROGRESS,  /* arg: pages written so far */
	PVB_PVX_POPULATED, /* arg: pages written */
	PVB_PVX_REBOOT,	   /* the guest asked for a re-IPL */
	PVB_PVX_FAULT,	   /* arg: program interruption code; what: description */
	PVB_PVX_UNKNOWN,   /* an exit the payload should never cause; what: description */
};

struct pvb_pvx {
	enum pvb_pvx_kind kind;
	uint64_t arg;
	char what[160];
};

/* Decode the exit KVM_RUN left in run. Returns 0 (e filled), or -1 if this architecture has
 * no payload (e->what says why). */
int pvb_pv_arch_decode(struct kvm_run *run, struct pvb_pvx *e);
/* Answer a PVB_PVX_PARAM exit: value reaches the guest in r2 when it is resumed. */
void pvb_pv_arch_reply(struct kvm_run *run, uint64_t value);
/* 1 on an architecture whose payload can run in a protected guest (s390x), else 0. */
int pvb_pv_arch_available(void);

#endif

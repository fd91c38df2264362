/* What a guest's vCPU threads tell the thread that waits on the guest: alive, populated,
 * reboot request, or an error; and what that thread tells them (go on, stop). Shared by the
 * backends that run a payload on vCPU threads (kvm, pv), through vcpu.h. */
#ifndef PVB_GEVENTS_H
#define PVB_GEVENTS_H
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "backend.h"

struct pvb_gevents {
	pthread_mutex_t lock;
	pthread_cond_t cond; /* on CLOCK_MONOTONIC, like pvb_now_ns */
	int nvcpus, alive, populated_vcpus;
	bool rebooted, go, stopping;
	uint64_t t[PVB_EV_MAX];
	uint64_t timeout_ns; /* a wait that sees no event for this long fails the guest */
	int error;
	char errmsg[512];
};

/* 0, or -1 (pthread error, diagnosed). */
int pvb_gev_init(struct pvb_gevents *e, int nvcpus, uint64_t timeout_ns);
void pvb_gev_destroy(struct pvb_gevents *e);
/* Record the guest's first error (code: an exit code) and wake the waiter. Lock held. */
void pvb_gev_fail(struct pvb_gevents *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same, taking the lock. */
void pvb_gev_fail_unlocked(struct pvb_gevents *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* From a vCPU thread, lock held: the payload reported alive / populated / reboot at t.
 * populated() then parks the vCPU until the guest may go on (vCPU 0) or stops, and returns
 * whether it runs on. */
void pvb_gev_alive(struct pvb_gevents *e, uint64_t t);
bool pvb_gev_populated(struct pvb_gevents *e, int vcpu, uint64_t t);
void pvb_gev_reboot(struct pvb_gevents *e, uint64_t t);
/* The backend ops: wait for ev (returns 0 with *t_ns, an exit code, or INTERRUPTED),
 * let vCPU 0 go on, tell every vCPU to stop. */
int pvb_gev_wait(struct pvb_gevents *e, enum pvb_event ev, uint64_t *t_ns);
void pvb_gev_resume(struct pvb_gevents *e);
void pvb_gev_stop(struct pvb_gevents *e);
bool pvb_gev_stopping(struct pvb_gevents *e);

#endif

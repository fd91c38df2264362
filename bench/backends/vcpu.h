/* The vCPU threads of a guest, shared by the backends that run a payload on host threads
 * (kvm, pv): start them (vCPU 0 pinned on request), stop them (each backend kicks its own
 * way), wait for what they report (gevents.h); and the signal mask every worker thread of
 * pvbench starts with. */
#ifndef PVB_VCPU_H
#define PVB_VCPU_H
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stddef.h>

#include "backend.h"
#include "gevents.h"
#include "host/perfctr.h"

#define PVB_VCPUS_MAX 64

/*
 * A backend whose guests run on vCPU threads puts this FIRST in its struct pvb_guest, so that
 * the shared ops below (PVB_VCPUS_OPS) find it from the guest.
 */
struct pvb_vcpus {
	struct pvb_gevents ev;
	/* Make vCPU i leave its run loop soon (its thread then sees pvb_gev_stopping). */
	void (*kick)(struct pvb_guest *g, int i);
	pthread_t thread[PVB_VCPUS_MAX];
	bool started[PVB_VCPUS_MAX];
	/* What each thread does first (name itself, open its counters), then its fn(arg). */
	struct pvb_vcpu_boot {
		int i, lane;
		int tid; /* set (atomic) by the thread first of all */
		void *(*fn)(void *);
		void *arg;
	} boot[PVB_VCPUS_MAX];
	/* --perf: each vCPU thread's counters (pvb_vcpus_perf_open); closed once joined */
	struct pvb_perf_group perf[PVB_VCPUS_MAX];
};

/* SIGINT and SIGTERM are the main thread's to handle: every other thread blocks them first. */
void pvb_block_stop_signals(void);

/* Set up the events of n vCPUs (pvb_gev_init) and the kick; 0, or -1 (diagnosed). */
int pvb_vcpus_init(struct pvb_vcpus *vc, int n, uint64_t timeout_ns,
		   void (*kick)(struct pvb_guest *g, int i));
/* Start the thread of every vCPU i running fn(args + i * size), vCPU 0 pinned to
 * p->vcpu0_cpus when given; each names itself pvb-vcpu<p->lane>.<i> first. Returns 0, or
 * PVB_EXIT_FAIL (diagnosed; the threads started so far stay started). */
int pvb_vcpus_start(struct pvb_vcpus *vc, const struct pvb_guest_params *p, void *(*fn)(void *),
		    void *args, size_t size);

/* The shared backend ops (g's first member is its struct pvb_vcpus). stop: every vCPU is
 * told to stop, kicked and joined; a thread that cannot be joined aborts (its guest must not
 * be freed under it). */
int pvb_vcpus_wait(struct pvb_guest *g, enum pvb_event ev, uint64_t *t_ns);
int pvb_vcpus_resume(struct pvb_guest *g);
int pvb_vcpus_stop(struct pvb_guest *g);
int pvb_vcpus_cpus(const struct pvb_guest *g, int vcpu, cpu_set_t *out);
int pvb_vcpus_perf_open(struct pvb_guest *g);
int pvb_vcpus_perf(struct pvb_guest *g, struct pvb_perf_counts *out);

#define PVB_VCPUS_OPS                                                               \
	.wait = pvb_vcpus_wait, .resume = pvb_vcpus_resume, .stop = pvb_vcpus_stop, \
	.vcpu_cpus = pvb_vcpus_cpus, .vcpu_perf_open = pvb_vcpus_perf_open,         \
	.vcpu_perf = pvb_vcpus_perf

#endif

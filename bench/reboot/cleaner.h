/* The cleanup thread: destroys the guests handed to it, one at a time, optionally bound to
 * a cpuset, and reads the progress of the guest that runs meanwhile (for interference). */
#ifndef PVB_CLEANER_H
#define PVB_CLEANER_H
#include <hwloc.h>
#include <pthread.h>
#include <stdbool.h>

#include "backends/backend.h"
#include "host/perfctr.h"
#include "host/vmstat.h"

/* The kernel counters of one destroy: /proc/vmstat before and after, the thread's perf
 * counts (--perf). */
struct pvb_cleanup_counts {
	struct pvb_vmstat_snap vm0, vm1;
	struct pvb_perf_counts perf;
};

struct pvb_cleaner {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	const struct pvb_backend_ops *ops;
	struct pvb_guest *guest;       /* handed over: waiting or being destroyed */
	const struct pvb_guest *watch; /* runs during the destroy; NULL: none */
	bool quit, done, ready, running;
	struct pvb_teardown td;
	uint64_t watch_start, watch_end; /* watch's progress at the destroy's start and end */
	volatile uint64_t released;	 /* bytes released by the current destroy */
	int rc, start_rc;
	hwloc_topology_t topo;
	hwloc_cpuset_t bind; /* NULL: unpinned */
	char cpus[256];	     /* the cpuset the thread runs on, read back */
	int lane;	     /* the guest it serves: its name pvb-clean<lane> */
	/* Set before the first hand-over (NULL: no vmstat columns). */
	const struct pvb_vmstat *vmstat;
	struct pvb_perf_group perf;    /* the thread's own counters (--perf) */
	struct pvb_cleanup_counts cnt; /* of the last destroy */
};

/* Start the thread, bound to set (NULL: unpinned; hwloc reads the binding back). Returns 0
 * or an exit code with a diagnostic printed. */
int pvb_cleaner_start(struct pvb_cleaner *c, const struct pvb_backend_ops *ops,
		      hwloc_topology_t topo, hwloc_const_cpuset_t set, int lane);
void pvb_cleaner_stop(struct pvb_cleaner *c);
/* Hand old over; the destroy starts at once. watch (may be NULL) must stay alive until
 * pvb_cleaner_wait returns. */
void pvb_cleaner_give(struct pvb_cleaner *c, struct pvb_guest *old, const struct pvb_guest *watch);
/* Wait until the guest handed over is gone (not interruptible: the memory must come back).
 * Returns the destroy's exit code; td, watch_start and watch_end as recorded (any may be
 * NULL). Returns 0 at once when nothing was handed over. */
int pvb_cleaner_wait(struct pvb_cleaner *c, struct pvb_teardown *td, uint64_t *watch_start,
		     uint64_t *watch_end);
/* The counters of the last destroy (after pvb_cleaner_wait). */
void pvb_cleaner_counts(struct pvb_cleaner *c, struct pvb_cleanup_counts *out);

#endif

/* Internals shared by the files of the reboot engine. They call one way only:
 *   reboot.c (the run) -> floor.c (floor and host reference rows) -> lane.c (a lane's
 *   reboots) -> rows.c (iterations.csv), timeline.c, gate.c, target.c (--target-ci),
 *   cleaner.c -> setup.c (guest parameters, checks, placement, load, meta.json). */
#ifndef PVB_REBOOT_INT_H
#define PVB_REBOOT_INT_H
#include <hwloc.h>
#include <pthread.h>
#include <sched.h>
#include <time.h>

#include "backends/backend.h"
#include "cleaner.h"
#include "columns.h"
#include "config.h"
#include "host/load.h"
#include "host/meminfo.h"
#include "host/numapol.h"
#include "host/perfctr.h"
#include "host/vmstat.h"
#include "report/results.h"

struct row {
	char f[C_NCOLS][256];
};

/* Guests rebooting together meet here before each reboot. */
struct gate {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int parties, waiting;
	unsigned long gen;
	bool broken;
	/* Optional: called by the last lane to arrive, with the lock held and every other lane
	 * waiting; true stops the point there (every lane is told so). */
	bool (*decide)(void *arg);
	void *arg;
	bool stop; /* the last decision */
};

/* --target-ci: the point's reboot times so far, pooled over its lanes, and its outcome. */
struct target {
	double *x; /* reboot_ns of every measured reboot of the point (sorted at the gate) */
	size_t n, cap;
	uint64_t size;
	int vcpus;
	const char *mode; /* sync, async, floor */
	bool reached;
	json_t *list; /* meta.json's target_ci: one entry per point */
};

struct run;

/* One guest and everything that serves it. */
struct lane {
	struct run *r;
	int id;
	struct pvb_cleaner cleaner;
	struct pvb_guest *cur, *next;
	struct pvb_guest *pending; /* --cleanup-start next-reboot: set aside, not handed over */
	const struct pvb_guest *probe_guest; /* read by the timeline probe (atomic) */
	pthread_t thread;
	uint64_t size;
	int vcpus;
	enum pvb_mode mode;
	int rc;
	char vcpu_cpus[64], mem_actual[64]; /* read back from the point's first new guest */
	int iter;			    /* the reboot under way (negative: warm-up) */
	struct pvb_perf_group perf;	    /* the lane thread's own counters (--perf) */
};

struct run {
	const struct pvb_reboot_config *cfg;
	const struct pvb_backend_ops *ops;
	struct pvb_csv csv, timeline;
	pthread_mutex_t rows_lock;
	struct pvb_sampler sampler;
	json_t *meta;
	char meta_path[4200];
	int rows;
	time_t started; /* meta.json's started_utc, and its duration */
	hwloc_topology_t topo;
	hwloc_cpuset_t cleanup_set; /* NULL: unpinned */
	cpu_set_t vcpu0_cpus;
	bool pin_vcpu0;
	struct pvb_mempolicy mem;
	struct pvb_load load;
	bool load_running, timeline_open;
	struct gate gate;
	struct target target;
	struct pvb_vmstat vmstat; /* fd -1: no vmstat columns */
	struct lane lanes[64];
};

/* What one reboot measured, in monotonic ns: the request, the old guest stopped, set aside
 * (sync: destroyed), the new guest created, alive, populated; the old guest's teardown, the
 * phase times of both guests, and the memory measures taken after it. */
struct reboot_meas {
	uint64_t t_req, t_stop, t_aside, t_created, t_alive, t_pop;
	uint64_t p_start, p_end; /* the new guest's progress as the destroy began, ended */
	uint64_t populated;
	double intf; /* populate rate during / without the destroy; -1: none */
	struct pvb_teardown td;
	struct pvb_parts cp; /* the new guest's create, fitted to [t_aside, t_created] */
	struct pvb_phase_times ph_old, ph_new;
	int64_t lag, lag_pcp, low, peak; /* memory back (+pcp), MemAvailable low, RSS peak */
	/* counters.c: vmstat around the reboot (before the request, after the populate; and
	 * once alive), the lane's perf counters around the critical path, the new guest's
	 * vCPUs', the destroy's */
	struct pvb_vmstat_snap vm0, vm1, vm_alive;
	struct pvb_perf_read main0, main1;
	struct pvb_perf_counts vcpu;
	bool vcpu_open; /* the vCPU counters were opened once the guest was alive */
	struct pvb_cleanup_counts cleanup;
};

/* lane.c */
int pvb_reboot_point(struct run *r, uint64_t size, int vcpus, enum pvb_mode mode);
/* Stop and destroy whatever guests a lane still has (error, interrupt, end). */
void pvb_lane_abandon(struct lane *l);

/* plant.c: --plant's defect after the row of reboot iter (test-only). 0, or an exit code. */
int pvb_plant_after_row(struct lane *l, int iter);

/* floor.c */
int pvb_host_reference(struct run *r, uint64_t size);
int pvb_floor_point(struct run *r, uint64_t size, int vcpus);

/* rows.c */
void pvb_row_init(struct run *r, struct row *w, int guest, uint64_t size, int vcpus,
		  const char *mode, int iter);
void pvb_row_u64(struct row *w, enum col c, uint64_t v);
void pvb_row_reboot(struct run *r, const struct lane *l, int iter, const struct reboot_meas *m,
		    struct row *w);
int pvb_row_write(struct run *r, const struct row *w);
/* The create_<part>_ns columns (nothing when cp has no part). */
void pvb_row_create_parts(struct row *w, const struct pvb_parts *cp);

/* timeline.c */
extern const char *const pvb_timeline_cols[];
extern const int pvb_timeline_ncols;
/* Sample the cleanup's progress, and g's (NULL: none yet), with every memory sample. */
void pvb_timeline_follow(struct lane *l, const struct pvb_guest *g);
/* Stop sampling the lane (the timeline lane only; any other lane: nothing). */
void pvb_timeline_drop(struct lane *l);
int pvb_timeline_write(struct lane *l, int iter, const struct reboot_meas *m);

/* gate.c */
/* 0, or PVB_EXIT_FAIL (diagnosed). */
int pvb_gate_init(struct gate *g);
void pvb_gate_destroy(struct gate *g);
void pvb_gate_reset(struct gate *g, int parties);
/* Wait for every party; false when the gate is broken (a lane failed, or an interrupt).
 * *stop: whether the decide hook, if any, stopped the point here. */
bool pvb_gate_pass(struct gate *g, bool *stop);
void pvb_gate_break(struct gate *g);

/* target.c (--target-ci; every call does nothing without it) */
/* A point (mode: sync, async or floor) starts: no samples yet, and the gate decides with
 * pvb_target_decide. */
void pvb_target_begin(struct run *r, uint64_t size, int vcpus, const char *mode);
/* A lane's measured reboot (after its row): 0, or PVB_EXIT_FAIL (out of memory). */
int pvb_target_add(struct run *r, uint64_t reboot_ns);
/* The gate's hook (arg: the run), or the floor's before each iteration: has the point
 * reached its target? */
bool pvb_target_decide(void *arg);
/* The point ended well: its outcome in meta.json's target_ci, said on stderr (a warning when
 * the ceiling came first). 0, or an exit code. */
int pvb_target_end(struct run *r);
void pvb_target_free(struct run *r);

/* counters.c: kernel counters, thread names and trace markers of the run */
/* Before the cleanup threads start: /proc/vmstat, --perf's probe, --trace-marker. 0 (a
 * missing counter source is a visible skip, not an error). */
int pvb_counters_start(struct run *r);
void pvb_counters_stop(struct run *r);
/* meta.json's vmstat, perf, trace_marker and threads. */
void pvb_counters_meta(struct run *r);
/* A lane thread begins (its name, its counters) and ends. */
void pvb_counters_lane_begin(struct lane *l);
void pvb_counters_lane_end(struct lane *l);
/* The phase boundary what of the lane's reboot under way, to trace_marker. */
void pvb_lane_mark(const struct lane *l, const char *what);
/* Before the request; once the new guest is alive; once populated (g: the new guest);
 * once the destroy of this reboot's old guest was waited for. */
void pvb_counters_reboot_begin(struct lane *l, struct reboot_meas *m);
void pvb_counters_alive(struct lane *l, struct pvb_guest *g, struct reboot_meas *m);
void pvb_counters_populated(struct lane *l, struct pvb_guest *g, struct reboot_meas *m);
void pvb_counters_cleanup(struct lane *l, struct reboot_meas *m);
/* The counter columns of a reboot's row. */
void pvb_row_counters(const struct reboot_meas *m, const struct run *r, struct row *w);
/* The vmstat deltas a to b as the columns from first on (a counter this kernel lacks, a
 * failed read: empty); a floor's vmstat_crit_. */
void pvb_row_vmstat(const struct run *r, const struct pvb_vmstat_snap *a,
		    const struct pvb_vmstat_snap *b, enum col first, struct row *w);

/* setup.c */
void pvb_run_fill_params(struct run *r, struct pvb_guest_params *p, uint64_t size, int vcpus,
			 int lane);
int pvb_run_preflight(struct run *r);
int pvb_run_resolve_placement(struct run *r);
int pvb_run_write_meta(struct run *r, const char *status);
int pvb_run_start_load(struct run *r);
void pvb_run_stop_load(struct run *r);

#endif

/* perf_event_open counters of one thread (--perf): a few groups per thread (task-clock, the
 * other software events, the PMU's), read at phase boundaries with one read() each; which counters this host has, probed
 * once, with the reason for each one it does not. */
#ifndef PVB_PERFCTR_H
#define PVB_PERFCTR_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* F(a, ID, "name"): the counters, in column order; the software ones first (any kernel
 * with perf events has them), then those that need a PMU. */
#define PVB_PERF_COUNTERS(F, a)                \
	F(a, TASK_CLOCK, "task_clock")         \
	F(a, PAGE_FAULTS, "page_faults")       \
	F(a, CTX_SWITCHES, "context_switches") \
	F(a, CPU_MIGRATIONS, "cpu_migrations") \
	F(a, CYCLES, "cycles")                 \
	F(a, INSTRUCTIONS, "instructions")     \
	F(a, CACHE_MISSES, "cache_misses")

#define PVB_PERF_ENUM(a, id, name) PVB_PERF_##id,
enum pvb_perf_counter { PVB_PERF_COUNTERS(PVB_PERF_ENUM, _) PVB_PERF_N };

extern const char *const pvb_perf_names[PVB_PERF_N];

/* The kernel groups a thread's counters go in. task-clock has a group of its own: in one
 * group with the software events, page-faults (and task-clock as a member) counted a part
 * of the faults, or none, on this project's machines (Linux 6.18, a PVM guest). */
enum { PVB_PERF_G_TASK_CLOCK, PVB_PERF_G_SOFTWARE, PVB_PERF_G_PMU, PVB_PERF_NGROUPS };

/* The counters of one thread: fd[i] -1 when counter i is not open. */
struct pvb_perf_group {
	int fd[PVB_PERF_N];
	int slot[PVB_PERF_N];	      /* position of counter i in its group's read; -1: none */
	int leader[PVB_PERF_NGROUPS]; /* fd of each group's leader; -1: no such group */
	int n[PVB_PERF_NGROUPS];
};

/* One read of the groups: cumulative values, and each group's enabled and running times. */
struct pvb_perf_read {
	uint64_t v[PVB_PERF_N];
	uint64_t enabled[PVB_PERF_NGROUPS], running[PVB_PERF_NGROUPS];
	bool ok;
};

/* The counts of a window (or a sum of windows). */
struct pvb_perf_counts {
	uint64_t v[PVB_PERF_N];
	bool have[PVB_PERF_N];
	bool scaled; /* multiplexed: scaled by enabled/running time */
};

/* Probe once, on the calling thread, before any thread opens a group: which counters open
 * (with on false: none, and --perf is off). Each counter that cannot be opened is skipped
 * with the reason (one line on stderr for all of them). */
void pvb_perf_setup(bool on);
bool pvb_perf_on(void);
/* meta.json's "perf": {enabled, available: [...], skipped: {name: reason}, paranoid}. */
json_t *pvb_perf_json(void);

/* Open the available counters on thread tid of this process (0: the calling thread; nothing
 * when --perf is off: g->n 0). They count from now. Returns 0, or -1 with a warning (g has
 * no counters then). */
int pvb_perf_open(struct pvb_perf_group *g, int tid);
/* An empty group (so that pvb_perf_close is safe). */
void pvb_perf_init(struct pvb_perf_group *g);
/* One read() of each group (any thread). 0, or -1 (r->ok false; also for an empty group). */
int pvb_perf_read(const struct pvb_perf_group *g, struct pvb_perf_read *r);
void pvb_perf_close(struct pvb_perf_group *g);
/* The counts from a to b; nothing (have all false) unless both reads are ok. */
void pvb_perf_delta(const struct pvb_perf_read *a, const struct pvb_perf_read *b,
		    struct pvb_perf_counts *out);
/* sum += x, counter by counter (a counter is had if any part had it). */
void pvb_perf_add(struct pvb_perf_counts *sum, const struct pvb_perf_counts *x);

#endif

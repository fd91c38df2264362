/* Internals shared by reboot.c (the loop) and reboot_env.c (what surrounds it). */
#ifndef PVB_REBOOT_INT_H
#define PVB_REBOOT_INT_H
#include <hwloc.h>
#include <pthread.h>
#include <sched.h>

#include "backends/backend.h"
#include "cleaner.h"
#include "config.h"
#include "host/load.h"
#include "host/meminfo.h"
#include "host/numapol.h"
#include "report/results.h"

enum col {
	C_BACKEND, C_SIZE, C_MODE, C_ITER, C_REBOOT, C_TEARDOWN, C_CREATE, C_POPULATE,
	C_CLEANUP, C_CLEANUP_CPU, C_MEMBACK, C_STOP, C_START, C_VMCLOSE, C_SCRUB_NS, C_RELEASE,
	C_MEMLOW, C_POPULATED, C_HOST_TOUCH, C_HOST_MUNMAP, C_HOST_MEMSET, C_VCPUS, C_BACKING,
	C_SCRUB, C_TOUCH, C_ORDER, C_TREQ, C_CLEANUP_START, C_POINT, C_GUEST, C_GUESTS,
	C_CTHREADS, C_PLACEMENT, C_PLACEMENT_CPUS, C_VCPU_CPUS, C_MEMPOL, C_MEMPOL_ACTUAL, C_LOAD,
	C_INTERFERENCE, C_PEAK_RSS, C_MEMBACK_PCP, C_PREPARE, C_PERFORM, C_DISABLE, C_ENABLE,
	C_FALLBACK, C_MEM_LIMIT, C_EXPORTS, C_NCOLS
};

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
};

struct run;

/* One guest and everything that serves it. */
struct lane {
	struct run *r;
	int id;
	struct pvb_cleaner cleaner;
	struct pvb_guest *cur, *next;
	struct pvb_guest *pending;   /* --cleanup-start next-reboot: set aside, not handed over */
	const struct pvb_guest *probe_guest; /* read by the timeline probe */
	pthread_t thread;
	uint64_t size;
	int vcpus;
	enum pvb_mode mode;
	int rc;
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
	hwloc_topology_t topo;
	hwloc_cpuset_t cleanup_set;      /* NULL: unpinned */
	cpu_set_t vcpu0_cpus;
	bool pin_vcpu0;
	struct pvb_mempolicy mem;
	struct pvb_load load;
	bool load_running, timeline_open;
	struct gate gate;
	struct lane lanes[64];
};

/* reboot.c */
void pvb_run_fill_params(struct run *r, struct pvb_guest_params *p, uint64_t size, int vcpus,
			 int lane);

/* reboot_env.c */
int pvb_run_preflight(struct run *r);
int pvb_run_resolve_placement(struct run *r);
int pvb_run_write_meta(struct run *r, const char *status);
int pvb_run_start_load(struct run *r);
void pvb_run_stop_load(struct run *r);
int pvb_run_write_timeline(struct run *r, struct lane *l, int iter, uint64_t t_req,
			   uint64_t t_alive, uint64_t t_pop, const struct pvb_teardown *td);
extern const char *const pvb_timeline_cols[];
extern const int pvb_timeline_ncols;

#endif

/* The configuration of `pvbench reboot`: its fields, and the option table (options.h) that
 * fills them from the command line or from a sweep point's settings. */
#ifndef PVB_CONFIG_H
#define PVB_CONFIG_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "backends/backend.h"
#include "backends/pv/pv_options.h"
#include "options.h"

#define PVB_MAX_LIST	      32
/* --target-ci: the ceiling when --iterations is not given, and the fewest reboots with a 95 %
 * CI of the median */
#define PVB_TARGET_CI_CEILING 50
#define PVB_TARGET_CI_MIN_N   6

enum pvb_mode { PVB_MODE_SYNC, PVB_MODE_ASYNC };
/* When an async reboot hands the old guest to the cleanup thread. */
enum pvb_cleanup_start {
	PVB_CLEANUP_ALIVE,
	PVB_CLEANUP_CREATED,
	PVB_CLEANUP_ASIDE,
	PVB_CLEANUP_NEXT /* only after the next reboot's set-aside */
};

/* --plant (test-only): a defect `pvbench stress` must catch (plant.c). */
enum pvb_plant {
	PVB_PLANT_NONE,
	PVB_PLANT_STALE,
	PVB_PLANT_LEAK_FD,
	PVB_PLANT_SKIP_RELEASE,
	PVB_PLANT_CORRUPT_ROW
};
const char *pvb_plant_name(enum pvb_plant k);

const char *pvb_mode_name(enum pvb_mode m);
const char *pvb_cleanup_start_name(enum pvb_cleanup_start c);

struct pvb_reboot_config {
	char backend[32];
	uint64_t sizes[PVB_MAX_LIST];
	int nsizes;
	int vcpus[PVB_MAX_LIST];
	int nvcpus;
	enum pvb_mode modes[2];
	int nmodes;
	int iterations, warmup;
	double target_ci; /* --target-ci: stop a point once its CI is within +-this %; 0: off */
	enum pvb_backing backing;
	double touch;
	enum pvb_order order;
	uint64_t seed;
	char out_dir[4096];
	bool scrub, verify_clean, floor, plot;
	enum pvb_cleanup_start cleanup_start;
	char placement[256];   /* cleanup threads: a placement policy (placement.h) */
	int ref_cpu;	       /* the reference PU of placements; -1: the first allowed */
	int cleanup_threads;   /* threads sharing a destroy's scrub and release */
	int guests;	       /* concurrent guests, each with its own cleanup thread */
	uint64_t stagger_ns;   /* guest g requests its reboots g * stagger after guest 0 */
	char mem_policy[32];   /* numapol.h */
	char load[256];	       /* co-runner profile, "none" */
	bool timeline;	       /* write timeline.csv for each point's last reboot */
	bool append;	       /* add to an existing results directory (sweeps) */
	long point;	       /* sweep point id; -1: not part of a sweep */
	int ref_iterations;    /* host reference measurements (touch, munmap, memset) per size */
	uint64_t floor_gap_ns; /* pause before each floor iteration */
	uint64_t sample_interval_ns;
	uint64_t headroom; /* bytes kept free beyond the run's peak */
	int debug_dirty;   /* test hook: dirty the new guest's memory before it starts */
	bool perf;	   /* --perf: perf_event_open counters per thread role */
	bool trace_marker; /* --trace-marker: phase boundaries to tracefs's trace_marker */
	struct pvb_release_how release; /* --release: how a destroy gives guest RAM back */
	bool floor_loaded;		/* floor_loaded rows: the floor beside an idle old guest */
	/* test-only: a defect for `pvbench stress` to catch */
	enum pvb_plant plant;
	/* --host-label: every row's host (default: the hostname); the run_id of every row:
	 * new per run, a sweep's points share the sweep's */
	char host_label[64], run_id[64];
	/* internal (`pvbench stress`): the file each thread's phase is published in (phase.h) */
	char phase_file[4096];
	/* everything above is zeroed before the defaults (config.c: defaults) */
	/* pv, pv-emulated: declared and set by the pv backends' table (pv_options.h); the
	 * same fields by name (cfg->mem_limit) or as one struct (cfg->pv) */
	union {
		struct {
			PVB_PV_OPTION_FIELDS
		};
		struct pvb_pv_options pv;
	};
	int argc; /* the command line, as meta.json records it */
	char **argv;
};

/* ctx over cfg: reboot's table and every backend's, and the defaults in cfg. */
void pvb_reboot_options(struct pvb_opts *ctx, struct pvb_reboot_config *cfg);
/* reboot's option called name (a backend's too), or NULL. */
const struct pvb_opt *pvb_reboot_option(const char *name);
/* Once the options are in: the checks across options (a backend's too, e.g. its files),
 * then the default --out. Returns -1 when all is well, otherwise an exit code. */
int pvb_reboot_check(struct pvb_opts *ctx, struct pvb_reboot_config *cfg);
/* Parse `pvbench reboot` options. Returns -1 when all is well, otherwise the exit code
 * to leave with (after printing the reason, or the help for --help). */
int pvb_reboot_parse(int argc, char **argv, struct pvb_reboot_config *cfg);
void pvb_reboot_usage(void);
json_t *pvb_reboot_config_json(const struct pvb_reboot_config *cfg);

#endif

/* The resolved configuration of `pvbench reboot`. */
#ifndef PVB_CONFIG_H
#define PVB_CONFIG_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "backends/backend.h"

#define PVB_MAX_LIST 32

enum pvb_mode { PVB_MODE_SYNC, PVB_MODE_ASYNC };
/* When an async reboot hands the old guest to the cleanup thread. */
enum pvb_cleanup_start { PVB_CLEANUP_ALIVE, PVB_CLEANUP_CREATED, PVB_CLEANUP_ASIDE,
			 PVB_CLEANUP_NEXT /* only after the next reboot's set-aside */ };

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
	enum pvb_backing backing;
	double touch;
	enum pvb_order order;
	uint64_t seed;
	char out_dir[4096];
	bool scrub, verify_clean, floor, plot;
	enum pvb_cleanup_start cleanup_start;
	char placement[256];    /* cleanup threads: a placement policy (placement.h) */
	int ref_cpu;            /* the reference PU of placements; -1: the first allowed */
	int cleanup_threads;    /* threads sharing a destroy's scrub and release */
	int guests;             /* concurrent guests, each with its own cleanup thread */
	uint64_t stagger_ns;    /* guest g requests its reboots g * stagger after guest 0 */
	char mem_policy[32];    /* numapol.h */
	char load[256];         /* co-runner profile, "none" */
	bool timeline;          /* write timeline.csv for each point's last reboot */
	bool append;            /* add to an existing results directory (sweeps) */
	long point;             /* sweep point id; -1: not part of a sweep */
	int ref_iterations;     /* host reference measurements (touch, munmap, memset) per size */
	uint64_t floor_gap_ns;  /* pause before each floor iteration */
	uint64_t sample_interval_ns;
	uint64_t headroom;      /* bytes kept free beyond the run's peak */
	int debug_dirty;        /* test hook: dirty the new guest's memory before it starts */
	/* pv, pv-emulated */
	uint64_t mem_limit;     /* 0: unset; PVB_MEM_LIMIT_RAM (backend.h): the RAM size */
	char se_image[4096], se_header[4096], payload[4096];
	uint64_t se_tweak;
	char pv_costs[4096];
	int pv_misc;            /* -1: as the cost file says */
	int argc;
	char **argv;
};

/* Parse `pvbench reboot` options. Returns -1 when all is well, otherwise the exit code
 * to leave with (after printing the reason, or the help for --help). */
int pvb_reboot_parse(int argc, char **argv, struct pvb_reboot_config *cfg);
void pvb_reboot_usage(void);
json_t *pvb_reboot_config_json(const struct pvb_reboot_config *cfg);

#endif

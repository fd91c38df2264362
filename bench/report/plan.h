/* pvbench plan: per-size models fitted to single-guest runs (plan_model.c), a fleet described in
 * an INI file (plan_fleet.c), what the fleet costs the host and a check of the models against a
 * measured multi-guest run (plan.c), as JSON, and that JSON as text (plan_fmt.c). */
#ifndef PVB_PLAN_H
#define PVB_PLAN_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "dataset.h"

/* The figures fitted against size, per mode (sync, async). */
enum pvb_plan_metric {
	PVB_PM_REBOOT,	    /* reboot_ns: the critical path */
	PVB_PM_CLEANUP,	    /* cleanup_ns: wall time of one destroy */
	PVB_PM_CLEANUP_CPU, /* cleanup_cpu_ns: its CPU time, all cleanup threads */
	PVB_PM_CSTART,	    /* cleanup_start_ns: reboot request -> destroy begins */
	PVB_PM_PEAK,	    /* peak_rss_bytes: old and new guest together */
	PVB_PM_INTF,	    /* interference: populate rate during a destroy / without */
	PVB_PM_N
};
extern const char *const pvb_plan_metric_cols[PVB_PM_N];

/* A size can be predicted from sizeof/PVB_PLAN_REACH to PVB_PLAN_REACH times the measured range
 * of that mode's figure; beyond it (or with no measured size) the plan refuses (exit 2). */
#define PVB_PLAN_REACH	   4.0
#define PVB_PLAN_MAX_SIZES 32

/* One measured size: n samples, their median with its exact 95 % CI (NAN when n < 6), p95. */
struct pvb_plan_pt {
	double size, median, lo, hi, p95;
	size_t n;
};

struct pvb_plan_fit {
	size_t k; /* measured sizes, ascending */
	struct pvb_plan_pt pt[PVB_PLAN_MAX_SIZES];
	/* least squares line of the medians against size: median = a + b * size (k >= 2; k == 1:
	 * through the origin, b = median / size); resid_sd: the residual standard deviation
	 * (k - 2 degrees of freedom; NAN for k < 3) */
	double a, b, resid_sd;
	bool flat; /* a ratio (interference): beyond the range, the nearest measured value */
};

/* A prediction at one size: v (the median), its 95 % interval lo..hi (NAN: none), p95. */
struct pvb_plan_est {
	double v, lo, hi, p95;
	bool extrapolated; /* outside the measured sizes: the line, interval widened */
	bool assumed;	   /* nothing measured: a size-based assumption (peak memory) */
};

struct pvb_plan_models {
	struct pvb_plan_fit fit[2][PVB_PM_N]; /* [PVB_DS_SYNC or PVB_DS_ASYNC][metric] */
	char label[256];		      /* the configuration the runs share */
	unsigned cthreads;
	char placement[64];
	size_t npoints; /* single-guest points used */
};

/* Fit the models to the single-guest points of ds with cleanup_threads == cthreads and that
 * placement. Returns 0, or PVB_EXIT_USAGE (none, or runs of several configurations besides
 * size) after a message. */
int pvb_plan_fit_models(struct pvb_plan_models *m, const struct pvb_dataset *ds, unsigned cthreads,
			const char *placement);
/* Fit from points: sizes[i] with its samples (each at least one value), in any order. */
int pvb_plan_fit_points(struct pvb_plan_fit *f, const double *sizes,
			const struct pvb_samples *const *samples, size_t k);
/* Predict at size. Returns 0, or -1 when the fit has no size or size is out of reach. */
int pvb_plan_predict(const struct pvb_plan_fit *f, double size, struct pvb_plan_est *e);
/* Peak memory at size: the fit, or (nothing measured) size (sync) or 2 * size (async). */
int pvb_plan_peak(const struct pvb_plan_models *m, int mode, double size, struct pvb_plan_est *e);
/* "64M..256M (3 sizes)" or "none" */
void pvb_plan_range(const struct pvb_plan_fit *f, char *buf, size_t len);

#define PVB_FLEET_MAX_CLASSES 32
struct pvb_fleet_class {
	char name[64];
	uint64_t size;
	uint64_t count;
	double reboots_per_hour;
};

struct pvb_fleet {
	unsigned cores, cleanup_cores; /* cleanup_cores: what the cleanups may use (<= cores) */
	uint64_t memory;
	int mode; /* PVB_DS_SYNC or PVB_DS_ASYNC */
	unsigned cthreads;
	char placement[64];
	size_t nclasses;
	struct pvb_fleet_class cls[PVB_FLEET_MAX_CLASSES];
	uint64_t storm_guests; /* 0: no storm */
	int storm_class;       /* index into cls */
	char error[512];       /* "FILE:LINE: what" */
};

/* Parse a fleet file's text (origin names it in messages). Returns 0, or -1 with f->error. */
int pvb_fleet_parse(const char *text, const char *origin, struct pvb_fleet *f);
/* Read and parse path. Returns 0, or PVB_EXIT_USAGE after a message. */
int pvb_fleet_load(const char *path, struct pvb_fleet *f);

/* The fleet's answers as JSON into *out. Returns 0, PVB_EXIT_USAGE (a size the models cannot
 * reach, a mode never measured) or PVB_EXIT_FAIL (out of memory), after a message. */
int pvb_plan_answer(const struct pvb_plan_models *m, const struct pvb_fleet *f, json_t **out);

/* A storm of guests of one size predicted from the models: the reboots share cores, the
 * destroys cleanup_cores (e.g. both the host's online CPUs). */
struct pvb_plan_storm {
	double cpu_ns;	      /* cleanup CPU of all the storm's destroys */
	double drain_ns;      /* first reboot request -> last destroy done */
	double peak_bytes;    /* peak resident memory, all the storm's guests */
	double reboot_ns;     /* reboot p50 during the storm */
	double reboot_p95_ns; /* reboot p95 during the storm */
	double cores;	      /* cleanup cores used during the storm */
	bool extrapolated;
};
int pvb_plan_storm(const struct pvb_plan_models *m, int mode, double size, double guests,
		   double cores, double cleanup_cores, struct pvb_plan_storm *s);

/* --check: the multi-guest points of the results directory dir predicted from the models,
 * against what was measured. Returns 0, PVB_EXIT_USAGE or PVB_EXIT_FAIL after a message. */
int pvb_plan_check(const struct pvb_plan_models *m, const char *dir, json_t **out);

/* The plan (root: "models", optional "fleet", optional "checks") as text. */
int pvb_plan_txt(json_t *root, FILE *f);
/* The models as JSON. */
json_t *pvb_plan_models_json(const struct pvb_plan_models *m);

#endif

/*
 * `pvbench sweep CONFIG`: run every point of a Cartesian product of `pvbench reboot`
 * settings, in-process, into one results directory, with a ledger so that a stopped sweep
 * can be resumed.
 *
 * CONFIG is an INI file:
 *
 *   [sweep]
 *   name = envelope                 ; [A-Za-z0-9._-], default: the file name without .ini
 *   size = 128M, 256M, 1G           ; axes: comma-separated lists (quote an item that
 *   mode = sync, async              ; holds a comma: placement = unpinned, "0,2")
 *   placement = unpinned, same-pu
 *   iterations = 10                 ; scalars, passed to every point
 *   warmup = 1
 *   [options]
 *   floor-gap = 500                 ; --floor-gap 500 for every point
 *   scrub = true                    ; --scrub; false leaves the option out
 *
 * The points are numbered in the order of the axes below, size outermost, mode innermost.
 * Within each group of points that differ only in their mode the modes alternate in
 * direction (sync,async then async,sync), as `pvbench reboot` does, so that a drift of the
 * host does not always favour one mode; only the first mode of a group measures the floor
 * and host reference rows, which do not depend on the mode.
 */
#ifndef PVB_SWEEP_H
#define PVB_SWEEP_H
#include <stdbool.h>
#include <jansson.h>

#define PVB_SWEEP_MAX_VALUES 64
#define PVB_SWEEP_MAX_OPTIONS 64
#define PVB_SWEEP_MAX_POINTS 100000

/* The axes in expansion order (size outermost, mode innermost). */
enum pvb_sweep_axis {
	PVB_AX_SIZE,
	PVB_AX_BACKEND,
	PVB_AX_BACKING,
	PVB_AX_VCPUS,
	PVB_AX_GUESTS,
	PVB_AX_CLEANUP_THREADS,
	PVB_AX_MEM_POLICY,
	PVB_AX_LOAD,
	PVB_AX_PLACEMENT,
	PVB_AX_MODE,
	PVB_SWEEP_NAXES
};

/* INI key and points.csv column ("cleanup_threads"), and reboot option ("cleanup-threads"). */
extern const char *const pvb_sweep_axis_names[PVB_SWEEP_NAXES];
extern const char *const pvb_sweep_axis_options[PVB_SWEEP_NAXES];

struct pvb_sweep_option {
	char *key;   /* as the reboot option, without dashes: "floor-gap" */
	char *value; /* as written; "true" passes --key alone, "false" leaves it out */
};

struct pvb_sweep_config {
	char name[64];
	char *values[PVB_SWEEP_NAXES][PVB_SWEEP_MAX_VALUES];
	int nvalues[PVB_SWEEP_NAXES]; /* 0: not swept, reboot's default */
	int iterations, warmup;       /* -1: not given, reboot's default */
	struct pvb_sweep_option options[PVB_SWEEP_MAX_OPTIONS];
	int noptions;
	char *text;                   /* the INI text as read */
	char error[512];              /* why parsing failed, "ORIGIN:LINE: ..." */
};

/*
 * Parse INI text; origin names it in messages (and gives the default name). Returns 0, or
 * PVB_EXIT_USAGE with the reason in cfg->error (also printed). Free with
 * pvb_sweep_config_free() in both cases.
 */
int pvb_sweep_parse_string(const char *text, const char *origin, struct pvb_sweep_config *cfg);
int pvb_sweep_parse_file(const char *path, struct pvb_sweep_config *cfg);
void pvb_sweep_config_free(struct pvb_sweep_config *cfg);
json_t *pvb_sweep_config_json(const struct pvb_sweep_config *cfg);

struct pvb_sweep_point {
	int id;
	int idx[PVB_SWEEP_NAXES]; /* index into cfg->values, -1 for an axis not swept */
	bool first_mode;          /* the first of its group to run: measures floor and host rows */
};

/* How many points (the product of the axis lengths). */
int pvb_sweep_npoints(const struct pvb_sweep_config *cfg);
void pvb_sweep_point_get(const struct pvb_sweep_config *cfg, int id, struct pvb_sweep_point *pt);
/* The point's value on an axis, or NULL when the axis is not swept. */
const char *pvb_sweep_value(const struct pvb_sweep_config *cfg,
			    const struct pvb_sweep_point *pt, enum pvb_sweep_axis ax);
/* "size=1G mode=async placement=same-core": the axes with more than one value (all the
 * swept ones when none varies). */
void pvb_sweep_describe(const struct pvb_sweep_config *cfg, const struct pvb_sweep_point *pt,
			char *buf, size_t len);

/*
 * The argv of `reboot` for a point writing into dir: "reboot", the axes, --iterations,
 * --warmup, the [options], --no-floor --ref-iterations 0 unless pt->first_mode, then
 * --out dir --append --point ID --quiet. Returns argc, or -1 (out of memory); the array is
 * NULL-terminated. Free with pvb_sweep_argv_free().
 */
int pvb_sweep_build_argv(const struct pvb_sweep_config *cfg, const struct pvb_sweep_point *pt,
			 const char *dir, char ***argv);
void pvb_sweep_argv_free(char **argv);

/* The ledger, DIR/points.csv: one row per point. */
enum pvb_sweep_status {
	PVB_PT_PENDING,
	PVB_PT_RUNNING,
	PVB_PT_COMPLETE,
	PVB_PT_SKIPPED,
	PVB_PT_FAILED,
};
const char *pvb_sweep_status_name(enum pvb_sweep_status s);

struct pvb_sweep_entry {
	enum pvb_sweep_status status;
	char started[24], ended[24]; /* UTC, "2026-01-31T12:00:00Z", or empty */
	int exit_code;               /* -1: none yet */
};

/* Rewrite DIR/points.csv atomically for the n points of cfg. Returns 0, or -1. */
int pvb_sweep_ledger_write(const char *dir, const struct pvb_sweep_config *cfg,
			   const struct pvb_sweep_entry *e, int n);
/*
 * Read DIR/points.csv into e[0..n-1] (points it lacks are pending). Every row must name a
 * point of cfg with the same axis values. Returns 0, PVB_EXIT_USAGE on a mismatch or
 * malformed ledger, PVB_EXIT_FAIL if it cannot be read.
 */
int pvb_sweep_ledger_read(const char *dir, const struct pvb_sweep_config *cfg,
			  struct pvb_sweep_entry *e, int n);

/*
 * Keep the header of the CSV at path and the rows whose `point` is complete in e[0..n-1];
 * rewrite the file atomically. Returns how many rows were dropped, or -1.
 */
int pvb_sweep_filter_rows(const char *path, const struct pvb_sweep_entry *e, int n);

#endif

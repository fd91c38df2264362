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
#include <jansson.h>
#include <stdbool.h>

#include "reboot/config.h"

#define PVB_SWEEP_MAX_VALUES  64
#define PVB_SWEEP_MAX_OPTIONS 64
#define PVB_SWEEP_MAX_POINTS  100000

/*
 * The axes in expansion order (size outermost, mode innermost), one line each: the enum
 * (PVB_AX_ID), the INI key and points.csv column, and the reboot option it sets. A new axis
 * is one line here (its option must be in reboot's table, reboot/config.c).
 */
#define PVB_SWEEP_AXES(X)                                        \
	X(SIZE, "size", "size")                                  \
	X(BACKEND, "backend", "backend")                         \
	X(BACKING, "backing", "backing")                         \
	X(VCPUS, "vcpus", "vcpus")                               \
	X(GUESTS, "guests", "guests")                            \
	X(CLEANUP_THREADS, "cleanup_threads", "cleanup-threads") \
	X(MEM_POLICY, "mem_policy", "mem-policy")                \
	X(LOAD, "load", "load")                                  \
	X(PLACEMENT, "placement", "placement")                   \
	X(CLEANUP_START, "cleanup_start", "cleanup-start")       \
	X(MODE, "mode", "mode")

enum pvb_sweep_axis {
#define PVB_AX_ENUM(id, key, option) PVB_AX_##id,
	PVB_SWEEP_AXES(PVB_AX_ENUM)
#undef PVB_AX_ENUM
		PVB_SWEEP_NAXES
};

/* INI key and points.csv column ("cleanup_threads"), and reboot option ("cleanup-threads"). */
extern const char *const pvb_sweep_axis_names[PVB_SWEEP_NAXES];
extern const char *const pvb_sweep_axis_options[PVB_SWEEP_NAXES];

struct pvb_sweep_option {
	char *key;   /* a reboot option, without dashes: "floor-gap" */
	char *value; /* as written; a flag takes true or false (false leaves it unset) */
};

struct pvb_sweep_config {
	char name[64];
	char *values[PVB_SWEEP_NAXES][PVB_SWEEP_MAX_VALUES];
	int nvalues[PVB_SWEEP_NAXES]; /* 0: not swept, reboot's default */
	int iterations, warmup;	      /* -1: not given, reboot's default */
	struct pvb_sweep_option options[PVB_SWEEP_MAX_OPTIONS];
	int noptions;
	char *text;	 /* the INI text as read */
	char error[512]; /* why parsing failed, "ORIGIN:LINE: ..." */
	/* every point's rows (sweep.json keeps them) */
	char run_id[64], host_label[64];
};

/*
 * Parse INI text; origin names it in messages (and gives the default name). Every key of
 * [options] must be a reboot option the sweep does not set itself, and at least one axis
 * must be given. Returns 0, or PVB_EXIT_USAGE with the reason in cfg->error (also printed).
 * Free with pvb_sweep_config_free() in both cases.
 */
int pvb_sweep_parse_string(const char *text, const char *origin, struct pvb_sweep_config *cfg);
int pvb_sweep_parse_file(const char *path, struct pvb_sweep_config *cfg);
/* The whole (text) file at path, to free; NULL after a message. */
char *pvb_sweep_read_text(const char *path);
void pvb_sweep_config_free(struct pvb_sweep_config *cfg);
json_t *pvb_sweep_config_json(const struct pvb_sweep_config *cfg);

struct pvb_sweep_point {
	int id;
	int idx[PVB_SWEEP_NAXES]; /* index into cfg->values, -1 for an axis not swept */
	bool first_mode;	  /* the first of its group to run: measures floor and host rows */
};

/* How many points (the product of the axis lengths). */
int pvb_sweep_npoints(const struct pvb_sweep_config *cfg);
void pvb_sweep_point_get(const struct pvb_sweep_config *cfg, int id, struct pvb_sweep_point *pt);
/* The point's value on an axis, or NULL when the axis is not swept. */
const char *pvb_sweep_value(const struct pvb_sweep_config *cfg, const struct pvb_sweep_point *pt,
			    enum pvb_sweep_axis ax);
/* "size=1G mode=async placement=same-core": the axes with more than one value (all the
 * swept ones when none varies). */
void pvb_sweep_describe(const struct pvb_sweep_config *cfg, const struct pvb_sweep_point *pt,
			char *buf, size_t len);

/*
 * The reboot configuration of a point writing into dir: reboot's defaults, then through
 * reboot's option table the axes, iterations, warmup, the [options], no-floor and
 * ref-iterations 0 unless pt->first_mode, then out dir, append, point ID and quiet (which
 * sets pvb_quiet); then reboot's checks across options. rc->argc/argv is the equivalent
 * command line, "reboot" and its options in that order, set even when the point is not
 * valid; free it with pvb_sweep_point_free(). Returns -1, or an exit code after a message.
 */
int pvb_sweep_point_config(const struct pvb_sweep_config *cfg, const struct pvb_sweep_point *pt,
			   const char *dir, struct pvb_reboot_config *rc);
void pvb_sweep_point_free(struct pvb_reboot_config *rc);
/* "pvbench reboot ...", shell-quoted for pasting; NULL when out of memory. */
char *pvb_sweep_command_line(char *const *argv);

/* The ledger, DIR/points.csv: one row per point. */
enum pvb_sweep_status {
	PVB_PT_PENDING,
	PVB_PT_RUNNING,
	PVB_PT_COMPLETE,
	PVB_PT_SKIPPED,
	PVB_PT_FAILED,
	PVB_SWEEP_NSTATUS
};
const char *pvb_sweep_status_name(enum pvb_sweep_status s);

struct pvb_sweep_entry {
	enum pvb_sweep_status status;
	char started[24], ended[24]; /* UTC, "2026-01-31T12:00:00Z", or empty */
	int exit_code;		     /* -1: none yet */
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

/* What `pvbench sweep` was asked (cmd/sweep.c): config or resume (or both), out unless
 * resume, the command line as sweep.json records it. */
struct pvb_sweep_args {
	const char *config, *out, *resume;
	const char *host_label; /* --host-label */
	bool dry_run, quiet;
	int argc;
	char **argv;
};

/* Validate every point, then run the sweep (or print it, dry_run). Returns an exit code. */
int pvb_sweep_main(const struct pvb_sweep_args *a);

#endif

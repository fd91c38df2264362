/* `pvbench report`: one computed model of the report (report_model.c) and its formats: md and
 * txt (report_text.c), html (report_html.c), json (report_json.c). */
#ifndef PVB_REPORT_H
#define PVB_REPORT_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "dataset.h"
#include "stats.h"

/* Thresholds of the warnings. */
#define PVB_REPORT_COV_WARN    0.10
#define PVB_REPORT_OUTLIER_IQR 3.0

/* A metric's samples in one mode, summarised. */
struct pvb_rstat {
	bool ok; /* there were samples */
	struct pvb_summary s;
	size_t outliers; /* beyond 3 IQR from the quartiles */
};

/* A ratio of medians a / b with its percentile bootstrap 95 % CI (ci_ok false: not computed,
 * fewer than PVB_BOOT_MIN_N values on a side). */
struct pvb_rratio {
	bool ok, ci_ok;
	double v, lo, hi;
	size_t na, nb;
};

enum { PVB_R_SYNC, PVB_R_ASYNC, PVB_R_FLOOR, PVB_R_NMODES };
enum { PVB_R_AVAIL, PVB_R_PCP, PVB_R_NVIEWS }; /* memory back: MemAvailable, or counting pcp */

/* Where the time goes: the steps of a reboot's critical path (stop, set aside, the create's
 * parts, start: iteration columns, in pvb_where_crit_cols) and the parts of a cleanup
 * (pvb_where_cleanup_cols). */
#define PVB_WHERE_NCRIT	   8
#define PVB_WHERE_NCLEANUP 5
extern const char *const pvb_where_crit_cols[PVB_WHERE_NCRIT];
extern const char *const pvb_where_cleanup_cols[PVB_WHERE_NCLEANUP];
enum { PVB_W_ASYNC, PVB_W_FLOOR, PVB_W_LOADED, PVB_W_N }; /* async, floor, floor_loaded */

/* A /proc/vmstat counter's median deltas: over the critical path (vmstat_crit_<name>) per
 * mode, and over the sync cleanup (vmstat_cleanup_<name>); NAN where not recorded. */
#define PVB_WHERE_NVM 24
struct pvb_where_vm {
	const char *name; /* "pgfault": into the dataset's metric names */
	double crit[PVB_W_N];
	double sync_cleanup;
};

/* Medians in ns; NAN where not recorded (a run from before a column, or no such rows). */
struct pvb_where {
	double reboot[PVB_W_N];
	double crit[PVB_W_N][PVB_WHERE_NCRIT]; /* a floor has no stop or set-aside: 0 */
	double sync_cleanup, host_munmap, sync_vmclose;
	double cleanup[PVB_WHERE_NCLEANUP]; /* sync */
	size_t nvm;			    /* the vmstat_crit_ columns of the dataset */
	struct pvb_where_vm vm[PVB_WHERE_NVM];
};

struct pvb_report_point {
	const struct pvb_ds_point *pt;
	char label[200]; /* the values of the keys that vary, e.g. "64M thp" */
	struct pvb_rstat reboot[PVB_R_NMODES];
	struct pvb_rratio speedup;     /* sync / async reboot */
	struct pvb_rratio async_floor; /* async / floor reboot */
	struct pvb_rratio cpu;	       /* cleanup CPU async / sync */
	struct pvb_rstat cleanup_cpu[2], memback[2][PVB_R_NVIEWS], peak[2]; /* [sync, async] */
	struct pvb_rstat interference;					    /* async */
	struct pvb_rratio async_floor_loaded; /* async / floor_loaded reboot */
	struct pvb_where where;
};

/* What a run says of itself (methodology). Strings point into the run's json, or are "?". */
struct pvb_report_run {
	const char *dir, *kind, *status, *host, *kernel, *machine, *cpu, *rev, *started, *ended;
	char backends[128], dates[96]; /* "<started> to <ended>", or "last written <date>" */
	bool emulated;
	int numa_nodes; /* -1: unknown */
	char *cmdline;	/* "pvbench reboot ..." (allocated) */
};

struct pvb_report {
	const struct pvb_dataset *ds;
	size_t npoints, nruns, nwarn;
	struct pvb_report_point *points; /* sorted by configuration, size last */
	struct pvb_report_run *runs;
	bool varies[PVB_DS_NKEYS];
	char **warn;
	const char *link_from; /* the file written (-o), which plot links are relative to; or NULL */
};

/* Build the model of ds. Returns 0, or PVB_EXIT_USAGE (no point with sync or async reboot
 * samples) or PVB_EXIT_FAIL (out of memory), the reason printed. Free with pvb_report_free. */
int pvb_report_build(struct pvb_report *r, const struct pvb_dataset *ds);
void pvb_report_free(struct pvb_report *r);

/* The formats; each returns 0, or -1 (out of memory, a failed write). */
int pvb_report_md(const struct pvb_report *r, FILE *f);
int pvb_report_txt(const struct pvb_report *r, FILE *f);
int pvb_report_html(const struct pvb_report *r, FILE *f);
int pvb_report_json(const struct pvb_report *r, FILE *f);

/* Shared by the formats. A time in ns as ms with 3 or 4 significant digits ("12.3", "0.456");
 * "-" for a negative or non-finite value. */
void pvb_fmt_ms(double ns, char *buf, size_t len);
/* A ratio "4.12"; "-" when not finite. */
void pvb_fmt_ratio(double v, char *buf, size_t len);
/* "12.3 [12.1, 12.9]", "12.3 (n<6)" or "-": a median with its CI. */
void pvb_fmt_stat_ms(const struct pvb_rstat *s, char *buf, size_t len);
void pvb_fmt_rratio(const struct pvb_rratio *r, char *buf, size_t len);
/* Text printed once under the tables: what the intervals are. */
extern const char pvb_report_method_note[];

/* root as indented JSON and a newline, then its reference dropped (NULL: -1). Returns 0 or -1. */
int pvb_dump_json(json_t *root, FILE *f);
/* A format rendered into memory, then written out: f = pvb_render_begin(&rd) (NULL when out
 * of memory), then pvb_render_end(&rd, cmd, path, f ? format(model, f) : -1), which emits it
 * (pvb_emit) and returns PVB_EXIT_OK or PVB_EXIT_FAIL. */
struct pvb_render {
	char *buf;
	size_t len;
	FILE *f;
};
FILE *pvb_render_begin(struct pvb_render *rd);
int pvb_render_end(struct pvb_render *rd, const char *cmd, const char *path, int format_rc);
/* A command's output: to path atomically (pvb_write_file_atomic) or, path NULL, to stdout.
 * Returns PVB_EXIT_OK or PVB_EXIT_FAIL (the reason printed). */
int pvb_emit(const char *cmd, const char *path, const char *buf, size_t len);

#endif

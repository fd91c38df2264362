/* Results read back for `report` and `compare`: one or more results directories (a reboot run:
 * meta.json and iterations.csv; a sweep: sweep.json, iterations.csv and points/N.json) as
 * points, each a configuration with, per mode, the samples of every metric column. */
#ifndef PVB_DATASET_H
#define PVB_DATASET_H
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

enum pvb_ds_mode {
	PVB_DS_SYNC,
	PVB_DS_ASYNC,
	PVB_DS_FLOOR,
	PVB_DS_HOST,
	PVB_DS_FLOOR_LOADED, /* the floor beside an idle old guest */
	PVB_DS_NMODES
};
extern const char *const pvb_ds_mode_names[PVB_DS_NMODES];

/* The configuration that identifies a point: iterations.csv's columns (a run from before a
 * column existed had its default), and the cleanup start from the run's (or point's) json. */
enum pvb_ds_key {
	PVB_K_BACKEND,
	PVB_K_SIZE,
	PVB_K_VCPUS,
	PVB_K_BACKING,
	PVB_K_SCRUB,
	PVB_K_TOUCH,
	PVB_K_PLACEMENT,
	PVB_K_GUESTS,
	PVB_K_CTHREADS,
	PVB_K_LOAD,
	PVB_K_MEMPOL,
	PVB_K_CSTART,
	PVB_K_RELEASE, /* --release (kvm); older kvm runs: dontneed-slices:16; others: "" */
	PVB_K_HOST,    /* the row's host; a row without one: its merged set's, else "unknown" */
	PVB_DS_NKEYS
};
extern const char *const pvb_ds_key_names[PVB_DS_NKEYS];

struct pvb_samples {
	size_t n, cap;
	double *v; /* in row order */
};

struct pvb_ds_point {
	char *key[PVB_DS_NKEYS];
	unsigned long long size_bytes;
	unsigned runs; /* bit r: run r has rows of this point (the first 32 runs) */
	/* samples[mode * nmetrics + metric]; rows of every guest and of every run pooled */
	struct pvb_samples *samples;
};

struct pvb_ds_run {
	char *dir;
	char *host; /* the host of its rows that name none */
	bool sweep;
	json_t *meta;	 /* meta.json, or sweep.json */
	json_t *pt_meta; /* a sweep: points/N.json of its first point (host, backend); else NULL */
	size_t rows;	 /* measured rows read */
	size_t modes[PVB_DS_NMODES]; /* rows per mode */
};

struct pvb_dataset {
	size_t nruns;
	struct pvb_ds_run *runs;
	size_t nmetrics;
	char **metrics; /* metric columns (e.g. "reboot_ns"), the union over the runs */
	size_t npoints;
	struct pvb_ds_point *points; /* in the order first met */
};

/* Read dirs into ds; a merged set (report/merge.h) is read as its sources. Returns 0, or PVB_EXIT_USAGE (what is not a run, a CSV without the
 * expected header or with a value that is not a number) or PVB_EXIT_FAIL (out of memory),
 * the reason printed. ds is empty on failure; free it with pvb_dataset_free either way. */
int pvb_dataset_load(struct pvb_dataset *ds, const char *const *dirs, size_t ndirs);
void pvb_dataset_free(struct pvb_dataset *ds);

/* Index of a metric column, or -1. */
int pvb_ds_metric(const struct pvb_dataset *ds, const char *col);
/* The samples of a point in a mode for a metric column; NULL when there are none. */
const struct pvb_samples *pvb_ds_get(const struct pvb_dataset *ds, const struct pvb_ds_point *pt,
				     enum pvb_ds_mode mode, const char *col);
/* Whether key k takes more than one value among the points. */
bool pvb_ds_key_varies(const struct pvb_dataset *ds, enum pvb_ds_key k);
/* "64M thp vcpus=2": the size, then the values of the keys marked in varies. */
void pvb_ds_label(const struct pvb_ds_point *pt, const bool *varies, char *buf, size_t len);
/* Whether two points have the same configuration. */
bool pvb_ds_same_config(const struct pvb_ds_point *a, const struct pvb_ds_point *b);
/* A JSON string of a run's json at a dotted path ("host.kernel.release"), or NULL. For a
 * sweep, looked up in sweep.json, then in its first point's json. */
const char *pvb_ds_run_str(const struct pvb_ds_run *run, const char *path);
json_t *pvb_ds_run_get(const struct pvb_ds_run *run, const char *path);

#endif

/* Results directories read back as points (dataset.h): the run's json, iterations.csv checked
 * against the header a run writes, rows grouped by configuration, samples per mode and metric. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dataset.h"
#include "merge.h"
#include "parse.h"
#include "pvbench.h"
#include "results.h"

const char *const pvb_ds_mode_names[PVB_DS_NMODES] = { "sync", "async", "floor", "host",
						       "floor_loaded" };
const char *const pvb_ds_key_names[PVB_DS_NKEYS] = {
	"backend",   "size_bytes", "vcpus",	      "backing", "scrub",      "touch",
	"placement", "guests",	   "cleanup_threads", "load",	 "mem_policy", "cleanup_start",
	"release",   "host",
};
/* The value a key column had before it existed ("" when it always existed). */
static const char *const key_defaults[PVB_DS_NKEYS] = {
	[PVB_K_PLACEMENT] = "unpinned", [PVB_K_GUESTS] = "1",	 [PVB_K_CTHREADS] = "1",
	[PVB_K_LOAD] = "none",		[PVB_K_MEMPOL] = "none", [PVB_K_CSTART] = "alive",
};
/* Columns every run has had: without them a CSV is not iterations.csv. */
static const char *const required_cols[] = { "backend", "size_bytes", "mode",  "reboot_ns",
					     "vcpus",	"backing",    "scrub", "touch" };
/* Columns that are neither a key nor a metric. */
static const char *const other_cols[] = {
	"run_id",	  "mode",	    "iteration", "point",	 "guest",
	"order",	  "placement_cpus", "vcpu_cpus", "t_request_ns", "mem_policy_actual",
	"mem_limit_bytes"
};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* One run while it is read: its table, the column of each key, the cleanup start by point. */
struct reader {
	struct pvb_table t;
	int kc[PVB_DS_NKEYS], mode_col, point_col;
	int *mc;	/* column of each dataset metric, or -1 */
	json_t *cstart; /* sweep: point number -> cleanup start */
};

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

static bool is_key(const char *col)
{
	return in_list(col, pvb_ds_key_names, PVB_DS_NKEYS);
}

json_t *pvb_ds_run_get(const struct pvb_ds_run *run, const char *path)
{
	json_t *roots[2] = { run->meta, run->pt_meta };

	for (int i = 0; i < 2; i++) {
		json_t *j = roots[i];
		const char *p = path;

		while (j && *p) {
			size_t n = strcspn(p, ".");
			char name[128];

			snprintf(name, sizeof(name), "%.*s", (int)(n < 127 ? n : 127), p);
			j = json_is_object(j) ? json_object_get(j, name) : NULL;
			p += n + (p[n] == '.');
		}
		if (j && !json_is_null(j))
			return j;
	}
	return NULL;
}

const char *pvb_ds_run_str(const struct pvb_ds_run *run, const char *path)
{
	return json_string_value(pvb_ds_run_get(run, path));
}

/* meta.json (a reboot run) or sweep.json (a sweep), and iterations.csv. */
static int open_run(const char *dir, struct pvb_ds_run *run, struct reader *rd)
{
	char path[4200];
	struct stat st;

	if (stat(dir, &st)) {
		pvb_perror("%s", dir);
		return PVB_EXIT_USAGE;
	}
	if (!S_ISDIR(st.st_mode)) {
		pvb_err("%s: not a directory (give a results directory)", dir);
		return PVB_EXIT_USAGE;
	}
	run->sweep = pvb_is_file(dir, "sweep.json");
	if (!run->sweep && !pvb_is_file(dir, "meta.json")) {
		pvb_err("%s: not a pvbench results directory (no meta.json of a reboot run, no "
			"sweep.json of a sweep)",
			dir);
		return PVB_EXIT_USAGE;
	}
	if (!pvb_is_file(dir, "iterations.csv")) {
		pvb_err("%s: no iterations.csv (a run that measured nothing?)", dir);
		return PVB_EXIT_USAGE;
	}
	run->meta = pvb_load_json_object(dir, run->sweep ? "sweep.json" : "meta.json");
	if (!run->meta)
		return PVB_EXIT_USAGE;
	snprintf(path, sizeof(path), "%s/iterations.csv", dir);
	if (pvb_csv_read(path, &rd->t) < 1) {
		if (rd->t.nrows == 0)
			pvb_err("%s: empty, not iterations.csv", path);
		return PVB_EXIT_USAGE;
	}
	for (size_t i = 0; i < NELEM(required_cols); i++)
		if (pvb_table_col(&rd->t, required_cols[i]) < 0) {
			pvb_err("%s: no column %s: not the iterations.csv of a pvbench run", path,
				required_cols[i]);
			return PVB_EXIT_USAGE;
		}
	for (int k = 0; k < PVB_DS_NKEYS; k++)
		rd->kc[k] = pvb_table_col(&rd->t, pvb_ds_key_names[k]);
	rd->mode_col = pvb_table_col(&rd->t, "mode");
	rd->point_col = pvb_table_col(&rd->t, "point");
	return 0;
}

/* Add the run's metric columns to the dataset's list. */
static int add_metrics(struct pvb_dataset *ds, const struct pvb_table *t)
{
	for (int c = 0; c < t->ncols; c++) {
		const char *col = t->rows[0][c];
		char **m, *dup;

		if (is_key(col) || in_list(col, other_cols, NELEM(other_cols)) ||
		    pvb_ds_metric(ds, col) >= 0)
			continue;
		m = realloc(ds->metrics, (ds->nmetrics + 1) * sizeof(*m));
		if (!m)
			return -1;
		ds->metrics = m;
		dup = strdup(col);
		if (!dup)
			return -1;
		ds->metrics[ds->nmetrics++] = dup;
	}
	return 0;
}

/* The cleanup start of a sweep's point, from points/N.json (cached), else the sweep's
 * options, else the default. */
static const char *sweep_cstart(struct pvb_ds_run *run, struct reader *rd, const char *pt)
{
	json_t *v = json_object_get(rd->cstart, pt);
	char name[64];
	json_t *j;

	if (v)
		return json_string_value(v);
	snprintf(name, sizeof(name), "points/%s.json", pt);
	j = pvb_is_file(run->dir, name) ? pvb_load_json_object(run->dir, name) : NULL;
	v = json_object_get(json_object_get(j, "config"), "cleanup_start");
	if (!json_is_string(v))
		v = json_object_get(json_object_get(json_object_get(run->meta, "config"),
						    "options"),
				    "cleanup-start");
	v = json_string(json_is_string(v) ? json_string_value(v) : key_defaults[PVB_K_CSTART]);
	if (!run->pt_meta && j) /* a sweep's host and backend: its first point's json */
		run->pt_meta = json_incref(j);
	json_decref(j);
	if (!v || json_object_set_new(rd->cstart, pt, v))
		return NULL;
	return json_string_value(v);
}

static const char *row_key(struct pvb_ds_run *run, struct reader *rd, char **row, int k)
{
	if (k == PVB_K_CSTART && rd->kc[k] < 0) {
		const char *s = pvb_ds_run_str(run, "config.cleanup_start");

		if (run->sweep && rd->point_col >= 0 && row[rd->point_col][0])
			return sweep_cstart(run, rd, row[rd->point_col]);
		return s ? s : key_defaults[k];
	}
	/* kvm destroys gave memory back in 16 MiB MADV_DONTNEED slices before --release */
	if (k == PVB_K_RELEASE && (rd->kc[k] < 0 || !row[rd->kc[k]][0]))
		return strcmp(row_key(run, rd, row, PVB_K_BACKEND), "kvm") ? "" :
									     "dontneed-slices:16";
	if (k == PVB_K_HOST && (rd->kc[k] < 0 || !row[rd->kc[k]][0]))
		return run->host;
	if (rd->kc[k] < 0 || !row[rd->kc[k]][0])
		return key_defaults[k] ? key_defaults[k] : "";
	return row[rd->kc[k]];
}

bool pvb_ds_same_config(const struct pvb_ds_point *a, const struct pvb_ds_point *b)
{
	for (int k = 0; k < PVB_DS_NKEYS; k++)
		if (strcmp(a->key[k], b->key[k]))
			return false;
	return true;
}

static void free_point(struct pvb_ds_point *pt, size_t nsamples)
{
	for (int k = 0; k < PVB_DS_NKEYS; k++)
		free(pt->key[k]);
	for (size_t i = 0; pt->samples && i < nsamples; i++)
		free(pt->samples[i].v);
	free(pt->samples);
}

/* The point with the row's configuration, appended when new; NULL when out of memory. */
static struct pvb_ds_point *point_of(struct pvb_dataset *ds, const char *const *key)
{
	struct pvb_ds_point *pts, *pt;

	for (size_t i = 0; i < ds->npoints; i++) {
		bool same = true;

		for (int k = 0; k < PVB_DS_NKEYS && same; k++)
			same = !strcmp(ds->points[i].key[k], key[k]);
		if (same)
			return &ds->points[i];
	}
	pts = realloc(ds->points, (ds->npoints + 1) * sizeof(*pts));
	if (!pts)
		return NULL;
	ds->points = pts;
	pt = &pts[ds->npoints];
	memset(pt, 0, sizeof(*pt));
	pt->samples = calloc(PVB_DS_NMODES * ds->nmetrics, sizeof(*pt->samples));
	for (int k = 0; k < PVB_DS_NKEYS; k++)
		pt->key[k] = strdup(key[k]);
	for (int k = 0; k < PVB_DS_NKEYS; k++)
		if (!pt->key[k] || !pt->samples) {
			free_point(pt, 0);
			return NULL;
		}
	pt->size_bytes = strtoull(key[PVB_K_SIZE], NULL, 10);
	ds->npoints++;
	return pt;
}

static int push(struct pvb_samples *s, double v)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		double *p = realloc(s->v, cap * sizeof(*p));

		if (!p)
			return -1;
		s->v = p;
		s->cap = cap;
	}
	s->v[s->n++] = v;
	return 0;
}

static int parse_number(const char *s, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return end == s || *end || errno ? -1 : 0;
}

/* One row of iterations.csv into its point. */
static int add_row(struct pvb_dataset *ds, struct pvb_ds_run *run, struct reader *rd, int r,
		   size_t ri)
{
	char **row = rd->t.rows[r];
	const char *key[PVB_DS_NKEYS], *mode = row[rd->mode_col];
	struct pvb_ds_point *pt;
	int m;

	for (m = 0; m < PVB_DS_NMODES && strcmp(mode, pvb_ds_mode_names[m]); m++)
		;
	if (m == PVB_DS_NMODES) {
		pvb_err("%s/iterations.csv:%d: mode '%s' is not sync, async, floor, floor_loaded "
			"or host",
			run->dir, r + 1, mode);
		return PVB_EXIT_USAGE;
	}
	for (int k = 0; k < PVB_DS_NKEYS; k++)
		if (!(key[k] = row_key(run, rd, row, k)))
			return PVB_EXIT_FAIL;
	if (!key[PVB_K_SIZE][0] ||
	    strspn(key[PVB_K_SIZE], "0123456789") != strlen(key[PVB_K_SIZE])) {
		pvb_err("%s/iterations.csv:%d: size_bytes '%s' is not a number of bytes", run->dir,
			r + 1, key[PVB_K_SIZE]);
		return PVB_EXIT_USAGE;
	}
	pt = point_of(ds, key);
	if (!pt)
		return PVB_EXIT_FAIL;
	if (ri < 32)
		pt->runs |= 1u << ri;
	run->rows++;
	run->modes[m]++;
	for (size_t i = 0; i < ds->nmetrics; i++) {
		const char *f = rd->mc[i] >= 0 ? row[rd->mc[i]] : "";
		double v;

		if (!f[0])
			continue;
		if (parse_number(f, &v)) {
			pvb_err("%s/iterations.csv:%d: %s '%s' is not a number", run->dir, r + 1,
				ds->metrics[i], f);
			return PVB_EXIT_USAGE;
		}
		if (push(&pt->samples[(size_t)m * ds->nmetrics + i], v))
			return PVB_EXIT_FAIL;
	}
	return 0;
}

static int read_rows(struct pvb_dataset *ds, size_t ri, struct reader *rd)
{
	struct pvb_ds_run *run = &ds->runs[ri];
	int rc;

	rd->mc = calloc(ds->nmetrics + 1, sizeof(*rd->mc));
	rd->cstart = json_object();
	if (!rd->mc || !rd->cstart)
		return PVB_EXIT_FAIL;
	for (size_t i = 0; i < ds->nmetrics; i++)
		rd->mc[i] = pvb_table_col(&rd->t, ds->metrics[i]);
	for (int r = 1; r < rd->t.nrows; r++)
		if ((rc = add_row(ds, run, rd, r, ri)))
			return rc;
	if (!run->rows) {
		pvb_err("%s: iterations.csv has no measured rows", run->dir);
		return PVB_EXIT_USAGE;
	}
	return 0;
}

static void free_readers(struct reader *rds, size_t n)
{
	for (size_t i = 0; rds && i < n; i++) {
		pvb_table_free(&rds[i].t);
		free(rds[i].mc);
		json_decref(rds[i].cstart);
	}
	free(rds);
}

/* One directory to read, with the host of its rows that name none; NULL: out of memory. */
static int push_dir(struct pvb_merge_source **v, size_t *n, const char *path, const char *host)
{
	struct pvb_merge_source *p = realloc(*v, (*n + 1) * sizeof(*p));

	if (!p)
		return PVB_EXIT_FAIL;
	*v = p;
	p[*n] = (struct pvb_merge_source){ .path = strdup(path), .host = strdup(host) };
	(*n)++;
	return p[*n - 1].path && p[*n - 1].host ? 0 : PVB_EXIT_FAIL;
}

/* The directories to read: a merged set's sources in its place, each with its host. */
static int expand(const char *const *dirs, size_t ndirs, struct pvb_merge_source **v, size_t *n)
{
	struct pvb_merge_source *m;
	size_t nm;
	int rc = 0;

	*v = NULL;
	*n = 0;
	for (size_t i = 0; i < ndirs && !rc; i++) {
		if (!pvb_is_merged(dirs[i])) {
			rc = push_dir(v, n, dirs[i], "unknown");
			continue;
		}
		if ((rc = pvb_merged_sources(dirs[i], &m, &nm)))
			break;
		for (size_t j = 0; j < nm && !rc; j++)
			rc = push_dir(v, n, m[j].path, m[j].host);
		pvb_merge_sources_free(m, nm);
	}
	return rc;
}

int pvb_dataset_load(struct pvb_dataset *ds, const char *const *given, size_t ngiven)
{
	struct pvb_merge_source *src = NULL;
	struct reader *rds = NULL;
	size_t ndirs = 0;
	int rc;

	memset(ds, 0, sizeof(*ds));
	rc = expand(given, ngiven, &src, &ndirs);
	if (rc == PVB_EXIT_USAGE)
		goto out;
	rds = calloc(ndirs + 1, sizeof(*rds));
	ds->runs = calloc(ndirs + 1, sizeof(*ds->runs));
	if (rc || !rds || !ds->runs) {
		rc = PVB_EXIT_FAIL;
		goto out;
	}
	for (size_t i = 0; i < ndirs; i++) {
		rc = PVB_EXIT_FAIL;
		ds->nruns++; /* freed from here on, whatever follows */
		ds->runs[i].dir = strdup(src[i].path);
		ds->runs[i].host = strdup(src[i].host);
		if (!ds->runs[i].dir || !ds->runs[i].host)
			goto out;
		if ((rc = open_run(src[i].path, &ds->runs[i], &rds[i])))
			goto out;
		rc = PVB_EXIT_FAIL;
		if (add_metrics(ds, &rds[i].t))
			goto out;
	}
	for (size_t i = 0; i < ndirs; i++)
		if ((rc = read_rows(ds, i, &rds[i])))
			goto out;
	rc = 0;
out:
	if (rc == PVB_EXIT_FAIL)
		pvb_err("reading results: out of memory");
	free_readers(rds, ndirs);
	pvb_merge_sources_free(src, ndirs);
	if (rc)
		pvb_dataset_free(ds);
	return rc;
}

void pvb_dataset_free(struct pvb_dataset *ds)
{
	for (size_t i = 0; i < ds->npoints; i++)
		free_point(&ds->points[i], PVB_DS_NMODES * ds->nmetrics);
	for (size_t i = 0; i < ds->nruns; i++) {
		free(ds->runs[i].dir);
		free(ds->runs[i].host);
		json_decref(ds->runs[i].meta);
		json_decref(ds->runs[i].pt_meta);
	}
	for (size_t i = 0; i < ds->nmetrics; i++)
		free(ds->metrics[i]);
	free(ds->points);
	free(ds->runs);
	free(ds->metrics);
	memset(ds, 0, sizeof(*ds));
}

int pvb_ds_metric(const struct pvb_dataset *ds, const char *col)
{
	for (size_t i = 0; i < ds->nmetrics; i++)
		if (!strcmp(ds->metrics[i], col))
			return (int)i;
	return -1;
}

const struct pvb_samples *pvb_ds_get(const struct pvb_dataset *ds, const struct pvb_ds_point *pt,
				     enum pvb_ds_mode mode, const char *col)
{
	int m = pvb_ds_metric(ds, col);
	const struct pvb_samples *s;

	if (m < 0)
		return NULL;
	s = &pt->samples[(size_t)mode * ds->nmetrics + (size_t)m];
	return s->n ? s : NULL;
}

bool pvb_ds_key_varies(const struct pvb_dataset *ds, enum pvb_ds_key k)
{
	for (size_t i = 1; i < ds->npoints; i++)
		if (strcmp(ds->points[i].key[k], ds->points[0].key[k]))
			return true;
	return false;
}

void pvb_ds_label(const struct pvb_ds_point *pt, const bool *varies, char *buf, size_t len)
{
	size_t n;

	pvb_format_size(pt->size_bytes, buf, len);
	for (int k = 0; k < PVB_DS_NKEYS; k++) {
		if (k == PVB_K_SIZE || !varies[k])
			continue;
		n = strlen(buf);
		if (k == PVB_K_BACKEND || k == PVB_K_BACKING)
			snprintf(buf + n, len - n, " %s", pt->key[k]);
		else if (k == PVB_K_SCRUB)
			snprintf(buf + n, len - n, " %s",
				 strcmp(pt->key[k], "0") ? "scrub" : "no-scrub");
		else
			snprintf(buf + n, len - n, " %s=%s", pvb_ds_key_names[k], pt->key[k]);
	}
}

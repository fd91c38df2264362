/* `pvbench report --format json`: the model (report.h) for tools. Times in ns; a figure that
 * could not be computed is null. */
#include <math.h>
#include <string.h>

#include "report.h"

static json_t *num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

/* "<prefix>_median_ns", "_ci95_lo_ns", "_ci95_hi_ns", "_ci95_coverage", "_n", "_p95_ns",
 * "_cov" of a summarised metric. */
static int put_stat(json_t *o, const char *prefix, const struct pvb_rstat *s)
{
	static const char *const sfx[] = { "n",		 "median_ns",	  "ci95_lo_ns",
					   "ci95_hi_ns", "ci95_coverage", "p95_ns",
					   "cov",	 "outliers" };
	double v[8] = { NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN };
	int rc = 0;

	if (s->ok) {
		const double have[] = { (double)s->s.n, s->s.median,	    s->s.ci95_lo,
					s->s.ci95_hi,	s->s.ci95_coverage, s->s.p95,
					s->s.cov,	(double)s->outliers };

		memcpy(v, have, sizeof(v));
	}
	for (int i = 0; i < 8; i++) {
		char key[96];

		snprintf(key, sizeof(key), "%s_%s", prefix, sfx[i]);
		if (i == 0 || i == 7)
			rc |= json_object_set_new(o, key,
						  json_integer(s->ok ? (json_int_t)v[i] : 0));
		else
			rc |= json_object_set_new(o, key, num(v[i]));
	}
	return rc;
}

static int put_ratio(json_t *o, const char *name, const struct pvb_rratio *r)
{
	char lo[96], hi[96];

	snprintf(lo, sizeof(lo), "%s_ci95_lo", name);
	snprintf(hi, sizeof(hi), "%s_ci95_hi", name);
	return json_object_set_new(o, name, num(r->ok ? r->v : NAN)) |
	       json_object_set_new(o, lo, num(r->ci_ok ? r->lo : NAN)) |
	       json_object_set_new(o, hi, num(r->ci_ok ? r->hi : NAN));
}

/* "where": medians in ns (null: not recorded): "async", "floor", "floor_loaded" each with
 * "reboot_ns", the critical path's steps by column and its vmstat_crit_ counters;
 * "sync_cleanup" with "cleanup_ns", "host_munmap_ns", "vmclose_ns", the cleanup's parts by
 * column and its vmstat_cleanup_ counters. */
static json_t *where_json(const struct pvb_where *w)
{
	static const char *const names[PVB_W_N] = { "async", "floor", "floor_loaded" };
	json_t *o = json_object(), *s = json_object();
	int rc = !o || !s;
	char col[160];

	for (int m = 0; m < PVB_W_N && !rc; m++) {
		json_t *c = json_object();

		rc |= json_object_set_new(o, names[m], c);
		rc |= json_object_set_new(c, "reboot_ns", num(w->reboot[m]));
		for (int i = 0; i < PVB_WHERE_NCRIT; i++)
			rc |= json_object_set_new(c, pvb_where_crit_cols[i], num(w->crit[m][i]));
		for (size_t i = 0; i < w->nvm; i++) {
			snprintf(col, sizeof(col), "vmstat_crit_%s", w->vm[i].name);
			rc |= json_object_set_new(c, col, num(w->vm[i].crit[m]));
		}
	}
	rc |= json_object_set_new(s, "cleanup_ns", num(w->sync_cleanup));
	rc |= json_object_set_new(s, "host_munmap_ns", num(w->host_munmap));
	rc |= json_object_set_new(s, "vmclose_ns", num(w->sync_vmclose));
	for (int i = 0; i < PVB_WHERE_NCLEANUP; i++)
		rc |= json_object_set_new(s, pvb_where_cleanup_cols[i], num(w->cleanup[i]));
	for (size_t i = 0; i < w->nvm; i++) {
		snprintf(col, sizeof(col), "vmstat_cleanup_%s", w->vm[i].name);
		rc |= json_object_set_new(s, col, num(w->vm[i].sync_cleanup));
	}
	rc |= json_object_set_new(o, "sync_cleanup", s);
	if (rc) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *point_json(const struct pvb_report_point *p)
{
	static const char *const modes[] = { "sync", "async" };
	json_t *o = json_object();
	int rc = 0;

	if (!o)
		return NULL;
	rc |= json_object_set_new(o, "label", json_string(p->label));
	for (int k = 0; k < PVB_DS_NKEYS; k++)
		rc |= json_object_set_new(o, pvb_ds_key_names[k],
					  k == PVB_K_SIZE ?
						  json_integer((json_int_t)p->pt->size_bytes) :
						  json_string(p->pt->key[k]));
	rc |= put_stat(o, "sync_reboot", &p->reboot[PVB_R_SYNC]);
	rc |= put_stat(o, "async_reboot", &p->reboot[PVB_R_ASYNC]);
	rc |= put_stat(o, "floor_reboot", &p->reboot[PVB_R_FLOOR]);
	rc |= put_ratio(o, "speedup", &p->speedup);
	rc |= put_ratio(o, "async_over_floor", &p->async_floor);
	rc |= put_ratio(o, "cleanup_cpu_async_over_sync", &p->cpu);
	for (int m = 0; m < 2; m++) {
		char key[64];

		snprintf(key, sizeof(key), "%s_cleanup_cpu", modes[m]);
		rc |= put_stat(o, key, &p->cleanup_cpu[m]);
		snprintf(key, sizeof(key), "%s_memory_back", modes[m]);
		rc |= put_stat(o, key, &p->memback[m][PVB_R_AVAIL]);
		snprintf(key, sizeof(key), "%s_memory_back_pcp", modes[m]);
		rc |= put_stat(o, key, &p->memback[m][PVB_R_PCP]);
		snprintf(key, sizeof(key), "%s_peak_rss", modes[m]);
		rc |= put_stat(o, key, &p->peak[m]);
	}
	rc |= put_stat(o, "async_interference", &p->interference);
	rc |= put_ratio(o, "async_over_floor_loaded", &p->async_floor_loaded);
	rc |= json_object_set_new(o, "where", where_json(&p->where));
	if (rc) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *run_json(const struct pvb_report_run *run)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:i}", "dir",
			 run->dir, "kind", run->kind, "status", run->status, "host", run->host,
			 "cpu", run->cpu, "kernel", run->kernel, "machine", run->machine,
			 "backends", run->backends, "emulated", run->emulated, "git_revision",
			 run->rev, "dates", run->dates, "command_line", run->cmdline, "numa_nodes",
			 run->numa_nodes);
}

static json_t *report_json(const struct pvb_report *r)
{
	json_t *root = json_pack("{s:s, s:{s:i, s:I, s:f, s:s}}", "pvbench_report", "1", "method",
				 "bootstrap_resamples", PVB_BOOT_RESAMPLES, "bootstrap_seed",
				 (json_int_t)PVB_BOOT_SEED, "ci_level", 0.95, "note",
				 pvb_report_method_note);
	json_t *pts = json_array(), *runs = json_array(), *warn = json_array();
	int rc = !root || !pts || !runs || !warn;

	for (size_t i = 0; !rc && i < r->npoints; i++)
		rc |= json_array_append_new(pts, point_json(&r->points[i]));
	for (size_t i = 0; !rc && i < r->nruns; i++)
		rc |= json_array_append_new(runs, run_json(&r->runs[i]));
	for (size_t i = 0; !rc && i < r->nwarn; i++)
		rc |= json_array_append_new(warn, json_string(r->warn[i]));
	if (!rc)
		rc = json_object_set(root, "runs", runs) | json_object_set(root, "points", pts) |
		     json_object_set(root, "warnings", warn);
	json_decref(pts);
	json_decref(runs);
	json_decref(warn);
	if (rc) {
		json_decref(root);
		return NULL;
	}
	return root;
}

int pvb_dump_json(json_t *root, FILE *f)
{
	int rc;

	if (!root)
		return -1;
	rc = json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', f);
	json_decref(root);
	return rc || ferror(f) ? -1 : 0;
}

int pvb_report_json(const struct pvb_report *r, FILE *f)
{
	return pvb_dump_json(report_json(r), f);
}

/* summary.csv (long format: one row per point and metric), speedup.csv (sync/async reboot
 * medians per point with a bootstrap CI) and the printed table. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "provenance.h"
#include "pvbench.h"
#include "results.h"
#include "stats.h"
#include "summary.h"

/* Metrics summarised, as iteration columns without their unit suffix. */
static const struct {
	const char *name, *col, *unit;
} metrics[] = {
	{ "reboot", "reboot_ns", "ns" },
	{ "stop", "stop_ns", "ns" },
	{ "teardown", "teardown_ns", "ns" },
	{ "create", "create_ns", "ns" },
	{ "start", "start_ns", "ns" },
	{ "populate", "populate_ns", "ns" },
	{ "cleanup", "cleanup_ns", "ns" },
	{ "cleanup_cpu", "cleanup_cpu_ns", "ns" },
	{ "vmclose", "vmclose_ns", "ns" },
	{ "scrub", "scrub_ns", "ns" },
	{ "release", "release_ns", "ns" },
	{ "memory_back", "memory_back_ns", "ns" },
	{ "mem_low", "mem_low_bytes", "bytes" },
	{ "populated", "populated_bytes", "bytes" },
	{ "host_touch", "host_touch_ns", "ns" },
	{ "host_memset", "host_memset_ns", "ns" },
	{ "host_munmap", "host_munmap_ns", "ns" },
	{ "interference", "interference", "ratio" },
	{ "peak_rss", "peak_rss_bytes", "bytes" },
	{ "memory_back_pcp", "memory_back_pcp_ns", "ns" },
	{ "prepare", "prepare_ns", "ns" },
	{ "perform", "perform_ns", "ns" },
	{ "disable", "disable_ns", "ns" },
	{ "enable", "enable_ns", "ns" },
	{ "fallback", "fallback", "ratio" },
	{ "exports", "exports", "count" },
	{ "create_mmap", "create_mmap_ns", "ns" },
	{ "create_advise", "create_advise_ns", "ns" },
	{ "create_memslot", "create_memslot_ns", "ns" },
	{ "create_vm", "create_vm_ns", "ns" },
	{ "create_load", "create_load_ns", "ns" },
	{ "cleanup_vcpu", "cleanup_vcpu_ns", "ns" },
	{ "cleanup_vm", "cleanup_vm_ns", "ns" },
	{ "cleanup_memslot", "cleanup_memslot_ns", "ns" },
	{ "cleanup_scrub", "cleanup_scrub_ns", "ns" },
	{ "cleanup_release", "cleanup_release_ns", "ns" },
};
#define NMETRICS ((int)(sizeof(metrics) / sizeof(metrics[0])))

/* Columns that identify a point, in summary.csv order after the metric statistics. */
static const char *const key_cols[] = { "backend",	   "size_bytes", "mode",  "vcpus",
					"backing",	   "scrub",	 "touch", "placement",
					"cleanup_threads", "guests",	 "load",  "mem_policy" };
#define NKEYS	       12
#define NKEYS_REQUIRED 7
/* Runs written before a key column existed had its default. */
static const char *const key_defaults[] = { "", "",	    "",	 "",  "",     "",
					    "", "unpinned", "1", "1", "none", "none" };

static const char *key_of(char **row, const int *kc, int k)
{
	return kc[k] < 0 ? key_defaults[k] : row[kc[k]];
}

static const char *const summary_cols[] = {
	"backend", "size_bytes", "mode",       "metric",	"n",	      "median_ns",
	"p5_ns",   "p25_ns",	 "p75_ns",     "p95_ns",	"min_ns",     "max_ns",
	"mean_ns", "stdev_ns",	 "cov",	       "ci95_lo_ns",	"ci95_hi_ns", "vcpus",
	"backing", "scrub",	 "touch",      "unit",		"placement",  "cleanup_threads",
	"guests",  "load",	 "mem_policy", "ci95_coverage",
};

/* speedup.csv: the point's key without mode, then the ratio of reboot medians. */
static const char *const speedup_cols[] = {
	"backend",    "size_bytes",	 "vcpus",	    "backing",	      "scrub",
	"touch",      "placement",	 "cleanup_threads", "guests",	      "load",
	"mem_policy", "n_sync",		 "n_async",	    "sync_median_ns", "async_median_ns",
	"speedup",    "speedup_ci95_lo", "speedup_ci95_hi", "resamples",      "seed",
};

/* A sync point and its async twin; the CI only when both have n >= PVB_BOOT_MIN_N. */
struct speedup {
	int sync, async; /* indices into the points */
	double ratio, lo, hi;
	bool ratio_ok, ci_ok;
};

struct point {
	const char *key[NKEYS];
	bool have[NMETRICS];
	struct pvb_summary s[NMETRICS];
};

struct buf {
	char *p;
	size_t len, cap;
};

static int bprintf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bprintf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0)
			return -1;
		if (b->p && b->len + (size_t)n < b->cap) {
			b->len += (size_t)n;
			return 0;
		}
		{
			size_t cap = (b->cap + (size_t)n + 1) * 2;
			char *p = realloc(b->p, cap);

			if (!p)
				return -1;
			b->p = p;
			b->cap = cap;
		}
	}
}

/* A field as RFC 4180 wants it: quoted when it holds a comma or a quote (CPU lists do). */
static const char *quoted(const char *s, char *buf, size_t len)
{
	size_t n = 0;

	if (!strpbrk(s, ",\"\n"))
		return s;
	buf[n++] = '"';
	for (; *s && n + 3 < len; s++) {
		if (*s == '"')
			buf[n++] = '"';
		buf[n++] = *s;
	}
	buf[n++] = '"';
	buf[n] = '\0';
	return buf;
}

static bool same_point(const struct point *pt, char **row, const int *kc)
{
	for (int k = 0; k < NKEYS; k++)
		if (strcmp(pt->key[k], key_of(row, kc, k)))
			return false;
	return true;
}

static const struct point *find(const struct point *pts, int n, const char *size, const char *vcpus,
				const char *mode)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(pts[i].key[1], size) && !strcmp(pts[i].key[3], vcpus) &&
		    !strcmp(pts[i].key[2], mode))
			return &pts[i];
	return NULL;
}

static int metric_index(const char *name)
{
	for (int m = 0; m < NMETRICS; m++)
		if (!strcmp(metrics[m].name, name))
			return m;
	return -1;
}

static double med(const struct point *pt, const char *metric)
{
	int m = metric_index(metric);

	return pt && m >= 0 && pt->have[m] ? pt->s[m].median : -1;
}

static double gibps(double bytes, double ns)
{
	return bytes > 0 && ns > 0 ? bytes / (double)PVB_GIB / (ns / 1e9) : 0;
}

/* The protected-guest commands (pv backends), when the run has them. */
static void print_pv_table(FILE *out, const struct point *pts, int n)
{
	int e = metric_index("enable"), f = metric_index("fallback");
	bool any = false;

	for (int i = 0; i < n; i++)
		any |= pts[i].have[e];
	if (!any)
		return;
	fprintf(out,
		"\nProtected-guest commands, medians in ms (fallback: PREPARE refused, "
		"DISABLE instead):\n%-6s %-5s %-12s %4s %10s %10s %10s %10s %10s %9s\n",
		"size", "vcpus", "mode", "n", "prepare", "disable", "perform", "enable",
		"fallbacks", "exports");
	for (int i = 0; i < n; i++) {
		const struct point *pt = &pts[i];
		const char *cols[] = { "prepare", "disable", "perform", "enable" };
		char size[32], fb[32] = "-";

		if (!pt->have[e])
			continue;
		pvb_format_size(strtoull(pt->key[1], NULL, 10), size, sizeof(size));
		fprintf(out, "%-6s %-5s %-12s %4zu", size, pt->key[3], pt->key[2], pt->s[e].n);
		for (int c = 0; c < 4; c++) {
			double v = med(pt, cols[c]);

			if (v < 0)
				fprintf(out, " %10s", "-");
			else
				fprintf(out, " %10.3f", v / 1e6);
		}
		if (pt->have[f])
			snprintf(fb, sizeof(fb), "%.0f/%zu", pt->s[f].mean * (double)pt->s[f].n,
				 pt->s[f].n);
		fprintf(out, " %10s", fb);
		if (med(pt, "exports") >= 0)
			fprintf(out, " %9.0f\n", med(pt, "exports"));
		else
			fprintf(out, " %9s\n", "-");
	}
}

/* What sets the point apart beyond size, vCPUs and mode (sweeps), and the end of the line. */
static void print_variant(FILE *out, const struct point *pt)
{
	fprintf(out, " %s", pt->key[7]);
	for (int k = 8; k < NKEYS; k++)
		if (strcmp(pt->key[k], key_defaults[k]))
			fprintf(out, " %s=%s", key_cols[k], pt->key[k]);
	fprintf(out, "\n");
}

static void print_table(FILE *out, const struct point *pts, int n)
{
	const char *backend = n ? pts[0].key[0] : "?";

	fprintf(out,
		"\npvbench reboot, backend %s: medians over the measured iterations "
		"[p5, p95], times in ms\n",
		backend);
	if (!strcmp(backend, "kvm"))
		fprintf(out, "(x86 KVM guests on this host: not z16 Secure Execution figures)\n");
	if (!strcmp(backend, "pv-emulated"))
		fprintf(out,
			"(pv-emulated: an executable MODEL of the kernel and Ultravisor; its "
			"per-operation costs are parameters (meta.json), not z16 measurements)\n");
	fprintf(out, "%-6s %-5s %-12s %4s  %-26s %9s %8s %8s %10s %9s %9s %9s %8s\n", "size",
		"vcpus", "mode", "n", "reboot", "teardown", "create", "start", "populate",
		"cleanup", "clean-cpu", "scrub", "mem-back  variant");
	for (int i = 0; i < n; i++) {
		const struct point *pt = &pts[i];
		int r = metric_index("reboot");
		char size[32], rb[64];

		if (!strcmp(pt->key[2], "host") || !pt->have[r])
			continue;
		pvb_format_size(strtoull(pt->key[1], NULL, 10), size, sizeof(size));
		snprintf(rb, sizeof(rb), "%.3f [%.3f, %.3f]", pt->s[r].median / 1e6,
			 pt->s[r].p5 / 1e6, pt->s[r].p95 / 1e6);
		fprintf(out, "%-6s %-5s %-12s %4zu  %-26s", size, pt->key[3], pt->key[2],
			pt->s[r].n, rb);
		{
			const char *cols[] = { "teardown", "create",	  "start", "populate",
					       "cleanup",  "cleanup_cpu", "scrub", "memory_back" };
			const int w[] = { 9, 8, 8, 10, 9, 9, 9, 8 };

			for (int c = 0; c < 8; c++) {
				double v = med(pt, cols[c]);

				if (v < 0)
					fprintf(out, " %*s", w[c], "-");
				else
					fprintf(out, " %*.3f", w[c], v / 1e6);
			}
		}
		fprintf(out, " ");
		print_variant(out, pt);
	}

	print_pv_table(out, pts, n);
	fprintf(out, "\nRates (GiB/s, from medians) and ratios:\n");
	for (int i = 0; i < n; i++) {
		const struct point *pt = &pts[i], *host, *fl, *sy, *fll;
		double pop = med(pt, "populated");
		char size[32];

		if (strcmp(pt->key[2], "sync") && strcmp(pt->key[2], "async"))
			continue;
		pvb_format_size(strtoull(pt->key[1], NULL, 10), size, sizeof(size));
		host = find(pts, n, pt->key[1], "1", "host");
		fl = find(pts, n, pt->key[1], pt->key[3], "floor");
		fll = find(pts, n, pt->key[1], pt->key[3], "floor_loaded");
		sy = find(pts, n, pt->key[1], pt->key[3], "sync");
		fprintf(out, "  %-6s x%-3s %-12s populate %6.2f", size, pt->key[3], pt->key[2],
			gibps(pop, med(pt, "populate")));
		if (med(pt, "cleanup") > 0) /* none: every reboot's guest reaped by a fallback */
			fprintf(out, " | cleanup %6.2f (cpu %6.2f)", gibps(pop, med(pt, "cleanup")),
				gibps(pop, med(pt, "cleanup_cpu")));
		if (host)
			fprintf(out, " | host: first touch %6.2f, munmap %6.2f, memset %6.2f",
				gibps(med(host, "populated"), med(host, "host_touch")),
				gibps(med(host, "populated"), med(host, "host_munmap")),
				gibps(med(host, "populated"), med(host, "host_memset")));
		if (fl && med(fl, "reboot") > 0)
			fprintf(out, " | reboot/floor %.2f", med(pt, "reboot") / med(fl, "reboot"));
		if (fll && med(fll, "reboot") > 0)
			fprintf(out, " | reboot/floor_loaded %.2f",
				med(pt, "reboot") / med(fll, "reboot"));
		if (!strcmp(pt->key[2], "async") && sy && med(sy, "cleanup_cpu") > 0 &&
		    med(pt, "cleanup_cpu") > 0)
			fprintf(out, " | cleanup cpu async/sync %.2f",
				med(pt, "cleanup_cpu") / med(sy, "cleanup_cpu"));
		if (host && med(pt, "scrub") > 0)
			fprintf(out, " | scrub/memset speed %.2f",
				med(host, "host_memset") / med(pt, "scrub"));
		fprintf(out, "\n");
	}
}

/* A run's iterations.csv, its points and what is computed from them. */
struct run {
	struct pvb_table t;
	int kc[NKEYS], mc[NMETRICS];
	struct point *pts;
	int npts;
	double *vals, *vals2; /* scratch: one metric's values of one point, nrows each */
	struct speedup *sp;
	int nsp;
};

/* The summary has no host key: rows of several hosts (a merged set) are not pooled. */
static bool several_hosts(const struct pvb_table *t)
{
	int hc = pvb_table_col(t, "host");

	for (int r = 2; hc >= 0 && r < t->nrows; r++)
		if (strcmp(t->rows[r][hc], t->rows[1][hc]))
			return true;
	return false;
}

static int load(struct run *run, const char *dir)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/iterations.csv", dir);
	if (pvb_csv_read(path, &run->t) < 0)
		return PVB_EXIT_USAGE;
	for (int k = 0; k < NKEYS; k++)
		if ((run->kc[k] = pvb_table_col(&run->t, key_cols[k])) < 0 && k < NKEYS_REQUIRED) {
			pvb_err("%s: no column %s (not a pvbench reboot run?)", path, key_cols[k]);
			return PVB_EXIT_USAGE;
		}
	for (int m = 0; m < NMETRICS; m++)
		run->mc[m] = pvb_table_col(&run->t, metrics[m].col);
	if (several_hosts(&run->t)) {
		pvb_err("%s: rows of several hosts (a merged set?): summarize each HOST/RUN_ID of "
			"it; pvbench report keys points by host",
			path);
		return PVB_EXIT_USAGE;
	}
	run->pts = calloc((size_t)run->t.nrows + 1, sizeof(*run->pts));
	run->vals = calloc((size_t)run->t.nrows + 1, sizeof(*run->vals));
	run->vals2 = calloc((size_t)run->t.nrows + 1, sizeof(*run->vals2));
	run->sp = calloc((size_t)run->t.nrows + 1, sizeof(*run->sp));
	if (!run->pts || !run->vals || !run->vals2 || !run->sp) {
		pvb_err("out of memory summarising %s", path);
		return PVB_EXIT_FAIL;
	}
	return 0;
}

/* The values of metric m at point pt, into vals; returns how many. */
static size_t collect(const struct run *run, const struct point *pt, int m, double *vals)
{
	const struct pvb_table *t = &run->t;
	size_t n = 0;

	if (run->mc[m] < 0)
		return 0;
	for (int r = 1; r < t->nrows; r++)
		if (same_point(pt, t->rows[r], run->kc) && t->rows[r][run->mc[m]][0])
			vals[n++] = strtod(t->rows[r][run->mc[m]], NULL);
	return n;
}

/* The distinct points, in order of first appearance, each metric summarised. */
static void find_points(struct run *run)
{
	const struct pvb_table *t = &run->t;

	for (int r = 1; r < t->nrows; r++) {
		struct point *pt = &run->pts[run->npts];
		bool seen = false;

		for (int i = 0; i < run->npts && !seen; i++)
			seen = same_point(&run->pts[i], t->rows[r], run->kc);
		if (seen)
			continue;
		for (int k = 0; k < NKEYS; k++)
			pt->key[k] = key_of(t->rows[r], run->kc, k);
		run->npts++;
	}
	for (int i = 0; i < run->npts; i++)
		for (int m = 0; m < NMETRICS; m++) {
			size_t n = collect(run, &run->pts[i], m, run->vals);

			run->pts[i].have[m] = pvb_summarize(run->vals, n, &run->pts[i].s[m]) == 0;
		}
}

/* A CI field: empty when there is no 95 % interval (n < 6), never [min, max] instead. */
static const char *ci_field(const struct pvb_summary *s, double v, int decimals, char *buf,
			    size_t len)
{
	if (!s->ci95_ok)
		return "";
	snprintf(buf, len, "%.*f", decimals, v);
	return buf;
}

static int summary_row(struct buf *b, const struct point *pt, int m)
{
	const struct pvb_summary *s = &pt->s[m];
	char qb[NKEYS][600], lo[64], hi[64], cov[32];
	const char *k[NKEYS];
	/* ratios keep their decimals; ns and bytes are whole */
	int d = strcmp(metrics[m].unit, "ratio") ? 0 : 4;

	for (int j = 0; j < NKEYS; j++)
		k[j] = quoted(pt->key[j], qb[j], sizeof(qb[j]));
	return bprintf(b,
		       "%s,%s,%s,%s,%zu,%.*f,%.*f,%.*f,%.*f,%.*f,%.*f,%.*f,%.*f,"
		       "%.*f,%.4f,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n",
		       k[0], k[1], k[2], metrics[m].name, s->n, d, s->median, d, s->p5, d, s->p25,
		       d, s->p75, d, s->p95, d, s->min, d, s->max, d, s->mean, d, s->stdev, s->cov,
		       ci_field(s, s->ci95_lo, d, lo, sizeof(lo)),
		       ci_field(s, s->ci95_hi, d, hi, sizeof(hi)), k[3], k[4], k[5], k[6],
		       metrics[m].unit, k[7], k[8], k[9], k[10], k[11],
		       ci_field(s, s->ci95_coverage, 4, cov, sizeof(cov)));
}

/* The header line of a CSV into b. */
static int csv_header(struct buf *b, const char *const *cols, size_t ncols)
{
	for (size_t c = 0; c < ncols; c++)
		if (bprintf(b, "%s%s", c ? "," : "", cols[c]))
			return -1;
	return bprintf(b, "\n");
}

/* b, when complete (ok), into DIR/name atomically; b is freed either way. */
static int csv_finish(struct buf *b, bool ok, const char *dir, const char *name)
{
	char path[4200];
	int rc = -1;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!ok)
		pvb_err("out of memory writing %s", path);
	else
		rc = pvb_write_file_atomic(path, b->p, b->len);
	free(b->p);
	return rc;
}

static int write_summary_csv(const struct run *run, const char *dir)
{
	struct buf b = { 0 };
	bool ok = !csv_header(&b, summary_cols, sizeof(summary_cols) / sizeof(summary_cols[0]));

	for (int i = 0; i < run->npts && ok; i++)
		for (int m = 0; m < NMETRICS && ok; m++)
			ok = !run->pts[i].have[m] || !summary_row(&b, &run->pts[i], m);
	return csv_finish(&b, ok, dir, "summary.csv");
}

/* The async point with the same key as sync point i but its mode, or -1. */
static int async_twin(const struct run *run, int i)
{
	for (int j = 0; j < run->npts; j++) {
		bool same = !strcmp(run->pts[j].key[2], "async");

		for (int k = 0; k < NKEYS && same; k++)
			same = k == 2 || !strcmp(run->pts[i].key[k], run->pts[j].key[k]);
		if (same)
			return j;
	}
	return -1;
}

/* speedup = median(sync reboot) / median(async reboot) per point with both, and its
 * bootstrap CI when both samples have at least PVB_BOOT_MIN_N values. */
static void find_speedups(struct run *run)
{
	int r = metric_index("reboot");

	for (int i = 0; i < run->npts; i++) {
		struct speedup *sp = &run->sp[run->nsp];
		size_t ns, na;
		double ratio;

		if (strcmp(run->pts[i].key[2], "sync") || !run->pts[i].have[r])
			continue;
		sp->sync = i;
		sp->async = async_twin(run, i);
		if (sp->async < 0 || !run->pts[sp->async].have[r])
			continue;
		run->nsp++;
		sp->ratio_ok = run->pts[sp->async].s[r].median != 0;
		if (sp->ratio_ok)
			sp->ratio = run->pts[i].s[r].median / run->pts[sp->async].s[r].median;
		ns = collect(run, &run->pts[i], r, run->vals);
		na = collect(run, &run->pts[sp->async], r, run->vals2);
		sp->ci_ok = sp->ratio_ok && ns >= PVB_BOOT_MIN_N && na >= PVB_BOOT_MIN_N &&
			    pvb_bootstrap_ratio(run->vals, ns, run->vals2, na, PVB_BOOT_RESAMPLES,
						PVB_BOOT_SEED, 0.95, &ratio, &sp->lo, &sp->hi) == 0;
	}
}

static int speedup_row(struct buf *b, const struct run *run, const struct speedup *sp)
{
	const struct point *sy = &run->pts[sp->sync], *as = &run->pts[sp->async];
	int r = metric_index("reboot");
	char qb[600], ratio[64] = "", lo[64] = "", hi[64] = "";

	for (int k = 0; k < NKEYS; k++)
		if (k != 2 && bprintf(b, "%s,", quoted(sy->key[k], qb, sizeof(qb))))
			return -1;
	if (sp->ratio_ok)
		snprintf(ratio, sizeof(ratio), "%.4f", sp->ratio);
	if (sp->ci_ok) {
		snprintf(lo, sizeof(lo), "%.4f", sp->lo);
		snprintf(hi, sizeof(hi), "%.4f", sp->hi);
	}
	return bprintf(b, "%zu,%zu,%.0f,%.0f,%s,%s,%s,%d,%d\n", sy->s[r].n, as->s[r].n,
		       sy->s[r].median, as->s[r].median, ratio, lo, hi, PVB_BOOT_RESAMPLES,
		       PVB_BOOT_SEED);
}

static int write_speedup_csv(const struct run *run, const char *dir)
{
	struct buf b = { 0 };
	bool ok = !csv_header(&b, speedup_cols, sizeof(speedup_cols) / sizeof(speedup_cols[0]));

	for (int i = 0; i < run->nsp && ok; i++)
		ok = !speedup_row(&b, run, &run->sp[i]);
	return csv_finish(&b, ok, dir, "speedup.csv");
}

/* summary.json: the figures of summary.csv and speedup.csv, one object per point (its key,
 * then per metric its statistics) and per speedup; null where the CSV has an empty field. */
static json_t *num_or_null(bool ok, double v)
{
	return ok && isfinite(v) ? json_real(v) : json_null();
}

static json_t *point_key_json(const struct point *pt, bool with_mode)
{
	json_t *o = json_object();

	for (int k = 0; o && k < NKEYS; k++)
		if ((k != 2 || with_mode) &&
		    json_object_set_new(o, key_cols[k], json_string(pt->key[k])))
			return json_decref(o), NULL;
	return o;
}

static json_t *metric_json(const struct pvb_summary *s, const char *unit)
{
	return json_pack("{s:s,s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "unit",
			 unit, "n", (json_int_t)s->n, "median", json_real(s->median), "p5",
			 json_real(s->p5), "p25", json_real(s->p25), "p75", json_real(s->p75),
			 "p95", json_real(s->p95), "min", json_real(s->min), "max",
			 json_real(s->max), "mean", json_real(s->mean), "stdev",
			 json_real(s->stdev), "cov", json_real(s->cov), "ci95_lo",
			 num_or_null(s->ci95_ok, s->ci95_lo), "ci95_hi",
			 num_or_null(s->ci95_ok, s->ci95_hi), "ci95_coverage",
			 num_or_null(s->ci95_ok, s->ci95_coverage));
}

static json_t *speedup_json(const struct run *run, const struct speedup *sp)
{
	const struct point *sy = &run->pts[sp->sync], *as = &run->pts[sp->async];
	int r = metric_index("reboot");
	json_t *o = point_key_json(sy, false);

	if (!o || json_object_update_new(
			  o, json_pack("{s:I,s:I,s:o,s:o,s:o,s:o,s:o,s:i,s:i}", "n_sync",
				       (json_int_t)sy->s[r].n, "n_async", (json_int_t)as->s[r].n,
				       "sync_median_ns", json_real(sy->s[r].median),
				       "async_median_ns", json_real(as->s[r].median), "speedup",
				       num_or_null(sp->ratio_ok, sp->ratio), "speedup_ci95_lo",
				       num_or_null(sp->ci_ok, sp->lo), "speedup_ci95_hi",
				       num_or_null(sp->ci_ok, sp->hi), "resamples",
				       PVB_BOOT_RESAMPLES, "seed", PVB_BOOT_SEED)))
		return json_decref(o), NULL;
	return o;
}

static int write_summary_json(const struct run *run, const char *dir)
{
	json_t *doc = json_pack("{s:i,s:[],s:[]}", "schema_version", PVB_SCHEMA_VERSION, "points",
				"speedups");
	json_t *pts = json_object_get(doc, "points"), *sps = json_object_get(doc, "speedups");
	char path[4200];
	bool ok = doc != NULL;
	int rc = -1;

	for (int i = 0; i < run->npts && ok; i++) {
		json_t *pt = point_key_json(&run->pts[i], true), *ms = json_object();

		for (int m = 0; m < NMETRICS && pt && ms; m++)
			if (run->pts[i].have[m] &&
			    json_object_set_new(ms, metrics[m].name,
						metric_json(&run->pts[i].s[m], metrics[m].unit)))
				ok = false;
		ok = ok && pt && ms && !json_object_set(pt, "metrics", ms) &&
		     !json_array_append(pts, pt);
		json_decref(pt);
		json_decref(ms);
	}
	for (int i = 0; i < run->nsp && ok; i++)
		ok = !json_array_append_new(sps, speedup_json(run, &run->sp[i]));
	snprintf(path, sizeof(path), "%s/summary.json", dir);
	if (!ok)
		pvb_err("out of memory writing %s", path);
	else
		rc = pvb_write_json_atomic(path, doc);
	json_decref(doc);
	return rc;
}

static void print_speedups(FILE *out, const struct run *run)
{
	if (!run->nsp)
		return;
	fprintf(out,
		"\nSpeedup sync/async of the reboot medians, 95 %% CI: percentile bootstrap "
		"(%d resamples, seed %d; none below n = %d):\n",
		PVB_BOOT_RESAMPLES, PVB_BOOT_SEED, PVB_BOOT_MIN_N);
	for (int i = 0; i < run->nsp; i++) {
		const struct speedup *sp = &run->sp[i];
		const struct point *pt = &run->pts[sp->sync];
		int r = metric_index("reboot");
		char size[32], ci[96];

		pvb_format_size(strtoull(pt->key[1], NULL, 10), size, sizeof(size));
		if (sp->ci_ok)
			snprintf(ci, sizeof(ci), "[%.2f, %.2f]", sp->lo, sp->hi);
		else
			snprintf(ci, sizeof(ci), "(n too small for a 95 %% interval)");
		fprintf(out, "  %-6s x%-3s %8.2f %-14s  n %zu/%zu ", size, pt->key[3],
			sp->ratio_ok ? sp->ratio : NAN, ci, pt->s[r].n, run->pts[sp->async].s[r].n);
		print_variant(out, pt);
	}
}

int pvb_summary_write(const char *dir, FILE *out)
{
	struct run run = { 0 };
	int rc = load(&run, dir);

	if (rc)
		goto out;
	find_points(&run);
	find_speedups(&run);
	rc = PVB_EXIT_FAIL;
	if (write_summary_csv(&run, dir) || write_speedup_csv(&run, dir) ||
	    write_summary_json(&run, dir))
		goto out;
	if (out) {
		print_table(out, run.pts, run.npts);
		print_speedups(out, &run);
	}
	rc = 0;
out:
	free(run.pts);
	free(run.vals);
	free(run.vals2);
	free(run.sp);
	pvb_table_free(&run.t);
	return rc;
}

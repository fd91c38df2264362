/* Fitting the pv-emulated per-operation costs to a real `pv` run, so that the model's
 * projections follow the machine measured: DISABLE and populate times over the pages
 * written (sync reboots), less what the host itself spends per page (host reference rows),
 * and the median ENABLE..VERIFY. calibrate.h says which cost comes from which figure. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate.h"
#include "pvbench.h"
#include "pvem.h"
#include "report/results.h"
#include "report/stats.h"

/* The run's figures, one entry a row. */
struct samples {
	double *pages, *disable, *populate; /* sync reboots */
	double *enable;			    /* every reboot */
	double *zero, *touch;		    /* host rows, per page */
	/* touch has room after its own entries for a copy of pages: linfit groups x in place */
	int nd, np, ne, nh;
};

/* The columns of iterations.csv read (-1: absent). */
struct cols {
	int backend, mode, populated, disable, populate, enable, touch, memset, vcpus;
};

static double median_of(double *v, int n);

/* Replace the points by one per distinct x, the median of its y (in place): a reboot
 * disturbed by the host moves the fit less. Returns the new count. */
static int group_medians(double *x, double *y, int n)
{
	double *tmp = malloc(sizeof(double) * (size_t)(n ? n : 1));
	int m = 0;

	if (!tmp)
		return n;
	for (int i = 0; i < n; i++) {
		int k = 0, seen = 0;

		for (int j = 0; j < m; j++)
			seen |= x[j] == x[i];
		if (seen)
			continue;
		for (int j = i; j < n; j++)
			if (x[j] == x[i])
				tmp[k++] = y[j];
		x[m] = x[i];
		y[m++] = median_of(tmp, k);
	}
	free(tmp);
	return m;
}

/* Least squares y = slope x + icept over the per-x medians; with one distinct x, the line
 * through the origin. */
static int linfit(double *x, double *y, int n, struct pvem_fit *f)
{
	double sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0, d;

	memset(f, 0, sizeof(*f));
	f->n = n;
	n = group_medians(x, y, n);
	if (n < 1)
		return -1;
	for (int i = 0; i < n; i++) {
		sx += x[i];
		sy += y[i];
		sxx += x[i] * x[i];
		sxy += x[i] * y[i];
		syy += y[i] * y[i];
	}
	d = n * sxx - sx * sx;
	if (n < 2 || fabs(d) < 1e-9 * sxx * n) {
		if (sxx <= 0)
			return -1;
		f->slope = sxy / sxx;
		f->r2 = NAN;
		return 0;
	}
	f->slope = (n * sxy - sx * sy) / d;
	f->icept = (sy - f->slope * sx) / n;
	{
		double ssr = 0, mean = sy / n, sst = syy - n * mean * mean;

		for (int i = 0; i < n; i++) {
			double e = y[i] - (f->slope * x[i] + f->icept);

			ssr += e * e;
		}
		f->r2 = sst > 0 ? 1 - ssr / sst : NAN;
	}
	return 0;
}

static double median_of(double *v, int n)
{
	struct pvb_summary s;

	if (n < 1 || pvb_summarize(v, (size_t)n, &s))
		return NAN;
	return s.median;
}

static double num(char **row, int c)
{
	return c >= 0 && row[c][0] ? strtod(row[c], NULL) : NAN;
}

static int cols_find(const struct pvb_table *t, struct cols *c)
{
	c->backend = pvb_table_col(t, "backend");
	c->mode = pvb_table_col(t, "mode");
	c->populated = pvb_table_col(t, "populated_bytes");
	c->disable = pvb_table_col(t, "disable_ns");
	c->populate = pvb_table_col(t, "populate_ns");
	c->enable = pvb_table_col(t, "enable_ns");
	c->touch = pvb_table_col(t, "host_touch_ns");
	c->memset = pvb_table_col(t, "host_memset_ns");
	c->vcpus = pvb_table_col(t, "vcpus");
	return c->backend < 0 || c->mode < 0 || c->populated < 0 || c->disable < 0 ||
			       c->enable < 0 ?
		       -1 :
		       0;
}

static void samples_free(struct samples *sm)
{
	free(sm->pages);
	free(sm->disable);
	free(sm->populate);
	free(sm->enable);
	free(sm->zero);
	free(sm->touch);
}

static int samples_alloc(struct samples *sm, int n)
{
	memset(sm, 0, sizeof(*sm));
	sm->pages = calloc((size_t)n, sizeof(double));
	sm->disable = calloc((size_t)n, sizeof(double));
	sm->populate = calloc((size_t)n, sizeof(double));
	sm->enable = calloc((size_t)n, sizeof(double));
	sm->zero = calloc((size_t)n, sizeof(double));
	sm->touch = calloc((size_t)n * 2, sizeof(double));
	if (sm->pages && sm->disable && sm->populate && sm->enable && sm->zero && sm->touch)
		return 0;
	samples_free(sm);
	return -1;
}

/* One row of iterations.csv into the samples (and the run's backend and vCPUs). */
static void sample_row(char **row, const struct cols *c, struct samples *sm,
		       struct pvem_calibration *cal)
{
	double pages = num(row, c->populated) / 4096;

	if (!cal->backend[0])
		snprintf(cal->backend, sizeof(cal->backend), "%s", row[c->backend]);
	if (!strcmp(row[c->mode], "host")) {
		if (pages > 0 && num(row, c->memset) > 0) {
			sm->zero[sm->nh] = num(row, c->memset) / pages;
			sm->touch[sm->nh++] = num(row, c->touch) / pages;
		}
		return;
	}
	if (num(row, c->enable) > 0)
		sm->enable[sm->ne++] = num(row, c->enable);
	if (c->vcpus >= 0 && num(row, c->vcpus) > 0)
		cal->vcpus = (int)num(row, c->vcpus);
	if (strcmp(row[c->mode], "sync") || !(pages > 0))
		return;
	if (num(row, c->disable) > 0) {
		sm->pages[sm->nd] = pages;
		sm->disable[sm->nd++] = num(row, c->disable);
	}
	if (c->populate >= 0 && num(row, c->populate) > 0)
		sm->populate[sm->np++] = num(row, c->populate);
}

/* The fit proper, once the samples are known to be enough. */
static int fit_samples(const char *dir, struct samples *sm, struct pvem_calibration *cal)
{
	double *pages_copy = sm->touch + sm->nh;

	cal->zero_page_ns = median_of(sm->zero, sm->nh);
	cal->touch_page_ns = median_of(sm->touch, sm->nh);
	memcpy(pages_copy, sm->pages, sizeof(double) * (size_t)sm->nd);
	if (linfit(sm->pages, sm->disable, sm->nd, &cal->destroy) ||
	    linfit(pages_copy, sm->populate, sm->np, &cal->import)) {
		pvb_err("%s: the sync rows do not determine a fit", dir);
		return PVB_EXIT_USAGE;
	}
	cal->enable_ns = median_of(sm->enable, sm->ne);
	cal->n_enable = sm->ne;
	return 0;
}

static int check_samples(const char *dir, bool from_model, const struct samples *sm,
			 const struct pvem_calibration *cal)
{
	if (strcmp(cal->backend, "pv") && !(from_model && !strcmp(cal->backend, "pv-emulated"))) {
		pvb_err("%s is a '%s' run: calibrate fits the model to a real pv run (give "
			"--from-model to check the fit on a pv-emulated run)",
			dir, cal->backend);
		return PVB_EXIT_USAGE;
	}
	if (sm->nd < 2 || sm->np != sm->nd || sm->nh < 1) {
		pvb_err("%s: needs sync reboots (disable_ns, populate_ns) and host reference rows: "
			"run pvbench reboot --backend pv --mode sync,async with two or more sizes",
			dir);
		return PVB_EXIT_USAGE;
	}
	return 0;
}

int pvem_calibrate_fit(const char *dir, bool from_model, struct pvem_calibration *cal)
{
	struct pvb_table t;
	struct samples sm;
	struct cols c;
	char path[4200];
	int rc;

	memset(cal, 0, sizeof(*cal));
	cal->vcpus = 1;
	snprintf(path, sizeof(path), "%s/iterations.csv", dir);
	if (pvb_csv_read(path, &t) < 0) {
		pvb_err("%s has no readable iterations.csv: give the directory of a pvbench reboot "
			"--backend pv run",
			dir);
		return PVB_EXIT_USAGE;
	}
	if (cols_find(&t, &c) || t.nrows < 2) {
		pvb_err("%s: not a pv run of this pvbench (no disable_ns/enable_ns columns)", path);
		pvb_table_free(&t);
		return PVB_EXIT_USAGE;
	}
	if (samples_alloc(&sm, t.nrows)) {
		pvb_err("out of memory");
		pvb_table_free(&t);
		return PVB_EXIT_FAIL;
	}
	for (int i = 1; i < t.nrows; i++)
		sample_row(t.rows[i], &c, &sm, cal);
	rc = check_samples(dir, from_model, &sm, cal);
	if (!rc)
		rc = fit_samples(dir, &sm, cal);
	samples_free(&sm);
	pvb_table_free(&t);
	return rc;
}

static uint64_t at_least_0(double ns)
{
	return (uint64_t)fmax(0, llround(ns));
}

void pvem_calibrate_apply(const struct pvem_calibration *cal, struct pvem_settings *s)
{
	s->c.destroy_page_ns = at_least_0(cal->destroy.slope - cal->zero_page_ns);
	s->c.destroy_config_ns =
		at_least_0(cal->destroy.icept - (double)s->c.destroy_cpu_ns * cal->vcpus);
	s->c.import_ns = at_least_0(cal->import.slope - cal->touch_page_ns);
	if (!isnan(cal->enable_ns))
		s->c.create_config_ns = at_least_0(
			cal->enable_ns - (double)(s->c.set_sec_parms_ns + s->c.verify_ns +
						  s->c.create_cpu_ns * (uint64_t)cal->vcpus));
}

void pvem_calibrate_comment(const struct pvem_calibration *cal, const char *dir, bool from_model,
			    const char *base, char *buf, size_t len)
{
	snprintf(buf, len,
		 "fitted by pvbench calibrate from %s (backend %s%s)\n"
		 "destroy: %d sync reboots (fit over per-size medians), DISABLE ns = %.1f/page + "
		 "%.0f, R^2 %.4f; host zeroing "
		 "%.1f ns/page subtracted\n"
		 "import: populate ns = %.1f/page + %.0f, R^2 %.4f; host first touch %.1f ns/page "
		 "subtracted\n"
		 "create_config: median ENABLE..VERIFY %.0f ns over %d guests, less set_sec_parms, "
		 "verify, create_cpu\n"
		 "kept from %s: export_ns unpack_page_ns create_cpu_ns destroy_cpu_ns "
		 "set_sec_parms_ns verify_ns, and the features",
		 dir, cal->backend, from_model ? ", a self-check of the fit on the model" : "",
		 cal->destroy.n, cal->destroy.slope, cal->destroy.icept, cal->destroy.r2,
		 cal->zero_page_ns, cal->import.slope, cal->import.icept, cal->import.r2,
		 cal->touch_page_ns, cal->enable_ns, cal->n_enable,
		 base ? base : "the documented defaults");
}

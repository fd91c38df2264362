/* The planner's models: per mode and figure, the median of every measured size with its exact
 * 95 % CI, interpolated between sizes, and a least squares line against size for the sizes
 * beyond them (up to PVB_PLAN_REACH times the measured range, the interval widened). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "parse.h"
#include "plan.h"
#include "pvbench.h"
#include "stats.h"

const char *const pvb_plan_metric_cols[PVB_PM_N] = {
	"reboot_ns",	    "cleanup_ns",     "cleanup_cpu_ns",
	"cleanup_start_ns", "peak_rss_bytes", "interference",
};

static int cmp_pt(const void *a, const void *b)
{
	const struct pvb_plan_pt *x = a, *y = b;

	return (x->size > y->size) - (x->size < y->size);
}

static void fit_line(struct pvb_plan_fit *f)
{
	double sx = 0, sy = 0, sxx = 0, sxy = 0, ssr = 0, k = (double)f->k;

	f->resid_sd = NAN;
	if (f->k == 1) {
		f->a = 0;
		f->b = f->pt[0].median / f->pt[0].size;
		return;
	}
	for (size_t i = 0; i < f->k; i++) {
		sx += f->pt[i].size;
		sy += f->pt[i].median;
	}
	for (size_t i = 0; i < f->k; i++) {
		double dx = f->pt[i].size - sx / k;

		sxx += dx * dx;
		sxy += dx * (f->pt[i].median - sy / k);
	}
	f->b = sxy / sxx;
	f->a = sy / k - f->b * sx / k;
	for (size_t i = 0; f->k > 2 && i < f->k; i++) {
		double r = f->pt[i].median - (f->a + f->b * f->pt[i].size);

		ssr += r * r;
	}
	if (f->k > 2)
		f->resid_sd = sqrt(ssr / (k - 2));
}

int pvb_plan_fit_points(struct pvb_plan_fit *f, const double *sizes,
			const struct pvb_samples *const *samples, size_t k)
{
	bool flat = f->flat;

	memset(f, 0, sizeof(*f));
	f->flat = flat;
	if (k > PVB_PLAN_MAX_SIZES)
		return -1;
	for (size_t i = 0; i < k; i++) {
		struct pvb_summary s;
		struct pvb_plan_pt *p = &f->pt[i];

		if (!(sizes[i] > 0) || pvb_summarize(samples[i]->v, samples[i]->n, &s))
			return -1;
		*p = (struct pvb_plan_pt){ .size = sizes[i],
					   .n = s.n,
					   .median = s.median,
					   .lo = s.ci95_ok ? s.ci95_lo : NAN,
					   .hi = s.ci95_ok ? s.ci95_hi : NAN,
					   .p95 = s.p95 };
	}
	f->k = k;
	qsort(f->pt, k, sizeof(f->pt[0]), cmp_pt);
	for (size_t i = 1; i < k; i++)
		if (f->pt[i].size == f->pt[i - 1].size)
			return -1;
	if (k)
		fit_line(f);
	return 0;
}

static double lerp(double a, double b, double t)
{
	return a + (b - a) * t;
}

/* The half-width of the line's 95 % prediction interval at x (0 when k < 3). */
static double line_band(const struct pvb_plan_fit *f, double x)
{
	double sx = 0, sxx = 0, k = (double)f->k;

	if (f->k < 3 || !isfinite(f->resid_sd))
		return 0;
	for (size_t i = 0; i < f->k; i++)
		sx += f->pt[i].size;
	for (size_t i = 0; i < f->k; i++)
		sxx += (f->pt[i].size - sx / k) * (f->pt[i].size - sx / k);
	return gsl_cdf_tdist_Pinv(0.975, k - 2) * f->resid_sd *
	       sqrt(1 + 1 / k + (x - sx / k) * (x - sx / k) / sxx);
}

/* Beyond the measured sizes: the line (a ratio: the nearest value), the nearest size's
 * relative interval and p95 carried over, widened by the line's prediction band. */
static void extrapolate(const struct pvb_plan_fit *f, double size, struct pvb_plan_est *e)
{
	const struct pvb_plan_pt *n = size < f->pt[0].size ? &f->pt[0] : &f->pt[f->k - 1];
	double band = f->flat ? 0 : line_band(f, size);

	e->extrapolated = true;
	if (f->flat) {
		e->v = n->median;
	} else {
		e->v = f->a + f->b * size;
		if (!(e->v > 0)) /* a line through a negative intercept: proportional instead */
			e->v = n->median * size / n->size;
	}
	if (n->median > 0) {
		e->lo = e->v * n->lo / n->median - band;
		e->hi = e->v * n->hi / n->median + band;
		e->p95 = e->v * n->p95 / n->median;
	} else {
		e->lo = e->hi = NAN;
		e->p95 = e->v;
	}
	if (e->lo < 0)
		e->lo = 0;
}

int pvb_plan_predict(const struct pvb_plan_fit *f, double size, struct pvb_plan_est *e)
{
	memset(e, 0, sizeof(*e));
	if (!f->k || size < f->pt[0].size / PVB_PLAN_REACH ||
	    size > f->pt[f->k - 1].size * PVB_PLAN_REACH)
		return -1;
	if (size < f->pt[0].size || size > f->pt[f->k - 1].size) {
		extrapolate(f, size, e);
		return 0;
	}
	for (size_t i = 0; i < f->k; i++) {
		const struct pvb_plan_pt *p = &f->pt[i], *q = i + 1 < f->k ? &f->pt[i + 1] : p;
		double t;

		if (size > q->size)
			continue;
		t = q == p ? 0 : (size - p->size) / (q->size - p->size);
		e->v = lerp(p->median, q->median, t);
		e->lo = lerp(p->lo, q->lo, t); /* NAN when either has no interval */
		e->hi = lerp(p->hi, q->hi, t);
		e->p95 = lerp(p->p95, q->p95, t);
		break;
	}
	return 0;
}

int pvb_plan_peak(const struct pvb_plan_models *m, int mode, double size, struct pvb_plan_est *e)
{
	const struct pvb_plan_fit *f = &m->fit[mode][PVB_PM_PEAK];

	if (f->k)
		return pvb_plan_predict(f, size, e);
	memset(e, 0, sizeof(*e));
	e->v = e->p95 = mode == PVB_DS_ASYNC ? 2 * size : size;
	e->lo = e->hi = NAN;
	e->assumed = true;
	return 0;
}

void pvb_plan_range(const struct pvb_plan_fit *f, char *buf, size_t len)
{
	char a[32], b[32];

	if (!f->k) {
		snprintf(buf, len, "none");
		return;
	}
	pvb_format_size((uint64_t)f->pt[0].size, a, sizeof(a));
	pvb_format_size((uint64_t)f->pt[f->k - 1].size, b, sizeof(b));
	if (f->k == 1)
		snprintf(buf, len, "%s only", a);
	else
		snprintf(buf, len, "%s..%s (%zu sizes)", a, b, f->k);
}

/* Keys the model runs must share (size varies; guests, threads and placement are chosen). */
static bool shared_key(int k)
{
	return k != PVB_K_SIZE && k != PVB_K_GUESTS && k != PVB_K_CTHREADS && k != PVB_K_PLACEMENT;
}

/* The single-guest points of the chosen threads and placement, one configuration. */
static int select_points(const struct pvb_dataset *ds, unsigned cthreads, const char *placement,
			 const struct pvb_ds_point **sel, size_t *n)
{
	char ct[16];

	snprintf(ct, sizeof(ct), "%u", cthreads);
	*n = 0;
	for (size_t i = 0; i < ds->npoints; i++) {
		const struct pvb_ds_point *p = &ds->points[i];

		if (strcmp(p->key[PVB_K_GUESTS], "1") || strcmp(p->key[PVB_K_CTHREADS], ct) ||
		    strcmp(p->key[PVB_K_PLACEMENT], placement))
			continue;
		for (int k = 0; *n && k < PVB_DS_NKEYS; k++)
			if (shared_key(k) && strcmp(p->key[k], sel[0]->key[k])) {
				pvb_err("plan: the model runs mix %s '%s' and '%s': give runs of "
					"one configuration (sizes may differ)",
					pvb_ds_key_names[k], sel[0]->key[k], p->key[k]);
				return PVB_EXIT_USAGE;
			}
		if (*n == PVB_PLAN_MAX_SIZES) {
			pvb_err("plan: more than %d model sizes", PVB_PLAN_MAX_SIZES);
			return PVB_EXIT_USAGE;
		}
		sel[(*n)++] = p;
	}
	if (!*n) {
		pvb_err("plan: the model runs have no single-guest point with cleanup_threads = %u "
			"and placement %s (run pvbench reboot --guests 1 with them)",
			cthreads, placement);
		return PVB_EXIT_USAGE;
	}
	return 0;
}

static int fit_metric(struct pvb_plan_fit *f, const struct pvb_dataset *ds,
		      const struct pvb_ds_point **sel, size_t n, int mode, const char *col)
{
	const struct pvb_samples *smp[PVB_PLAN_MAX_SIZES];
	double sizes[PVB_PLAN_MAX_SIZES];
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		const struct pvb_samples *s = pvb_ds_get(ds, sel[i], (enum pvb_ds_mode)mode, col);

		if (!s)
			continue;
		sizes[k] = (double)sel[i]->size_bytes;
		smp[k++] = s;
	}
	if (pvb_plan_fit_points(f, sizes, smp, k)) {
		pvb_err("plan: fitting %s: out of memory or duplicate sizes", col);
		return PVB_EXIT_FAIL;
	}
	return 0;
}

int pvb_plan_fit_models(struct pvb_plan_models *m, const struct pvb_dataset *ds, unsigned cthreads,
			const char *placement)
{
	const struct pvb_ds_point *sel[PVB_PLAN_MAX_SIZES];
	size_t n;
	int rc;

	memset(m, 0, sizeof(*m));
	m->cthreads = cthreads;
	snprintf(m->placement, sizeof(m->placement), "%s", placement);
	if ((rc = select_points(ds, cthreads, placement, sel, &n)))
		return rc;
	m->npoints = n;
	snprintf(m->label, sizeof(m->label),
		 "%s, %s, scrub=%s, vcpus=%s, touch=%s, load=%s, mem_policy=%s, cleanup_start=%s, "
		 "cleanup_threads=%u, placement=%s",
		 sel[0]->key[PVB_K_BACKEND], sel[0]->key[PVB_K_BACKING], sel[0]->key[PVB_K_SCRUB],
		 sel[0]->key[PVB_K_VCPUS], sel[0]->key[PVB_K_TOUCH], sel[0]->key[PVB_K_LOAD],
		 sel[0]->key[PVB_K_MEMPOL], sel[0]->key[PVB_K_CSTART], cthreads, placement);
	for (int mode = PVB_DS_SYNC; mode <= PVB_DS_ASYNC; mode++)
		for (int i = 0; i < PVB_PM_N; i++) {
			m->fit[mode][i].flat = i == PVB_PM_INTF;
			if ((rc = fit_metric(&m->fit[mode][i], ds, sel, n, mode,
					     pvb_plan_metric_cols[i])))
				return rc;
		}
	return 0;
}

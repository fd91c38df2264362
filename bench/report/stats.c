/* Descriptive statistics of a sample: percentiles, spread and a CI of the median. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "stats.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double pvb_percentile_sorted(const double *sorted, size_t n, double p)
{
	double h, frac;
	size_t lo;

	if (p <= 0 || n == 1)
		return sorted[0];
	if (p >= 100)
		return sorted[n - 1];
	/* Type 7: h = (n - 1) p, interpolate between the (0-based) ranks floor(h) and +1. */
	h = (double)(n - 1) * p / 100.0;
	lo = (size_t)h;
	if (lo >= n - 1)
		return sorted[n - 1];
	frac = h - (double)lo;
	return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

int pvb_summarize(const double *values, size_t n, struct pvb_summary *out)
{
	double *x, sum = 0, ss = 0;
	size_t i, lo, hi;

	if (n == 0)
		return -1;
	x = malloc(n * sizeof(*x));
	if (!x)
		return -1;
	memcpy(x, values, n * sizeof(*x));
	qsort(x, n, sizeof(*x), cmp_double);

	memset(out, 0, sizeof(*out));
	out->n = n;
	out->min = x[0];
	out->max = x[n - 1];
	out->p5 = pvb_percentile_sorted(x, n, 5);
	out->p25 = pvb_percentile_sorted(x, n, 25);
	out->median = pvb_percentile_sorted(x, n, 50);
	out->p75 = pvb_percentile_sorted(x, n, 75);
	out->p95 = pvb_percentile_sorted(x, n, 95);

	for (i = 0; i < n; i++)
		sum += x[i];
	out->mean = sum / (double)n;
	if (n > 1) {
		for (i = 0; i < n; i++)
			ss += (x[i] - out->mean) * (x[i] - out->mean);
		out->stdev = sqrt(ss / (double)(n - 1));
	}
	out->cov = out->mean != 0 ? out->stdev / out->mean : 0;

	if (pvb_median_ci_ranks(n, 0.95, &lo, &hi, &out->ci95_coverage) == 0) {
		out->ci95_ok = true;
		out->ci95_lo = x[lo - 1];
		out->ci95_hi = x[hi - 1];
	} else {
		out->ci95_ok = false;
		out->ci95_lo = out->ci95_hi = out->ci95_coverage = NAN;
	}
	free(x);
	return 0;
}

int pvb_median_ci_ranks(size_t n, double level, size_t *lo, size_t *hi, double *coverage)
{
	size_t best = 0;
	double cov = 0;

	if (!(level > 0 && level < 1) || n == 0 || n > UINT_MAX)
		return -1;
	/* [x(j), x(n+1-j)] misses the median when fewer than j values lie below it or fewer
	 * than j above: coverage 1 - 2 P(B <= j - 1). It shrinks as j grows. */
	for (size_t j = 1; 2 * j <= n + 1; j++) {
		double c = 1.0 - 2.0 * gsl_cdf_binomial_P((unsigned)(j - 1), 0.5, (unsigned)n);

		if (c < level)
			break;
		best = j;
		cov = c;
	}
	if (!best)
		return -1;
	*lo = best;
	*hi = n + 1 - best;
	*coverage = cov;
	return 0;
}

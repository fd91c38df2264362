/* Descriptive statistics of a sample: percentiles, spread and a CI of the median. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

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
	double *x, sum = 0, ss = 0, half, z;
	long j, k;
	size_t i;

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

	/*
	 * The number of values below the median is Binomial(n, 1/2); its normal approximation
	 * gives the 1-based ranks j = floor(n/2 - 1.96 sqrt(n)/2), k = ceil(1 + n/2 + 1.96
	 * sqrt(n)/2) that bracket the median with >= 95 % probability.
	 */
	out->ci95_lo = out->min;
	out->ci95_hi = out->max;
	if (n >= 6) {
		half = (double)n / 2.0;
		z = 1.96 * sqrt((double)n) / 2.0;
		j = (long)floor(half - z);
		k = (long)ceil(1.0 + half + z);
		if (j < 1)
			j = 1;
		if (k > (long)n)
			k = (long)n;
		out->ci95_lo = x[j - 1];
		out->ci95_hi = x[k - 1];
	}
	free(x);
	return 0;
}

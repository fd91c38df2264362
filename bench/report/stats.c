/* Statistics of samples: percentiles, spread and the exact CI of the median; the seeded
 * bootstrap CI of a ratio of medians; the Mann-Whitney U test (exact or normal). */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>

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

/* The median of n values drawn with replacement from x, into scratch (n values). */
static double resample_median(const gsl_rng *r, const double *x, size_t n, double *scratch)
{
	for (size_t i = 0; i < n; i++)
		scratch[i] = x[gsl_rng_uniform_int(r, n)];
	gsl_sort(scratch, 1, n);
	return pvb_percentile_sorted(scratch, n, 50);
}

static double median_of(const double *x, size_t n, double *scratch)
{
	memcpy(scratch, x, n * sizeof(*x));
	gsl_sort(scratch, 1, n);
	return pvb_percentile_sorted(scratch, n, 50);
}

/* resamples ratios of resampled medians into ratios; -1 when a resample of b has median 0. */
static int bootstrap_ratios(const double *a, size_t na, const double *b, size_t nb,
			    unsigned resamples, uint64_t seed, double *scratch, double *ratios)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	int rc = 0;

	if (!r)
		return -1;
	gsl_rng_set(r, (unsigned long)seed);
	/* each resample draws a's na indices, then b's nb, from the one stream */
	for (unsigned i = 0; i < resamples && !rc; i++) {
		double ma = resample_median(r, a, na, scratch);
		double mb = resample_median(r, b, nb, scratch);

		if (mb == 0)
			rc = -1;
		else
			ratios[i] = ma / mb;
	}
	gsl_rng_free(r);
	return rc;
}

int pvb_bootstrap_ratio(const double *a, size_t na, const double *b, size_t nb, unsigned resamples,
			uint64_t seed, double level, double *ratio, double *lo, double *hi)
{
	double *scratch, *ratios = NULL, mb;
	int rc = -1;

	if (!na || !nb || resamples < 2000 || !(level > 0 && level < 1))
		return -1;
	scratch = malloc((na > nb ? na : nb) * sizeof(*scratch));
	ratios = malloc(resamples * sizeof(*ratios));
	if (!scratch || !ratios)
		goto out;
	mb = median_of(b, nb, scratch);
	if (mb == 0 || !isfinite(mb))
		goto out;
	*ratio = median_of(a, na, scratch) / mb;
	if (bootstrap_ratios(a, na, b, nb, resamples, seed, scratch, ratios))
		goto out;
	gsl_sort(ratios, 1, resamples);
	*lo = pvb_percentile_sorted(ratios, resamples, 100 * (1 - level) / 2);
	*hi = pvb_percentile_sorted(ratios, resamples, 100 * (1 + level) / 2);
	rc = isfinite(*ratio) && isfinite(*lo) && isfinite(*hi) ? 0 : -1;
out:
	free(scratch);
	free(ratios);
	return rc;
}

/*
 * Midranks of the pooled sample (a then b): U of a = (rank sum of a) - na (na + 1) / 2. Also
 * the tie term sum (t^3 - t) over groups of t equal values, for the variance of U.
 */
static int rank_u(const double *a, size_t na, const double *b, size_t nb, double *u, double *ties)
{
	size_t n = na + nb, *idx = malloc(n * sizeof(*idx));
	double *x = malloc(n * sizeof(*x)), ra = 0;

	if (!idx || !x) {
		free(idx);
		free(x);
		return -1;
	}
	memcpy(x, a, na * sizeof(*x));
	memcpy(x + na, b, nb * sizeof(*x));
	gsl_sort_index(idx, x, 1, n);
	*ties = 0;
	for (size_t i = 0, j; i < n; i = j) {
		double t, mid;

		for (j = i + 1; j < n && x[idx[j]] == x[idx[i]]; j++)
			;
		t = (double)(j - i);
		mid = (double)(i + 1 + j) / 2; /* the mean of 1-based ranks i + 1 .. j */
		*ties += t * t * t - t;
		for (size_t k = i; k < j; k++)
			if (idx[k] < na)
				ra += mid;
	}
	*u = ra - (double)na * (double)(na + 1) / 2;
	free(idx);
	free(x);
	return 0;
}

/*
 * The exact null distribution of U without ties: every choice of which na of the na + nb
 * pooled ranks belong to a is equally likely. dp[j][v] counts choices among ranks 1..k with
 * j ranks taken and U = v; taking rank k as a's j-th adds k - j values of b below it. Counts
 * reach C(100, 50) ~ 1e29: long double sums of positive terms, exact to about 1e-15.
 * Returns P(U <= u) and P(U >= u) for an integer u, or -1 (out of memory).
 */
static int exact_u_tails(size_t na, size_t nb, double u, double *le, double *ge)
{
	size_t w = na * nb + 1, n = na + nb;
	long double *dp = calloc((na + 1) * w, sizeof(*dp)), total = 0, below = 0, above = 0;

	if (!dp)
		return -1;
	dp[0] = 1;
	for (size_t k = 1; k <= n; k++)
		for (size_t j = k < na ? k : na; j >= 1; j--) {
			size_t add = k - j; /* b's below rank k when it is a's j-th */

			if (add > nb)
				continue;
			for (size_t v = 0; v + add < w; v++)
				dp[j * w + v + add] += dp[(j - 1) * w + v];
		}
	for (size_t v = 0; v < w; v++) {
		long double c = dp[na * w + v];

		total += c;
		if ((double)v <= u)
			below += c;
		if ((double)v >= u)
			above += c;
	}
	*le = (double)(below / total);
	*ge = (double)(above / total);
	free(dp);
	return 0;
}

int pvb_mann_whitney(const double *a, size_t na, const double *b, size_t nb, struct pvb_mwu *out)
{
	double ties, mean, var, d;

	if (!na || !nb)
		return -1;
	for (size_t i = 0; i < na + nb; i++)
		if (isnan(i < na ? a[i] : b[i - na]))
			return -1;
	if (rank_u(a, na, b, nb, &out->u, &ties))
		return -1;
	out->exact = ties == 0 && na < PVB_MWU_EXACT_MAX && nb < PVB_MWU_EXACT_MAX;
	if (out->exact) {
		double le, ge;

		if (exact_u_tails(na, nb, out->u, &le, &ge))
			return -1;
		out->p = fmin(1, 2 * fmin(le, ge));
		return 0;
	}
	/* normal approximation: Var U = na nb / 12 ((n + 1) - sum (t^3 - t) / (n (n - 1))) */
	{
		double n = (double)(na + nb);

		mean = (double)na * (double)nb / 2;
		var = (double)na * (double)nb / 12 * ((n + 1) - ties / (n * (n - 1)));
	}
	d = fabs(out->u - mean) - 0.5; /* continuity correction */
	out->p = var > 0 && d > 0 ? fmin(1, 2 * gsl_cdf_ugaussian_Q(d / sqrt(var))) : 1;
	return 0;
}

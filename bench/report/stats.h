/* Statistics of samples: percentiles and spread, the exact distribution-free CI of the median,
 * a seeded bootstrap CI of a ratio of medians, the Mann-Whitney U test. Distributions and the
 * random generator come from GSL. */
#ifndef PVB_STATS_H
#define PVB_STATS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pvb_summary {
	size_t n;
	double median, p5, p25, p75, p95, min, max;
	double mean, stdev; /* stdev: sample standard deviation (n-1); 0 when n == 1 */
	double cov;	    /* stdev / mean; 0 when mean == 0 */
	/* The exact distribution-free 95 % confidence interval of the median from order
	 * statistics (pvb_median_ci_ranks), and its exact coverage; ci95_ok is false (lo, hi
	 * and coverage NAN) when n is too small for a 95 % interval (n < 6). */
	bool ci95_ok;
	double ci95_lo, ci95_hi, ci95_coverage;
};

/*
 * The exact distribution-free confidence interval of the median from order statistics:
 * [x(lo), x(hi)] (1-based ranks of the sorted sample, hi = n + 1 - lo) for the largest lo
 * whose coverage P(lo <= B <= n - lo), B ~ Binomial(n, 1/2), is at least level (e.g. 0.95).
 * Returns 0 with the ranks and that coverage, or -1 when even [x(1), x(n)] covers less than
 * level (at 0.95: n < 6) or level is not in (0, 1).
 */
int pvb_median_ci_ranks(size_t n, double level, size_t *lo, size_t *hi, double *coverage);

/* How pvbench bootstraps every ratio of medians (speedup.csv, report, compare): resamples, a
 * fixed seed (a rerun gives the same interval), and the smallest sample on either side for
 * which an interval is given at all (below it neither median has a 95 % interval of its own,
 * and a bootstrap of so few values is rough and tends to be too narrow). */
#define PVB_BOOT_RESAMPLES 2000
#define PVB_BOOT_SEED	   9
#define PVB_BOOT_MIN_N	   6

/*
 * The ratio of medians median(a) / median(b) with a percentile bootstrap confidence interval:
 * resamples (at least 2000) pairs of resamples drawn with replacement, each sample on its
 * own, from GSL's mt19937 seeded with seed, so that a run is reproducible. level e.g. 0.95.
 * Each resample draws a's na indices, then b's nb, from the one stream; the interval is the
 * type-7 percentiles (1 - level) / 2 and (1 + level) / 2 of the resampled ratios.
 * Returns 0, or -1 (an empty sample, a zero median of b or of any resample of b, fewer than
 * 2000 resamples, level not in (0, 1), a non-finite result, out of memory).
 */
int pvb_bootstrap_ratio(const double *a, size_t na, const double *b, size_t nb, unsigned resamples,
			uint64_t seed, double level, double *ratio, double *lo, double *hi);

/*
 * The Mann-Whitney U test (two-sided) of a against b. Exact when there are no ties and both
 * samples are smaller than PVB_MWU_EXACT_MAX (R's wilcox.test rule): p = min(1, 2 min(P(U <= u),
 * P(U >= u))) from the exact null distribution of U. Otherwise the normal approximation with
 * the tie correction of the variance and a continuity correction of 1/2 (p = 1 when every
 * value is tied). Returns 0, or -1 (an empty sample, a NaN, out of memory).
 */
#define PVB_MWU_EXACT_MAX 50
struct pvb_mwu {
	double u;   /* U of sample a: pairs (x in a, y in b) with x > y, ties counting 1/2 */
	double p;   /* two-sided p-value */
	bool exact; /* p from the exact distribution of U (small samples without ties);
		       * else the normal approximation with tie and continuity correction */
};
int pvb_mann_whitney(const double *a, size_t na, const double *b, size_t nb, struct pvb_mwu *out);

/* p in [0, 100]; linear interpolation between closest ranks (Hyndman-Fan type 7, the
 * default of R and numpy). sorted must be ascending, n > 0. */
double pvb_percentile_sorted(const double *sorted, size_t n, double p);

/* Summarise n values (order not required; values is not modified).
 * Returns 0, or -1 when n == 0 or on allocation failure. */
int pvb_summarize(const double *values, size_t n, struct pvb_summary *out);

#endif

/* Descriptive statistics of a sample: percentiles, spread, a CI of the median. */
#ifndef PVB_STATS_H
#define PVB_STATS_H
#include <stddef.h>

struct pvb_summary {
	size_t n;
	double median, p5, p25, p75, p95, min, max;
	double mean, stdev; /* stdev: sample standard deviation (n-1); 0 when n == 1 */
	double cov;	    /* stdev / mean; 0 when mean == 0 */
	/* Distribution-free 95 % confidence interval of the median from order statistics
	 * (binomial ranks, normal approximation); [min, max] when n is too small. */
	double ci95_lo, ci95_hi;
};

/* p in [0, 100]; linear interpolation between closest ranks (Hyndman-Fan type 7, the
 * default of R and numpy). sorted must be ascending, n > 0. */
double pvb_percentile_sorted(const double *sorted, size_t n, double p);

/* Summarise n values (order not required; values is not modified).
 * Returns 0, or -1 when n == 0 or on allocation failure. */
int pvb_summarize(const double *values, size_t n, struct pvb_summary *out);

#endif

/* Statistics against reference values: percentiles, spread, the exact CI of the median (ranks
 * for n = 1..100 against an integer computation), Mann-Whitney U tables, the seeded bootstrap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "report/stats.h"

#define assert_near(a, b) assert_true(fabs((a) - (b)) < 1e-9)

/*
 * x = 1..10, n = 10. Type 7: h = (n - 1) p = 9p, value = x[floor h] + frac(h) * 1.
 * p5: h = 0.45 -> 1.45; p25: h = 2.25 -> 3.25; p50: h = 4.5 -> 5.5; p75: h = 6.75 -> 7.75;
 * p95: h = 8.55 -> 9.55. mean = 55 / 10 = 5.5.
 * sum (x - 5.5)^2 = 2 (0.25 + 2.25 + 6.25 + 12.25 + 20.25) = 82.5; var = 82.5 / 9 = 9.1667;
 * stdev = sqrt(9.1667) = 3.0276503540974917; cov = 3.0276503540974917 / 5.5 = 0.5504818825631803.
 * CI: exact ranks for n = 10 are [x(2), x(9)] (see test_ci_ranks_published): [2, 9], coverage
 * 1 - 2 * 11 / 1024 = 0.978515625.
 */
static void check_one_to_ten(const struct pvb_summary *s)
{
	assert_int_equal(s->n, 10);
	assert_near(s->p5, 1.45);
	assert_near(s->p25, 3.25);
	assert_near(s->median, 5.5);
	assert_near(s->p75, 7.75);
	assert_near(s->p95, 9.55);
	assert_near(s->min, 1);
	assert_near(s->max, 10);
	assert_near(s->mean, 5.5);
	assert_near(s->stdev, 3.0276503540974917);
	assert_near(s->cov, 0.5504818825631803);
	assert_true(s->ci95_ok);
	assert_near(s->ci95_lo, 2);
	assert_near(s->ci95_hi, 9);
	assert_near(s->ci95_coverage, 0.978515625);
}

static void test_one_to_ten(void **state)
{
	double v[10];
	struct pvb_summary s;

	(void)state;
	for (int i = 0; i < 10; i++)
		v[i] = i + 1;
	assert_int_equal(pvb_summarize(v, 10, &s), 0);
	check_one_to_ten(&s);
}

/* The same values shuffled give the same summary, and the input stays as it was. */
static void test_unsorted_not_modified(void **state)
{
	const double orig[10] = { 7, 2, 10, 1, 5, 9, 3, 8, 6, 4 };
	double v[10];
	struct pvb_summary s;

	(void)state;
	memcpy(v, orig, sizeof(v));
	assert_int_equal(pvb_summarize(v, 10, &s), 0);
	check_one_to_ten(&s);
	assert_memory_equal(v, orig, sizeof(v));
}

/*
 * x = 1..20, n = 20, h = 19p.
 * p5: h = 0.95 -> 1.95; p25: h = 4.75 -> 5.75; p50: h = 9.5 -> 10.5; p75: h = 14.25 -> 15.25;
 * p95: h = 18.05 -> 19.05. mean = 210 / 20 = 10.5.
 * sum (x - mean)^2 = n (n^2 - 1) / 12 = 20 * 399 / 12 = 665; var = 665 / 19 = 35;
 * stdev = sqrt(35) = 5.916079783099616; cov = 5.916079783099616 / 10.5 = 0.563436169819011.
 * CI: B ~ Bin(20, 1/2): P(B <= 5) = 21700 / 2^20 = 0.0207 <= 0.025 < P(B <= 6) = 0.0577, so
 * [x(6), x(15)] = [6, 15], coverage 1 - 2 * 21700 / 1048576 = 0.958610534668.
 */
static void test_one_to_twenty(void **state)
{
	double v[20];
	struct pvb_summary s;

	(void)state;
	for (int i = 0; i < 20; i++)
		v[i] = 20 - i;
	assert_int_equal(pvb_summarize(v, 20, &s), 0);
	assert_int_equal(s.n, 20);
	assert_near(s.p5, 1.95);
	assert_near(s.p25, 5.75);
	assert_near(s.median, 10.5);
	assert_near(s.p75, 15.25);
	assert_near(s.p95, 19.05);
	assert_near(s.mean, 10.5);
	assert_near(s.stdev, 5.916079783099616);
	assert_near(s.cov, 0.563436169819011);
	assert_near(s.ci95_lo, 6);
	assert_near(s.ci95_hi, 15);
	assert_near(s.ci95_coverage, 1 - 2 * 21700.0 / 1048576);
}

/*
 * Odd n: x = i^2 for i = 1..21, n = 21, h = 20p, all percentile ranks whole:
 * p5: h = 1 -> x[1] = 4; p25: h = 5 -> 36; p50: h = 10 -> 121; p75: h = 15 -> 256;
 * p95: h = 19 -> 400.
 * sum i^2 = 21 * 22 * 43 / 6 = 3311, mean = 3311 / 21 = 157.66666666666666.
 * sum i^4 = n (n + 1)(2n + 1)(3n^2 + 3n - 1) / 30 = 21 * 22 * 43 * 1385 / 30 = 917147;
 * sum (x - mean)^2 = 917147 - 3311^2 / 21 = 8297366 / 21; var = 8297366 / 420 = 19755.6333;
 * stdev = 140.55473429711762.
 * CI: B ~ Bin(21, 1/2): P(B <= 5) = 27896 / 2^21 = 0.0133 <= 0.025 < P(B <= 6) = 82160 / 2^21
 * = 0.0392, so [x(6), x(16)] = [6^2, 16^2] = [36, 256].
 */
static void test_odd_squares(void **state)
{
	double v[21];
	struct pvb_summary s;

	(void)state;
	for (int i = 0; i < 21; i++)
		v[i] = (double)(i + 1) * (i + 1);
	assert_int_equal(pvb_summarize(v, 21, &s), 0);
	assert_near(s.p5, 4);
	assert_near(s.p25, 36);
	assert_near(s.median, 121);
	assert_near(s.p75, 256);
	assert_near(s.p95, 400);
	assert_near(s.mean, 3311.0 / 21);
	assert_near(s.stdev, 140.55473429711762);
	assert_near(s.ci95_lo, 36);
	assert_near(s.ci95_hi, 256);
}

/*
 * x = 1..100: P(B <= 39) = 0.0176 <= 0.025 < P(B <= 40) = 0.0284: [x(40), x(61)] (the
 * textbook ranks for n = 100). median: h = 99 * 0.5 = 49.5 -> 50.5.
 */
static void test_hundred_ci(void **state)
{
	double v[100];
	struct pvb_summary s;

	(void)state;
	for (int i = 0; i < 100; i++)
		v[i] = i + 1;
	assert_int_equal(pvb_summarize(v, 100, &s), 0);
	assert_near(s.median, 50.5);
	assert_near(s.ci95_lo, 40);
	assert_near(s.ci95_hi, 61);
}

/*
 * n = 6: [x(1), x(6)] covers 1 - 2 / 64 = 0.96875: [1, 6].
 * n = 5: [x(1), x(5)] covers only 1 - 2 / 32 = 0.9375 < 0.95: no 95 % interval (NAN).
 */
static void test_ci_small(void **state)
{
	double v[6] = { 6, 5, 4, 3, 2, 1 };
	struct pvb_summary s;

	(void)state;
	assert_int_equal(pvb_summarize(v, 6, &s), 0);
	assert_near(s.ci95_lo, 1);
	assert_near(s.ci95_hi, 6);
	assert_near(s.ci95_coverage, 0.96875);
	assert_int_equal(pvb_summarize(v + 1, 5, &s), 0);
	assert_false(s.ci95_ok);
	assert_true(isnan(s.ci95_lo) && isnan(s.ci95_hi) && isnan(s.ci95_coverage));
}

static void test_single(void **state)
{
	double v = 42;
	struct pvb_summary s;

	(void)state;
	assert_int_equal(pvb_summarize(&v, 1, &s), 0);
	assert_int_equal(s.n, 1);
	assert_near(s.median, 42);
	assert_near(s.p5, 42);
	assert_near(s.p95, 42);
	assert_near(s.min, 42);
	assert_near(s.max, 42);
	assert_near(s.mean, 42);
	assert_near(s.stdev, 0);
	assert_near(s.cov, 0);
	assert_false(s.ci95_ok);
	assert_true(isnan(s.ci95_lo) && isnan(s.ci95_hi));
}

/*
 * {3, 1}: sorted {1, 3}, h = p: p5 = 1.1, p25 = 1.5, median 2, p75 = 2.5, p95 = 2.9.
 * mean 2, stdev = sqrt((1 + 1) / 1) = 1.4142135623730951, cov = 0.7071067811865476;
 * n < 6: no 95 % CI.
 */
static void test_two(void **state)
{
	double v[2] = { 3, 1 };
	struct pvb_summary s;

	(void)state;
	assert_int_equal(pvb_summarize(v, 2, &s), 0);
	assert_near(s.p5, 1.1);
	assert_near(s.p25, 1.5);
	assert_near(s.median, 2);
	assert_near(s.p75, 2.5);
	assert_near(s.p95, 2.9);
	assert_near(s.mean, 2);
	assert_near(s.stdev, 1.4142135623730951);
	assert_near(s.cov, 0.7071067811865476);
	assert_false(s.ci95_ok);
}

/* {-1, 1}: mean 0, so cov is 0 rather than a division by zero. */
static void test_zero_mean(void **state)
{
	double v[2] = { -1, 1 };
	struct pvb_summary s;

	(void)state;
	assert_int_equal(pvb_summarize(v, 2, &s), 0);
	assert_near(s.mean, 0);
	assert_near(s.stdev, 1.4142135623730951);
	assert_near(s.cov, 0);
}

static void test_empty(void **state)
{
	double v = 1;
	struct pvb_summary s;

	(void)state;
	assert_int_equal(pvb_summarize(&v, 0, &s), -1);
}

/* {10, 20, 30, 40}: h = 3p; p0 = 10, p100 = 40, p50: h = 1.5 -> 25, p90: h = 2.7 -> 37. */
static void test_percentile_sorted(void **state)
{
	const double x[4] = { 10, 20, 30, 40 };

	(void)state;
	assert_near(pvb_percentile_sorted(x, 4, 0), 10);
	assert_near(pvb_percentile_sorted(x, 4, 100), 40);
	assert_near(pvb_percentile_sorted(x, 4, 50), 25);
	assert_near(pvb_percentile_sorted(x, 4, 90), 37);
	assert_near(pvb_percentile_sorted(x, 1, 50), 10);
}

/* --- the exact CI of the median: ranks --------------------------------------------------- */

__extension__ typedef unsigned __int128 u128;

/*
 * The ranks computed here independently, in exact integers: [x(j), x(n+1-j)] covers the median
 * with probability 1 - 2 S(j) / 2^n, S(j) = sum_{k < j} C(n, k). It is a 95 % interval iff
 * 2 S(j) / 2^n <= 0.05, i.e. 40 S(j) <= 2^n; the largest such j. 2^100 and 40 S < 2^106 fit
 * in 128 bits.
 */
static size_t exact_lo_rank(unsigned n, u128 *tail)
{
	u128 c = 1, s = 0, pow2 = (u128)1 << n;
	size_t best = 0;

	for (unsigned j = 1; 2 * j <= n + 1; j++) {
		s += c; /* S(j): C(n, 0) + ... + C(n, j - 1) */
		if (40 * s > pow2)
			break;
		best = j;
		*tail = s;
		c = c * (n - (j - 1)) / j; /* C(n, j) */
	}
	return best;
}

/* Every n = 1..100 at 95 % against the integer computation, rank and coverage. */
static void test_ci_ranks_exact(void **state)
{
	(void)state;
	for (unsigned n = 1; n <= 100; n++) {
		u128 tail = 0;
		size_t want = exact_lo_rank(n, &tail), lo = 0, hi = 0;
		double cov = 0;
		long double want_cov = 1.0L - 2.0L * (long double)tail / ldexpl(1.0L, (int)n);
		int rc = pvb_median_ci_ranks(n, 0.95, &lo, &hi, &cov);

		if (n < 6) {
			assert_int_equal(want, 0);
			assert_int_equal(rc, -1);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(lo, want);
		assert_int_equal(hi, n + 1 - want);
		assert_true(fabsl((long double)cov - want_cov) < 1e-12L);
		assert_true(cov >= 0.95);
	}
}

/*
 * Published and hand-derived values, B ~ Bin(n, 1/2):
 *   n = 6:   P(B <= 0) = 1/64 -> [1, 6], coverage 62/64 = 0.96875 (the smallest n at 95 %);
 *   n = 8:   P(B <= 1) = 9/256 = 0.035 > 0.025 -> [1, 8], 254/256 = 0.9921875;
 *   n = 9:   P(B <= 1) = 10/512 = 0.0195 -> [2, 8], 1 - 20/512 = 0.9609375;
 *   n = 10:  P(B <= 1) = 11/1024 -> [2, 9], 0.978515625 (Conover, Practical Nonparametric
 *            Statistics, table A3; Hollander & Wolfe);
 *   n = 11:  P(B <= 2) = 67/2048 = 0.0327 > 0.025 -> [2, 10], 1 - 24/2048 = 0.98828125;
 *   n = 100: [40, 61] (the normal-approximation textbook ranks agree here);
 *   n = 5 at 95 %: none; at 90 %, [1, 5] covering 0.9375 qualifies. Bad levels are refused.
 */
static void test_ci_ranks_published(void **state)
{
	static const struct {
		size_t n, lo, hi;
		double cov;
	} t[] = {
		{ 6, 1, 6, 0.96875 },	   { 8, 1, 8, 0.9921875 },    { 9, 2, 8, 0.9609375 },
		{ 10, 2, 9, 0.978515625 }, { 11, 2, 10, 0.98828125 }, { 100, 40, 61, 0 },
	};
	size_t lo, hi;
	double cov;

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(pvb_median_ci_ranks(t[i].n, 0.95, &lo, &hi, &cov), 0);
		assert_int_equal(lo, t[i].lo);
		assert_int_equal(hi, t[i].hi);
		if (t[i].cov)
			assert_true(fabs(cov - t[i].cov) < 1e-12);
	}
	for (size_t n = 1; n <= 5; n++)
		assert_int_equal(pvb_median_ci_ranks(n, 0.95, &lo, &hi, &cov), -1);
	assert_int_equal(pvb_median_ci_ranks(5, 0.90, &lo, &hi, &cov), 0);
	assert_int_equal(lo, 1);
	assert_int_equal(hi, 5);
	assert_true(fabs(cov - 0.9375) < 1e-12);
	assert_int_equal(pvb_median_ci_ranks(10, 0, &lo, &hi, &cov), -1);
	assert_int_equal(pvb_median_ci_ranks(10, 1, &lo, &hi, &cov), -1);
	assert_int_equal(pvb_median_ci_ranks(0, 0.95, &lo, &hi, &cov), -1);
}

/* --- Mann-Whitney U ------------------------------------------------------------------- */

/* U of a (bit set: rank in a) in an arrangement of n ranks: b's ranks below each a rank. */
static int arrangement_u(unsigned mask, int n)
{
	int u = 0, below = 0;

	for (int r = 0; r < n; r++) {
		if (mask & (1u << r))
			u += below;
		else
			below++;
	}
	return u;
}

/*
 * Every arrangement of na + nb distinct values, enumerated by brute force here (not the
 * dynamic programming of stats.c): the exact two-sided p of each is
 * min(1, 2 min(#(U <= u), #(U >= u)) / C(n, na)); pvb_mann_whitney must give it, exactly.
 */
static void check_exact_table(int na, int nb)
{
	int n = na + nb, total = 0, count[64] = { 0 }, seen = 0;

	for (unsigned m = 0; m < 1u << n; m++)
		if (__builtin_popcount(m) == na) {
			count[arrangement_u(m, n)]++;
			total++;
		}
	for (unsigned m = 0; m < 1u << n; m++) {
		double a[16], b[16], want;
		int ia = 0, ib = 0, u, le = 0, ge = 0;
		struct pvb_mwu r;

		if (__builtin_popcount(m) != na)
			continue;
		for (int k = 0; k < n; k++) {
			if (m & (1u << k))
				a[ia++] = 10.0 * k + 1;
			else
				b[ib++] = 10.0 * k + 1;
		}
		u = arrangement_u(m, n);
		for (int v = 0; v <= na * nb; v++) {
			le += v <= u ? count[v] : 0;
			ge += v >= u ? count[v] : 0;
		}
		want = fmin(1, 2.0 * (le < ge ? le : ge) / total);
		assert_int_equal(pvb_mann_whitney(a, (size_t)na, b, (size_t)nb, &r), 0);
		assert_true(r.exact);
		assert_near(r.u, u);
		assert_true(fabs(r.p - want) < 1e-12);
		seen++;
	}
	assert_int_equal(seen, total);
}

/* na = nb = 3: 20 arrangements; the most extreme (U = 0 or 9) has p = 2 / 20 = 0.1. */
static void test_mwu_exact_tables(void **state)
{
	const double hi[3] = { 4, 5, 6 }, lo[3] = { 1, 2, 3 };
	struct pvb_mwu r;

	(void)state;
	assert_int_equal(pvb_mann_whitney(hi, 3, lo, 3, &r), 0);
	assert_true(r.exact);
	assert_near(r.u, 9);
	assert_true(fabs(r.p - 0.1) < 1e-12);
	assert_int_equal(pvb_mann_whitney(lo, 3, hi, 3, &r), 0);
	assert_near(r.u, 0);
	assert_true(fabs(r.p - 0.1) < 1e-12);
	check_exact_table(3, 3);
	check_exact_table(1, 4);
	check_exact_table(4, 5);
	check_exact_table(5, 7);
	check_exact_table(2, 12);
}

/*
 * The example of R's ?wilcox.test (Hollander & Wolfe, permeability of membranes):
 * wilcox.test(x, y, alternative = "greater") prints W = 35, p-value = 0.1272: P(U >= 35) =
 * 382 / 3003. Two-sided (no tie, 10 and 5 values): 2 * 382 / 3003 = 0.254412254412...
 */
static void test_mwu_r_example(void **state)
{
	const double x[10] = { 0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46 };
	const double y[5] = { 1.15, 0.88, 0.90, 0.74, 1.21 };
	struct pvb_mwu r;

	(void)state;
	assert_int_equal(pvb_mann_whitney(x, 10, y, 5, &r), 0);
	assert_true(r.exact);
	assert_near(r.u, 35);
	assert_true(fabs(r.p - 764.0 / 3003) < 1e-12);
	assert_true(fabs(r.p / 2 - 0.1272) < 5e-5);
}

/*
 * Ties force the normal approximation. a = {1, 2, 2}, b = {2, 3, 3}: U = 0.5 + 0.5 = 1
 * (each 2 of a ties the 2 of b); mean na nb / 2 = 4.5. Tie groups: {2, 2, 2} t = 3, {3, 3}
 * t = 2: sum (t^3 - t) = 24 + 6 = 30; n = 6: Var U = 9 / 12 (7 - 30 / 30) = 4.5.
 * z = (|1 - 4.5| - 0.5) / sqrt(4.5) = 3 / sqrt(4.5) = sqrt(2); p = 2 Q(sqrt 2) = 0.1572992...
 * (R: wilcox.test(c(1,2,2), c(2,3,3)) gives W = 1, p-value = 0.1573 with a ties warning).
 */
static void test_mwu_normal_ties(void **state)
{
	const double a[3] = { 1, 2, 2 }, b[3] = { 2, 3, 3 }, same[4] = { 7, 7, 7, 7 };
	struct pvb_mwu r;

	(void)state;
	assert_int_equal(pvb_mann_whitney(a, 3, b, 3, &r), 0);
	assert_false(r.exact);
	assert_near(r.u, 1);
	assert_true(fabs(r.p - 0.15729920705028513) < 1e-9);
	/* every value tied: no evidence at all */
	assert_int_equal(pvb_mann_whitney(same, 2, same + 2, 2, &r), 0);
	assert_false(r.exact);
	assert_near(r.u, 2);
	assert_near(r.p, 1);
}

/*
 * 50 values against 50, no ties: above the exact limit, so the normal approximation.
 * a = 1..50, b = 26.5..75.5: U = pairs a > b = sum over a = 27..50 of (a - 26) = 1 + ... + 24
 * = 300; mean 1250, Var = 2500 * 101 / 12 = 21041.67; z = (950 - 0.5) / 145.057 = 6.545682;
 * p = 2 Q(z) = erfc(z / sqrt 2) = 5.922449e-11.
 */
static void test_mwu_large(void **state)
{
	double a[50], b[50];
	struct pvb_mwu r;

	(void)state;
	for (int i = 0; i < 50; i++) {
		a[i] = i + 1;
		b[i] = i + 26.5;
	}
	assert_int_equal(pvb_mann_whitney(a, 50, b, 50, &r), 0);
	assert_false(r.exact);
	assert_near(r.u, 300);
	assert_true(fabs(r.p / 5.922449396792085e-11 - 1) < 1e-6);
	/* 49 against 49: still exact; U symmetric, so swapping a and b gives the same p */
	{
		struct pvb_mwu s;

		assert_int_equal(pvb_mann_whitney(a, 49, b, 49, &r), 0);
		assert_true(r.exact);
		assert_int_equal(pvb_mann_whitney(b, 49, a, 49, &s), 0);
		assert_near(r.u + s.u, 49 * 49);
		assert_true(fabs(r.p - s.p) < 1e-15);
		assert_true(r.p < 1e-9);
	}
}

static void test_mwu_errors(void **state)
{
	const double a[2] = { 1, NAN };
	struct pvb_mwu r;

	(void)state;
	assert_int_equal(pvb_mann_whitney(a, 0, a, 1, &r), -1);
	assert_int_equal(pvb_mann_whitney(a, 1, a, 0, &r), -1);
	assert_int_equal(pvb_mann_whitney(a, 2, a, 1, &r), -1);
}

/* --- bootstrap ratio of medians --------------------------------------------------------- */

/*
 * a = {1, 3}, b = {1}: a resample of a has median 1 (1/4), 2 (1/2) or 3 (1/4); b's is 1. With
 * 2000 resamples about 500 ratios are 1 and 500 are 3, so the 2.5 % and 97.5 % percentiles
 * are 1 and 3 (the chance that fewer than 51 of 2000 fall at either end is below 1e-100).
 */
static void test_bootstrap_known(void **state)
{
	const double a[2] = { 1, 3 }, b[1] = { 1 };
	double ratio, lo, hi;

	(void)state;
	assert_int_equal(pvb_bootstrap_ratio(a, 2, b, 1, 2000, 1, 0.95, &ratio, &lo, &hi), 0);
	assert_near(ratio, 2);
	assert_near(lo, 1);
	assert_near(hi, 3);
}

/* Values spread evenly over [c - 1, c + 1]: the same spread at any n. */
static void spread(double *x, int n, double c)
{
	for (int i = 0; i < n; i++)
		x[(i * 7) % n] =
			c - 1 + 2.0 * i / (n - 1); /* 7 is prime to the n used: a shuffle */
}

static void test_bootstrap_seeded(void **state)
{
	double a[101], b[101], r1, lo1, hi1, r2, lo2, hi2, lo3, hi3;

	(void)state;
	spread(a, 101, 20);
	spread(b, 101, 10);
	/* same seed, same interval; the point ratio is median(a) / median(b) = 20 / 10 */
	assert_int_equal(pvb_bootstrap_ratio(a, 101, b, 101, 2000, 42, 0.95, &r1, &lo1, &hi1), 0);
	assert_int_equal(pvb_bootstrap_ratio(a, 101, b, 101, 2000, 42, 0.95, &r2, &lo2, &hi2), 0);
	assert_near(r1, 2);
	assert_true(r1 == r2 && lo1 == lo2 && hi1 == hi2);
	assert_true(lo1 < r1 && r1 < hi1);
	/* another seed, another (close) interval */
	assert_int_equal(pvb_bootstrap_ratio(a, 101, b, 101, 2000, 43, 0.95, &r2, &lo2, &hi2), 0);
	assert_true(lo1 != lo2 || hi1 != hi2);
	assert_true(fabs(lo1 - lo2) < 0.02 && fabs(hi1 - hi2) < 0.02);
	/* a 99 % interval holds the 95 % one */
	assert_int_equal(pvb_bootstrap_ratio(a, 101, b, 101, 4000, 42, 0.99, &r2, &lo3, &hi3), 0);
	assert_true(lo3 <= lo1 && hi1 <= hi3);
	/* n = 11 with the same spread: a wider interval, still around 2 */
	spread(a, 11, 20);
	spread(b, 11, 10);
	assert_int_equal(pvb_bootstrap_ratio(a, 11, b, 11, 2000, 42, 0.95, &r2, &lo2, &hi2), 0);
	assert_near(r2, 2);
	assert_true(lo2 < 2 && 2 < hi2);
	assert_true(hi2 - lo2 > 2 * (hi1 - lo1));
}

static void test_bootstrap_constant_and_errors(void **state)
{
	const double six[5] = { 6, 6, 6, 6, 6 }, three[3] = { 3, 3, 3 };
	const double zeros[3] = { 0, 0, 1 }, some_zeros[4] = { 0, 0, 1, 1 };
	double ratio, lo, hi;

	(void)state;
	assert_int_equal(pvb_bootstrap_ratio(six, 5, three, 3, 2000, 7, 0.95, &ratio, &lo, &hi), 0);
	assert_near(ratio, 2);
	assert_near(lo, 2);
	assert_near(hi, 2);
	/* fewer than 2000 resamples, an empty sample, a bad level */
	assert_int_equal(pvb_bootstrap_ratio(six, 5, three, 3, 1999, 7, 0.95, &ratio, &lo, &hi),
			 -1);
	assert_int_equal(pvb_bootstrap_ratio(six, 0, three, 3, 2000, 7, 0.95, &ratio, &lo, &hi),
			 -1);
	assert_int_equal(pvb_bootstrap_ratio(six, 5, three, 0, 2000, 7, 0.95, &ratio, &lo, &hi),
			 -1);
	assert_int_equal(pvb_bootstrap_ratio(six, 5, three, 3, 2000, 7, 1.0, &ratio, &lo, &hi), -1);
	/* the median of b is 0; b's median is 0.5 but resamples of b reach median 0 */
	assert_int_equal(pvb_bootstrap_ratio(six, 5, zeros, 3, 2000, 7, 0.95, &ratio, &lo, &hi),
			 -1);
	assert_int_equal(
		pvb_bootstrap_ratio(six, 5, some_zeros, 4, 2000, 7, 0.95, &ratio, &lo, &hi), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_to_ten),
		cmocka_unit_test(test_unsorted_not_modified),
		cmocka_unit_test(test_one_to_twenty),
		cmocka_unit_test(test_odd_squares),
		cmocka_unit_test(test_hundred_ci),
		cmocka_unit_test(test_ci_small),
		cmocka_unit_test(test_single),
		cmocka_unit_test(test_two),
		cmocka_unit_test(test_zero_mean),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_percentile_sorted),
		cmocka_unit_test(test_ci_ranks_exact),
		cmocka_unit_test(test_ci_ranks_published),
		cmocka_unit_test(test_mwu_exact_tables),
		cmocka_unit_test(test_mwu_r_example),
		cmocka_unit_test(test_mwu_normal_ties),
		cmocka_unit_test(test_mwu_large),
		cmocka_unit_test(test_mwu_errors),
		cmocka_unit_test(test_bootstrap_known),
		cmocka_unit_test(test_bootstrap_seeded),
		cmocka_unit_test(test_bootstrap_constant_and_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

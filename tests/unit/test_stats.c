/* Descriptive statistics: percentiles, spread and the CI of the median of known samples. */
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
 * CI: 1.96 sqrt(10) / 2 = 3.0990; j = floor(5 - 3.0990) = 1, k = ceil(6 + 3.0990) = 10 -> [1, 10].
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
	assert_near(s->ci95_lo, 1);
	assert_near(s->ci95_hi, 10);
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
 * CI: 1.96 sqrt(20) / 2 = 4.3827; j = floor(10 - 4.3827) = 5, k = ceil(11 + 4.3827) = 16.
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
	assert_near(s.ci95_lo, 5);
	assert_near(s.ci95_hi, 16);
}

/*
 * Odd n: x = i^2 for i = 1..21, n = 21, h = 20p, all percentile ranks whole:
 * p5: h = 1 -> x[1] = 4; p25: h = 5 -> 36; p50: h = 10 -> 121; p75: h = 15 -> 256;
 * p95: h = 19 -> 400.
 * sum i^2 = 21 * 22 * 43 / 6 = 3311, mean = 3311 / 21 = 157.66666666666666.
 * sum i^4 = n (n + 1)(2n + 1)(3n^2 + 3n - 1) / 30 = 21 * 22 * 43 * 1385 / 30 = 917147;
 * sum (x - mean)^2 = 917147 - 3311^2 / 21 = 8297366 / 21; var = 8297366 / 420 = 19755.6333;
 * stdev = 140.55473429711762.
 * CI: n/2 = 10.5, 1.96 sqrt(21) / 2 = 4.4909; j = floor(10.5 - 4.4909) = floor(6.009) = 6,
 * k = ceil(11.5 + 4.4909) = ceil(15.991) = 16 -> [6^2, 16^2] = [36, 256].
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
 * x = 1..100: 1.96 sqrt(100) / 2 = 9.8; j = floor(50 - 9.8) = 40, k = ceil(51 + 9.8) = 61
 * (the textbook ranks for n = 100). median: h = 99 * 0.5 = 49.5 -> 50.5.
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
 * n = 6: 1.96 sqrt(6) / 2 = 2.4005; j = floor(3 - 2.4005) = 0 -> clamped to 1,
 * k = ceil(4 + 2.4005) = 7 -> clamped to 6: [x(1), x(6)] = [1, 6].
 * n = 5 is below the minimum, so [min, max] = [1, 5].
 */
static void test_ci_small(void **state)
{
	double v[6] = { 6, 5, 4, 3, 2, 1 };
	struct pvb_summary s;

	(void)state;
	assert_int_equal(pvb_summarize(v, 6, &s), 0);
	assert_near(s.ci95_lo, 1);
	assert_near(s.ci95_hi, 6);
	assert_int_equal(pvb_summarize(v + 1, 5, &s), 0);
	assert_near(s.ci95_lo, 1);
	assert_near(s.ci95_hi, 5);
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
	assert_near(s.ci95_lo, 42);
	assert_near(s.ci95_hi, 42);
}

/*
 * {3, 1}: sorted {1, 3}, h = p: p5 = 1.1, p25 = 1.5, median 2, p75 = 2.5, p95 = 2.9.
 * mean 2, stdev = sqrt((1 + 1) / 1) = 1.4142135623730951, cov = 0.7071067811865476;
 * n < 6: CI = [min, max] = [1, 3].
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
	assert_near(s.ci95_lo, 1);
	assert_near(s.ci95_hi, 3);
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

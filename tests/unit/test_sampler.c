/* The memory sampler's queries (pvb_sampler_low, _total_at, _back_after) on a ring filled by
 * hand: no thread, no /proc, so every expected value can be worked out on paper. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "host/meminfo.h"

/* A sampler as pvb_sampler_start leaves it, minus the thread and the /proc descriptors. */
static void ring_init(struct pvb_sampler *s, uint64_t cap)
{
	memset(s, 0, sizeof(*s));
	s->cap = cap;
	s->ring = calloc(cap, sizeof(*s->ring));
	assert_non_null(s->ring);
	s->meminfo_fd = s->statm_fd = -1;
	assert_int_equal(pthread_mutex_init(&s->lock, NULL), 0);
}

/* Append one sample exactly as the sampler thread does. */
static void push(struct pvb_sampler *s, uint64_t t_ns, int64_t avail, int64_t rss)
{
	s->ring[s->count % s->cap] = (struct pvb_mem_sample){
		.t_ns = t_ns, .avail = avail, .rss = rss, .a = -1, .b = -1
	};
	s->count++;
}

static void ring_free(struct pvb_sampler *s)
{
	pthread_mutex_destroy(&s->lock);
	free(s->ring);
	s->ring = NULL;
}

/*
 * The small ring used by most cases (cap 16, five samples, no wrap):
 *
 *   t_ns   100  200  300  400  500
 *   avail   50   30   40   10   60
 *   rss      5    5    5    5    5
 *   total   55   35   45   15   65      (avail + rss)
 */
static int setup_small(void **state)
{
	struct pvb_sampler *s = malloc(sizeof(*s));

	if (!s)
		return -1;
	ring_init(s, 16);
	push(s, 100, 50, 5);
	push(s, 200, 30, 5);
	push(s, 300, 40, 5);
	push(s, 400, 10, 5);
	push(s, 500, 60, 5);
	*state = s;
	return 0;
}

static int teardown_ring(void **state)
{
	struct pvb_sampler *s = *state;

	ring_free(s);
	free(s);
	return 0;
}

/* ---- pvb_sampler_low ---- */

static void test_low_window(void **state)
{
	struct pvb_sampler *s = *state;

	/* [0, 1000]: every sample, min(50, 30, 40, 10, 60) = 10 */
	assert_int_equal(pvb_sampler_low(s, 0, 1000), 10);
	/* [150, 350]: t 200, 300 -> min(30, 40) = 30 */
	assert_int_equal(pvb_sampler_low(s, 150, 350), 30);
	/* [450, 1000]: t 500 only -> 60 */
	assert_int_equal(pvb_sampler_low(s, 450, 1000), 60);
}

static void test_low_inclusive_bounds(void **state)
{
	struct pvb_sampler *s = *state;

	/* [200, 300]: the lower bound's sample (30) is lower than the other one (40), so 30
	 * proves that t0 is included. */
	assert_int_equal(pvb_sampler_low(s, 200, 300), 30);
	/* [201, 300]: without the sample at 200 only 40 is left. */
	assert_int_equal(pvb_sampler_low(s, 201, 300), 40);
	/* [300, 400]: the upper bound's sample (10) is the lower one: t1 is included. */
	assert_int_equal(pvb_sampler_low(s, 300, 400), 10);
	/* [300, 399]: without it, 40. */
	assert_int_equal(pvb_sampler_low(s, 300, 399), 40);
	/* [500, 500]: a one-point window on a sample. */
	assert_int_equal(pvb_sampler_low(s, 500, 500), 60);
	/* [100, 100]: the very first sample. */
	assert_int_equal(pvb_sampler_low(s, 100, 100), 50);
}

static void test_low_none_in_window(void **state)
{
	struct pvb_sampler *s = *state;

	assert_int_equal(pvb_sampler_low(s, 210, 290), -1);  /* between samples */
	assert_int_equal(pvb_sampler_low(s, 501, 1000), -1); /* after the last */
	assert_int_equal(pvb_sampler_low(s, 0, 99), -1);     /* before the first */
	assert_int_equal(pvb_sampler_low(s, 400, 300), -1);  /* empty window, t0 > t1 */
}

/* ---- pvb_sampler_total_at ---- */

static void test_total_at(void **state)
{
	struct pvb_sampler *s = *state;

	/* exactly at a sample: that sample's avail + rss */
	assert_int_equal(pvb_sampler_total_at(s, 100, false), 55);
	assert_int_equal(pvb_sampler_total_at(s, 300, false), 45);
	assert_int_equal(pvb_sampler_total_at(s, 500, false), 65);
	/* between samples: the last one at or before t (300 -> 45, 400 -> 15) */
	assert_int_equal(pvb_sampler_total_at(s, 350, false), 45);
	assert_int_equal(pvb_sampler_total_at(s, 499, false), 15);
	/* after the last sample: the last sample */
	assert_int_equal(pvb_sampler_total_at(s, 1000000, false), 65);
	/* before the first: none */
	assert_int_equal(pvb_sampler_total_at(s, 99, false), -1);
	assert_int_equal(pvb_sampler_total_at(s, 0, false), -1);
}

/* ---- pvb_sampler_back_after ---- */

static void test_back_after_first_match(void **state)
{
	struct pvb_sampler *s = *state;

	/* baseline 60, tolerance 10: a sample is back when total >= 50.
	 * t_end 250: the samples at/after it are 300 (45 no), 400 (15 no), 500 (65 yes)
	 * -> lag 500 - 250 = 250. */
	assert_int_equal(pvb_sampler_back_after(s, 250, 60, 10, false), 250);
	/* t_end 300, a sample exactly at t_end that is not back (45): still 500 -> 200 */
	assert_int_equal(pvb_sampler_back_after(s, 300, 60, 10, false), 200);
	/* t_end 100, the sample exactly at t_end is back (55 >= 50): lag 0 */
	assert_int_equal(pvb_sampler_back_after(s, 100, 60, 10, false), 0);
	/* baseline 50, tolerance 5: threshold 45, met with equality by the sample at 300
	 * -> t_end 250 gives 300 - 250 = 50 */
	assert_int_equal(pvb_sampler_back_after(s, 250, 50, 5, false), 50);
	/* tolerance counts: baseline 60, tolerance 0 -> threshold 60, only 500 (65) meets it,
	 * so from t_end 100 the lag is 400 (the sample at 100, 55, no longer does). */
	assert_int_equal(pvb_sampler_back_after(s, 100, 60, 0, false), 400);
}

static void test_back_after_ignores_earlier(void **state)
{
	struct pvb_sampler *s = *state;

	/* Threshold 50: the sample at 100 (55) meets it but lies before t_end 101; the first
	 * sample at or after 101 that meets it is 500 -> 500 - 101 = 399. */
	assert_int_equal(pvb_sampler_back_after(s, 101, 60, 10, false), 399);
	/* Threshold 35 (baseline 40, tolerance 5): 100 (55) and 200 (35) meet it but are
	 * before t_end 250; 300 (45) is the first after -> 50. */
	assert_int_equal(pvb_sampler_back_after(s, 250, 40, 5, false), 50);
}

static void test_back_after_none(void **state)
{
	struct pvb_sampler *s = *state;

	/* threshold 90: no sample is ever back */
	assert_int_equal(pvb_sampler_back_after(s, 0, 100, 10, false), -1);
	/* threshold 50: met at 100 and 500, but there is no sample at or after 501 (yet) */
	assert_int_equal(pvb_sampler_back_after(s, 501, 60, 10, false), -1);
	/* threshold 60: the only sample meeting it (500) lies before t_end 600 */
	assert_int_equal(pvb_sampler_back_after(s, 600, 60, 0, false), -1);
}

/* ---- an empty ring ---- */

static void test_empty(void **state)
{
	struct pvb_sampler s;

	(void)state;
	ring_init(&s, 8);
	assert_int_equal(pvb_sampler_low(&s, 0, UINT64_MAX), -1);
	assert_int_equal(pvb_sampler_total_at(&s, UINT64_MAX, false), -1);
	assert_int_equal(pvb_sampler_back_after(&s, 0, 0, 0, false), -1);
	ring_free(&s);
}

/* ---- a full ring that has not wrapped (count == cap) keeps every sample ---- */

static void test_full_not_wrapped(void **state)
{
	struct pvb_sampler s;

	(void)state;
	ring_init(&s, 8);
	/* t = 10, 20, ..., 80; avail = 8, 7, ..., 1 (k = 0..7: avail 8 - k); rss 0 */
	for (int k = 0; k < 8; k++)
		push(&s, 10 * (uint64_t)(k + 1), 8 - k, 0);
	/* Nothing has been overwritten: a window starting before the first sample is fine.
	 * [0, 1000]: min = 1 (t 80); [0, 15]: t 10 only -> 8 */
	assert_int_equal(pvb_sampler_low(&s, 0, 1000), 1);
	assert_int_equal(pvb_sampler_low(&s, 0, 15), 8);
	assert_int_equal(pvb_sampler_total_at(&s, 10, false), 8);
	assert_int_equal(pvb_sampler_total_at(&s, 9, false), -1);
	/* threshold 8 (baseline 8, tolerance 0): only t 10 (8) -> lag from t_end 5 is 5 */
	assert_int_equal(pvb_sampler_back_after(&s, 5, 8, 0, false), 5);
	ring_free(&s);
}

/*
 * ---- wrap-around: cap 8, 12 samples (k = 0..11, t = 10 (k + 1)) ----
 *
 * Sample k went to ring[k % 8]; samples 0..3 (t 10..40) were overwritten by 8..11.
 * count = 12, the oldest kept is ring[12 % 8] = ring[4] = k 4 (t 50), the newest
 * ring[3] = k 11 (t 120). rss is 1 throughout, so total = avail + 1.
 *
 *   ring index   4    5    6    7    0    1    2    3
 *   k            4    5    6    7    8    9   10   11
 *   t_ns        50   60   70   80   90  100  110  120
 *   avail      500  400  300  450  200  350  250  600
 *   total      501  401  301  451  201  351  251  601
 *
 * The overwritten samples (k 0..3) had avail 1: if a query ever saw one of them (or
 * treated the ring as unwrapped), it would answer 1 or 2.
 */
static int setup_wrapped(void **state)
{
	static const int64_t avail[12] = { 1, 1, 1, 1, 500, 400, 300, 450, 200, 350, 250, 600 };
	struct pvb_sampler *s = malloc(sizeof(*s));

	if (!s)
		return -1;
	ring_init(s, 8);
	for (int k = 0; k < 12; k++)
		push(s, 10 * (uint64_t)(k + 1), avail[k], 1);
	assert_int_equal(s->count, 12);
	assert_int_equal(s->ring[4].t_ns, 50);
	assert_int_equal(s->ring[3].t_ns, 120);
	*state = s;
	return 0;
}

static void test_wrap_low(void **state)
{
	struct pvb_sampler *s = *state;

	/* The ring no longer reaches back to t0 (oldest kept: 50): -1, even though the
	 * window holds kept samples, because samples in [t0, 50) were lost. */
	assert_int_equal(pvb_sampler_low(s, 40, 120), -1);
	assert_int_equal(pvb_sampler_low(s, 10, 60), -1);
	assert_int_equal(pvb_sampler_low(s, 49, 1000), -1);
	/* t0 exactly the oldest kept sample: allowed; [50, 120] -> min of all kept = 200 */
	assert_int_equal(pvb_sampler_low(s, 50, 120), 200);
	/* [60, 80]: ring[5..7] only -> min(400, 300, 450) = 300 */
	assert_int_equal(pvb_sampler_low(s, 60, 80), 300);
	/* [70, 100]: across the physical end of the ring, ring[6], [7], [0], [1]
	 * -> min(300, 450, 200, 350) = 200 */
	assert_int_equal(pvb_sampler_low(s, 70, 100), 200);
	/* [100, 120]: ring[1..3] -> min(350, 250, 600) = 250 */
	assert_int_equal(pvb_sampler_low(s, 100, 120), 250);
	/* [75, 85]: t 80 only -> 450 */
	assert_int_equal(pvb_sampler_low(s, 75, 85), 450);
	/* after the newest: none */
	assert_int_equal(pvb_sampler_low(s, 121, 1000), -1);
}

static void test_wrap_total_at(void **state)
{
	struct pvb_sampler *s = *state;

	/* after the newest: k 11 -> 601 */
	assert_int_equal(pvb_sampler_total_at(s, 1000, false), 601);
	/* 95: the last sample at or before it is t 90 (ring[0]) -> 201 */
	assert_int_equal(pvb_sampler_total_at(s, 95, false), 201);
	/* 75: walking back past ring[0] to ring[7] (80, too late) and ring[6] (70) -> 301 */
	assert_int_equal(pvb_sampler_total_at(s, 75, false), 301);
	/* exactly the oldest kept: 501 */
	assert_int_equal(pvb_sampler_total_at(s, 50, false), 501);
	/* before the oldest kept: the sample at 40 was overwritten, none is left -> -1 */
	assert_int_equal(pvb_sampler_total_at(s, 45, false), -1);
	assert_int_equal(pvb_sampler_total_at(s, 10, false), -1);
}

static void test_wrap_back_after(void **state)
{
	struct pvb_sampler *s = *state;

	/* threshold 400 (baseline 400, tolerance 0):
	 * t_end 65: 70 (301 no), 80 (451 yes) -> 15 */
	assert_int_equal(pvb_sampler_back_after(s, 65, 400, 0, false), 15);
	/* t_end 85: the backward scan crosses ring[0] -> ring[7] (80 < 85) and stops; then
	 * 90 (201), 100 (351), 110 (251) no, 120 (601) yes -> 35 */
	assert_int_equal(pvb_sampler_back_after(s, 85, 400, 0, false), 35);
	/* threshold 500 (baseline 550, tolerance 50), t_end 55: the sample at 50 (501) meets
	 * it but is before t_end; forward from ring[5] across the physical end of the ring:
	 * 60 (401), 70 (301), 80 (451), 90 (201), 100 (351), 110 (251) no, 120 (601) yes -> 65 */
	assert_int_equal(pvb_sampler_back_after(s, 55, 550, 50, false), 65);
	/* threshold 700: none */
	assert_int_equal(pvb_sampler_back_after(s, 55, 700, 0, false), -1);
	/* nothing at or after 121 */
	assert_int_equal(pvb_sampler_back_after(s, 121, 0, 0, false), -1);
	/* t_end 45, before the oldest kept sample (t 50): an overwritten sample might have
	 * met the threshold earlier, so there is no answer, as with pvb_sampler_low. */
	assert_int_equal(pvb_sampler_back_after(s, 45, 550, 50, false), -1);
}

/* Pages on the per-CPU free lists are free but not in MemAvailable: with pcp they count. */
static void test_back_after_pcp(void **state)
{
	struct pvb_sampler s;

	(void)state;
	ring_init(&s, 8);
	push(&s, 10, 100, 50); /* 150 at the reboot request */
	push(&s, 20, 60, 10);  /* 70 + 80 on the per-CPU lists */
	s.ring[1].pcp = 80;
	push(&s, 30, 140, 10); /* 150: drained */
	assert_int_equal(pvb_sampler_total_at(&s, 10, true), 150);
	assert_int_equal(pvb_sampler_back_after(&s, 15, 150, 0, false), 15);
	assert_int_equal(pvb_sampler_back_after(&s, 15, 150, 0, true), 5);
	ring_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_back_after_pcp),
		cmocka_unit_test_setup_teardown(test_low_window, setup_small, teardown_ring),
		cmocka_unit_test_setup_teardown(test_low_inclusive_bounds, setup_small,
						teardown_ring),
		cmocka_unit_test_setup_teardown(test_low_none_in_window, setup_small,
						teardown_ring),
		cmocka_unit_test_setup_teardown(test_total_at, setup_small, teardown_ring),
		cmocka_unit_test_setup_teardown(test_back_after_first_match, setup_small,
						teardown_ring),
		cmocka_unit_test_setup_teardown(test_back_after_ignores_earlier, setup_small,
						teardown_ring),
		cmocka_unit_test_setup_teardown(test_back_after_none, setup_small, teardown_ring),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_full_not_wrapped),
		cmocka_unit_test_setup_teardown(test_wrap_low, setup_wrapped, teardown_ring),
		cmocka_unit_test_setup_teardown(test_wrap_total_at, setup_wrapped, teardown_ring),
		cmocka_unit_test_setup_teardown(test_wrap_back_after, setup_wrapped, teardown_ring),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

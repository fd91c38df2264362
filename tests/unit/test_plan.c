/* `pvbench plan` (report/plan.h): a fit against hand-computed values, the reach rule, fleet
 * files good and bad, the answers for the hand-made fleet tests/fixtures/fleets/small.ini on
 * the committed pv-emulated model runs (medians computed by hand from iterations.csv), the
 * extrapolated inputs flagged, and --check's json on the --guests 4 run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvbench.h"
#include "report/dataset.h"
#include "report/plan.h"

#define RUN(name)   PVB_TEST_RUNS "/" name
#define FLEET(name) PVB_TEST_FLEETS "/" name
#define GIB	    1073741824.0

/* Medians of tests/fixtures/runs/plan-model/iterations.csv, async, by hand (python). */
#define CPU_128M    5744663.5
#define WALL_128M   9936546.0
#define CSTART_128M 70063960.0
#define REBOOT_128M 67962730.5
#define PEAK_128M   138815488.0

static void set(struct pvb_samples *s, double *v, size_t n)
{
	s->n = s->cap = n;
	s->v = v;
}

static void test_fit_by_hand(void **state)
{
	double a[] = { 9, 10, 10, 10, 10, 11 }, b[] = { 20, 21, 21, 21, 21, 22 },
	       c[] = { 28, 29, 29, 29, 29, 30 };
	double sizes[] = { 3 * GIB, 1 * GIB, 2 * GIB }; /* any order */
	struct pvb_samples s[3];
	const struct pvb_samples *sp[] = { &s[2], &s[0], &s[1] };
	struct pvb_plan_fit f = { 0 };
	struct pvb_plan_est e;

	(void)state;
	set(&s[0], a, 6);
	set(&s[1], b, 6);
	set(&s[2], c, 6);
	assert_int_equal(pvb_plan_fit_points(&f, sizes, sp, 3), 0);
	assert_int_equal(f.k, 3);
	/* medians 10, 21, 29 at 1, 2, 3 GiB: b = 19 / 2 per GiB, a = 20 - 2 b = 1, residuals
	 * -0.5, 1, -0.5: sd = sqrt(1.5 / 1) */
	assert_true(fabs(f.b * GIB - 9.5) < 1e-9);
	assert_true(fabs(f.a - 1) < 1e-6);
	assert_true(fabs(f.resid_sd - sqrt(1.5)) < 1e-9);
	/* n = 6: the exact 95 % CI is [x(1), x(6)] */
	assert_true(f.pt[0].lo == 9 && f.pt[0].hi == 11 && f.pt[0].median == 10);
	/* between sizes: interpolated, not extrapolated */
	assert_int_equal(pvb_plan_predict(&f, 1.5 * GIB, &e), 0);
	assert_false(e.extrapolated);
	assert_true(fabs(e.v - 15.5) < 1e-9 && fabs(e.lo - 14.5) < 1e-9);
	/* beyond: the line, flagged, the interval wider than the nearest size's */
	assert_int_equal(pvb_plan_predict(&f, 6 * GIB, &e), 0);
	assert_true(e.extrapolated);
	assert_true(fabs(e.v - 58) < 1e-6);
	assert_true(e.lo < 58 * 28 / 29.0 && e.hi > 58 * 30 / 29.0);
	/* the reach: 4x beyond the range either way */
	assert_int_equal(pvb_plan_predict(&f, 12 * GIB, &e), 0);
	assert_int_equal(pvb_plan_predict(&f, 12.5 * GIB, &e), -1);
	assert_int_equal(pvb_plan_predict(&f, 0.2 * GIB, &e), -1);
	/* nothing measured: nothing predicted */
	assert_int_equal(pvb_plan_fit_points(&f, sizes, sp, 0), 0);
	assert_int_equal(pvb_plan_predict(&f, GIB, &e), -1);
}

static void load_models(struct pvb_plan_models *m)
{
	const char *dirs[] = { RUN("plan-model") };
	struct pvb_dataset ds;

	assert_int_equal(pvb_dataset_load(&ds, dirs, 1), 0);
	assert_int_equal(pvb_plan_fit_models(m, &ds, 1, "unpinned"), 0);
	pvb_dataset_free(&ds);
}

static void test_models_fixture(void **state)
{
	struct pvb_plan_models m;
	const struct pvb_plan_fit *f;
	const char *dirs[] = { RUN("plan-model") };
	struct pvb_dataset ds;

	(void)state;
	load_models(&m);
	assert_int_equal(m.npoints, 3);
	f = &m.fit[PVB_DS_ASYNC][PVB_PM_CLEANUP_CPU];
	assert_int_equal(f->k, 3);
	assert_true(f->pt[1].size == 134217728 && f->pt[1].median == CPU_128M);
	assert_true(m.fit[PVB_DS_ASYNC][PVB_PM_PEAK].pt[1].median == PEAK_128M);
	/* other threads or placements: no model, exit 2 */
	assert_int_equal(pvb_dataset_load(&ds, dirs, 1), 0);
	assert_int_equal(pvb_plan_fit_models(&m, &ds, 2, "unpinned"), PVB_EXIT_USAGE);
	assert_int_equal(pvb_plan_fit_models(&m, &ds, 1, "same-core"), PVB_EXIT_USAGE);
	pvb_dataset_free(&ds);
}

static void expect_error(const char *text, const char *needle)
{
	struct pvb_fleet f;

	assert_int_equal(pvb_fleet_parse(text, "t.ini", &f), -1);
	if (!strstr(f.error, needle))
		fail_msg("'%s' not in '%s'", needle, f.error);
}

static void test_fleet_parse(void **state)
{
	static const char base[] = "[host]\ncores = 8\nmemory = 32G\n[class a]\nsize = 1G\n"
				   "count = 4\nreboots_per_hour = 2\n";
	struct pvb_fleet f;
	char buf[512];

	(void)state;
	assert_int_equal(pvb_fleet_parse(base, "t.ini", &f), 0);
	assert_true(f.cores == 8 && f.cleanup_cores == 8 && f.memory == 32 * (uint64_t)GIB);
	assert_true(f.mode == PVB_DS_ASYNC && f.cthreads == 1 && !f.storm_guests);
	assert_true(f.nclasses == 1 && f.cls[0].count == 4 && f.cls[0].reboots_per_hour == 2);
	snprintf(buf, sizeof(buf), "%s[host2]\nx = 1\n", base);
	expect_error(buf, "t.ini:9: unknown section [host2]"); /* its first key */
	snprintf(buf, sizeof(buf), "%ssized = 2G\n", base);
	expect_error(buf, "t.ini:8: unknown key 'sized' in [class a]");
	snprintf(buf, sizeof(buf), "%scount = 2\n", base);
	expect_error(buf, "t.ini:8: 'count' given twice");
	snprintf(buf, sizeof(buf), "%s[storm]\nguests = 5\n", base);
	expect_error(buf, "class a has only 4");
	snprintf(buf, sizeof(buf), "%s[storm]\nguests = 2\nclass = b\n", base);
	expect_error(buf, "class 'b' is not a [class NAME]");
	expect_error("[host]\ncores = 8\n[class a]\nsize=1G\ncount=1\nreboots_per_hour=1\n",
		     "needs cores and memory");
	expect_error("[host]\ncores = 8\nmemory = 1G\nmode = fast\n", "t.ini:4: mode 'fast'");
	expect_error("[host]\ncores = 0\n", "t.ini:2: cores '0'");
	expect_error("[host]\ncores = 8\nmemory = 1G\n[class a]\nsize = 1G\ncount = 1\n",
		     "[class a] needs size, count and reboots_per_hour");
	expect_error("[host]\ncores = 8\nmemory = 1G\n", "no [class NAME] section");
}

static double num(json_t *o, const char *path)
{
	char buf[128], *save, *tok;
	json_t *j = o;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok && j; tok = strtok_r(NULL, ".", &save))
		j = json_object_get(j, tok);
	if (!json_is_number(j))
		fail_msg("%s is not a number", path);
	return json_number_value(j);
}

static void near(double got, double want)
{
	if (!(fabs(got - want) <= 1e-9 * fabs(want) + 1e-9))
		fail_msg("got %.17g, want %.17g", got, want);
}

static void test_answer_small_fleet(void **state)
{
	struct pvb_plan_models m;
	struct pvb_fleet f;
	json_t *a, *notes, *web;
	const char *n0;

	(void)state;
	load_models(&m);
	assert_int_equal(pvb_fleet_load(FLEET("small.ini"), &f), 0);
	assert_int_equal(pvb_plan_answer(&m, &f, &a), 0);
	web = json_array_get(json_object_get(a, "classes"), 0);
	/* 8 guests x 12 reboots an hour x the async cleanup CPU at 128M */
	near(num(web, "cleanup_cores_avg"), 8 * 12 / 3600.0 * CPU_128M / 1e9);
	near(num(web, "async_reboot.p50_ns"), REBOOT_128M);
	assert_true(json_is_false(
		json_object_get(json_object_get(web, "async_reboot"), "extrapolated")));
	/* the storm: 4 guests on 2 cores: reboots twice as long; drain = cleanup start x 2 +
	 * max(one destroy, 4 x CPU / 2 cores) */
	near(num(a, "storm.cleanup_cpu_ns"), 4 * CPU_128M);
	near(num(a, "storm.drain_ns"), 2 * CSTART_128M + fmax(WALL_128M, 4 * CPU_128M / 2));
	near(num(a, "storm.reboot_p50_ns"), 2 * REBOOT_128M);
	near(num(a, "storm.headroom_bytes"), 4 * (PEAK_128M - 134217728));
	near(num(a, "memory.guests_bytes"), 2 * GIB);
	near(num(a, "memory.margin_bytes"), 4 * GIB - 2 * GIB - 4 * (PEAK_128M - 134217728));
	assert_true(json_is_true(json_object_get(a, "fits")));
	/* db (512M) is beyond the measured 64M..256M: every figure of it is flagged */
	notes = json_object_get(a, "extrapolated");
	assert_true(json_array_size(notes) >= 4);
	n0 = json_string_value(json_array_get(notes, 0));
	assert_non_null(strstr(n0, "class db"));
	assert_non_null(strstr(n0, "extrapolated from 64M..256M"));
	json_decref(a);
}

static void test_unreachable(void **state)
{
	struct pvb_plan_models m;
	struct pvb_fleet f;
	json_t *a;

	(void)state;
	load_models(&m);
	assert_int_equal(pvb_fleet_load(FLEET("unreachable.ini"), &f), 0);
	assert_int_equal(pvb_plan_answer(&m, &f, &a), PVB_EXIT_USAGE);
	assert_null(a);
	assert_int_equal(pvb_fleet_load(FLEET("unknown-key.ini"), &f), PVB_EXIT_USAGE);
}

static void test_check_json(void **state)
{
	static const char *const figs[] = { "cleanup_cpu_ns", "peak_rss_bytes", "drain_ns",
					    "reboot_p50_ns" };
	struct pvb_plan_models m;
	json_t *ck, *c;
	size_t i;

	(void)state;
	load_models(&m);
	assert_int_equal(pvb_plan_check(&m, RUN("plan-g4"), &ck), 0);
	assert_int_equal(json_array_size(ck), 4);
	json_array_foreach(ck, i, c)
	{
		double p = num(c, "predicted"), me = num(c, "measured");

		assert_string_equal(json_string_value(json_object_get(c, "figure")), figs[i]);
		near(num(c, "rel_error"), (p - me) / me);
		near(num(c, "guests"), 4);
		assert_true(num(c, "n") >= 6);
	}
	near(num(json_array_get(ck, 0), "predicted"), 4 * CPU_128M);
	near(num(json_array_get(ck, 1), "predicted"), 4 * PEAK_128M);
	json_decref(ck);
	/* a single-guest run has nothing to check; a directory that is not a run */
	assert_int_equal(pvb_plan_check(&m, RUN("plan-model"), &ck), PVB_EXIT_USAGE);
	assert_int_equal(pvb_plan_check(&m, PVB_TEST_FLEETS, &ck), PVB_EXIT_USAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fit_by_hand), cmocka_unit_test(test_models_fixture),
		cmocka_unit_test(test_fleet_parse), cmocka_unit_test(test_answer_small_fleet),
		cmocka_unit_test(test_unreachable), cmocka_unit_test(test_check_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

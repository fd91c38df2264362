/* summary.csv, speedup.csv and the printed table, from a small iterations.csv written by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "provenance.h"
#include "pvbench.h"
#include "reboot/reboot.h"
#include "report/results.h"
#include "report/stats.h"
#include "report/summary.h"
#include "testutil.h"

#define GIB_STR "1073741824"

/* Index of an iterations.csv column, by name. */
static int icol(const char *name)
{
	for (int c = 0; c < pvb_iteration_ncols; c++)
		if (!strcmp(pvb_iteration_cols[c], name))
			return c;
	fail_msg("no iterations.csv column %s", name);
	return -1;
}

/* One iterations.csv row: the point's key, and one metric column set (others empty). */
struct irow {
	const char *mode, *vcpus, *metric_col, *value;
	const char *metric2_col, *value2; /* optional second metric */
};

static void write_iterations(struct fixture *f, const struct irow *rows, int n)
{
	struct pvb_csv csv;
	const char **fields = calloc((size_t)pvb_iteration_ncols, sizeof(*fields));

	assert_non_null(fields);
	assert_int_equal(pvb_csv_open(&csv, in_dir(f, "iterations.csv"), pvb_iteration_cols,
				      pvb_iteration_ncols),
			 0);
	for (int i = 0; i < n; i++) {
		char iter[16];

		for (int c = 0; c < pvb_iteration_ncols; c++)
			fields[c] = NULL;
		snprintf(iter, sizeof(iter), "%d", i);
		fields[icol("backend")] = "kvm";
		fields[icol("size_bytes")] = GIB_STR;
		fields[icol("mode")] = rows[i].mode;
		fields[icol("iteration")] = iter;
		fields[icol("vcpus")] = rows[i].vcpus;
		fields[icol("backing")] = "anonymous";
		fields[icol("scrub")] = "0";
		fields[icol("touch")] = "1";
		fields[icol("order")] = "seq";
		fields[icol(rows[i].metric_col)] = rows[i].value;
		if (rows[i].metric2_col)
			fields[icol(rows[i].metric2_col)] = rows[i].value2;
		assert_int_equal(pvb_csv_write_row(&csv, fields), 0);
	}
	pvb_csv_close(&csv);
	free(fields);
}

/* The summary.csv row for (mode, vcpus, metric), or NULL. */
static char **find_row(const struct pvb_table *t, const char *mode, const char *vcpus,
		       const char *metric)
{
	int cm = pvb_table_col(t, "mode"), cv = pvb_table_col(t, "vcpus"),
	    cx = pvb_table_col(t, "metric");
	char **found = NULL;

	assert_true(cm >= 0 && cv >= 0 && cx >= 0);
	for (int r = 1; r < t->nrows; r++)
		if (!strcmp(t->rows[r][cm], mode) && !strcmp(t->rows[r][cv], vcpus) &&
		    !strcmp(t->rows[r][cx], metric)) {
			assert_null(found); /* one row per point and metric */
			found = t->rows[r];
		}
	return found;
}

static const char *field(const struct pvb_table *t, char **row, const char *col)
{
	int c = pvb_table_col(t, col);

	assert_true(c >= 0);
	return row[c];
}

/* A whole file, read into a NUL-terminated string (the caller frees it). */
static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *text = calloc(1, 1 << 16);
	size_t n;

	assert_non_null(fp);
	assert_non_null(text);
	n = fread(text, 1, (1 << 16) - 1, fp);
	assert_true(n > 0 && n < (1 << 16) - 1);
	assert_int_equal(fclose(fp), 0);
	return text;
}

#define SPEEDUP_HEADER                                                                        \
	"backend,size_bytes,vcpus,backing,scrub,touch,placement,cleanup_threads,guests,load," \
	"mem_policy,n_sync,n_async,sync_median_ns,async_median_ns,speedup,speedup_ci95_lo,"   \
	"speedup_ci95_hi,resamples,seed\n"

/*
 * The point used by most tests, 1 GiB, kvm, anonymous, scrub 0, touch 1, vcpus 1:
 *   sync:  reboot_ns 10, 20, 30, 40, 50
 *   async: reboot_ns 1, 2, 3
 *   host:  host_touch_ns 100, 300, and populated_bytes 1 GiB on both rows
 */
static const struct irow two_points[] = {
	{ "sync", "1", "reboot_ns", "30", NULL, NULL },
	{ "sync", "1", "reboot_ns", "10", NULL, NULL },
	{ "async", "1", "reboot_ns", "2", NULL, NULL },
	{ "sync", "1", "reboot_ns", "50", NULL, NULL },
	{ "async", "1", "reboot_ns", "1", NULL, NULL },
	{ "sync", "1", "reboot_ns", "20", NULL, NULL },
	{ "host", "1", "host_touch_ns", "100", "populated_bytes", GIB_STR },
	{ "sync", "1", "reboot_ns", "40", NULL, NULL },
	{ "async", "1", "reboot_ns", "3", NULL, NULL },
	{ "host", "1", "host_touch_ns", "300", "populated_bytes", GIB_STR },
};
#define NTWO ((int)(sizeof(two_points) / sizeof(two_points[0])))

/* two_points summarised: the printed table (the caller frees it). */
static char *two_points_table(struct fixture *f)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	write_iterations(f, two_points, NTWO);
	assert_int_equal(pvb_summary_write(f->dir, out), 0);
	assert_int_equal(fclose(out), 0);
	assert_non_null(text);
	return text;
}

static void test_summary_rows(void **state)
{
	struct fixture *f = *state;
	struct pvb_table t;
	char **row;

	write_iterations(f, two_points, NTWO);
	assert_int_equal(pvb_summary_write(f->dir, NULL), 0);
	assert_true(pvb_csv_read(in_dir(f, "summary.csv"), &t) > 0);
	assert_string_equal(t.rows[0][0], "backend");
	assert_int_equal(pvb_table_col(&t, "unit"), 21);
	assert_int_equal(pvb_table_col(&t, "mem_policy"), 26);
	assert_int_equal(pvb_table_col(&t, "ci95_coverage"), t.ncols - 1);

	/*
	 * (sync, reboot): 10, 20, 30, 40, 50; n = 5. Type 7, h = 4p:
	 * p5: h = 0.2 -> 10 + 0.2 * 10 = 12; p25: h = 1 -> 20; median: h = 2 -> 30;
	 * p75: h = 3 -> 40; p95: h = 3.8 -> 40 + 0.8 * 10 = 48. mean = 150 / 5 = 30.
	 * sum (x - 30)^2 = 400 + 100 + 0 + 100 + 400 = 1000; stdev = sqrt(1000 / 4) = 15.81 -> 16;
	 * cov = 15.811 / 30 = 0.5270. n < 6: no 95 % CI, so its fields are empty (never
	 * [min, max], which covers only 1 - 2 / 32 = 93.75 % at n = 5).
	 */
	row = find_row(&t, "sync", "1", "reboot");
	assert_non_null(row);
	assert_string_equal(field(&t, row, "backend"), "kvm");
	assert_string_equal(field(&t, row, "size_bytes"), GIB_STR);
	assert_string_equal(field(&t, row, "n"), "5");
	assert_string_equal(field(&t, row, "median_ns"), "30");
	assert_string_equal(field(&t, row, "p5_ns"), "12");
	assert_string_equal(field(&t, row, "p25_ns"), "20");
	assert_string_equal(field(&t, row, "p75_ns"), "40");
	assert_string_equal(field(&t, row, "p95_ns"), "48");
	assert_string_equal(field(&t, row, "min_ns"), "10");
	assert_string_equal(field(&t, row, "max_ns"), "50");
	assert_string_equal(field(&t, row, "mean_ns"), "30");
	assert_string_equal(field(&t, row, "stdev_ns"), "16");
	assert_string_equal(field(&t, row, "cov"), "0.5270");
	assert_string_equal(field(&t, row, "ci95_lo_ns"), "");
	assert_string_equal(field(&t, row, "ci95_hi_ns"), "");
	assert_string_equal(field(&t, row, "ci95_coverage"), "");
	assert_string_equal(field(&t, row, "vcpus"), "1");
	assert_string_equal(field(&t, row, "backing"), "anonymous");
	assert_string_equal(field(&t, row, "scrub"), "0");
	assert_string_equal(field(&t, row, "touch"), "1");
	assert_string_equal(field(&t, row, "unit"), "ns");

	/* (async, reboot): 1, 2, 3; median 2, mean 2, stdev sqrt(2 / 2) = 1, cov 0.5;
	 * p5: h = 2 * 0.05 = 0.1 -> 1.1 -> "1"; p95: h = 1.9 -> 2.9 -> "3". */
	row = find_row(&t, "async", "1", "reboot");
	assert_non_null(row);
	assert_string_equal(field(&t, row, "n"), "3");
	assert_string_equal(field(&t, row, "median_ns"), "2");
	assert_string_equal(field(&t, row, "p5_ns"), "1");
	assert_string_equal(field(&t, row, "p95_ns"), "3");
	assert_string_equal(field(&t, row, "min_ns"), "1");
	assert_string_equal(field(&t, row, "max_ns"), "3");
	assert_string_equal(field(&t, row, "stdev_ns"), "1");
	assert_string_equal(field(&t, row, "cov"), "0.5000");
	assert_string_equal(field(&t, row, "unit"), "ns");

	/* host: host_touch 100, 300 -> n 2, median 200; populated 1 GiB twice, unit bytes */
	row = find_row(&t, "host", "1", "host_touch");
	assert_non_null(row);
	assert_string_equal(field(&t, row, "n"), "2");
	assert_string_equal(field(&t, row, "median_ns"), "200");
	assert_string_equal(field(&t, row, "unit"), "ns");
	row = find_row(&t, "host", "1", "populated");
	assert_non_null(row);
	assert_string_equal(field(&t, row, "n"), "2");
	assert_string_equal(field(&t, row, "median_ns"), GIB_STR);
	assert_string_equal(field(&t, row, "unit"), "bytes");

	/* Metrics without values have no row: exactly the four above. */
	assert_int_equal(t.nrows, 1 + 4);
	assert_null(find_row(&t, "sync", "1", "teardown"));
	assert_null(find_row(&t, "sync", "1", "memory_back"));
	assert_null(find_row(&t, "sync", "1", "populated"));
	assert_null(find_row(&t, "async", "1", "cleanup"));
	assert_null(find_row(&t, "host", "1", "reboot"));
	assert_null(find_row(&t, "host", "1", "host_memset"));
	pvb_table_free(&t);
}

static void test_summary_table(void **state)
{
	char *text = two_points_table(*state), *line;

	assert_non_null(strstr(text, "backend kvm"));
	assert_non_null(strstr(text, "not z16 Secure Execution"));
	/* The sync line of the latency table: size 1G, vcpus 1, mode sync, n 5, and the
	 * reboot median [p5, p95] in ms: 30 ns = 0.000 ms [0.000, 0.000]. */
	line = strstr(text, "\n1G ");
	assert_non_null(line);
	assert_non_null(strstr(line, "sync"));
	assert_non_null(strstr(text, "async"));
	assert_non_null(strstr(text, "  1G     x1   sync "));
	assert_non_null(strstr(text, "  1G     x1   async "));
	/* The host point has no reboot: it gets no line in the latency table, only in the
	 * rates: "host: first touch ..." after each mode. */
	assert_null(strstr(text, "\n1G     1     host"));
	assert_non_null(strstr(text, "host: first touch"));
	free(text);
}

static void test_no_iterations(void **state)
{
	struct fixture *f = *state;
	struct stat st;
	int rc;

	rc = pvb_summary_write(f->dir, NULL);
	assert_int_not_equal(rc, 0);
	assert_int_equal(rc, PVB_EXIT_USAGE);
	assert_int_not_equal(stat(in_dir(f, "summary.csv"), &st), 0);
	/* a directory that does not exist at all */
	assert_int_not_equal(pvb_summary_write(in_dir(f, "missing"), NULL), 0);
}

/* Points that differ only in vcpus are summarised separately.
 *   sync x1: 10, 20 -> n 2, median 15;  sync x2: 100, 300, 500 -> n 3, median 300. */
static void test_vcpus_separate(void **state)
{
	static const struct irow rows[] = {
		{ "sync", "1", "reboot_ns", "10", NULL, NULL },
		{ "sync", "2", "reboot_ns", "100", NULL, NULL },
		{ "sync", "2", "reboot_ns", "500", NULL, NULL },
		{ "sync", "1", "reboot_ns", "20", NULL, NULL },
		{ "sync", "2", "reboot_ns", "300", NULL, NULL },
	};
	struct fixture *f = *state;
	struct pvb_table t;
	char **row;

	write_iterations(f, rows, (int)(sizeof(rows) / sizeof(rows[0])));
	assert_int_equal(pvb_summary_write(f->dir, NULL), 0);
	assert_true(pvb_csv_read(in_dir(f, "summary.csv"), &t) > 0);
	assert_int_equal(t.nrows, 1 + 2);
	row = find_row(&t, "sync", "1", "reboot");
	assert_non_null(row);
	assert_string_equal(field(&t, row, "n"), "2");
	assert_string_equal(field(&t, row, "median_ns"), "15");
	assert_string_equal(field(&t, row, "max_ns"), "20");
	row = find_row(&t, "sync", "2", "reboot");
	assert_non_null(row);
	assert_string_equal(field(&t, row, "n"), "3");
	assert_string_equal(field(&t, row, "median_ns"), "300");
	assert_string_equal(field(&t, row, "min_ns"), "100");
	pvb_table_free(&t);
	/* no async point: speedup.csv has its header and no row */
	{
		char *csv = slurp(in_dir(f, "speedup.csv"));

		assert_string_equal(csv, SPEEDUP_HEADER);
		free(csv);
	}
}

/*
 * two_points: sync n = 5 (median 30), async n = 3 (median 2): speedup 30 / 2 = 15, and no
 * CI (n < 6 on either side). The key is the point's as summary.csv has it (this fixture leaves
 * placement..mem_policy empty), without mode; the host point has no
 * reboot and no row. The table says the n is too small rather than print an interval.
 */
static void test_speedup_small_n(void **state)
{
	struct fixture *f = *state;
	char *text = two_points_table(f), *csv = slurp(in_dir(f, "speedup.csv"));

	assert_string_equal(csv, SPEEDUP_HEADER "kvm," GIB_STR ",1,anonymous,0,1,,,,,,5,3,30,2,"
						"15.0000,,,2000,9\n");
	assert_non_null(strstr(text, "Speedup sync/async"));
	assert_non_null(strstr(text, "15.00 (n too small for a 95 % interval)"));
	free(csv);
	free(text);
}

/* summary.json beside the CSVs: the same figures (the speedup's CI unrounded), the CI of
 * the median, the schema version. */
static void check_summary_json(struct fixture *f, double lo, double hi)
{
	json_t *doc = json_load_file(in_dir(f, "summary.json"), 0, NULL), *pt, *m, *sp;
	size_t i;

	assert_non_null(doc);
	assert_int_equal(json_integer_value(json_object_get(doc, "schema_version")),
			 PVB_SCHEMA_VERSION);
	json_array_foreach(json_object_get(doc, "points"), i, pt)
	{
		m = json_object_get(json_object_get(pt, "metrics"), "reboot");
		assert_non_null(m);
		assert_int_equal(json_integer_value(json_object_get(m, "n")), 10);
		if (!strcmp(json_string_value(json_object_get(pt, "mode")), "sync")) {
			assert_true(json_real_value(json_object_get(m, "median")) == 55);
			assert_true(json_real_value(json_object_get(m, "ci95_lo")) == 20);
			assert_true(json_real_value(json_object_get(m, "ci95_hi")) == 90);
		} else {
			assert_true(json_real_value(json_object_get(m, "median")) == 5.5);
		}
	}
	assert_int_equal(i, 2);
	sp = json_array_get(json_object_get(doc, "speedups"), 0);
	assert_true(json_real_value(json_object_get(sp, "speedup")) == 10);
	assert_true(fabs(json_real_value(json_object_get(sp, "speedup_ci95_lo")) - lo) < 1e-9);
	assert_true(fabs(json_real_value(json_object_get(sp, "speedup_ci95_hi")) - hi) < 1e-9);
	assert_null(json_object_get(sp, "mode"));
	json_decref(doc);
}

/*
 * sync reboot_ns 10, 20, ..., 100 and async 1, 2, ..., 10 (n = 10 each, shuffled):
 * summary.csv: the exact CI of the median at n = 10 is [x(2), x(9)] = [20, 90] and [2, 9],
 * coverage 1 - 2 * 11 / 1024 = 0.978515625 -> "0.9785"; medians 55 and 5.5 ("6": whole ns).
 * speedup.csv: 55 / 5.5 = 10; its CI is the bootstrap with the recorded resamples and seed
 * (recomputed here from those two fields), holds 10, and a rerun writes the same file.
 */
static void test_speedup_ci(void **state)
{
	struct fixture *f = *state;
	struct irow rows[20];
	char vals[20][16], *first, *again;
	double sync[10], async[10], ratio, lo, hi;
	struct pvb_table t;
	char **row;

	for (int i = 0; i < 10; i++) {
		int v = (i * 3) % 10 + 1; /* 1, 4, 7, 10, 3, ... */

		snprintf(vals[2 * i], sizeof(vals[0]), "%d", 10 * v);
		snprintf(vals[2 * i + 1], sizeof(vals[0]), "%d", v);
		rows[2 * i] = (struct irow){ "sync", "1", "reboot_ns", vals[2 * i], NULL, NULL };
		rows[2 * i + 1] =
			(struct irow){ "async", "1", "reboot_ns", vals[2 * i + 1], NULL, NULL };
		sync[i] = 10.0 * v;
		async[i] = v;
	}
	write_iterations(f, rows, 20);
	assert_int_equal(pvb_summary_write(f->dir, NULL), 0);
	assert_true(pvb_csv_read(in_dir(f, "summary.csv"), &t) > 0);
	row = find_row(&t, "sync", "1", "reboot");
	assert_non_null(row);
	assert_string_equal(field(&t, row, "ci95_lo_ns"), "20");
	assert_string_equal(field(&t, row, "ci95_hi_ns"), "90");
	assert_string_equal(field(&t, row, "ci95_coverage"), "0.9785");
	row = find_row(&t, "async", "1", "reboot");
	assert_non_null(row);
	assert_string_equal(field(&t, row, "ci95_lo_ns"), "2");
	assert_string_equal(field(&t, row, "ci95_hi_ns"), "9");
	pvb_table_free(&t);

	assert_true(pvb_csv_read(in_dir(f, "speedup.csv"), &t) == 2);
	row = t.rows[1];
	assert_string_equal(field(&t, row, "n_sync"), "10");
	assert_string_equal(field(&t, row, "n_async"), "10");
	assert_string_equal(field(&t, row, "sync_median_ns"), "55");
	assert_string_equal(field(&t, row, "speedup"), "10.0000");
	assert_int_equal(pvb_bootstrap_ratio(
				 sync, 10, async, 10, (unsigned)atoi(field(&t, row, "resamples")),
				 (uint64_t)atoll(field(&t, row, "seed")), 0.95, &ratio, &lo, &hi),
			 0);
	assert_true(fabs(strtod(field(&t, row, "speedup_ci95_lo"), NULL) - lo) < 1e-4);
	assert_true(fabs(strtod(field(&t, row, "speedup_ci95_hi"), NULL) - hi) < 1e-4);
	assert_true(lo < 10 && 10 < hi);
	pvb_table_free(&t);

	check_summary_json(f, lo, hi);
	first = slurp(in_dir(f, "speedup.csv"));
	assert_int_equal(pvb_summary_write(f->dir, NULL), 0);
	again = slurp(in_dir(f, "speedup.csv"));
	assert_string_equal(first, again);
	free(first);
	free(again);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_summary_rows, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_summary_table, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_no_iterations, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_vcpus_separate, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_speedup_small_n, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_speedup_ci, fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* pvbench merge on two-host fixtures (tests/fixtures/runs/fleet-lpar-a and -b: the emulated
 * runs emu-base and emu-slow as schema 1 runs of hosts lpar-a and lpar-b): the layout, the
 * merged rows, the dataset of a merged set keyed by host, host against host in compare, and
 * what is refused (schema mismatch, a run twice, not a run, OUT not empty). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pvbench.h"
#include "report/compare.h"
#include "report/dataset.h"
#include "report/merge.h"
#include "report/results.h"
#include "testutil.h"

#define RUNS   PVB_TEST_RUNS
#define LPAR_A RUNS "/fleet-lpar-a"
#define LPAR_B RUNS "/fleet-lpar-b"
#define ID_A   "20261101T080000Z-lpar-a-0a0a0a0a"
#define ID_B   "20261101T090000Z-lpar-b-0b0b0b0b"
#define ROWS_A 50 /* measured rows of each fixture (iterations.csv without its header) */
#define ROWS_B 17

static int merge(struct fixture *f, const char *out, const char *a, const char *b, bool skip)
{
	const char *dirs[] = { a, b };
	char path[4200];

	snprintf(path, sizeof(path), "%s/%s", f->dir, out);
	return pvb_merge(dirs, b ? 2 : 1, path, skip);
}

static bool exists(struct fixture *f, const char *name)
{
	struct stat st;

	return stat(in_dir(f, name), &st) == 0;
}

/* The layout, the manifests and the rows with their run_id and host. */
static void test_two_hosts(void **state)
{
	struct fixture *f = *state;
	struct pvb_merge_source *src;
	struct pvb_table t;
	size_t n;
	int hc, ic, na = 0, nb = 0;

	assert_int_equal(merge(f, "m", LPAR_A, LPAR_B, false), 0);
	assert_true(exists(f, "m/lpar-a/" ID_A "/meta.json"));
	assert_true(exists(f, "m/lpar-b/" ID_B "/iterations.csv"));
	assert_int_equal(pvb_merged_sources(in_dir(f, "m"), &src, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(src[0].host, "lpar-a");
	assert_string_equal(src[1].run_id, ID_B);
	assert_int_equal(src[0].schema, 1);
	pvb_merge_sources_free(src, n);
	assert_int_equal(pvb_merged_sources(in_dir(f, "m/lpar-b"), &src, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(src[0].host, "lpar-b");
	pvb_merge_sources_free(src, n);

	assert_int_equal(pvb_csv_read(in_dir(f, "m/iterations.csv"), &t), 1 + ROWS_A + ROWS_B);
	hc = pvb_table_col(&t, "host");
	ic = pvb_table_col(&t, "run_id");
	assert_true(hc >= 0 && ic >= 0);
	for (int r = 1; r < t.nrows; r++) {
		bool a = !strcmp(t.rows[r][hc], "lpar-a");

		assert_string_equal(t.rows[r][ic], a ? ID_A : ID_B);
		na += a;
		nb += !a;
	}
	assert_int_equal(na, ROWS_A);
	assert_int_equal(nb, ROWS_B);
	pvb_table_free(&t);
}

/* report's dataset: points keyed by host too, the same samples as each run alone. */
static void test_dataset(void **state)
{
	struct fixture *f = *state;
	struct pvb_dataset ds, one;
	const char *d[] = { in_dir(f, "m") }, *a[] = { LPAR_A };
	const struct pvb_samples *s, *s1;
	int found = 0;

	assert_int_equal(merge(f, "m", LPAR_A, LPAR_B, false), 0);
	d[0] = in_dir(f, "m");
	assert_int_equal(pvb_dataset_load(&ds, d, 1), 0);
	assert_int_equal(pvb_dataset_load(&one, a, 1), 0);
	assert_int_equal(ds.nruns, 2);
	assert_true(pvb_ds_key_varies(&ds, PVB_K_HOST));
	assert_false(pvb_ds_key_varies(&one, PVB_K_HOST));
	for (size_t i = 0; i < ds.npoints; i++) {
		const struct pvb_ds_point *p = &ds.points[i];

		if (strcmp(p->key[PVB_K_HOST], "lpar-a") || p->size_bytes != 64ULL << 20)
			continue;
		found++;
		s = pvb_ds_get(&ds, p, PVB_DS_SYNC, "reboot_ns");
		s1 = pvb_ds_get(&one, &one.points[0], PVB_DS_SYNC, "reboot_ns");
		assert_non_null(s);
		assert_non_null(s1);
		assert_int_equal(s->n, s1->n);
		assert_memory_equal(s->v, s1->v, s->n * sizeof(double));
	}
	assert_int_equal(found, 1);
	pvb_dataset_free(&ds);
	pvb_dataset_free(&one);
}

/* compare OUT/lpar-a OUT/lpar-b: host is what differs, the 64M point matches. */
static void test_compare_hosts(void **state)
{
	struct fixture *f = *state;
	struct pvb_dataset a, b;
	struct pvb_compare c;
	struct pvb_cmp_opts o = { .threshold = 0.05, .alpha = 0.01 };
	char metrics[] = "reboot", pa[4200], pb[4200];
	const char *da[] = { pa }, *db[] = { pb };

	assert_int_equal(merge(f, "m", LPAR_A, LPAR_B, false), 0);
	snprintf(pa, sizeof(pa), "%s/m/lpar-a", f->dir);
	snprintf(pb, sizeof(pb), "%s/m/lpar-b", f->dir);
	assert_int_equal(pvb_compare_metrics(metrics, &o), 0);
	assert_int_equal(pvb_dataset_load(&a, da, 1), 0);
	assert_int_equal(pvb_dataset_load(&b, db, 1), 0);
	assert_int_equal(pvb_compare_build(&c, &a, &b, &o), 0);
	assert_true(c.across[PVB_K_HOST]);
	assert_string_equal(c.across_base[PVB_K_HOST], "lpar-a");
	assert_string_equal(c.across_new[PVB_K_HOST], "lpar-b");
	assert_int_equal(c.nmatched, 1);
	assert_true(c.nrows > 0);
	pvb_compare_free(&c);
	pvb_dataset_free(&a);
	pvb_dataset_free(&b);
}

/* What merge refuses leaves no OUT behind. */
static void test_refused(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(merge(f, "x", LPAR_A, RUNS "/emu-base", false), PVB_EXIT_USAGE);
	assert_int_equal(merge(f, "x", LPAR_A, LPAR_A, false), PVB_EXIT_USAGE);
	assert_int_equal(merge(f, "x", LPAR_A, PVB_TEST_RUNS, false), PVB_EXIT_USAGE);
	assert_int_equal(merge(f, "x", LPAR_A, RUNS "/nonexistent", false), PVB_EXIT_USAGE);
	assert_false(exists(f, "x"));
	assert_int_equal(merge(f, "x", LPAR_A, LPAR_A, true), 0);
	assert_true(exists(f, "x/lpar-a/" ID_A));
	/* not empty any more */
	assert_int_equal(merge(f, "x", LPAR_B, NULL, false), PVB_EXIT_USAGE);
}

/* Old runs (schema 0) merge among themselves: the host from meta.json, ids from the rows;
 * a merged set is an input too, and the run it holds is then a duplicate. */
static void test_old_runs_and_sets(void **state)
{
	struct fixture *f = *state;
	struct pvb_merge_source *src;
	char set[4200];
	size_t n;

	assert_int_equal(merge(f, "old", RUNS "/emu-base", RUNS "/emu-slow", false), 0);
	assert_int_equal(pvb_merged_sources(in_dir(f, "old"), &src, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(src[0].schema, 0);
	assert_string_equal(src[0].host, src[1].host); /* both recorded hostname "vm" */
	assert_int_equal(strncmp(src[0].run_id, "legacy-", 7), 0);
	assert_string_not_equal(src[0].run_id, src[1].run_id);
	pvb_merge_sources_free(src, n);
	snprintf(set, sizeof(set), "%s/old", f->dir);
	assert_int_equal(merge(f, "again", set, RUNS "/emu-slow", false), PVB_EXIT_USAGE);
	assert_int_equal(merge(f, "again", set, NULL, false), 0);
	assert_int_equal(pvb_merged_sources(in_dir(f, "again"), &src, &n), 0);
	assert_int_equal(n, 2);
	pvb_merge_sources_free(src, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_two_hosts, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_dataset, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_compare_hosts, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_refused, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_old_runs_and_sets, fixture_setup,
						fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

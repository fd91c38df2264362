/* `pvbench compare`'s model (report/compare.c) on the committed pv-emulated fixture runs: a run
 * against itself is `same` everywhere; a model with every cost doubled is `slower` (and the
 * other way `faster`) with p < 0.01 and a CI that excludes 1; points that match nothing. */
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
#include "report/compare.h"
#include "report/dataset.h"

#define RUN(name) PVB_TEST_RUNS "/" name

struct pair {
	struct pvb_dataset base, nw;
	struct pvb_compare c;
	struct pvb_cmp_opts o;
	char metrics[256];
};

static int build(struct pair *p, const char *base, const char *nw, const char *metrics)
{
	const char *b[] = { base }, *n[] = { nw };

	memset(p, 0, sizeof(*p));
	p->o.threshold = 0.05;
	p->o.alpha = 0.01;
	snprintf(p->metrics, sizeof(p->metrics), "%s", metrics);
	assert_int_equal(pvb_compare_metrics(p->metrics, &p->o), 0);
	assert_int_equal(pvb_dataset_load(&p->base, b, 1), 0);
	assert_int_equal(pvb_dataset_load(&p->nw, n, 1), 0);
	return pvb_compare_build(&p->c, &p->base, &p->nw, &p->o);
}

static void done(struct pair *p)
{
	pvb_compare_free(&p->c);
	pvb_dataset_free(&p->base);
	pvb_dataset_free(&p->nw);
}

static const struct pvb_cmp_row *row(const struct pvb_compare *c, enum pvb_ds_mode mode,
				     const char *metric)
{
	for (size_t i = 0; i < c->nrows; i++)
		if (c->rows[i].mode == mode && !strcmp(c->rows[i].metric, metric))
			return &c->rows[i];
	fail_msg("no row %s %s", pvb_ds_mode_names[mode], metric);
	return NULL;
}

static void test_self(void **state)
{
	struct pair p;

	(void)state;
	assert_int_equal(build(&p, RUN("emu-base"), RUN("emu-base"), PVB_CMP_DEFAULT_METRICS), 0);
	assert_int_equal(p.c.nmatched, 2);
	assert_int_equal(p.c.nbase_only + p.c.nnew_only, 0);
	assert_true(p.c.nrows >= 2 * 2 * 4); /* 2 points x sync, async x 4 metrics at least */
	for (size_t i = 0; i < p.c.nrows; i++) {
		const struct pvb_cmp_row *r = &p.c.rows[i];

		assert_int_equal(r->verdict, PVB_SAME);
		assert_true(fabs(r->ratio - 1) < 1e-12);
		assert_true(r->p > 0.5);
	}
	assert_int_equal(p.c.nslower + p.c.nfaster, 0);
	done(&p);
}

/* emu-slow: the same model with every cost doubled (64M only). */
static void test_slower_and_faster(void **state)
{
	const struct pvb_cmp_row *r;
	struct pair p;

	(void)state;
	assert_int_equal(build(&p, RUN("emu-base"), RUN("emu-slow"), "reboot,cleanup"), 0);
	assert_int_equal(p.c.nmatched, 1);
	assert_int_equal(p.c.nbase_only, 1); /* 2304M */
	assert_non_null(strstr(p.c.base_only[0], "2304M"));
	r = row(&p.c, PVB_DS_SYNC, "reboot");
	assert_int_equal(r->verdict, PVB_SLOWER);
	assert_true(r->p < 0.01);
	assert_true(r->lo > 1 && r->ratio > 1.05);
	assert_true(p.c.nslower > 0);
	assert_int_equal(p.c.nfaster, 0);
	done(&p);

	assert_int_equal(build(&p, RUN("emu-slow"), RUN("emu-base"), "reboot"), 0);
	assert_int_equal(p.c.nnew_only, 1);
	r = row(&p.c, PVB_DS_SYNC, "reboot");
	assert_int_equal(r->verdict, PVB_FASTER);
	assert_true(r->p < 0.01);
	assert_true(r->hi < 1);
	assert_int_equal(p.c.nslower, 0);
	done(&p);
}

/* A threshold beyond the change (NEW at about a quarter of BASE): significant, yet `same`. */
static void test_threshold(void **state)
{
	struct pair p;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(build(&p, RUN("emu-slow"), RUN("emu-base"), "reboot"), 0);
	assert_int_equal(row(&p.c, PVB_DS_SYNC, "reboot")->verdict, PVB_FASTER);
	pvb_compare_free(&p.c);
	p.o.threshold = 0.99;
	assert_int_equal(pvb_compare_build(&p.c, &p.base, &p.nw, &p.o), 0);
	assert_true(row(&p.c, PVB_DS_SYNC, "reboot")->p < 0.01);
	assert_int_equal(row(&p.c, PVB_DS_SYNC, "reboot")->verdict, PVB_SAME);
	done(&p);
}

/* Two runs that differ in one setting held by all their points (here the backing, as in
 * "4 KiB against THP") are compared across it: points match without it, and it is said once. */
static void test_across(void **state)
{
	char dir[] = "/tmp/pvbench-cmp-XXXXXX", cmd[512], path[300];
	const struct pvb_cmp_row *r;
	struct pair p;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd),
		 "cp -r '%s' '%s/thp' && sed -i 's/,anonymous,/,thp,/' '%s/thp/iterations.csv'",
		 RUN("emu-base"), dir, dir);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/thp", dir);
	assert_int_equal(build(&p, RUN("emu-base"), path, "reboot"), 0);
	assert_true(p.c.across[PVB_K_BACKING]);
	assert_string_equal(p.c.across_base[PVB_K_BACKING], "anonymous");
	assert_string_equal(p.c.across_new[PVB_K_BACKING], "thp");
	for (int k = 0; k < PVB_DS_NKEYS; k++)
		assert_true(k == PVB_K_BACKING || !p.c.across[k]);
	assert_int_equal(p.c.nmatched, 2);
	r = row(&p.c, PVB_DS_SYNC, "reboot");
	assert_true(fabs(r->ratio - 1) < 1e-12); /* the same samples under another name */
	done(&p);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_bad_metrics(void **state)
{
	struct pvb_cmp_opts o = { 0 };
	char twice[] = "reboot,reboot", empty[] = "", dash[] = "cleanup-cpu";
	struct pair p;

	(void)state;
	assert_int_equal(pvb_compare_metrics(twice, &o), -1);
	assert_int_equal(pvb_compare_metrics(empty, &o), -1);
	assert_int_equal(pvb_compare_metrics(dash, &o), 0);
	assert_string_equal(o.metrics[0], "cleanup_cpu");
	assert_int_equal(build(&p, RUN("emu-base"), RUN("emu-base"), "reboot,nonsense"),
			 PVB_EXIT_USAGE);
	done(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_self),	    cmocka_unit_test(test_slower_and_faster),
		cmocka_unit_test(test_threshold),   cmocka_unit_test(test_across),
		cmocka_unit_test(test_bad_metrics),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

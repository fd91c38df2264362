/* The results loader (report/dataset.c) and `pvbench report`'s model and formats, on the
 * committed pv-emulated fixture runs (tests/fixtures/runs/) and on broken directories. */
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

#include "pvbench.h"
#include "report/dataset.h"
#include "report/report.h"
#include "testutil.h"

#define RUN(name)	       PVB_TEST_RUNS "/" name
#define assert_near(a, b, eps) assert_true(fabs((a) - (b)) <= (eps))

static void load_one(struct pvb_dataset *ds, const char *dir)
{
	const char *dirs[] = { dir };

	assert_int_equal(pvb_dataset_load(ds, dirs, 1), 0);
}

static const struct pvb_ds_point *find(const struct pvb_dataset *ds, unsigned long long size,
				       const char *placement)
{
	for (size_t i = 0; i < ds->npoints; i++)
		if (ds->points[i].size_bytes == size &&
		    !strcmp(ds->points[i].key[PVB_K_PLACEMENT], placement))
			return &ds->points[i];
	fail_msg("no point of %llu bytes, placement %s", size, placement);
	return NULL;
}

/* A reboot run: one point per size; per mode the measured rows (warm-ups are not rows). */
static void test_load_reboot_run(void **state)
{
	struct pvb_dataset ds;
	const struct pvb_ds_point *p;

	(void)state;
	load_one(&ds, RUN("emu-base"));
	assert_int_equal(ds.nruns, 1);
	assert_false(ds.runs[0].sweep);
	assert_int_equal(ds.npoints, 2);
	p = find(&ds, 64ULL << 20, "unpinned");
	assert_string_equal(p->key[PVB_K_BACKEND], "pv-emulated");
	assert_string_equal(p->key[PVB_K_CSTART], "alive");
	assert_int_equal(pvb_ds_get(&ds, p, PVB_DS_SYNC, "reboot_ns")->n, 8);
	assert_int_equal(pvb_ds_get(&ds, p, PVB_DS_ASYNC, "reboot_ns")->n, 8);
	assert_int_equal(pvb_ds_get(&ds, p, PVB_DS_FLOOR, "reboot_ns")->n, 8);
	assert_int_equal(pvb_ds_get(&ds, p, PVB_DS_HOST, "host_touch_ns")->n, 1);
	assert_null(pvb_ds_get(&ds, p, PVB_DS_HOST, "reboot_ns"));
	assert_true(pvb_ds_get(&ds, p, PVB_DS_SYNC, "reboot_ns")->v[0] > 0);
	assert_true(pvb_ds_metric(&ds, "memory_back_pcp_ns") >= 0);
	assert_int_equal(pvb_ds_metric(&ds, "placement_cpus"), -1); /* not a metric */
	assert_int_equal(pvb_ds_metric(&ds, "size_bytes"), -1);	    /* a key */
	find(&ds, 2304ULL << 20, "unpinned");
	assert_true(pvb_ds_key_varies(&ds, PVB_K_SIZE));
	assert_false(pvb_ds_key_varies(&ds, PVB_K_PLACEMENT));
	assert_string_equal(pvb_ds_run_str(&ds.runs[0], "config.backend"), "pv-emulated");
	pvb_dataset_free(&ds);
}

/* A sweep: points by configuration across its sweep points (sync and async are one point). */
static void test_load_sweep(void **state)
{
	struct pvb_dataset ds;
	const struct pvb_ds_point *p;

	(void)state;
	load_one(&ds, RUN("emu-sweep"));
	assert_true(ds.runs[0].sweep);
	assert_int_equal(ds.npoints, 2);
	assert_true(pvb_ds_key_varies(&ds, PVB_K_PLACEMENT));
	p = find(&ds, 64ULL << 20, "same-pu");
	assert_int_equal(pvb_ds_get(&ds, p, PVB_DS_SYNC, "reboot_ns")->n, 6);
	assert_int_equal(pvb_ds_get(&ds, p, PVB_DS_ASYNC, "reboot_ns")->n, 6);
	assert_null(pvb_ds_get(&ds, p, PVB_DS_FLOOR, "reboot_ns")); /* no-floor */
	assert_string_equal(p->key[PVB_K_CSTART], "alive");
	assert_non_null(pvb_ds_run_str(&ds.runs[0], "host.kernel.release")); /* a point's json */
	pvb_dataset_free(&ds);
}

/* Several directories: the runs are listed, the same configuration pooled. */
static void test_load_pooled(void **state)
{
	const char *dirs[] = { RUN("emu-base"), RUN("emu-base") };
	struct pvb_dataset ds;

	(void)state;
	assert_int_equal(pvb_dataset_load(&ds, dirs, 2), 0);
	assert_int_equal(ds.nruns, 2);
	assert_int_equal(ds.npoints, 2);
	assert_int_equal(pvb_ds_get(&ds, &ds.points[0], PVB_DS_SYNC, "reboot_ns")->n, 16);
	assert_int_equal(ds.points[0].runs, 3);
	pvb_dataset_free(&ds);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

static int load_dir(const char *dir)
{
	const char *dirs[] = { dir };
	struct pvb_dataset ds;
	int rc = pvb_dataset_load(&ds, dirs, 1);

	pvb_dataset_free(&ds);
	return rc;
}

/* What is not a run is refused with exit 2. */
static void test_load_refuses(void **state)
{
	struct fixture *f = *state;
	char dir[4096];

	assert_int_equal(load_dir("/nonexistent/pvbench"), PVB_EXIT_USAGE);
	assert_int_equal(load_dir(f->dir), PVB_EXIT_USAGE);			  /* no meta.json */
	assert_int_equal(load_dir(RUN("emu-base") "/meta.json"), PVB_EXIT_USAGE); /* a file */
	snprintf(dir, sizeof(dir), "%s", f->dir);
	write_file(in_dir(f, "meta.json"), "{}");
	assert_int_equal(load_dir(dir), PVB_EXIT_USAGE); /* no iterations.csv */
	write_file(in_dir(f, "iterations.csv"), "a,b,c\n1,2,3\n");
	assert_int_equal(load_dir(dir), PVB_EXIT_USAGE); /* not its header */
	write_file(in_dir(f, "iterations.csv"),
		   "backend,size_bytes,mode,reboot_ns,vcpus,backing,scrub,touch\n");
	assert_int_equal(load_dir(dir), PVB_EXIT_USAGE); /* no rows */
	write_file(in_dir(f, "iterations.csv"),
		   "backend,size_bytes,mode,reboot_ns,vcpus,backing,scrub,touch\n"
		   "kvm,1024,sync,12x,1,thp,0,1\n");
	assert_int_equal(load_dir(dir), PVB_EXIT_USAGE); /* not a number */
	write_file(in_dir(f, "iterations.csv"),
		   "backend,size_bytes,mode,reboot_ns,vcpus,backing,scrub,touch\n"
		   "kvm,1024,reboot,12,1,thp,0,1\n");
	assert_int_equal(load_dir(dir), PVB_EXIT_USAGE); /* an unknown mode */
	write_file(in_dir(f, "meta.json"), "[1");
	assert_int_equal(load_dir(dir), PVB_EXIT_USAGE); /* not JSON */
}

/* Render a format into a string. */
static char *render(const struct pvb_report *r, int (*fn)(const struct pvb_report *, FILE *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(fn(r, f), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static double median_of(const struct pvb_samples *s)
{
	struct pvb_summary sum;

	assert_int_equal(pvb_summarize(s->v, s->n, &sum), 0);
	return sum.median;
}

/* json: a points list with the fields tools need; the speedup is the ratio of the medians
 * and lies in its CI; the CIs of n = 8 are exact order statistics. */
static void test_report_json(void **state)
{
	struct pvb_dataset ds;
	struct pvb_report r;
	json_error_t e;
	json_t *root, *pts, *p;
	char *text;
	size_t i;

	(void)state;
	load_one(&ds, RUN("emu-base"));
	assert_int_equal(pvb_report_build(&r, &ds), 0);
	text = render(&r, pvb_report_json);
	root = json_loads(text, 0, &e);
	assert_non_null(root);
	pts = json_object_get(root, "points");
	assert_int_equal(json_array_size(pts), 2);
	json_array_foreach(pts, i, p)
	{
		double sp = json_number_value(json_object_get(p, "speedup"));
		double s = json_number_value(json_object_get(p, "sync_reboot_median_ns"));
		double a = json_number_value(json_object_get(p, "async_reboot_median_ns"));
		json_int_t size = json_integer_value(json_object_get(p, "size_bytes"));
		const struct pvb_ds_point *pt = find(&ds, (unsigned long long)size, "unpinned");

		assert_string_equal(json_string_value(json_object_get(p, "backend")),
				    "pv-emulated");
		assert_near(s, median_of(pvb_ds_get(&ds, pt, PVB_DS_SYNC, "reboot_ns")), 1e-6);
		assert_near(sp, s / a, 1e-9);
		assert_true(json_number_value(json_object_get(p, "speedup_ci95_lo")) <= sp);
		assert_true(json_number_value(json_object_get(p, "speedup_ci95_hi")) >= sp);
		/* n = 8: [x(2), x(7)] covers 1 - 2 * 9/256 < 95 %, so [x(1), x(8)]: 1 - 2/256 */
		assert_near(json_number_value(json_object_get(p, "sync_reboot_ci95_coverage")),
			    1 - 2.0 / 256, 1e-12);
		assert_true(json_is_number(json_object_get(p, "async_memory_back_pcp_median_ns")));
	}
	assert_int_equal(i, 2);
	assert_true(json_array_size(json_object_get(root, "warnings")) >= 1); /* emulated */
	assert_true(json_is_true(
		json_object_get(json_array_get(json_object_get(root, "runs"), 0), "emulated")));
	json_decref(root);
	free(text);
	pvb_report_free(&r);
	pvb_dataset_free(&ds);
}

/* The same report twice: the same bytes (a fixed seed). */
static void test_report_reproducible(void **state)
{
	struct pvb_dataset ds;
	struct pvb_report r;
	char *a, *b;

	(void)state;
	load_one(&ds, RUN("emu-sweep"));
	assert_int_equal(pvb_report_build(&r, &ds), 0);
	a = render(&r, pvb_report_json);
	b = render(&r, pvb_report_json);
	assert_string_equal(a, b);
	free(a);
	free(b);
	pvb_report_free(&r);
	pvb_dataset_free(&ds);
}

/* txt at most 72 columns; md has its tables; html has inline SVG and no network reference. */
static void test_report_text_formats(void **state)
{
	const char *dirs[] = { RUN("emu-base"), RUN("emu-sweep") };
	struct pvb_dataset ds;
	struct pvb_report r;
	char *txt, *md, *html;

	(void)state;
	assert_int_equal(pvb_dataset_load(&ds, dirs, 2), 0);
	assert_int_equal(pvb_report_build(&r, &ds), 0);
	txt = render(&r, pvb_report_txt);
	for (char *line = txt, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		assert_non_null(nl);
		if (nl - line > 72)
			fail_msg("txt line of %d columns: %.*s", (int)(nl - line), (int)(nl - line),
				 line);
	}
	assert_non_null(strstr(txt, "#1")); /* labels too long for 72 columns: a legend */
	md = render(&r, pvb_report_md);
	assert_non_null(strstr(md, "| point |"));
	assert_non_null(strstr(md, "## Methodology"));
	html = render(&r, pvb_report_html);
	assert_non_null(strstr(html, "<svg"));
	assert_null(strstr(html, "http"));
	assert_null(strstr(html, "src="));
	free(txt);
	free(md);
	free(html);
	pvb_report_free(&r);
	pvb_dataset_free(&ds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_reboot_run),
		cmocka_unit_test(test_load_sweep),
		cmocka_unit_test(test_load_pooled),
		cmocka_unit_test_setup_teardown(test_load_refuses, fixture_setup, fixture_teardown),
		cmocka_unit_test(test_report_json),
		cmocka_unit_test(test_report_reproducible),
		cmocka_unit_test(test_report_text_formats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "options.h"
#include "pvbench.h"
#include "reboot/config.h"
#include "report/results.h"
#include "sweep/sweep.h"
#include "testutil.h"

/* Tests that touch files run in a fresh directory under /tmp, removed afterwards. */
static int setup(void **state)
{
	return fixture_setup_template(state, "/tmp/pvbench-sweep-XXXXXX");
}

static void write_text(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf = calloc(1, 1 << 16);
	size_t n;

	assert_non_null(fp);
	assert_non_null(buf);
	n = fread(buf, 1, (1 << 16) - 1, fp);
	assert_int_equal(ferror(fp), 0);
	assert_int_equal(fclose(fp), 0);
	buf[n] = '\0';
	return buf;
}

/* 2 sizes x 2 placements x 2 modes = 8 points. */
static const char quick[] = "; a comment\n"
			    "[sweep]\n"
			    "name = quick\n"
			    "size = 64M, 128M\n"
			    "mode = sync,async\n"
			    "placement = unpinned, same-pu   ; inline comment\n"
			    "iterations = 2\n"
			    "warmup = 0\n"
			    "\n"
			    "[options]\n"
			    "no-floor = true\n"
			    "ref_iterations = 0\n"
			    "scrub = false\n"
			    "floor-gap = 500\n";

static void parse_ok(const char *text, struct pvb_sweep_config *cfg)
{
	int rc = pvb_sweep_parse_string(text, "t.ini", cfg);

	if (rc)
		fail_msg("parse failed: %s", cfg->error);
}

/* Parse text that must fail; its error must contain want. */
static void parse_fails(const char *text, const char *want)
{
	struct pvb_sweep_config cfg;

	assert_int_equal(pvb_sweep_parse_string(text, "t.ini", &cfg), PVB_EXIT_USAGE);
	if (!strstr(cfg.error, want))
		fail_msg("error '%s' lacks '%s'", cfg.error, want);
	pvb_sweep_config_free(&cfg);
}

static void test_parse_axes_and_options(void **state)
{
	struct pvb_sweep_config cfg;

	(void)state;
	parse_ok(quick, &cfg);
	assert_string_equal(cfg.name, "quick");
	assert_int_equal(cfg.nvalues[PVB_AX_SIZE], 2);
	assert_string_equal(cfg.values[PVB_AX_SIZE][0], "64M");
	assert_string_equal(cfg.values[PVB_AX_SIZE][1], "128M");
	assert_int_equal(cfg.nvalues[PVB_AX_MODE], 2);
	assert_string_equal(cfg.values[PVB_AX_MODE][1], "async");
	assert_int_equal(cfg.nvalues[PVB_AX_PLACEMENT], 2);
	assert_string_equal(cfg.values[PVB_AX_PLACEMENT][1], "same-pu");
	assert_int_equal(cfg.nvalues[PVB_AX_BACKING], 0);
	assert_int_equal(cfg.iterations, 2);
	assert_int_equal(cfg.warmup, 0);
	assert_int_equal(cfg.noptions, 4);
	assert_string_equal(cfg.options[0].key, "no-floor");
	assert_string_equal(cfg.options[0].value, "true");
	assert_string_equal(cfg.options[1].key, "ref-iterations"); /* _ became - */
	assert_string_equal(cfg.options[2].key, "scrub");
	assert_string_equal(cfg.options[2].value, "false");
	assert_string_equal(cfg.options[3].value, "500");
	assert_non_null(strstr(cfg.text, "floor-gap = 500"));
	pvb_sweep_config_free(&cfg);
}

/* Indented lines continue a list; quotes keep a CPU list's commas; no name: the file's. */
static void test_parse_continuation_quotes_default_name(void **state)
{
	struct pvb_sweep_config cfg;

	(void)state;
	assert_int_equal(pvb_sweep_parse_string("[sweep]\n"
						"size = 128M, 256M,\n"
						"       512M\n"
						"  1G\n"
						"placement = unpinned, \"0,1\", node:0\n"
						"cleanup-threads = 1, 2\n",
						"/some/where/envelope.ini", &cfg),
			 0);
	assert_string_equal(cfg.name, "envelope");
	assert_int_equal(cfg.nvalues[PVB_AX_SIZE], 4);
	assert_string_equal(cfg.values[PVB_AX_SIZE][2], "512M");
	assert_string_equal(cfg.values[PVB_AX_SIZE][3], "1G");
	assert_int_equal(cfg.nvalues[PVB_AX_PLACEMENT], 3);
	assert_string_equal(cfg.values[PVB_AX_PLACEMENT][1], "0,1");
	assert_int_equal(cfg.nvalues[PVB_AX_CLEANUP_THREADS], 2);
	assert_int_equal(cfg.iterations, -1);
	assert_int_equal(cfg.warmup, -1);
	pvb_sweep_config_free(&cfg);
}

static void test_parse_errors(void **state)
{
	(void)state;
	/* the line number of the offending line, and what is wrong with it */
	parse_fails("[sweep]\nname = x\nsize = 1G\nfrob = 2\n", "t.ini:4: unknown key 'frob'");
	parse_fails("[sweep]\nsize =\n", "t.ini:2: size: empty list");
	parse_fails("[sweep]\n\nsize = 1G,,2G\n", "t.ini:3: size: empty item");
	parse_fails("[sweep]\nsize = 1G,\n", "t.ini:2: size: empty item");
	parse_fails("[sweep]\nsize = 1G\nsize = 2G\n",
		    "t.ini:3: 'size' given twice (first on line 2)");
	parse_fails("[sweep]\nmode = sync, sync\n", "t.ini:2: mode: 'sync' listed twice");
	parse_fails("[sweep]\niterations = 0\n", "t.ini:2: iterations = '0'");
	parse_fails("[sweep]\nname = a/b\n", "t.ini:2: name 'a/b'");
	parse_fails("[sweeps]\nsize = 1G\n", "t.ini:2: unknown section [sweeps]");
	parse_fails("size = 1G\n", "t.ini:1: 'size' before any section");
	parse_fails("[sweep]\nsize 1G\n", "t.ini:2: not a 'key = value' line");
	parse_fails("[sweep]\nplacement = \"0,1\n", "t.ini:2: placement: unterminated quote");
	parse_fails("[options]\nsize = 1G\n", "t.ini:2: 'size' is an axis");
	parse_fails("[options]\nout = /tmp/x\n", "t.ini:2: option 'out' is set by the sweep");
	parse_fails("[options]\n--scrub = true\n", "t.ini:2: option '--scrub': write it without");
	parse_fails("[options]\nscrub =\n", "t.ini:2: option 'scrub' has no value");
	parse_fails("[sweep]\nname = x\n[options]\nscrub = true\nscrub = false\n",
		    "t.ini:5: option 'scrub' given twice (first on line 4)");
	parse_fails("[sweep]\nsize = 1G,\n  mode = sync\n",
		    "t.ini:3: this indented line continues");
	/* every key of [options] is a reboot option the sweep does not set itself */
	parse_fails("[sweep]\nsize = 1G\n[options]\nfrob = 1\n",
		    "t.ini:4: option 'frob': not a pvbench reboot option");
	parse_fails("[sweep]\nsize = 1G\n[options]\nappend = true\n",
		    "t.ini:4: option 'append' is set by the sweep");
	parse_fails("[sweep]\nsize = 1G\n[options]\nhelp = true\n",
		    "t.ini:4: option 'help' is set by the sweep");
	/* nothing to run, and a section header without its ] */
	parse_fails("", "t.ini: nothing to run: no axis in [sweep]");
	parse_fails("[sweep]\nname = x\n[options]\nscrub = true\n", "t.ini: nothing to run");
	parse_fails("; x\n[sweep\nsize = 1G\n",
		    "t.ini:2: section header '[sweep' has no closing ']'");
	{
		char text[400];

		snprintf(text, sizeof(text), "[sweep]\nname = x\nsize = %0300d\n", 1);
		parse_fails(text, "t.ini:3: line longer than");
	}
}

/* Points in order: size outermost, mode innermost, alternating direction per group. */
static void test_expansion_order(void **state)
{
	static const char *const want[8][3] = {
		{ "64M", "unpinned", "sync" },	{ "64M", "unpinned", "async" },
		{ "64M", "same-pu", "async" },	{ "64M", "same-pu", "sync" },
		{ "128M", "unpinned", "sync" }, { "128M", "unpinned", "async" },
		{ "128M", "same-pu", "async" }, { "128M", "same-pu", "sync" },
	};
	struct pvb_sweep_config cfg;
	struct pvb_sweep_point pt;
	char desc[256];

	(void)state;
	parse_ok(quick, &cfg);
	assert_int_equal(pvb_sweep_npoints(&cfg), 8);
	for (int i = 0; i < 8; i++) {
		pvb_sweep_point_get(&cfg, i, &pt);
		assert_int_equal(pt.id, i);
		assert_string_equal(pvb_sweep_value(&cfg, &pt, PVB_AX_SIZE), want[i][0]);
		assert_string_equal(pvb_sweep_value(&cfg, &pt, PVB_AX_PLACEMENT), want[i][1]);
		assert_string_equal(pvb_sweep_value(&cfg, &pt, PVB_AX_MODE), want[i][2]);
		assert_null(pvb_sweep_value(&cfg, &pt, PVB_AX_BACKING));
		assert_int_equal(pt.first_mode, i % 2 == 0);
	}
	pvb_sweep_point_get(&cfg, 6, &pt);
	pvb_sweep_describe(&cfg, &pt, desc, sizeof(desc));
	assert_string_equal(desc, "size=128M placement=same-pu mode=async");
	pvb_sweep_config_free(&cfg);

	/* every combination exactly once, with 3 x 1 x 2 x 3 x 2 = 36 points */
	assert_int_equal(pvb_sweep_parse_string("[sweep]\nsize = 1G, 2G, 4G\nbacking = thp\n"
						"guests = 1, 2\nload = none, cpu, membw\n"
						"mode = sync, async\n",
						"t.ini", &cfg),
			 0);
	assert_int_equal(pvb_sweep_npoints(&cfg), 36);
	{
		bool seen[3][2][3][2] = { 0 };

		for (int i = 0; i < 36; i++) {
			pvb_sweep_point_get(&cfg, i, &pt);
			assert_int_equal(pt.idx[PVB_AX_SIZE], i / 12);
			assert_false(seen[pt.idx[PVB_AX_SIZE]][pt.idx[PVB_AX_GUESTS]]
					 [pt.idx[PVB_AX_LOAD]][pt.idx[PVB_AX_MODE]]);
			seen[pt.idx[PVB_AX_SIZE]][pt.idx[PVB_AX_GUESTS]][pt.idx[PVB_AX_LOAD]]
			    [pt.idx[PVB_AX_MODE]] = true;
		}
	}
	pvb_sweep_config_free(&cfg);
}

static void assert_argv(char **argv, int argc, const char *const *want)
{
	int n = 0;

	while (want[n])
		n++;
	assert_int_equal(argc, n);
	for (int i = 0; i < n; i++)
		assert_string_equal(argv[i], want[i]);
	assert_null(argv[n]);
}

/* A point's configuration: what `reboot` with its command line would parse, and that
 * command line rendered from the table. */
static void point_config(const struct pvb_sweep_config *cfg, int id, struct pvb_reboot_config *rc,
			 const char *const *want)
{
	struct pvb_sweep_point pt;

	pvb_quiet = false;
	pvb_sweep_point_get(cfg, id, &pt);
	assert_int_equal(pvb_sweep_point_config(cfg, &pt, "/r/d", rc), -1);
	assert_argv(rc->argv, rc->argc, want);
	assert_true(pvb_quiet);
	pvb_quiet = false;
	assert_string_equal(rc->out_dir, "/r/d");
	assert_true(rc->append);
	assert_int_equal(rc->point, id);
	assert_int_equal(rc->nsizes, 1);
	assert_int_equal(rc->nmodes, 1);
}

static void test_point_config(void **state)
{
	static const char *const want0[] = {
		"reboot",
		"--size",
		"128M",
		"--placement",
		"unpinned",
		"--mode",
		"sync",
		"--iterations",
		"2",
		"--warmup",
		"0",
		"--no-floor",
		"--ref-iterations",
		"0",
		"--floor-gap",
		"500",
		"--out",
		"/r/d",
		"--append",
		"--point",
		"4",
		"--quiet",
		NULL,
	};
	/* the other mode of the group: the options already leave out floor and host rows */
	static const char *const want1[] = {
		"reboot",
		"--size",
		"128M",
		"--placement",
		"unpinned",
		"--mode",
		"async",
		"--iterations",
		"2",
		"--warmup",
		"0",
		"--no-floor",
		"--ref-iterations",
		"0",
		"--floor-gap",
		"500",
		"--out",
		"/r/d",
		"--append",
		"--point",
		"5",
		"--quiet",
		NULL,
	};
	/* without such options, the second mode of a group measures no floor or host rows */
	static const char *const want3[] = {
		"reboot",  "--size",  "1G",	 "--backing", "thp",	    "--mode",
		"sync",	   "--scrub", "--touch", "1",	      "--no-floor", "--ref-iterations",
		"0",	   "--out",   "/r/d",	 "--append",  "--point",    "3",
		"--quiet", NULL,
	};
	/* ... and the first one does */
	static const char *const want2[] = {
		"reboot",   "--size",  "1G",	  "--backing", "thp",	"--mode",
		"async",    "--scrub", "--touch", "1",	       "--out", "/r/d",
		"--append", "--point", "2",	  "--quiet",   NULL,
	};
	struct pvb_reboot_config *rc = calloc(1, sizeof(*rc));
	struct pvb_sweep_config cfg;

	(void)state;
	assert_non_null(rc);
	parse_ok(quick, &cfg);
	point_config(&cfg, 4, rc, want0);
	assert_int_equal(rc->sizes[0], 128 * PVB_MIB);
	assert_string_equal(rc->placement, "unpinned");
	assert_int_equal(rc->modes[0], PVB_MODE_SYNC);
	assert_int_equal(rc->iterations, 2);
	assert_int_equal(rc->warmup, 0);
	assert_false(rc->floor);
	assert_int_equal(rc->ref_iterations, 0);
	assert_int_equal(rc->floor_gap_ns, 500000000ULL);
	assert_false(rc->scrub); /* scrub = false leaves it unset */
	pvb_sweep_point_free(rc);
	point_config(&cfg, 5, rc, want1);
	assert_int_equal(rc->modes[0], PVB_MODE_ASYNC);
	assert_false(rc->floor);
	pvb_sweep_point_free(rc);
	pvb_sweep_config_free(&cfg);

	parse_ok("[sweep]\nsize = 512M, 1G\nbacking = thp\nmode = sync, async\n"
		 "[options]\nscrub = true\ntouch = 1\n",
		 &cfg);
	point_config(&cfg, 3, rc, want3);
	assert_int_equal(rc->sizes[0], PVB_GIB);
	assert_int_equal(rc->backing, PVB_BACKING_THP);
	assert_int_equal(rc->modes[0], PVB_MODE_SYNC);
	assert_true(rc->scrub);
	assert_true(rc->touch == 1.0);
	assert_false(rc->floor);
	assert_int_equal(rc->ref_iterations, 0);
	assert_int_equal(rc->iterations, 5); /* reboot's defaults where the sweep is silent */
	pvb_sweep_point_free(rc);
	point_config(&cfg, 2, rc, want2);
	assert_int_equal(rc->modes[0], PVB_MODE_ASYNC);
	assert_true(rc->floor);
	assert_int_equal(rc->ref_iterations, 3);
	pvb_sweep_point_free(rc);
	pvb_sweep_config_free(&cfg);
	free(rc);
}

/* Bad settings fail through reboot's table, with the command line that shows them. */
static void point_fails(const char *text, const char *in_argv)
{
	struct pvb_reboot_config *rc = calloc(1, sizeof(*rc));
	struct pvb_sweep_config cfg;
	struct pvb_sweep_point pt;
	bool seen = false;

	assert_non_null(rc);
	parse_ok(text, &cfg);
	pvb_sweep_point_get(&cfg, 0, &pt);
	assert_int_equal(pvb_sweep_point_config(&cfg, &pt, "/r/d", rc), PVB_EXIT_USAGE);
	for (int i = 0; i < rc->argc; i++)
		seen |= !strcmp(rc->argv[i], in_argv);
	assert_true(seen);
	pvb_quiet = false;
	pvb_sweep_point_free(rc);
	pvb_sweep_config_free(&cfg);
	free(rc);
}

static void test_point_errors(void **state)
{
	(void)state;
	point_fails("[sweep]\nsize = 1G\n[options]\nfloor-gap = soon\n", "soon");
	point_fails("[sweep]\nsize = 1G\nvcpus = 0, 1\n", "0");
	point_fails("[sweep]\nsize = 1G\n[options]\nscrub = yes\n", "yes");
	point_fails("[sweep]\nplacement = same-pu\n[options]\ncleanup-cpu = 1\n", "--cleanup-cpu");
	point_fails("[sweep]\nsize = 1G\n[options]\nscrub = true\ntouch = 0.5\n", "--touch");
}

/* Every axis sets a reboot option that takes a value. */
static void test_axes_are_options(void **state)
{
	(void)state;
	for (int a = 0; a < PVB_SWEEP_NAXES; a++) {
		const struct pvb_opt *o = pvb_reboot_option(pvb_sweep_axis_options[a]);

		assert_non_null(o);
		assert_non_null(o->metavar);
		assert_false(o->flags & PVB_OPTF_NOINI);
	}
	assert_string_equal(pvb_sweep_axis_names[PVB_AX_CLEANUP_THREADS], "cleanup_threads");
	assert_string_equal(pvb_sweep_axis_options[PVB_AX_MEM_POLICY], "mem-policy");
}

static void test_ledger_round_trip(void **state)
{
	struct fixture *f = *state;
	struct pvb_sweep_config cfg, other;
	struct pvb_sweep_entry e[8], back[8];
	char *text;

	parse_ok("[sweep]\nsize = 64M, 128M\nplacement = unpinned, \"0,1\"\nmode = sync, async\n",
		 &cfg);
	for (int i = 0; i < 8; i++)
		e[i] = (struct pvb_sweep_entry){ .status = PVB_PT_PENDING, .exit_code = -1 };
	e[0] = (struct pvb_sweep_entry){ PVB_PT_COMPLETE, "2026-01-01T00:00:00Z",
					 "2026-01-01T00:01:00Z", 0 };
	e[1] = (struct pvb_sweep_entry){ PVB_PT_SKIPPED, "2026-01-01T00:01:00Z",
					 "2026-01-01T00:01:01Z", 4 };
	e[2] = (struct pvb_sweep_entry){ PVB_PT_FAILED, "2026-01-01T00:01:01Z",
					 "2026-01-01T00:01:05Z", 1 };
	e[3] = (struct pvb_sweep_entry){ PVB_PT_RUNNING, "2026-01-01T00:01:05Z", "", -1 };
	assert_int_equal(pvb_sweep_ledger_write(f->dir, &cfg, e, 8), 0);

	text = slurp(in_dir(f, "points.csv"));
	assert_non_null(strstr(
		text, "point,status,size,backend,backing,vcpus,guests,"
		      "cleanup_threads,mem_policy,load,placement,cleanup_start,mode,started_utc,"
		      "ended_utc,exit_code\n"));
	assert_non_null(strstr(text, "\n2,failed,64M,,,,,,,,\"0,1\",,async,"
				     "2026-01-01T00:01:01Z,2026-01-01T00:01:05Z,1\n"));
	assert_non_null(strstr(text, "\n7,pending,128M,,,,,,,,\"0,1\",,sync,,,\n"));
	free(text);

	assert_int_equal(pvb_sweep_ledger_read(f->dir, &cfg, back, 8), 0);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(back[i].status, e[i].status);
		assert_string_equal(back[i].started, e[i].started);
		assert_string_equal(back[i].ended, e[i].ended);
		assert_int_equal(back[i].exit_code, e[i].exit_code);
	}
	/* a ledger of other axis values is refused */
	parse_ok("[sweep]\nsize = 64M, 256M\nplacement = unpinned, \"0,1\"\nmode = sync, async\n",
		 &other);
	assert_int_equal(pvb_sweep_ledger_read(f->dir, &other, back, 8), PVB_EXIT_USAGE);
	pvb_sweep_config_free(&other);
	/* no ledger yet: every point pending */
	assert_int_equal(unlink(in_dir(f, "points.csv")), 0);
	assert_int_equal(pvb_sweep_ledger_read(f->dir, &cfg, back, 8), 0);
	for (int i = 0; i < 8; i++)
		assert_int_equal(back[i].status, PVB_PT_PENDING);
	pvb_sweep_config_free(&cfg);
}

/* Resume keeps only the rows of complete points: 0 and 2 of 0,0,1,2,2. */
static void test_filter_rows(void **state)
{
	struct fixture *f = *state;
	struct pvb_sweep_entry e[3] = {
		{ .status = PVB_PT_COMPLETE, .exit_code = 0 },
		{ .status = PVB_PT_RUNNING, .exit_code = -1 },
		{ .status = PVB_PT_COMPLETE, .exit_code = 0 },
	};
	const char *path = in_dir(f, "iterations.csv");
	struct pvb_table t;
	char *text;

	(void)state;
	write_text(path, "backend,size_bytes,mode,iteration,placement,point\n"
			 "kvm,1024,sync,0,unpinned,0\n"
			 "kvm,1024,sync,1,unpinned,0\n"
			 "kvm,1024,async,0,\"0,1\",1\n"
			 "kvm,2048,sync,0,\"0,1\",2\n"
			 "kvm,2048,sync,1,\"0,1\",2\n");
	assert_int_equal(pvb_sweep_filter_rows(path, e, 3), 1);
	text = slurp(path);
	assert_string_equal(text, "backend,size_bytes,mode,iteration,placement,point\n"
				  "kvm,1024,sync,0,unpinned,0\n"
				  "kvm,1024,sync,1,unpinned,0\n"
				  "kvm,2048,sync,0,\"0,1\",2\n"
				  "kvm,2048,sync,1,\"0,1\",2\n");
	free(text);
	assert_int_equal(pvb_csv_read(path, &t), 5);
	assert_string_equal(t.rows[3][4], "0,1");
	pvb_table_free(&t);
	/* nothing more to drop the second time */
	assert_int_equal(pvb_sweep_filter_rows(path, e, 3), 0);

	/* rows without a usable point (empty, out of range) go too */
	write_text(path, "point,x\n0,a\n,b\n7,c\n");
	assert_int_equal(pvb_sweep_filter_rows(path, e, 3), 2);
	text = slurp(path);
	assert_string_equal(text, "point,x\n0,a\n");
	free(text);
	/* a CSV without a point column is not a sweep's */
	write_text(path, "a,b\n1,2\n");
	assert_int_equal(pvb_sweep_filter_rows(path, e, 3), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_axes_and_options),
		cmocka_unit_test(test_parse_continuation_quotes_default_name),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_expansion_order),
		cmocka_unit_test(test_point_config),
		cmocka_unit_test(test_point_errors),
		cmocka_unit_test(test_axes_are_options),
		cmocka_unit_test_setup_teardown(test_ledger_round_trip, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_filter_rows, setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

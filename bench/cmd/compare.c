/* pvbench compare BASE NEW: match the points of two runs by configuration and judge each metric
 * (report/compare.h); --plot DIR draws the ratios; --fail-on-regression exits 5 when a verdict
 * is `slower`. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cmd.h"
#include "optmacros.h"
#include "options.h"
#include "pvbench.h"
#include "report/compare.h"
#include "report/report.h"

typedef int (*compare_fn)(const struct pvb_compare *c, FILE *f);

/* --format's values: an index of formats[] */
enum compare_format { COMPARE_TXT, COMPARE_MD, COMPARE_JSON };

static const compare_fn formats[] = {
	[COMPARE_TXT] = pvb_compare_txt,
	[COMPARE_MD] = pvb_compare_md,
	[COMPARE_JSON] = pvb_compare_json,
};

/* in the order an unknown format's message lists them */
static const struct pvb_opt_name format_names[] = {
	{ "txt", COMPARE_TXT },
	{ "md", COMPARE_MD },
	{ "json", COMPARE_JSON },
	{ NULL, 0 },
};

struct compare_args {
	struct pvb_cmp_opts o;
	const char *metric; /* --metric as given; o.metrics point into metrics */
	char metrics[512];
	bool fail_on_regression;
	const char *out, *plot;
	int format; /* enum compare_format */
};

/* A number in (lo, hi] into *out; -1 after a message. */
static int parse_double(const struct pvb_opt *o, const char *s, double lo, double hi, double *out)
{
	char *end;

	*out = strtod(s, &end);
	if (end == s || *end || !isfinite(*out) || !(*out > lo) || *out > hi) {
		pvb_err("compare: --%s '%s': want a number in (%g, %g]", o->name, s, lo, hi);
		return -1;
	}
	return 0;
}

/* --threshold PCT: a fraction in the configuration */
static int parse_threshold(const struct pvb_opts *ctx, const struct pvb_opt *o, void *cfg,
			   const char *arg)
{
	double pct;

	(void)ctx;
	if (parse_double(o, arg, 0, 99.999, &pct))
		return PVB_EXIT_USAGE;
	*(double *)((char *)cfg + o->off) = pct / 100;
	return 0;
}

static int parse_alpha(const struct pvb_opts *ctx, const struct pvb_opt *o, void *cfg,
		       const char *arg)
{
	(void)ctx;
	return parse_double(o, arg, 0, 0.5, (double *)((char *)cfg + o->off)) ? PVB_EXIT_USAGE : 0;
}

#define FIELD(f) PVB_OPT_FIELD(struct compare_args, f)

static const struct pvb_opt compare_opts[] = {
	{ ARG("metric", "LIST", metric), .help = "default " PVB_CMP_DEFAULT_METRICS },
	{ CUSTOM("threshold", "PCT", parse_threshold), FIELD(o.threshold),
	  .help = "default 5 (percent, > 0 and < 100)" },
	{ CUSTOM("alpha", "A", parse_alpha), FIELD(o.alpha), .help = "default 0.01 (in (0, 0.5])" },
	{ FLAG("fail-on-regression", fail_on_regression, "exit 5 when any verdict is `slower`") },
	{ ENUM("format", "F", format, format_names), .help = "txt (default), md or json" },
	{ OUT_SHORT("FILE", out), .help = "write FILE atomically (default: stdout)" },
	{ ARG("plot", "DIR", plot),
	  .help = "also write DIR/compare.csv (a row per point, mode and\n"
		  "metric) and draw DIR/compare.png and .svg: the ratio\n"
		  "with its CI, the threshold band, the verdicts" },
	{ .name = "help", .kind = PVB_OPT_HELP },
	{ .name = NULL },
};

static const struct pvb_opt_table compare_table = { .opts = compare_opts };

static void compare_usage_to(FILE *f)
{
	struct pvb_opts ctx;

	pvb_opts_init(&ctx, "compare", &compare_table, NULL);
	ctx.help_col = 22;
	fprintf(f,
		"usage: pvbench compare BASE NEW [--metric LIST] [--threshold PCT] [--alpha A]\n"
		"                       [--fail-on-regression] [--format txt|md|json] [-o FILE]\n"
		"                       [--plot DIR]\n"
		"Match the points of two results directories (reboot runs or sweeps) by their\n"
		"configuration (the points that match nothing are listed) and, per point, mode\n"
		"and metric, give both medians, the ratio NEW/BASE with its 95 %% bootstrap CI,\n"
		"the two-sided Mann-Whitney p-value and a verdict: `same` unless p < alpha AND\n"
		"the ratio is beyond 1 +- threshold; then `faster` or `slower` (lower is better,\n"
		"except interference).\n\n");
	pvb_opts_print(&ctx, f);
}

static void compare_usage(void)
{
	compare_usage_to(stdout);
}

/* getopt_long has said what is wrong (getopt_errors) */
static int compare_bad(const struct pvb_opts *ctx, const char *arg, bool missing)
{
	(void)ctx, (void)arg, (void)missing;
	compare_usage_to(stderr);
	return PVB_EXIT_USAGE;
}

/* Returns -1 to go on, else the exit code. The metrics are checked once every option is in
 * (the last --metric counts). */
static int parse_options(int argc, char **argv, struct compare_args *a)
{
	struct pvb_opts ctx;
	int rc;

	pvb_opts_init(&ctx, "compare", &compare_table, a);
	ctx.usage = compare_usage;
	ctx.bad = compare_bad;
	ctx.bad_value = pvb_opt_unknown;
	ctx.getopt_errors = true;
	rc = pvb_opts_getopt(&ctx, argc, argv);
	if (rc >= 0)
		return rc;
	snprintf(a->metrics, sizeof(a->metrics), "%s", a->metric);
	if (pvb_compare_metrics(a->metrics, &a->o))
		return PVB_EXIT_USAGE;
	if (optind != argc - 2) {
		pvb_err("compare: give two results directories, BASE and NEW");
		compare_usage_to(stderr);
		return PVB_EXIT_USAGE;
	}
	return -1;
}

int pvb_cmd_compare(int argc, char **argv)
{
	struct compare_args a = { .o = { .threshold = 0.05, .alpha = 0.01 },
				  .metric = PVB_CMP_DEFAULT_METRICS,
				  .format = COMPARE_TXT };
	struct pvb_dataset base, nw = { 0 };
	struct pvb_compare c = { 0 };
	char *link = NULL;
	int rc = parse_options(argc, argv, &a);

	if (rc >= 0)
		return rc;
	rc = pvb_dataset_load(&base, (const char *const *)(argv + optind), 1);
	if (!rc)
		rc = pvb_dataset_load(&nw, (const char *const *)(argv + optind + 1), 1);
	if (!rc)
		rc = pvb_compare_build(&c, &base, &nw, &a.o);
	/* --plot DIR is made only for a comparison that stands (not for bad input) */
	if (!rc && a.plot && pvb_compare_plot_dir(a.plot))
		rc = PVB_EXIT_USAGE;
	if (!rc && a.plot && !(c.plot = link = pvb_compare_plot_link(a.plot, a.out))) {
		pvb_err("compare: out of memory");
		rc = PVB_EXIT_FAIL;
	}
	if (!rc) {
		struct pvb_render rd;
		FILE *f = pvb_render_begin(&rd);

		rc = pvb_render_end(&rd, "compare", a.out, f ? formats[a.format](&c, f) : -1);
	}
	if (!rc && a.plot)
		rc = pvb_compare_plot(&c, a.plot);
	if (!rc && a.fail_on_regression && c.nslower) {
		pvb_err("compare: %zu slower verdict(s): a regression", c.nslower);
		rc = PVB_EXIT_REGRESSION;
	}
	pvb_compare_free(&c);
	free(link);
	pvb_dataset_free(&nw);
	pvb_dataset_free(&base);
	return rc;
}

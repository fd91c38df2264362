/* pvbench compare BASE NEW: match the points of two runs by configuration and judge each metric
 * (report/compare.h); --plot DIR draws the ratios; --fail-on-regression exits 5 when a verdict
 * is `slower`. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "pvbench.h"
#include "report/compare.h"
#include "report/report.h"

static const struct option options[] = {
	{ "metric", required_argument, NULL, 'm' },
	{ "threshold", required_argument, NULL, 't' },
	{ "alpha", required_argument, NULL, 'a' },
	{ "fail-on-regression", no_argument, NULL, 'r' },
	{ "format", required_argument, NULL, 'f' },
	{ "out", required_argument, NULL, 'o' },
	{ "plot", required_argument, NULL, 'p' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct compare_args {
	struct pvb_cmp_opts o;
	char metrics[512];
	bool fail_on_regression;
	const char *out, *plot;
	int (*fn)(const struct pvb_compare *c, FILE *f);
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pvbench compare BASE NEW [--metric LIST] [--threshold PCT] [--alpha A]\n"
		"                       [--fail-on-regression] [--format txt|md|json] [-o FILE]\n"
		"                       [--plot DIR]\n"
		"Match the points of two results directories (reboot runs or sweeps) by their\n"
		"configuration (the points that match nothing are listed) and, per point, mode\n"
		"and metric, give both medians, the ratio NEW/BASE with its 95 %% bootstrap CI,\n"
		"the two-sided Mann-Whitney p-value and a verdict: `same` unless p < alpha AND\n"
		"the ratio is beyond 1 +- threshold; then `faster` or `slower` (lower is better,\n"
		"except interference).\n\n"
		"  --metric LIST       default %s\n"
		"  --threshold PCT     default 5 (percent, > 0 and < 100)\n"
		"  --alpha A           default 0.01 (in (0, 0.5])\n"
		"  --fail-on-regression  exit 5 when any verdict is `slower`\n"
		"  --format F          txt (default), md or json\n"
		"  -o, --out FILE      write FILE atomically (default: stdout)\n"
		"  --plot DIR          also write DIR/compare.csv (a row per point, mode and\n"
		"                      metric) and draw DIR/compare.png and .svg: the ratio\n"
		"                      with its CI, the threshold band, the verdicts\n",
		PVB_CMP_DEFAULT_METRICS);
}

static int parse_double(const char *opt, const char *s, double lo, double hi, double *out)
{
	char *end;

	*out = strtod(s, &end);
	if (end == s || *end || !isfinite(*out) || !(*out > lo) || *out > hi) {
		pvb_err("compare: %s '%s': want a number in (%g, %g]", opt, s, lo, hi);
		return -1;
	}
	return 0;
}

static int set_format(struct compare_args *a, const char *s)
{
	if (!strcmp(s, "txt"))
		a->fn = pvb_compare_txt;
	else if (!strcmp(s, "md"))
		a->fn = pvb_compare_md;
	else if (!strcmp(s, "json"))
		a->fn = pvb_compare_json;
	else {
		pvb_err("compare: unknown format '%s' (txt, md or json)", s);
		return -1;
	}
	return 0;
}

/* Returns -1 to go on, else the exit code. */
static int parse_options(int argc, char **argv, struct compare_args *a)
{
	double pct;
	int c, bad = 0;

	optind = 1;
	while (!bad && (c = getopt_long(argc, argv, "o:", options, NULL)) != -1) {
		switch (c) {
		case 'm':
			snprintf(a->metrics, sizeof(a->metrics), "%s", optarg);
			break;
		case 't':
			bad = parse_double("--threshold", optarg, 0, 99.999, &pct);
			a->o.threshold = pct / 100;
			break;
		case 'a':
			bad = parse_double("--alpha", optarg, 0, 0.5, &a->o.alpha);
			break;
		case 'r':
			a->fail_on_regression = true;
			break;
		case 'f':
			bad = set_format(a, optarg);
			break;
		case 'o':
			a->out = optarg;
			break;
		case 'p':
			a->plot = optarg;
			break;
		case 'h':
			usage(stdout);
			return PVB_EXIT_OK;
		default:
			usage(stderr);
			return PVB_EXIT_USAGE;
		}
	}
	if (bad || pvb_compare_metrics(a->metrics, &a->o))
		return PVB_EXIT_USAGE;
	if (optind != argc - 2) {
		pvb_err("compare: give two results directories, BASE and NEW");
		usage(stderr);
		return PVB_EXIT_USAGE;
	}
	if (a->plot && pvb_compare_plot_dir(a->plot))
		return PVB_EXIT_USAGE;
	return -1;
}

int pvb_cmd_compare(int argc, char **argv)
{
	struct compare_args a = { .o = { .threshold = 0.05, .alpha = 0.01 },
				  .metrics = PVB_CMP_DEFAULT_METRICS,
				  .fn = pvb_compare_txt };
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
	if (!rc && a.plot && !(c.plot = link = pvb_compare_plot_link(a.plot, a.out))) {
		pvb_err("compare: out of memory");
		rc = PVB_EXIT_FAIL;
	}
	if (!rc) {
		struct pvb_render rd;
		FILE *f = pvb_render_begin(&rd);

		rc = pvb_render_end(&rd, "compare", a.out, f ? a.fn(&c, f) : -1);
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

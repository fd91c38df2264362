/* pvbench report DIR... [--format md|html|txt|json] [-o FILE]: the answer of one or more runs
 * (report/report.h): per point the medians with their CIs, the speedup with its CI, the costs,
 * methodology, warnings and plots. */
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include "cmd.h"
#include "optmacros.h"
#include "options.h"
#include "pvbench.h"
#include "report/report.h"

typedef int (*report_fn)(const struct pvb_report *r, FILE *f);

/* --format's values: an index of formats[] */
enum report_format { REPORT_MD, REPORT_TXT, REPORT_HTML, REPORT_JSON };

static const report_fn formats[] = {
	[REPORT_MD] = pvb_report_md,
	[REPORT_TXT] = pvb_report_txt,
	[REPORT_HTML] = pvb_report_html,
	[REPORT_JSON] = pvb_report_json,
};

/* in the order an unknown format's message lists them */
static const struct pvb_opt_name format_names[] = {
	{ "md", REPORT_MD },   { "html", REPORT_HTML },
	{ "txt", REPORT_TXT }, { "json", REPORT_JSON },
	{ NULL, 0 },
};

struct report_args {
	int format; /* enum report_format */
	const char *out;
};

#define FIELD(f) PVB_OPT_FIELD(struct report_args, f)

static const struct pvb_opt report_opts[] = {
	{ ENUM("format", "F", format, format_names),
	  .help = "md (default; for repositories), html (one self-contained file,\n"
		  "inline SVG), txt (at most 72 columns, for a mail), json (tools)" },
	{ OUT_SHORT("FILE", out), .help = "write FILE atomically (default: stdout)" },
	{ .name = "help", .kind = PVB_OPT_HELP },
	{ .name = NULL },
};

static const struct pvb_opt_table report_table = { .opts = report_opts };

static void report_usage_to(FILE *f)
{
	struct pvb_opts ctx;

	pvb_opts_init(&ctx, "report", &report_table, NULL);
	ctx.help_col = 15;
	fprintf(f, "usage: pvbench report DIR... [--format md|html|txt|json] [-o FILE]\n"
		   "Report one or more results directories (reboot runs or sweeps): per point\n"
		   "(the columns that vary), sync/async/floor reboot medians with the exact 95 %%\n"
		   "CI of the median, the speedup sync/async with its 95 %% bootstrap CI (2000\n"
		   "resamples, fixed seed), async/floor, cleanup CPU async/sync, memory back\n"
		   "p50/p95 (both views), interference and peak memory; methodology, warnings\n"
		   "and plots. Rows of the same configuration in several runs are pooled.\n\n");
	pvb_opts_print(&ctx, f);
}

static void report_usage(void)
{
	report_usage_to(stdout);
}

/* getopt_long has said what is wrong (getopt_errors) */
static int report_bad(const struct pvb_opts *ctx, const char *arg, bool missing)
{
	(void)ctx, (void)arg, (void)missing;
	report_usage_to(stderr);
	return PVB_EXIT_USAGE;
}

/* Returns -1 to go on, else the exit code. */
static int parse_options(int argc, char **argv, struct report_args *a)
{
	struct pvb_opts ctx;
	int rc;

	pvb_opts_init(&ctx, "report", &report_table, a);
	ctx.usage = report_usage;
	ctx.bad = report_bad;
	ctx.bad_value = pvb_opt_unknown;
	ctx.getopt_errors = true;
	rc = pvb_opts_getopt(&ctx, argc, argv);
	if (rc >= 0)
		return rc;
	if (optind >= argc) {
		pvb_err("report: give at least one results directory");
		report_usage_to(stderr);
		return PVB_EXIT_USAGE;
	}
	return -1;
}

int pvb_cmd_report(int argc, char **argv)
{
	struct report_args a = { .format = REPORT_MD };
	struct pvb_dataset ds;
	struct pvb_report r;
	int rc = parse_options(argc, argv, &a);

	if (rc >= 0)
		return rc;
	rc = pvb_dataset_load(&ds, (const char *const *)(argv + optind), (size_t)(argc - optind));
	if (rc)
		return rc;
	rc = pvb_report_build(&r, &ds);
	r.link_from = a.out;
	if (!rc) {
		struct pvb_render rd;
		FILE *f = pvb_render_begin(&rd);

		rc = pvb_render_end(&rd, "report", a.out, f ? formats[a.format](&r, f) : -1);
	}
	pvb_report_free(&r);
	pvb_dataset_free(&ds);
	return rc;
}

/* pvbench plot DIR: render the gnuplot figures of a results directory (report/plot.c). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "options.h"
#include "pvbench.h"
#include "report/plot.h"

static const struct pvb_opt plot_opts[] = {
	{ .name = "help", .kind = PVB_OPT_HELP, .short_name = 'h', .help = "show this help" },
	{ .name = NULL },
};

static const struct pvb_opt_table plot_table = { .opts = plot_opts };

static void plot_usage_to(FILE *f)
{
	struct pvb_opts ctx;

	pvb_opts_init(&ctx, "plot", &plot_table, NULL);
	ctx.help_col = 11;
	fprintf(f,
		"usage: pvbench plot DIR\n"
		"Render the figures of a results directory (DIR/summary.csv) with gnuplot:\n"
		"every plots/*.gp script writes DIR/<script>.png and DIR/<script>.svg.\n"
		"The scripts are looked up in $PVB_PLOTS_DIR, else in plots/ of the data\n"
		"directory: $PVBENCH_DATADIR, else ../share/pvbench from the binary's directory\n"
		"(installed), else the source tree of a build tree.\n");
	pvb_opts_print(&ctx, f);
}

static void plot_usage(void)
{
	plot_usage_to(stdout);
}

static int plot_bad(const struct pvb_opts *ctx, const char *arg, bool missing)
{
	(void)ctx, (void)missing;
	pvb_err("plot: unknown option '%s'", arg);
	plot_usage_to(stderr);
	return PVB_EXIT_USAGE;
}

int pvb_cmd_plot(int argc, char **argv)
{
	struct pvb_opts ctx;
	int rc;

	pvb_opts_init(&ctx, "plot", &plot_table, NULL);
	ctx.usage = plot_usage;
	ctx.bad = plot_bad;
	rc = pvb_opts_getopt(&ctx, argc, argv);
	if (rc >= 0)
		return rc;
	if (optind >= argc) {
		pvb_err("plot: missing results directory");
		plot_usage_to(stderr);
		return PVB_EXIT_USAGE;
	}
	if (optind + 1 < argc) {
		pvb_err("plot: one results directory at a time ('%s' and '%s')", argv[optind],
			argv[optind + 1]);
		return PVB_EXIT_USAGE;
	}
	return pvb_plot_dir(argv[optind]);
}

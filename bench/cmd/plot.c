/* pvbench plot DIR: render the gnuplot figures of a results directory (report/plot.c). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "pvbench.h"
#include "report/plot.h"

static void plot_usage(FILE *f)
{
	fprintf(f, "usage: pvbench plot DIR\n"
		   "Render the figures of a results directory (DIR/summary.csv) with gnuplot:\n"
		   "every plots/*.gp script writes DIR/<script>.png and DIR/<script>.svg.\n"
		   "The scripts are looked up in $PVB_PLOTS_DIR, next to the executable, then in\n"
		   "the source tree.\n"
		   "  --help   show this help\n");
}

int pvb_cmd_plot(int argc, char **argv)
{
	const char *dir = NULL;
	bool options = true;
	int i;

	for (i = 1; i < argc; i++) {
		if (options && !strcmp(argv[i], "--")) {
			options = false;
			continue;
		}
		if (options && (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))) {
			plot_usage(stdout);
			return PVB_EXIT_OK;
		}
		if (options && argv[i][0] == '-') {
			pvb_err("plot: unknown option '%s'", argv[i]);
			plot_usage(stderr);
			return PVB_EXIT_USAGE;
		}
		if (dir) {
			pvb_err("plot: one results directory at a time ('%s' and '%s')", dir,
				argv[i]);
			return PVB_EXIT_USAGE;
		}
		dir = argv[i];
	}
	if (!dir) {
		pvb_err("plot: missing results directory");
		plot_usage(stderr);
		return PVB_EXIT_USAGE;
	}
	return pvb_plot_dir(dir);
}

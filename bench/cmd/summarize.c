/* pvbench summarize DIR: recompute a results directory's summary.csv and speedup.csv and print
 * its table. */
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include "cmd.h"
#include "options.h"
#include "pvbench.h"
#include "report/summary.h"

static const struct pvb_opt summarize_opts[] = {
	{ .name = "help", .kind = PVB_OPT_HELP },
	{ .name = NULL },
};

static const struct pvb_opt_table summarize_table = { .opts = summarize_opts };

static void summarize_usage_to(FILE *f)
{
	fprintf(f, "usage: pvbench summarize DIR\n"
		   "Recompute DIR/summary.csv and DIR/speedup.csv from DIR/iterations.csv\n"
		   "and print the table (e.g. after a run was killed). Below n = 6 reboots\n"
		   "there is no 95 %% interval: the CI fields are left empty.\n");
}

static void summarize_usage(void)
{
	summarize_usage_to(stdout);
}

static int summarize_bad(const struct pvb_opts *ctx, const char *arg, bool missing)
{
	(void)ctx, (void)arg, (void)missing;
	summarize_usage_to(stdout);
	return PVB_EXIT_USAGE;
}

int pvb_cmd_summarize(int argc, char **argv)
{
	struct pvb_opts ctx;
	int rc;

	pvb_opts_init(&ctx, "summarize", &summarize_table, NULL);
	ctx.usage = summarize_usage;
	ctx.bad = summarize_bad;
	rc = pvb_opts_getopt(&ctx, argc, argv);
	if (rc >= 0)
		return rc;
	if (optind != argc - 1) {
		summarize_usage_to(stderr);
		return PVB_EXIT_USAGE;
	}
	return pvb_summary_write(argv[optind], stdout);
}

/* pvbench merge DIR... -o OUT: runs, sweeps and merged sets of several hosts into one
 * dataset (report/merge.h) that report and compare read. */
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include "cmd.h"
#include "optmacros.h"
#include "options.h"
#include "pvbench.h"
#include "report/merge.h"

struct merge_args {
	const char *out;
	bool skip_duplicates;
};

#define FIELD(f) PVB_OPT_FIELD(struct merge_args, f)

static const struct pvb_opt merge_opts[] = {
	{ OUT_SHORT("OUT", out), .help = "the merged set: a new (or empty) directory" },
	{ FLAG("skip-duplicates", skip_duplicates,
	       "a run given twice (same run_id): keep the first\n"
	       "(default: refuse, exit 2)") },
	{ .name = "help", .kind = PVB_OPT_HELP },
	{ .name = NULL },
};

static const struct pvb_opt_table merge_table = { .opts = merge_opts };

static void merge_usage_to(FILE *f)
{
	struct pvb_opts ctx;

	pvb_opts_init(&ctx, "merge", &merge_table, NULL);
	ctx.help_col = 22;
	fprintf(f, "usage: pvbench merge DIR... -o OUT [--skip-duplicates]\n"
		   "Combine reboot runs, sweeps and merged sets, from one host or many, into one\n"
		   "dataset: OUT/HOST/RUN_ID/ a copy of each, OUT/iterations.csv every row with\n"
		   "its run_id and host, OUT/merged.json the sources (OUT/HOST/merged.json one\n"
		   "host's). `pvbench report OUT` keys points by host when hosts differ;\n"
		   "`pvbench compare OUT/HOST_A OUT/HOST_B` compares two hosts. Every source must\n"
		   "have the same schema_version (docs/FORMATS.md).\n\n");
	pvb_opts_print(&ctx, f);
	fprintf(f, "\nExit codes: 0 merged, 1 run-time failure, 2 bad input (not a run, schema\n"
		   "versions differ, a run given twice, OUT not empty).\n");
}

static void merge_usage(void)
{
	merge_usage_to(stdout);
}

static int merge_bad(const struct pvb_opts *ctx, const char *arg, bool missing)
{
	(void)ctx, (void)arg, (void)missing;
	merge_usage_to(stderr);
	return PVB_EXIT_USAGE;
}

int pvb_cmd_merge(int argc, char **argv)
{
	struct merge_args a = { 0 };
	struct pvb_opts ctx;
	int rc;

	pvb_opts_init(&ctx, "merge", &merge_table, &a);
	ctx.usage = merge_usage;
	ctx.bad = merge_bad;
	ctx.getopt_errors = true;
	rc = pvb_opts_getopt(&ctx, argc, argv);
	if (rc >= 0)
		return rc;
	if (!a.out || !*a.out || optind >= argc) {
		pvb_err("merge: %s", !a.out || !*a.out ? "give the merged set's directory: -o OUT" :
							 "give at least one results directory");
		merge_usage_to(stderr);
		return PVB_EXIT_USAGE;
	}
	return pvb_merge((const char *const *)(argv + optind), (size_t)(argc - optind), a.out,
			 a.skip_duplicates);
}

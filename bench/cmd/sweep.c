/* `pvbench sweep`: its options (a table, options.h) and the checks between them; the sweep
 * itself is in sweep/. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "optmacros.h"
#include "options.h"
#include "provenance.h"
#include "pvbench.h"
#include "sweep/sweep.h"

/* What the results directory's name may take: room for the files below it. */
#define DIR_MAX (4096 - 128)

#define FIELD(f) PVB_OPT_FIELD(struct pvb_sweep_args, f)

static const struct pvb_opt sweep_opts[] = {
	{ ARG("out", "DIR", out),
	  .help = "results directory (default: results/runs/<UTC time>-sweep-<name>)" },
	{ ARG("resume", "DIR", resume),
	  .help = "go on with the sweep in DIR: drop the rows of points that did not\n"
		  "complete, then run the points neither complete nor skipped\n"
		  "(CONFIG, if given, must be the text the sweep started with)" },
	{ FLAG("dry-run", dry_run, "check every point and print its command line; run nothing") },
	{ FLAG("quiet", quiet, "no progress lines") },
	{ ARG("host-label", "NAME", host_label),
	  .help = "the host column of every row (default: [options]'\n"
		  "host-label, else the hostname); kept on --resume" },
	{ .name = "help", .kind = PVB_OPT_HELP },
	{ .name = NULL },
};

static const struct pvb_opt_table sweep_table = { .opts = sweep_opts };

static void sweep_usage(void)
{
	struct pvb_opts ctx;

	pvb_opts_init(&ctx, "sweep", &sweep_table, NULL);
	ctx.help_col = 16;
	printf("usage: pvbench sweep CONFIG [--out DIR] [--dry-run] [--quiet]\n"
	       "       pvbench sweep [CONFIG] --resume DIR [--dry-run] [--quiet]\n"
	       "Run every point of the Cartesian product of the axes in CONFIG (an INI file, e.g.\n"
	       "workloads/sweeps/quick.ini) as `pvbench reboot --append --point N` into one\n"
	       "results directory, then write summary.csv and the plots.\n\n");
	pvb_opts_print(&ctx, stdout);
	printf("\nDIR/points.csv is the ledger (point, status, axis values, times, exit code);\n"
	       "DIR/sweep.json the configuration, host, command line and git revision.\n"
	       "Exit codes: 0 done (skipped points are in the ledger), 1 run-time failure,\n"
	       "2 bad configuration or unusable host, 3 --verify-clean violation, 4 every point\n"
	       "skipped, 130 interrupted (go on with --resume DIR).\n");
}

/* One CONFIG, --resume or CONFIG, --out only for a new sweep, usable names. */
static const char *misuse(const struct pvb_sweep_args *a, bool extra)
{
	if (extra)
		return "one CONFIG at a time";
	if (!a->config && !a->resume)
		return "missing CONFIG";
	if (a->out && a->resume)
		return "--resume DIR writes into DIR: leave out --out";
	if (a->host_label && !pvb_label_ok(a->host_label))
		return "--host-label: not a label (1 to 63 of A-Z a-z 0-9 . _ -, not starting "
		       "with . or -)";
	if ((a->out && (!*a->out || strlen(a->out) >= DIR_MAX)) ||
	    (a->resume && (!*a->resume || strlen(a->resume) >= DIR_MAX)))
		return "unusable directory name";
	return NULL;
}

int pvb_cmd_sweep(int argc, char **argv)
{
	struct pvb_sweep_args a = { .argc = argc, .argv = argv };
	struct pvb_opts ctx;
	const char *why;
	int rc;

	pvb_opts_init(&ctx, "sweep", &sweep_table, &a);
	ctx.prefix = "sweep: ";
	ctx.usage = sweep_usage;
	rc = pvb_opts_getopt(&ctx, argc, argv);
	if (rc >= 0)
		return rc;
	if (a.quiet)
		pvb_quiet = true;
	if (optind < argc)
		a.config = argv[optind++];
	why = misuse(&a, optind < argc);
	if (why) {
		pvb_err("sweep: %s (see pvbench sweep --help)", why);
		return PVB_EXIT_USAGE;
	}
	return pvb_sweep_main(&a);
}

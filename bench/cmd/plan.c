/* pvbench plan --model DIR... --fleet FILE [--check RUN]: what a fleet of guests rebooting
 * costs the host, from models fitted to single-guest runs (report/plan.h); --check sets the
 * models against a measured multi-guest run. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "optmacros.h"
#include "options.h"
#include "pvbench.h"
#include "report/plan.h"
#include "report/report.h"

#define MAX_MODELS 32

enum plan_format { PLAN_TXT, PLAN_JSON };

/* in the order an unknown format's message lists them */
static const struct pvb_opt_name format_names[] = {
	{ "txt", PLAN_TXT },
	{ "json", PLAN_JSON },
	{ NULL, 0 },
};

struct plan_args {
	const char *models[MAX_MODELS];
	size_t nmodels;
	const char *fleet, *check, *out;
	int format; /* enum plan_format */
};

/* --model DIR, once per directory */
static int add_model(const struct pvb_opts *ctx, const struct pvb_opt *o, void *cfg,
		     const char *arg)
{
	struct plan_args *a = cfg;

	(void)ctx, (void)o;
	if (a->nmodels == MAX_MODELS) {
		pvb_err("plan: more than %d --model directories", MAX_MODELS);
		return PVB_EXIT_USAGE;
	}
	a->models[a->nmodels++] = arg;
	return 0;
}

#define FIELD(f) PVB_OPT_FIELD(struct plan_args, f)

static const struct pvb_opt plan_opts[] = {
	{ CUSTOM("model", "DIR", add_model),
	  .help = "a results directory of single-guest runs (repeat for more)" },
	{ ARG("fleet", "FILE", fleet),
	  .help = "the fleet (INI: [host], [class NAME]..., [storm]; see\n"
		  "workloads/fleets/)" },
	{ ARG("check", "RUN", check),
	  .help = "predict the multi-guest points of RUN (reboot --guests G)\n"
		  "and set them against what RUN measured" },
	{ ENUM("format", "F", format, format_names), .help = "txt (default) or json" },
	{ OUT_SHORT("FILE", out), .help = "write FILE atomically (default: stdout)" },
	{ .name = "help", .kind = PVB_OPT_HELP },
	{ .name = NULL },
};

static const struct pvb_opt_table plan_table = { .opts = plan_opts };

static void plan_usage_to(FILE *f)
{
	struct pvb_opts ctx;

	pvb_opts_init(&ctx, "plan", &plan_table, NULL);
	ctx.help_col = 18;
	fprintf(f,
		"usage: pvbench plan --model DIR... [--fleet FILE] [--check RUN]\n"
		"                    [--format txt|json] [-o FILE]\n"
		"Fit per-size models to single-guest runs (reboot latency sync and async, cleanup\n"
		"CPU and wall time, cleanup start, peak memory, interference; medians with exact\n"
		"95 %% CIs, interpolated, a least squares line beyond the measured sizes up to\n"
		"%gx) and answer for a fleet what it costs the host: cleanup cores on average and\n"
		"in a storm, the storm's drain time, memory headroom, reboot p50/p95, whether the\n"
		"host fits, what was extrapolated.\n\n",
		PVB_PLAN_REACH);
	pvb_opts_print(&ctx, f);
	fprintf(f, "Give --fleet, --check or both. A size the models cannot reach exits 2.\n");
}

static void plan_usage(void)
{
	plan_usage_to(stdout);
}

/* getopt_long has said what is wrong (getopt_errors) */
static int plan_bad(const struct pvb_opts *ctx, const char *arg, bool missing)
{
	(void)ctx, (void)arg, (void)missing;
	plan_usage_to(stderr);
	return PVB_EXIT_USAGE;
}

/* Returns -1 to go on, else the exit code. */
static int parse_options(int argc, char **argv, struct plan_args *a)
{
	struct pvb_opts ctx;
	int rc;

	pvb_opts_init(&ctx, "plan", &plan_table, a);
	ctx.usage = plan_usage;
	ctx.bad = plan_bad;
	ctx.bad_value = pvb_opt_unknown;
	ctx.getopt_errors = true;
	rc = pvb_opts_getopt(&ctx, argc, argv);
	if (rc >= 0)
		return rc;
	if (optind != argc) {
		pvb_err("plan: unexpected argument '%s' (directories go after --model)",
			argv[optind]);
		return PVB_EXIT_USAGE;
	}
	if (!a->nmodels || (!a->fleet && !a->check)) {
		pvb_err("plan: give --model DIR and --fleet FILE (or --check RUN)");
		plan_usage_to(stderr);
		return PVB_EXIT_USAGE;
	}
	return -1;
}

/* The models, the fleet's answers and the check into root. */
static int plan(const struct plan_args *a, json_t *root)
{
	static struct pvb_fleet fl;
	struct pvb_plan_models m;
	struct pvb_dataset ds;
	json_t *j;
	int rc;

	memset(&fl, 0, sizeof(fl));
	if (a->fleet && (rc = pvb_fleet_load(a->fleet, &fl)))
		return rc;
	if ((rc = pvb_dataset_load(&ds, a->models, a->nmodels)))
		return rc;
	rc = pvb_plan_fit_models(&m, &ds, a->fleet ? fl.cthreads : 1,
				 a->fleet ? fl.placement : "unpinned");
	pvb_dataset_free(&ds);
	if (rc)
		return rc;
	if (json_object_set_new(root, "models", pvb_plan_models_json(&m)))
		return PVB_EXIT_FAIL;
	if (a->fleet) {
		if ((rc = pvb_plan_answer(&m, &fl, &j)))
			return rc;
		json_object_set_new(root, "fleet", j);
	}
	if (a->check) {
		if ((rc = pvb_plan_check(&m, a->check, &j)))
			return rc;
		json_object_set_new(root, "checks", j);
	}
	return 0;
}

int pvb_cmd_plan(int argc, char **argv)
{
	struct plan_args a = { 0 };
	json_t *root;
	int rc = parse_options(argc, argv, &a);

	if (rc >= 0)
		return rc;
	root = json_object();
	if (!root) {
		pvb_err("plan: out of memory");
		return PVB_EXIT_FAIL;
	}
	rc = plan(&a, root);
	if (rc == PVB_EXIT_FAIL)
		pvb_err("plan: out of memory");
	if (!rc) {
		struct pvb_render rd;
		FILE *f = pvb_render_begin(&rd);
		int frc = -1;

		if (f)
			frc = a.format == PLAN_JSON ? pvb_dump_json(json_incref(root), f) :
						      pvb_plan_txt(root, f);
		rc = pvb_render_end(&rd, "plan", a.out, frc);
	}
	json_decref(root);
	return rc;
}

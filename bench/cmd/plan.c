/* pvbench plan --model DIR... --fleet FILE [--check RUN]: what a fleet of guests rebooting
 * costs the host, from models fitted to single-guest runs (report/plan.h); --check sets the
 * models against a measured multi-guest run. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "pvbench.h"
#include "report/plan.h"
#include "report/report.h"

#define MAX_MODELS 32

/* an option with a value, its getopt code */
#define WITH_ARG(name, code)                        \
	{                                           \
		name, required_argument, NULL, code \
	}
static const struct option options[] = {
	WITH_ARG("model", 'm'),	 WITH_ARG("fleet", 'F'), WITH_ARG("check", 'c'),
	WITH_ARG("format", 'f'), WITH_ARG("out", 'o'),	 { "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct plan_args {
	const char *models[MAX_MODELS];
	size_t nmodels;
	const char *fleet, *check, *out;
	bool json;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pvbench plan --model DIR... [--fleet FILE] [--check RUN]\n"
		"                    [--format txt|json] [-o FILE]\n"
		"Fit per-size models to single-guest runs (reboot latency sync and async, cleanup\n"
		"CPU and wall time, cleanup start, peak memory, interference; medians with exact\n"
		"95 %% CIs, interpolated, a least squares line beyond the measured sizes up to\n"
		"%gx) and answer for a fleet what it costs the host: cleanup cores on average and\n"
		"in a storm, the storm's drain time, memory headroom, reboot p50/p95, whether the\n"
		"host fits, what was extrapolated.\n\n"
		"  --model DIR     a results directory of single-guest runs (repeat for more)\n"
		"  --fleet FILE    the fleet (INI: [host], [class NAME]..., [storm]; see\n"
		"                  workloads/fleets/)\n"
		"  --check RUN     predict the multi-guest points of RUN (reboot --guests G)\n"
		"                  and set them against what RUN measured\n"
		"  --format F      txt (default) or json\n"
		"  -o, --out FILE  write FILE atomically (default: stdout)\n"
		"Give --fleet, --check or both. A size the models cannot reach exits 2.\n",
		PVB_PLAN_REACH);
}

/* Returns -1 to go on, else the exit code. */
static int parse_options(int argc, char **argv, struct plan_args *a)
{
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:", options, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return PVB_EXIT_OK;
		case 'o':
			a->out = optarg;
			break;
		case 'm':
			if (a->nmodels == MAX_MODELS) {
				pvb_err("plan: more than %d --model directories", MAX_MODELS);
				return PVB_EXIT_USAGE;
			}
			a->models[a->nmodels++] = optarg;
			break;
		case 'F':
			a->fleet = optarg;
			break;
		case 'c':
			a->check = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "txt") && strcmp(optarg, "json")) {
				pvb_err("plan: unknown format '%s' (txt or json)", optarg);
				return PVB_EXIT_USAGE;
			}
			a->json = !strcmp(optarg, "json");
			break;
		default:
			usage(stderr);
			return PVB_EXIT_USAGE;
		}
	}
	if (optind != argc) {
		pvb_err("plan: unexpected argument '%s' (directories go after --model)",
			argv[optind]);
		return PVB_EXIT_USAGE;
	}
	if (!a->nmodels || (!a->fleet && !a->check)) {
		pvb_err("plan: give --model DIR and --fleet FILE (or --check RUN)");
		usage(stderr);
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
			frc = a.json ? pvb_dump_json(json_incref(root), f) : pvb_plan_txt(root, f);
		rc = pvb_render_end(&rd, "plan", a.out, frc);
	}
	json_decref(root);
	return rc;
}

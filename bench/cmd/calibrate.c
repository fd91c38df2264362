/* pvbench calibrate RUN_DIR: fit the pv-emulated per-operation costs to a real `pv` run
 * (backends/pvem/calibrate.c) and write them as a cost file that `--pv-costs` loads. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "optmacros.h"
#include "options.h"
#include "pvbench.h"
#include "backends/pvem/calibrate.h"
#include "backends/pvem/pvem.h"

struct calibrate_args {
	const char *dir, *base;
	char out[4200];
	bool from_model;
};

#define FIELD(f) PVB_OPT_FIELD(struct calibrate_args, f)

static const struct pvb_opt calibrate_opts[] = {
	{ .name = "out",
	  .metavar = "FILE",
	  .kind = PVB_OPT_STRING,
	  FIELD(out),
	  .hint = "is too long a path",
	  .help = "the cost file (default: RUN_DIR/pv-costs.ini)" },
	{ ARG("base", "FILE", base),
	  .help = "costs to keep where the run says nothing (default: the\n"
		  "documented defaults)" },
	{ FLAG("from-model", from_model,
	       "accept a pv-emulated run: a self-check of the fit, not a\n"
	       "calibration") },
	{ .name = "help", .kind = PVB_OPT_HELP },
	{ .name = NULL },
};

static const struct pvb_opt_table calibrate_table = { .opts = calibrate_opts };

static void usage(void)
{
	struct pvb_opts ctx;

	pvb_opts_init(&ctx, "calibrate", &calibrate_table, NULL);
	ctx.help_col = 17;
	printf("usage: pvbench calibrate RUN_DIR [--out FILE] [--base FILE] [--from-model]\n"
	       "Fit the pv-emulated per-operation costs to a `pvbench reboot --backend pv` run\n"
	       "(with --mode sync and at least two sizes) and write a cost file that\n"
	       "`--backend pv-emulated --pv-costs FILE` loads.\n\n");
	pvb_opts_print(&ctx, stdout);
}

static int calibrate_bad(const struct pvb_opts *ctx, const char *arg, bool missing)
{
	(void)ctx, (void)arg, (void)missing;
	pvb_err("unknown or incomplete option (see pvbench calibrate --help)");
	return PVB_EXIT_USAGE;
}

/* Returns -1 to go on, else the exit code. */
static int parse_options(int argc, char **argv, struct calibrate_args *a)
{
	struct pvb_opts ctx;
	int rc;

	pvb_opts_init(&ctx, "calibrate", &calibrate_table, a);
	ctx.usage = usage;
	ctx.bad = calibrate_bad;
	rc = pvb_opts_getopt(&ctx, argc, argv);
	if (rc >= 0)
		return rc;
	if (optind != argc - 1) {
		pvb_err("give one results directory (see pvbench calibrate --help)");
		return PVB_EXIT_USAGE;
	}
	a->dir = argv[optind];
	if (!a->out[0])
		snprintf(a->out, sizeof(a->out), "%s/pv-costs.ini", a->dir);
	return -1;
}

static void print_cost(const char *name, uint64_t before, uint64_t fitted)
{
	printf("%-18s %12llu %12llu\n", name, (unsigned long long)before,
	       (unsigned long long)fitted);
}

static void print_fit(const struct pvem_settings *old, const struct pvem_settings *s)
{
	printf("%-18s %12s %12s\n", "cost (ns)", "before", "fitted");
	print_cost("destroy_page_ns", old->c.destroy_page_ns, s->c.destroy_page_ns);
	print_cost("destroy_config_ns", old->c.destroy_config_ns, s->c.destroy_config_ns);
	print_cost("import_ns", old->c.import_ns, s->c.import_ns);
	print_cost("create_config_ns", old->c.create_config_ns, s->c.create_config_ns);
}

int pvb_cmd_calibrate(int argc, char **argv)
{
	struct calibrate_args a = { 0 };
	struct pvem_calibration cal;
	struct pvem_settings s, old;
	char err[600], comment[2048];
	int rc = parse_options(argc, argv, &a);

	if (rc >= 0)
		return rc;
	pvem_defaults(&s);
	if (a.base && pvem_load(a.base, &s, err, sizeof(err))) {
		pvb_err("--base: %s", err);
		return PVB_EXIT_USAGE;
	}
	old = s;
	rc = pvem_calibrate_fit(a.dir, a.from_model, &cal);
	if (rc)
		return rc;
	pvem_calibrate_apply(&cal, &s);
	pvem_calibrate_comment(&cal, a.dir, a.from_model, a.base, comment, sizeof(comment));
	if (pvem_save(a.out, &s, comment))
		return PVB_EXIT_FAIL;
	printf("pvbench calibrate: %s -> %s\n%s\n", a.dir, a.out, comment);
	print_fit(&old, &s);
	return PVB_EXIT_OK;
}

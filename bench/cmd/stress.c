/* `pvbench stress`: its option table and --help; the supervisor is in stress/. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backends/backend.h"
#include "cmd.h"
#include "optmacros.h"
#include "options.h"
#include "parse.h"
#include "pvbench.h"
#include "reboot/config.h"
#include "stress/stress.h"

#define FIELD(f) PVB_OPT_FIELD(struct pvb_stress_args, f)

int pvb_stress_parse_duration(const char *s, uint64_t *ns)
{
	char *end;
	double v, unit = 1;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || !isfinite(v) || v <= 0)
		return -1;
	if (!strcmp(end, "h"))
		unit = 3600;
	else if (!strcmp(end, "m") || !strcmp(end, "min"))
		unit = 60;
	else if (*end && strcmp(end, "s"))
		return -1;
	if (v * unit > 366.0 * 86400)
		return -1;
	*ns = (uint64_t)(v * unit * 1e9);
	return *ns ? 0 : -1;
}

static const char fault_list[] = "kill, interrupt, perform-interrupt, prepare-refused, "
				 "memory-pressure, cpu-starve, storm, or all";

int pvb_stress_parse_faults(const char *list, unsigned *out)
{
	char copy[512], *items[PVB_FAULT_COUNT + 8];
	int n;

	snprintf(copy, sizeof(copy), "%s", list);
	n = pvb_split_list(copy, items, PVB_FAULT_COUNT + 8);
	*out = 0;
	if (n <= 0) {
		pvb_err("stress: --faults '%s' is not a list of faults (%s)", list, fault_list);
		return PVB_EXIT_USAGE;
	}
	for (int i = 0; i < n; i++) {
		int f;

		if (!strcmp(items[i], "all")) {
			*out |= (1u << PVB_FAULT_COUNT) - 1;
			continue;
		}
		for (f = 0; f < PVB_FAULT_COUNT && strcmp(items[i], pvb_fault_names[f]); f++)
			;
		if (f == PVB_FAULT_COUNT) {
			pvb_err("stress: unknown fault '%s' in --faults (%s)", items[i],
				fault_list);
			return PVB_EXIT_USAGE;
		}
		*out |= 1u << f;
	}
	return 0;
}

static int parse_duration(const struct pvb_opts *ctx, const struct pvb_opt *o, void *c,
			  const char *arg)
{
	struct pvb_stress_args *a = c;

	if (pvb_stress_parse_duration(arg, &a->duration_ns))
		return pvb_opt_bad(
			ctx, o->name, arg,
			"is not a duration (a positive number with s, m or h, e.g. 10m)");
	return 0;
}

static int parse_faults(const struct pvb_opts *ctx, const struct pvb_opt *o, void *c,
			const char *arg)
{
	struct pvb_stress_args *a = c;

	(void)ctx;
	(void)o;
	a->faults_given = true;
	return pvb_stress_parse_faults(arg, &a->faults);
}

static int parse_backend(const struct pvb_opts *ctx, const struct pvb_opt *o, void *c,
			 const char *arg)
{
	struct pvb_stress_args *a = c;

	(void)ctx;
	(void)o;
	if (!pvb_backend_find(arg)) {
		pvb_err("stress: --backend: unknown backend '%s'; this build has: %s", arg,
			pvb_backend_names());
		return PVB_EXIT_USAGE;
	}
	snprintf(a->backend, sizeof(a->backend), "%s", arg);
	return 0;
}

static int parse_out(const struct pvb_opts *ctx, const struct pvb_opt *o, void *c, const char *arg)
{
	struct pvb_stress_args *a = c;

	if (!*arg || strlen(arg) >= sizeof(a->out))
		return pvb_opt_bad(ctx, o->name, arg, "is not a usable directory name");
	snprintf(a->out, sizeof(a->out), "%s", arg);
	return 0;
}

static const struct pvb_opt_name plants[] = {
	{ "stale-data", PVB_PLANT_STALE },
	{ "leak-fd", PVB_PLANT_LEAK_FD },
	{ "skip-release", PVB_PLANT_SKIP_RELEASE },
	{ "corrupt-row", PVB_PLANT_CORRUPT_ROW },
	{ NULL, 0 },
};

static void defaults(void *c)
{
	struct pvb_stress_args *a = c;

	a->seed = 1;
	a->faults = (1u << PVB_FAULT_COUNT) - 1;
	snprintf(a->backend, sizeof(a->backend), "%s", pvb_backend_default());
	a->sizes[0] = 64 * PVB_MIB;
	a->sizes[1] = 128 * PVB_MIB;
	a->sizes[2] = 256 * PVB_MIB;
	a->sizes[3] = 512 * PVB_MIB;
	a->nsizes = 4;
	a->guests = 2;
	a->mem_bound_ns = 2000000000ULL;
	a->mem_tolerance = 256 * PVB_MIB;
	a->pressure_max = 2 * PVB_GIB;
}

static int check(void *c)
{
	struct pvb_stress_args *a = c;

	if (a->duration_ns && a->reboots) {
		pvb_err("stress: give --duration or --reboots, not both");
		return PVB_EXIT_USAGE;
	}
	if (!a->duration_ns && !a->reboots)
		a->duration_ns = 60000000000ULL;
	return -1;
}

static const struct pvb_opt stress_opts[] = {
	{ CUSTOM("duration", "T", parse_duration),
	  .help = "run this long: 90s, 10m, 1h (default 60s)" },
	{ UINT("reboots", "N", reboots, 1, 1000000000, "is not a count >= 1"),
	  .help = "or: until the workers have done N reboots" },
	{ UINT("seed", "S", seed, 0, INT64_MAX, "is not an unsigned integer"),
	  .help = "draws the workers' configurations and faults (default 1)" },
	{ CUSTOM("faults", "LIST", parse_faults),
	  .help = "kill, interrupt, perform-interrupt, prepare-refused,\n"
		  "memory-pressure, cpu-starve, storm, all (default: all\n"
		  "that apply to the backend; the others are skips)" },
	{ CUSTOM("backend", "B", parse_backend),
	  .help = "kvm, pv, pv-emulated (default: as pvbench reboot's)" },
	{ SIZE_LIST("size", sizes, offsetof(struct pvb_stress_args, nsizes), PVB_STRESS_MAX_SIZES),
	  .help = "guest sizes to draw from (default 64M,128M,256M,512M)" },
	{ UINT("guests", "G", guests, 1, 8, "is not a guest count (1 to 8)"),
	  .help = "at most G guests per worker (default 2; storm: >= 2)" },
	{ UINT("mem-bound", "MS", mem_bound_ns, 1, 600000, "is not a time in ms (1 to 600000)"),
	  .scale = 1000000, .help = "host memory must be back within this (default 2000)" },
	{ SIZE("mem-tolerance", mem_tolerance),
	  .help = "... give or take this much (default 256M: other\nprocesses move MemAvailable too)" },
	{ SIZE("pressure-max", pressure_max),
	  .help = "memory-pressure: stress-ng takes at most this\n(default 2G)" },
	{ CUSTOM("out", "DIR", parse_out),
	  .help = "results directory (default results/runs/<UTC time>-stress)" },
	{ ENUM("plant", "KIND", plant, plants),
	  .hint = "is not a defect (stale-data, leak-fd, skip-release, corrupt-row)",
	  .help = "TEST-ONLY: the first worker carries this defect,\n"
		  "which a check must catch (exit 3): stale-data,\n"
		  "leak-fd, skip-release, corrupt-row" },
	{ FLAG("quiet", quiet, "no progress lines") },
	{ .name = "help", .kind = PVB_OPT_HELP },
	{ .name = NULL },
};

static const struct pvb_opt_table stress_table = {
	.opts = stress_opts,
	.defaults = defaults,
	.check = check,
};

static void stress_usage(void)
{
	struct pvb_opts ctx;

	pvb_opts_init(&ctx, "stress", &stress_table, NULL);
	printf("usage: pvbench stress [--duration T | --reboots N] [--seed S] [--faults LIST]\n"
	       "                      [--backend B] [--size LIST] [--guests G] [--out DIR]\n"
	       "Abuse the reboot path: `pvbench reboot --verify-clean` workers, one at a time,\n"
	       "each drawn from the seed (mode, size, vCPUs, guests, --cleanup-start, placement,\n"
	       "backing, iterations) and given a fault; after every event the invariants are\n"
	       "checked: old data, memory back (MemAvailable + per-CPU free lists), leftovers of\n"
	       "killed workers, fd/thread/RSS drift (RSS outside guest RAM), rows, meta.json,\n"
	       "the pv-emulated model's accounting, the worker's exit.\n\n");
	pvb_opts_print(&ctx, stdout);
	printf("\nDIR/events.csv: one row per reboot, fault, check and worker end; DIR/stress.json:\n"
	       "reboots, faults, checks, violations (refreshed every second); DIR/workers/NNN: each\n"
	       "worker's results. Exit codes: 0 no violation, 1 run-time failure, 2 bad input,\n"
	       "3 a violation, 2 or 4 the backend cannot run here (the first worker's exit and\n"
	       "reason), 130 interrupted (partial files).\n");
}

static void default_out(struct pvb_stress_args *a)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(a->out, sizeof(a->out), "results/runs/%s-stress", stamp);
}

int pvb_cmd_stress(int argc, char **argv)
{
	struct pvb_stress_args a = { .argc = argc, .argv = argv };
	struct pvb_opts ctx;
	int rc;

	pvb_opts_init(&ctx, "stress", &stress_table, &a);
	ctx.prefix = "stress: ";
	ctx.usage = stress_usage;
	pvb_opts_defaults(&ctx);
	rc = pvb_opts_getopt(&ctx, argc, argv);
	if (rc >= 0)
		return rc;
	if (optind < argc) {
		pvb_err("stress: unexpected argument '%s' (see pvbench stress --help)",
			argv[optind]);
		return PVB_EXIT_USAGE;
	}
	rc = pvb_opts_check(&ctx);
	if (rc >= 0)
		return rc;
	if (a.quiet)
		pvb_quiet = true;
	if (!a.out[0])
		default_out(&a);
	return pvb_stress_main(&a);
}

/* `pvbench reboot`'s options: the table, the defaults and the checks across options
 * (config_json.c: the configuration as meta.json records it). */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backends/backend.h"
#include "config.h"
#include "host/load.h"
#include "host/numapol.h"
#include "host/placement.h"
#include "optmacros.h"
#include "options.h"
#include "parse.h"
#include "provenance.h"
#include "pvbench.h"

const char *pvb_mode_name(enum pvb_mode m)
{
	return m == PVB_MODE_ASYNC ? "async" : "sync";
}

const char *pvb_cleanup_start_name(enum pvb_cleanup_start c)
{
	return c == PVB_CLEANUP_ASIDE	? "aside" :
	       c == PVB_CLEANUP_CREATED ? "created" :
	       c == PVB_CLEANUP_NEXT	? "next-reboot" :
					  "alive";
}

#define FIELD(f) PVB_OPT_FIELD(struct pvb_reboot_config, f)

static const char *backend_help(char *buf, size_t len)
{
	snprintf(buf, len, "%s, or auto: the first of them\nthis host can run (default: %s)",
		 pvb_backend_names(), pvb_backend_default());
	return buf;
}

/* completion: the backends of this build, or auto */
static const char *backend_values(char *buf, size_t len)
{
	snprintf(buf, len, "%s auto", pvb_backend_names());
	return buf;
}

static int parse_backend(const struct pvb_opts *ctx, const struct pvb_opt *o, void *c,
			 const char *arg)
{
	struct pvb_reboot_config *cfg = c;

	(void)ctx;
	(void)o;
	if (strcmp(arg, "auto") && !pvb_backend_find(arg)) {
		pvb_err("--backend: unknown backend '%s'; this build has: %s (or auto)", arg,
			pvb_backend_names());
		return PVB_EXIT_USAGE;
	}
	snprintf(cfg->backend, sizeof(cfg->backend), "%s", arg);
	return 0;
}

static int parse_modes(const struct pvb_opts *ctx, const struct pvb_opt *o, void *c,
		       const char *arg)
{
	static const char twice[] = "names a mode twice (modes: sync, async)";
	struct pvb_reboot_config *cfg = c;
	char copy[1024], *items[PVB_MAX_LIST];
	int n;

	snprintf(copy, sizeof(copy), "%s", arg);
	n = pvb_split_list(copy, items, PVB_MAX_LIST);
	if (n <= 0)
		return pvb_opt_bad(ctx, o->name, arg,
				   "is not a comma-separated list of at most "
				   "32 items");
	if (n > 2)
		return pvb_opt_bad(ctx, o->name, arg, twice);
	for (int i = 0; i < n; i++) {
		if (!strcmp(items[i], "sync"))
			cfg->modes[i] = PVB_MODE_SYNC;
		else if (!strcmp(items[i], "async"))
			cfg->modes[i] = PVB_MODE_ASYNC;
		else
			return pvb_opt_bad(ctx, o->name, items[i], "is not a mode (sync, async)");
	}
	if (n == 2 && cfg->modes[0] == cfg->modes[1])
		return pvb_opt_bad(ctx, o->name, arg, twice);
	cfg->nmodes = n;
	return 0;
}

static int parse_out(const struct pvb_opts *ctx, const struct pvb_opt *o, void *c, const char *arg)
{
	struct pvb_reboot_config *cfg = c;

	if (!*arg || strlen(arg) >= sizeof(cfg->out_dir) - 64)
		return pvb_opt_bad(ctx, o->name, arg, "is not a usable directory name");
	snprintf(cfg->out_dir, sizeof(cfg->out_dir), "%s", arg);
	return 0;
}

static int parse_cleanup_cpu(const struct pvb_opts *ctx, const struct pvb_opt *o, void *c,
			     const char *arg)
{
	struct pvb_reboot_config *cfg = c;
	uint64_t v;

	if (pvb_parse_uint(arg, 0, 65535, &v))
		return pvb_opt_bad(ctx, o->name, arg, "is not a CPU number");
	snprintf(cfg->placement, sizeof(cfg->placement), "%llu", (unsigned long long)v);
	return 0;
}

static int parse_placement(const struct pvb_opts *ctx, const struct pvb_opt *o, void *c,
			   const char *arg)
{
	struct pvb_reboot_config *cfg = c;
	struct pvb_placement pl;
	char err[512];

	(void)ctx;
	(void)o;
	if (pvb_placement_parse(arg, &pl, err, sizeof(err))) {
		pvb_err("--placement: %s", err);
		return PVB_EXIT_USAGE;
	}
	snprintf(cfg->placement, sizeof(cfg->placement), "%s", pl.name);
	return 0;
}

static int parse_mem_policy(const struct pvb_opts *ctx, const struct pvb_opt *o, void *c,
			    const char *arg)
{
	struct pvb_reboot_config *cfg = c;
	struct pvb_mempolicy mp;
	char err[256];

	(void)ctx;
	(void)o;
	if (pvb_mempolicy_parse(arg, &mp, err, sizeof(err))) {
		pvb_err("%s", err);
		return PVB_EXIT_USAGE;
	}
	snprintf(cfg->mem_policy, sizeof(cfg->mem_policy), "%s", mp.name);
	return 0;
}

static int parse_load(const struct pvb_opts *ctx, const struct pvb_opt *o, void *c, const char *arg)
{
	struct pvb_reboot_config *cfg = c;
	struct pvb_load l;
	int rc;

	(void)ctx;
	(void)o;
	if (strcmp(arg, "none") && (rc = pvb_load_parse(arg, &l)))
		return rc;
	snprintf(cfg->load, sizeof(cfg->load), "%s", arg);
	return 0;
}

static int parse_target_ci(const struct pvb_opts *ctx, const struct pvb_opt *o, void *c,
			   const char *arg)
{
	struct pvb_reboot_config *cfg = c;
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (!*arg || *end || errno || !isfinite(v) || v <= 0 || v > 100)
		return pvb_opt_bad(ctx, o->name, arg, "is not a percentage in (0, 100]");
	cfg->target_ci = v;
	return 0;
}

static int parse_release(const struct pvb_opts *ctx, const struct pvb_opt *o, void *c,
			 const char *arg)
{
	struct pvb_reboot_config *cfg = c;

	if (pvb_release_parse(arg, &cfg->release))
		return pvb_opt_bad(ctx, o->name, arg,
				   "is not a release strategy (munmap, dontneed-slices, "
				   "dontneed-slices:MIB with MIB 1 to 65536)");
	return 0;
}

/* --host-label and --run-id: a label (provenance.h), for a CSV field and a directory name. */
static int parse_label(const struct pvb_opts *ctx, const struct pvb_opt *o, void *c,
		       const char *arg)
{
	if (!pvb_label_ok(arg))
		return pvb_opt_bad(ctx, o->name, arg,
				   "is not a label: 1 to 63 of A-Z a-z 0-9 . _ -, not starting "
				   "with . or -");
	snprintf((char *)c + o->off, o->size, "%s", arg);
	return 0;
}

static int parse_quiet(const struct pvb_opts *ctx, const struct pvb_opt *o, void *c,
		       const char *arg)
{
	(void)ctx;
	(void)o;
	(void)c;
	(void)arg;
	pvb_quiet = true;
	return 0;
}

static void defaults(void *c)
{
	struct pvb_reboot_config *cfg = c;

	memset(cfg, 0, offsetof(struct pvb_reboot_config, pv));
	snprintf(cfg->backend, sizeof(cfg->backend), "%s", pvb_backend_default());
	cfg->sizes[0] = 512 * PVB_MIB;
	cfg->sizes[1] = PVB_GIB;
	cfg->nsizes = 2;
	cfg->vcpus[0] = 1;
	cfg->nvcpus = 1;
	cfg->modes[0] = PVB_MODE_SYNC;
	cfg->modes[1] = PVB_MODE_ASYNC;
	cfg->nmodes = 2;
	cfg->iterations = 5;
	cfg->warmup = 1;
	cfg->touch = 1.0;
	cfg->seed = 1;
	cfg->floor = true;
	snprintf(cfg->placement, sizeof(cfg->placement), "unpinned");
	cfg->ref_cpu = -1;
	cfg->cleanup_threads = 1;
	cfg->guests = 1;
	snprintf(cfg->mem_policy, sizeof(cfg->mem_policy), "none");
	snprintf(cfg->load, sizeof(cfg->load), "none");
	cfg->point = -1;
	cfg->ref_iterations = 3;
	cfg->floor_gap_ns = 3000000000ULL;
	cfg->sample_interval_ns = 1000000;
	cfg->headroom = PVB_GIB;
	cfg->argc = 0;
	cfg->argv = NULL;
	/* the order of QEMU's async_cleanup: PERFORM starts right after PREPARE */
	cfg->cleanup_start = PVB_CLEANUP_ASIDE;
	cfg->release = (struct pvb_release_how){ PVB_RELEASE_MUNMAP, 0 };
	cfg->floor_loaded = true;
}

static const struct pvb_opt_name backings[] = {
	{ "anonymous", PVB_BACKING_ANON },
	{ "anon", PVB_BACKING_ANON },
	{ "thp", PVB_BACKING_THP },
	{ "hugetlb", PVB_BACKING_HUGETLB },
	{ NULL, 0 },
};
static const struct pvb_opt_name orders[] = {
	{ "seq", PVB_ORDER_SEQ },
	{ "sequential", PVB_ORDER_SEQ },
	{ "random", PVB_ORDER_RANDOM },
	{ NULL, 0 },
};
static const struct pvb_opt_name cleanup_starts[] = {
	{ "alive", PVB_CLEANUP_ALIVE },
	{ "created", PVB_CLEANUP_CREATED },
	{ "aside", PVB_CLEANUP_ASIDE },
	{ "next-reboot", PVB_CLEANUP_NEXT },
	{ NULL, 0 },
};

static const struct pvb_opt_name plants[] = {
	{ "none", PVB_PLANT_NONE },
	{ "stale-data", PVB_PLANT_STALE },
	{ "leak-fd", PVB_PLANT_LEAK_FD },
	{ "skip-release", PVB_PLANT_SKIP_RELEASE },
	{ "corrupt-row", PVB_PLANT_CORRUPT_ROW },
	{ NULL, 0 },
};

static const struct pvb_opt reboot_opts[] = {
	{ CUSTOM("backend", "NAME", parse_backend), .help_fn = backend_help,
	  .values_fn = backend_values },
	{ CUSTOM("mode", "LIST", parse_modes), .help = "sync,async (default: both)",
	  .values = "sync async sync,async async,sync" },
	{ .name = "size",
	  .metavar = "LIST",
	  .kind = PVB_OPT_SIZE_LIST,
	  FIELD(sizes),
	  .off2 = offsetof(struct pvb_reboot_config, nsizes),
	  .max_items = PVB_MAX_LIST,
	  .hint = "is not a size (a positive number with K, M, G or T, e.g. 512M, 1G)",
	  .help = "guest sizes, e.g. 512M,1G,4G (default: 512M,1G)" },
	{ .name = "vcpus",
	  .metavar = "LIST",
	  .kind = PVB_OPT_UINT_LIST,
	  FIELD(vcpus),
	  .off2 = offsetof(struct pvb_reboot_config, nvcpus),
	  .max_items = PVB_MAX_LIST,
	  .min = 1,
	  .max = 1024,
	  .hint = "is not a vCPU count (1 to 1024)",
	  .help = "vCPUs per guest, e.g. 1,2 (default: 1)" },
	{ COUNT("iterations", iterations, 1, "is not a count >= 1"),
	  .help = "measured reboots per point (default: 5)" },
	{ COUNT("warmup", warmup, 0, "is not a count >= 0"),
	  .help = "unmeasured reboots first (default: 1)" },
	{ CUSTOM("target-ci", "PCT", parse_target_ci),
	  .help = "stop a point once the exact 95 % CI of its median\n"
		  "reboot time is within +-PCT % of it (at least 6\n"
		  "reboots; --iterations is the ceiling, default 50)" },
	{ .name = "backing",
	  .metavar = "KIND",
	  .kind = PVB_OPT_ENUM,
	  FIELD(backing),
	  .names = backings,
	  .hint = "is not a backing (anonymous, thp, hugetlb)",
	  .help = "anonymous (4 KiB) | thp | hugetlb (default: anonymous)" },
	{ .name = "touch",
	  .metavar = "F",
	  .kind = PVB_OPT_FRACTION,
	  FIELD(touch),
	  .hint = "is not a fraction in (0, 1]",
	  .help = "fraction of pages the payload writes, (0,1] (default: 1)" },
	{ .name = "order",
	  .metavar = "seq|random",
	  .kind = PVB_OPT_ENUM,
	  FIELD(order),
	  .names = orders,
	  .hint = "is not an order (seq, random)",
	  .help = "page order; random is a permutation seeded by --seed" },
	{ .name = "seed",
	  .metavar = "N",
	  .kind = PVB_OPT_UINT,
	  FIELD(seed),
	  .max = UINT64_MAX,
	  .hint = "is not an unsigned integer",
	  .help = "(default: 1)" },
	{ FLAG("scrub", scrub,
	       "zero every old page before releasing it (models\n"
	       "confidential computing, where firmware clears pages)") },
	{ CUSTOM("placement", "POLICY", parse_placement),
	  .help = "where the cleanup threads run, relative to the\n"
		  "reference PU (vCPU 0 is pinned there): unpinned,\n"
		  "same-pu, smt-sibling, same-core, same-l3,\n"
		  "same-package, other-package, other-group:Book,\n"
		  "other-group:Drawer, node:N, or a CPU list (see\n"
		  "pvbench topo); default unpinned" },
	{ CUSTOM("cleanup-cpu", "CPU", parse_cleanup_cpu), .help = "the same as --placement CPU" },
	{ .name = "ref-cpu",
	  .metavar = "CPU",
	  .kind = PVB_OPT_UINT,
	  FIELD(ref_cpu),
	  .max = 65535,
	  .hint = "is not a CPU number",
	  .help = "the reference PU (default: the first allowed)" },
	{ .name = "cleanup-threads",
	  .metavar = "K",
	  .kind = PVB_OPT_UINT,
	  FIELD(cleanup_threads),
	  .min = 1,
	  .max = PVB_MAX_CLEANUP_THREADS,
	  .hint = "is not a thread count (1 to 64)",
	  .help = "threads sharing each destroy's scrub and release" },
	{ .name = "guests",
	  .metavar = "G",
	  .kind = PVB_OPT_UINT,
	  FIELD(guests),
	  .min = 1,
	  .max = 64,
	  .hint = "is not a guest count (1 to 64)",
	  .help = "concurrent guests, each with its own vCPUs and\n"
		  "cleanup thread (default 1)" },
	{ .name = "stagger",
	  .metavar = "MS",
	  .kind = PVB_OPT_UINT,
	  FIELD(stagger_ns),
	  .max = 600000,
	  .scale = 1000000,
	  .hint = "is not a delay in ms (0 to 600000)",
	  .help = "guest g reboots g*MS after guest 0 (default 0:\nall together)" },
	{ CUSTOM("mem-policy", "POLICY", parse_mem_policy),
	  .help = "guest RAM: none, bind:N, interleave:all,\n"
		  "preferred:N, local (libnuma; default none)" },
	{ CUSTOM("load", "PROFILE", parse_load),
	  .help = "a stress-ng co-runner from workloads/load/ (cpu,\n"
		  "membw, pagefault) during the whole run" },
	{ FLAG("timeline", timeline, "write timeline.csv for each point's last reboot") },
	{ FLAG("perf", perf,
	       "perf_event_open counters per thread role (vCPUs,\n"
	       "lane, cleanup): perf_* columns; a counter this host\n"
	       "lacks is skipped with the reason in meta.json") },
	{ FLAG("trace-marker", trace_marker,
	       "write each phase boundary to tracefs's trace_marker\n"
	       "(\"pvb: g0 it3 create begin\"), to line up perf and\n"
	       "trace-cmd timelines with the rows") },
	/* internal: how a sweep runs its points */
	{ FLAG("append", append, "add rows to a results directory that has some"),
	  .flags = PVB_OPTF_HIDDEN | PVB_OPTF_NOINI },
	{ .name = "point",
	  .metavar = "N",
	  .kind = PVB_OPT_UINT,
	  FIELD(point),
	  .max = 100000000,
	  .hint = "is not a point id",
	  .flags = PVB_OPTF_HIDDEN | PVB_OPTF_NOINI,
	  .help = "sweep point id (written to every row; meta goes to\n"
		  "DIR/points/N.json, no summary or plots)" },
	{ .name = "cleanup-start",
	  .metavar = "WHEN",
	  .kind = PVB_OPT_ENUM,
	  FIELD(cleanup_start),
	  .names = cleanup_starts,
	  .hint = "is not one of aside, created, alive, next-reboot",
	  .help = "async: hand the old guest to the cleanup thread once\n"
		  "it is set aside, once the new guest is created, or\n"
		  "once the new guest is alive: aside|created|alive\n"
		  "(default: aside, QEMU's order: its cleanup thread\n"
		  "starts right after PREPARE; alive keeps the\n"
		  "critical path alone, the isolating variant);\n"
		  "next-reboot: not before the next reboot (pv: the\n"
		  "next PREPARE is refused and falls back to DISABLE)" },
	{ .name = "backends", .kind = PVB_OPT_BACKENDS },
	{ FLAG("verify-clean", verify_clean,
	       "the payload checks every page reads zero before\n"
	       "writing it; old data fails the run (exit 3)") },
	{ FLAG("no-floor", floor, "skip the floor rows (fresh VM to first exit)"),
	  .inverse = true },
	{ FLAG("no-floor-loaded", floor_loaded,
	       "skip the floor_loaded rows (a fresh VM beside an\n"
	       "idle, populated old guest of the same size)"),
	  .inverse = true },
	{ CUSTOM("release", "HOW", parse_release),
	  .help = "how a destroy gives guest RAM back (kvm): munmap\n"
		  "(one per share, as a VMM's exit; default) or\n"
		  "dontneed-slices[:MIB] (MADV_DONTNEED in MIB slices,\n"
		  "16 by default, then munmap)" },
	{ .name = "floor-gap",
	  .metavar = "MS",
	  .kind = PVB_OPT_UINT,
	  FIELD(floor_gap_ns),
	  .max = 600000,
	  .scale = 1000000,
	  .hint = "is not a pause in ms (0 to 600000)",
	  .help = "pause before each floor iteration, so that like a\n"
		  "reboot after a populate it does not reuse memory\n"
		  "freed an instant earlier (default: 3000)" },
	{ COUNT("ref-iterations", ref_iterations, 0, "is not a count >= 0"),
	  .help = "host reference runs per size: first touch, munmap,\n"
		  "memset of the same amount of memory (default: 3)" },
	{ .name = "sample-interval-us",
	  .metavar = "N",
	  .kind = PVB_OPT_UINT,
	  FIELD(sample_interval_ns),
	  .min = 100,
	  .max = 1000000,
	  .scale = 1000,
	  .hint = "is not a period in µs (100 to 1000000)",
	  .help = "MemAvailable sampling period (default: 1000)" },
	{ .name = "headroom",
	  .metavar = "SIZE",
	  .kind = PVB_OPT_SIZE,
	  FIELD(headroom),
	  .hint = "is not a size",
	  .help = "memory to leave free beyond the run's peak (default: 1G)" },
	{ CUSTOM("out", "DIR", parse_out), .flags = PVB_OPTF_NOINI,
	  .help = "results directory (default:\nresults/runs/<UTC time>-reboot)" },
	{ FLAG("plot", plot, "render the plots into DIR at the end"), .flags = PVB_OPTF_NOINI },
	{ .name = "quiet",
	  .kind = PVB_OPT_CUSTOM,
	  .parse = parse_quiet,
	  .flags = PVB_OPTF_NOINI,
	  .help = "no progress lines" },
	{ FLAG("debug-dirty-new-guest", debug_dirty,
	       "test hook: dirty the new guest's memory "
	       "before it starts"),
	  .flags = PVB_OPTF_HIDDEN },
	{ CUSTOM("host-label", "NAME", parse_label), FIELD(host_label),
	  .help = "the host column of every row and meta.json's\n"
		  "host_label (default: the hostname); a fleet run\n"
		  "sets it to the inventory name" },
	{ CUSTOM("run-id", "ID", parse_label), FIELD(run_id),
	  .flags = PVB_OPTF_HIDDEN | PVB_OPTF_NOINI,
	  .help = "the run_id of every row (a sweep gives its points its own)" },
	{ .name = "plant",
	  .metavar = "KIND",
	  .kind = PVB_OPT_ENUM,
	  FIELD(plant),
	  .names = plants,
	  .hint = "is not a defect (stale-data, leak-fd, skip-release, corrupt-row)",
	  .flags = PVB_OPTF_HIDDEN | PVB_OPTF_NOINI,
	  .help = "test-only: plant a defect for pvbench stress to catch" },
	{ .name = "phase-file",
	  .metavar = "FILE",
	  .kind = PVB_OPT_PATH,
	  FIELD(phase_file),
	  .flags = PVB_OPTF_HIDDEN | PVB_OPTF_NOINI,
	  .help = "internal: publish each lane's and cleanup thread's\n"
		  "phase in FILE (made by pvbench stress; phase.h)" },
	{ .name = "help", .kind = PVB_OPT_HELP, .flags = PVB_OPTF_NOINI },
	{ .name = NULL },
};

static const struct pvb_opt_table reboot_table = {
	.opts = reboot_opts,
	.defaults = defaults,
};

/* Every backend's table (names from the backend table), writing into pv. */
static void add_backends(struct pvb_opts *ctx, void *pv)
{
	char names[256], *save = NULL;

	snprintf(names, sizeof(names), "%s", pvb_backend_names());
	for (char *n = strtok_r(names, " ", &save); n; n = strtok_r(NULL, " ", &save)) {
		const struct pvb_backend_ops *b = pvb_backend_find(n);

		if (b && b->options)
			pvb_opts_add(ctx, b->options, pv);
	}
}

/* The tables; cfg NULL: for their entries only (help, names). */
static void init_tables(struct pvb_opts *ctx, struct pvb_reboot_config *cfg)
{
	pvb_opts_init(ctx, "reboot", &reboot_table, cfg);
	ctx->usage = pvb_reboot_usage;
	add_backends(ctx, cfg ? &cfg->pv : NULL);
}

void pvb_reboot_options(struct pvb_opts *ctx, struct pvb_reboot_config *cfg)
{
	init_tables(ctx, cfg);
	pvb_opts_defaults(ctx);
}

const struct pvb_opt *pvb_reboot_option(const char *name)
{
	struct pvb_opts ctx;

	init_tables(&ctx, NULL);
	return pvb_opts_find(&ctx, name, NULL);
}

void pvb_reboot_usage(void)
{
	struct pvb_opts ctx;

	init_tables(&ctx, NULL);
	printf("usage: pvbench reboot [options]\n"
	       "Reboot guests in a loop and time synchronous against asynchronous destroy.\n\n");
	pvb_opts_print(&ctx, stdout);
	printf("\nExit codes: 0 done, 1 run-time failure, 2 bad input or unusable host,\n"
	       "3 --verify-clean violation, 4 missing feature (skipped), 130 interrupted.\n");
}

static void default_out_dir(char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;
	char stamp[32];

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(buf, len, "results/runs/%s-reboot", stamp);
}

int pvb_reboot_check(struct pvb_opts *ctx, struct pvb_reboot_config *cfg)
{
	if (pvb_opts_given(ctx, "cleanup-cpu") && pvb_opts_given(ctx, "placement")) {
		pvb_err("--cleanup-cpu and --placement both say where the cleanup threads run: "
			"give one of them (--cleanup-cpu N is --placement N)");
		return PVB_EXIT_USAGE;
	}
	if (cfg->scrub && cfg->touch < 1.0) {
		pvb_err("--scrub with --touch below 1 would zero (and so allocate) pages the guest "
			"never wrote: use one or the other");
		return PVB_EXIT_USAGE;
	}
	if (cfg->target_ci > 0 && !pvb_opts_given(ctx, "iterations"))
		cfg->iterations = PVB_TARGET_CI_CEILING;
	if (cfg->target_ci > 0 && cfg->iterations * cfg->guests < PVB_TARGET_CI_MIN_N) {
		pvb_err("--target-ci needs room for %d measured reboots per point (no 95 %% CI of "
			"the median exists below): --iterations %d with --guests %d gives %d; "
			"raise --iterations, the ceiling",
			PVB_TARGET_CI_MIN_N, cfg->iterations, cfg->guests,
			cfg->iterations * cfg->guests);
		return PVB_EXIT_USAGE;
	}
	if (cfg->plant == PVB_PLANT_STALE)
		cfg->debug_dirty = 1; /* the backends' hook: old data in each new guest */
	if (!cfg->out_dir[0])
		default_out_dir(cfg->out_dir, sizeof(cfg->out_dir));
	if (!cfg->host_label[0])
		pvb_default_host_label(cfg->host_label, sizeof(cfg->host_label));
	if (!cfg->run_id[0] &&
	    pvb_new_run_id(cfg->host_label, time(NULL), cfg->run_id, sizeof(cfg->run_id)))
		return PVB_EXIT_FAIL;
	return pvb_opts_check(ctx);
}

int pvb_reboot_parse(int argc, char **argv, struct pvb_reboot_config *cfg)
{
	struct pvb_opts ctx;
	int rc;

	pvb_reboot_options(&ctx, cfg);
	cfg->argc = argc;
	cfg->argv = argv;
	rc = pvb_opts_getopt(&ctx, argc, argv);
	if (rc >= 0)
		return rc;
	if (optind < argc) {
		pvb_err("unexpected argument '%s' (see pvbench reboot --help)", argv[optind]);
		return PVB_EXIT_USAGE;
	}
	return pvb_reboot_check(&ctx, cfg);
}

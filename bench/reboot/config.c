#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backends/backend.h"
#include "config.h"
#include "host/numapol.h"
#include "parse.h"
#include "host/placement.h"
#include "host/load.h"
#include "pvbench.h"

const char *pvb_mode_name(enum pvb_mode m)
{
	return m == PVB_MODE_ASYNC ? "async" : "sync";
}

const char *pvb_cleanup_start_name(enum pvb_cleanup_start c)
{
	return c == PVB_CLEANUP_ASIDE ? "aside" : c == PVB_CLEANUP_CREATED ? "created" :
	       c == PVB_CLEANUP_NEXT ? "next-reboot" : "alive";
}

void pvb_reboot_usage(void)
{
	printf("usage: pvbench reboot [options]\n"
	       "Reboot guests in a loop and time synchronous against asynchronous destroy.\n\n"
	       "  --backend NAME          %s, or auto: the first of them\n"
	       "                          this host can run (default: %s)\n"
	       "  --mode LIST             sync,async (default: both)\n"
	       "  --size LIST             guest sizes, e.g. 512M,1G,4G (default: 512M,1G)\n"
	       "  --vcpus LIST            vCPUs per guest, e.g. 1,2 (default: 1)\n"
	       "  --iterations N          measured reboots per point (default: 5)\n"
	       "  --warmup N              unmeasured reboots first (default: 1)\n"
	       "  --backing KIND          anonymous (4 KiB) | thp | hugetlb (default: anonymous)\n"
	       "  --touch F               fraction of pages the payload writes, (0,1] (default: 1)\n"
	       "  --order seq|random      page order; random is a permutation seeded by --seed\n"
	       "  --seed N                (default: 1)\n"
	       "  --scrub                 zero every old page before releasing it (models\n"
	       "                          confidential computing, where firmware clears pages)\n"
	       "  --placement POLICY      where the cleanup threads run, relative to the\n"
	       "                          reference PU (vCPU 0 is pinned there): unpinned,\n"
	       "                          same-pu, smt-sibling, same-core, same-l3,\n"
	       "                          same-package, other-package, other-group:Book,\n"
	       "                          other-group:Drawer, node:N, or a CPU list (see\n"
	       "                          pvbench topo); default unpinned\n"
	       "  --cleanup-cpu CPU       the same as --placement CPU\n"
	       "  --ref-cpu CPU           the reference PU (default: the first allowed)\n"
	       "  --cleanup-threads K     threads sharing each destroy's scrub and release\n"
	       "  --guests G              concurrent guests, each with its own vCPUs and\n"
	       "                          cleanup thread (default 1)\n"
	       "  --stagger MS            guest g reboots g*MS after guest 0 (default 0:\n"
	       "                          all together)\n"
	       "  --mem-policy POLICY     guest RAM: none, bind:N, interleave:all,\n"
	       "                          preferred:N, local (libnuma; default none)\n"
	       "  --load PROFILE          a stress-ng co-runner from workloads/load/ (cpu,\n"
	       "                          membw, pagefault) during the whole run\n"
	       "  --timeline              write timeline.csv for each point's last reboot\n"
	       "  --append                add rows to a results directory that has some\n"
	       "  --point N               sweep point id (written to every row; meta goes to\n"
	       "                          DIR/points/N.json, no summary or plots)\n"
	       "  --cleanup-start WHEN    async: hand the old guest to the cleanup thread once\n"
	       "                          it is set aside, once the new guest is created, or\n"
	       "                          once the new guest is alive: aside|created|alive\n"
	       "                          (default: alive, keeping the critical path alone);\n"
	       "                          next-reboot: not before the next reboot (pv: the\n"
	       "                          next PREPARE is refused and falls back to DISABLE)\n"
	       "\nProtected guests (--backend pv, pv-emulated):\n"
	       "  --mem-limit ram|none|SIZE  KVM memory limit: the RAM size as QEMU sets it\n"
	       "                          (default), unset, or a size; PREPARE is refused\n"
	       "                          at 2 GiB or less\n"
	       "  --se-image FILE         a full SE image (made by scripts/se-seal.sh)\n"
	       "  --payload BIN --se-header HDR  a raw payload at 0 and its SE header\n"
	       "  --se-tweak HEX          the payload component's tweak (with --payload)\n"
	       "  --pv-costs FILE         pv-emulated: per-operation costs (pvbench calibrate)\n"
	       "  --pv-misc on|off        pv-emulated: model the UV feature MISC (no export\n"
	       "                          before an import while an old guest is set aside)\n"
	       "  --verify-clean          the payload checks every page reads zero before\n"
	       "                          writing it; old data fails the run (exit 3)\n"
	       "  --no-floor              skip the floor rows (fresh VM to first exit)\n"
	       "  --floor-gap MS          pause before each floor iteration, so that like a\n"
	       "                          reboot after a populate it does not reuse memory\n"
	       "                          freed an instant earlier (default: 3000)\n"
	       "  --ref-iterations N      host reference runs per size: first touch, munmap,\n"
	       "                          memset of the same amount of memory (default: 3)\n"
	       "  --sample-interval-us N  MemAvailable sampling period (default: 1000)\n"
	       "  --headroom SIZE         memory to leave free beyond the run's peak (default: 1G)\n"
	       "  --out DIR               results directory (default:\n"
	       "                          results/runs/<UTC time>-reboot)\n"
	       "  --plot                  render the plots into DIR at the end\n"
	       "  --quiet                 no progress lines\n"
	       "\nExit codes: 0 done, 1 run-time failure, 2 bad input or unusable host,\n"
	       "3 --verify-clean violation, 4 missing feature (skipped), 130 interrupted.\n",
	       pvb_backend_names(), pvb_backend_default());
}

enum {
	OPT_BACKEND = 256, OPT_MODE, OPT_SIZE, OPT_VCPUS, OPT_ITER, OPT_WARMUP, OPT_BACKING,
	OPT_TOUCH, OPT_ORDER, OPT_SEED, OPT_OUT, OPT_SCRUB, OPT_CLEANUP_CPU, OPT_VERIFY,
	OPT_NO_FLOOR, OPT_REF, OPT_SAMPLE, OPT_HEADROOM, OPT_PLOT, OPT_QUIET, OPT_DIRTY,
	OPT_CLEANUP_START, OPT_FLOOR_GAP, OPT_PLACEMENT, OPT_REF_CPU, OPT_CTHREADS, OPT_GUESTS,
	OPT_STAGGER, OPT_MEMPOL, OPT_LOAD, OPT_TIMELINE, OPT_APPEND, OPT_POINT, OPT_HELP,
	OPT_MEM_LIMIT, OPT_SE_IMAGE, OPT_SE_HEADER, OPT_PAYLOAD, OPT_SE_TWEAK, OPT_PV_COSTS,
	OPT_PV_MISC,
};

static const struct option options[] = {
	{ "backend", required_argument, NULL, OPT_BACKEND },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "size", required_argument, NULL, OPT_SIZE },
	{ "vcpus", required_argument, NULL, OPT_VCPUS },
	{ "iterations", required_argument, NULL, OPT_ITER },
	{ "warmup", required_argument, NULL, OPT_WARMUP },
	{ "backing", required_argument, NULL, OPT_BACKING },
	{ "touch", required_argument, NULL, OPT_TOUCH },
	{ "order", required_argument, NULL, OPT_ORDER },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "out", required_argument, NULL, OPT_OUT },
	{ "scrub", no_argument, NULL, OPT_SCRUB },
	{ "cleanup-cpu", required_argument, NULL, OPT_CLEANUP_CPU },
	{ "cleanup-start", required_argument, NULL, OPT_CLEANUP_START },
	{ "placement", required_argument, NULL, OPT_PLACEMENT },
	{ "ref-cpu", required_argument, NULL, OPT_REF_CPU },
	{ "cleanup-threads", required_argument, NULL, OPT_CTHREADS },
	{ "guests", required_argument, NULL, OPT_GUESTS },
	{ "stagger", required_argument, NULL, OPT_STAGGER },
	{ "mem-policy", required_argument, NULL, OPT_MEMPOL },
	{ "load", required_argument, NULL, OPT_LOAD },
	{ "timeline", no_argument, NULL, OPT_TIMELINE },
	{ "append", no_argument, NULL, OPT_APPEND },
	{ "point", required_argument, NULL, OPT_POINT },
	{ "verify-clean", no_argument, NULL, OPT_VERIFY },
	{ "no-floor", no_argument, NULL, OPT_NO_FLOOR },
	{ "floor-gap", required_argument, NULL, OPT_FLOOR_GAP },
	{ "ref-iterations", required_argument, NULL, OPT_REF },
	{ "sample-interval-us", required_argument, NULL, OPT_SAMPLE },
	{ "headroom", required_argument, NULL, OPT_HEADROOM },
	{ "plot", no_argument, NULL, OPT_PLOT },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "debug-dirty-new-guest", no_argument, NULL, OPT_DIRTY },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "mem-limit", required_argument, NULL, OPT_MEM_LIMIT },
	{ "se-image", required_argument, NULL, OPT_SE_IMAGE },
	{ "se-header", required_argument, NULL, OPT_SE_HEADER },
	{ "payload", required_argument, NULL, OPT_PAYLOAD },
	{ "se-tweak", required_argument, NULL, OPT_SE_TWEAK },
	{ "pv-costs", required_argument, NULL, OPT_PV_COSTS },
	{ "pv-misc", required_argument, NULL, OPT_PV_MISC },
	{ NULL, 0, NULL, 0 },
};

static int bad(const char *opt, const char *val, const char *hint)
{
	pvb_err("--%s: '%s' %s (see pvbench reboot --help)", opt, val, hint);
	return PVB_EXIT_USAGE;
}

static int parse_list(const char *opt, const char *arg, int *n, char **items, char *copy,
		      size_t copylen)
{
	snprintf(copy, copylen, "%s", arg);
	*n = pvb_split_list(copy, items, PVB_MAX_LIST);
	if (*n <= 0)
		return bad(opt, arg, "is not a comma-separated list of at most 32 items");
	return 0;
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

int pvb_reboot_parse(int argc, char **argv, struct pvb_reboot_config *cfg)
{
	char copy[1024], *items[PVB_MAX_LIST];
	uint64_t v;
	int c, n, rc;

	memset(cfg, 0, sizeof(*cfg));
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
	cfg->mem_limit = PVB_MEM_LIMIT_RAM;
	cfg->pv_misc = -1;
	cfg->ref_iterations = 3;
	cfg->floor_gap_ns = 3000000000ULL;
	cfg->sample_interval_ns = 1000000;
	cfg->headroom = PVB_GIB;
	cfg->argc = argc;
	cfg->argv = argv;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		const char *name = "";

		for (const struct option *o = options; o->name; o++)
			if (o->val == c)
				name = o->name;
		switch (c) {
		case OPT_BACKEND:
			if (strcmp(optarg, "auto") && !pvb_backend_find(optarg)) {
				pvb_err("--backend: unknown backend '%s'; this build has: %s (or "
					"auto)", optarg, pvb_backend_names());
				return PVB_EXIT_USAGE;
			}
			snprintf(cfg->backend, sizeof(cfg->backend), "%s", optarg);
			break;
		case OPT_MODE:
			if ((rc = parse_list(name, optarg, &n, items, copy, sizeof(copy))))
				return rc;
			if (n > 2)
				return bad(name, optarg, "names a mode twice (modes: sync, async)");
			for (int i = 0; i < n; i++) {
				if (!strcmp(items[i], "sync"))
					cfg->modes[i] = PVB_MODE_SYNC;
				else if (!strcmp(items[i], "async"))
					cfg->modes[i] = PVB_MODE_ASYNC;
				else
					return bad(name, items[i], "is not a mode (sync, async)");
			}
			if (n == 2 && cfg->modes[0] == cfg->modes[1])
				return bad(name, optarg, "names a mode twice (modes: sync, async)");
			cfg->nmodes = n;
			break;
		case OPT_SIZE:
			if ((rc = parse_list(name, optarg, &n, items, copy, sizeof(copy))))
				return rc;
			for (int i = 0; i < n; i++)
				if (pvb_parse_size(items[i], &cfg->sizes[i]))
					return bad(name, items[i],
						   "is not a size (a positive number with K, M, G "
						   "or T, e.g. 512M, 1G)");
			cfg->nsizes = n;
			break;
		case OPT_VCPUS:
			if ((rc = parse_list(name, optarg, &n, items, copy, sizeof(copy))))
				return rc;
			for (int i = 0; i < n; i++) {
				if (pvb_parse_uint(items[i], 1, 1024, &v))
					return bad(name, items[i], "is not a vCPU count (1 to 1024)");
				cfg->vcpus[i] = (int)v;
			}
			cfg->nvcpus = n;
			break;
		case OPT_ITER:
		case OPT_WARMUP:
		case OPT_REF:
			if (pvb_parse_uint(optarg, c == OPT_ITER ? 1 : 0, 1000000, &v))
				return bad(name, optarg, c == OPT_ITER ? "is not a count >= 1"
								      : "is not a count >= 0");
			*(c == OPT_ITER ? &cfg->iterations :
			  c == OPT_WARMUP ? &cfg->warmup : &cfg->ref_iterations) = (int)v;
			break;
		case OPT_BACKING:
			if (!strcmp(optarg, "anonymous") || !strcmp(optarg, "anon"))
				cfg->backing = PVB_BACKING_ANON;
			else if (!strcmp(optarg, "thp"))
				cfg->backing = PVB_BACKING_THP;
			else if (!strcmp(optarg, "hugetlb"))
				cfg->backing = PVB_BACKING_HUGETLB;
			else
				return bad(name, optarg, "is not a backing (anonymous, thp, hugetlb)");
			break;
		case OPT_TOUCH:
			if (pvb_parse_fraction(optarg, &cfg->touch))
				return bad(name, optarg, "is not a fraction in (0, 1]");
			break;
		case OPT_ORDER:
			if (!strcmp(optarg, "seq") || !strcmp(optarg, "sequential"))
				cfg->order = PVB_ORDER_SEQ;
			else if (!strcmp(optarg, "random"))
				cfg->order = PVB_ORDER_RANDOM;
			else
				return bad(name, optarg, "is not an order (seq, random)");
			break;
		case OPT_SEED:
			if (pvb_parse_uint(optarg, 0, UINT64_MAX, &cfg->seed))
				return bad(name, optarg, "is not an unsigned integer");
			break;
		case OPT_OUT:
			if (!*optarg || strlen(optarg) >= sizeof(cfg->out_dir) - 64)
				return bad(name, optarg, "is not a usable directory name");
			snprintf(cfg->out_dir, sizeof(cfg->out_dir), "%s", optarg);
			break;
		case OPT_SCRUB:
			cfg->scrub = true;
			break;
		case OPT_CLEANUP_CPU:
			if (pvb_parse_uint(optarg, 0, 65535, &v))
				return bad(name, optarg, "is not a CPU number");
			snprintf(cfg->placement, sizeof(cfg->placement), "%llu", (unsigned long long)v);
			break;
		case OPT_PLACEMENT: {
			struct pvb_placement pl;
			char err[512];

			if (pvb_placement_parse(optarg, &pl, err, sizeof(err))) {
				pvb_err("--placement: %s", err);
				return PVB_EXIT_USAGE;
			}
			snprintf(cfg->placement, sizeof(cfg->placement), "%s", pl.name);
			break;
		}
		case OPT_REF_CPU:
			if (pvb_parse_uint(optarg, 0, 65535, &v))
				return bad(name, optarg, "is not a CPU number");
			cfg->ref_cpu = (int)v;
			break;
		case OPT_CTHREADS:
			if (pvb_parse_uint(optarg, 1, PVB_MAX_CLEANUP_THREADS, &v))
				return bad(name, optarg, "is not a thread count (1 to 64)");
			cfg->cleanup_threads = (int)v;
			break;
		case OPT_GUESTS:
			if (pvb_parse_uint(optarg, 1, 64, &v))
				return bad(name, optarg, "is not a guest count (1 to 64)");
			cfg->guests = (int)v;
			break;
		case OPT_STAGGER:
			if (pvb_parse_uint(optarg, 0, 600000, &v))
				return bad(name, optarg, "is not a delay in ms (0 to 600000)");
			cfg->stagger_ns = v * 1000000;
			break;
		case OPT_MEMPOL: {
			struct pvb_mempolicy mp;
			char err[256];

			if (pvb_mempolicy_parse(optarg, &mp, err, sizeof(err))) {
				pvb_err("%s", err);
				return PVB_EXIT_USAGE;
			}
			snprintf(cfg->mem_policy, sizeof(cfg->mem_policy), "%s", mp.name);
			break;
		}
		case OPT_LOAD: {
			struct pvb_load l;

			if (strcmp(optarg, "none") && (rc = pvb_load_parse(optarg, &l)))
				return rc;
			snprintf(cfg->load, sizeof(cfg->load), "%s", optarg);
			break;
		}
		case OPT_TIMELINE:
			cfg->timeline = true;
			break;
		case OPT_APPEND:
			cfg->append = true;
			break;
		case OPT_POINT:
			if (pvb_parse_uint(optarg, 0, 100000000, &v))
				return bad(name, optarg, "is not a point id");
			cfg->point = (long)v;
			break;
		case OPT_CLEANUP_START:
			if (!strcmp(optarg, "alive"))
				cfg->cleanup_start = PVB_CLEANUP_ALIVE;
			else if (!strcmp(optarg, "created"))
				cfg->cleanup_start = PVB_CLEANUP_CREATED;
			else if (!strcmp(optarg, "aside"))
				cfg->cleanup_start = PVB_CLEANUP_ASIDE;
			else if (!strcmp(optarg, "next-reboot"))
				cfg->cleanup_start = PVB_CLEANUP_NEXT;
			else
				return bad(name, optarg, "is not one of aside, created, alive, "
					   "next-reboot");
			break;
		case OPT_MEM_LIMIT:
			if (!strcmp(optarg, "ram"))
				cfg->mem_limit = PVB_MEM_LIMIT_RAM;
			else if (!strcmp(optarg, "none"))
				cfg->mem_limit = 0;
			else if (pvb_parse_size(optarg, &cfg->mem_limit) || cfg->mem_limit % PVB_MIB ||
				 !cfg->mem_limit)
				return bad(name, optarg, "is not ram, none or a size in whole MiB");
			break;
		case OPT_SE_IMAGE:
		case OPT_SE_HEADER:
		case OPT_PAYLOAD:
		case OPT_PV_COSTS: {
			char *dst = c == OPT_SE_IMAGE ? cfg->se_image : c == OPT_SE_HEADER ?
				    cfg->se_header : c == OPT_PAYLOAD ? cfg->payload : cfg->pv_costs;

			if (access(optarg, R_OK))
				return bad(name, optarg, "cannot be read");
			if (strlen(optarg) >= sizeof(cfg->se_image))
				return bad(name, optarg, "is too long a path");
			snprintf(dst, sizeof(cfg->se_image), "%s", optarg);
			break;
		}
		case OPT_SE_TWEAK: {
			char *end;

			errno = 0;
			cfg->se_tweak = strtoull(optarg, &end, 16);
			if (errno || end == optarg || *end)
				return bad(name, optarg, "is not a hexadecimal number");
			break;
		}
		case OPT_PV_MISC:
			if (!strcmp(optarg, "on"))
				cfg->pv_misc = 1;
			else if (!strcmp(optarg, "off"))
				cfg->pv_misc = 0;
			else
				return bad(name, optarg, "is not on or off");
			break;
		case OPT_VERIFY:
			cfg->verify_clean = true;
			break;
		case OPT_NO_FLOOR:
			cfg->floor = false;
			break;
		case OPT_FLOOR_GAP:
			if (pvb_parse_uint(optarg, 0, 600000, &v))
				return bad(name, optarg, "is not a pause in ms (0 to 600000)");
			cfg->floor_gap_ns = v * 1000000;
			break;
		case OPT_SAMPLE:
			if (pvb_parse_uint(optarg, 100, 1000000, &v))
				return bad(name, optarg, "is not a period in µs (100 to 1000000)");
			cfg->sample_interval_ns = v * 1000;
			break;
		case OPT_HEADROOM:
			if (pvb_parse_size(optarg, &cfg->headroom))
				return bad(name, optarg, "is not a size");
			break;
		case OPT_PLOT:
			cfg->plot = true;
			break;
		case OPT_QUIET:
			pvb_quiet = true;
			break;
		case OPT_DIRTY:
			cfg->debug_dirty = 1;
			break;
		case OPT_HELP:
			pvb_reboot_usage();
			return PVB_EXIT_OK;
		default:
			pvb_err("unknown or incomplete option '%s' (see pvbench reboot --help)",
				argv[optind - 1]);
			return PVB_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		pvb_err("unexpected argument '%s' (see pvbench reboot --help)", argv[optind]);
		return PVB_EXIT_USAGE;
	}
	if (cfg->scrub && cfg->touch < 1.0) {
		pvb_err("--scrub with --touch below 1 would zero (and so allocate) pages the guest "
			"never wrote: use one or the other");
		return PVB_EXIT_USAGE;
	}
	if (!cfg->out_dir[0])
		default_out_dir(cfg->out_dir, sizeof(cfg->out_dir));
	return -1;
}

json_t *pvb_reboot_config_json(const struct pvb_reboot_config *cfg)
{
	json_t *o = json_object(), *sizes = json_array(), *vcpus = json_array();
	json_t *modes = json_array(), *argv = json_array();

	for (int i = 0; i < cfg->nsizes; i++)
		json_array_append_new(sizes, json_integer((json_int_t)cfg->sizes[i]));
	for (int i = 0; i < cfg->nvcpus; i++)
		json_array_append_new(vcpus, json_integer(cfg->vcpus[i]));
	for (int i = 0; i < cfg->nmodes; i++)
		json_array_append_new(modes, json_string(pvb_mode_name(cfg->modes[i])));
	for (int i = 0; i < cfg->argc; i++)
		json_array_append_new(argv, json_string(cfg->argv[i]));
	json_object_set_new(o, "command_line", argv);
	json_object_set_new(o, "backend", json_string(cfg->backend));
	json_object_set_new(o, "sizes_bytes", sizes);
	json_object_set_new(o, "vcpus", vcpus);
	json_object_set_new(o, "modes", modes);
	json_object_set_new(o, "iterations", json_integer(cfg->iterations));
	json_object_set_new(o, "warmup", json_integer(cfg->warmup));
	json_object_set_new(o, "backing", json_string(pvb_backing_name(cfg->backing)));
	json_object_set_new(o, "touch", json_real(cfg->touch));
	json_object_set_new(o, "order", json_string(pvb_order_name(cfg->order)));
	json_object_set_new(o, "seed", cfg->seed > INT64_MAX ? json_sprintf("%llu",
			    (unsigned long long)cfg->seed) : json_integer((json_int_t)cfg->seed));
	json_object_set_new(o, "scrub", json_boolean(cfg->scrub));
	json_object_set_new(o, "verify_clean", json_boolean(cfg->verify_clean));
	json_object_set_new(o, "floor", json_boolean(cfg->floor));
	json_object_set_new(o, "placement", json_string(cfg->placement));
	json_object_set_new(o, "ref_cpu", cfg->ref_cpu < 0 ? json_null() : json_integer(cfg->ref_cpu));
	json_object_set_new(o, "cleanup_threads", json_integer(cfg->cleanup_threads));
	json_object_set_new(o, "guests", json_integer(cfg->guests));
	json_object_set_new(o, "stagger_ns", json_integer((json_int_t)cfg->stagger_ns));
	json_object_set_new(o, "mem_policy", json_string(cfg->mem_policy));
	json_object_set_new(o, "load", json_string(cfg->load));
	json_object_set_new(o, "timeline", json_boolean(cfg->timeline));
	json_object_set_new(o, "append", json_boolean(cfg->append));
	json_object_set_new(o, "point", cfg->point < 0 ? json_null() : json_integer(cfg->point));
	json_object_set_new(o, "cleanup_start",
			    json_string(pvb_cleanup_start_name(cfg->cleanup_start)));
	json_object_set_new(o, "floor_gap_ns", json_integer((json_int_t)cfg->floor_gap_ns));
	json_object_set_new(o, "ref_iterations", json_integer(cfg->ref_iterations));
	json_object_set_new(o, "sample_interval_ns", json_integer((json_int_t)cfg->sample_interval_ns));
	json_object_set_new(o, "headroom_bytes", json_integer((json_int_t)cfg->headroom));
	json_object_set_new(o, "out_dir", json_string(cfg->out_dir));
	json_object_set_new(o, "debug_dirty_new_guest", json_boolean(cfg->debug_dirty));
	json_object_set_new(o, "mem_limit", cfg->mem_limit == PVB_MEM_LIMIT_RAM ?
			    json_string("ram") : json_integer((json_int_t)cfg->mem_limit));
	json_object_set_new(o, "se_image", json_string(cfg->se_image));
	json_object_set_new(o, "se_header", json_string(cfg->se_header));
	json_object_set_new(o, "payload", json_string(cfg->payload));
	json_object_set_new(o, "se_tweak", json_sprintf("0x%llx", (unsigned long long)cfg->se_tweak));
	json_object_set_new(o, "pv_costs", json_string(cfg->pv_costs));
	json_object_set_new(o, "pv_misc", cfg->pv_misc < 0 ? json_string("from cost file") :
			    json_boolean(cfg->pv_misc));
	return o;
}

/* pvbench topo: how every placement policy resolves on a topology (this machine, an hwloc
 * XML file or a synthetic description), as a table or as JSON. */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hwloc.h>
#include <jansson.h>

#include "cmd.h"
#include "optmacros.h"
#include "options.h"
#include "pvbench.h"
#include "host/placement.h"
#include "host/topology.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct topo_args {
	const char *spec, *ref;
	bool as_json;
};

static int put(json_t *obj, const char *key, json_t *val)
{
	return val ? json_object_set_new(obj, key, val) : -1;
}

static json_t *topology_json(hwloc_topology_t topo, const char *spec)
{
	static const struct {
		const char *key;
		hwloc_obj_type_t type;
	} counts[] = {
		{ "packages", HWLOC_OBJ_PACKAGE },
		{ "l3_caches", HWLOC_OBJ_L3CACHE },
		{ "cores", HWLOC_OBJ_CORE },
		{ "pus", HWLOC_OBJ_PU },
	};
	json_t *o = json_object(), *groups = json_object(), *cur;
	hwloc_obj_t g = NULL;
	char *list = NULL;
	int err = !o || !groups;
	size_t i;

	err |= put(o, "source", json_string(spec ? spec : "this machine"));
	err |= put(o, "kind", json_string(pvb_topology_kind(spec)));
	for (i = 0; i < ARRAY_SIZE(counts); i++)
		err |= put(o, counts[i].key,
			   json_integer(pvb_topology_count(topo, counts[i].type, NULL)));
	while (!err && (g = pvb_topology_next(topo, HWLOC_OBJ_GROUP, NULL, g))) {
		const char *name = g->subtype ? g->subtype : "Group";

		cur = json_object_get(groups, name);
		err |= put(groups, name, json_integer(cur ? json_integer_value(cur) + 1 : 1));
	}
	err |= put(o, "groups", groups);
	groups = NULL;
	err |= put(o, "numa_nodes",
		   json_integer(hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE)));
	if (hwloc_bitmap_list_asprintf(&list, hwloc_topology_get_allowed_cpuset(topo)) < 0)
		err = 1;
	else
		err |= put(o, "allowed_cpuset", json_string(list));
	free(list);
	list = NULL;
	if (hwloc_bitmap_list_asprintf(&list, hwloc_topology_get_allowed_nodeset(topo)) < 0)
		err = 1;
	else
		err |= put(o, "allowed_nodeset", json_string(list));
	free(list);
	json_decref(groups);
	if (err) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* One row per policy: {policy, status, cpuset, why}. Returns NULL on failure (printed). */
static json_t *policies_json(hwloc_topology_t topo, hwloc_const_cpuset_t ref)
{
	struct pvb_placement *pl = NULL;
	hwloc_bitmap_t out = hwloc_bitmap_alloc();
	json_t *rows = json_array(), *row;
	char why[1024], *list;
	int i, n = -1, rc, err = 0;

	if (out && rows)
		n = pvb_placement_all_policies(topo, &pl);
	for (i = 0; i < n && !err; i++) {
		const char *w = why;
		size_t plen = strlen(pl[i].name);

		rc = pvb_placement_resolve(topo, &pl[i], ref, out, why, sizeof(why));
		if (rc && rc != PVB_EXIT_SKIP) {
			pvb_err("topo: %s", why);
			goto fail;
		}
		/* the policy has its own column */
		if (!strncmp(w, pl[i].name, plen) && !strncmp(w + plen, ": ", 2))
			w += plen + 2;
		row = json_object();
		if (!row || json_array_append_new(rows, row))
			break;
		err |= put(row, "policy", json_string(pl[i].name));
		err |= put(row, "status", json_string(rc ? "skip" : "ok"));
		if (rc) {
			err |= put(row, "cpuset", json_null());
		} else if (hwloc_bitmap_list_asprintf(&list, out) < 0) {
			err = 1;
		} else {
			err |= put(row, "cpuset", json_string(list));
			free(list);
		}
		err |= put(row, "why", json_string(w));
	}
	if (n >= 0 && i == n && !err)
		goto done;
	pvb_err("topo: out of memory");
fail:
	json_decref(rows);
	rows = NULL;
done:
	free(pl);
	hwloc_bitmap_free(out);
	return rows;
}

static int column_width(json_t *rows, const char *key, int min)
{
	size_t i;
	json_t *row;
	int w = min;

	json_array_foreach(rows, i, row)
	{
		const char *s = json_string_value(json_object_get(row, key));
		int l = s ? (int)strlen(s) : 1;

		if (l > w)
			w = l;
	}
	return w;
}

static void print_human(json_t *root)
{
	json_t *t = json_object_get(root, "topology"), *rows = json_object_get(root, "policies");
	json_t *groups = json_object_get(t, "groups"), *row, *v;
	const char *key;
	long long n;
	size_t i;
	int wp, wc;

#define NUM(k) ((long long)json_integer_value(json_object_get(t, k)))
	printf("Topology   %s (%s)\n", json_string_value(json_object_get(t, "source")),
	       json_string_value(json_object_get(t, "kind")));
	printf("  packages %lld, ", NUM("packages"));
	printf("groups ");
	if (!json_object_size(groups))
		printf("none");
	i = 0;
	json_object_foreach(groups, key, v)
		printf("%s%lld %s", i++ ? " + " : "", (long long)json_integer_value(v), key);
	printf(", L3 caches %lld, cores %lld, PUs %lld (%s), NUMA nodes %lld (%s)\n",
	       NUM("l3_caches"), NUM("cores"), NUM("pus"),
	       json_string_value(json_object_get(t, "allowed_cpuset")), NUM("numa_nodes"),
	       json_string_value(json_object_get(t, "allowed_nodeset")));
#undef NUM
	n = (long long)json_integer_value(json_object_get(root, "reference"));
	printf("Reference  PU %lld\n\n", n);

	wp = column_width(rows, "policy", 6);
	wc = column_width(rows, "cpuset", 6);
	printf("%-*s  %-6s  %-*s  %s\n", wp, "POLICY", "STATUS", wc, "CPUSET", "WHY");
	json_array_foreach(rows, i, row)
	{
		const char *cs = json_string_value(json_object_get(row, "cpuset"));

		printf("%-*s  %-6s  %-*s  %s\n", wp,
		       json_string_value(json_object_get(row, "policy")),
		       json_string_value(json_object_get(row, "status")), wc, cs ? cs : "-",
		       json_string_value(json_object_get(row, "why")));
	}
}

#define FIELD(f) PVB_OPT_FIELD(struct topo_args, f)

static const char *topology_help(char *buf, size_t len)
{
	snprintf(buf, len,
		 "an hwloc XML file (lstopo --of xml) or a synthetic description\n"
		 "such as '%s' (default: this machine)",
		 PVB_SYNTHETIC_EXAMPLE);
	return buf;
}

static const struct pvb_opt topo_opts[] = {
	{ ARG("topology", "X", spec), .help_fn = topology_help },
	{ ARG("ref", "CPU", ref),
	  .help = "the reference PU, as the guest vCPU's or the main thread's\n"
		  "(default: the first allowed PU)" },
	{ FLAG("json", as_json, "print the same as JSON") },
	{ .name = "help", .kind = PVB_OPT_HELP, .short_name = 'h', .help = "show this help" },
	{ .name = NULL },
};

static const struct pvb_opt_table topo_table = { .opts = topo_opts };

static void topo_usage_to(FILE *f)
{
	struct pvb_opts ctx;

	pvb_opts_init(&ctx, "topo", &topo_table, NULL);
	ctx.help_col = 16;
	fprintf(f, "usage: pvbench topo [--topology FILE|SYNTHETIC] [--ref CPU] [--json]\n"
		   "Show how every placement policy resolves on a topology: the cpuset it picks\n"
		   "and why, or why it is skipped.\n");
	pvb_opts_print(&ctx, f);
	fprintf(f, "Policies: unpinned, same-pu, smt-sibling, same-core, same-l3, same-package,\n"
		   "other-package, other-group:SUBTYPE (e.g. Book, Drawer), node:N, a CPU list\n"
		   "(e.g. 0-3,8).\n");
}

static void topo_usage(void)
{
	topo_usage_to(stdout);
}

static int topo_bad(const struct pvb_opts *ctx, const char *arg, bool missing)
{
	(void)ctx;
	return pvb_bad_option("topo", arg, missing, topo_usage_to);
}

/* Returns -1 to go on, else the exit code. */
static int parse_options(int argc, char **argv, struct topo_args *a)
{
	struct pvb_opts ctx;
	int rc;

	pvb_opts_init(&ctx, "topo", &topo_table, a);
	ctx.usage = topo_usage;
	ctx.bad = topo_bad;
	ctx.stop_at_operand = true;
	rc = pvb_opts_getopt(&ctx, argc, argv);
	if (rc < 0 && optind < argc)
		return pvb_bad_option("topo", argv[optind], false, topo_usage_to);
	return rc;
}

/* The reference PU: --ref, else the first allowed one. Returns 0 or an exit code. */
static int reference_pu(hwloc_topology_t topo, const char *refarg, hwloc_bitmap_t ref, int *first)
{
	hwloc_const_cpuset_t allowed = hwloc_topology_get_allowed_cpuset(topo);
	char s[256];

	*first = hwloc_bitmap_first(allowed);
	if (refarg) {
		unsigned long r;
		char *end;

		errno = 0;
		r = strtoul(refarg, &end, 10);
		if (!isdigit((unsigned char)*refarg) || *end || errno || r > PVB_CPU_MAX ||
		    !hwloc_get_pu_obj_by_os_index(topo, (unsigned)r)) {
			pvb_err("topo: --ref %s: not a PU of this topology (PUs %s)", refarg,
				pvb_cpuset_str(s, sizeof(s), allowed));
			return PVB_EXIT_USAGE;
		}
		*first = (int)r;
	}
	if (*first < 0 || hwloc_bitmap_only(ref, (unsigned)*first) < 0) {
		pvb_err("topo: the topology has no allowed PU");
		return PVB_EXIT_FAIL;
	}
	return 0;
}

/* {topology, reference, policies}, or NULL (said why). */
static json_t *topo_report(hwloc_topology_t topo, const char *spec, hwloc_const_bitmap_t ref,
			   int first)
{
	json_t *root = json_object(), *rows;

	if (!root || put(root, "topology", topology_json(topo, spec)) ||
	    put(root, "reference", json_integer(first))) {
		pvb_err("topo: out of memory");
		json_decref(root);
		return NULL;
	}
	rows = policies_json(topo, ref);
	if (put(root, "policies", rows)) {
		if (rows)
			pvb_err("topo: out of memory");
		json_decref(root);
		return NULL;
	}
	return root;
}

int pvb_cmd_topo(int argc, char **argv)
{
	struct topo_args a = { 0 };
	hwloc_topology_t topo = NULL;
	hwloc_bitmap_t ref = NULL;
	json_t *root;
	char err[512];
	int first, ret = parse_options(argc, argv, &a);

	if (ret >= 0)
		return ret;
	ret = pvb_topology_load(&topo, a.spec, err, sizeof(err));
	if (ret) {
		pvb_err("topo: %s", err);
		return ret;
	}
	ref = hwloc_bitmap_alloc();
	if (!ref) {
		pvb_err("topo: out of memory");
		ret = PVB_EXIT_FAIL;
	} else {
		ret = reference_pu(topo, a.ref, ref, &first);
	}
	if (!ret) {
		root = topo_report(topo, a.spec, ref, first);
		ret = root ? pvb_print_report("topo", root, a.as_json, print_human) : PVB_EXIT_FAIL;
		json_decref(root);
	}
	hwloc_bitmap_free(ref);
	hwloc_topology_destroy(topo);
	return ret;
}

/* Placement policies resolved with hwloc, and `pvbench topo`. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <hwloc.h>
#include <jansson.h>

#include "placement.h"
#include "cmd/cmd.h"
#include "pvbench.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Highest CPU number a list may name: hwloc bitmaps grow to the highest bit set. */
#define PVB_CPU_MAX 65535

static const struct {
	const char *name;
	enum pvb_policy policy;
} fixed_policies[] = {
	{ "unpinned", PVB_PL_UNPINNED },
	{ "same-pu", PVB_PL_SAME_PU },
	{ "smt-sibling", PVB_PL_SMT_SIBLING },
	{ "same-core", PVB_PL_SAME_CORE },
	{ "same-l3", PVB_PL_SAME_L3 },
	{ "same-package", PVB_PL_SAME_PACKAGE },
	{ "other-package", PVB_PL_OTHER_PACKAGE },
};

/* The IBM Z groups, listed even where absent so that the table shows them skipped. */
static const char *const known_group_subtypes[] = { "Book", "Drawer" };

static const char valid_policies[] =
	"unpinned, same-pu, smt-sibling, same-core, same-l3, same-package, other-package, "
	"other-group:SUBTYPE (e.g. other-group:Book), node:N, or a CPU list such as 0-3,8";

static const char synthetic_example[] = "pack:2 core:4 pu:2";

/* Topology loading */

static bool is_existing_path(const char *spec)
{
	struct stat st;

	return stat(spec, &st) == 0;
}

int pvb_topology_load(hwloc_topology_t *topo, const char *spec, char *err, size_t len)
{
	hwloc_topology_t t;
	bool xml = spec && is_existing_path(spec);
	int e;

	*topo = NULL;
	if (hwloc_topology_init(&t) < 0) {
		snprintf(err, len, "hwloc_topology_init: %s", strerror(errno));
		return PVB_EXIT_FAIL;
	}
	/*
	 * Groups bring the IBM Z drawers and books (subtypes "Drawer", "Book"). hwloc refuses
	 * KEEP_ALL for groups (EINVAL), so KEEP_STRUCTURE, the default, is set explicitly: a
	 * group that adds no structure (a lone drawer, a book holding one chip) is merged away,
	 * and other-group then says the topology has no such group instead of guessing.
	 *
	 * HWLOC_TOPOLOGY_FLAG_INCLUDE_DISALLOWED is deliberately not set: the topology is
	 * restricted to the CPUs this process may use (cgroup cpuset), so every resolved cpuset
	 * can be bound, and a CPU outside it is reported as missing rather than chosen.
	 */
	if (hwloc_topology_set_type_filter(t, HWLOC_OBJ_GROUP,
					   HWLOC_TYPE_FILTER_KEEP_STRUCTURE) < 0) {
		snprintf(err, len, "hwloc_topology_set_type_filter(Group): %s", strerror(errno));
		hwloc_topology_destroy(t);
		return PVB_EXIT_FAIL;
	}
	/* hwloc_topology_set_xml() already reads and parses the file */
	if (spec && xml && hwloc_topology_set_xml(t, spec) < 0) {
		e = errno;
		if (e == ENOSYS) {
			snprintf(err, len, "--topology %s: this hwloc has no XML support", spec);
			hwloc_topology_destroy(t);
			return PVB_EXIT_SKIP;
		}
		goto bad_spec;
	}
	if (spec && !xml && hwloc_topology_set_synthetic(t, spec) < 0) {
		e = errno;
		goto bad_spec;
	}
	if (hwloc_topology_load(t) < 0) {
		e = errno;
		if (spec)
			goto bad_spec;
		snprintf(err, len, "hwloc cannot discover this machine's topology: %s",
			 strerror(e));
		hwloc_topology_destroy(t);
		return PVB_EXIT_FAIL;
	}
	*topo = t;
	return 0;

bad_spec:
	if (xml)
		snprintf(err, len, "--topology %s: not a readable hwloc XML topology (%s)", spec,
			 strerror(e));
	else
		snprintf(err, len,
			 "--topology %s: neither a readable hwloc XML file nor a valid synthetic "
			 "description (e.g. '%s')", spec, synthetic_example);
	hwloc_topology_destroy(t);
	return PVB_EXIT_USAGE;
}

/* Parsing */

static int parse_cpulist(const char *spec, struct pvb_placement *pl, char *err, size_t len)
{
	const char *s = spec;
	hwloc_bitmap_t set;
	int n, rc = 0;

	/* hwloc's own parser takes "3x" as empty and "0-" as infinite: check the syntax first. */
	while (*s) {
		unsigned long a, b;
		char *end;

		if (!isdigit((unsigned char)*s))
			goto bad;
		errno = 0;
		a = b = strtoul(s, &end, 10);
		if (errno || a > PVB_CPU_MAX)
			goto too_big;
		s = end;
		if (*s == '-') {
			if (!isdigit((unsigned char)*++s))
				goto bad;
			b = strtoul(s, &end, 10);
			if (errno || b > PVB_CPU_MAX)
				goto too_big;
			if (b < a)
				goto bad;
			s = end;
		}
		if (*s == ',' && s[1])
			s++;
		else if (*s)
			goto bad;
	}

	set = hwloc_bitmap_alloc();
	if (!set) {
		snprintf(err, len, "out of memory");
		return PVB_EXIT_FAIL;
	}
	if (hwloc_bitmap_list_sscanf(set, spec) < 0 || hwloc_bitmap_weight(set) <= 0) {
		hwloc_bitmap_free(set);
		goto bad;
	}
	n = hwloc_bitmap_list_snprintf(pl->name, sizeof(pl->name), set);
	if (n < 0 || (size_t)n >= sizeof(pl->name)) {
		snprintf(err, len, "CPU list '%s' is too long", spec);
		rc = PVB_EXIT_USAGE;
	}
	hwloc_bitmap_free(set);
	if (rc)
		return rc;
	pl->policy = PVB_PL_CPULIST;
	memcpy(pl->arg, pl->name, sizeof(pl->arg));
	return 0;

bad:
	snprintf(err, len, "'%s' is not a CPU list: use numbers and ranges, e.g. 0-3,8", spec);
	return PVB_EXIT_USAGE;
too_big:
	snprintf(err, len, "CPU list '%s' names a CPU above %d", spec, PVB_CPU_MAX);
	return PVB_EXIT_USAGE;
}

static int parse_node(const char *spec, const char *num, struct pvb_placement *pl, char *err,
		      size_t len)
{
	unsigned long n;
	char *end;

	if (!*num) {
		snprintf(err, len, "'%s' needs a NUMA node number, e.g. node:0", spec);
		return PVB_EXIT_USAGE;
	}
	errno = 0;
	n = strtoul(num, &end, 10);
	if (!isdigit((unsigned char)*num) || *end || errno || n > PVB_CPU_MAX) {
		snprintf(err, len, "'%s': '%s' is not a NUMA node number", spec, num);
		return PVB_EXIT_USAGE;
	}
	pl->policy = PVB_PL_NODE;
	pl->node = (unsigned)n;
	snprintf(pl->name, sizeof(pl->name), "node:%lu", n);
	return 0;
}

static int parse_group(const char *spec, const char *sub, struct pvb_placement *pl, char *err,
		       size_t len)
{
	const char *c;

	if (!*sub) {
		snprintf(err, len, "'%s' needs a Group subtype, e.g. other-group:Book", spec);
		return PVB_EXIT_USAGE;
	}
	for (c = sub; *c; c++) {
		if (!isalnum((unsigned char)*c) && !strchr("_.-", *c)) {
			snprintf(err, len,
				 "'%s': a Group subtype is letters, digits, '_', '.' and '-'",
				 spec);
			return PVB_EXIT_USAGE;
		}
	}
	pl->policy = PVB_PL_OTHER_GROUP;
	snprintf(pl->arg, sizeof(pl->arg), "%s", sub);
	snprintf(pl->name, sizeof(pl->name), "other-group:%s", sub);
	return 0;
}

int pvb_placement_parse(const char *spec, struct pvb_placement *pl, char *err, size_t len)
{
	size_t i;

	memset(pl, 0, sizeof(*pl));
	if (!spec || !*spec) {
		snprintf(err, len, "empty placement; valid: %s", valid_policies);
		return PVB_EXIT_USAGE;
	}
	if (strlen(spec) >= sizeof(pl->name)) {
		snprintf(err, len, "placement '%.32s...' is too long", spec);
		return PVB_EXIT_USAGE;
	}
	for (i = 0; i < ARRAY_SIZE(fixed_policies); i++) {
		if (!strcmp(spec, fixed_policies[i].name)) {
			pl->policy = fixed_policies[i].policy;
			snprintf(pl->name, sizeof(pl->name), "%s", spec);
			return 0;
		}
	}
	if (!strncmp(spec, "other-group:", 12))
		return parse_group(spec, spec + 12, pl, err, len);
	if (!strncmp(spec, "node:", 5))
		return parse_node(spec, spec + 5, pl, err, len);
	if (isdigit((unsigned char)spec[0]))
		return parse_cpulist(spec, pl, err, len);
	snprintf(err, len, "unknown placement '%s'; valid: %s", spec, valid_policies);
	return PVB_EXIT_USAGE;
}

/* Resolution */

static int say(int rc, char *why, size_t len, const struct pvb_placement *pl, const char *fmt,
	       ...) __attribute__((format(printf, 5, 6)));

static int say(int rc, char *why, size_t len, const struct pvb_placement *pl, const char *fmt,
	       ...)
{
	va_list ap;
	int n;

	if (!why || !len)
		return rc;
	n = snprintf(why, len, "%s: ", pl->name);
	if (n < 0 || (size_t)n >= len)
		return rc;
	va_start(ap, fmt);
	vsnprintf(why + n, len - (size_t)n, fmt, ap);
	va_end(ap);
	return rc;
}

static const char *setstr(char *buf, size_t len, hwloc_const_bitmap_t set)
{
	if (hwloc_bitmap_list_snprintf(buf, len, set) < 0)
		snprintf(buf, len, "?");
	return buf;
}

static const char *pus(hwloc_const_bitmap_t set)
{
	return hwloc_bitmap_weight(set) == 1 ? "PU" : "PUs";
}

/* "Core L#3", "L3 L#0", "Book L#2" (Groups by subtype); fits in 64 bytes. */
static const char *obj_name(char *buf, size_t len, hwloc_obj_t obj)
{
	char type[48];

	if (obj->type == HWLOC_OBJ_GROUP && obj->subtype)
		snprintf(type, sizeof(type), "%s", obj->subtype);
	else if (hwloc_obj_type_snprintf(type, sizeof(type), obj, 0) < 0)
		snprintf(type, sizeof(type), "%s", hwloc_obj_type_string(obj->type));
	snprintf(buf, len, "%s L#%u", type, obj->logical_index);
	return buf;
}

static bool matches(hwloc_obj_t o, hwloc_obj_type_t type, const char *subtype)
{
	return o->type == type && (!subtype || (o->subtype && !strcasecmp(o->subtype, subtype)));
}

/*
 * The next object of a CPU-side type (and Group subtype, if given) after prev, over every
 * depth the type has: hwloc_get_next_obj_by_type() gives up on Groups at several depths.
 */
static hwloc_obj_t next_obj(hwloc_topology_t topo, hwloc_obj_type_t type, const char *subtype,
			    hwloc_obj_t prev)
{
	int ndepth = hwloc_topology_get_depth(topo);
	hwloc_obj_t o = prev ? prev->next_cousin : NULL;
	int d = prev ? prev->depth + 1 : 0;

	for (;;) {
		for (; o; o = o->next_cousin)
			if (matches(o, type, subtype))
				return o;
		while (d < ndepth && hwloc_get_depth_type(topo, d) != type)
			d++;
		if (d >= ndepth)
			return NULL;
		o = hwloc_get_obj_by_depth(topo, d++, 0);
	}
}

static unsigned count_objs(hwloc_topology_t topo, hwloc_obj_type_t type, const char *subtype)
{
	hwloc_obj_t o = NULL;
	unsigned n = 0;

	while ((o = next_obj(topo, type, subtype, o)))
		n++;
	return n;
}

/* The Group subtypes present, in depth order, for messages: "Drawer, Book". */
static void group_subtypes(hwloc_topology_t topo, char *buf, size_t len)
{
	hwloc_obj_t o = NULL, p;
	size_t used = 0;
	bool unnamed = false;

	buf[0] = '\0';
	while ((o = next_obj(topo, HWLOC_OBJ_GROUP, NULL, o))) {
		if (!o->subtype) {
			unnamed = true;
			continue;
		}
		for (p = next_obj(topo, HWLOC_OBJ_GROUP, NULL, NULL); p != o;
		     p = next_obj(topo, HWLOC_OBJ_GROUP, NULL, p))
			if (p->subtype && !strcasecmp(p->subtype, o->subtype))
				break;
		if (p != o || used >= len)
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
					 o->subtype);
	}
	if (unnamed && used < len)
		snprintf(buf + used, len - used, "%sGroups without subtype", used ? ", " : "");
}

static int resolve_same(hwloc_topology_t topo, const struct pvb_placement *pl, hwloc_obj_t pu,
			hwloc_obj_type_t type, hwloc_cpuset_t out, char *why, size_t len)
{
	hwloc_obj_t anc = hwloc_get_ancestor_obj_by_type(topo, type, pu);
	hwloc_obj_t core = hwloc_get_ancestor_obj_by_type(topo, HWLOC_OBJ_CORE, pu);
	char a[64], c[64], s[256];

	if (!anc) {
		if (!count_objs(topo, type, NULL))
			return say(PVB_EXIT_SKIP, why, len, pl, "the topology has no %s objects",
				   hwloc_obj_type_string(type));
		return say(PVB_EXIT_SKIP, why, len, pl, "PU %u is under no %s", pu->os_index,
			   hwloc_obj_type_string(type));
	}
	obj_name(a, sizeof(a), anc);
	if (core)
		obj_name(c, sizeof(c), core);
	else
		snprintf(c, sizeof(c), "PU %u (no Core objects)", pu->os_index);
	if (hwloc_bitmap_andnot(out, anc->cpuset, core ? core->cpuset : pu->cpuset) < 0)
		return say(PVB_EXIT_FAIL, why, len, pl, "out of memory");
	if (hwloc_bitmap_iszero(out))
		return say(PVB_EXIT_SKIP, why, len, pl, "%s holds no PU outside PU %u's %s", a,
			   pu->os_index, c);
	return say(0, why, len, pl, "%s %s %s %s with PU %u (excluding its %s)", pus(out),
		   setstr(s, sizeof(s), out), hwloc_bitmap_weight(out) == 1 ? "shares" : "share",
		   a, pu->os_index, c);
}

/* other-package, other-group: the nearest object of the kind not holding the reference PU. */
static int resolve_other(hwloc_topology_t topo, const struct pvb_placement *pl, hwloc_obj_t pu,
			 hwloc_obj_type_t type, const char *subtype, hwloc_cpuset_t out,
			 char *why, size_t len)
{
	hwloc_obj_t o = NULL, mine = NULL, best = NULL, meet = NULL, common;
	const char *kind = subtype ? subtype : hwloc_obj_type_string(type);
	char a[64], b[64], m[64], s[256];
	unsigned n = 0;

	while ((o = next_obj(topo, type, subtype, o))) {
		n++;
		if (hwloc_bitmap_isset(o->cpuset, pu->os_index)) {
			if (!mine)
				mine = o;
			continue;
		}
		common = hwloc_get_common_ancestor_obj(topo, o, pu);
		if (!best || common->depth > meet->depth) {
			best = o;
			meet = common;
		}
	}
	if (!n && subtype) {
		group_subtypes(topo, s, sizeof(s));
		return say(PVB_EXIT_SKIP, why, len, pl,
			   "no Group of subtype %s in this topology (%s%s)", subtype,
			   s[0] ? "it has: " : "it has no Groups", s);
	}
	if (!n)
		return say(PVB_EXIT_SKIP, why, len, pl, "the topology has no %s objects", kind);
	if (!mine)
		return say(PVB_EXIT_SKIP, why, len, pl, "PU %u is under no %s", pu->os_index, kind);
	if (!best)
		return say(PVB_EXIT_SKIP, why, len, pl, "the only %s, %s, holds PU %u", kind,
			   obj_name(a, sizeof(a), mine), pu->os_index);
	if (hwloc_bitmap_copy(out, best->cpuset) < 0)
		return say(PVB_EXIT_FAIL, why, len, pl, "out of memory");
	return say(0, why, len, pl,
		   "%s %s of %s, the nearest %s not holding PU %u (which is in %s; both under %s)",
		   pus(out), setstr(s, sizeof(s), out), obj_name(a, sizeof(a), best),
		   mine->subtype ? mine->subtype : kind, pu->os_index,
		   obj_name(b, sizeof(b), mine), obj_name(m, sizeof(m), meet));
}

static int resolve_node(hwloc_topology_t topo, const struct pvb_placement *pl,
			hwloc_cpuset_t out, char *why, size_t len)
{
	hwloc_obj_t node = hwloc_get_numanode_obj_by_os_index(topo, pl->node);
	char s[256];

	if (!node)
		return say(PVB_EXIT_SKIP, why, len, pl,
			   "no NUMA node P#%u in this topology (nodes: %s)", pl->node,
			   setstr(s, sizeof(s), hwloc_topology_get_allowed_nodeset(topo)));
	if (hwloc_bitmap_iszero(node->cpuset))
		return say(PVB_EXIT_SKIP, why, len, pl,
			   "NUMA node P#%u has no CPUs (memory only)", pl->node);
	if (hwloc_bitmap_copy(out, node->cpuset) < 0)
		return say(PVB_EXIT_FAIL, why, len, pl, "out of memory");
	return say(0, why, len, pl, "%s %s local to NUMA node P#%u", pus(out),
		   setstr(s, sizeof(s), out), pl->node);
}

static int resolve_cpulist(hwloc_topology_t topo, const struct pvb_placement *pl,
			   hwloc_cpuset_t out, char *why, size_t len)
{
	hwloc_const_cpuset_t allowed = hwloc_topology_get_allowed_cpuset(topo);
	hwloc_bitmap_t missing = hwloc_bitmap_alloc();
	char m[256], s[256];
	int rc;

	if (!missing)
		return say(PVB_EXIT_FAIL, why, len, pl, "out of memory");
	if (hwloc_bitmap_list_sscanf(out, pl->arg) < 0 ||
	    hwloc_bitmap_andnot(missing, out, allowed) < 0) {
		rc = say(PVB_EXIT_FAIL, why, len, pl, "hwloc cannot parse its own list format");
	} else if (!hwloc_bitmap_iszero(missing)) {
		rc = say(PVB_EXIT_SKIP, why, len, pl,
			 "%s %s %s not in this topology's allowed PUs (%s)",
			 hwloc_bitmap_weight(missing) == 1 ? "CPU" : "CPUs",
			 setstr(m, sizeof(m), missing),
			 hwloc_bitmap_weight(missing) == 1 ? "is" : "are",
			 setstr(s, sizeof(s), allowed));
		hwloc_bitmap_zero(out);
	} else {
		rc = say(0, why, len, pl, "%s %s as given", pus(out), setstr(s, sizeof(s), out));
	}
	hwloc_bitmap_free(missing);
	return rc;
}

int pvb_placement_resolve(hwloc_topology_t topo, const struct pvb_placement *pl,
			  hwloc_const_cpuset_t ref, hwloc_cpuset_t out, char *why, size_t len)
{
	hwloc_const_cpuset_t allowed = hwloc_topology_get_allowed_cpuset(topo);
	hwloc_obj_t pu = NULL, core;
	char c[64], s[256];
	int first;

	if (why && len)
		why[0] = '\0';
	hwloc_bitmap_zero(out);
	switch (pl->policy) {
	case PVB_PL_UNPINNED:
		if (hwloc_bitmap_copy(out, allowed) < 0)
			return say(PVB_EXIT_FAIL, why, len, pl, "out of memory");
		return say(0, why, len, pl, "all %d allowed PUs (%s), the scheduler decides",
			   hwloc_bitmap_weight(out), setstr(s, sizeof(s), out));
	case PVB_PL_NODE:
		return resolve_node(topo, pl, out, why, len);
	case PVB_PL_CPULIST:
		return resolve_cpulist(topo, pl, out, why, len);
	default:
		break;
	}

	first = ref ? hwloc_bitmap_first(ref) : -1;
	if (first < 0)
		return say(PVB_EXIT_USAGE, why, len, pl, "no reference PU given");
	pu = hwloc_get_pu_obj_by_os_index(topo, (unsigned)first);
	if (!pu)
		return say(PVB_EXIT_USAGE, why, len, pl,
			   "reference PU %d is not in this topology (PUs %s)", first,
			   setstr(s, sizeof(s), allowed));
	core = hwloc_get_ancestor_obj_by_type(topo, HWLOC_OBJ_CORE, pu);

	switch (pl->policy) {
	case PVB_PL_SAME_PU:
		if (hwloc_bitmap_only(out, pu->os_index) < 0)
			return say(PVB_EXIT_FAIL, why, len, pl, "out of memory");
		return say(0, why, len, pl, "PU %u, the reference PU itself", pu->os_index);
	case PVB_PL_SMT_SIBLING:
	case PVB_PL_SAME_CORE:
		if (!core)
			return say(PVB_EXIT_SKIP, why, len, pl,
				   "the topology has no Core objects above PU %u", pu->os_index);
		obj_name(c, sizeof(c), core);
		if (pl->policy == PVB_PL_SAME_CORE) {
			if (hwloc_bitmap_copy(out, core->cpuset) < 0)
				return say(PVB_EXIT_FAIL, why, len, pl, "out of memory");
			return say(0, why, len, pl, "%s %s, all of PU %u's %s", pus(out),
				   setstr(s, sizeof(s), out), pu->os_index, c);
		}
		if (hwloc_bitmap_andnot(out, core->cpuset, pu->cpuset) < 0)
			return say(PVB_EXIT_FAIL, why, len, pl, "out of memory");
		if (hwloc_bitmap_iszero(out))
			return say(PVB_EXIT_SKIP, why, len, pl, "%s has PU %u only (no SMT)", c,
				   pu->os_index);
		if (hwloc_bitmap_only(out, (unsigned)hwloc_bitmap_first(out)) < 0)
			return say(PVB_EXIT_FAIL, why, len, pl, "out of memory");
		return say(0, why, len, pl, "PU %d shares %s with PU %u", hwloc_bitmap_first(out),
			   c, pu->os_index);
	case PVB_PL_SAME_L3:
		return resolve_same(topo, pl, pu, HWLOC_OBJ_L3CACHE, out, why, len);
	case PVB_PL_SAME_PACKAGE:
		return resolve_same(topo, pl, pu, HWLOC_OBJ_PACKAGE, out, why, len);
	case PVB_PL_OTHER_PACKAGE:
		return resolve_other(topo, pl, pu, HWLOC_OBJ_PACKAGE, NULL, out, why, len);
	case PVB_PL_OTHER_GROUP:
		return resolve_other(topo, pl, pu, HWLOC_OBJ_GROUP, pl->arg, out, why, len);
	default:
		return say(PVB_EXIT_FAIL, why, len, pl, "unknown policy %d", (int)pl->policy);
	}
}

/* The policy table */

static int push(struct pvb_placement **arr, int *n, int *cap, const char *spec)
{
	struct pvb_placement pl, *grown;
	char err[256];

	/* a subtype the policy syntax cannot spell is left out */
	if (pvb_placement_parse(spec, &pl, err, sizeof(err)))
		return 0;
	if (*n == *cap) {
		grown = realloc(*arr, (size_t)(*cap ? *cap * 2 : 16) * sizeof(**arr));
		if (!grown)
			return -1;
		*arr = grown;
		*cap = *cap ? *cap * 2 : 16;
	}
	(*arr)[(*n)++] = pl;
	return 0;
}

int pvb_placement_all_policies(hwloc_topology_t topo, struct pvb_placement **out)
{
	struct pvb_placement *arr = NULL;
	hwloc_obj_t o = NULL, p;
	int i, n = 0, cap = 0;
	char spec[PVB_PLACEMENT_MAX];
	size_t k;
	bool dup;

	for (k = 0; k < ARRAY_SIZE(fixed_policies); k++)
		if (push(&arr, &n, &cap, fixed_policies[k].name))
			goto nomem;
	for (k = 0; k < ARRAY_SIZE(known_group_subtypes); k++) {
		snprintf(spec, sizeof(spec), "other-group:%s", known_group_subtypes[k]);
		if (push(&arr, &n, &cap, spec))
			goto nomem;
	}
	while ((o = next_obj(topo, HWLOC_OBJ_GROUP, NULL, o))) {
		if (!o->subtype)
			continue;
		dup = false;
		for (k = 0; k < ARRAY_SIZE(known_group_subtypes); k++)
			dup |= !strcasecmp(o->subtype, known_group_subtypes[k]);
		for (i = 0; i < n; i++)
			dup |= arr[i].policy == PVB_PL_OTHER_GROUP &&
			       !strcasecmp(arr[i].arg, o->subtype);
		if (dup)
			continue;
		if (snprintf(spec, sizeof(spec), "other-group:%s", o->subtype) >= (int)sizeof(spec))
			continue;
		if (push(&arr, &n, &cap, spec))
			goto nomem;
	}
	for (p = hwloc_get_next_obj_by_type(topo, HWLOC_OBJ_NUMANODE, NULL); p;
	     p = hwloc_get_next_obj_by_type(topo, HWLOC_OBJ_NUMANODE, p)) {
		snprintf(spec, sizeof(spec), "node:%u", p->os_index);
		if (push(&arr, &n, &cap, spec))
			goto nomem;
	}
	*out = arr;
	return n;

nomem:
	free(arr);
	errno = ENOMEM;
	return -1;
}

/* Binding */

int pvb_current_thread_cpuset(hwloc_topology_t topo, char *actual, size_t len)
{
	hwloc_bitmap_t got = hwloc_bitmap_alloc();
	int rc = 0;

	if (!got) {
		pvb_err("reading this thread's binding: out of memory");
		return PVB_EXIT_FAIL;
	}
	if (hwloc_get_cpubind(topo, got, HWLOC_CPUBIND_THREAD) < 0) {
		pvb_perror("reading this thread's binding (hwloc_get_cpubind)");
		rc = PVB_EXIT_FAIL;
	} else if (hwloc_bitmap_list_snprintf(actual, len, got) < 0) {
		pvb_err("formatting this thread's binding failed");
		rc = PVB_EXIT_FAIL;
	}
	hwloc_bitmap_free(got);
	return rc;
}

int pvb_bind_current_thread(hwloc_topology_t topo, hwloc_const_cpuset_t set, char *actual,
			    size_t len)
{
	hwloc_bitmap_t got;
	char want[256];
	int rc = 0;

	if (actual && len)
		actual[0] = '\0';
	setstr(want, sizeof(want), set);
	/* hwloc makes binding through a loaded XML or synthetic topology a silent no-op */
	if (!hwloc_topology_is_thissystem(topo)) {
		pvb_err("binding to PUs %s: the topology is not this machine's", want);
		return PVB_EXIT_USAGE;
	}
	/*
	 * No HWLOC_CPUBIND_STRICT: Linux affinity is strict already, and where the OS cannot
	 * bind strictly the flag turns a working binding into an error. What counts is the
	 * binding read back below.
	 */
	if (hwloc_set_cpubind(topo, set, HWLOC_CPUBIND_THREAD) < 0) {
		rc = errno == ENOSYS ? PVB_EXIT_SKIP : PVB_EXIT_FAIL;
		pvb_perror("binding this thread to PUs %s (hwloc_set_cpubind)", want);
		return rc;
	}
	got = hwloc_bitmap_alloc();
	if (!got) {
		pvb_err("binding this thread to PUs %s: out of memory", want);
		return PVB_EXIT_FAIL;
	}
	if (hwloc_get_cpubind(topo, got, HWLOC_CPUBIND_THREAD) < 0) {
		pvb_perror("reading back this thread's binding to PUs %s (hwloc_get_cpubind)",
			   want);
		rc = PVB_EXIT_FAIL;
	} else if (hwloc_bitmap_list_snprintf(actual, len, got) < 0) {
		pvb_err("formatting this thread's binding failed");
		rc = PVB_EXIT_FAIL;
	} else if (!hwloc_bitmap_isequal(got, set)) {
		pvb_err("bound this thread to PUs %s but it reads back as %s", want, actual);
		rc = PVB_EXIT_FAIL;
	}
	hwloc_bitmap_free(got);
	return rc;
}

/* pvbench topo */

static const char *source_kind(const char *spec)
{
	if (!spec)
		return "discovered";
	return is_existing_path(spec) ? "hwloc XML" : "synthetic";
}

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
		{ "packages", HWLOC_OBJ_PACKAGE }, { "l3_caches", HWLOC_OBJ_L3CACHE },
		{ "cores", HWLOC_OBJ_CORE },       { "pus", HWLOC_OBJ_PU },
	};
	json_t *o = json_object(), *groups = json_object(), *cur;
	hwloc_obj_t g = NULL;
	char *list = NULL;
	int err = !o || !groups;
	size_t i;

	err |= put(o, "source", json_string(spec ? spec : "this machine"));
	err |= put(o, "kind", json_string(source_kind(spec)));
	for (i = 0; i < ARRAY_SIZE(counts); i++)
		err |= put(o, counts[i].key, json_integer(count_objs(topo, counts[i].type, NULL)));
	while (!err && (g = next_obj(topo, HWLOC_OBJ_GROUP, NULL, g))) {
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

	json_array_foreach(rows, i, row) {
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
	json_array_foreach(rows, i, row) {
		const char *cs = json_string_value(json_object_get(row, "cpuset"));

		printf("%-*s  %-6s  %-*s  %s\n", wp,
		       json_string_value(json_object_get(row, "policy")),
		       json_string_value(json_object_get(row, "status")), wc, cs ? cs : "-",
		       json_string_value(json_object_get(row, "why")));
	}
}

static void topo_usage(FILE *f)
{
	fprintf(f,
		"usage: pvbench topo [--topology FILE|SYNTHETIC] [--ref CPU] [--json]\n"
		"Show how every placement policy resolves on a topology: the cpuset it picks\n"
		"and why, or why it is skipped.\n"
		"  --topology X  an hwloc XML file (lstopo --of xml) or a synthetic description\n"
		"                such as '%s' (default: this machine)\n"
		"  --ref CPU     the reference PU, as the guest vCPU's or the main thread's\n"
		"                (default: the first allowed PU)\n"
		"  --json        print the same as JSON\n"
		"  --help        show this help\n"
		"Policies: unpinned, same-pu, smt-sibling, same-core, same-l3, same-package,\n"
		"other-package, other-group:SUBTYPE (e.g. Book, Drawer), node:N, a CPU list\n"
		"(e.g. 0-3,8).\n",
		synthetic_example);
}

/* "--opt VALUE" or "--opt=VALUE"; NULL if argv[*i] is not opt. */
static const char *opt_value(int argc, char **argv, int *i, const char *opt, bool *missing)
{
	size_t l = strlen(opt);

	if (strncmp(argv[*i], opt, l))
		return NULL;
	if (argv[*i][l] == '=')
		return argv[*i] + l + 1;
	if (argv[*i][l])
		return NULL;
	if (*i + 1 >= argc) {
		*missing = true;
		return NULL;
	}
	return argv[++*i];
}

int pvb_cmd_topo(int argc, char **argv)
{
	const char *spec = NULL, *refarg = NULL, *v;
	hwloc_topology_t topo = NULL;
	hwloc_bitmap_t ref = NULL;
	json_t *root = NULL, *t, *rows;
	bool as_json = false, missing = false;
	char err[512], s[256];
	int i, first, ret = PVB_EXIT_OK;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			as_json = true;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			topo_usage(stdout);
			return PVB_EXIT_OK;
		} else if ((v = opt_value(argc, argv, &i, "--topology", &missing))) {
			spec = v;
		} else if ((v = opt_value(argc, argv, &i, "--ref", &missing))) {
			refarg = v;
		} else {
			if (missing)
				pvb_err("topo: %s needs a value", argv[i]);
			else
				pvb_err("topo: unknown option '%s'", argv[i]);
			topo_usage(stderr);
			return PVB_EXIT_USAGE;
		}
	}

	ret = pvb_topology_load(&topo, spec, err, sizeof(err));
	if (ret) {
		pvb_err("topo: %s", err);
		return ret;
	}
	ref = hwloc_bitmap_alloc();
	if (!ref) {
		pvb_err("topo: out of memory");
		ret = PVB_EXIT_FAIL;
		goto out;
	}
	first = hwloc_bitmap_first(hwloc_topology_get_allowed_cpuset(topo));
	if (refarg) {
		unsigned long r;
		char *end;

		errno = 0;
		r = strtoul(refarg, &end, 10);
		if (!isdigit((unsigned char)*refarg) || *end || errno || r > PVB_CPU_MAX ||
		    !hwloc_get_pu_obj_by_os_index(topo, (unsigned)r)) {
			pvb_err("topo: --ref %s: not a PU of this topology (PUs %s)", refarg,
				setstr(s, sizeof(s), hwloc_topology_get_allowed_cpuset(topo)));
			ret = PVB_EXIT_USAGE;
			goto out;
		}
		first = (int)r;
	}
	if (first < 0 || hwloc_bitmap_only(ref, (unsigned)first) < 0) {
		pvb_err("topo: the topology has no allowed PU");
		ret = PVB_EXIT_FAIL;
		goto out;
	}

	root = json_object();
	t = topology_json(topo, spec);
	if (!root || put(root, "topology", t) || put(root, "reference", json_integer(first))) {
		pvb_err("topo: out of memory");
		ret = PVB_EXIT_FAIL;
		goto out;
	}
	rows = policies_json(topo, ref);
	if (put(root, "policies", rows)) {
		if (rows)
			pvb_err("topo: out of memory");
		ret = PVB_EXIT_FAIL;
		goto out;
	}
	ret = pvb_print_report("topo", root, as_json, print_human);
out:
	json_decref(root);
	hwloc_bitmap_free(ref);
	hwloc_topology_destroy(topo);
	return ret;
}

/* Placement policies: parsed, resolved with hwloc against a topology, and listed; binding the
 * calling thread to a resolved cpuset. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <hwloc.h>

#include "placement.h"
#include "pvbench.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

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

static int say(int rc, char *why, size_t len, const struct pvb_placement *pl, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int say(int rc, char *why, size_t len, const struct pvb_placement *pl, const char *fmt, ...)
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

static const char *pus(hwloc_const_bitmap_t set)
{
	return hwloc_bitmap_weight(set) == 1 ? "PU" : "PUs";
}

static int resolve_same(hwloc_topology_t topo, const struct pvb_placement *pl, hwloc_obj_t pu,
			hwloc_obj_type_t type, hwloc_cpuset_t out, char *why, size_t len)
{
	hwloc_obj_t anc = hwloc_get_ancestor_obj_by_type(topo, type, pu);
	hwloc_obj_t core = hwloc_get_ancestor_obj_by_type(topo, HWLOC_OBJ_CORE, pu);
	char a[64], c[64], s[256];

	if (!anc) {
		if (!pvb_topology_count(topo, type, NULL))
			return say(PVB_EXIT_SKIP, why, len, pl, "the topology has no %s objects",
				   hwloc_obj_type_string(type));
		return say(PVB_EXIT_SKIP, why, len, pl, "PU %u is under no %s", pu->os_index,
			   hwloc_obj_type_string(type));
	}
	pvb_obj_name(a, sizeof(a), anc);
	if (core)
		pvb_obj_name(c, sizeof(c), core);
	else
		snprintf(c, sizeof(c), "PU %u (no Core objects)", pu->os_index);
	if (hwloc_bitmap_andnot(out, anc->cpuset, core ? core->cpuset : pu->cpuset) < 0)
		return say(PVB_EXIT_FAIL, why, len, pl, "out of memory");
	if (hwloc_bitmap_iszero(out))
		return say(PVB_EXIT_SKIP, why, len, pl, "%s holds no PU outside PU %u's %s", a,
			   pu->os_index, c);
	return say(0, why, len, pl, "%s %s %s %s with PU %u (excluding its %s)", pus(out),
		   pvb_cpuset_str(s, sizeof(s), out),
		   hwloc_bitmap_weight(out) == 1 ? "shares" : "share", a, pu->os_index, c);
}

/* other-package, other-group: the nearest object of the kind not holding the reference PU. */
static int resolve_other(hwloc_topology_t topo, const struct pvb_placement *pl, hwloc_obj_t pu,
			 hwloc_obj_type_t type, const char *subtype, hwloc_cpuset_t out, char *why,
			 size_t len)
{
	hwloc_obj_t o = NULL, mine = NULL, best = NULL, meet = NULL, common;
	const char *kind = subtype ? subtype : hwloc_obj_type_string(type);
	char a[64], b[64], m[64], s[256];
	unsigned n = 0;

	while ((o = pvb_topology_next(topo, type, subtype, o))) {
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
		pvb_topology_group_subtypes(topo, s, sizeof(s));
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
			   pvb_obj_name(a, sizeof(a), mine), pu->os_index);
	if (hwloc_bitmap_copy(out, best->cpuset) < 0)
		return say(PVB_EXIT_FAIL, why, len, pl, "out of memory");
	return say(0, why, len, pl,
		   "%s %s of %s, the nearest %s not holding PU %u (which is in %s; both under %s)",
		   pus(out), pvb_cpuset_str(s, sizeof(s), out), pvb_obj_name(a, sizeof(a), best),
		   mine->subtype ? mine->subtype : kind, pu->os_index,
		   pvb_obj_name(b, sizeof(b), mine), pvb_obj_name(m, sizeof(m), meet));
}

static int resolve_node(hwloc_topology_t topo, const struct pvb_placement *pl, hwloc_cpuset_t out,
			char *why, size_t len)
{
	hwloc_obj_t node = hwloc_get_numanode_obj_by_os_index(topo, pl->node);
	char s[256];

	if (!node)
		return say(PVB_EXIT_USAGE, why, len, pl,
			   "no NUMA node P#%u in this topology (nodes: %s)", pl->node,
			   pvb_cpuset_str(s, sizeof(s), hwloc_topology_get_allowed_nodeset(topo)));
	if (hwloc_bitmap_iszero(node->cpuset))
		return say(PVB_EXIT_SKIP, why, len, pl, "NUMA node P#%u has no CPUs (memory only)",
			   pl->node);
	if (hwloc_bitmap_copy(out, node->cpuset) < 0)
		return say(PVB_EXIT_FAIL, why, len, pl, "out of memory");
	return say(0, why, len, pl, "%s %s local to NUMA node P#%u", pus(out),
		   pvb_cpuset_str(s, sizeof(s), out), pl->node);
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
		rc = say(PVB_EXIT_USAGE, why, len, pl,
			 "%s %s %s not in this topology's allowed PUs (%s)",
			 hwloc_bitmap_weight(missing) == 1 ? "CPU" : "CPUs",
			 pvb_cpuset_str(m, sizeof(m), missing),
			 hwloc_bitmap_weight(missing) == 1 ? "is" : "are",
			 pvb_cpuset_str(s, sizeof(s), allowed));
		hwloc_bitmap_zero(out);
	} else {
		rc = say(0, why, len, pl, "%s %s as given", pus(out),
			 pvb_cpuset_str(s, sizeof(s), out));
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
			   hwloc_bitmap_weight(out), pvb_cpuset_str(s, sizeof(s), out));
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
			   pvb_cpuset_str(s, sizeof(s), allowed));
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
		pvb_obj_name(c, sizeof(c), core);
		if (pl->policy == PVB_PL_SAME_CORE) {
			if (hwloc_bitmap_copy(out, core->cpuset) < 0)
				return say(PVB_EXIT_FAIL, why, len, pl, "out of memory");
			return say(0, why, len, pl, "%s %s, all of PU %u's %s", pus(out),
				   pvb_cpuset_str(s, sizeof(s), out), pu->os_index, c);
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
	while ((o = pvb_topology_next(topo, HWLOC_OBJ_GROUP, NULL, o))) {
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
	pvb_cpuset_str(want, sizeof(want), set);
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

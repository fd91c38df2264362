/* Topologies with hwloc: this machine's, an hwloc XML file or a synthetic description
 * (capped to a size hwloc loads quickly), and the walk over their objects that placement
 * policies and `pvbench topo` share. */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <hwloc.h>

#include "topology.h"
#include "pvbench.h"

static bool is_existing_path(const char *spec)
{
	struct stat st;

	return stat(spec, &st) == 0;
}

const char *pvb_topology_kind(const char *spec)
{
	if (!spec)
		return "discovered";
	return is_existing_path(spec) ? "hwloc XML" : "synthetic";
}

/*
 * The PUs a synthetic description makes, the product of its level counts ("pack:2 [numa]
 * core:4 pu:2" -> 16), saturated above PVB_SYNTHETIC_MAX_PUS. What stands in brackets,
 * braces or parentheses (memory children, attributes) counts for nothing, and a level
 * whose count cannot be read is left for hwloc to judge.
 */
static unsigned long synthetic_pus(const char *spec)
{
	const unsigned long over = PVB_SYNTHETIC_MAX_PUS + 1;
	unsigned long pus = 1, n;
	const char *s = spec, *count;
	int depth;

	while (*s) {
		if (isspace((unsigned char)*s)) {
			s++;
			continue;
		}
		/* one level: "type:N" or "N", and what is bracketed after it */
		count = s;
		for (depth = 0; *s && (depth || !isspace((unsigned char)*s)); s++) {
			if (strchr("([{", *s))
				depth++;
			else if (strchr(")]}", *s))
				depth -= depth > 0;
			else if (!depth && *s == ':')
				count = s + 1;
		}
		if (!isdigit((unsigned char)*count))
			continue;
		n = strtoul(count, NULL, 10);
		n = n > over ? over : n;
		pus = pus * n > over ? over : pus * n;
	}
	return pus;
}

static int check_synthetic_size(const char *spec, char *err, size_t len)
{
	if (synthetic_pus(spec) <= PVB_SYNTHETIC_MAX_PUS)
		return 0;
	snprintf(err, len,
		 "--topology %s: more than %d PUs, the most a synthetic topology may "
		 "have (hwloc would take minutes to load it; a z16 has at most 400)",
		 spec, PVB_SYNTHETIC_MAX_PUS);
	return PVB_EXIT_USAGE;
}

int pvb_topology_load(hwloc_topology_t *topo, const char *spec, char *err, size_t len)
{
	hwloc_topology_t t;
	bool xml = spec && is_existing_path(spec);
	int e;

	*topo = NULL;
	if (spec && !xml && check_synthetic_size(spec, err, len))
		return PVB_EXIT_USAGE;
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
	if (hwloc_topology_set_type_filter(t, HWLOC_OBJ_GROUP, HWLOC_TYPE_FILTER_KEEP_STRUCTURE) <
	    0) {
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
			 "description (e.g. '%s')",
			 spec, PVB_SYNTHETIC_EXAMPLE);
	hwloc_topology_destroy(t);
	return PVB_EXIT_USAGE;
}

const char *pvb_cpuset_str(char *buf, size_t len, hwloc_const_bitmap_t set)
{
	if (hwloc_bitmap_list_snprintf(buf, len, set) < 0)
		snprintf(buf, len, "?");
	return buf;
}

const char *pvb_obj_name(char *buf, size_t len, hwloc_obj_t obj)
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

/* hwloc_get_next_obj_by_type() gives up on Groups at several depths: walk every depth. */
hwloc_obj_t pvb_topology_next(hwloc_topology_t topo, hwloc_obj_type_t type, const char *subtype,
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

unsigned pvb_topology_count(hwloc_topology_t topo, hwloc_obj_type_t type, const char *subtype)
{
	hwloc_obj_t o = NULL;
	unsigned n = 0;

	while ((o = pvb_topology_next(topo, type, subtype, o)))
		n++;
	return n;
}

void pvb_topology_group_subtypes(hwloc_topology_t topo, char *buf, size_t len)
{
	hwloc_obj_t o = NULL, p;
	size_t used = 0;
	bool unnamed = false;

	buf[0] = '\0';
	while ((o = pvb_topology_next(topo, HWLOC_OBJ_GROUP, NULL, o))) {
		if (!o->subtype) {
			unnamed = true;
			continue;
		}
		for (p = pvb_topology_next(topo, HWLOC_OBJ_GROUP, NULL, NULL); p != o;
		     p = pvb_topology_next(topo, HWLOC_OBJ_GROUP, NULL, p))
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

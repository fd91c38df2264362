/*
 * Topologies with hwloc: this machine's, an hwloc XML file or a synthetic description, and
 * walking their CPU-side objects. Placement policies (placement.h) resolve against them;
 * `pvbench topo` shows them.
 */
#ifndef PVB_TOPOLOGY_H
#define PVB_TOPOLOGY_H

#include <stddef.h>

#include <hwloc.h>

/* Highest CPU number a list may name: hwloc bitmaps grow to the highest bit set. */
#define PVB_CPU_MAX	      65535
#define PVB_SYNTHETIC_EXAMPLE "pack:2 core:4 pu:2"
/* The largest synthetic topology loaded, in PUs: hwloc loads it in a fraction of a second
 * (and a z16 has at most 200 cores x 2 SMT); "pack:100 core:100 pu:10" takes minutes. */
#define PVB_SYNTHETIC_MAX_PUS 4096

/*
 * Load a topology: spec NULL is this machine, the path of an existing file is hwloc XML,
 * anything else a synthetic description ("pack:2 core:4 pu:2", at most
 * PVB_SYNTHETIC_MAX_PUS PUs). Returns 0, or PVB_EXIT_USAGE (bad or too large spec) /
 * PVB_EXIT_FAIL (hwloc failed) with the reason in err. Destroy the topology with
 * hwloc_topology_destroy().
 */
int pvb_topology_load(hwloc_topology_t *topo, const char *spec, char *err, size_t len);
/* What pvb_topology_load makes of spec: "discovered", "hwloc XML" or "synthetic". */
const char *pvb_topology_kind(const char *spec);

/* The next object of a CPU-side type (and Group subtype, if given, matched without regard
 * to case) after prev (NULL: the first), over every depth the type has; NULL at the end. */
hwloc_obj_t pvb_topology_next(hwloc_topology_t topo, hwloc_obj_type_t type, const char *subtype,
			      hwloc_obj_t prev);
/* How many objects pvb_topology_next() walks over. */
unsigned pvb_topology_count(hwloc_topology_t topo, hwloc_obj_type_t type, const char *subtype);
/* The Group subtypes present, in depth order, for messages: "Drawer, Book". */
void pvb_topology_group_subtypes(hwloc_topology_t topo, char *buf, size_t len);

/* "Core L#3", "L3 L#0", "Book L#2" (Groups by subtype); fits in 64 bytes. Returns buf. */
const char *pvb_obj_name(char *buf, size_t len, hwloc_obj_t obj);
/* set as a list ("0-3,8"), or "?" if it cannot be formatted. Returns buf. */
const char *pvb_cpuset_str(char *buf, size_t len, hwloc_const_bitmap_t set);

#endif

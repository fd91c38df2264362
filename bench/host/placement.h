/*
 * Placement policies for pvbench's threads, resolved with hwloc against a topology (this
 * machine, an hwloc XML file or a synthetic description: topology.h).
 *
 * A policy is resolved relative to a reference PU (the guest vCPU's or the main thread's;
 * when the reference cpuset holds several PUs, its first one). Every resolution is
 * deterministic and says which cpuset it chose and why; a policy the topology cannot
 * satisfy for its structure (no L3, one package, no SMT) is a skip (PVB_EXIT_SKIP) with the
 * reason, never a different placement, while naming a CPU or a NUMA node the topology does
 * not have is bad input (PVB_EXIT_USAGE).
 *
 *   unpinned          the whole allowed cpuset
 *   same-pu           the reference PU itself
 *   smt-sibling       the first other PU of the reference PU's core
 *   same-core         the whole core of the reference PU, the reference PU included
 *   same-l3           the PUs sharing the reference PU's L3, minus the reference PU's core
 *   same-package      the PUs of the reference PU's package, minus the reference PU's core
 *   other-package     the package nearest to the reference PU among those not holding it
 *   other-group:SUB   the Group of subtype SUB (e.g. Book, Drawer on IBM Z; matched without
 *                     regard to case) nearest to the reference PU among those not holding it
 *   node:N            the CPUs local to NUMA node N (by OS index)
 *   0-3,8             exactly these CPUs (OS indexes), all of which must be in the topology
 *
 * "same-l3" and "same-package" leave the reference PU's core out so that they never overlap
 * with what smt-sibling and same-core measure: they mean "another core sharing the L3 /
 * package". "Nearest" means the deepest common ancestor with the reference PU (on a z16 the
 * other chip of the same book before a chip of another book), ties broken by logical index.
 */
#ifndef PVB_PLACEMENT_H
#define PVB_PLACEMENT_H

#include <stddef.h>

#include <hwloc.h>

#include "topology.h"

enum pvb_policy {
	PVB_PL_UNPINNED,
	PVB_PL_SAME_PU,
	PVB_PL_SMT_SIBLING,
	PVB_PL_SAME_CORE,
	PVB_PL_SAME_L3,
	PVB_PL_SAME_PACKAGE,
	PVB_PL_OTHER_PACKAGE,
	PVB_PL_OTHER_GROUP,
	PVB_PL_NODE,
	PVB_PL_CPULIST,
};

#define PVB_PLACEMENT_MAX 256

/* A parsed policy; plain data, copy it freely. */
struct pvb_placement {
	enum pvb_policy policy;
	char name[PVB_PLACEMENT_MAX]; /* canonical spelling: "same-l3", "node:1", "0-3,8" */
	char arg[PVB_PLACEMENT_MAX];  /* other-group: the subtype; CPU list: the list */
	unsigned node;		      /* node:N */
};

/* Parse a policy. Returns 0, or PVB_EXIT_USAGE with the reason (and the valid ones) in err. */
int pvb_placement_parse(const char *spec, struct pvb_placement *pl, char *err, size_t len);

/*
 * Resolve pl against topo, relative to the reference PU(s) ref (may be NULL for unpinned,
 * node:N and CPU lists). Returns 0 with the cpuset in out, PVB_EXIT_SKIP with out empty,
 * PVB_EXIT_USAGE (out empty) if ref is empty or not in the topology, or the policy names a
 * CPU or a NUMA node the topology does not have, PVB_EXIT_FAIL if out of memory; why always
 * says what happened, prefixed with the policy's name.
 */
int pvb_placement_resolve(hwloc_topology_t topo, const struct pvb_placement *pl,
			  hwloc_const_cpuset_t ref, hwloc_cpuset_t out, char *why, size_t len);

/*
 * Every policy worth trying on topo, for iteration: the fixed ones, other-group:Book and
 * other-group:Drawer, other-group:SUB for every other Group subtype present, node:N for every
 * NUMA node (CPU lists are the user's to give). Returns how many, with a malloc'ed array in
 * *out (free() it), or -1 with errno set.
 */
int pvb_placement_all_policies(hwloc_topology_t topo, struct pvb_placement **out);

/*
 * Bind the calling thread to set and read the binding back; actual gets the cpuset in
 * effect as a list ("0-3,8"). Only for the topology of this machine. Returns 0, or
 * PVB_EXIT_USAGE (topology not of this machine), PVB_EXIT_SKIP (the OS cannot bind threads),
 * PVB_EXIT_FAIL (binding failed or reads back different), with a diagnostic printed.
 */
int pvb_bind_current_thread(hwloc_topology_t topo, hwloc_const_cpuset_t set, char *actual,
			    size_t len);

/* Read the calling thread's binding into actual as a list. Returns 0 or PVB_EXIT_FAIL. */
int pvb_current_thread_cpuset(hwloc_topology_t topo, char *actual, size_t len);

#endif

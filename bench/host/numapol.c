/* Guest memory placement with libnuma: --mem-policy parsed, checked against this host,
 * applied to guest RAM with mbind() and read back. */
#include <errno.h>
#include <numa.h>
#include <numaif.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numapol.h"
#include "parse.h"
#include "pvbench.h"

#ifndef MPOL_LOCAL
#define MPOL_LOCAL 4
#endif

int pvb_mempolicy_parse(const char *s, struct pvb_mempolicy *mp, char *err, size_t len)
{
	uint64_t n;

	memset(mp, 0, sizeof(*mp));
	snprintf(mp->name, sizeof(mp->name), "%s", s);
	if (!strcmp(s, "none") || !strcmp(s, "default")) {
		mp->mode = PVB_MEM_DEFAULT;
		snprintf(mp->name, sizeof(mp->name), "none");
	} else if (!strcmp(s, "local")) {
		mp->mode = PVB_MEM_LOCAL;
	} else if (!strcmp(s, "interleave:all")) {
		mp->mode = PVB_MEM_INTERLEAVE;
	} else if (!strncmp(s, "bind:", 5) && !pvb_parse_uint(s + 5, 0, 4095, &n)) {
		mp->mode = PVB_MEM_BIND;
		mp->node = (int)n;
	} else if (!strncmp(s, "preferred:", 10) && !pvb_parse_uint(s + 10, 0, 4095, &n)) {
		mp->mode = PVB_MEM_PREFERRED;
		mp->node = (int)n;
	} else {
		snprintf(err, len,
			 "--mem-policy: '%s' is not one of none, bind:N, interleave:all, "
			 "preferred:N, local",
			 s);
		return PVB_EXIT_USAGE;
	}
	return 0;
}

int pvb_mempolicy_check(const struct pvb_mempolicy *mp, char *why, size_t len, char *note,
			size_t nlen)
{
	int nodes;

	note[0] = '\0';
	if (mp->mode == PVB_MEM_DEFAULT)
		return 0;
	if (numa_available() < 0) {
		snprintf(why, len, "--mem-policy %s: this kernel has no NUMA policy support",
			 mp->name);
		return PVB_EXIT_SKIP;
	}
	nodes = numa_num_configured_nodes();
	if ((mp->mode == PVB_MEM_BIND || mp->mode == PVB_MEM_PREFERRED) &&
	    !numa_bitmask_isbitset(numa_nodes_ptr, (unsigned int)mp->node)) {
		snprintf(why, len,
			 "--mem-policy %s: this host has no NUMA node %d (nodes here: "
			 "%d)",
			 mp->name, mp->node, nodes);
		return PVB_EXIT_USAGE;
	}
	if ((mp->mode == PVB_MEM_BIND || mp->mode == PVB_MEM_PREFERRED) &&
	    !numa_bitmask_isbitset(numa_all_nodes_ptr, (unsigned int)mp->node)) {
		snprintf(why, len,
			 "--mem-policy %s: node %d has no memory this process may use "
			 "(nodes here: %d)",
			 mp->name, mp->node, nodes);
		return PVB_EXIT_SKIP;
	}
	if (nodes < 2)
		snprintf(note, nlen,
			 "one NUMA node: %s places memory exactly as the default "
			 "policy does here; remote and interleaved placement were not exercised",
			 mp->name);
	return 0;
}

int pvb_mempolicy_apply(const struct pvb_mempolicy *mp, void *addr, size_t len)
{
	unsigned long mask[64] = { 0 }; /* 4096 nodes */
	unsigned long maxnode = sizeof(mask) * 8;
	int mode;

	switch (mp->mode) {
	case PVB_MEM_DEFAULT:
		return 0;
	case PVB_MEM_LOCAL:
		mode = MPOL_LOCAL;
		break;
	case PVB_MEM_INTERLEAVE:
		mode = MPOL_INTERLEAVE;
		for (int n = 0; n <= numa_max_node(); n++)
			if (numa_bitmask_isbitset(numa_all_nodes_ptr, (unsigned int)n))
				mask[n / 64] |= 1UL << (n % 64);
		break;
	default:
		mode = mp->mode == PVB_MEM_BIND ? MPOL_BIND : MPOL_PREFERRED;
		mask[mp->node / 64] |= 1UL << (mp->node % 64);
	}
	if (mbind(addr, len, mode, mode == MPOL_LOCAL ? NULL : mask, maxnode, 0)) {
		pvb_perror("mbind(%s) of guest RAM", mp->name);
		return -1;
	}
	return 0;
}

int pvb_mempolicy_read(void *addr, char *out, size_t len)
{
	unsigned long mask[64] = { 0 };
	int mode = 0;
	size_t n = 0;

	if (get_mempolicy(&mode, mask, sizeof(mask) * 8, addr, MPOL_F_ADDR)) {
		pvb_perror("get_mempolicy");
		return -1;
	}
	mode &= 0xff; /* drop the MPOL_F_* mode flags */
	n = (size_t)snprintf(out, len, "%s",
			     mode == MPOL_BIND	     ? "bind" :
			     mode == MPOL_INTERLEAVE ? "interleave" :
			     mode == MPOL_PREFERRED  ? "preferred" :
			     mode == MPOL_LOCAL	     ? "local" :
						       "default");
	if (mode == MPOL_BIND || mode == MPOL_INTERLEAVE || mode == MPOL_PREFERRED) {
		const char *sep = ":";

		for (int i = 0; i < (int)sizeof(mask) * 8 && n < len; i++)
			if (mask[i / 64] >> (i % 64) & 1) {
				n += (size_t)snprintf(out + n, len - n, "%s%d", sep, i);
				sep = ",";
			}
	}
	return 0;
}

/* Guest memory placement with libnuma: parse a --mem-policy, apply it to a mapping before
 * anything touches it, and read it back. */
#ifndef PVB_NUMAPOL_H
#define PVB_NUMAPOL_H
#include <stddef.h>

enum pvb_mem_mode {
	PVB_MEM_DEFAULT,
	PVB_MEM_BIND,
	PVB_MEM_INTERLEAVE,
	PVB_MEM_PREFERRED,
	PVB_MEM_LOCAL
};

struct pvb_mempolicy {
	enum pvb_mem_mode mode;
	int node;      /* bind:N, preferred:N */
	char name[32]; /* as given: "none", "bind:0", "interleave:all", ... */
};

/* Parse "none", "bind:N", "interleave:all", "preferred:N" or "local". Returns 0, or
 * PVB_EXIT_USAGE with the reason in err. */
int pvb_mempolicy_parse(const char *s, struct pvb_mempolicy *mp, char *err, size_t len);
/* Can this host honour mp? 0, PVB_EXIT_USAGE (no such node), or PVB_EXIT_SKIP (no libnuma
 * support, the node has no memory this process may use) with why; note gets what the
 * policy cannot show here (e.g. one node only), or "". */
int pvb_mempolicy_check(const struct pvb_mempolicy *mp, char *why, size_t len, char *note,
			size_t nlen);
/* mbind() [addr, addr + len) by mp (nothing for none). Returns 0, or -1 with a diagnostic. */
int pvb_mempolicy_apply(const struct pvb_mempolicy *mp, void *addr, size_t len);
/* The policy in force at addr, as "bind:0", "interleave:0-1", "preferred:1", "local" or
 * "default". Returns 0, or -1 with a diagnostic. */
int pvb_mempolicy_read(void *addr, char *out, size_t len);

#endif

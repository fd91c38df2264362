/* /proc/vmstat counters that explain memory work: one fixed list of names, read (pread of one
 * file descriptor opened once) into an array, and the deltas of a window. System-wide: the
 * deltas include whatever else the host does meanwhile. */
#ifndef PVB_VMSTAT_H
#define PVB_VMSTAT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * X(ID, "name"): the counters, in column order. "allocstall" is the sum of every
 * allocstall_<zone> line (or the single allocstall of kernels before 4.8).
 */
#define PVB_VMSTAT_FIELDS(F, a)                        \
	F(a, PGFAULT, "pgfault")                       \
	F(a, PGMAJFAULT, "pgmajfault")                 \
	F(a, THP_FAULT_ALLOC, "thp_fault_alloc")       \
	F(a, THP_FAULT_FALLBACK, "thp_fault_fallback") \
	F(a, COMPACT_STALL, "compact_stall")           \
	F(a, COMPACT_SUCCESS, "compact_success")       \
	F(a, ALLOCSTALL, "allocstall")                 \
	F(a, PGSCAN_DIRECT, "pgscan_direct")           \
	F(a, PGSTEAL_DIRECT, "pgsteal_direct")         \
	F(a, PGFREE, "pgfree")                         \
	F(a, NUMA_HIT, "numa_hit")                     \
	F(a, NUMA_MISS, "numa_miss")                   \
	F(a, NUMA_FOREIGN, "numa_foreign")

#define PVB_VMSTAT_ENUM(a, id, name) PVB_VM_##id,
enum pvb_vmstat_field { PVB_VMSTAT_FIELDS(PVB_VMSTAT_ENUM, _) PVB_VM_N };

extern const char *const pvb_vmstat_names[PVB_VM_N];

struct pvb_vmstat_snap {
	uint64_t v[PVB_VM_N];
	bool ok; /* read */
};

struct pvb_vmstat {
	int fd;			/* -1: not open */
	bool present[PVB_VM_N]; /* found on this kernel at open (kept after close) */
	bool opened;
};

/* Parse a /proc/vmstat text of len bytes: v[i] gets field i, present[i] whether a line of it
 * was seen. Lines it does not know are skipped. Returns 0, or -1 if a known line is
 * malformed (no number after the name). */
int pvb_vmstat_parse(const char *text, size_t len, uint64_t v[PVB_VM_N], bool present[PVB_VM_N]);
/* Open path (NULL: /proc/vmstat) once and see which fields this kernel has. Returns 0, or -1
 * (diagnosed; vs->fd stays -1 and every read fails). */
int pvb_vmstat_open(struct pvb_vmstat *vs, const char *path);
void pvb_vmstat_close(struct pvb_vmstat *vs);
/* Read every field now (any thread). Returns 0, or -1 (s->ok false). */
int pvb_vmstat_read(const struct pvb_vmstat *vs, struct pvb_vmstat_snap *s);
/* Field i went from a to b: its delta, or -1 when either read failed, the field is absent
 * on this kernel, or the counter went backwards. */
int64_t pvb_vmstat_delta(const struct pvb_vmstat *vs, const struct pvb_vmstat_snap *a,
			 const struct pvb_vmstat_snap *b, int i);

#endif

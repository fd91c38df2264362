/* Sub-phases of a guest's create and cleanup: named parts that tile a phase's window, so that
 * every part is timed and their sum is the phase (issue 11), and the ways guest memory goes
 * back to the host in a cleanup (--release). */
#ifndef PVB_PARTS_H
#define PVB_PARTS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The parts of a create, in iterations.csv as create_<name>_ns. */
enum pvb_create_part {
	PVB_CP_MMAP,	/* guest memory mapped (mmap, alignment trims) */
	PVB_CP_ADVISE,	/* memory policy and advice (mbind, madvise) */
	PVB_CP_MEMSLOT, /* memslots registered (KVM_SET_USER_MEMORY_REGION) */
	PVB_CP_VM,	/* VM and vCPUs created and set up */
	PVB_CP_LOAD,	/* the payload loaded (kvm: the system area; pv: image, UNPACK) */
	PVB_CP_N
};

/* The parts of a cleanup (a destroy), in iterations.csv as cleanup_<name>_ns. */
enum pvb_cleanup_part {
	PVB_XP_VCPU,	/* vCPUs closed (kvm: their fds and kvm_run; pv: their threads) */
	PVB_XP_VM,	/* the VM closed */
	PVB_XP_MEMSLOT, /* memslots removed */
	PVB_XP_SCRUB,	/* zeroing (--scrub) */
	PVB_XP_RELEASE, /* guest memory given back to the host */
	PVB_XP_N
};

#define PVB_PARTS_MAX 5

extern const char *const pvb_create_part_names[PVB_CP_N];
extern const char *const pvb_cleanup_part_names[PVB_XP_N];

/* A phase cut into parts by laps of the one clock: each lap gives the time since the last one
 * to a part, so the parts tile [t_start, t_end] exactly. */
struct pvb_parts {
	uint64_t t_start, t_end; /* the first lap's start, the last lap's end; 0: no lap yet */
	uint64_t ns[PVB_PARTS_MAX];
	int first, last; /* the parts of the first and of the last lap (-1: none) */
};

/* Start at t (monotonic ns). */
void pvb_parts_begin(struct pvb_parts *p, uint64_t t);
/* Give the time from the last lap (or the start) to now to part; returns now. */
uint64_t pvb_parts_lap(struct pvb_parts *p, int part);
uint64_t pvb_parts_lap_at(struct pvb_parts *p, int part, uint64_t now);
/* Add ns to part without moving the clock (work done in parallel, moved from part `from`). */
void pvb_parts_move(struct pvb_parts *p, int from, int to, uint64_t ns);
/* Stretch the parts over a caller's window [start, end] that holds them: the time before the
 * first lap goes to the first lap's part, the time after the last to the last lap's part.
 * Nothing when there was no lap, or when the window does not hold the laps. */
void pvb_parts_fit(struct pvb_parts *p, uint64_t start, uint64_t end);
uint64_t pvb_parts_sum(const struct pvb_parts *p);

/* --release: how a cleanup gives guest memory back. */
enum pvb_release {
	PVB_RELEASE_MUNMAP,   /* one munmap of each share: what a VMM's exit (exit_mmap) does */
	PVB_RELEASE_DONTNEED, /* MADV_DONTNEED in slices, then munmap of the emptied range */
};
#define PVB_RELEASE_SLICE_DEFAULT (16ULL << 20)

struct pvb_release_how {
	enum pvb_release kind;
	uint64_t slice; /* dontneed-slices: bytes per madvise */
};

/* "munmap", "dontneed-slices" or "dontneed-slices:N" (N MiB, 1 to 65536) into *out; 0 or -1. */
int pvb_release_parse(const char *s, struct pvb_release_how *out);
/* The name as parse reads it back ("dontneed-slices:16"). */
void pvb_release_name(const struct pvb_release_how *h, char *buf, size_t len);
/* Give [base, base + len) back to the host the way h says (base, len page aligned), adding
 * the bytes freed to *progress as they go (may be NULL). The range is unmapped on return,
 * even on failure. 0, or -1 with errno (the failing call diagnosed). */
int pvb_release_range(void *base, uint64_t len, const struct pvb_release_how *h,
		      volatile uint64_t *progress);

#endif

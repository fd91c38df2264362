/* The phase file: a worker publishes, in a small shared file (reboot's hidden --phase-file),
 * the phase each lane and each cleanup thread is in, so that `pvbench stress` can aim its
 * SIGKILLs at one. The worker side is one relaxed store per phase boundary (no syscall);
 * the supervisor maps the same file and reads it. */
#ifndef PVB_PHASE_H
#define PVB_PHASE_H
#include <stdbool.h>
#include <stdint.h>

/* Lanes: BOOT, then each reboot REQUEST .. RECORD; END at the lane's end. Cleanup threads:
 * IDLE, CLEANUP (a destroy), PERFORM (pv: inside KVM_PV_ASYNC_CLEANUP_PERFORM). */
enum pvb_phase {
	PVB_PHASE_NONE,	    /* the slot is not in use */
	PVB_PHASE_BOOT,	    /* lane: its first guest, created and populated */
	PVB_PHASE_REQUEST,  /* lane: the old guest asked to reboot */
	PVB_PHASE_STOP,	    /* lane: the old guest stopped and set aside (sync: destroyed) */
	PVB_PHASE_CREATE,   /* lane: the new guest created */
	PVB_PHASE_START,    /* lane: the new guest started, not yet alive */
	PVB_PHASE_POPULATE, /* lane: the new guest alive, populating its memory */
	PVB_PHASE_RECORD,   /* lane: populated; memory measured, the row written, the gate */
	PVB_PHASE_END,	    /* lane: its last guests stopped and destroyed */
	PVB_PHASE_IDLE,	    /* cleanup thread: nothing handed over */
	PVB_PHASE_CLEANUP,  /* cleanup thread: a destroy (outside PERFORM) */
	PVB_PHASE_PERFORM,  /* cleanup thread: inside PERFORM */
	PVB_PHASE_COUNT
};

#define PVB_PHASE_MAGIC	  0x50564250u /* "PVBP" */
#define PVB_PHASE_VERSION 1
#define PVB_PHASE_SLOTS	  64 /* lanes, and as many cleanup threads */

/* One thread's slot: its phase and how many phases it has entered (single writer). */
struct pvb_phase_slot {
	uint32_t phase;
	uint32_t pad;
	uint64_t seq;
};

/* The file's layout (host byte order; both sides are the same binary). */
struct pvb_phase_map {
	uint32_t magic; /* stored last by the worker, with release order */
	uint32_t version;
	int32_t pid;
	uint32_t lanes;
	struct pvb_phase_slot lane[PVB_PHASE_SLOTS], cleanup[PVB_PHASE_SLOTS];
};

extern const char *const pvb_phase_names[PVB_PHASE_COUNT];

/* Worker: map path (made by the supervisor, exactly sizeof(struct pvb_phase_map)) for
 * lanes lanes. 0, or PVB_EXIT_USAGE after a message. */
int pvb_phase_open(const char *path, int lanes);
void pvb_phase_close(void);
/* The calling thread publishes into lane i's slot, or cleanup thread i's (nothing without
 * a phase file). */
void pvb_phase_bind_lane(int i);
void pvb_phase_bind_cleanup(int i);
/* The calling thread enters phase p (nothing when unbound); returns the phase it was in. */
enum pvb_phase pvb_phase_set(enum pvb_phase p);
/* Does the calling thread publish its phase? */
bool pvb_phase_bound(void);

/* Supervisor: create path, zeroed, and map it. The map, or NULL after a message. */
struct pvb_phase_map *pvb_phase_create(const char *path);
void pvb_phase_unmap(struct pvb_phase_map *m);
/* Has the worker mapped it yet? */
bool pvb_phase_ready(const struct pvb_phase_map *m);
/* The phase in a slot (relaxed). */
enum pvb_phase pvb_phase_read(const struct pvb_phase_slot *s);
/* Every slot in use as "lane0=create clean0=perform ..." into buf. */
void pvb_phase_describe(const struct pvb_phase_map *m, char *buf, size_t len);

#endif

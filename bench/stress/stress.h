/* `pvbench stress`: a supervisor that runs `pvbench reboot` workers drawn from a seed,
 * injects faults into them and checks invariants after every event (events.csv,
 * stress.json, a final table; exit 3 on any violation). */
#ifndef PVB_STRESS_H
#define PVB_STRESS_H
#include <stdbool.h>
#include <stdint.h>

#define PVB_STRESS_MAX_SIZES 32

/* The faults (--faults); PVB_FAULT_NONE: a worker left alone. */
enum pvb_fault {
	PVB_FAULT_KILL,
	PVB_FAULT_INTERRUPT,
	PVB_FAULT_PERFORM_INTERRUPT,
	PVB_FAULT_PREPARE_REFUSED,
	PVB_FAULT_MEMORY_PRESSURE,
	PVB_FAULT_CPU_STARVE,
	PVB_FAULT_STORM,
	PVB_FAULT_COUNT,
	PVB_FAULT_NONE = PVB_FAULT_COUNT
};

/* The invariants, each with its own counter in stress.json's checks. */
enum pvb_check {
	PVB_CHECK_OLD_DATA,    /* no old data seen by a new guest */
	PVB_CHECK_MEMORY_BACK, /* host memory back within the bound (MemAvailable + pcp) */
	PVB_CHECK_LEFTOVERS,   /* nothing left by a killed worker: processes, VMs */
	PVB_CHECK_DRIFT,       /* fds, threads, RSS of a surviving worker constant */
	PVB_CHECK_ROWS,	       /* every completed row parseable */
	PVB_CHECK_META,	       /* meta.json valid, its status true */
	PVB_CHECK_MODEL,       /* pv-emulated: need_cleanup and set-aside empty at the end */
	PVB_CHECK_EXIT,	       /* the worker ended as its fault says it should */
	PVB_CHECK_COUNT
};

extern const char *const pvb_fault_names[PVB_FAULT_COUNT];
extern const char *const pvb_check_names[PVB_CHECK_COUNT];

struct pvb_stress_args {
	uint64_t duration_ns; /* --duration; 0: not given */
	long reboots;	      /* --reboots; 0: not given */
	uint64_t seed;
	unsigned faults; /* bit per enum pvb_fault */
	bool faults_given;
	char backend[32];
	uint64_t sizes[PVB_STRESS_MAX_SIZES];
	int nsizes;
	int guests;		/* at most this many guests per worker */
	char out[4096 - 160];	/* results directory */
	int plant;		/* enum pvb_plant (reboot/config.h), test-only */
	uint64_t mem_bound_ns;	/* memory back within this (default 2 s) */
	uint64_t mem_tolerance; /* bytes of slack in the memory check */
	uint64_t pressure_max;	/* memory-pressure: at most this much for stress-ng */
	bool quiet;
	int argc;
	char **argv;
};

/* Parse --faults LIST ("all" or names) into a bit set; 0, or PVB_EXIT_USAGE after a message
 * naming the faults there are. */
int pvb_stress_parse_faults(const char *list, unsigned *out);
/* Parse --duration: a number with s, m or h (or none: seconds) into ns; 0 or -1. */
int pvb_stress_parse_duration(const char *s, uint64_t *ns);

int pvb_stress_main(const struct pvb_stress_args *a);

#endif

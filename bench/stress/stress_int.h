/* Internals of `pvbench stress`, shared by its files:
 *   run.c (the loop) -> faults.c (injectors, co-runners) -> worker.c (spawn, reap, rows,
 *   /proc samples) -> draw.c (a worker's configuration from the seed), checks.c (the
 *   invariants), events.c (events.csv, stress.json, progress, the final table). */
#ifndef PVB_STRESS_INT_H
#define PVB_STRESS_INT_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/types.h>

#include "phase.h"
#include "report/results.h"
#include "stress.h"

#define STRESS_MAX_SAMPLES 256

/* A worker's configuration, drawn from the seed (draw.c): a pure function of the seed, the
 * worker's id and the arguments. */
struct pvb_worker_cfg {
	int id;
	bool async;
	uint64_t size;
	int vcpus, guests, iterations, warmup;
	int cleanup_start; /* enum pvb_cleanup_start */
	int placement_cpu; /* -1: unpinned */
	int backing;	   /* enum pvb_backing */
	bool mem_limit_none;
	int plant; /* enum pvb_plant */
	enum pvb_fault fault;
	int fault_row;	   /* kill, interrupt, perform-interrupt: after this many rows */
	double fault_frac; /* ... plus this fraction of the last reboot's duration */
	int fault_signal;  /* interrupt: SIGINT or SIGTERM */
	uint64_t seed;	   /* the worker's --seed */
	int kill_target;   /* kill: the enum pvb_phase it is aimed at (kills.c) */
	bool phase_file;   /* --phase-file=DIR.phase (kill) */
};

/* What to draw from (the parts of the arguments and host the draw depends on). */
struct pvb_draw_in {
	uint64_t seed;
	unsigned faults; /* applicable ones only */
	const uint64_t *sizes;
	int nsizes, guests, ncpus;
	bool pv;   /* a pv backend: anonymous backing only, PREPARE exists */
	bool thp;  /* kvm: THP may be drawn */
	int plant; /* given to worker 0 */
};

void pvb_stress_draw(const struct pvb_draw_in *in, int id, struct pvb_worker_cfg *out);
/* The worker's `pvbench reboot` arguments (after argv[0..1] = exe, "reboot"), into buf
 * (strings) and args (pointers, NULL-terminated); the count, or -1 if it does not fit. */
int pvb_stress_worker_args(const struct pvb_worker_cfg *w, const char *backend, const char *dir,
			   char *buf, size_t len, char **args, int max);

/* Checks (checks.c): pure functions. */
/* Growth of a series after warm: every value of the last third above every value of the
 * first third, by more than slack and pct %, and above every value of the middle third (a
 * level that keeps rising, not one that goes up and down or levels off after a warm-up). 1: grew, 0: constant, -1: too few samples (fewer than 6 after warm). *drift:
 * the relative growth of the lowest values. */
int pvb_check_growth(const int64_t *v, int n, int warm, double pct, int64_t slack, double *drift);
/* The host's memory at a moment: MemAvailable + the per-CPU free lists, and the RSS of every
 * process (-1: not read). */
struct pvb_mem_level {
	int64_t free, rss;
};
/* Memory back: what the host misses against base, less what processes' RSS grew meanwhile
 * (other processes move MemAvailable too; memory a process holds is not lost), within
 * tolerance. *missing: that amount, bytes. The RSS part only counts when both have it. */
bool pvb_check_mem_back(const struct pvb_mem_level *base, const struct pvb_mem_level *now,
			int64_t tolerance, int64_t *missing);
/* meta.json's status against how the worker ended (exit code, or killed); why on false. */
bool pvb_check_status(const char *status, int exit_code, bool killed, char *why, size_t len);
/* The exit a worker with fault f should have: 0, 130, -1 (killed: any) ; planted stale
 * data: 3. */
bool pvb_check_exit(enum pvb_fault f, int plant, bool stopped, int exit_code, bool killed);

struct pvb_stress;
struct pvb_worker;
/* The checks of a worker that has ended (not memory-back: run.c waits for it). */
void pvb_checks_worker_end(struct pvb_stress *s, struct pvb_worker *w);

/* A running worker and what the supervisor knows of it (worker.c). */
struct pvb_worker {
	struct pvb_worker_cfg cfg;
	pid_t pid; /* 0: none */
	char dir[4096];
	uint64_t t_start, t_exit, t_last_row, last_row_gap;
	long rows;
	off_t csv_off;
	struct pvb_mem_level mem_base; /* before the start */
	struct pvb_mem_level mem_warm; /* after the first row */
	int64_t mem_deadline;	       /* pending in-life memory check: its deadline, 0: none */
	bool exited, killed, stopped, fault_done;
	int exit_code;
	int nsamples;
	int64_t fds[STRESS_MAX_SAMPLES], threads[STRESS_MAX_SAMPLES], rss[STRESS_MAX_SAMPLES];
	int64_t min_fds, min_threads, min_rss; /* since the last sample; -1: none yet */
	int rows_since, ticks_since;	       /* a sample a round of reboots (every guest) */
	pid_t corunner;			       /* stress-ng, 0: none */
	int signals_sent;
	/* kill (kills.c): the worker's phase file, when the kill was armed and sent, the slot
	 * it was aimed at (NULL: a timeout) and that slot's sequence then */
	struct pvb_phase_map *phases;
	uint64_t t_armed, t_kill, kill_seq;
	const struct pvb_phase_slot *kill_slot;
	bool kill_timeout; /* sent after the timeout, not at the target */
};

/* Spawn argv running file (looked up in PATH unless it holds a /) into *pid: in its own
 * process group, no blocked signals, SIGINT and SIGTERM at their defaults; stdin from
 * /dev/null, stderr to log (truncated), stdout to log too when stdout_log, else to
 * /dev/null. 0, or an errno. */
int pvb_spawn_logged(pid_t *pid, const char *file, char **argv, const char *log, bool stdout_log);
int pvb_worker_spawn(struct pvb_worker *w, const char *backend, const char *out);
/* New complete rows since the last call (counted by line ends); -1 on a read error. */
long pvb_worker_new_rows(struct pvb_worker *w);
/* Sample fds, threads and RSS from /proc/PID into the lowest since the last row (a
 * sample caught mid-reboot, with two guests, stands out upwards); 0, or -1 when gone. */
int pvb_worker_sample(struct pvb_worker *w);
/* A row: the lowest values since the one before become one sample of each series. */
void pvb_worker_sample_row(struct pvb_worker *w);
/* waitpid without blocking: true once it has ended (exit_code or killed set). */
bool pvb_worker_reaped(struct pvb_worker *w);
/* Signal the worker's process group. */
void pvb_worker_signal(struct pvb_worker *w, int sig);
/* Host MemAvailable + the per-CPU free lists, bytes; -1 on failure. */
int64_t pvb_host_free(void);
/* The RSS of every process this user can read, bytes; -1 on failure. */
int64_t pvb_rss_total(void);
/* Processes still in process group pgid (a dead worker's); leftovers in why. */
int pvb_orphans(pid_t pgid, char *why, size_t len);
/* Processes (other than the known pids) holding an anon_inode:kvm-vm fd. */
int pvb_kvm_vm_holders(const pid_t *known, int nknown, char *why, size_t len);

/* The supervisor's state and its records (events.c). */
struct pvb_stress {
	const struct pvb_stress_args *a;
	uint64_t t0;
	struct pvb_csv events;
	char json_path[4200];
	json_t *host;
	long reboots, workers;
	long faults[PVB_FAULT_COUNT];
	char fault_skip[PVB_FAULT_COUNT][160]; /* why it does not apply; "": it does */
	long checks[PVB_CHECK_COUNT], violated[PVB_CHECK_COUNT];
	long performs_interrupted, fallbacks;
	const char *status; /* running, complete, interrupted */
	bool stop_worker;   /* a violation: the running worker is stopped (SIGINT) */
	uint64_t t_json, t_progress;
	/* kill (kills.c): the next target, kills by the phase seen as the SIGKILL went (index
	 * PVB_PHASE_NONE: a timeout), by the phase the slot held at death, the memory-back
	 * time after each kill (ms, from the SIGKILL) */
	long kill_next, kills_seen[PVB_PHASE_COUNT], kills_death[PVB_PHASE_COUNT];
	long kills_targeted[PVB_PHASE_COUNT], kills_held, kills_missed, kill_back_over;
	double *kill_back_ms;
	size_t kill_back_n, kill_back_cap;
};

int pvb_events_open(struct pvb_stress *s);
void pvb_events_close(struct pvb_stress *s);
/* One events.csv row: kind reboot|fault|check|worker, name, result, detail. */
void pvb_event(struct pvb_stress *s, int worker, const char *kind, const char *name,
	       const char *result, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* A check's outcome: counted, an event, and on a violation a message. */
void pvb_check_record(struct pvb_stress *s, int worker, enum pvb_check c, bool ok, const char *fmt,
		      ...) __attribute__((format(printf, 5, 6)));
long pvb_violations(const struct pvb_stress *s);
/* stress.json, atomically; 0 or -1. */
int pvb_stress_write_json(struct pvb_stress *s);
void pvb_stress_progress(struct pvb_stress *s, bool force);
void pvb_stress_table(const struct pvb_stress *s, FILE *f);

/* faults.c */
/* Why fault f does not apply here ("" when it does). */
void pvb_fault_applies(enum pvb_fault f, const char *backend, char *why, size_t len);
/* Before the worker starts: co-runners (memory-pressure, cpu-starve). 0, or -1 (skip). */
int pvb_fault_before(struct pvb_stress *s, struct pvb_worker *w);
/* Each tick while the worker runs: signals at the drawn moment. */
void pvb_fault_tick(struct pvb_stress *s, struct pvb_worker *w);
/* The worker ended: stop co-runners. */
void pvb_fault_after(struct pvb_stress *s, struct pvb_worker *w);

/* kills.c: the kill fault, aimed at a phase of the worker (its phase file). */
/* Before the spawn: the next target round-robin, the configuration fitted to it, the phase
 * file made. 0, or -1 after a message. */
int pvb_kill_prepare(struct pvb_stress *s, struct pvb_worker *w);
/* Each tick: once armed (the drawn row), poll the phase file every 0.25 ms for up to a
 * tick, and SIGKILL the worker as a slot shows the target (after 3 s: anyway). */
void pvb_kill_tick(struct pvb_stress *s, struct pvb_worker *w);
/* Armed and not fired yet: the loop polls without sleeping in between. */
bool pvb_kill_polling(const struct pvb_worker *w);
/* The worker ended: the phase the slot held at death (or a miss), the file gone. */
void pvb_kill_after(struct pvb_stress *s, struct pvb_worker *w);
/* Host memory back (or not, after the bound) ms after a kill. 0, or -1 (out of memory). */
int pvb_kill_memory(struct pvb_stress *s, bool back, double ms);
/* stress.json's kills_by_phase and kills; the table's lines. */
void pvb_kill_json(const struct pvb_stress *s, json_t *o);
void pvb_kill_table(const struct pvb_stress *s, FILE *f);
void pvb_kill_free(struct pvb_stress *s);

#endif

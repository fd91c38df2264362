/* The kill fault aimed at a phase: each kill worker gets the next target round-robin (create,
 * populate, cleanup, PERFORM on the pv backends, stop), its configuration fitted so that the
 * phase happens, and a phase file (phase.h) the supervisor polls every 0.25 ms once the drawn
 * row is in; SIGKILL goes as a slot shows the target. What the slot held at death, and the
 * host memory back after each kill, go to events.csv and stress.json. */
#include <errno.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pvbench.h"
#include "reboot/config.h"
#include "stress_int.h"
#include "timing.h"

#define POLL_NS		250000ULL     /* the phase file, every 0.25 ms while armed */
#define SLICE_NS	10000000ULL   /* at most a tick of polling at a time */
#define KILL_TIMEOUT_NS 3000000000ULL /* armed this long without the target: kill anyway */

static bool pv_backend(const struct pvb_stress *s)
{
	return !strncmp(s->a->backend, "pv", 2);
}

/* The targets, in round-robin order: PERFORM only where there is one. */
static int targets(const struct pvb_stress *s, enum pvb_phase *t)
{
	int n = 0;

	t[n++] = PVB_PHASE_CREATE;
	t[n++] = PVB_PHASE_POPULATE;
	t[n++] = PVB_PHASE_CLEANUP;
	if (pv_backend(s))
		t[n++] = PVB_PHASE_PERFORM;
	t[n++] = PVB_PHASE_STOP;
	return n;
}

static bool cleanup_phase(enum pvb_phase p)
{
	return p == PVB_PHASE_CLEANUP || p == PVB_PHASE_PERFORM || p == PVB_PHASE_IDLE;
}

/* What the target needs of the configuration: PERFORM an accepted PREPARE (async, no memory
 * limit, the slot free at the next reboot); a cleanup outside PERFORM on pv a sync DISABLE
 * (async, the cleanup thread's destroy is PERFORM but for the vCPUs' stop). */
static void fit(const struct pvb_stress *s, struct pvb_worker_cfg *c)
{
	if (c->kill_target == PVB_PHASE_PERFORM) {
		c->async = true;
		c->mem_limit_none = true;
		if (c->cleanup_start == PVB_CLEANUP_NEXT)
			c->cleanup_start = PVB_CLEANUP_ALIVE;
	} else if (c->kill_target == PVB_PHASE_CLEANUP && pv_backend(s)) {
		c->async = false;
	}
}

static void phase_path(const struct pvb_stress *s, const struct pvb_worker *w, char *buf,
		       size_t len)
{
	snprintf(buf, len, "%s/workers/%03d.phase", s->a->out, w->cfg.id);
}

int pvb_kill_prepare(struct pvb_stress *s, struct pvb_worker *w)
{
	enum pvb_phase t[PVB_PHASE_COUNT];
	int n = targets(s, t);
	char path[4300];

	w->cfg.kill_target = t[s->kill_next++ % n];
	fit(s, &w->cfg);
	phase_path(s, w, path, sizeof(path));
	w->phases = pvb_phase_create(path);
	if (!w->phases)
		return -1;
	w->cfg.phase_file = true;
	s->kills_targeted[w->cfg.kill_target]++;
	return 0;
}

/* The first slot of the worker's in phase t, or NULL; *seq: its count of phases, read before
 * its phase (the writer stores the phase first: a change not counted yet shows at death). */
static const struct pvb_phase_slot *find(const struct pvb_phase_map *m, enum pvb_phase t,
					 uint64_t *seq)
{
	uint32_t n = __atomic_load_n(&m->lanes, __ATOMIC_RELAXED);

	if (n > PVB_PHASE_SLOTS)
		n = PVB_PHASE_SLOTS;
	for (uint32_t i = 0; i < n; i++) {
		const struct pvb_phase_slot *sl = cleanup_phase(t) ? &m->cleanup[i] : &m->lane[i];

		*seq = __atomic_load_n(&sl->seq, __ATOMIC_RELAXED);
		if (pvb_phase_read(sl) == t)
			return sl;
	}
	return NULL;
}

/* SIGKILL now: sl is the slot seen in the target phase (NULL: the timeout), seq its count of
 * phases as it was seen. */
static void fire(struct pvb_stress *s, struct pvb_worker *w, const struct pvb_phase_slot *sl,
		 uint64_t seq, uint64_t now)
{
	enum pvb_phase t = (enum pvb_phase)w->cfg.kill_target;
	char snap[512];

	if (kill(w->pid, SIGKILL) && errno != ESRCH) {
		pvb_perror("stress: killing worker %d", w->cfg.id);
		return;
	}
	w->t_kill = now;
	w->kill_slot = sl ? sl : cleanup_phase(t) ? &w->phases->cleanup[0] : &w->phases->lane[0];
	w->kill_seq = sl ? seq : __atomic_load_n(&w->kill_slot->seq, __ATOMIC_RELAXED);
	w->kill_timeout = !sl;
	w->fault_done = true;
	s->faults[PVB_FAULT_KILL]++;
	s->kills_seen[sl ? t : PVB_PHASE_NONE]++;
	pvb_phase_describe(w->phases, snap, sizeof(snap));
	pvb_event(s, w->cfg.id, "fault", pvb_fault_names[PVB_FAULT_KILL], "injected",
		  "phase=%s target=%s: SIGKILL %.1f ms after row %ld (armed %.1f ms); %s",
		  sl ? pvb_phase_names[t] : "timeout", pvb_phase_names[t],
		  (double)(now - w->t_last_row) / 1e6, w->rows, (double)(now - w->t_armed) / 1e6,
		  snap);
}

void pvb_kill_tick(struct pvb_stress *s, struct pvb_worker *w)
{
	uint64_t now = pvb_now_ns(), until = now + SLICE_NS;

	if (w->fault_done || !w->phases || w->rows < w->cfg.fault_row || !w->t_last_row)
		return;
	if (!w->t_armed)
		w->t_armed = now;
	while (!pvb_interrupted) {
		uint64_t seq = 0;
		const struct pvb_phase_slot *sl =
			pvb_phase_ready(w->phases) ?
				find(w->phases, (enum pvb_phase)w->cfg.kill_target, &seq) :
				NULL;

		if (sl || now - w->t_armed >= KILL_TIMEOUT_NS) {
			fire(s, w, sl, seq, now);
			return;
		}
		if (now >= until)
			return;
		pvb_sleep_ns(POLL_NS);
		now = pvb_now_ns();
	}
}

bool pvb_kill_polling(const struct pvb_worker *w)
{
	return w->phases && w->t_armed && !w->fault_done && !w->exited;
}

void pvb_kill_after(struct pvb_stress *s, struct pvb_worker *w)
{
	char path[4300];

	if (!w->phases)
		return;
	if (w->t_kill && w->killed) {
		enum pvb_phase p = pvb_phase_read(w->kill_slot);
		uint64_t moved =
			__atomic_load_n(&w->kill_slot->seq, __ATOMIC_RELAXED) - w->kill_seq;

		s->kills_death[p]++;
		s->kills_held += !w->kill_timeout && moved == 0;
		pvb_event(s, w->cfg.id, "fault", pvb_fault_names[PVB_FAULT_KILL], "landed",
			  "phase=%s at death (target %s); %llu phase changes of that slot since it "
			  "was seen in the target phase",
			  pvb_phase_names[p], pvb_phase_names[w->cfg.kill_target],
			  (unsigned long long)moved);
	} else if (!w->t_kill) {
		s->kills_missed++;
		pvb_event(s, w->cfg.id, "fault", pvb_fault_names[PVB_FAULT_KILL], "missed",
			  "target %s: %s after %ld rows (the drawn row: %d)",
			  pvb_phase_names[w->cfg.kill_target],
			  w->stopped ? "the worker was stopped (the run's end, or a violation)" :
				       "the worker ended before the target phase came",
			  w->rows, w->cfg.fault_row);
	}
	pvb_phase_unmap(w->phases);
	w->phases = NULL;
	w->kill_slot = NULL;
	phase_path(s, w, path, sizeof(path));
	if (unlink(path) && errno != ENOENT)
		pvb_perror("stress: removing %s", path);
}

int pvb_kill_memory(struct pvb_stress *s, bool back, double ms)
{
	if (s->kill_back_n == s->kill_back_cap) {
		size_t cap = s->kill_back_cap ? 2 * s->kill_back_cap : 256;
		double *v = realloc(s->kill_back_ms, cap * sizeof(*v));

		if (!v) {
			pvb_err("stress: out of memory");
			return -1;
		}
		s->kill_back_ms = v;
		s->kill_back_cap = cap;
	}
	s->kill_back_ms[s->kill_back_n++] = ms;
	s->kill_back_over += !back;
	return 0;
}

static json_t *by_phase(const long *n, bool timeout)
{
	json_t *o = json_object();

	for (int p = PVB_PHASE_BOOT; p < PVB_PHASE_COUNT; p++)
		if (n[p])
			json_object_set_new(o, pvb_phase_names[p], json_integer(n[p]));
	if (timeout)
		json_object_set_new(o, "timeout", json_integer(n[PVB_PHASE_NONE]));
	return o;
}

/* n, median, p95, max of the memory-back times (null figures without any). */
static json_t *back_json(const struct pvb_stress *s)
{
	json_t *o = json_object();
	size_t n = s->kill_back_n;
	double *v = n ? malloc(n * sizeof(*v)) : NULL;

	json_object_set_new(o, "n", json_integer((json_int_t)n));
	if (v) {
		memcpy(v, s->kill_back_ms, n * sizeof(*v));
		gsl_sort(v, 1, n);
		json_object_set_new(o, "median",
				    json_real(gsl_stats_median_from_sorted_data(v, 1, n)));
		json_object_set_new(o, "p95",
				    json_real(gsl_stats_quantile_from_sorted_data(v, 1, n, 0.95)));
		json_object_set_new(o, "max", json_real(v[n - 1]));
		free(v);
	} else {
		json_object_set_new(o, "median", json_null());
		json_object_set_new(o, "p95", json_null());
		json_object_set_new(o, "max", json_null());
	}
	json_object_set_new(o, "over_bound", json_integer(s->kill_back_over));
	return o;
}

void pvb_kill_json(const struct pvb_stress *s, json_t *o)
{
	json_t *k = json_object();

	json_object_set_new(o, "kills_by_phase", by_phase(s->kills_seen, true));
	json_object_set_new(k, "targeted", by_phase(s->kills_targeted, false));
	json_object_set_new(k, "at_death", by_phase(s->kills_death, false));
	json_object_set_new(k, "held_to_death", json_integer(s->kills_held));
	json_object_set_new(k, "missed", json_integer(s->kills_missed));
	json_object_set_new(k, "memory_back_ms", back_json(s));
	json_object_set_new(o, "kills", k);
}

void pvb_kill_table(const struct pvb_stress *s, FILE *f)
{
	long total = 0;

	for (int p = 0; p < PVB_PHASE_COUNT; p++)
		total += s->kills_seen[p];
	if (!total && !s->kills_missed)
		return;
	fprintf(f, "%-20s", "  (kills by phase)");
	for (int p = PVB_PHASE_BOOT; p < PVB_PHASE_COUNT; p++)
		if (s->kills_seen[p])
			fprintf(f, " %s %ld", pvb_phase_names[p], s->kills_seen[p]);
	fprintf(f, "; timeouts %ld, missed %ld, phase held to death %ld/%ld\n",
		s->kills_seen[PVB_PHASE_NONE], s->kills_missed, s->kills_held, total);
}

void pvb_kill_free(struct pvb_stress *s)
{
	free(s->kill_back_ms);
	s->kill_back_ms = NULL;
	s->kill_back_n = s->kill_back_cap = 0;
}

/* The loop of `pvbench stress`: one worker at a time (two cores: the worker's guests and
 * cleanup threads, plus a co-runner when its fault has one), drawn from the seed, until
 * --duration or --reboots; its rows, faults and checks as they happen; memory back within
 * the bound after each cleanup and after each worker's end. */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/backend.h"
#include "host/meminfo.h"
#include "pvbench.h"
#include "reboot/config.h"
#include "stress_int.h"
#include "timing.h"

#define TICK_NS 10000000ULL /* 10 ms */

static int allowed_cpus(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set))
		return 1;
	return CPU_COUNT(&set);
}

/* The faults that apply here; the others are visible skips. */
static unsigned applicable(struct pvb_stress *s)
{
	unsigned set = 0;

	for (int f = 0; f < PVB_FAULT_COUNT; f++) {
		if (!(s->a->faults & (1u << f)))
			continue;
		pvb_fault_applies((enum pvb_fault)f, s->a->backend, s->fault_skip[f],
				  sizeof(s->fault_skip[f]));
		if (s->fault_skip[f][0]) {
			pvb_event(s, -1, "fault", pvb_fault_names[f], "skip", "%s",
				  s->fault_skip[f]);
			if (s->a->faults_given)
				pvb_warn("stress: fault %s skipped: %s", pvb_fault_names[f],
					 s->fault_skip[f]);
		} else {
			set |= 1u << f;
		}
	}
	return set;
}

static int start_worker(struct pvb_stress *s, const struct pvb_draw_in *in, struct pvb_worker *w)
{
	char buf[8192], *args[64], line[4096];
	size_t u = 0;
	int n;

	memset(w, 0, sizeof(*w));
	s->stop_worker = false;
	w->min_fds = w->min_threads = w->min_rss = -1;
	pvb_stress_draw(in, (int)s->workers, &w->cfg);
	if (w->cfg.plant == PVB_PLANT_SKIP_RELEASE) {
		w->cfg.size = s->a->sizes[0]; /* the smallest, for long enough: see --help */
		for (int i = 1; i < s->a->nsizes; i++)
			if (s->a->sizes[i] < w->cfg.size)
				w->cfg.size = s->a->sizes[i];
		w->cfg.iterations = 40;
	}
	w->mem_base.free = pvb_host_free();
	w->mem_base.rss = pvb_rss_total();
	if (pvb_fault_before(s, w))
		return PVB_EXIT_FAIL;
	if (pvb_worker_spawn(w, s->a->backend, s->a->out)) {
		pvb_fault_after(s, w);
		return PVB_EXIT_FAIL;
	}
	s->workers++;
	n = pvb_stress_worker_args(&w->cfg, s->a->backend, w->dir, buf, sizeof(buf), args, 64);
	for (int i = 0; i < n && u + 2 < sizeof(line); i++)
		u += (size_t)snprintf(line + u, sizeof(line) - u, "%s%s", i ? " " : "", args[i]);
	pvb_event(s, w->cfg.id, "worker", "start", "pid", "%d: pvbench reboot %s", (int)w->pid,
		  line);
	return 0;
}

/* Is the host's memory back to base (within the tolerance)? The RSS of every process is
 * read only when MemAvailable alone says no. *missing: what is missing, bytes. */
static bool mem_back(const struct pvb_stress *s, const struct pvb_mem_level *base, int64_t *missing)
{
	struct pvb_mem_level now = { pvb_host_free(), -1 };
	int64_t tol = (int64_t)s->a->mem_tolerance;

	if (pvb_check_mem_back(base, &now, tol, missing) || base->rss < 0)
		return !(base->rss < 0 && *missing > tol);
	now.rss = pvb_rss_total();
	return pvb_check_mem_back(base, &now, tol, missing);
}

/* In-life memory-back: after each cleanup (a row) the host is back within the tolerance of
 * where it stood after the first one, within the bound. */
static void memory_in_life(struct pvb_stress *s, struct pvb_worker *w, uint64_t now)
{
	int64_t missing;

	if (!w->mem_deadline || w->cfg.fault == PVB_FAULT_MEMORY_PRESSURE)
		return;
	if (mem_back(s, &w->mem_warm, &missing)) {
		pvb_check_record(s, w->cfg.id, PVB_CHECK_MEMORY_BACK, true,
				 "after a cleanup: back within %.0f ms (%.1f MiB missing)",
				 (double)(now + s->a->mem_bound_ns - (uint64_t)w->mem_deadline) /
					 1e6,
				 (double)missing / (double)PVB_MIB);
		w->mem_deadline = 0;
	} else if (now > (uint64_t)w->mem_deadline) {
		pvb_check_record(s, w->cfg.id, PVB_CHECK_MEMORY_BACK, false,
				 "after a cleanup: host memory (MemAvailable + pcp, less what "
				 "processes' RSS grew) %.1f MiB short of its level after the first "
				 "reboot for %.0f ms (tolerance %.0f MiB)",
				 (double)missing / (double)PVB_MIB,
				 (double)s->a->mem_bound_ns / 1e6,
				 (double)s->a->mem_tolerance / (double)PVB_MIB);
		w->mem_deadline = 0;
	}
}

static void take_rows(struct pvb_stress *s, struct pvb_worker *w, uint64_t now)
{
	long before = w->rows, n = pvb_worker_new_rows(w);

	if (n <= 0)
		return;
	for (long i = 1; i <= n; i++)
		pvb_event(s, w->cfg.id, "reboot", "row", "ok", "row %ld", before + i);
	s->reboots += n;
	w->last_row_gap = w->t_last_row ? now - w->t_last_row : now - w->t_start;
	w->t_last_row = now;
	pvb_worker_sample_row(w);
	if (before == 0) {
		w->mem_warm.free = pvb_host_free();
		w->mem_warm.rss = pvb_rss_total();
	} else if (!w->mem_deadline && !w->exited)
		w->mem_deadline = (int64_t)(now + s->a->mem_bound_ns);
}

/* A worker that could not run at all (bad input, no backend here): not a finding of the
 * checks but the end of the run, with the worker's reason. */
static bool unusable(const struct pvb_worker *w)
{
	return !w->killed && !w->stopped && w->rows == 0 &&
	       (w->exit_code == PVB_EXIT_USAGE || w->exit_code == PVB_EXIT_SKIP);
}

static void say_why(const struct pvb_stress *s, const struct pvb_worker *w)
{
	char path[4300], line[1024], last[1024] = "";
	FILE *f;

	snprintf(path, sizeof(path), "%s/workers/%03d.log", s->a->out, w->cfg.id);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "error"))
			snprintf(last, sizeof(last), "%s", line);
	if (f)
		fclose(f);
	last[strcspn(last, "\n")] = '\0';
	pvb_err("stress: worker %d could not run (exit %d): %s", w->cfg.id, w->exit_code,
		last[0] ? last : path);
}

static void worker_ended(struct pvb_stress *s, struct pvb_worker *w)
{
	take_rows(s, w, pvb_now_ns());
	if (w->mem_deadline) /* the last cleanup's check: its memory went with the worker */
		memory_in_life(s, w, pvb_now_ns());
	w->mem_deadline = 0;
	pvb_fault_after(s, w);
	pvb_event(s, w->cfg.id, "worker", "end", w->killed ? "killed" : "exit", "%s %d, %ld rows",
		  w->killed ? "SIGKILL" : "exit code", w->killed ? 9 : w->exit_code, w->rows);
	if (unusable(w))
		say_why(s, w);
	else
		pvb_checks_worker_end(s, w);
}

/* After a worker's end, the host's memory back to where it stood before it started. */
static bool settled(struct pvb_stress *s, struct pvb_worker *w, uint64_t now)
{
	int64_t missing;
	bool back = mem_back(s, &w->mem_base, &missing);

	if (!back && now - w->t_exit <= s->a->mem_bound_ns)
		return false;
	if (w->t_kill && w->killed && pvb_kill_memory(s, back, (double)(now - w->t_kill) / 1e6))
		s->stop_worker = true; /* out of memory: said; the figures lack this kill */
	pvb_check_record(s, w->cfg.id, PVB_CHECK_MEMORY_BACK, back,
			 "after the worker's end (%s): %s %.0f ms, %.1f MiB missing against before "
			 "it",
			 w->killed ? "killed" : "exited", back ? "back within" : "not back after",
			 (double)(now - w->t_exit) / 1e6, (double)missing / (double)PVB_MIB);
	return true;
}

/* Stop the worker for good (an interrupt of the supervisor): SIGKILL, reaped at once. */
static void stop_now(struct pvb_stress *s, struct pvb_worker *w)
{
	int st;

	if (!w->pid || w->exited)
		return;
	w->stopped = true;
	pvb_worker_signal(w, SIGKILL);
	while (waitpid(w->pid, &st, 0) < 0 && errno == EINTR)
		;
	w->exited = w->killed = true;
	w->t_exit = pvb_now_ns();
	worker_ended(s, w);
}

static bool limit_reached(const struct pvb_stress *s, uint64_t now)
{
	return (s->a->duration_ns && now - s->t0 >= s->a->duration_ns) ||
	       (s->a->reboots && s->reboots >= s->a->reboots);
}

/* One tick with a worker: rows, faults, its end; false once it is done with. */
static bool tick(struct pvb_stress *s, struct pvb_worker *w, bool settle, uint64_t now)
{
	if (w->exited)
		return !unusable(w) && settle && !settled(s, w, now);
	pvb_worker_sample(w);
	take_rows(s, w, now);
	memory_in_life(s, w, now);
	pvb_fault_tick(s, w);
	if ((limit_reached(s, now) || s->stop_worker) && !w->stopped) {
		w->stopped = true; /* the end, or a violation: stop it as a user would */
		pvb_worker_signal(w, SIGINT);
	}
	if (pvb_worker_reaped(w))
		worker_ended(s, w);
	return true;
}

static int loop(struct pvb_stress *s, const struct pvb_draw_in *in)
{
	struct pvb_worker w = { 0 };
	bool have = false;
	int rc = 0;

	while (!pvb_interrupted) {
		uint64_t now = pvb_now_ns();

		if (!have) {
			if (limit_reached(s, now))
				break;
			if ((rc = start_worker(s, in, &w)))
				break;
			have = true;
		} else if (!tick(s, &w, true, now)) {
			have = false;
			if (unusable(&w)) { /* the end of the run, with its reason */
				rc = w.exit_code;
				break;
			}
		}
		if (now - s->t_json >= 1000000000ULL && pvb_stress_write_json(s))
			return PVB_EXIT_FAIL;
		pvb_stress_progress(s, false);
		if (!(have && pvb_kill_polling(&w))) /* polling: it slept in pvb_kill_tick */
			pvb_sleep_ns(TICK_NS);
	}
	if (have && pvb_interrupted)
		stop_now(s, &w);
	else if (have && !w.exited)
		stop_now(s, &w);
	return rc ? rc : pvb_interrupted ? PVB_EXIT_INTERRUPTED : 0;
}

static bool is_pv(const char *b)
{
	return !strncmp(b, "pv", 2);
}

int pvb_stress_main(const struct pvb_stress_args *a)
{
	struct pvb_stress s = { .a = a, .status = "running" };
	struct pvb_draw_in in = { .seed = a->seed,
				  .sizes = a->sizes,
				  .nsizes = a->nsizes,
				  .guests = a->guests,
				  .ncpus = allowed_cpus(),
				  .pv = is_pv(a->backend),
				  .thp = true,
				  .plant = a->plant };
	char dir[4200];
	int rc;

	snprintf(dir, sizeof(dir), "%s/workers", a->out);
	if (pvb_mkdirs(dir) || pvb_events_open(&s))
		return PVB_EXIT_FAIL;
	s.t0 = pvb_now_ns();
	s.host = pvb_host_json();
	in.faults = applicable(&s);
	if (a->duration_ns)
		pvb_info("stress: %.0f s on %s, seed %llu, results in %s",
			 (double)a->duration_ns / 1e9, a->backend, (unsigned long long)a->seed,
			 a->out);
	else
		pvb_info("stress: %ld reboots on %s, seed %llu, results in %s", a->reboots,
			 a->backend, (unsigned long long)a->seed, a->out);
	rc = loop(&s, &in);
	s.status = rc == PVB_EXIT_INTERRUPTED ? "interrupted" : rc ? "failed" : "complete";
	if (pvb_stress_write_json(&s))
		rc = rc ? rc : PVB_EXIT_FAIL;
	pvb_events_close(&s);
	json_decref(s.host);
	pvb_stress_progress(&s, true);
	pvb_stress_table(&s, stdout);
	pvb_kill_free(&s);
	if (fflush(stdout))
		pvb_perror("stress: writing to stdout");
	if (rc)
		return rc;
	return pvb_violations(&s) ? PVB_EXIT_VERIFY : 0;
}

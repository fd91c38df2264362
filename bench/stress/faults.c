/* The fault injectors of `pvbench stress`: signals at drawn moments (kill, interrupt,
 * perform-interrupt), stress-ng co-runners (memory-pressure, cpu-starve), and the faults a
 * worker's configuration is itself (prepare-refused, storm). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/pv/pvdev.h"
#include "host/meminfo.h"
#include "pvbench.h"
#include "stress_int.h"
#include "timing.h"

const char *const pvb_fault_names[PVB_FAULT_COUNT] = {
	"kill",	      "interrupt", "perform-interrupt", "prepare-refused", "memory-pressure",
	"cpu-starve", "storm",
};

static bool in_path(const char *name)
{
	const char *path = getenv("PATH");
	char dir[4096], file[4200];

	for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
		size_t n = strcspn(p, ":");

		snprintf(dir, sizeof(dir), "%.*s", (int)n, p);
		snprintf(file, sizeof(file), "%s/%s", dir[0] ? dir : ".", name);
		if (!access(file, X_OK))
			return true;
		p += n + (p[n] == ':');
	}
	return false;
}

void pvb_fault_applies(enum pvb_fault f, const char *backend, char *why, size_t len)
{
	bool pv = !strncmp(backend, "pv", 2), emulated = !strcmp(backend, "pv-emulated");

	why[0] = '\0';
	if (f == PVB_FAULT_PERFORM_INTERRUPT && !emulated)
		snprintf(why, len,
			 pv ? "a fatal signal to a real PERFORM ends the worker: the kill fault "
			      "covers it" :
			      "no PERFORM: a pv backend only");
	else if (f == PVB_FAULT_PREPARE_REFUSED && !pv)
		snprintf(why, len, "no PREPARE: a pv backend only");
	else if ((f == PVB_FAULT_MEMORY_PRESSURE || f == PVB_FAULT_CPU_STARVE) &&
		 !in_path("stress-ng"))
		snprintf(why, len, "stress-ng is not installed (scripts/setup.sh installs it)");
}

/* stress-ng with the arguments in line (words), in its own process group, its output in
 * the worker's log directory; stopped when the worker ends (its --timeout bounds it should
 * the supervisor itself be killed). */
static int corunner(struct pvb_stress *s, struct pvb_worker *w, const char *line)
{
	char log[4300], words[512], *args[16], *save = NULL;
	int n = 0, e;

	snprintf(log, sizeof(log), "%s/workers/%03d-stress-ng.log", s->a->out, w->cfg.id);
	snprintf(words, sizeof(words), "%s", line);
	for (char *t = strtok_r(words, " ", &save); t && n < 15; t = strtok_r(NULL, " ", &save))
		args[n++] = t;
	args[n] = NULL;
	if (!(e = pvb_spawn_logged(&w->corunner, "stress-ng", args, log, true)))
		return 0;
	errno = e;
	pvb_perror("stress: starting stress-ng");
	w->corunner = 0;
	return -1;
}

/* memory-pressure: MemAvailable driven towards the headroom (1 GiB beyond twice the
 * worker's guests), at most --pressure-max. */
static int memory_pressure(struct pvb_stress *s, struct pvb_worker *w, char *why, size_t len)
{
	int64_t avail = pvb_mem_available(), need = 2 * (int64_t)w->cfg.size * w->cfg.guests;
	int64_t bytes = avail - (int64_t)PVB_GIB - need;
	char line[128];

	if (bytes > (int64_t)s->a->pressure_max)
		bytes = (int64_t)s->a->pressure_max;
	if (avail < 0 || bytes < (int64_t)(64 * PVB_MIB)) {
		snprintf(why, len, "MemAvailable %lld MiB leaves no room beyond the headroom",
			 (long long)(avail / (int64_t)PVB_MIB));
		return -1;
	}
	snprintf(line, sizeof(line), "stress-ng --vm 1 --vm-bytes %lldM --vm-keep --timeout 600s",
		 (long long)(bytes / (int64_t)PVB_MIB));
	snprintf(why, len, "%s", line);
	return corunner(s, w, line);
}

/* cpu-starve: stress-ng --cpu on the cleanup CPU (the worker's placement), or on all. */
static int cpu_starve(struct pvb_stress *s, struct pvb_worker *w, char *why, size_t len)
{
	char line[128];

	if (w->cfg.placement_cpu >= 0)
		snprintf(line, sizeof(line), "stress-ng --cpu 1 --taskset %d --timeout 600s",
			 w->cfg.placement_cpu);
	else /* cleanup unpinned: every CPU */
		snprintf(line, sizeof(line), "stress-ng --cpu 0 --timeout 600s");
	snprintf(why, len, "%s", line);
	return corunner(s, w, line);
}

int pvb_fault_before(struct pvb_stress *s, struct pvb_worker *w)
{
	char why[256] = "";
	int rc = 0;

	switch (w->cfg.fault) {
	case PVB_FAULT_MEMORY_PRESSURE:
		rc = memory_pressure(s, w, why, sizeof(why));
		break;
	case PVB_FAULT_CPU_STARVE:
		rc = cpu_starve(s, w, why, sizeof(why));
		break;
	case PVB_FAULT_PREPARE_REFUSED:
		snprintf(why, sizeof(why), "async, --cleanup-start next-reboot: the slot is held");
		break;
	case PVB_FAULT_STORM:
		snprintf(why, sizeof(why), "%d guests rebooting together (the gate)",
			 w->cfg.guests);
		break;
	case PVB_FAULT_KILL: /* aimed at a phase, later (kills.c) */
		return pvb_kill_prepare(s, w) ? -1 : 0;
	default:
		return 0; /* a signal, later */
	}
	if (rc) {
		pvb_event(s, w->cfg.id, "fault", pvb_fault_names[w->cfg.fault], "skip", "%s", why);
		w->cfg.fault = PVB_FAULT_NONE;
		return 0;
	}
	s->faults[w->cfg.fault]++;
	w->fault_done = true;
	pvb_event(s, w->cfg.id, "fault", pvb_fault_names[w->cfg.fault], "injected", "%s", why);
	return 0;
}

/* The drawn moment: fault_row rows in, then fault_frac of the last reboot's duration. */
static bool due(const struct pvb_worker *w, uint64_t now)
{
	if (w->rows < w->cfg.fault_row || !w->t_last_row)
		return false;
	return now >= w->t_last_row + (uint64_t)(w->cfg.fault_frac * (double)w->last_row_gap);
}

void pvb_fault_tick(struct pvb_stress *s, struct pvb_worker *w)
{
	enum pvb_fault f = w->cfg.fault;
	uint64_t now = pvb_now_ns();
	int sig;

	if (w->exited || w->stopped ||
	    (f != PVB_FAULT_KILL && f != PVB_FAULT_INTERRUPT && f != PVB_FAULT_PERFORM_INTERRUPT))
		return;
	if (f == PVB_FAULT_KILL) {
		pvb_kill_tick(s, w);
		return;
	}
	if (f == PVB_FAULT_PERFORM_INTERRUPT) { /* again after every few rows */
		if (!due(w, now) || w->signals_sent >= w->rows)
			return;
		w->signals_sent = (int)w->rows + 1;
	} else if (w->fault_done || !due(w, now)) {
		return;
	}
	sig = f == PVB_FAULT_KILL      ? SIGKILL :
	      f == PVB_FAULT_INTERRUPT ? w->cfg.fault_signal :
					 PVDEV_PERFORM_SIGNAL;
	/* the worker's pid alone: its PERFORM or its own handlers, not a co-runner */
	if (kill(w->pid, sig) && errno != ESRCH) {
		pvb_perror("stress: signalling worker %d", w->cfg.id);
		return;
	}
	w->fault_done = true;
	s->faults[f]++;
	pvb_event(s, w->cfg.id, "fault", pvb_fault_names[f], "injected", "%s %.0f ms after row %ld",
		  strsignal(sig), (double)(now - w->t_last_row) / 1e6, w->rows);
}

void pvb_fault_after(struct pvb_stress *s, struct pvb_worker *w)
{
	int st;

	pvb_kill_after(s, w);
	if (!w->corunner)
		return;
	if (kill(-w->corunner, SIGKILL) && errno != ESRCH)
		pvb_perror("stress: stopping stress-ng");
	while (waitpid(w->corunner, &st, 0) < 0 && errno == EINTR)
		;
	w->corunner = 0;
}

/* What `pvbench stress` writes: events.csv (one row per reboot, fault, check and worker
 * end), stress.json (refreshed atomically), the progress line and the final table. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "backends/backend.h"
#include "parse.h"
#include "pvbench.h"
#include "reboot/config.h"
#include "stress_int.h"
#include "timing.h"

static const char *const event_cols[] = {
	"t_mono_ns", "t_wall_utc", "elapsed_s", "worker", "kind", "name", "result", "detail",
};
#define NCOLS (int)(sizeof(event_cols) / sizeof(event_cols[0]))

int pvb_events_open(struct pvb_stress *s)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/events.csv", s->a->out);
	snprintf(s->json_path, sizeof(s->json_path), "%s/stress.json", s->a->out);
	return pvb_csv_open(&s->events, path, event_cols, NCOLS) ? -1 : 0;
}

void pvb_events_close(struct pvb_stress *s)
{
	pvb_csv_close(&s->events);
}

static void wall(char *buf, size_t len)
{
	struct timeval tv;
	struct tm tm;
	char t[24];

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%03dZ", t, (int)(tv.tv_usec / 1000) % 1000);
}

static void vevent(struct pvb_stress *s, int worker, const char *kind, const char *name,
		   const char *result, const char *fmt, va_list ap)
{
	char mono[32], w[40], el[32], id[16], detail[1024];
	uint64_t now = pvb_now_ns();
	const char *f[NCOLS];

	snprintf(mono, sizeof(mono), "%llu", (unsigned long long)now);
	wall(w, sizeof(w));
	snprintf(el, sizeof(el), "%.3f", (double)(now - s->t0) / 1e9);
	snprintf(id, sizeof(id), "%d", worker);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	f[0] = mono;
	f[1] = w;
	f[2] = el;
	f[3] = worker < 0 ? "" : id;
	f[4] = kind;
	f[5] = name;
	f[6] = result;
	f[7] = detail;
	if (pvb_csv_write_row(&s->events, f))
		pvb_warn("stress: events.csv: a row was not written");
}

void pvb_event(struct pvb_stress *s, int worker, const char *kind, const char *name,
	       const char *result, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vevent(s, worker, kind, name, result, fmt, ap);
	va_end(ap);
}

void pvb_check_record(struct pvb_stress *s, int worker, enum pvb_check c, bool ok, const char *fmt,
		      ...)
{
	char detail[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	s->checks[c]++;
	if (!ok) {
		s->violated[c]++;
		s->stop_worker = true;
		pvb_err("stress: VIOLATION of %s in worker %d: %s", pvb_check_names[c], worker,
			detail);
	}
	pvb_event(s, worker, "check", pvb_check_names[c], ok ? "pass" : "violation", "%s", detail);
}

long pvb_violations(const struct pvb_stress *s)
{
	long n = 0;

	for (int c = 0; c < PVB_CHECK_COUNT; c++)
		n += s->violated[c];
	return n;
}

static json_t *args_json(const struct pvb_stress *s)
{
	const struct pvb_stress_args *a = s->a;
	json_t *o = json_object(), *sizes = json_array(), *argv = json_array();
	json_t *faults = json_array();

	for (int i = 0; i < a->nsizes; i++)
		json_array_append_new(sizes, json_integer((json_int_t)a->sizes[i]));
	for (int f = 0; f < PVB_FAULT_COUNT; f++)
		if (a->faults & (1u << f))
			json_array_append_new(faults, json_string(pvb_fault_names[f]));
	for (int i = 0; i < a->argc; i++)
		json_array_append_new(argv, json_string(a->argv[i]));
	json_object_set_new(o, "command_line", argv);
	json_object_set_new(o, "backend", json_string(a->backend));
	json_object_set_new(o, "duration_s",
			    a->duration_ns ? json_real((double)a->duration_ns / 1e9) : json_null());
	json_object_set_new(o, "reboots", a->reboots ? json_integer(a->reboots) : json_null());
	json_object_set_new(o, "sizes_bytes", sizes);
	json_object_set_new(o, "guests", json_integer(a->guests));
	json_object_set_new(o, "faults", faults);
	json_object_set_new(o, "mem_bound_ns", json_integer((json_int_t)a->mem_bound_ns));
	json_object_set_new(o, "mem_tolerance_bytes", json_integer((json_int_t)a->mem_tolerance));
	json_object_set_new(o, "pressure_max_bytes", json_integer((json_int_t)a->pressure_max));
	json_object_set_new(o, "plant",
			    a->plant ? json_string(pvb_plant_name(a->plant)) : json_null());
	return o;
}

int pvb_stress_write_json(struct pvb_stress *s)
{
	json_t *o = json_object(), *faults = json_object(), *checks = json_object();
	json_t *violated = json_object(), *skipped = json_object();
	double el = (double)(pvb_now_ns() - s->t0) / 1e9;
	int rc;

	for (int f = 0; f < PVB_FAULT_COUNT; f++) {
		json_object_set_new(faults, pvb_fault_names[f], json_integer(s->faults[f]));
		if (s->fault_skip[f][0])
			json_object_set_new(skipped, pvb_fault_names[f],
					    json_string(s->fault_skip[f]));
	}
	for (int c = 0; c < PVB_CHECK_COUNT; c++) {
		json_object_set_new(checks, pvb_check_names[c], json_integer(s->checks[c]));
		json_object_set_new(violated, pvb_check_names[c], json_integer(s->violated[c]));
	}
	json_object_set_new(o, "status", json_string(s->status));
	json_object_set_new(o, "seed", json_integer((json_int_t)s->a->seed));
	json_object_set_new(o, "elapsed_s", json_real(el));
	json_object_set_new(o, "reboots", json_integer(s->reboots));
	json_object_set_new(o, "reboots_per_s", json_real(el > 0 ? (double)s->reboots / el : 0));
	json_object_set_new(o, "workers", json_integer(s->workers));
	json_object_set_new(o, "faults", faults);
	json_object_set_new(o, "faults_skipped", skipped);
	json_object_set_new(o, "performs_interrupted", json_integer(s->performs_interrupted));
	json_object_set_new(o, "prepare_fallbacks", json_integer(s->fallbacks));
	pvb_kill_json(s, o);
	json_object_set_new(o, "checks", checks);
	json_object_set_new(o, "violated", violated);
	json_object_set_new(o, "violations", json_integer(pvb_violations(s)));
	json_object_set_new(o, "config", args_json(s));
	json_object_set_new(o, "git_rev", json_string(pvb_git_rev));
	json_object_set(o, "host", s->host ? s->host : json_null());
	rc = pvb_write_json_atomic(s->json_path, o);
	json_decref(o);
	s->t_json = pvb_now_ns();
	return rc;
}

static long total_faults(const struct pvb_stress *s)
{
	long n = 0;

	for (int f = 0; f < PVB_FAULT_COUNT; f++)
		n += s->faults[f];
	return n;
}

void pvb_stress_progress(struct pvb_stress *s, bool force)
{
	uint64_t now = pvb_now_ns();
	double el = (double)(now - s->t0) / 1e9, eta = -1;

	if (pvb_quiet || (!force && now - s->t_progress < 5000000000ULL))
		return;
	s->t_progress = now;
	if (s->a->duration_ns)
		eta = (double)s->a->duration_ns / 1e9 - el;
	else if (s->reboots > 0)
		eta = el / (double)s->reboots * (double)(s->a->reboots - s->reboots);
	fprintf(stderr,
		"pvbench stress: %.0f s elapsed, ETA %s%.0f s, %ld reboots (%.1f/s), %ld workers, "
		"%ld faults, %ld violations\n",
		el, eta < 0 ? "~" : "", eta < 0 ? 0 : eta, s->reboots,
		el > 0 ? (double)s->reboots / el : 0, s->workers, total_faults(s),
		pvb_violations(s));
}

void pvb_stress_table(const struct pvb_stress *s, FILE *f)
{
	double el = (double)(pvb_now_ns() - s->t0) / 1e9;

	fprintf(f,
		"pvbench stress: %s after %.1f s: %ld reboots (%.2f/s) in %ld workers, seed %llu\n",
		s->status, el, s->reboots, el > 0 ? (double)s->reboots / el : 0, s->workers,
		(unsigned long long)s->a->seed);
	fprintf(f, "%-20s %10s   %s\n", "fault", "injected", "note");
	for (int i = 0; i < PVB_FAULT_COUNT; i++)
		fprintf(f, "%-20s %10ld   %s\n", pvb_fault_names[i], s->faults[i],
			s->fault_skip[i][0] ? s->fault_skip[i] : "");
	fprintf(f, "%-20s %10ld   PERFORMs left on need_cleanup, all reaped\n", "  (interrupted)",
		s->performs_interrupted);
	fprintf(f, "%-20s %10ld   refused PREPAREs that fell back to DISABLE\n", "  (fallbacks)",
		s->fallbacks);
	pvb_kill_table(s, f);
	fprintf(f, "%-20s %10s %10s\n", "check", "checked", "violated");
	for (int c = 0; c < PVB_CHECK_COUNT; c++)
		fprintf(f, "%-20s %10ld %10ld\n", pvb_check_names[c], s->checks[c], s->violated[c]);
	/* A run that stopped on an error judged only part of what it was asked to. */
	fprintf(f, "verdict: %s (%ld violations)\n",
		pvb_violations(s)		   ? "FAIL" :
		strcmp(s->status, "complete") == 0 ? "pass" :
						     "incomplete",
		pvb_violations(s));
}

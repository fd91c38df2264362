/* The invariants of `pvbench stress`: pure judgements (unit-tested) and their application to
 * a worker once it has ended: old data, rows, meta.json, the model's accounting, drift,
 * leftovers and the exit it should have had. */
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pvbench.h"
#include "reboot/config.h"
#include "report/results.h"
#include "stress_int.h"

const char *const pvb_check_names[PVB_CHECK_COUNT] = {
	"old-data", "memory-back", "leftovers", "drift", "rows", "meta", "model", "exit",
};

static int64_t min_of(const int64_t *v, int from, int to)
{
	int64_t m = v[from];

	for (int i = from + 1; i < to; i++)
		if (v[i] < m)
			m = v[i];
	return m;
}

static int64_t max_of(const int64_t *v, int from, int to)
{
	int64_t m = v[from];

	for (int i = from + 1; i < to; i++)
		if (v[i] > m)
			m = v[i];
	return m;
}

int pvb_check_growth(const int64_t *v, int n, int warm, double pct, int64_t slack, double *drift)
{
	int k, m = n - warm;
	int64_t early, late, early_max;

	*drift = 0;
	if (warm < 0 || m < 6) /* two samples a third at least: one sample is one moment */
		return -1;
	k = m / 3 ? m / 3 : 1;
	early = min_of(v, warm, warm + k);
	early_max = max_of(v, warm, warm + k);
	late = min_of(v, n - k, n);
	*drift = early > 0 ? (double)(late - early) / (double)early : (late > early ? 1.0 : 0.0);
	/* still rising at the end: a warm-up that levels off (thread arenas, stacks and code
	 * paged in over the first rounds) is no leak */
	if (late <= max_of(v, n - 2 * k, n - k))
		return 0;
	return late > early_max && late - early > slack && *drift * 100.0 >= pct ? 1 : 0;
}

bool pvb_check_mem_back(const struct pvb_mem_level *base, const struct pvb_mem_level *now,
			int64_t tolerance, int64_t *missing)
{
	*missing = base->free - now->free;
	if (base->rss >= 0 && now->rss >= 0)
		*missing -= now->rss - base->rss;
	return base->free >= 0 && now->free >= 0 && *missing <= tolerance;
}

bool pvb_check_status(const char *status, int exit_code, bool killed, char *why, size_t len)
{
	static const char *const known[] = { "running", "complete", "interrupted", "failed" };
	const char *want = exit_code == 0   ? "complete" :
			   exit_code == 130 ? "interrupted" :
			   exit_code == 4   ? "skipped" :
					      "failed";

	if (killed) { /* the status the worker wrote last, which must be one of its own */
		for (size_t i = 0; status && i < sizeof(known) / sizeof(known[0]); i++)
			if (!strcmp(status, known[i]))
				return true;
		snprintf(why, len, "meta.json status '%s' is none a worker writes",
			 status ? status : "-");
		return false;
	}
	if (status && !strcmp(status, want))
		return true;
	snprintf(why, len, "meta.json status '%s' after exit %d, want '%s'", status ? status : "-",
		 exit_code, want);
	return false;
}

bool pvb_check_exit(enum pvb_fault f, int plant, bool stopped, int exit_code, bool killed)
{
	if (plant == PVB_PLANT_STALE)
		return exit_code == PVB_EXIT_VERIFY;
	if (f == PVB_FAULT_KILL && killed)
		return true;
	if ((f == PVB_FAULT_INTERRUPT || stopped) && exit_code == PVB_EXIT_INTERRUPTED)
		return true;
	return !killed && exit_code == 0;
}

/* Every row parses, with as many fields as the header and a whole reboot_ns. */
static void check_rows(struct pvb_stress *s, struct pvb_worker *w)
{
	char path[4200];
	struct pvb_table t;
	int n, col;

	snprintf(path, sizeof(path), "%s/iterations.csv", w->dir);
	n = pvb_csv_read(path, &t);
	if (n < 0) {
		pvb_check_record(s, w->cfg.id, PVB_CHECK_ROWS, false, "%s does not parse", path);
		return;
	}
	col = pvb_table_col(&t, "reboot_ns");
	for (int r = 1; r < t.nrows && col >= 0; r++) {
		char *end;

		strtoull(t.rows[r][col], &end, 10);
		if (!t.rows[r][col][0] || *end) {
			col = -2;
			break;
		}
	}
	/* and every row the supervisor saw complete as it was written is still there */
	pvb_check_record(s, w->cfg.id, PVB_CHECK_ROWS, n >= 1 && col >= 0 && n - 1 == w->rows,
			 "%d rows of %s (%ld seen complete while it ran)%s", n > 0 ? n - 1 : 0,
			 path, w->rows,
			 col == -2		    ? ": a reboot_ns that is not a number" :
			 col == -1		    ? ": no reboot_ns column" :
			 n >= 1 && n - 1 != w->rows ? ": rows lost or added" :
						      "");
	/* prepare-refused: the fallbacks the rows count */
	col = pvb_table_col(&t, "fallback");
	for (int r = 1; r < t.nrows && col >= 0; r++)
		s->fallbacks += atol(t.rows[r][col]);
	pvb_table_free(&t);
}

/* pv-emulated: nothing set aside and need_cleanup empty once the worker's VMs are gone. */
static void check_model(struct pvb_stress *s, struct pvb_worker *w, json_t *meta)
{
	json_t *m = json_object_get(meta, "pv_model");
	json_int_t left, need, before, need_before, old;

	if (!m) {
		pvb_check_record(s, w->cfg.id, PVB_CHECK_MODEL, false,
				 "meta.json has no pv_model accounting");
		return;
	}
	left = json_integer_value(json_object_get(m, "configs_left"));
	need = json_integer_value(json_object_get(m, "need_cleanup_left"));
	before = json_integer_value(json_object_get(m, "configs_left_before_release"));
	need_before = json_integer_value(json_object_get(m, "need_cleanup_before_release"));
	old = json_integer_value(json_object_get(m, "old_data_seen"));
	s->performs_interrupted +=
		(long)json_integer_value(json_object_get(m, "performs_interrupted"));
	pvb_check_record(s, w->cfg.id, PVB_CHECK_MODEL, !left && !need && before == need_before,
			 "configurations left %lld, need_cleanup left %lld; before the release "
			 "%lld configurations of which %lld on need_cleanup",
			 (long long)left, (long long)need, (long long)before,
			 (long long)need_before);
	if (old && w->exit_code != PVB_EXIT_VERIFY) /* else counted from the exit */
		pvb_check_record(s, w->cfg.id, PVB_CHECK_OLD_DATA, false,
				 "the model saw old data %lld times", (long long)old);
}

static void check_meta(struct pvb_stress *s, struct pvb_worker *w, bool pv_model)
{
	char path[4200], why[256] = "";
	json_error_t err;
	json_t *meta;

	snprintf(path, sizeof(path), "%s/meta.json", w->dir);
	meta = json_load_file(path, 0, &err);
	if (!meta) {
		pvb_check_record(s, w->cfg.id, PVB_CHECK_META, false, "%s: %s (line %d)", path,
				 err.text, err.line);
		return;
	}
	pvb_check_record(s, w->cfg.id, PVB_CHECK_META,
			 pvb_check_status(json_string_value(json_object_get(meta, "status")),
					  w->exit_code, w->killed, why, sizeof(why)),
			 "%s", why[0] ? why : "valid, status true");
	if (pv_model && !w->killed && !w->stopped)
		check_model(s, w, meta);
	json_decref(meta);
}

static void check_drift(struct pvb_stress *s, struct pvb_worker *w)
{
	double df, dt, dr;
	int f = pvb_check_growth(w->fds, w->nsamples, 1, 1.0, 0, &df);
	int t = pvb_check_growth(w->threads, w->nsamples, 1, 1.0, 0, &dt);
	/* RSS outside guest RAM climbs in steps for many rounds where rounds are slow (kvm on an
	 * emulated CPU: +3 MiB over 8 rounds, glibc arenas of new threads): 16 MiB of slack */
	int r = pvb_check_growth(w->rss, w->nsamples, 1, 1.0, 16 << 20, &dr);

	char series[512] = "";

	if (f < 0 || t < 0 || r < 0)
		return; /* too short-lived to judge */
	/* the series for the events.csv row, what rose or that it levelled: every sample, or
	 * the first 6 and the last 12 of a long one */
	for (int i = 0, at = 0; i < w->nsamples && at < (int)sizeof(series) - 40; i++) {
		if (w->nsamples > 18 && i == 6) {
			at += snprintf(series + at, sizeof(series) - (size_t)at, " ...");
			i = w->nsamples - 12;
		}
		at += snprintf(series + at, sizeof(series) - (size_t)at, "%s%lld/%lld/%lld",
			       i ? " " : "; fds/threads/RSS KiB: ", (long long)w->fds[i],
			       (long long)w->threads[i], (long long)(w->rss[i] >> 10));
	}
	pvb_check_record(s, w->cfg.id, PVB_CHECK_DRIFT, !f && !t && !r,
			 "%d samples: fds %+.2f %%, threads %+.2f %%, RSS %+.2f %%%s", w->nsamples,
			 df * 100, dt * 100, dr * 100, series);
}

static void check_leftovers(struct pvb_stress *s, struct pvb_worker *w, bool kvm)
{
	char why[512], path[64];
	pid_t self = getpid();
	int n;

	snprintf(path, sizeof(path), "/proc/%d", (int)w->pid);
	n = pvb_orphans(w->pid, why, sizeof(why));
	if (!access(path, F_OK))
		n++;
	if (!n && kvm)
		n = pvb_kvm_vm_holders(&self, 1, why, sizeof(why));
	pvb_check_record(s, w->cfg.id, PVB_CHECK_LEFTOVERS, n == 0, "%s%s",
			 n ? "left behind: " : "no process or VM left", n ? why : "");
}

void pvb_checks_worker_end(struct pvb_stress *s, struct pvb_worker *w)
{
	bool old = w->exit_code == PVB_EXIT_VERIFY;

	pvb_check_record(s, w->cfg.id, PVB_CHECK_EXIT,
			 w->stopped || pvb_check_exit(w->cfg.fault, w->cfg.plant, w->stopped,
						      w->exit_code, w->killed),
			 "%s %d (fault %s)", w->killed ? "killed, signal" : "exit",
			 w->killed ? 9 : w->exit_code,
			 w->cfg.fault < PVB_FAULT_COUNT ? pvb_fault_names[w->cfg.fault] : "none");
	pvb_check_record(s, w->cfg.id, PVB_CHECK_OLD_DATA, !old, "%s",
			 old ? "exit 3: a new guest saw old data" : "none seen");
	check_rows(s, w);
	check_meta(s, w, !strcmp(s->a->backend, "pv-emulated"));
	check_drift(s, w);
	check_leftovers(s, w, !strcmp(s->a->backend, "kvm"));
}

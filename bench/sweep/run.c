/* Running a sweep: every point validated first, then run in this process with the ledger
 * kept up to date, progress and ETA on stderr; resume; the summary and plots at the end. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "provenance.h"
#include "pvbench.h"
#include "reboot/config.h"
#include "reboot/reboot.h"
#include "report/plot.h"
#include "report/results.h"
#include "report/summary.h"
#include "backends/backend.h"
#include "sweep.h"
#include "timing.h"

static void utc_now(char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;

	if (!gmtime_r(&now, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, len, "unknown");
}

struct sweep {
	struct pvb_sweep_config cfg;
	char dir[4096];
	bool quiet, tty;
	int n;
	struct pvb_sweep_entry *e;
	json_t *meta;
	char meta_path[4200];
	double done_s; /* seconds taken by the points that completed, for the ETA */
	int ndone;
	bool drawn; /* a progress line waits on the terminal for its newline */
};

/*
 * Make a point's reboot configuration and, with run, run it in this process.
 * Returns an exit code (bad settings included), or -1 when the point is valid and run is false.
 */
static int reboot_point(struct sweep *s, const struct pvb_sweep_point *pt, bool run)
{
	struct pvb_reboot_config *rcfg = calloc(1, sizeof(*rcfg));
	bool quiet = pvb_quiet;
	int rc;

	if (!rcfg) {
		pvb_err("point %d: out of memory", pt->id);
		return PVB_EXIT_FAIL;
	}
	rc = pvb_sweep_point_config(&s->cfg, pt, s->dir, rcfg);
	if (rc < 0 && run)
		rc = pvb_reboot_run(rcfg);
	pvb_quiet = quiet;
	if (rc == PVB_EXIT_USAGE && !run) {
		char desc[512], *cmd = rcfg->argv ? pvb_sweep_command_line(rcfg->argv) : NULL;

		pvb_sweep_describe(&s->cfg, pt, desc, sizeof(desc));
		pvb_err("point %d of %d (%s) is not a valid reboot: %s", pt->id, s->n, desc,
			cmd ? cmd : "(out of memory)");
		free(cmd);
	}
	pvb_sweep_point_free(rcfg);
	free(rcfg);
	return rc;
}

/* Bad input fails before anything runs: every point's settings go through the table. */
static int validate_points(struct sweep *s)
{
	for (int i = 0; i < s->n; i++) {
		struct pvb_sweep_point pt;
		int rc;

		pvb_sweep_point_get(&s->cfg, i, &pt);
		rc = reboot_point(s, &pt, false);
		if (rc >= 0) {
			pvb_err("%s: nothing was run", s->cfg.name);
			return rc;
		}
	}
	return 0;
}

/* A valid point's command line, to free; NULL after a message. */
static char *point_command_line(struct sweep *s, const struct pvb_sweep_point *pt)
{
	struct pvb_reboot_config *rcfg = calloc(1, sizeof(*rcfg));
	bool quiet = pvb_quiet;
	char *cmd = NULL;

	if (rcfg && pvb_sweep_point_config(&s->cfg, pt, s->dir, rcfg) < 0)
		cmd = pvb_sweep_command_line(rcfg->argv);
	pvb_quiet = quiet;
	if (!cmd)
		pvb_err("out of memory");
	if (rcfg)
		pvb_sweep_point_free(rcfg);
	free(rcfg);
	return cmd;
}

static int dry_run(struct sweep *s, bool resume)
{
	int todo = 0;

	for (int i = 0; i < s->n; i++) {
		struct pvb_sweep_point pt;
		char *cmd;

		pvb_sweep_point_get(&s->cfg, i, &pt);
		cmd = point_command_line(s, &pt);
		if (!cmd)
			return PVB_EXIT_FAIL;
		if (resume)
			printf("%4d  %-8s  %s\n", i, pvb_sweep_status_name(s->e[i].status), cmd);
		else
			printf("%4d  %s\n", i, cmd);
		todo += s->e[i].status != PVB_PT_COMPLETE && s->e[i].status != PVB_PT_SKIPPED;
		free(cmd);
	}
	printf("%s: %d points, %d to run, into %s\n", s->cfg.name, s->n, todo, s->dir);
	return PVB_EXIT_OK;
}

static json_t *argv_json(int argc, char **argv)
{
	json_t *a = json_array();

	for (int i = 0; i < argc; i++)
		json_array_append_new(a, json_string(argv[i]));
	return a;
}

static bool exists(const char *dir, const char *name)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

static int start_new(struct sweep *s, int argc, char **argv, const char *config_path)
{
	static const char *const taken[] = { "sweep.json", "points.csv", "iterations.csv",
					     "meta.json" };
	char stamp[32];

	for (size_t i = 0; i < sizeof(taken) / sizeof(taken[0]); i++)
		if (exists(s->dir, taken[i])) {
			pvb_err("%s already holds a run (%s): choose another --out, or go on with "
				"--resume %s",
				s->dir, taken[i], s->dir);
			return PVB_EXIT_USAGE;
		}
	if (pvb_mkdirs(s->dir))
		return PVB_EXIT_USAGE;
	utc_now(stamp, sizeof(stamp));
	s->meta = json_object();
	json_object_set_new(s->meta, "schema_version", json_integer(PVB_SCHEMA_VERSION));
	json_object_set_new(s->meta, "pvbench_run", json_string("sweep"));
	json_object_set_new(s->meta, "run_id", json_string(s->cfg.run_id));
	json_object_set_new(s->meta, "host_label", json_string(s->cfg.host_label));
	json_object_set_new(s->meta, "status", json_string("running"));
	json_object_set_new(s->meta, "started_utc", json_string(stamp));
	json_object_set_new(s->meta, "version", json_string(PVB_VERSION));
	json_object_set_new(s->meta, "git_revision", json_string(pvb_git_rev));
	json_object_set_new(s->meta, "command_line", argv_json(argc, argv));
	json_object_set_new(s->meta, "config_file", json_string(config_path));
	json_object_set_new(s->meta, "config_text", json_string(s->cfg.text));
	json_object_set_new(s->meta, "config", pvb_sweep_config_json(&s->cfg));
	json_object_set_new(s->meta, "host", pvb_host_json());
	{
		/* A model among the backends: the sweep's own files and lines say so too. */
		bool em = false;

		for (int i = 0; i < s->cfg.nvalues[PVB_AX_BACKEND]; i++)
			em |= !strcmp(s->cfg.values[PVB_AX_BACKEND][i], "pv-emulated");
		json_object_set_new(s->meta, "emulated", json_boolean(em));
		if (em)
			pvb_log_tag = "pv-emulated MODEL";
	}
	json_object_set_new(s->meta, "resumed", json_array());
	if (pvb_write_json_atomic(s->meta_path, s->meta) ||
	    pvb_sweep_ledger_write(s->dir, &s->cfg, s->e, s->n))
		return PVB_EXIT_FAIL;
	return 0;
}

/* The config text a sweep started with, from its sweep.json (kept in s->meta). */
static const char *load_meta(struct sweep *s)
{
	json_error_t jerr;
	json_t *text;

	s->meta = json_load_file(s->meta_path, 0, &jerr);
	if (!s->meta) {
		pvb_err("--resume %s: cannot read %s: %s (line %d)", s->dir, s->meta_path,
			jerr.text, jerr.line);
		return NULL;
	}
	text = json_object_get(s->meta, "config_text");
	if (!json_is_string(text) || !json_is_array(json_object_get(s->meta, "resumed"))) {
		pvb_err("--resume %s: %s is not a sweep's (no config_text or resumed)", s->dir,
			s->meta_path);
		return NULL;
	}
	return json_string_value(text);
}

static time_t parse_utc(const char *s)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return end && !*end ? timegm(&tm) : (time_t)-1;
}

/* Drop what the points that did not complete left behind; seed the ETA. */
static int start_resume(struct sweep *s, int argc, char **argv)
{
	static const char *const csvs[] = { "iterations.csv", "timeline.csv" };
	json_t *entry = json_object();
	char stamp[32], path[4200];

	for (size_t i = 0; i < sizeof(csvs) / sizeof(csvs[0]); i++) {
		int dropped;

		snprintf(path, sizeof(path), "%s/%s", s->dir, csvs[i]);
		if (access(path, F_OK))
			continue;
		dropped = pvb_sweep_filter_rows(path, s->e, s->n);
		if (dropped < 0) {
			json_decref(entry);
			return PVB_EXIT_FAIL;
		}
		if (dropped)
			pvb_info("%s: dropped %d rows of points that did not complete", path,
				 dropped);
	}
	for (int i = 0; i < s->n; i++) {
		struct pvb_sweep_entry *e = &s->e[i];

		if (e->status == PVB_PT_COMPLETE) {
			time_t t0 = parse_utc(e->started), t1 = parse_utc(e->ended);

			if (t0 != (time_t)-1 && t1 >= t0) {
				s->done_s += (double)(t1 - t0);
				s->ndone++;
			}
			continue;
		}
		if (e->status == PVB_PT_SKIPPED)
			continue;
		snprintf(path, sizeof(path), "%s/points/%d.json", s->dir, i);
		if (unlink(path) && errno != ENOENT) {
			pvb_perror("removing %s", path);
			json_decref(entry);
			return PVB_EXIT_FAIL;
		}
		*e = (struct pvb_sweep_entry){ .status = PVB_PT_PENDING, .exit_code = -1 };
	}
	utc_now(stamp, sizeof(stamp));
	json_object_set_new(entry, "utc", json_string(stamp));
	json_object_set_new(entry, "command_line", argv_json(argc, argv));
	json_object_set_new(entry, "version", json_string(PVB_VERSION));
	json_object_set_new(entry, "git_revision", json_string(pvb_git_rev));
	json_object_set_new(entry, "host", pvb_host_json());
	json_array_append_new(json_object_get(s->meta, "resumed"), entry);
	json_object_set_new(s->meta, "status", json_string("running"));
	if (pvb_write_json_atomic(s->meta_path, s->meta) ||
	    pvb_sweep_ledger_write(s->dir, &s->cfg, s->e, s->n))
		return PVB_EXIT_FAIL;
	return 0;
}

static void fmt_duration(double sec, char *buf, size_t len)
{
	long t = (long)(sec + 0.5);

	if (t < 60)
		snprintf(buf, len, "%lds", t);
	else if (t < 3600)
		snprintf(buf, len, "%ldm%02lds", t / 60, t % 60);
	else
		snprintf(buf, len, "%ldh%02ldm", t / 3600, t / 60 % 60);
}

static void progress(struct sweep *s, const struct pvb_sweep_point *pt)
{
	char desc[512], eta[32] = "-", line[640];
	int todo = 0;

	if (s->quiet)
		return;
	for (int i = pt->id; i < s->n; i++)
		todo += s->e[i].status != PVB_PT_COMPLETE && s->e[i].status != PVB_PT_SKIPPED;
	if (s->ndone)
		fmt_duration(s->done_s / s->ndone * todo, eta, sizeof(eta));
	pvb_sweep_describe(&s->cfg, pt, desc, sizeof(desc));
	snprintf(line, sizeof(line), "[%d/%d] %s  ETA %s", pt->id + 1, s->n, desc, eta);
	if (s->tty) {
		struct winsize ws;
		int width = 80;

		if (!ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) && ws.ws_col > 1)
			width = ws.ws_col;
		/* A line that wraps could not be redrawn with \r. */
		if ((int)strlen(line) >= width)
			line[width - 1] = '\0';
		fprintf(stderr, "\r\033[K%s", line);
		s->drawn = true;
	} else {
		fprintf(stderr, "%s\n", line);
	}
	fflush(stderr);
}

static void end_progress(struct sweep *s)
{
	if (s->drawn)
		fputc('\n', stderr);
	s->drawn = false;
}

static int run_points(struct sweep *s)
{
	for (int i = 0; i < s->n; i++) {
		struct pvb_sweep_entry *e = &s->e[i];
		struct pvb_sweep_point pt;
		uint64_t t0;
		int rc;

		if (e->status == PVB_PT_COMPLETE || e->status == PVB_PT_SKIPPED)
			continue;
		if (pvb_interrupted)
			return PVB_EXIT_INTERRUPTED;
		pvb_sweep_point_get(&s->cfg, i, &pt);
		progress(s, &pt);
		e->status = PVB_PT_RUNNING;
		utc_now(e->started, sizeof(e->started));
		e->ended[0] = '\0';
		e->exit_code = -1;
		if (pvb_sweep_ledger_write(s->dir, &s->cfg, s->e, s->n))
			return PVB_EXIT_FAIL;
		t0 = pvb_now_ns();
		rc = reboot_point(s, &pt, true);
		utc_now(e->ended, sizeof(e->ended));
		e->exit_code = rc;
		e->status = rc == PVB_EXIT_OK	? PVB_PT_COMPLETE :
			    rc == PVB_EXIT_SKIP ? PVB_PT_SKIPPED :
						  PVB_PT_FAILED;
		if (pvb_sweep_ledger_write(s->dir, &s->cfg, s->e, s->n))
			return PVB_EXIT_FAIL;
		if (rc == PVB_EXIT_OK) {
			s->done_s += (double)(pvb_now_ns() - t0) / 1e9;
			s->ndone++;
		} else if (rc == PVB_EXIT_SKIP) {
			end_progress(s);
			pvb_warn("point %d skipped (see above); the sweep goes on", i);
		} else {
			end_progress(s);
			return rc;
		}
	}
	return PVB_EXIT_OK;
}

/* The ledger's tally, the status in sweep.json, summary.csv, the plots. */
static int finish(struct sweep *s, int rc)
{
	int count[PVB_SWEEP_NSTATUS] = { 0 };
	char stamp[32], path[4200];
	json_t *tally = json_object();
	const char *t0;
	time_t start;

	end_progress(s);
	for (int i = 0; i < s->n; i++)
		count[s->e[i].status]++;
	if (rc == PVB_EXIT_OK && !count[PVB_PT_COMPLETE] && count[PVB_PT_SKIPPED])
		rc = PVB_EXIT_SKIP;
	for (int st = 0; st < PVB_SWEEP_NSTATUS; st++)
		json_object_set_new(tally, pvb_sweep_status_name(st), json_integer(count[st]));
	utc_now(stamp, sizeof(stamp));
	json_object_set_new(s->meta, "status",
			    json_string(rc == PVB_EXIT_OK || rc == PVB_EXIT_SKIP ? "complete" :
					rc == PVB_EXIT_INTERRUPTED		 ? "interrupted" :
										   "failed"));
	json_object_set_new(s->meta, "ended_utc", json_string(stamp));
	t0 = json_string_value(json_object_get(s->meta, "started_utc"));
	start = t0 ? parse_utc(t0) : (time_t)-1;
	/* wall time since the start, pauses between resumes included */
	json_object_set_new(s->meta, "duration_s",
			    start == (time_t)-1 ? json_null() : json_integer(time(NULL) - start));
	json_object_set_new(s->meta, "points", tally);
	if (pvb_write_json_atomic(s->meta_path, s->meta))
		rc = rc ? rc : PVB_EXIT_FAIL;

	snprintf(path, sizeof(path), "%s/iterations.csv", s->dir);
	if (!access(path, F_OK)) {
		bool done = rc == PVB_EXIT_OK;

		if (pvb_summary_write(s->dir, done ? stdout : NULL)) {
			pvb_err("%s: summary.csv could not be written (see above)", s->dir);
			rc = rc ? rc : PVB_EXIT_FAIL;
		} else if (done && !pvb_plot_available()) {
			pvb_warn("gnuplot is not installed: no plots (apt-get install gnuplot-nox, "
				 "then pvbench plot %s)",
				 s->dir);
		} else if (done && pvb_plot_dir(s->dir)) {
			pvb_warn("the sweep is complete, but its plots failed (see above)");
		}
	}
	if (rc == PVB_EXIT_OK || rc == PVB_EXIT_SKIP)
		pvb_info("%s: %d points: %d complete, %d skipped; results in %s", s->cfg.name, s->n,
			 count[PVB_PT_COMPLETE], count[PVB_PT_SKIPPED], s->dir);
	else
		pvb_err("%s: stopped (exit %d) with %d of %d points complete; go on with: "
			"pvbench sweep --resume %s",
			s->cfg.name, rc, count[PVB_PT_COMPLETE], s->n, s->dir);
	return rc;
}

static int load_config(struct sweep *s, const char *config, bool resume)
{
	const char *stored;
	char *text;
	int rc;

	if (!resume)
		return pvb_sweep_parse_file(config, &s->cfg);
	stored = load_meta(s);
	if (!stored)
		return PVB_EXIT_USAGE;
	if (!config)
		return pvb_sweep_parse_string(stored, s->meta_path, &s->cfg);
	text = pvb_sweep_read_text(config);
	if (!text)
		return PVB_EXIT_USAGE;
	if (strcmp(text, stored)) {
		pvb_err("--resume %s: %s is not the configuration this sweep started with (see "
			"config_text in %s): resume without CONFIG, or start a new sweep",
			s->dir, config, s->meta_path);
		free(text);
		return PVB_EXIT_USAGE;
	}
	rc = pvb_sweep_parse_string(text, config, &s->cfg);
	free(text);
	return rc;
}

/* The results directory of a new sweep: --out, or one named after the time and the sweep. */
static void new_dir(struct sweep *s, const char *out)
{
	time_t now = time(NULL);
	struct tm tm;
	char stamp[32];

	if (out) {
		snprintf(s->dir, sizeof(s->dir), "%s", out);
	} else {
		gmtime_r(&now, &tm);
		strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
		snprintf(s->dir, sizeof(s->dir), "results/runs/%s-sweep-%s", stamp, s->cfg.name);
	}
	snprintf(s->meta_path, sizeof(s->meta_path), "%s/sweep.json", s->dir);
}

/* The ledger: every point pending, or as DIR/points.csv says on resume. */
static int load_ledger(struct sweep *s, bool resume)
{
	s->n = pvb_sweep_npoints(&s->cfg);
	s->e = calloc((size_t)s->n, sizeof(*s->e));
	if (!s->e) {
		pvb_err("out of memory");
		return PVB_EXIT_FAIL;
	}
	for (int i = 0; i < s->n; i++)
		s->e[i] = (struct pvb_sweep_entry){ .status = PVB_PT_PENDING, .exit_code = -1 };
	return resume ? pvb_sweep_ledger_read(s->dir, &s->cfg, s->e, s->n) : 0;
}

/* The sweep's host label and run id: on resume the ones sweep.json keeps (a sweep from before
 * them gets new ones, stored); else --host-label, [options]' host-label, the hostname. */
static int provenance(struct sweep *s, const struct pvb_sweep_args *a)
{
	const char *label = json_string_value(json_object_get(s->meta, "host_label"));
	const char *id = json_string_value(json_object_get(s->meta, "run_id"));

	if (label && a->host_label && strcmp(label, a->host_label)) {
		pvb_err("--resume %s: the sweep runs as host '%s', not '%s': leave out --host-label",
			s->dir, label, a->host_label);
		return PVB_EXIT_USAGE;
	}
	if (!label)
		label = a->host_label;
	for (int i = 0; !label && i < s->cfg.noptions; i++)
		if (!strcmp(s->cfg.options[i].key, "host-label"))
			label = s->cfg.options[i].value;
	if (label)
		snprintf(s->cfg.host_label, sizeof(s->cfg.host_label), "%s", label);
	else
		pvb_default_host_label(s->cfg.host_label, sizeof(s->cfg.host_label));
	if (id) {
		snprintf(s->cfg.run_id, sizeof(s->cfg.run_id), "%s", id);
		return 0;
	}
	if (pvb_new_run_id(s->cfg.host_label, time(NULL), s->cfg.run_id, sizeof(s->cfg.run_id)))
		return PVB_EXIT_FAIL;
	if (s->meta) { /* a resumed sweep from before run ids */
		json_object_set_new(s->meta, "run_id", json_string(s->cfg.run_id));
		json_object_set_new(s->meta, "host_label", json_string(s->cfg.host_label));
	}
	return 0;
}

int pvb_sweep_main(const struct pvb_sweep_args *a)
{
	struct sweep s = { .tty = isatty(STDERR_FILENO) == 1, .quiet = a->quiet };
	int rc;

	if (a->resume)
		snprintf(s.dir, sizeof(s.dir), "%s", a->resume);
	snprintf(s.meta_path, sizeof(s.meta_path), "%s/sweep.json", s.dir);
	rc = load_config(&s, a->config, a->resume != NULL);
	if (rc)
		goto out;
	if (!a->resume)
		new_dir(&s, a->out);
	if ((rc = provenance(&s, a)))
		goto out;
	if ((rc = load_ledger(&s, a->resume != NULL)) || (rc = validate_points(&s)))
		goto out;
	if (a->dry_run) {
		rc = dry_run(&s, a->resume != NULL);
		goto out;
	}
	rc = a->resume ? start_resume(&s, a->argc, a->argv) :
			 start_new(&s, a->argc, a->argv, a->config);
	if (rc)
		goto out;
	pvb_info("sweep %s: %d points, results in %s", s.cfg.name, s.n, s.dir);
	rc = finish(&s, run_points(&s));
out:
	json_decref(s.meta);
	free(s.e);
	pvb_sweep_config_free(&s.cfg);
	return rc;
}

/* `pvbench reboot`: a run, in named steps. It chooses the backend, checks every point
 * before anything runs, opens the results, starts the cleanup threads, the memory sampler and
 * the co-runner load, then goes through the points: for each size the host references, and
 * for each vCPU count the floor and each mode's reboots (lane.c), all guests side by side;
 * last it closes everything and writes meta.json, the summary and the plots. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parse.h"
#include "phase.h"
#include "report/plot.h"
#include "pvbench.h"
#include "reboot.h"
#include "backends/pvem/pvem.h"
#include "reboot_int.h"
#include "report/summary.h"

/* --backend auto: the first backend of the table whose probe accepts the first point; each
 * one passed over is named with the reason. */
static const struct pvb_backend_ops *pick_backend(struct run *r)
{
	const struct pvb_backend_ops *o;

	for (int i = 0; (o = pvb_backend_at(i)); i++) {
		struct pvb_guest_params p;
		char why[1024] = "";

		if (pvb_backend_check(o))
			continue;
		pvb_run_fill_params(r, &p, r->cfg->sizes[0], r->cfg->vcpus[0], 0);
		if (!pvb_backend_probe(o, &p, why, sizeof(why))) {
			pvb_info("--backend auto: %s", o->name);
			return o;
		}
		pvb_info("--backend auto: not %s: %s", o->name, why);
	}
	return NULL;
}

static int choose_backend(struct run *r)
{
	const char *name = r->cfg->backend;
	bool is_auto = !strcmp(name, "auto");

	r->ops = is_auto ? pick_backend(r) : pvb_backend_find(name);
	if (!r->ops) {
		pvb_err(is_auto ? "--backend %s: no backend can run here (reasons above)" :
				  "unknown backend '%s'",
			name);
		return PVB_EXIT_USAGE;
	}
	if (pvb_backend_check(r->ops))
		return PVB_EXIT_FAIL;
	if (r->ops->emulated)
		pvb_log_tag = "pv-emulated MODEL";
	return 0;
}

static struct run *new_run(const struct pvb_reboot_config *cfg)
{
	struct run *r = calloc(1, sizeof(*r));

	if (!r) {
		pvb_err("out of memory");
		return NULL;
	}
	if (pvb_gate_init(&r->gate)) {
		free(r);
		return NULL;
	}
	r->cfg = cfg;
	r->vmstat.fd = -1;
	pthread_mutex_init(&r->rows_lock, NULL);
	return r;
}

/* Release what pvb_reboot_run set up; every part knows whether it was started. */
static void free_run(struct run *r)
{
	hwloc_bitmap_free(r->cleanup_set);
	if (r->topo)
		hwloc_topology_destroy(r->topo);
	pthread_mutex_destroy(&r->rows_lock);
	pvb_gate_destroy(&r->gate);
	pvb_target_free(r);
	json_decref(r->meta);
	free(r);
}

/* The results directory (a new one, unless appending to a sweep's) and iterations.csv;
 * a point of a sweep keeps its meta.json under points/. */
static int open_results(struct run *r)
{
	const struct pvb_reboot_config *cfg = r->cfg;
	char path[4200];

	snprintf(path, sizeof(path), "%s/iterations.csv", cfg->out_dir);
	if (!cfg->append && access(path, F_OK) == 0) {
		pvb_err("--out %s already holds a run: choose another directory", cfg->out_dir);
		return PVB_EXIT_USAGE;
	}
	if (pvb_mkdirs(cfg->out_dir))
		return PVB_EXIT_USAGE;
	if (cfg->point >= 0) {
		snprintf(r->meta_path, sizeof(r->meta_path), "%s/points", cfg->out_dir);
		if (pvb_mkdirs(r->meta_path))
			return PVB_EXIT_FAIL;
		snprintf(r->meta_path, sizeof(r->meta_path), "%s/points/%ld.json", cfg->out_dir,
			 cfg->point);
	} else {
		snprintf(r->meta_path, sizeof(r->meta_path), "%s/meta.json", cfg->out_dir);
	}
	return pvb_csv_open(&r->csv, path, pvb_iteration_cols, C_NCOLS) ? PVB_EXIT_FAIL : 0;
}

/* Everything that runs beside the reboots: timeline.csv, the cleanup threads, the sampler,
 * the load; then meta.json says "running". */
static int start_services(struct run *r)
{
	const struct pvb_reboot_config *cfg = r->cfg;
	char path[4200];
	int rc;

	if ((rc = pvb_counters_start(r)))
		return rc;
	if (cfg->phase_file[0] && (rc = pvb_phase_open(cfg->phase_file, cfg->guests)))
		return rc;
	if (cfg->timeline) {
		snprintf(path, sizeof(path), "%s/timeline.csv", cfg->out_dir);
		if (pvb_csv_open(&r->timeline, path, pvb_timeline_cols, pvb_timeline_ncols))
			return PVB_EXIT_FAIL;
		r->timeline_open = true;
	}
	for (int g = 0; g < cfg->guests; g++) {
		r->lanes[g].r = r;
		r->lanes[g].id = g;
		if ((rc = pvb_cleaner_start(&r->lanes[g].cleaner, r->ops, r->topo, r->cleanup_set,
					    g)))
			return rc;
		r->lanes[g].cleaner.vmstat = r->vmstat.fd >= 0 ? &r->vmstat : NULL;
	}
	if (pvb_sampler_start(&r->sampler, cfg->sample_interval_ns))
		return PVB_EXIT_FAIL;
	if ((rc = pvb_run_start_load(r)) || (rc = pvb_run_write_meta(r, "running")))
		return rc;
	pvb_info("results in %s", cfg->out_dir);
	return 0;
}

/* Every point of size s: host references, then for each vCPU count the floor and the modes.
 * The mode that goes first alternates from point to point, so that a drift in the host does
 * not always favour the same mode. */
static int run_size(struct run *r, int s, int *point)
{
	const struct pvb_reboot_config *cfg = r->cfg;
	int rc = pvb_host_reference(r, cfg->sizes[s]);

	for (int v = 0; v < cfg->nvcpus && !rc; v++, (*point)++) {
		if (cfg->floor)
			rc = pvb_floor_point(r, cfg->sizes[s], cfg->vcpus[v]);
		for (int m = 0; m < cfg->nmodes && !rc; m++) {
			int k = *point % 2 ? cfg->nmodes - 1 - m : m;

			rc = pvb_reboot_point(r, cfg->sizes[s], cfg->vcpus[v], cfg->modes[k]);
		}
	}
	return rc;
}

static int run_points(struct run *r)
{
	const struct pvb_reboot_config *cfg = r->cfg;
	int rc = 0;

	for (int s = 0, point = 0; s < cfg->nsizes && !rc; s++) {
		rc = run_size(r, s, &point);
		if (r->rows && cfg->point < 0 && pvb_summary_write(cfg->out_dir, NULL))
			rc = rc ? rc : PVB_EXIT_FAIL;
	}
	if (pvb_interrupted && (!rc || rc == PVB_EXIT_FAIL))
		rc = PVB_EXIT_INTERRUPTED;
	return rc;
}

/* pv-emulated: the model's accounting around the release of the lanes' VMs, in meta.json's
 * pv_model (what `pvbench stress` checks: nothing set aside, need_cleanup empty at the end). */
static void model_accounting(struct run *r, const struct pvem_totals *before)
{
	struct pvem_totals t;
	json_t *o;

	if (!r->meta || !r->ops->emulated)
		return;
	pvem_totals(&t);
	o = json_object();
	json_object_set_new(o, "configs_left_before_release", json_integer(before->configs_live));
	json_object_set_new(o, "need_cleanup_before_release",
			    json_integer((json_int_t)(before->performs_interrupted -
						      before->need_cleanup_reaped)));
	json_object_set_new(o, "configs_left", json_integer(t.configs_live));
	json_object_set_new(
		o, "need_cleanup_left",
		json_integer((json_int_t)(t.performs_interrupted - t.need_cleanup_reaped)));
	json_object_set_new(o, "performs_interrupted",
			    json_integer((json_int_t)t.performs_interrupted));
	json_object_set_new(o, "need_cleanup_reaped",
			    json_integer((json_int_t)t.need_cleanup_reaped));
	json_object_set_new(o, "old_data_seen", json_integer((json_int_t)t.old_data_seen));
	json_object_set_new(r->meta, "pv_model", o);
}

static void close_run(struct run *r)
{
	struct pvem_totals before;

	pvem_totals(&before);
	pvb_backend_release(r->ops);
	model_accounting(r, &before);
	for (int g = 0; g < r->cfg->guests; g++)
		pvb_cleaner_stop(&r->lanes[g].cleaner);
	pvb_phase_close(); /* every lane and cleanup thread has ended */
	pvb_sampler_stop(&r->sampler);
	pvb_run_stop_load(r);
	pvb_csv_close(&r->csv);
	if (r->timeline_open)
		pvb_csv_close(&r->timeline);
	pvb_counters_stop(r);
}

/* The run's end: meta.json's final status, the summary table and the plots (not for a
 * sweep's point: the sweep writes them). Returns rc, or the first failure here. */
static int finish_run(struct run *r, int rc)
{
	const struct pvb_reboot_config *cfg = r->cfg;

	if (r->meta && pvb_run_write_meta(r, rc == 0			? "complete" :
					     rc == PVB_EXIT_INTERRUPTED ? "interrupted" :
					     rc == PVB_EXIT_SKIP	? "skipped" :
									  "failed"))
		rc = rc ? rc : PVB_EXIT_FAIL;
	if (r->rows && cfg->point < 0) {
		if (pvb_summary_write(cfg->out_dir, stdout))
			rc = rc ? rc : PVB_EXIT_FAIL;
		if (cfg->plot && rc == 0 && pvb_plot_dir(cfg->out_dir)) {
			pvb_err("the run is complete, but its plots failed (see above)");
			rc = PVB_EXIT_FAIL;
		}
	}
	if (rc == PVB_EXIT_INTERRUPTED)
		pvb_err("interrupted: %d completed rows kept in %s", r->rows, cfg->out_dir);
	return rc;
}

int pvb_reboot_run(const struct pvb_reboot_config *cfg)
{
	struct run *r = new_run(cfg);
	int rc;

	if (!r)
		return PVB_EXIT_FAIL;
	if ((rc = choose_backend(r)) || (rc = pvb_run_preflight(r)) ||
	    (rc = pvb_run_resolve_placement(r)) || (rc = open_results(r))) {
		free_run(r);
		return rc;
	}
	rc = start_services(r);
	if (!rc)
		rc = run_points(r);
	close_run(r);
	rc = finish_run(r, rc);
	free_run(r);
	return rc;
}

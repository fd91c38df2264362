/* What the reboot loop stands on: the guest parameters from the configuration, the checks
 * before anything runs, thread placement, the co-runner load and meta.json. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parse.h"
#include "provenance.h"
#include "host/placement.h"
#include "report/plot.h"
#include "pvbench.h"
#include "reboot_int.h"

void pvb_run_fill_params(struct run *r, struct pvb_guest_params *p, uint64_t size, int vcpus,
			 int lane)
{
	const struct pvb_reboot_config *c = r->cfg;

	memset(p, 0, sizeof(*p));
	p->lane = lane;
	p->mem_limit = c->mem_limit;
	p->se_image = c->se_image[0] ? c->se_image : NULL;
	p->se_header = c->se_header[0] ? c->se_header : NULL;
	p->payload = c->payload[0] ? c->payload : NULL;
	p->se_tweak = c->se_tweak;
	p->pv_costs = c->pv_costs[0] ? c->pv_costs : NULL;
	p->pv_misc = c->pv_misc;
	p->size = size;
	p->vcpus = vcpus;
	p->backing = c->backing;
	p->touch = c->touch;
	p->order = c->order;
	p->seed = c->seed;
	p->verify_clean = c->verify_clean;
	p->scrub = c->scrub;
	p->debug_dirty = c->debug_dirty;
	p->cleanup_threads = c->cleanup_threads;
	p->perf = c->perf;
	p->release = c->release;
	p->mem = r->mem.mode == PVB_MEM_DEFAULT ? NULL : &r->mem;
	p->vcpu0_cpus = r->pin_vcpu0 ? &r->vcpu0_cpus : NULL;
}

/* The options that do not depend on the point: --plot, --guests, --mem-policy, --load. */
static int check_options(struct run *r, char *note, size_t len)
{
	const struct pvb_reboot_config *cfg = r->cfg;
	char why[512];
	int rc;

	if (cfg->plot && !pvb_plot_available()) {
		pvb_err("--plot needs gnuplot: install it (scripts/setup.sh, or apt-get install "
			"gnuplot-nox), or leave out --plot");
		return PVB_EXIT_USAGE;
	}
	if (cfg->guests > (int)(sizeof(r->lanes) / sizeof(r->lanes[0]))) {
		pvb_err("--guests %d: at most 64", cfg->guests);
		return PVB_EXIT_USAGE;
	}
	if (pvb_mempolicy_parse(cfg->mem_policy, &r->mem, why, sizeof(why))) {
		pvb_err("%s", why);
		return PVB_EXIT_USAGE;
	}
	if ((rc = pvb_mempolicy_check(&r->mem, why, sizeof(why), note, len))) {
		pvb_err("%s%s", rc == PVB_EXIT_SKIP ? "skipped: " : "", why);
		return rc;
	}
	if (strcmp(cfg->load, "none") && (rc = pvb_load_parse(cfg->load, &r->load)))
		return rc;
	return 0;
}

/* Every size must fit, with every vCPU count, before anything runs: bad input fails fast. */
static int check_size(struct run *r, uint64_t size, bool async, int64_t avail)
{
	const struct pvb_reboot_config *cfg = r->cfg;
	uint64_t peak = (async ? 2 : 1) * size * (uint64_t)cfg->guests;
	char human[32], why[512];
	int rc;

	pvb_format_size(size, human, sizeof(human));
	for (int v = 0; v < cfg->nvcpus; v++) {
		struct pvb_guest_params p;

		pvb_run_fill_params(r, &p, size, cfg->vcpus[v], 0);
		rc = pvb_backend_probe(r->ops, &p, why, sizeof(why));
		if (rc) {
			pvb_err("%s%s", rc == PVB_EXIT_SKIP ? "skipped: " : "", why);
			return rc;
		}
	}
	if (avail >= 0 && peak + cfg->headroom > (uint64_t)avail) {
		pvb_err("--size %s: the run needs %llu MiB at its peak (%s%s) plus %llu MiB "
			"headroom, but only %llu MiB are available: use a smaller size, "
			"fewer guests, --mode sync, or a smaller --headroom",
			human, (unsigned long long)(peak >> 20),
			async ? "old and new guest together during an async reboot" : "one guest",
			cfg->guests > 1 ? ", for every guest" : "",
			(unsigned long long)(cfg->headroom >> 20),
			(unsigned long long)((uint64_t)avail >> 20));
		return PVB_EXIT_USAGE;
	}
	if (cfg->backing == PVB_BACKING_HUGETLB) {
		int64_t free2m = pvb_hugetlb_free_2m();

		if (free2m < 0 || (uint64_t)free2m * 2 * PVB_MIB < peak) {
			pvb_err("skipped: --backing hugetlb needs %llu free 2 MiB huge pages for "
				"--size %s, the pool has %lld: reserve them with 'echo N > "
				"/proc/sys/vm/nr_hugepages'",
				(unsigned long long)(peak >> 21), human, (long long)free2m);
			return PVB_EXIT_SKIP;
		}
	}
	return 0;
}

/* meta.json as far as the checks know it. */
static void meta_begin(struct run *r, const char *note)
{
	const struct pvb_reboot_config *cfg = r->cfg;
	struct pvb_guest_params p;
	json_t *mp = json_object(), *backend;

	char stamp[32];

	r->meta = json_object();
	r->started = time(NULL);
	pvb_utc_iso(r->started, stamp, sizeof(stamp));
	json_object_set_new(r->meta, "schema_version", json_integer(PVB_SCHEMA_VERSION));
	json_object_set_new(r->meta, "pvbench_run", json_string("reboot"));
	json_object_set_new(r->meta, "run_id", json_string(cfg->run_id));
	json_object_set_new(r->meta, "host_label", json_string(cfg->host_label));
	json_object_set_new(r->meta, "started_utc", json_string(stamp));
	json_object_set_new(r->meta, "emulated", json_boolean(r->ops->emulated));
	json_object_set_new(r->meta, "backend_used", json_string(r->ops->name));
	json_object_set_new(r->meta, "host", pvb_host_json());
	json_object_set_new(r->meta, "config", pvb_reboot_config_json(cfg));
	pvb_run_fill_params(r, &p, cfg->sizes[0], cfg->vcpus[0], 0);
	if ((backend = pvb_backend_describe(r->ops, &p)))
		json_object_set_new(r->meta, "backend", backend);
	json_object_set_new(mp, "requested", json_string(r->mem.name));
	json_object_set_new(mp, "note", note[0] ? json_string(note) : json_null());
	json_object_set_new(r->meta, "mem_policy", mp);
}

int pvb_run_preflight(struct run *r)
{
	const struct pvb_reboot_config *cfg = r->cfg;
	int64_t avail = pvb_mem_available();
	char note[512];
	bool async = false;
	int rc;

	for (int m = 0; m < cfg->nmodes; m++)
		async |= cfg->modes[m] == PVB_MODE_ASYNC;
	if ((rc = check_options(r, note, sizeof(note))))
		return rc;
	for (int s = 0; s < cfg->nsizes; s++)
		if ((rc = check_size(r, cfg->sizes[s], async, avail)))
			return rc;
	meta_begin(r, note);
	if (note[0])
		pvb_warn("%s", note);
	return 0;
}

/* Resolve --placement for the cleanup threads (vCPU 0 goes to the reference PU), so that
 * an unsatisfiable policy is a skip before anything runs. */
int pvb_run_resolve_placement(struct run *r)
{
	const struct pvb_reboot_config *cfg = r->cfg;
	struct pvb_placement pl;
	hwloc_bitmap_t ref = NULL, set = NULL;
	char err[512], why[1024] = "", main_cpus[256] = "";
	int rc;

	if ((rc = pvb_topology_load(&r->topo, NULL, err, sizeof(err)))) {
		pvb_err("%s", err);
		return rc;
	}
	if ((rc = pvb_placement_parse(cfg->placement, &pl, err, sizeof(err)))) {
		pvb_err("--placement: %s", err);
		return rc;
	}
	ref = hwloc_bitmap_alloc();
	set = hwloc_bitmap_alloc();
	if (!ref || !set) {
		rc = PVB_EXIT_FAIL;
		goto out;
	}
	if (cfg->ref_cpu >= 0) {
		hwloc_bitmap_only(ref, (unsigned int)cfg->ref_cpu);
		if (!hwloc_bitmap_isincluded(ref, hwloc_topology_get_allowed_cpuset(r->topo))) {
			pvb_err("--ref-cpu %d: that CPU is not online or not in this process's cpuset "
				"(see pvbench topo)",
				cfg->ref_cpu);
			rc = PVB_EXIT_USAGE;
			goto out;
		}
	} else {
		hwloc_bitmap_only(ref, (unsigned int)hwloc_bitmap_first(
					       hwloc_topology_get_allowed_cpuset(r->topo)));
	}
	rc = pvb_placement_resolve(r->topo, &pl, ref, set, why, sizeof(why));
	if (rc) {
		pvb_err("%s%s", rc == PVB_EXIT_SKIP ? "skipped: " : "", why);
		goto out;
	}
	if (pl.policy != PVB_PL_UNPINNED) {
		r->cleanup_set = set;
		set = NULL;
		r->pin_vcpu0 = true;
		CPU_ZERO(&r->vcpu0_cpus);
		CPU_SET(hwloc_bitmap_first(ref), &r->vcpu0_cpus);
	}
	pvb_current_thread_cpuset(r->topo, main_cpus, sizeof(main_cpus));
	pvb_info("placement: %s", why);
	{
		json_t *o = json_object();
		char buf[256];

		json_object_set_new(o, "policy", json_string(pl.name));
		hwloc_bitmap_list_snprintf(buf, sizeof(buf), ref);
		json_object_set_new(o, "reference_pu", json_string(buf));
		json_object_set_new(o, "resolution", json_string(why));
		json_object_set_new(o, "vcpu0_pinned_to_reference", json_boolean(r->pin_vcpu0));
		json_object_set_new(o, "main_thread_cpus", json_string(main_cpus));
		json_object_set_new(r->meta, "placement", o);
	}
out:
	hwloc_bitmap_free(ref);
	hwloc_bitmap_free(set);
	return rc;
}

int pvb_run_start_load(struct run *r)
{
	struct pvb_placement pl;
	hwloc_bitmap_t ref, set;
	char why[1024], path[4200];
	int rc;

	if (!strcmp(r->cfg->load, "none"))
		return 0;
	if ((rc = pvb_placement_parse(r->load.placement, &pl, why, sizeof(why)))) {
		pvb_err("--load %s: placement: %s", r->load.name, why);
		return rc;
	}
	ref = hwloc_bitmap_alloc();
	set = hwloc_bitmap_alloc();
	if (!ref || !set) {
		hwloc_bitmap_free(ref);
		hwloc_bitmap_free(set);
		return PVB_EXIT_FAIL;
	}
	/* The same reference PU as the cleanup placement: vCPU 0's when pinned. */
	hwloc_bitmap_only(
		ref, (unsigned int)hwloc_bitmap_first(hwloc_topology_get_allowed_cpuset(r->topo)));
	for (int i = 0; r->pin_vcpu0 && i < CPU_SETSIZE; i++)
		if (CPU_ISSET(i, &r->vcpu0_cpus))
			hwloc_bitmap_only(ref, (unsigned int)i);
	rc = pvb_placement_resolve(r->topo, &pl, ref, set, why, sizeof(why));
	if (rc) {
		pvb_err("%s--load %s: %s", rc == PVB_EXIT_SKIP ? "skipped: " : "", r->load.name,
			why);
	} else {
		snprintf(path, sizeof(path), "%s/load-%s%s%ld.log", r->cfg->out_dir, r->load.name,
			 r->cfg->point >= 0 ? "-point" : "",
			 r->cfg->point >= 0 ? r->cfg->point : 0L);
		rc = pvb_load_start(&r->load, pl.policy == PVB_PL_UNPINNED ? NULL : set, path);
	}
	hwloc_bitmap_free(ref);
	hwloc_bitmap_free(set);
	if (!rc) {
		r->load_running = true;
		pvb_info("load %s: stress-ng %s on CPUs %s", r->load.name, r->load.args,
			 r->load.cpus);
		json_object_set_new(r->meta, "load", pvb_load_json(&r->load));
	}
	return rc;
}

void pvb_run_stop_load(struct run *r)
{
	if (r->load_running) {
		pvb_load_stop(&r->load);
		r->load_running = false;
	}
}

int pvb_run_write_meta(struct run *r, const char *status)
{
	time_t now = time(NULL);
	json_t *cpus = json_array();
	struct tm tm;
	char stamp[32];

	for (int g = 0; g < r->cfg->guests; g++)
		json_array_append_new(cpus, json_string(r->lanes[g].cleaner.cpus));
	json_object_set_new(r->meta, "cleanup_thread_cpus", cpus);
	json_object_set_new(r->meta, "status", json_string(status));
	json_object_set_new(r->meta, "rows", json_integer(r->rows));
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_set_new(r->meta, "updated_utc", json_string(stamp));
	pvb_counters_meta(r);
	/* the end: once the status is no longer "running" */
	json_object_set_new(r->meta, "ended_utc",
			    strcmp(status, "running") ? json_string(stamp) : json_null());
	json_object_set_new(r->meta, "duration_s",
			    strcmp(status, "running") ? json_integer(now - r->started) :
							json_null());
	return pvb_write_json_atomic(r->meta_path, r->meta) ? PVB_EXIT_FAIL : 0;
}

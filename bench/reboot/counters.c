/* The kernel counters of a run (their part of reboot_int.h): /proc/vmstat deltas of each
 * reboot and of each destroy, --perf's counters per thread role (the lane: the critical
 * path; the new guest's vCPUs: alive to populated; the cleanup thread: the destroy), the
 * lanes' names and --trace-marker's phase boundaries; their columns and meta.json. Every
 * read happens outside the timed windows of a reboot (before the request, after an event
 * the vCPU threads timestamp themselves) or beside them (the destroy's own timing); only in
 * sync mode do the cleanup thread's reads fall inside teardown_ns. */
#include <string.h>

#include "host/threads.h"
#include "host/tracemark.h"
#include "phase.h"
#include "pvbench.h"
#include "reboot_int.h"

/* The column groups are in the lists' order (columns.h, vmstat.h, perfctr.h). */
_Static_assert(C_VMR_NUMA_FOREIGN - C_VMR_PGFAULT == PVB_VM_N - 1, "vmstat_reboot_ columns");
_Static_assert(C_VMC_NUMA_FOREIGN - C_VMC_PGFAULT == PVB_VM_N - 1, "vmstat_cleanup_ columns");
_Static_assert(C_VMA_NUMA_FOREIGN - C_VMA_PGFAULT == PVB_VM_N - 1, "vmstat_crit_ columns");
_Static_assert(C_PFV_CACHE_MISSES - C_PFV_TASK_CLOCK == PVB_PERF_N - 1, "perf_vcpu_ columns");
_Static_assert(C_PFM_CACHE_MISSES - C_PFM_TASK_CLOCK == PVB_PERF_N - 1, "perf_main_ columns");
_Static_assert(C_PFC_CACHE_MISSES - C_PFC_TASK_CLOCK == PVB_PERF_N - 1, "perf_cleanup_ columns");

int pvb_counters_start(struct run *r)
{
	const struct pvb_reboot_config *cfg = r->cfg;

	pvb_threads_reset(); /* a sweep runs its points in one process: this run's threads */
	pvb_thread_name("main", "pvbench");
	if (pvb_vmstat_open(&r->vmstat, NULL))
		pvb_warn("no vmstat_* columns (see above)");
	pvb_perf_setup(cfg->perf);
	pvb_trace_setup(cfg->trace_marker);
	return 0;
}

void pvb_counters_stop(struct run *r)
{
	pvb_vmstat_close(&r->vmstat);
	pvb_trace_close();
}

void pvb_counters_meta(struct run *r)
{
	json_t *vm = json_object(), *absent = json_array(), *perf;

	for (int i = 0; i < PVB_VM_N; i++)
		if (!r->vmstat.present[i])
			json_array_append_new(absent, json_string(pvb_vmstat_names[i]));
	json_object_set_new(vm, "source", json_string("/proc/vmstat (system-wide)"));
	json_object_set_new(vm, "open", json_boolean(r->vmstat.opened));
	json_object_set_new(vm, "absent", absent);
	json_object_set_new(vm, "windows",
			    json_pack("{s:s, s:s, s:s}", "vmstat_reboot_",
				      "the lane before the reboot request to the new guest "
				      "populated",
				      "vmstat_cleanup_", "the cleanup thread: the destroy",
				      "vmstat_crit_",
				      "the critical path: the lane before the reboot request (a "
				      "floor: before its create) to the new guest alive"));
	json_object_set_new(r->meta, "vmstat", vm);
	perf = pvb_perf_json();
	json_object_set_new(perf, "windows",
			    json_pack("{s:s, s:s, s:s}", "perf_main_",
				      "the lane thread, before the reboot request to the new "
				      "guest alive",
				      "perf_vcpu_",
				      "the new guest's vCPU threads, summed, alive to populated",
				      "perf_cleanup_", "the cleanup thread: the destroy"));
	json_object_set_new(r->meta, "perf", perf);
	json_object_set_new(r->meta, "trace_marker", pvb_trace_json());
	json_object_set_new(r->meta, "threads", pvb_threads_json());
}

void pvb_counters_lane_begin(struct lane *l)
{
	pvb_phase_bind_lane(l->id);
	pvb_phase_set(PVB_PHASE_BOOT);
	pvb_thread_name("main", "pvb-lane%d", l->id);
	pvb_perf_open(&l->perf, 0); /* nothing without --perf; a failure is warned */
}

void pvb_counters_lane_end(struct lane *l)
{
	pvb_perf_close(&l->perf);
}

/* The lane's phase (phase.h) from the boundary it passes; NONE: no change. */
static enum pvb_phase lane_phase(const char *what)
{
	static const struct {
		const char *mark;
		enum pvb_phase phase;
	} to[] = {
		{ "reboot begin", PVB_PHASE_REQUEST }, { "requested", PVB_PHASE_STOP },
		{ "create begin", PVB_PHASE_CREATE },  { "create end", PVB_PHASE_START },
		{ "alive", PVB_PHASE_POPULATE },       { "populated", PVB_PHASE_RECORD },
	};

	for (size_t i = 0; i < sizeof(to) / sizeof(to[0]); i++)
		if (!strcmp(what, to[i].mark))
			return to[i].phase;
	return PVB_PHASE_NONE;
}

/* Not inlined: one address for a uprobe on it (README: perf probe ... pvb_lane_mark). */
__attribute__((noinline)) void pvb_lane_mark(const struct lane *l, const char *what)
{
	if (pvb_phase_bound()) { /* --phase-file: a store, after a few short compares */
		enum pvb_phase p = lane_phase(what);

		if (p != PVB_PHASE_NONE)
			pvb_phase_set(p);
	}
	pvb_trace_mark("g%d it%d %s", l->id, l->iter, what);
}

void pvb_counters_reboot_begin(struct lane *l, struct reboot_meas *m)
{
	pvb_lane_mark(l, "reboot begin");
	pvb_vmstat_read(&l->r->vmstat, &m->vm0);
	pvb_perf_read(&l->perf, &m->main0);
}

void pvb_counters_alive(struct lane *l, struct pvb_guest *g, struct reboot_meas *m)
{
	pvb_perf_read(&l->perf, &m->main1);
	pvb_vmstat_read(&l->r->vmstat, &m->vm_alive);
	pvb_lane_mark(l, "alive");
	/* opened here, not by the vCPU threads as they start: the opens (tens of µs) stay off
	 * the critical path; the vCPU counts are the populate's */
	if (pvb_perf_on())
		m->vcpu_open = !pvb_guest_vcpu_perf_open(l->r->ops, g);
}

void pvb_counters_populated(struct lane *l, struct pvb_guest *g, struct reboot_meas *m)
{
	pvb_vmstat_read(&l->r->vmstat, &m->vm1);
	pvb_lane_mark(l, "populated");
	if (m->vcpu_open)
		pvb_guest_vcpu_perf(l->r->ops, g, &m->vcpu);
}

void pvb_counters_cleanup(struct lane *l, struct reboot_meas *m)
{
	pvb_cleaner_counts(&l->cleaner, &m->cleanup);
}

void pvb_row_vmstat(const struct run *r, const struct pvb_vmstat_snap *a,
		    const struct pvb_vmstat_snap *b, enum col first, struct row *w)
{
	for (int i = 0; i < PVB_VM_N; i++) {
		int64_t d = pvb_vmstat_delta(&r->vmstat, a, b, i);

		if (d >= 0)
			pvb_row_u64(w, (enum col)(first + i), (uint64_t)d);
	}
}

/* The counts of one role; whether it had any. */
static bool fill_perf(const struct pvb_perf_counts *c, enum col first, struct row *w)
{
	bool any = false;

	for (int i = 0; i < PVB_PERF_N; i++)
		if (c->have[i]) {
			pvb_row_u64(w, (enum col)(first + i), c->v[i]);
			any = true;
		}
	return any;
}

void pvb_row_counters(const struct reboot_meas *m, const struct run *r, struct row *w)
{
	const struct pvb_teardown *td = &m->td;
	bool cleanup = td->t_end && !td->reaped; /* as cleanup_ns: a destroy of this row */
	struct pvb_perf_counts main;
	bool any;

	pvb_row_vmstat(r, &m->vm0, &m->vm1, C_VMR_PGFAULT, w);
	pvb_row_vmstat(r, &m->vm0, &m->vm_alive, C_VMA_PGFAULT, w);
	if (cleanup)
		pvb_row_vmstat(r, &m->cleanup.vm0, &m->cleanup.vm1, C_VMC_PGFAULT, w);
	if (!pvb_perf_on())
		return;
	pvb_perf_delta(&m->main0, &m->main1, &main);
	any = fill_perf(&m->vcpu, C_PFV_TASK_CLOCK, w);
	any |= fill_perf(&main, C_PFM_TASK_CLOCK, w);
	if (cleanup)
		any |= fill_perf(&m->cleanup.perf, C_PFC_TASK_CLOCK, w);
	if (any) /* nothing counted (every counter skipped): empty too */
		pvb_row_u64(w, C_PERF_SCALED,
			    main.scaled || m->vcpu.scaled || (cleanup && m->cleanup.perf.scaled));
}

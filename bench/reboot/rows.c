/* The rows of iterations.csv: the column list (columns.h), what every row says about its
 * point, the row of one reboot, and writing a row (from any lane). */
#include <stdio.h>
#include <string.h>

#include "pvbench.h"
#include "reboot.h"
#include "reboot_int.h"

const char *const pvb_iteration_cols[] = { PVB_ITERATION_COLUMNS(PVB_COLUMN_NAME) };
const int pvb_iteration_ncols = C_NCOLS;

void pvb_row_u64(struct row *w, enum col c, uint64_t v)
{
	snprintf(w->f[c], sizeof(w->f[c]), "%llu", (unsigned long long)v);
}

void pvb_row_init(struct run *r, struct row *w, int guest, uint64_t size, int vcpus,
		  const char *mode, int iter)
{
	const struct pvb_reboot_config *cfg = r->cfg;

	memset(w, 0, sizeof(*w));
	snprintf(w->f[C_BACKEND], 256, "%s", r->ops->name);
	pvb_row_u64(w, C_SIZE, size);
	snprintf(w->f[C_MODE], 256, "%s", mode);
	pvb_row_u64(w, C_ITER, (uint64_t)iter);
	pvb_row_u64(w, C_VCPUS, (uint64_t)vcpus);
	snprintf(w->f[C_BACKING], 256, "%s", pvb_backing_name(cfg->backing));
	pvb_row_u64(w, C_SCRUB, cfg->scrub);
	snprintf(w->f[C_TOUCH], 256, "%g", cfg->touch);
	snprintf(w->f[C_ORDER], 256, "%s", pvb_order_name(cfg->order));
	if (cfg->point >= 0)
		pvb_row_u64(w, C_POINT, (uint64_t)cfg->point);
	pvb_row_u64(w, C_GUEST, (uint64_t)guest);
	pvb_row_u64(w, C_GUESTS, (uint64_t)cfg->guests);
	pvb_row_u64(w, C_CTHREADS, (uint64_t)cfg->cleanup_threads);
	snprintf(w->f[C_PLACEMENT], 256, "%s", cfg->placement);
	snprintf(w->f[C_PLACEMENT_CPUS], 256, "%s", r->lanes[guest].cleaner.cpus);
	snprintf(w->f[C_MEMPOL], 256, "%s", cfg->mem_policy);
	snprintf(w->f[C_LOAD], 256, "%s", cfg->load);
	/* run-wide, as the other configuration columns: async's hand-over point */
	snprintf(w->f[C_CLEANUP_START_AT], 256, "%s", pvb_cleanup_start_name(cfg->cleanup_start));
	if (r->ops->release_strategies)
		pvb_release_name(&cfg->release, w->f[C_RELEASE_HOW], 256);
	snprintf(w->f[C_RUN_ID], 256, "%s", cfg->run_id);
	snprintf(w->f[C_HOST], 256, "%s", cfg->host_label);
}

/* The phases of a protected guest's reboot (backends that report them). */
static void fill_phases(const struct run *r, const struct lane *l, const struct reboot_meas *m,
			struct row *w)
{
	bool async = l->mode == PVB_MODE_ASYNC;

	if (async)
		pvb_row_u64(w, C_PREPARE, m->ph_old.prepare_ns);
	if (async && m->td.t_end && !m->td.reaped)
		pvb_row_u64(w, C_PERFORM, m->td.perform_ns);
	if (!async || m->ph_old.fallback)
		pvb_row_u64(w, C_DISABLE, async ? m->ph_old.disable_ns : m->td.disable_ns);
	pvb_row_u64(w, C_ENABLE, m->ph_new.enable_ns);
	if (async)
		pvb_row_u64(w, C_FALLBACK, (uint64_t)m->ph_old.fallback);
	pvb_row_u64(w, C_MEM_LIMIT, m->ph_new.mem_limit);
	if (r->ops->emulated)
		pvb_row_u64(w, C_EXPORTS, m->ph_new.exports);
}

void pvb_row_create_parts(struct row *w, const struct pvb_parts *cp)
{
	if (cp->first < 0) /* the backend does not say */
		return;
	for (int i = 0; i < PVB_CP_N; i++)
		pvb_row_u64(w, (enum col)(C_CREATE_MMAP + i), cp->ns[i]);
}

/* The cleanup's sub-phases, where its cleanup_ns is written. */
static void fill_cleanup_parts(const struct pvb_teardown *td, struct row *w)
{
	if (td->t_end && !td->reaped && td->parts.first >= 0)
		for (int i = 0; i < PVB_XP_N; i++)
			pvb_row_u64(w, (enum col)(C_CLEANUP_VCPU + i), td->parts.ns[i]);
}

void pvb_row_reboot(struct run *r, const struct lane *l, int iter, const struct reboot_meas *m,
		    struct row *w)
{
	const struct pvb_teardown *td = &m->td;

	pvb_row_init(r, w, l->id, l->size, l->vcpus, pvb_mode_name(l->mode), iter);
	pvb_row_u64(w, C_REBOOT, m->t_alive - m->t_req);
	pvb_row_u64(w, C_STOP, m->t_stop - m->t_req);
	pvb_row_u64(w, C_TEARDOWN, m->t_aside - m->t_stop);
	pvb_row_u64(w, C_CREATE, m->t_created - m->t_aside);
	pvb_row_u64(w, C_START, m->t_alive - m->t_created);
	pvb_row_u64(w, C_POPULATE, m->t_pop - m->t_alive);
	/* none: the first reboot with --cleanup-start next-reboot, or a guest that a fallback
	 * DISABLE already reaped */
	if (td->t_end && !td->reaped) {
		pvb_row_u64(w, C_CLEANUP, td->t_end - td->t_start);
		pvb_row_u64(w, C_CLEANUP_CPU, td->cpu_ns);
		pvb_row_u64(w, C_CLEANUP_START, td->t_start - m->t_req);
	}
	pvb_row_u64(w, C_VMCLOSE, td->vmclose_ns);
	if (r->cfg->scrub)
		pvb_row_u64(w, C_SCRUB_NS, td->scrub_ns);
	pvb_row_u64(w, C_RELEASE, td->release_ns);
	if (m->lag >= 0)
		pvb_row_u64(w, C_MEMBACK, (uint64_t)m->lag);
	if (m->lag_pcp >= 0)
		pvb_row_u64(w, C_MEMBACK_PCP, (uint64_t)m->lag_pcp);
	if (m->low >= 0)
		pvb_row_u64(w, C_MEMLOW, (uint64_t)m->low);
	if (m->peak >= 0)
		pvb_row_u64(w, C_PEAK_RSS, (uint64_t)m->peak);
	pvb_row_u64(w, C_POPULATED, m->populated);
	pvb_row_u64(w, C_TREQ, m->t_req);
	snprintf(w->f[C_VCPU_CPUS], 256, "%s", l->vcpu_cpus);
	snprintf(w->f[C_MEMPOL_ACTUAL], 256, "%s", l->mem_actual);
	if (m->intf >= 0)
		snprintf(w->f[C_INTERFERENCE], 256, "%.4f", m->intf);
	if (pvb_backend_has_phases(r->ops))
		fill_phases(r, l, m, w);
	pvb_row_counters(m, r, w);
	pvb_row_create_parts(w, &m->cp);
	fill_cleanup_parts(td, w);
}

int pvb_row_write(struct run *r, const struct row *w)
{
	const char *fields[C_NCOLS];
	int rc = 0;

	for (int i = 0; i < C_NCOLS; i++)
		fields[i] = w->f[i][0] ? w->f[i] : NULL;
	pthread_mutex_lock(&r->rows_lock);
	if (pvb_csv_write_row(&r->csv, fields))
		rc = PVB_EXIT_FAIL;
	else
		r->rows++;
	pthread_mutex_unlock(&r->rows_lock);
	return rc;
}

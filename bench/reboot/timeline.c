/* timeline.csv: for each point's last reboot of guest 0, every memory sample around it (with
 * the cleanup's and the new guest's progress, read by a probe on the sampler) and the reboot's
 * events, in ms from the reboot request. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvbench.h"
#include "reboot_int.h"
#include "timing.h"

const char *const pvb_timeline_cols[] = { PVB_TIMELINE_COLUMNS(PVB_COLUMN_NAME) };
const int pvb_timeline_ncols = TL_NCOLS;

static void probe(void *arg, int64_t *a, int64_t *b)
{
	struct lane *l = arg;
	const struct pvb_guest *g = __atomic_load_n(&l->probe_guest, __ATOMIC_ACQUIRE);

	*a = (int64_t)__atomic_load_n(&l->cleaner.released, __ATOMIC_RELAXED);
	*b = g ? (int64_t)pvb_guest_progress(l->r->ops, g) : -1;
}

void pvb_timeline_follow(struct lane *l, const struct pvb_guest *g)
{
	/* The probe may be installed already (meet() follows NULL first): the sampler reads the
	 * pointer while the lane sets it, so an atomic store, released after the guest's set-up
	 * (no lock taken on the timed path for it). */
	__atomic_store_n(&l->probe_guest, g, __ATOMIC_RELEASE);
	pvb_sampler_set_probe(&l->r->sampler, probe, l);
}

void pvb_timeline_drop(struct lane *l)
{
	if (!l->r->cfg->timeline || l->id)
		return;
	pvb_sampler_set_probe(&l->r->sampler, NULL, NULL);
	__atomic_store_n(&l->probe_guest, NULL, __ATOMIC_RELEASE);
}

static int timeline_row(struct run *r, struct lane *l, int iter, double t_ms,
			const struct pvb_mem_sample *m, const char *event)
{
	char f[TL_NCOLS][64];
	const char *fields[TL_NCOLS];

	memset(f, 0, sizeof(f));
	if (r->cfg->point >= 0)
		snprintf(f[TL_POINT], 64, "%ld", r->cfg->point);
	snprintf(f[TL_GUEST], 64, "%d", l->id);
	snprintf(f[TL_MODE], 64, "%s", pvb_mode_name(l->mode));
	snprintf(f[TL_SIZE], 64, "%llu", (unsigned long long)l->size);
	snprintf(f[TL_ITER], 64, "%d", iter);
	snprintf(f[TL_T_MS], 64, "%.3f", t_ms);
	if (m) {
		snprintf(f[TL_AVAIL], 64, "%lld", (long long)m->avail);
		snprintf(f[TL_RSS], 64, "%lld", (long long)m->rss);
		if (m->a >= 0)
			snprintf(f[TL_CLEANUP_DONE], 64, "%lld", (long long)m->a);
		if (m->b >= 0)
			snprintf(f[TL_POPULATED], 64, "%lld", (long long)m->b);
	}
	if (event)
		snprintf(f[TL_EVENT], 64, "%s", event);
	snprintf(f[TL_RUN_ID], 64, "%s", r->cfg->run_id);
	snprintf(f[TL_HOST], 64, "%s", r->cfg->host_label);
	for (int i = 0; i < TL_NCOLS; i++)
		fields[i] = f[i][0] ? f[i] : NULL;
	return pvb_csv_write_row(&r->timeline, fields) ? PVB_EXIT_FAIL : 0;
}

int pvb_timeline_write(struct lane *l, int iter, const struct reboot_meas *m)
{
	struct run *r = l->r;
	const struct pvb_teardown *td = &m->td;
	uint64_t t_req = m->t_req;
	uint64_t end = (m->t_pop > td->t_end ? m->t_pop : td->t_end) + 20000000ULL;
	const struct {
		const char *name;
		uint64_t t;
	} ev[] = {
		{ "reboot_request", t_req },	  { "alive", m->t_alive },
		{ "cleanup_start", td->t_start }, { "cleanup_end", td->t_end },
		{ "populated", m->t_pop },
	};
	struct pvb_mem_sample *s = NULL;
	long n;
	int rc = 0;

	/* let the sampler cover the tail of the window */
	while (pvb_now_ns() < end + r->cfg->sample_interval_ns && !pvb_interrupted)
		pvb_sleep_ns(r->cfg->sample_interval_ns);
	n = pvb_sampler_copy(&r->sampler, t_req - 5000000ULL, end, &s);
	if (n < 0)
		return PVB_EXIT_FAIL;
	for (long i = 0; i < n && !rc; i++)
		rc = timeline_row(r, l, iter, ((double)s[i].t_ns - (double)t_req) / 1e6, &s[i],
				  NULL);
	for (size_t i = 0; i < sizeof(ev) / sizeof(ev[0]) && !rc; i++)
		rc = timeline_row(r, l, iter, ((double)ev[i].t - (double)t_req) / 1e6, NULL,
				  ev[i].name);
	free(s);
	return rc;
}

/* The reboot loop of a point: every lane (one guest, its vCPUs and its cleanup thread) on its
 * own thread, rebooting side by side with the others. A lane's reboot goes in named steps, in
 * the KVM selftests' run_test() style: meet the other lanes, request the reboot and stop the
 * old guest, put it aside, create and start the new one (handing the old one to the cleaner
 * where --cleanup-start says), let it populate, then measure memory, write the row and say
 * how it went. Nothing is added between the timestamps of a reboot. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "backends/vcpu.h"
#include "parse.h"
#include "phase.h"
#include "pvbench.h"
#include "reboot_int.h"
#include "timing.h"

#define MEMORY_BACK_LIMIT_NS 2000000000ULL

void pvb_lane_abandon(struct lane *l)
{
	const struct pvb_backend_ops *o = l->r->ops;
	struct pvb_teardown td = { 0 };
	struct pvb_guest **gs[3] = { &l->cur, &l->next, &l->pending };

	/* The cleaner goes first: it may be reading the progress of the new guest. */
	pvb_cleaner_wait(&l->cleaner, NULL, NULL, NULL);
	for (int i = 0; i < 3; i++) {
		if (!*gs[i])
			continue;
		pvb_guest_stop(o, *gs[i]);
		pvb_guest_destroy(o, *gs[i], &td);
		*gs[i] = NULL;
	}
}

/* The memory-back lag after t_end, waiting for it at most until t_end + 2 s; -1 if the
 * memory was not back by then. */
static int64_t memory_back(struct run *r, uint64_t t_end, int64_t baseline, uint64_t size, bool pcp)
{
	int64_t tol = (int64_t)(size / 64 > 32 * PVB_MIB ? size / 64 : 32 * PVB_MIB);
	int64_t lag;

	if (baseline < 0)
		return -1;
	while ((lag = pvb_sampler_back_after(&r->sampler, t_end, baseline, tol, pcp)) < 0 &&
	       pvb_now_ns() < t_end + MEMORY_BACK_LIMIT_NS + r->cfg->sample_interval_ns &&
	       !pvb_interrupted)
		pvb_sleep_ns(r->cfg->sample_interval_ns);
	return lag >= 0 && (uint64_t)lag <= MEMORY_BACK_LIMIT_NS ? lag : -1;
}

/*
 * The new guest's populate rate while the old one was being destroyed, divided by its
 * rate with no destroy running (after the destroy ended, or else before it began). -1 when
 * either window saw too little progress for a meaningful rate (the guest reports progress
 * every few hundred KiB per vCPU).
 */
static double interference(const struct reboot_meas *m, int vcpus)
{
	uint64_t t_alive = m->t_alive, t_pop = m->t_pop, total = m->populated;
	uint64_t p_start = m->p_start, p_end = m->p_end;
	uint64_t cs = m->td.t_start > t_alive ? m->td.t_start : t_alive, ce = m->td.t_end;
	uint64_t enough = (uint64_t)vcpus * 8 * 64 * 4096; /* 8 progress steps per vCPU */
	double during, without;

	if (ce >= t_pop) { /* the destroy outlasted the populate */
		p_end = total;
		ce = t_pop;
	}
	if (ce <= cs || p_end - p_start < enough)
		return -1;
	during = (double)(p_end - p_start) / (double)(ce - cs);
	if (t_pop > ce && total - p_end >= enough)
		without = (double)(total - p_end) / (double)(t_pop - ce);
	else if (cs > t_alive && p_start >= enough)
		without = (double)p_start / (double)(cs - t_alive);
	else
		return -1;
	return without > 0 ? during / without : -1;
}

static void cpus_string(const cpu_set_t *set, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < CPU_SETSIZE && n + 8 < len; i++)
		if (CPU_ISSET(i, set))
			n += (size_t)snprintf(buf + n, len - n, "%s%d", n ? "," : "", i);
}

/* The lane's first guest, populated; p is then what every reboot creates. */
static int boot_first(struct lane *l, struct pvb_guest_params *p)
{
	const struct pvb_backend_ops *o = l->r->ops;
	uint64_t t;
	int rc;

	l->vcpu_cpus[0] = l->mem_actual[0] = '\0';
	pvb_run_fill_params(l->r, p, l->size, l->vcpus, l->id);
	p->debug_dirty = false;
	rc = pvb_guest_create(o, p, &l->cur);
	if (!rc)
		rc = pvb_guest_start(o, l->cur);
	if (!rc)
		rc = pvb_guest_wait(o, l->cur, PVB_EV_POPULATED, &t);
	p->debug_dirty = l->r->cfg->debug_dirty; /* only the guests a reboot creates */
	return rc;
}

/* Meet the other lanes, then go after this lane's stagger; *stop: the point stops here
 * (--target-ci reached). */
static int meet(struct lane *l, bool timeline, bool *stop)
{
	struct run *r = l->r;

	if (!pvb_gate_pass(&r->gate, stop))
		return pvb_interrupted ? PVB_EXIT_INTERRUPTED : PVB_EXIT_FAIL;
	if (*stop)
		return 0;
	if (r->cfg->stagger_ns && l->id)
		pvb_sleep_ns(r->cfg->stagger_ns * (uint64_t)l->id);
	if (timeline)
		pvb_timeline_follow(l, NULL);
	return 0;
}

/* The old guest requests its reboot and is stopped. */
static int request_reboot(struct lane *l, struct reboot_meas *m)
{
	const struct pvb_backend_ops *o = l->r->ops;
	int rc;

	pvb_counters_reboot_begin(l, m);
	if ((rc = pvb_guest_resume(o, l->cur)) ||
	    (rc = pvb_guest_wait(o, l->cur, PVB_EV_REBOOT, &m->t_req)))
		return rc;
	pvb_lane_mark(l, "requested");
	if ((rc = pvb_guest_stop(o, l->cur)))
		return rc;
	m->t_stop = pvb_now_ns();
	pvb_lane_mark(l, "stopped");
	return 0;
}

/* The stopped old guest out of the way: sync destroys it, async sets it aside. */
static int put_aside(struct lane *l, struct reboot_meas *m)
{
	const struct pvb_backend_ops *o = l->r->ops;
	int rc;

	if (l->mode == PVB_MODE_SYNC) {
		/* The same thread destroys in both modes: same placement, same CPU accounting;
		 * the hand-off costs microseconds. */
		pvb_cleaner_give(&l->cleaner, l->cur, NULL);
		l->cur = NULL;
		rc = pvb_cleaner_wait(&l->cleaner, &m->td, NULL, NULL);
		m->t_aside = pvb_now_ns();
		pvb_lane_mark(l, "destroyed");
		pvb_counters_cleanup(l, m);
		return rc;
	}
	rc = pvb_guest_set_aside(o, l->cur);
	m->t_aside = pvb_now_ns();
	pvb_lane_mark(l, "set aside");
	if (!rc)
		pvb_guest_phases(o, l->cur, &m->ph_old);
	return rc;
}

/* An async reboot at hand-over point `at`: the old guest goes to the cleaner if
 * --cleanup-start names this point (watching the new guest once there is one). With
 * next-reboot, the guest set aside a reboot ago is handed over, and this one waits. */
static void hand_over(struct lane *l, enum pvb_cleanup_start at)
{
	if (l->mode != PVB_MODE_ASYNC || l->r->cfg->cleanup_start != at)
		return;
	if (at == PVB_CLEANUP_NEXT) {
		if (l->pending)
			pvb_cleaner_give(&l->cleaner, l->pending, NULL);
		l->pending = l->cur;
	} else {
		pvb_cleaner_give(&l->cleaner, l->cur, at == PVB_CLEANUP_ASIDE ? NULL : l->next);
	}
	l->cur = NULL;
}

/* The new guest populates; an async destroy ends meanwhile (waited for here). */
static int populate(struct lane *l, struct reboot_meas *m)
{
	const struct pvb_backend_ops *o = l->r->ops;
	enum pvb_cleanup_start start = l->r->cfg->cleanup_start;
	bool async = l->mode == PVB_MODE_ASYNC;
	int rc;

	if ((rc = pvb_guest_wait(o, l->next, PVB_EV_POPULATED, &m->t_pop)))
		return rc;
	pvb_counters_populated(l, l->next, m);
	if (async && (rc = pvb_cleaner_wait(&l->cleaner, &m->td, &m->p_start, &m->p_end)))
		return rc;
	if (async)
		pvb_counters_cleanup(l, m);
	m->populated = pvb_guest_populated(o, l->next);
	pvb_guest_phases(o, l->next, &m->ph_new);
	if (async && start != PVB_CLEANUP_ASIDE && start != PVB_CLEANUP_NEXT && m->td.t_end)
		m->intf = interference(m, l->vcpus);
	return 0;
}

/* One reboot, from the request to the new guest populated; m gets what it measured. */
static int reboot_once(struct lane *l, const struct pvb_guest_params *p, bool timeline,
		       struct reboot_meas *m)
{
	const struct pvb_backend_ops *o = l->r->ops;
	int rc;

	if ((rc = request_reboot(l, m)) || (rc = put_aside(l, m)))
		return rc;
	hand_over(l, PVB_CLEANUP_ASIDE);
	hand_over(l, PVB_CLEANUP_NEXT);
	pvb_lane_mark(l, "create begin");
	rc = pvb_guest_create(o, p, &l->next);
	m->t_created = pvb_now_ns();
	if (rc)
		return rc;
	pvb_lane_mark(l, "create end");
	pvb_guest_create_parts(o, l->next, m->t_aside, m->t_created, &m->cp);
	hand_over(l, PVB_CLEANUP_CREATED);
	if ((rc = pvb_guest_start(o, l->next)) ||
	    (rc = pvb_guest_wait(o, l->next, PVB_EV_ALIVE, &m->t_alive)))
		return rc;
	pvb_counters_alive(l, l->next, m);
	hand_over(l, PVB_CLEANUP_ALIVE);
	if (timeline)
		pvb_timeline_follow(l, l->next);
	return populate(l, m);
}

/* Where the new guest's vCPU 0 runs and its memory policy, as the OS reports them. */
static void read_placement(struct lane *l)
{
	const struct pvb_backend_ops *o = l->r->ops;
	cpu_set_t cpus;

	if (pvb_guest_vcpu_cpus(o, l->next, 0, &cpus) == 0)
		cpus_string(&cpus, l->vcpu_cpus, sizeof(l->vcpu_cpus));
	if (pvb_guest_mem_policy(o, l->next, l->mem_actual, sizeof(l->mem_actual)))
		snprintf(l->mem_actual, sizeof(l->mem_actual), "unknown");
}

/* Memory back after the destroy (with and without the per-CPU free lists), the lowest
 * MemAvailable and the highest RSS of the reboot. */
static void measure_memory(struct lane *l, struct reboot_meas *m)
{
	struct run *r = l->r;
	uint64_t end = m->t_pop > m->td.t_end ? m->t_pop : m->td.t_end;
	int64_t base;

	base = pvb_sampler_total_at(&r->sampler, m->t_req, false);
	m->lag = m->td.t_end ? memory_back(r, m->td.t_end, base, l->size, false) : -1;
	base = pvb_sampler_total_at(&r->sampler, m->t_req, true);
	m->lag_pcp = m->td.t_end ? memory_back(r, m->td.t_end, base, l->size, true) : -1;
	m->low = pvb_sampler_low(&r->sampler, m->t_req, end);
	m->peak = pvb_sampler_peak_rss(&r->sampler, m->t_req, end);
}

static void progress(struct lane *l, int iter, const struct reboot_meas *m, const struct row *w)
{
	const struct pvb_reboot_config *cfg = l->r->cfg;
	char human[32];

	pvb_format_size(l->size, human, sizeof(human));
	pvb_info("[%s %s x%d%s%s] %d/%s%d: reboot %.3f ms, teardown %.3f ms, cleanup %.1f ms, "
		 "populate %.0f ms (%.2f GiB/s)",
		 w->f[C_MODE], human, l->vcpus, cfg->guests > 1 ? " guest " : "",
		 cfg->guests > 1 ? w->f[C_GUEST] : "", iter + 1, cfg->target_ci > 0 ? "<=" : "",
		 cfg->iterations, (double)(m->t_alive - m->t_req) / 1e6,
		 (double)(m->t_aside - m->t_stop) / 1e6,
		 (double)(m->td.t_end - m->td.t_start) / 1e6, (double)(m->t_pop - m->t_alive) / 1e6,
		 (double)m->populated / PVB_GIB / ((double)(m->t_pop - m->t_alive) / 1e9));
}

/* The row of a measured reboot, and the progress line. */
static int record(struct lane *l, int iter, const struct reboot_meas *m)
{
	struct row w;
	int rc;

	pvb_row_reboot(l->r, l, iter, m, &w);
	if ((rc = pvb_row_write(l->r, &w)) || (rc = pvb_target_add(l->r, m->t_alive - m->t_req)))
		return rc;
	progress(l, iter, m, &w);
	return 0;
}

/* Does reboot i of lane l go to timeline.csv? The point's last reboot of guest 0: with
 * --target-ci any measured reboot may be the last, so each is followed and the last one
 * written once the lane ends. */
static bool follows_timeline(const struct lane *l, int i)
{
	const struct pvb_reboot_config *cfg = l->r->cfg;

	return cfg->timeline && l->id == 0 && i >= 0 &&
	       (cfg->target_ci > 0 || i == cfg->iterations - 1);
}

/* The reboot loop of one lane (one guest): warm-up reboots first, unrecorded; up to
 * --iterations measured ones, fewer when the gate stops the point (--target-ci). */
static int reboot_lane(struct lane *l)
{
	const struct pvb_reboot_config *cfg = l->r->cfg;
	struct pvb_guest_params p;
	struct reboot_meas last = { .intf = -1 };
	int rc = boot_first(l, &p), last_i = -1;

	for (int i = -cfg->warmup; i < cfg->iterations && !rc; i++) {
		bool timeline = follows_timeline(l, i), stop = false;
		struct reboot_meas m = { .intf = -1 };

		l->iter = i;

		if ((rc = meet(l, timeline, &stop)) || stop ||
		    (rc = reboot_once(l, &p, timeline, &m)))
			break;
		if (i == -cfg->warmup)
			read_placement(l);
		l->cur = l->next;
		l->next = NULL;
		measure_memory(l, &m);
		if (timeline) {
			pvb_timeline_drop(l);
			last = m;
			last_i = i;
		}
		if (i >= 0)
			rc = record(l, i, &m);
		if (!rc && i >= 0 && l->r->cfg->plant)
			rc = pvb_plant_after_row(l, i);
	}
	if (!rc && last_i >= 0)
		rc = pvb_timeline_write(l, last_i, &last);
	return rc;
}

static void *lane_thread(void *arg)
{
	struct lane *l = arg;

	pvb_block_stop_signals();
	pvb_counters_lane_begin(l);
	l->rc = reboot_lane(l);
	if (l->rc) {
		pvb_gate_break(&l->r->gate);
		/* the probe must not read a guest that is about to be destroyed */
		pvb_timeline_drop(l);
	}
	pvb_phase_set(PVB_PHASE_END);
	pvb_lane_abandon(l); /* on success too: the last guest is still running */
	pvb_counters_lane_end(l);
	return NULL;
}

/* All lanes reboot guests of this size, vCPU count and mode, side by side. */
int pvb_reboot_point(struct run *r, uint64_t size, int vcpus, enum pvb_mode mode)
{
	int rc = 0, started = 0;

	pvb_gate_reset(&r->gate, r->cfg->guests);
	pvb_target_begin(r, size, vcpus, pvb_mode_name(mode));
	for (int g = 0; g < r->cfg->guests; g++) {
		struct lane *l = &r->lanes[g];
		int e;

		l->size = size;
		l->vcpus = vcpus;
		l->mode = mode;
		l->rc = 0;
		e = pthread_create(&l->thread, NULL, lane_thread, l);
		if (e) {
			errno = e;
			pvb_perror("guest thread");
			pvb_gate_break(&r->gate);
			rc = PVB_EXIT_FAIL;
			break;
		}
		started++;
	}
	for (int g = 0; g < started; g++) {
		pthread_join(r->lanes[g].thread, NULL);
		/* The first real failure wins over the lanes it stopped. */
		if (!rc || (rc == PVB_EXIT_FAIL && r->lanes[g].rc != PVB_EXIT_FAIL))
			rc = r->lanes[g].rc ? r->lanes[g].rc : rc;
	}
	return rc ? rc : pvb_target_end(r);
}

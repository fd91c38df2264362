/* The reboot loop: boot a guest, let it populate, reboot it synchronously or
 * asynchronously, and time every phase; one CSV row per reboot. Several guests (lanes)
 * reboot side by side, each with its own vCPUs and cleanup thread. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "parse.h"
#include "report/plot.h"
#include "pvbench.h"
#include "reboot.h"
#include "reboot_int.h"
#include "report/summary.h"
#include "timing.h"

const char *const pvb_iteration_cols[] = {
	"backend", "size_bytes", "mode", "iteration", "reboot_ns", "teardown_ns", "create_ns",
	"populate_ns", "cleanup_ns", "cleanup_cpu_ns", "memory_back_ns", "stop_ns", "start_ns",
	"vmclose_ns", "scrub_ns", "release_ns", "mem_low_bytes", "populated_bytes",
	"host_touch_ns", "host_munmap_ns", "host_memset_ns", "vcpus", "backing", "scrub", "touch",
	"order", "t_request_ns", "cleanup_start_ns", "point", "guest", "guests",
	"cleanup_threads", "placement", "placement_cpus", "vcpu_cpus", "mem_policy",
	"mem_policy_actual", "load", "interference", "peak_rss_bytes", "memory_back_pcp_ns",
	"prepare_ns", "perform_ns", "disable_ns", "enable_ns", "fallback", "mem_limit_bytes",
	"exports",
};
const int pvb_iteration_ncols = C_NCOLS;

#define MEMORY_BACK_LIMIT_NS 2000000000ULL

static void set_u64(struct row *w, enum col c, uint64_t v)
{
	snprintf(w->f[c], sizeof(w->f[c]), "%llu", (unsigned long long)v);
}

static void row_init(struct run *r, struct row *w, int guest, uint64_t size, int vcpus,
		     const char *mode, int iter)
{
	const struct pvb_reboot_config *cfg = r->cfg;

	memset(w, 0, sizeof(*w));
	snprintf(w->f[C_BACKEND], 256, "%s", r->ops->name);
	set_u64(w, C_SIZE, size);
	snprintf(w->f[C_MODE], 256, "%s", mode);
	set_u64(w, C_ITER, (uint64_t)iter);
	set_u64(w, C_VCPUS, (uint64_t)vcpus);
	snprintf(w->f[C_BACKING], 256, "%s", pvb_backing_name(cfg->backing));
	set_u64(w, C_SCRUB, cfg->scrub);
	snprintf(w->f[C_TOUCH], 256, "%g", cfg->touch);
	snprintf(w->f[C_ORDER], 256, "%s", pvb_order_name(cfg->order));
	if (cfg->point >= 0)
		set_u64(w, C_POINT, (uint64_t)cfg->point);
	set_u64(w, C_GUEST, (uint64_t)guest);
	set_u64(w, C_GUESTS, (uint64_t)cfg->guests);
	set_u64(w, C_CTHREADS, (uint64_t)cfg->cleanup_threads);
	snprintf(w->f[C_PLACEMENT], 256, "%s", cfg->placement);
	snprintf(w->f[C_PLACEMENT_CPUS], 256, "%s", r->lanes[guest].cleaner.cpus);
	snprintf(w->f[C_MEMPOL], 256, "%s", cfg->mem_policy);
	snprintf(w->f[C_LOAD], 256, "%s", cfg->load);
}

static int row_write(struct run *r, const struct row *w)
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

/* Stop and destroy whatever guests a lane still has (error or interrupt). The cleaner
 * goes first: it may be reading the progress of the new guest. */
static void abandon(struct lane *l)
{
	struct pvb_teardown td = { 0 };
	struct pvb_guest **gs[3] = { &l->cur, &l->next, &l->pending };

	pvb_cleaner_wait(&l->cleaner, NULL, NULL, NULL);
	for (int i = 0; i < 3; i++) {
		if (!*gs[i])
			continue;
		l->r->ops->stop(*gs[i]);
		l->r->ops->destroy(*gs[i], &td);
		*gs[i] = NULL;
	}
}

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
	p->backing = r->cfg->backing;
	p->touch = r->cfg->touch;
	p->order = r->cfg->order;
	p->seed = r->cfg->seed;
	p->verify_clean = r->cfg->verify_clean;
	p->scrub = r->cfg->scrub;
	p->debug_dirty = r->cfg->debug_dirty;
	p->cleanup_threads = r->cfg->cleanup_threads;
	p->mem = r->mem.mode == PVB_MEM_DEFAULT ? NULL : &r->mem;
	p->vcpu0_cpus = r->pin_vcpu0 ? &r->vcpu0_cpus : NULL;
}

/* Host references for size: a host thread's first touch, a memset of the populated memory
 * and a bare munmap, with the same backing as the guests. */
static int host_reference(struct run *r, uint64_t size)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;

	if (r->cfg->backing == PVB_BACKING_HUGETLB)
		flags |= MAP_HUGETLB | (21 << MAP_HUGE_SHIFT);
	else
		flags |= MAP_NORESERVE;
	for (int i = 0; i < r->cfg->ref_iterations && !pvb_interrupted; i++) {
		struct row w;
		uint64_t t0, t1, t2, t3;
		char *m = mmap(NULL, size, PROT_READ | PROT_WRITE, flags, -1, 0);

		if (m == MAP_FAILED) {
			pvb_perror("host reference: mmap of %llu MiB", (unsigned long long)(size >> 20));
			return PVB_EXIT_FAIL;
		}
		if ((r->mem.mode != PVB_MEM_DEFAULT && pvb_mempolicy_apply(&r->mem, m, size)) ||
		    (r->cfg->backing != PVB_BACKING_HUGETLB &&
		     madvise(m, size, r->cfg->backing == PVB_BACKING_THP ? MADV_HUGEPAGE
									 : MADV_NOHUGEPAGE))) {
			pvb_perror("host reference: placing or advising the mapping");
			munmap(m, size);
			return PVB_EXIT_FAIL;
		}
		t0 = pvb_now_ns();
		for (uint64_t off = 0; off < size; off += 4096)
			*(volatile uint64_t *)(m + off) = off | 1;
		t1 = pvb_now_ns();
		memset(m, 0, size);
		__asm__ volatile("" : : "r"(m) : "memory");
		t2 = pvb_now_ns();
		if (munmap(m, size)) {
			pvb_perror("host reference: munmap");
			return PVB_EXIT_FAIL;
		}
		t3 = pvb_now_ns();
		row_init(r, &w, 0, size, 1, "host", i);
		set_u64(&w, C_HOST_TOUCH, t1 - t0);
		set_u64(&w, C_HOST_MEMSET, t2 - t1);
		set_u64(&w, C_HOST_MUNMAP, t3 - t2);
		set_u64(&w, C_POPULATED, size);
		if (row_write(r, &w))
			return PVB_EXIT_FAIL;
	}
	return pvb_interrupted ? PVB_EXIT_INTERRUPTED : 0;
}

/* Floor: a fresh guest from nothing to its first exit, with no old guest around. */
static int floor_point(struct run *r, uint64_t size, int vcpus)
{
	struct lane *l = &r->lanes[0];
	struct pvb_guest_params p;
	int rc = 0;

	pvb_run_fill_params(r, &p, size, vcpus, 0);
	for (int i = -r->cfg->warmup; i < r->cfg->iterations; i++) {
		struct pvb_teardown td = { 0 };
		struct pvb_phase_times ph = { 0 };
		uint64_t t0, t1, t2;
		struct row w;

		pvb_sleep_ns(r->cfg->floor_gap_ns);
		if (pvb_interrupted)
			return PVB_EXIT_INTERRUPTED;
		t0 = pvb_now_ns();
		rc = r->ops->create(&p, &l->cur);
		if (rc)
			return rc;
		t1 = pvb_now_ns();
		if (r->ops->phases && r->ops->phases(l->cur, &ph))
			memset(&ph, 0, sizeof(ph));
		rc = r->ops->start(l->cur);
		if (!rc)
			rc = r->ops->wait(l->cur, PVB_EV_ALIVE, &t2);
		if (rc)
			return rc;
		r->ops->stop(l->cur);
		rc = r->ops->destroy(l->cur, &td);
		l->cur = NULL;
		if (rc)
			return rc;
		if (i < 0)
			continue;
		row_init(r, &w, 0, size, vcpus, "floor", i);
		set_u64(&w, C_CREATE, t1 - t0);
		set_u64(&w, C_START, t2 - t1);
		set_u64(&w, C_REBOOT, t2 - t0);
		if (r->ops->phases) {
			set_u64(&w, C_ENABLE, ph.enable_ns);
			set_u64(&w, C_MEM_LIMIT, ph.mem_limit);
		}
		if ((rc = row_write(r, &w)))
			return rc;
	}
	return 0;
}

/* The memory-back lag after t_end, waiting for it at most until t_end + 2 s; -1 if the
 * memory was not back by then. */
static int64_t memory_back(struct run *r, uint64_t t_end, int64_t baseline, uint64_t size,
			   bool pcp)
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
static double interference(uint64_t t_alive, uint64_t t_pop, uint64_t total,
			   const struct pvb_teardown *td, uint64_t p_start, uint64_t p_end,
			   int vcpus)
{
	uint64_t cs = td->t_start > t_alive ? td->t_start : t_alive, ce = td->t_end;
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

/* Everything here is meant to happen in lockstep across lanes; a failed lane breaks the
 * gate so that the others do not wait for it forever. Returns false when broken. */
static bool gate_pass(struct gate *g)
{
	bool ok;

	pthread_mutex_lock(&g->lock);
	if (!g->broken && ++g->waiting == g->parties) {
		g->waiting = 0;
		g->gen++;
		pthread_cond_broadcast(&g->cond);
	} else {
		unsigned long gen = g->gen;

		while (!g->broken && gen == g->gen && !pvb_interrupted) {
			uint64_t wake = pvb_now_ns() + 50000000ULL;
			struct timespec ts = { .tv_sec = wake / 1000000000ULL,
					       .tv_nsec = wake % 1000000000ULL };

			pthread_cond_timedwait(&g->cond, &g->lock, &ts);
		}
		if (gen == g->gen)
			g->broken = true;
	}
	ok = !g->broken;
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);
	return ok;
}

static void gate_break(struct gate *g)
{
	pthread_mutex_lock(&g->lock);
	g->broken = true;
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);
}

static void timeline_probe(void *arg, int64_t *a, int64_t *b)
{
	struct lane *l = arg;

	*a = (int64_t)__atomic_load_n(&l->cleaner.released, __ATOMIC_RELAXED);
	*b = l->probe_guest ? (int64_t)l->r->ops->progress(l->probe_guest) : -1;
}

static void cpus_string(const cpu_set_t *set, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < CPU_SETSIZE && n + 8 < len; i++)
		if (CPU_ISSET(i, set))
			n += (size_t)snprintf(buf + n, len - n, "%s%d", n ? "," : "", i);
}

/* The reboot loop of one lane (one guest). */
static int reboot_lane(struct lane *l)
{
	struct run *r = l->r;
	const struct pvb_backend_ops *o = r->ops;
	enum pvb_cleanup_start start = r->cfg->cleanup_start;
	struct pvb_guest_params p;
	char vcpu_cpus[64] = "", mem_actual[64] = "";
	uint64_t t;
	int rc;

	pvb_run_fill_params(r, &p, l->size, l->vcpus, l->id);
	p.debug_dirty = false;
	rc = o->create(&p, &l->cur);
	if (!rc)
		rc = o->start(l->cur);
	if (!rc)
		rc = o->wait(l->cur, PVB_EV_POPULATED, &t);
	if (rc)
		return rc;
	p.debug_dirty = r->cfg->debug_dirty; /* only the guests a reboot creates */

	for (int i = -r->cfg->warmup; i < r->cfg->iterations; i++) {
		uint64_t t_req, t_stop, t_aside, t_created, t_alive, t_pop;
		uint64_t p_start = 0, p_end = 0, populated;
		struct pvb_teardown td = { 0 };
		struct pvb_phase_times ph_old = { 0 }, ph_new = { 0 };
		bool timeline = r->cfg->timeline && l->id == 0 && i == r->cfg->iterations - 1;
		int64_t base, lag, lag_pcp, low, peak;
		double intf = -1;
		char human[32];
		struct row w;

		if (!gate_pass(&r->gate))
			return pvb_interrupted ? PVB_EXIT_INTERRUPTED : PVB_EXIT_FAIL;
		if (r->cfg->stagger_ns && l->id)
			pvb_sleep_ns(r->cfg->stagger_ns * (uint64_t)l->id);
		if (timeline)
			pvb_sampler_set_probe(&r->sampler, timeline_probe, l);
		if ((rc = o->resume(l->cur)) || (rc = o->wait(l->cur, PVB_EV_REBOOT, &t_req)))
			return rc;
		if ((rc = o->stop(l->cur)))
			return rc;
		t_stop = pvb_now_ns();
		if (l->mode == PVB_MODE_SYNC) {
			/* The same thread destroys in both modes: same placement, same CPU
			 * accounting; the hand-off costs microseconds. */
			pvb_cleaner_give(&l->cleaner, l->cur, NULL);
			l->cur = NULL;
			rc = pvb_cleaner_wait(&l->cleaner, &td, NULL, NULL);
			t_aside = pvb_now_ns();
		} else {
			rc = o->set_aside(l->cur);
			t_aside = pvb_now_ns();
			if (!rc && o->phases && o->phases(l->cur, &ph_old))
				memset(&ph_old, 0, sizeof(ph_old));
		}
		if (rc)
			return rc;
		if (l->mode == PVB_MODE_ASYNC && start == PVB_CLEANUP_ASIDE) {
			pvb_cleaner_give(&l->cleaner, l->cur, NULL);
			l->cur = NULL;
		}
		if (l->mode == PVB_MODE_ASYNC && start == PVB_CLEANUP_NEXT) {
			/* The guest set aside a reboot ago is handed over only now. */
			if (l->pending)
				pvb_cleaner_give(&l->cleaner, l->pending, NULL);
			l->pending = l->cur;
			l->cur = NULL;
		}
		rc = o->create(&p, &l->next);
		t_created = pvb_now_ns();
		if (rc)
			return rc;
		if (l->mode == PVB_MODE_ASYNC && start == PVB_CLEANUP_CREATED) {
			pvb_cleaner_give(&l->cleaner, l->cur, l->next);
			l->cur = NULL;
		}
		if ((rc = o->start(l->next)) || (rc = o->wait(l->next, PVB_EV_ALIVE, &t_alive)))
			return rc;
		if (l->mode == PVB_MODE_ASYNC && start == PVB_CLEANUP_ALIVE) {
			pvb_cleaner_give(&l->cleaner, l->cur, l->next);
			l->cur = NULL;
		}
		if (timeline) {
			l->probe_guest = l->next;
			pvb_sampler_set_probe(&r->sampler, timeline_probe, l);
		}
		if ((rc = o->wait(l->next, PVB_EV_POPULATED, &t_pop)))
			return rc;
		if (l->mode == PVB_MODE_ASYNC &&
		    (rc = pvb_cleaner_wait(&l->cleaner, &td, &p_start, &p_end)))
			return rc;
		populated = o->populated_bytes(l->next);
		if (o->phases && o->phases(l->next, &ph_new))
			memset(&ph_new, 0, sizeof(ph_new));
		if (l->mode == PVB_MODE_ASYNC && start != PVB_CLEANUP_ASIDE &&
		    start != PVB_CLEANUP_NEXT && td.t_end)
			intf = interference(t_alive, t_pop, populated, &td, p_start, p_end, l->vcpus);
		if (i == -r->cfg->warmup) {
			cpu_set_t cpus;

			if (o->vcpu_cpus(l->next, 0, &cpus) == 0)
				cpus_string(&cpus, vcpu_cpus, sizeof(vcpu_cpus));
			if (o->mem_policy(l->next, mem_actual, sizeof(mem_actual)))
				snprintf(mem_actual, sizeof(mem_actual), "unknown");
		}
		l->cur = l->next;
		l->next = NULL;
		base = pvb_sampler_total_at(&r->sampler, t_req, false);
		lag = td.t_end ? memory_back(r, td.t_end, base, l->size, false) : -1;
		base = pvb_sampler_total_at(&r->sampler, t_req, true);
		lag_pcp = td.t_end ? memory_back(r, td.t_end, base, l->size, true) : -1;
		low = pvb_sampler_low(&r->sampler, t_req, t_pop > td.t_end ? t_pop : td.t_end);
		peak = pvb_sampler_peak_rss(&r->sampler, t_req, t_pop > td.t_end ? t_pop : td.t_end);
		if (timeline) {
			pvb_sampler_set_probe(&r->sampler, NULL, NULL);
			l->probe_guest = NULL;
			if ((rc = pvb_run_write_timeline(r, l, i, t_req, t_alive, t_pop, &td)))
				return rc;
		}
		if (i < 0)
			continue;

		row_init(r, &w, l->id, l->size, l->vcpus, pvb_mode_name(l->mode), i);
		set_u64(&w, C_REBOOT, t_alive - t_req);
		set_u64(&w, C_STOP, t_stop - t_req);
		set_u64(&w, C_TEARDOWN, t_aside - t_stop);
		set_u64(&w, C_CREATE, t_created - t_aside);
		set_u64(&w, C_START, t_alive - t_created);
		set_u64(&w, C_POPULATE, t_pop - t_alive);
		/* none: the first reboot with --cleanup-start next-reboot, or a guest that a
		 * fallback DISABLE already reaped */
		if (td.t_end && !td.reaped) {
			set_u64(&w, C_CLEANUP, td.t_end - td.t_start);
			set_u64(&w, C_CLEANUP_CPU, td.cpu_ns);
			set_u64(&w, C_CLEANUP_START, td.t_start - t_req);
		}
		set_u64(&w, C_VMCLOSE, td.vmclose_ns);
		if (p.scrub)
			set_u64(&w, C_SCRUB_NS, td.scrub_ns);
		set_u64(&w, C_RELEASE, td.release_ns);
		if (lag >= 0)
			set_u64(&w, C_MEMBACK, (uint64_t)lag);
		if (lag_pcp >= 0)
			set_u64(&w, C_MEMBACK_PCP, (uint64_t)lag_pcp);
		if (low >= 0)
			set_u64(&w, C_MEMLOW, (uint64_t)low);
		if (peak >= 0)
			set_u64(&w, C_PEAK_RSS, (uint64_t)peak);
		set_u64(&w, C_POPULATED, populated);
		set_u64(&w, C_TREQ, t_req);
		snprintf(w.f[C_VCPU_CPUS], 256, "%s", vcpu_cpus);
		snprintf(w.f[C_MEMPOL_ACTUAL], 256, "%s", mem_actual);
		if (intf >= 0)
			snprintf(w.f[C_INTERFERENCE], 256, "%.4f", intf);
		if (o->phases) {
			bool async = l->mode == PVB_MODE_ASYNC;

			if (async)
				set_u64(&w, C_PREPARE, ph_old.prepare_ns);
			if (async && td.t_end && !td.reaped)
				set_u64(&w, C_PERFORM, td.perform_ns);
			if (!async || ph_old.fallback)
				set_u64(&w, C_DISABLE, async ? ph_old.disable_ns : td.disable_ns);
			set_u64(&w, C_ENABLE, ph_new.enable_ns);
			if (async)
				set_u64(&w, C_FALLBACK, (uint64_t)ph_old.fallback);
			set_u64(&w, C_MEM_LIMIT, ph_new.mem_limit);
			if (o->emulated)
				set_u64(&w, C_EXPORTS, ph_new.exports);
		}
		if ((rc = row_write(r, &w)))
			return rc;
		pvb_format_size(l->size, human, sizeof(human));
		pvb_info("[%s %s x%d%s%s] %d/%d: reboot %.3f ms, teardown %.3f ms, cleanup %.1f ms, "
			 "populate %.0f ms (%.2f GiB/s)", w.f[C_MODE], human, l->vcpus,
			 r->cfg->guests > 1 ? " guest " : "", r->cfg->guests > 1 ? w.f[C_GUEST] : "",
			 i + 1, r->cfg->iterations, (double)(t_alive - t_req) / 1e6,
			 (double)(t_aside - t_stop) / 1e6, (double)(td.t_end - td.t_start) / 1e6,
			 (double)(t_pop - t_alive) / 1e6,
			 (double)populated / PVB_GIB / ((double)(t_pop - t_alive) / 1e9));
	}
	return 0;
}

static void *lane_thread(void *arg)
{
	struct lane *l = arg;
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, NULL);
	l->rc = reboot_lane(l);
	if (l->rc)
		gate_break(&l->r->gate);
	abandon(l); /* on success too: the last guest is still running */
	return NULL;
}

/* All lanes reboot guests of this size, vCPU count and mode, side by side. */
static int reboot_point(struct run *r, uint64_t size, int vcpus, enum pvb_mode mode)
{
	int rc = 0, started = 0;

	r->gate.parties = r->cfg->guests;
	r->gate.waiting = 0;
	r->gate.broken = false;
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
			gate_break(&r->gate);
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
	return rc;
}

/* --backend auto: the first backend, in the order of pvb_backend_names(), whose probe
 * accepts the first point; each one passed over is named with the reason. */
static const struct pvb_backend_ops *pick_backend(struct run *r)
{
	char names[128], *save = NULL;

	snprintf(names, sizeof(names), "%s", pvb_backend_names());
	for (char *n = strtok_r(names, " ", &save); n; n = strtok_r(NULL, " ", &save)) {
		const struct pvb_backend_ops *o = pvb_backend_find(n);
		struct pvb_guest_params p;
		char why[1024] = "";

		if (!o)
			continue;
		pvb_run_fill_params(r, &p, r->cfg->sizes[0], r->cfg->vcpus[0], 0);
		if (!o->probe(&p, why, sizeof(why))) {
			pvb_info("--backend auto: %s", o->name);
			return o;
		}
		pvb_info("--backend auto: not %s: %s", o->name, why);
	}
	return NULL;
}

/* Release what pvb_reboot_run set up; every part knows whether it was started. */
static void free_run(struct run *r)
{
	hwloc_bitmap_free(r->cleanup_set);
	if (r->topo)
		hwloc_topology_destroy(r->topo);
	pthread_mutex_destroy(&r->rows_lock);
	pthread_mutex_destroy(&r->gate.lock);
	pthread_cond_destroy(&r->gate.cond);
	json_decref(r->meta);
	free(r);
}

static void close_run(struct run *r)
{
	for (int g = 0; g < r->cfg->guests; g++)
		pvb_cleaner_stop(&r->lanes[g].cleaner);
	pvb_sampler_stop(&r->sampler);
	pvb_run_stop_load(r);
	pvb_csv_close(&r->csv);
	if (r->timeline_open)
		pvb_csv_close(&r->timeline);
}

int pvb_reboot_run(const struct pvb_reboot_config *cfg)
{
	struct run *r = calloc(1, sizeof(*r));
	bool sweep = cfg->point >= 0;
	char path[4200];
	int rc;

	if (!r) {
		pvb_err("out of memory");
		return PVB_EXIT_FAIL;
	}
	r->cfg = cfg;
	pthread_mutex_init(&r->rows_lock, NULL);
	pthread_mutex_init(&r->gate.lock, NULL);
	pthread_cond_init(&r->gate.cond, NULL);
	r->ops = strcmp(cfg->backend, "auto") ? pvb_backend_find(cfg->backend) : pick_backend(r);
	if (!r->ops) {
		pvb_err(strcmp(cfg->backend, "auto") ? "unknown backend '%s'" :
			"--backend %s: no backend can run here (reasons above)", cfg->backend);
		rc = PVB_EXIT_USAGE;
		goto out_free;
	}
	if (r->ops->emulated)
		pvb_log_tag = "pv-emulated MODEL";
	if ((rc = pvb_run_preflight(r)) || (rc = pvb_run_resolve_placement(r)))
		goto out_free;
	snprintf(path, sizeof(path), "%s/iterations.csv", cfg->out_dir);
	if (!cfg->append && access(path, F_OK) == 0) {
		pvb_err("--out %s already holds a run: choose another directory", cfg->out_dir);
		rc = PVB_EXIT_USAGE;
		goto out_free;
	}
	if (pvb_mkdirs(cfg->out_dir)) {
		rc = PVB_EXIT_USAGE;
		goto out_free;
	}
	if (sweep) {
		snprintf(r->meta_path, sizeof(r->meta_path), "%s/points", cfg->out_dir);
		if (pvb_mkdirs(r->meta_path)) {
			rc = PVB_EXIT_FAIL;
			goto out_free;
		}
		snprintf(r->meta_path, sizeof(r->meta_path), "%s/points/%ld.json", cfg->out_dir,
			 cfg->point);
	} else {
		snprintf(r->meta_path, sizeof(r->meta_path), "%s/meta.json", cfg->out_dir);
	}
	if (pvb_csv_open(&r->csv, path, pvb_iteration_cols, C_NCOLS)) {
		rc = PVB_EXIT_FAIL;
		goto out_free;
	}
	if (cfg->timeline) {
		snprintf(path, sizeof(path), "%s/timeline.csv", cfg->out_dir);
		if (pvb_csv_open(&r->timeline, path, pvb_timeline_cols, pvb_timeline_ncols)) {
			rc = PVB_EXIT_FAIL;
			goto out;
		}
		r->timeline_open = true;
	}
	for (int g = 0; g < cfg->guests; g++) {
		r->lanes[g].r = r;
		r->lanes[g].id = g;
		if ((rc = pvb_cleaner_start(&r->lanes[g].cleaner, r->ops, r->topo, r->cleanup_set)))
			goto out;
	}
	if (pvb_sampler_start(&r->sampler, cfg->sample_interval_ns)) {
		rc = PVB_EXIT_FAIL;
		goto out;
	}
	if ((rc = pvb_run_start_load(r)) || (rc = pvb_run_write_meta(r, "running")))
		goto out;
	pvb_info("results in %s", cfg->out_dir);

	for (int s = 0, point = 0; s < cfg->nsizes && !rc; s++) {
		rc = host_reference(r, cfg->sizes[s]);
		for (int v = 0; v < cfg->nvcpus && !rc; v++, point++) {
			if (cfg->floor && (rc = floor_point(r, cfg->sizes[s], cfg->vcpus[v])))
				abandon(&r->lanes[0]);
			/* The mode that goes first alternates from point to point, so that a
			 * drift in the host does not always favour the same mode. */
			for (int m = 0; m < cfg->nmodes && !rc; m++) {
				int k = point % 2 ? cfg->nmodes - 1 - m : m;

				rc = reboot_point(r, cfg->sizes[s], cfg->vcpus[v], cfg->modes[k]);
			}
		}
		if (r->rows && !sweep && pvb_summary_write(cfg->out_dir, NULL))
			rc = rc ? rc : PVB_EXIT_FAIL;
	}
	if (pvb_interrupted && (!rc || rc == PVB_EXIT_FAIL))
		rc = PVB_EXIT_INTERRUPTED;
out:
	if (r->ops->release)
		r->ops->release();
	close_run(r);
	if (r->meta && pvb_run_write_meta(r, rc == 0 ? "complete" :
					  rc == PVB_EXIT_INTERRUPTED ? "interrupted" :
					  rc == PVB_EXIT_SKIP ? "skipped" : "failed"))
		rc = rc ? rc : PVB_EXIT_FAIL;
	if (r->rows && !sweep) {
		if (pvb_summary_write(cfg->out_dir, stdout))
			rc = rc ? rc : PVB_EXIT_FAIL;
		if (cfg->plot && rc == 0 && pvb_plot_dir(cfg->out_dir)) {
			pvb_err("the run is complete, but its plots failed (see above)");
			rc = PVB_EXIT_FAIL;
		}
	}
	if (rc == PVB_EXIT_INTERRUPTED)
		pvb_err("interrupted: %d completed rows kept in %s", r->rows, cfg->out_dir);
out_free:
	free_run(r);
	return rc;
}

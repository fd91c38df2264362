/* The reboot loop: boot a guest, let it populate, reboot it synchronously or
 * asynchronously, and time every phase; one CSV row per reboot. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "backend.h"
#include "meminfo.h"
#include "parse.h"
#include "plot.h"
#include "pvbench.h"
#include "reboot.h"
#include "results.h"
#include "summary.h"
#include "sysinfo.h"
#include "timing.h"

enum col {
	C_BACKEND, C_SIZE, C_MODE, C_ITER, C_REBOOT, C_TEARDOWN, C_CREATE, C_POPULATE,
	C_CLEANUP, C_CLEANUP_CPU, C_MEMBACK, C_STOP, C_START, C_VMCLOSE, C_SCRUB_NS, C_RELEASE,
	C_MEMLOW, C_POPULATED, C_HOST_TOUCH, C_HOST_MUNMAP, C_HOST_MEMSET, C_VCPUS, C_BACKING,
	C_SCRUB, C_TOUCH, C_ORDER, C_TREQ, C_CLEANUP_START, C_NCOLS
};

const char *const pvb_iteration_cols[] = {
	"backend", "size_bytes", "mode", "iteration", "reboot_ns", "teardown_ns", "create_ns",
	"populate_ns", "cleanup_ns", "cleanup_cpu_ns", "memory_back_ns", "stop_ns", "start_ns",
	"vmclose_ns", "scrub_ns", "release_ns", "mem_low_bytes", "populated_bytes",
	"host_touch_ns", "host_munmap_ns", "host_memset_ns", "vcpus", "backing", "scrub", "touch",
	"order", "t_request_ns", "cleanup_start_ns",
};
const int pvb_iteration_ncols = C_NCOLS;

struct row {
	char f[C_NCOLS][32];
};

/* The background cleanup thread: destroys one set-aside guest at a time. */
struct cleaner {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct pvb_guest *guest;  /* handed over, waiting or being destroyed */
	bool quit, done;
	struct pvb_teardown td;
	int rc;
	const struct pvb_backend_ops *ops;
};

struct run {
	const struct pvb_reboot_config *cfg;
	const struct pvb_backend_ops *ops;
	struct pvb_csv csv;
	struct pvb_sampler sampler;
	struct cleaner cleaner;
	json_t *meta;
	char meta_path[4200];
	int rows;
	/* guests alive at any moment, for abandoning on error or interrupt */
	struct pvb_guest *cur, *next;
};

static void *cleaner_thread(void *arg)
{
	struct cleaner *c = arg;
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, NULL);
	pthread_mutex_lock(&c->lock);
	for (;;) {
		struct pvb_guest *g;
		struct pvb_teardown td;
		int rc;

		while (!c->quit && (!c->guest || c->done))
			pthread_cond_wait(&c->cond, &c->lock);
		if (c->quit && (!c->guest || c->done))
			break;
		g = c->guest;
		pthread_mutex_unlock(&c->lock);
		rc = c->ops->destroy(g, &td);
		pthread_mutex_lock(&c->lock);
		c->td = td;
		c->rc = rc;
		c->done = true;
		pthread_cond_broadcast(&c->cond);
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

static void cleaner_stop(struct cleaner *c);

/* Start the cleaner, pinned to cpu (>= 0); records the cpuset it really runs on. */
static int cleaner_start(struct run *r)
{
	struct cleaner *c = &r->cleaner;
	cpu_set_t set;
	char list[256] = "";
	size_t n = 0;
	int rc;

	memset(c, 0, sizeof(*c));
	c->ops = r->ops;
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->cond, NULL);
	rc = pthread_create(&c->thread, NULL, cleaner_thread, c);
	if (rc) {
		errno = rc;
		pvb_perror("cleanup thread");
		return PVB_EXIT_FAIL;
	}
	if (r->cfg->cleanup_cpu >= 0) {
		CPU_ZERO(&set);
		CPU_SET(r->cfg->cleanup_cpu, &set);
		rc = pthread_setaffinity_np(c->thread, sizeof(set), &set);
		if (rc) {
			errno = rc;
			pvb_perror("--cleanup-cpu %d: cannot pin the cleanup thread there",
				   r->cfg->cleanup_cpu);
			cleaner_stop(c);
			return PVB_EXIT_FAIL;
		}
	}
	rc = pthread_getaffinity_np(c->thread, sizeof(set), &set);
	if (rc) {
		errno = rc;
		pvb_perror("pthread_getaffinity_np");
		cleaner_stop(c);
		return PVB_EXIT_FAIL;
	}
	for (int i = 0; i < CPU_SETSIZE && n < sizeof(list) - 8; i++)
		if (CPU_ISSET(i, &set))
			n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%d", n ? "," : "", i);
	if (r->cfg->cleanup_cpu >= 0 && (CPU_COUNT(&set) != 1 || !CPU_ISSET(r->cfg->cleanup_cpu, &set))) {
		pvb_err("--cleanup-cpu %d: the cleanup thread reads back cpuset %s",
			r->cfg->cleanup_cpu, list);
		cleaner_stop(c);
		return PVB_EXIT_FAIL;
	}
	json_object_set_new(r->meta, "cleanup_thread_cpuset", json_string(list));
	return 0;
}

static void cleaner_stop(struct cleaner *c)
{
	pthread_mutex_lock(&c->lock);
	c->quit = true;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
	pthread_join(c->thread, NULL);
	pthread_cond_destroy(&c->cond);
	pthread_mutex_destroy(&c->lock);
}

/* Hand g over; the cleaner starts on it at once. */
static void cleaner_give(struct cleaner *c, struct pvb_guest *g)
{
	pthread_mutex_lock(&c->lock);
	c->guest = g;
	c->done = false;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
}

/* Wait for the handed-over guest to be gone. Not interruptible: the memory must come back. */
static int cleaner_wait(struct cleaner *c, struct pvb_teardown *td)
{
	int rc;

	pthread_mutex_lock(&c->lock);
	while (c->guest && !c->done)
		pthread_cond_wait(&c->cond, &c->lock);
	rc = c->guest ? c->rc : 0;
	if (td && c->guest)
		*td = c->td;
	c->guest = NULL;
	pthread_mutex_unlock(&c->lock);
	return rc;
}

static void set_u64(struct row *w, enum col c, uint64_t v)
{
	snprintf(w->f[c], sizeof(w->f[c]), "%llu", (unsigned long long)v);
}

static void row_init(struct run *r, struct row *w, uint64_t size, int vcpus, const char *mode,
		     int iter)
{
	memset(w, 0, sizeof(*w));
	snprintf(w->f[C_BACKEND], 32, "%s", r->ops->name);
	set_u64(w, C_SIZE, size);
	snprintf(w->f[C_MODE], 32, "%s", mode);
	set_u64(w, C_ITER, (uint64_t)iter);
	set_u64(w, C_VCPUS, (uint64_t)vcpus);
	snprintf(w->f[C_BACKING], 32, "%s", pvb_backing_name(r->cfg->backing));
	set_u64(w, C_SCRUB, r->cfg->scrub);
	snprintf(w->f[C_TOUCH], 32, "%g", r->cfg->touch);
	snprintf(w->f[C_ORDER], 32, "%s", pvb_order_name(r->cfg->order));
}

static int row_write(struct run *r, const struct row *w)
{
	const char *fields[C_NCOLS];

	for (int i = 0; i < C_NCOLS; i++)
		fields[i] = w->f[i][0] ? w->f[i] : NULL;
	if (pvb_csv_write_row(&r->csv, fields))
		return PVB_EXIT_FAIL;
	r->rows++;
	return 0;
}

/* Stop and destroy whatever guests are still around (error or interrupt). */
static void abandon(struct run *r)
{
	struct pvb_teardown td;
	struct pvb_guest **gs[2] = { &r->cur, &r->next };

	for (int i = 0; i < 2; i++) {
		if (!*gs[i])
			continue;
		r->ops->stop(*gs[i]);
		r->ops->destroy(*gs[i], &td);
		*gs[i] = NULL;
	}
	cleaner_wait(&r->cleaner, NULL);
}

static void fill_params(struct run *r, struct pvb_guest_params *p, uint64_t size, int vcpus)
{
	memset(p, 0, sizeof(*p));
	p->size = size;
	p->vcpus = vcpus;
	p->backing = r->cfg->backing;
	p->touch = r->cfg->touch;
	p->order = r->cfg->order;
	p->seed = r->cfg->seed;
	p->verify_clean = r->cfg->verify_clean;
	p->scrub = r->cfg->scrub;
	p->debug_dirty = r->cfg->debug_dirty;
}

/* Host references for size: a host thread's first touch, a memset of the populated memory
 * and a bare munmap, with the same backing as the guests. */
static int host_reference(struct run *r, uint64_t size)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;

	if (r->cfg->backing == PVB_BACKING_HUGETLB)
		flags |= MAP_HUGETLB | (21 << MAP_HUGE_SHIFT);
	for (int i = 0; i < r->cfg->ref_iterations && !pvb_interrupted; i++) {
		struct row w;
		uint64_t t0, t1, t2, t3;
		char *m = mmap(NULL, size, PROT_READ | PROT_WRITE, flags, -1, 0);

		if (m == MAP_FAILED) {
			pvb_perror("host reference: mmap of %llu MiB", (unsigned long long)(size >> 20));
			return PVB_EXIT_FAIL;
		}
		if (r->cfg->backing != PVB_BACKING_HUGETLB &&
		    madvise(m, size, r->cfg->backing == PVB_BACKING_THP ? MADV_HUGEPAGE
									: MADV_NOHUGEPAGE)) {
			pvb_perror("host reference: madvise");
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
		row_init(r, &w, size, 1, "host", i);
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
	struct pvb_guest_params p;
	int rc = 0;

	fill_params(r, &p, size, vcpus);
	for (int i = -r->cfg->warmup; i < r->cfg->iterations; i++) {
		struct pvb_teardown td;
		uint64_t t0, t1, t2;
		struct row w;

		pvb_sleep_ns(r->cfg->floor_gap_ns);
		if (pvb_interrupted)
			return PVB_EXIT_INTERRUPTED;
		t0 = pvb_now_ns();
		rc = r->ops->create(&p, &r->cur);
		if (rc)
			return rc;
		t1 = pvb_now_ns();
		rc = r->ops->start(r->cur);
		if (!rc)
			rc = r->ops->wait(r->cur, PVB_EV_ALIVE, &t2);
		if (rc)
			return rc;
		r->ops->stop(r->cur);
		rc = r->ops->destroy(r->cur, &td);
		r->cur = NULL;
		if (rc)
			return rc;
		if (i < 0)
			continue;
		row_init(r, &w, size, vcpus, "floor", i);
		set_u64(&w, C_CREATE, t1 - t0);
		set_u64(&w, C_START, t2 - t1);
		set_u64(&w, C_REBOOT, t2 - t0);
		if ((rc = row_write(r, &w)))
			return rc;
	}
	return 0;
}

#define MEMORY_BACK_LIMIT_NS 2000000000ULL

/* The memory-back lag after t_end, waiting for it at most until t_end + 2 s; -1 if the
 * memory was not back by then. */
static int64_t memory_back(struct run *r, uint64_t t_end, int64_t baseline, uint64_t size)
{
	int64_t tol = (int64_t)(size / 64 > 32 * PVB_MIB ? size / 64 : 32 * PVB_MIB);
	int64_t lag;

	if (baseline < 0)
		return -1;
	while ((lag = pvb_sampler_back_after(&r->sampler, t_end, baseline, tol)) < 0 &&
	       pvb_now_ns() < t_end + MEMORY_BACK_LIMIT_NS + r->cfg->sample_interval_ns &&
	       !pvb_interrupted)
		pvb_sleep_ns(r->cfg->sample_interval_ns);
	return lag >= 0 && (uint64_t)lag <= MEMORY_BACK_LIMIT_NS ? lag : -1;
}

/* The old guest goes to the cleanup thread. When is a policy (--cleanup-start): any unmap
 * it does contends with the new guest's creation (mmap lock) and first run (CPU). */
static void give_old(struct run *r)
{
	cleaner_give(&r->cleaner, r->cur);
	r->cur = NULL;
}

static int reboot_point(struct run *r, uint64_t size, int vcpus, enum pvb_mode mode)
{
	const struct pvb_backend_ops *o = r->ops;
	enum pvb_cleanup_start start = r->cfg->cleanup_start;
	struct pvb_guest_params p;
	uint64_t t;
	int rc;

	fill_params(r, &p, size, vcpus);
	p.debug_dirty = false;
	rc = o->create(&p, &r->cur);
	if (!rc)
		rc = o->start(r->cur);
	if (!rc)
		rc = o->wait(r->cur, PVB_EV_POPULATED, &t);
	if (rc)
		return rc;
	p.debug_dirty = r->cfg->debug_dirty; /* only the guests a reboot creates */

	for (int i = -r->cfg->warmup; i < r->cfg->iterations; i++) {
		uint64_t t_req, t_stop, t_aside, t_created, t_alive, t_pop;
		struct pvb_teardown td = { 0 };
		int64_t base, lag, low;
		uint64_t populated;
		char human[32];
		struct row w;

		if ((rc = o->resume(r->cur)) || (rc = o->wait(r->cur, PVB_EV_REBOOT, &t_req)))
			return rc;
		if ((rc = o->stop(r->cur)))
			return rc;
		t_stop = pvb_now_ns();
		if (mode == PVB_MODE_SYNC) {
			/* The same thread destroys in both modes: same placement, same CPU
			 * accounting; the hand-off costs microseconds. */
			give_old(r);
			rc = cleaner_wait(&r->cleaner, &td);
			t_aside = pvb_now_ns();
		} else {
			rc = o->set_aside(r->cur);
			t_aside = pvb_now_ns();
		}
		if (rc)
			return rc;
		if (mode == PVB_MODE_ASYNC && start == PVB_CLEANUP_ASIDE)
			give_old(r);
		rc = o->create(&p, &r->next);
		t_created = pvb_now_ns();
		if (rc)
			return rc;
		if (mode == PVB_MODE_ASYNC && start == PVB_CLEANUP_CREATED)
			give_old(r);
		if ((rc = o->start(r->next)) || (rc = o->wait(r->next, PVB_EV_ALIVE, &t_alive)))
			return rc;
		if (mode == PVB_MODE_ASYNC && start == PVB_CLEANUP_ALIVE)
			give_old(r);
		if ((rc = o->wait(r->next, PVB_EV_POPULATED, &t_pop)))
			return rc;
		if (mode == PVB_MODE_ASYNC && (rc = cleaner_wait(&r->cleaner, &td)))
			return rc;
		r->cur = r->next;
		r->next = NULL;
		populated = o->populated_bytes(r->cur);
		base = pvb_sampler_total_at(&r->sampler, t_req);
		lag = memory_back(r, td.t_end, base, size);
		low = pvb_sampler_low(&r->sampler, t_req, t_pop > td.t_end ? t_pop : td.t_end);
		if (i < 0)
			continue;

		row_init(r, &w, size, vcpus, pvb_mode_name(mode), i);
		set_u64(&w, C_REBOOT, t_alive - t_req);
		set_u64(&w, C_STOP, t_stop - t_req);
		set_u64(&w, C_TEARDOWN, t_aside - t_stop);
		set_u64(&w, C_CREATE, t_created - t_aside);
		set_u64(&w, C_START, t_alive - t_created);
		set_u64(&w, C_POPULATE, t_pop - t_alive);
		set_u64(&w, C_CLEANUP, td.t_end - td.t_start);
		set_u64(&w, C_CLEANUP_CPU, td.cpu_ns);
		set_u64(&w, C_VMCLOSE, td.vmclose_ns);
		if (p.scrub)
			set_u64(&w, C_SCRUB_NS, td.scrub_ns);
		set_u64(&w, C_RELEASE, td.release_ns);
		if (lag >= 0)
			set_u64(&w, C_MEMBACK, (uint64_t)lag);
		if (low >= 0)
			set_u64(&w, C_MEMLOW, (uint64_t)low);
		set_u64(&w, C_POPULATED, populated);
		set_u64(&w, C_TREQ, t_req);
		set_u64(&w, C_CLEANUP_START, td.t_start - t_req);
		if ((rc = row_write(r, &w)))
			return rc;
		pvb_format_size(size, human, sizeof(human));
		pvb_info("[%s %s x%d] %d/%d: reboot %.3f ms, teardown %.3f ms, cleanup %.1f ms, "
			 "populate %.0f ms (%.2f GiB/s)", w.f[C_MODE], human, vcpus, i + 1,
			 r->cfg->iterations, (double)(t_alive - t_req) / 1e6,
			 (double)(t_aside - t_stop) / 1e6, (double)(td.t_end - td.t_start) / 1e6,
			 (double)(t_pop - t_alive) / 1e6,
			 (double)populated / PVB_GIB / ((double)(t_pop - t_alive) / 1e9));
	}
	rc = o->stop(r->cur);
	{
		struct pvb_teardown td;
		int rc2 = o->destroy(r->cur, &td);

		r->cur = NULL;
		return rc ? rc : rc2;
	}
}

static int write_meta(struct run *r, const char *status)
{
	json_object_set_new(r->meta, "status", json_string(status));
	json_object_set_new(r->meta, "rows", json_integer(r->rows));
	{
		time_t now = time(NULL);
		struct tm tm;
		char stamp[32];

		gmtime_r(&now, &tm);
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
		json_object_set_new(r->meta, "updated_utc", json_string(stamp));
	}
	return pvb_write_json_atomic(r->meta_path, r->meta) ? PVB_EXIT_FAIL : 0;
}

/* Every point must fit before anything runs: bad input fails fast. */
static int preflight(struct run *r)
{
	const struct pvb_reboot_config *cfg = r->cfg;
	bool async = false;
	int64_t avail = pvb_mem_available();

	if (cfg->cleanup_cpu >= 0) {
		cpu_set_t set;

		if (sched_getaffinity(0, sizeof(set), &set)) {
			pvb_perror("sched_getaffinity");
			return PVB_EXIT_FAIL;
		}
		if (cfg->cleanup_cpu >= CPU_SETSIZE || !CPU_ISSET(cfg->cleanup_cpu, &set)) {
			pvb_err("--cleanup-cpu %d: that CPU is not online or not in this process's "
				"cpuset (see pvbench info)", cfg->cleanup_cpu);
			return PVB_EXIT_USAGE;
		}
	}
	if (cfg->plot && !pvb_plot_available()) {
		pvb_err("--plot needs gnuplot: install it (scripts/setup.sh, or apt-get install "
			"gnuplot-nox), or leave out --plot");
		return PVB_EXIT_USAGE;
	}

	for (int m = 0; m < cfg->nmodes; m++)
		async |= cfg->modes[m] == PVB_MODE_ASYNC;
	for (int s = 0; s < cfg->nsizes; s++) {
		uint64_t size = cfg->sizes[s], peak = async ? 2 * size : size;
		char human[32];

		pvb_format_size(size, human, sizeof(human));
		for (int v = 0; v < cfg->nvcpus; v++) {
			struct pvb_guest_params p;
			char why[512];
			int rc;

			fill_params(r, &p, size, cfg->vcpus[v]);
			rc = r->ops->probe(&p, why, sizeof(why));
			if (rc) {
				pvb_err("%s%s", rc == PVB_EXIT_SKIP ? "skipped: " : "", why);
				return rc;
			}
		}
		if (avail >= 0 && peak + cfg->headroom > (uint64_t)avail) {
			pvb_err("--size %s: the run needs %llu MiB at its peak (%s) plus %llu MiB "
				"headroom, but only %llu MiB are available: use a smaller size, "
				"--mode sync, or a smaller --headroom", human,
				(unsigned long long)(peak >> 20),
				async ? "old and new guest together during an async reboot" : "one guest",
				(unsigned long long)(cfg->headroom >> 20),
				(unsigned long long)((uint64_t)avail >> 20));
			return PVB_EXIT_USAGE;
		}
		if (cfg->backing == PVB_BACKING_HUGETLB) {
			int64_t free2m = pvb_hugetlb_free_2m();

			if (free2m < 0 || (uint64_t)free2m * 2 * PVB_MIB < peak) {
				pvb_err("skipped: --backing hugetlb needs %llu free 2 MiB huge pages for "
					"--size %s, the pool has %lld: reserve them with 'echo N > "
					"/proc/sys/vm/nr_hugepages'", (unsigned long long)(peak >> 21),
					human, (long long)free2m);
				return PVB_EXIT_SKIP;
			}
		}
	}
	return 0;
}

int pvb_reboot_run(const struct pvb_reboot_config *cfg)
{
	struct run r = { .cfg = cfg };
	char path[4200];
	int rc;

	r.ops = pvb_backend_find(cfg->backend);
	if (!r.ops) {
		pvb_err("unknown backend '%s'", cfg->backend);
		return PVB_EXIT_USAGE;
	}
	if ((rc = preflight(&r)))
		return rc;
	snprintf(path, sizeof(path), "%s/iterations.csv", cfg->out_dir);
	if (access(path, F_OK) == 0) {
		pvb_err("--out %s already holds a run: choose another directory", cfg->out_dir);
		return PVB_EXIT_USAGE;
	}
	if (pvb_mkdirs(cfg->out_dir))
		return PVB_EXIT_USAGE;
	r.meta = json_object();
	json_object_set_new(r.meta, "pvbench_run", json_string("reboot"));
	json_object_set_new(r.meta, "emulated", json_false());
	json_object_set_new(r.meta, "host", pvb_sysinfo_json());
	json_object_set_new(r.meta, "config", pvb_reboot_config_json(cfg));
	snprintf(r.meta_path, sizeof(r.meta_path), "%s/meta.json", cfg->out_dir);
	if (pvb_csv_open(&r.csv, path, pvb_iteration_cols, C_NCOLS)) {
		json_decref(r.meta);
		return PVB_EXIT_FAIL;
	}
	if ((rc = cleaner_start(&r))) {
		pvb_csv_close(&r.csv);
		json_decref(r.meta);
		return rc;
	}
	if (pvb_sampler_start(&r.sampler, cfg->sample_interval_ns)) {
		rc = PVB_EXIT_FAIL;
		goto out_cleaner;
	}
	if ((rc = write_meta(&r, "running")))
		goto out;
	pvb_info("results in %s", cfg->out_dir);

	for (int s = 0, point = 0; s < cfg->nsizes && !rc; s++) {
		rc = host_reference(&r, cfg->sizes[s]);
		for (int v = 0; v < cfg->nvcpus && !rc; v++, point++) {
			if (cfg->floor)
				rc = floor_point(&r, cfg->sizes[s], cfg->vcpus[v]);
			/* The mode that goes first alternates from point to point, so that a
			 * drift in the host does not always favour the same mode. */
			for (int m = 0; m < cfg->nmodes && !rc; m++) {
				int k = point % 2 ? cfg->nmodes - 1 - m : m;

				rc = reboot_point(&r, cfg->sizes[s], cfg->vcpus[v], cfg->modes[k]);
			}
		}
		if (r.rows && pvb_summary_write(cfg->out_dir, NULL))
			rc = rc ? rc : PVB_EXIT_FAIL;
	}
	if (pvb_interrupted && (!rc || rc == PVB_EXIT_FAIL))
		rc = PVB_EXIT_INTERRUPTED;
out:
	abandon(&r);
	pvb_sampler_stop(&r.sampler);
out_cleaner:
	cleaner_stop(&r.cleaner);
	pvb_csv_close(&r.csv);
	if (write_meta(&r, rc == 0 ? "complete" : rc == PVB_EXIT_INTERRUPTED ? "interrupted"
										     : "failed"))
		rc = rc ? rc : PVB_EXIT_FAIL;
	if (r.rows) {
		if (pvb_summary_write(cfg->out_dir, stdout))
			rc = rc ? rc : PVB_EXIT_FAIL;
		if (cfg->plot && rc == 0 && pvb_plot_dir(cfg->out_dir)) {
			pvb_err("the run is complete, but its plots failed (see above)");
			rc = PVB_EXIT_FAIL;
		}
	}
	if (rc == PVB_EXIT_INTERRUPTED)
		pvb_err("interrupted: %d completed rows kept in %s", r.rows, cfg->out_dir);
	json_decref(r.meta);
	return rc;
}

int pvb_cmd_reboot(int argc, char **argv)
{
	struct pvb_reboot_config cfg;
	int rc = pvb_reboot_parse(argc, argv, &cfg);

	if (rc >= 0)
		return rc;
	return pvb_reboot_run(&cfg);
}

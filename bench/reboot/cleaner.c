/* The cleanup thread of a lane (cleaner.h): it destroys each guest handed to it and reads
 * the progress of the guest it watches meanwhile. */
#include <errno.h>
#include <string.h>

#include "backends/vcpu.h"
#include "cleaner.h"
#include "host/placement.h"
#include "host/threads.h"
#include "host/tracemark.h"
#include "phase.h"
#include "pvbench.h"

/* Destroy g, with the kernel counters of the destroy in cnt. */
static int destroy_counted(struct pvb_cleaner *c, const struct pvb_vmstat *vs, struct pvb_guest *g,
			   struct pvb_teardown *td, struct pvb_cleanup_counts *cnt)
{
	struct pvb_perf_read p0, p1;
	int rc;

	memset(cnt, 0, sizeof(*cnt));
	if (vs)
		pvb_vmstat_read(vs, &cnt->vm0);
	pvb_perf_read(&c->perf, &p0);
	pvb_trace_mark("g%d cleanup begin", c->lane);
	pvb_phase_set(PVB_PHASE_CLEANUP);
	rc = pvb_guest_destroy(c->ops, g, td);
	pvb_phase_set(PVB_PHASE_IDLE);
	pvb_trace_mark("g%d cleanup end", c->lane);
	pvb_perf_read(&c->perf, &p1);
	if (vs)
		pvb_vmstat_read(vs, &cnt->vm1);
	pvb_perf_delta(&p0, &p1, &cnt->perf);
	return rc;
}

static void *cleaner_thread(void *arg)
{
	struct pvb_cleaner *c = arg;
	int rc = 0;

	pvb_block_stop_signals();
	pvb_phase_bind_cleanup(c->lane);
	pvb_phase_set(PVB_PHASE_IDLE);
	pvb_thread_name("cleanup", "pvb-clean%d", c->lane);
	pvb_perf_open(&c->perf, 0); /* nothing without --perf; a failure is warned */
	if (c->bind)
		rc = pvb_bind_current_thread(c->topo, c->bind, c->cpus, sizeof(c->cpus));
	else
		rc = pvb_current_thread_cpuset(c->topo, c->cpus, sizeof(c->cpus));

	pthread_mutex_lock(&c->lock);
	c->start_rc = rc;
	c->ready = true;
	pthread_cond_broadcast(&c->cond);
	while (!rc) {
		struct pvb_teardown td = { .progress = &c->released };
		const struct pvb_guest *watch;
		const struct pvb_vmstat *vs;
		struct pvb_cleanup_counts cnt;
		struct pvb_guest *g;

		while (!c->quit && (!c->guest || c->done))
			pthread_cond_wait(&c->cond, &c->lock);
		if (c->quit && (!c->guest || c->done))
			break;
		g = c->guest;
		watch = c->watch;
		vs = c->vmstat;
		__atomic_store_n(&c->released, 0, __ATOMIC_RELAXED);
		pthread_mutex_unlock(&c->lock);
		c->watch_start = watch ? pvb_guest_progress(c->ops, watch) : 0;
		rc = destroy_counted(c, vs, g, &td, &cnt);
		c->watch_end = watch ? pvb_guest_progress(c->ops, watch) : 0;
		pthread_mutex_lock(&c->lock);
		c->td = td;
		c->cnt = cnt;
		c->rc = rc;
		c->done = true;
		rc = 0;
		pthread_cond_broadcast(&c->cond);
	}
	pthread_mutex_unlock(&c->lock);
	pvb_perf_close(&c->perf);
	return NULL;
}

int pvb_cleaner_start(struct pvb_cleaner *c, const struct pvb_backend_ops *ops,
		      hwloc_topology_t topo, hwloc_const_cpuset_t set, int lane)
{
	int rc;

	memset(c, 0, sizeof(*c));
	pvb_perf_init(&c->perf);
	c->lane = lane;
	c->ops = ops;
	c->topo = topo;
	if (set && !(c->bind = hwloc_bitmap_dup(set))) {
		pvb_err("out of memory");
		return PVB_EXIT_FAIL;
	}
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->cond, NULL);
	rc = pthread_create(&c->thread, NULL, cleaner_thread, c);
	if (rc) {
		errno = rc;
		pvb_perror("cleanup thread");
		pthread_cond_destroy(&c->cond);
		pthread_mutex_destroy(&c->lock);
		hwloc_bitmap_free(c->bind);
		return PVB_EXIT_FAIL;
	}
	c->running = true;
	pthread_mutex_lock(&c->lock);
	while (!c->ready)
		pthread_cond_wait(&c->cond, &c->lock);
	rc = c->start_rc;
	pthread_mutex_unlock(&c->lock);
	if (rc)
		pvb_cleaner_stop(c);
	return rc;
}

void pvb_cleaner_stop(struct pvb_cleaner *c)
{
	if (!c->running)
		return;
	pthread_mutex_lock(&c->lock);
	c->quit = true;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
	pthread_join(c->thread, NULL);
	pthread_cond_destroy(&c->cond);
	pthread_mutex_destroy(&c->lock);
	hwloc_bitmap_free(c->bind);
	c->bind = NULL;
	c->running = false;
}

void pvb_cleaner_give(struct pvb_cleaner *c, struct pvb_guest *old, const struct pvb_guest *watch)
{
	pthread_mutex_lock(&c->lock);
	c->guest = old;
	c->watch = watch;
	c->done = false;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
}

int pvb_cleaner_wait(struct pvb_cleaner *c, struct pvb_teardown *td, uint64_t *watch_start,
		     uint64_t *watch_end)
{
	int rc = 0;

	if (!c->running)
		return 0;
	pthread_mutex_lock(&c->lock);
	while (c->guest && !c->done)
		pthread_cond_wait(&c->cond, &c->lock);
	if (c->guest) {
		rc = c->rc;
		if (td)
			*td = c->td;
		if (watch_start)
			*watch_start = c->watch_start;
		if (watch_end)
			*watch_end = c->watch_end;
	}
	c->guest = NULL;
	c->watch = NULL;
	/* nothing is being released until the next destroy */
	__atomic_store_n(&c->released, 0, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&c->lock);
	return rc;
}

void pvb_cleaner_counts(struct pvb_cleaner *c, struct pvb_cleanup_counts *out)
{
	if (!c->running) {
		memset(out, 0, sizeof(*out));
		return;
	}
	pthread_mutex_lock(&c->lock);
	*out = c->cnt;
	pthread_mutex_unlock(&c->lock);
}

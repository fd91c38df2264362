/* A guest's events between its vCPU threads and the thread that waits on it (gevents.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "gevents.h"
#include "pvbench.h"
#include "timing.h"

int pvb_gev_init(struct pvb_gevents *e, int nvcpus, uint64_t timeout_ns)
{
	pthread_condattr_t ca;
	int r;

	memset(e, 0, sizeof(*e));
	e->nvcpus = nvcpus;
	e->timeout_ns = timeout_ns;
	if ((r = pthread_mutex_init(&e->lock, NULL)))
		goto fail;
	if ((r = pthread_condattr_init(&ca)))
		goto fail_lock;
	/* The deadlines below come from pvb_now_ns (CLOCK_MONOTONIC): the condition variable
	 * must use that clock, or every timed wait returns at once and the waiter spins. */
	if (!(r = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC)))
		r = pthread_cond_init(&e->cond, &ca);
	pthread_condattr_destroy(&ca);
	if (!r)
		return 0;
fail_lock:
	pthread_mutex_destroy(&e->lock);
fail:
	errno = r;
	pvb_perror("initialising a guest's event lock");
	return -1;
}

void pvb_gev_destroy(struct pvb_gevents *e)
{
	pthread_cond_destroy(&e->cond);
	pthread_mutex_destroy(&e->lock);
}

static void vfail(struct pvb_gevents *e, int code, const char *fmt, va_list ap)
{
	if (!e->error) {
		e->error = code;
		vsnprintf(e->errmsg, sizeof(e->errmsg), fmt, ap);
	}
	pthread_cond_broadcast(&e->cond);
}

void pvb_gev_fail(struct pvb_gevents *e, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(e, code, fmt, ap);
	va_end(ap);
}

void pvb_gev_fail_unlocked(struct pvb_gevents *e, int code, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&e->lock);
	va_start(ap, fmt);
	vfail(e, code, fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&e->lock);
}

void pvb_gev_alive(struct pvb_gevents *e, uint64_t t)
{
	if (e->alive++ == 0)
		e->t[PVB_EV_ALIVE] = t;
	pthread_cond_broadcast(&e->cond);
}

bool pvb_gev_populated(struct pvb_gevents *e, int vcpu, uint64_t t)
{
	if (++e->populated_vcpus == e->nvcpus) {
		e->t[PVB_EV_POPULATED] = t;
		pthread_cond_broadcast(&e->cond);
	}
	/* vCPU 0 goes on to request the reboot; the others stay parked here, as the halted
	 * vCPUs of an idle guest would, instead of spinning on a host CPU. */
	while (!(vcpu == 0 && e->go) && !e->stopping)
		pthread_cond_wait(&e->cond, &e->lock);
	return vcpu == 0 && !e->stopping;
}

void pvb_gev_reboot(struct pvb_gevents *e, uint64_t t)
{
	e->t[PVB_EV_REBOOT] = t;
	e->rebooted = true;
	pthread_cond_broadcast(&e->cond);
}

static bool done(const struct pvb_gevents *e, enum pvb_event ev)
{
	switch (ev) {
	case PVB_EV_ALIVE:
		return e->alive > 0;
	case PVB_EV_POPULATED:
		return e->populated_vcpus == e->nvcpus;
	default:
		return e->rebooted;
	}
}

int pvb_gev_wait(struct pvb_gevents *e, enum pvb_event ev, uint64_t *t_ns)
{
	/* A guest that makes no progress (e.g. a payload bug) must not hang the run. */
	uint64_t limit = pvb_now_ns() + e->timeout_ns;
	int rc = 0;

	pthread_mutex_lock(&e->lock);
	while (!done(e, ev) && !e->error) {
		uint64_t now = pvb_now_ns(), wake = now + 50000000ULL;
		struct timespec ts = { .tv_sec = (time_t)(wake / 1000000000ULL),
				       .tv_nsec = (long)(wake % 1000000000ULL) };

		if (pvb_interrupted) {
			rc = PVB_EXIT_INTERRUPTED;
			break;
		}
		if (now > limit) {
			pvb_gev_fail(e, PVB_EXIT_FAIL, "guest timed out waiting for %s",
				     ev == PVB_EV_ALIVE	    ? "alive" :
				     ev == PVB_EV_POPULATED ? "populated" :
							      "reboot request");
			break;
		}
		pthread_cond_timedwait(&e->cond, &e->lock, &ts);
	}
	if (!rc && e->error) {
		rc = e->error;
		pvb_err("%s", e->errmsg);
	}
	if (!rc)
		*t_ns = e->t[ev];
	pthread_mutex_unlock(&e->lock);
	return rc;
}

void pvb_gev_resume(struct pvb_gevents *e)
{
	pthread_mutex_lock(&e->lock);
	e->go = true;
	pthread_cond_broadcast(&e->cond);
	pthread_mutex_unlock(&e->lock);
}

void pvb_gev_stop(struct pvb_gevents *e)
{
	pthread_mutex_lock(&e->lock);
	__atomic_store_n(&e->stopping, true, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&e->cond);
	pthread_mutex_unlock(&e->lock);
}

bool pvb_gev_stopping(struct pvb_gevents *e)
{
	return __atomic_load_n(&e->stopping, __ATOMIC_ACQUIRE);
}

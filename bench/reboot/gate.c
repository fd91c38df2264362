/* The gate where the guests rebooting together meet before each reboot: every lane's reboot
 * is meant to happen in lockstep; a failed lane breaks the gate so that the others do not
 * wait for it forever. The last lane to arrive may decide, once for all, that the point stops
 * there (--target-ci): between reboots, never between the timestamps of one. */
#include <errno.h>
#include <time.h>

#include "pvbench.h"
#include "reboot_int.h"
#include "timing.h"

int pvb_gate_init(struct gate *g)
{
	pthread_condattr_t ca;
	int e;

	pthread_mutex_init(&g->lock, NULL);
	/* The deadlines below come from pvb_now_ns (CLOCK_MONOTONIC): on the default clock
	 * every timed wait would return at once and a waiting lane would spin. */
	if ((e = pthread_condattr_init(&ca)) == 0) {
		if ((e = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC)) == 0)
			e = pthread_cond_init(&g->cond, &ca);
		pthread_condattr_destroy(&ca);
	}
	if (e) {
		errno = e;
		pvb_perror("initialising the guests' gate");
		pthread_mutex_destroy(&g->lock);
		return PVB_EXIT_FAIL;
	}
	return 0;
}

void pvb_gate_destroy(struct gate *g)
{
	pthread_mutex_destroy(&g->lock);
	pthread_cond_destroy(&g->cond);
}

void pvb_gate_reset(struct gate *g, int parties)
{
	g->parties = parties;
	g->waiting = 0;
	g->broken = false;
	g->stop = false;
}

bool pvb_gate_pass(struct gate *g, bool *stop)
{
	bool ok;

	pthread_mutex_lock(&g->lock);
	if (!g->broken && ++g->waiting == g->parties) {
		g->waiting = 0;
		g->stop = g->decide && g->decide(g->arg);
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
	*stop = ok && g->stop;
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);
	return ok;
}

void pvb_gate_break(struct gate *g)
{
	pthread_mutex_lock(&g->lock);
	g->broken = true;
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);
}

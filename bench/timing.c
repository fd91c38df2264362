/* The one clock helper: every timestamp in pvbench comes from here (timing.h). */
#include <errno.h>
#include <time.h>

#include "pvbench.h"
#include "timing.h"

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	/* Both clocks are mandatory on Linux; failure would be a libc bug. */
	if (clock_gettime(id, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t pvb_now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

uint64_t pvb_thread_cpu_ns(void)
{
	return clock_ns(CLOCK_THREAD_CPUTIME_ID);
}

void pvb_sleep_ns(uint64_t ns)
{
	struct timespec ts = { .tv_sec = ns / 1000000000ULL, .tv_nsec = ns % 1000000000ULL };

	while (nanosleep(&ts, &ts) && errno == EINTR && !pvb_interrupted)
		;
}

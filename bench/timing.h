/* The one clock helper: every timestamp in pvbench comes from here. */
#ifndef PVB_TIMING_H
#define PVB_TIMING_H
#include <stdint.h>

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t pvb_now_ns(void);
/* CPU time consumed by the calling thread, in nanoseconds. */
uint64_t pvb_thread_cpu_ns(void);
/* Sleep for ns nanoseconds (restarted on EINTR unless pvb_interrupted is set). */
void pvb_sleep_ns(uint64_t ns);

#endif

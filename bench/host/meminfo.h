/* MemAvailable and process RSS: one-shot reads and a background sampler. */
#ifndef PVB_MEMINFO_H
#define PVB_MEMINFO_H
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

/* MemAvailable in bytes, or -1. */
int64_t pvb_mem_available(void);
/* Hugetlb pool: free and unreserved 2 MiB pages, or -1. */
int64_t pvb_hugetlb_free_2m(void);

struct pvb_mem_sample {
	uint64_t t_ns;
	int64_t avail; /* MemAvailable, bytes */
	int64_t rss;   /* this process's resident set, bytes */
	int64_t pcp;   /* pages on the per-CPU free lists, in bytes (not in MemAvailable) */
	int64_t a, b;  /* the probe's two values (-1: no probe) */
};

/* Called by the sampler thread, with the sampler's lock held, for every sample. */
typedef void (*pvb_probe_fn)(void *arg, int64_t *a, int64_t *b);

/* A thread that samples every interval_ns into a ring buffer. */
struct pvb_sampler {
	pthread_t thread;
	pthread_mutex_t lock;
	struct pvb_mem_sample *ring;
	uint64_t cap, count; /* count: samples taken so far (ring index = count % cap) */
	uint64_t interval_ns;
	int meminfo_fd, statm_fd, zoneinfo_fd;
	pvb_probe_fn probe;
	void *probe_arg;
	volatile int stop;
	bool running;
};

int pvb_sampler_start(struct pvb_sampler *s, uint64_t interval_ns);
void pvb_sampler_stop(struct pvb_sampler *s);
/* Take one sample now (also used by the sampler thread). Returns 0, or -1. */
int pvb_sampler_read(struct pvb_sampler *s, struct pvb_mem_sample *out);

/* Lowest MemAvailable among samples in [t0, t1]; -1 if none. */
int64_t pvb_sampler_low(struct pvb_sampler *s, uint64_t t0, uint64_t t1);
/* Memory-back lag: the first sample at or after t_end whose MemAvailable + RSS (+ the per-CPU
 * free lists with pcp) is at least baseline - tolerance, as ns after t_end. Returns the lag,
 * or -1 if no such sample (yet). */
int64_t pvb_sampler_back_after(struct pvb_sampler *s, uint64_t t_end, int64_t baseline,
			       int64_t tolerance, bool pcp);
/* Install (fn non-NULL) or remove a probe; when this returns, the old probe is no longer
 * running. */
void pvb_sampler_set_probe(struct pvb_sampler *s, pvb_probe_fn fn, void *arg);
/* Highest RSS among samples in [t0, t1]; -1 if none (or the ring no longer reaches t0). */
int64_t pvb_sampler_peak_rss(struct pvb_sampler *s, uint64_t t0, uint64_t t1);
/* Copy the samples in [t0, t1] into a malloc'ed array (*out, free() it). Returns the count,
 * or -1. */
long pvb_sampler_copy(struct pvb_sampler *s, uint64_t t0, uint64_t t1, struct pvb_mem_sample **out);
/* MemAvailable + RSS (+ per-CPU free lists with pcp) of the last sample at or before t; -1
 * if none. */
int64_t pvb_sampler_total_at(struct pvb_sampler *s, uint64_t t, bool pcp);

#endif

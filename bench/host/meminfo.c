/* MemAvailable and process RSS: one-shot reads of /proc and the background sampler that
 * records their lowest and highest values during a reboot (meminfo.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "meminfo.h"
#include "threads.h"
#include "pvbench.h"
#include "timing.h"

#define RING_CAP (1u << 17) /* 131 s of history at 1 ms */

/* MemAvailable from an open /proc/meminfo, in bytes; -1 on failure. */
static int64_t read_avail(int fd)
{
	char buf[4096], *p;
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strstr(buf, "MemAvailable:");
	if (!p)
		return -1;
	return strtoll(p + 13, NULL, 10) * 1024;
}

static int64_t read_rss(int fd)
{
	char buf[256];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	long long size, res;

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if (sscanf(buf, "%lld %lld", &size, &res) != 2)
		return -1;
	return res * sysconf(_SC_PAGESIZE);
}

/* Pages on the per-CPU free lists (the "count:" of every pageset), in bytes; 0 if unknown. */
static int64_t read_pcp(int fd)
{
	char buf[32768], *p;
	ssize_t n;
	int64_t pages = 0;

	if (fd < 0 || (n = pread(fd, buf, sizeof(buf) - 1, 0)) <= 0)
		return 0;
	buf[n] = '\0';
	for (p = buf; (p = strstr(p, "count:")); p += 6)
		pages += strtoll(p + 6, NULL, 10);
	return pages * 4096;
}

int64_t pvb_mem_available(void)
{
	int fd = open("/proc/meminfo", O_RDONLY | O_CLOEXEC);
	int64_t v;

	if (fd < 0)
		return -1;
	v = read_avail(fd);
	close(fd);
	return v;
}

int64_t pvb_hugetlb_free_2m(void)
{
	char f[64], r[64];

	/* Pages reserved by other mappings count as free but cannot be had. */
	if (pvb_read_text("/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages", f,
			  sizeof(f)) ||
	    pvb_read_text("/sys/kernel/mm/hugepages/hugepages-2048kB/resv_hugepages", r, sizeof(r)))
		return -1;
	return strtoll(f, NULL, 10) - strtoll(r, NULL, 10);
}

int pvb_sampler_read(struct pvb_sampler *s, struct pvb_mem_sample *out)
{
	out->t_ns = pvb_now_ns();
	out->avail = read_avail(s->meminfo_fd);
	out->rss = read_rss(s->statm_fd);
	out->pcp = read_pcp(s->zoneinfo_fd);
	out->a = out->b = -1;
	return out->avail < 0 || out->rss < 0 ? -1 : 0;
}

void pvb_sampler_set_probe(struct pvb_sampler *s, pvb_probe_fn fn, void *arg)
{
	pthread_mutex_lock(&s->lock);
	s->probe = fn;
	s->probe_arg = arg;
	pthread_mutex_unlock(&s->lock);
}

static void *sampler_thread(void *arg)
{
	struct pvb_sampler *s = arg;

	pvb_thread_name("sampler", "pvb-sampler");
	while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
		struct pvb_mem_sample m;

		if (pvb_sampler_read(s, &m) == 0) {
			pthread_mutex_lock(&s->lock);
			if (s->probe)
				s->probe(s->probe_arg, &m.a, &m.b);
			s->ring[s->count % s->cap] = m;
			s->count++;
			pthread_mutex_unlock(&s->lock);
		}
		pvb_sleep_ns(s->interval_ns);
	}
	return NULL;
}

int pvb_sampler_start(struct pvb_sampler *s, uint64_t interval_ns)
{
	sigset_t block, old;
	int rc;

	memset(s, 0, sizeof(*s));
	s->cap = RING_CAP;
	s->interval_ns = interval_ns;
	/* Touched now, not sample by sample: the process's RSS stays level instead of growing
	 * for the ring's first 131 s (pvbench stress's drift check reads it). */
	s->ring = malloc(s->cap * sizeof(*s->ring));
	if (s->ring)
		memset(s->ring, 0, s->cap * sizeof(*s->ring));
	s->meminfo_fd = open("/proc/meminfo", O_RDONLY | O_CLOEXEC);
	s->statm_fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
	/* optional: without it the per-CPU free lists read as empty */
	s->zoneinfo_fd = open("/proc/zoneinfo", O_RDONLY | O_CLOEXEC);
	if (!s->ring || s->meminfo_fd < 0 || s->statm_fd < 0) {
		pvb_perror("memory sampler: /proc/meminfo or /proc/self/statm");
		goto fail;
	}
	pthread_mutex_init(&s->lock, NULL);
	/* The sampler never takes SIGINT/SIGTERM: the main thread does. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	rc = pthread_create(&s->thread, NULL, sampler_thread, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc) {
		errno = rc;
		pvb_perror("memory sampler thread");
		pthread_mutex_destroy(&s->lock);
		goto fail;
	}
	s->running = true;
	return 0;
fail:
	free(s->ring);
	if (s->meminfo_fd >= 0)
		close(s->meminfo_fd);
	if (s->statm_fd >= 0)
		close(s->statm_fd);
	if (s->zoneinfo_fd >= 0)
		close(s->zoneinfo_fd);
	s->ring = NULL;
	return -1;
}

void pvb_sampler_stop(struct pvb_sampler *s)
{
	if (!s->running)
		return;
	__atomic_store_n(&s->stop, 1, __ATOMIC_RELEASE);
	pthread_join(s->thread, NULL);
	pthread_mutex_destroy(&s->lock);
	close(s->meminfo_fd);
	close(s->statm_fd);
	if (s->zoneinfo_fd >= 0)
		close(s->zoneinfo_fd);
	free(s->ring);
	s->ring = NULL;
	s->running = false;
}

/* Index range [first, count) of the samples still in the ring. Called with the lock held. */
static uint64_t first_kept(const struct pvb_sampler *s)
{
	return s->count > s->cap ? s->count - s->cap : 0;
}

/* Does the ring still hold everything from t0 on? Called with the lock held. */
static bool reaches(const struct pvb_sampler *s, uint64_t t0)
{
	return s->count <= s->cap || s->ring[s->count % s->cap].t_ns <= t0;
}

int64_t pvb_sampler_low(struct pvb_sampler *s, uint64_t t0, uint64_t t1)
{
	int64_t low = -1;

	pthread_mutex_lock(&s->lock);
	/* The ring no longer reaches back to t0: a partial window would mislead. */
	if (s->count > s->cap && s->ring[s->count % s->cap].t_ns > t0) {
		pthread_mutex_unlock(&s->lock);
		return -1;
	}
	for (uint64_t i = s->count; i > first_kept(s); i--) {
		const struct pvb_mem_sample *m = &s->ring[(i - 1) % s->cap];

		if (m->t_ns < t0)
			break;
		if (m->t_ns <= t1 && (low < 0 || m->avail < low))
			low = m->avail;
	}
	pthread_mutex_unlock(&s->lock);
	return low;
}

int64_t pvb_sampler_peak_rss(struct pvb_sampler *s, uint64_t t0, uint64_t t1)
{
	int64_t peak = -1;

	pthread_mutex_lock(&s->lock);
	for (uint64_t i = s->count; reaches(s, t0) && i > first_kept(s); i--) {
		const struct pvb_mem_sample *m = &s->ring[(i - 1) % s->cap];

		if (m->t_ns < t0)
			break;
		if (m->t_ns <= t1 && m->rss > peak)
			peak = m->rss;
	}
	pthread_mutex_unlock(&s->lock);
	return peak;
}

long pvb_sampler_copy(struct pvb_sampler *s, uint64_t t0, uint64_t t1, struct pvb_mem_sample **out)
{
	uint64_t i, first;
	long n = 0;

	pthread_mutex_lock(&s->lock);
	for (i = s->count; i > first_kept(s) && s->ring[(i - 1) % s->cap].t_ns >= t0; i--)
		;
	first = i;
	while (i < s->count && s->ring[i % s->cap].t_ns <= t1)
		i++;
	*out = malloc(((i - first) ? (i - first) : 1) * sizeof(**out));
	if (*out)
		for (uint64_t j = first; j < i; j++)
			(*out)[n++] = s->ring[j % s->cap];
	pthread_mutex_unlock(&s->lock);
	return *out ? n : -1;
}

int64_t pvb_sampler_total_at(struct pvb_sampler *s, uint64_t t, bool pcp)
{
	int64_t v = -1;

	pthread_mutex_lock(&s->lock);
	for (uint64_t i = s->count; i > first_kept(s); i--) {
		const struct pvb_mem_sample *m = &s->ring[(i - 1) % s->cap];

		if (m->t_ns <= t) {
			v = m->avail + m->rss + (pcp ? m->pcp : 0);
			break;
		}
	}
	pthread_mutex_unlock(&s->lock);
	return v;
}

int64_t pvb_sampler_back_after(struct pvb_sampler *s, uint64_t t_end, int64_t baseline,
			       int64_t tolerance, bool pcp)
{
	int64_t lag = -1;
	uint64_t i;

	pthread_mutex_lock(&s->lock);
	if (!reaches(s, t_end)) {
		pthread_mutex_unlock(&s->lock);
		return -1;
	}
	/* back to the first sample at or after t_end, then forward */
	for (i = s->count; i > first_kept(s) && s->ring[(i - 1) % s->cap].t_ns >= t_end; i--)
		;
	for (; i < s->count; i++) {
		const struct pvb_mem_sample *m = &s->ring[i % s->cap];

		if (m->avail + m->rss + (pcp ? m->pcp : 0) >= baseline - tolerance) {
			lag = (int64_t)(m->t_ns - t_end);
			break;
		}
	}
	pthread_mutex_unlock(&s->lock);
	return lag;
}

/* The vCPU threads of a guest (start, stop, wait) and the worker threads' signal mask. */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "host/threads.h"
#include "pvbench.h"
#include "vcpu.h"

static struct pvb_vcpus *vcpus_of(struct pvb_guest *g)
{
	return (struct pvb_vcpus *)(void *)g;
}

void pvb_block_stop_signals(void)
{
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, NULL);
}

int pvb_vcpus_init(struct pvb_vcpus *vc, int n, uint64_t timeout_ns,
		   void (*kick)(struct pvb_guest *g, int i))
{
	if (n < 1 || n > PVB_VCPUS_MAX) {
		pvb_err("%d vCPUs: a guest has 1 to %d", n, PVB_VCPUS_MAX);
		return -1;
	}
	vc->kick = kick;
	for (int i = 0; i < PVB_VCPUS_MAX; i++)
		pvb_perf_init(&vc->perf[i]);
	return pvb_gev_init(&vc->ev, n, timeout_ns);
}

/* Start the thread of vCPU i running fn(arg), pinned to cpu0 if i is 0 and cpu0 is given. */
static int thread_start(pthread_t *t, int i, const cpu_set_t *cpu0, void *(*fn)(void *), void *arg)
{
	pthread_attr_t pinned;
	bool pin = i == 0 && cpu0;
	int r = 0;

	if (pin && (r = pthread_attr_init(&pinned))) {
		errno = r;
		pvb_perror("pinning vCPU 0");
		return PVB_EXIT_FAIL;
	}
	if (pin && (r = pthread_attr_setaffinity_np(&pinned, sizeof(*cpu0), cpu0))) {
		errno = r;
		pvb_perror("pinning vCPU 0");
	}
	if (!r && (r = pthread_create(t, pin ? &pinned : NULL, fn, arg))) {
		errno = r;
		pvb_perror("pthread_create for vCPU %d", i);
	}
	if (pin)
		pthread_attr_destroy(&pinned);
	return r ? PVB_EXIT_FAIL : 0;
}

/* A vCPU thread's first steps: its TID (for --perf's counters) and name, then the backend's
 * loop. */
static void *vcpu_main(void *arg)
{
	struct pvb_vcpu_boot *b = arg;

	__atomic_store_n(&b->tid, (int)syscall(SYS_gettid), __ATOMIC_RELEASE);
	pvb_thread_name(NULL, "pvb-vcpu%d.%d", b->lane, b->i);
	return b->fn(b->arg);
}

int pvb_vcpus_start(struct pvb_vcpus *vc, const struct pvb_guest_params *p, void *(*fn)(void *),
		    void *args, size_t size)
{
	for (int i = 0; i < vc->ev.nvcpus; i++) {
		vc->boot[i] = (struct pvb_vcpu_boot){
			.i = i, .lane = p->lane, .fn = fn, .arg = (char *)args + (size_t)i * size
		};
		if (thread_start(&vc->thread[i], i, p->vcpu0_cpus, vcpu_main, &vc->boot[i]))
			return PVB_EXIT_FAIL;
		vc->started[i] = true;
	}
	return 0;
}

int pvb_vcpus_wait(struct pvb_guest *g, enum pvb_event ev, uint64_t *t_ns)
{
	return pvb_gev_wait(&vcpus_of(g)->ev, ev, t_ns);
}

int pvb_vcpus_resume(struct pvb_guest *g)
{
	pvb_gev_resume(&vcpus_of(g)->ev);
	return 0;
}

int pvb_vcpus_stop(struct pvb_guest *g)
{
	struct pvb_vcpus *vc = vcpus_of(g);

	pvb_gev_stop(&vc->ev);
	for (int i = 0; i < vc->ev.nvcpus; i++)
		if (vc->started[i])
			vc->kick(g, i);
	for (int i = 0; i < vc->ev.nvcpus; i++) {
		int e;

		if (!vc->started[i])
			continue;
		e = pthread_join(vc->thread[i], NULL);
		if (e) {
			errno = e;
			pvb_perror("pthread_join (vCPU %d)", i);
			abort();
		}
		vc->started[i] = false;
	}
	for (int i = 0; i < vc->ev.nvcpus; i++)
		pvb_perf_close(&vc->perf[i]);
	return 0;
}

int pvb_vcpus_cpus(const struct pvb_guest *g, int vcpu, cpu_set_t *out)
{
	const struct pvb_vcpus *vc = (const struct pvb_vcpus *)(const void *)g;
	int e;

	if (vcpu < 0 || vcpu >= vc->ev.nvcpus || !vc->started[vcpu])
		return -1;
	e = pthread_getaffinity_np(vc->thread[vcpu], sizeof(*out), out);
	if (e) {
		errno = e;
		pvb_perror("pthread_getaffinity_np (vCPU %d)", vcpu);
		return -1;
	}
	return 0;
}

/* The TID of vCPU i's thread once it has set it (it was started: microseconds at most). */
static int vcpu_tid(struct pvb_vcpus *vc, int i)
{
	for (int spin = 0; spin < 100000; spin++) {
		int tid = __atomic_load_n(&vc->boot[i].tid, __ATOMIC_ACQUIRE);

		if (tid)
			return tid;
		sched_yield();
	}
	return 0;
}

int pvb_vcpus_perf_open(struct pvb_guest *g)
{
	struct pvb_vcpus *vc = vcpus_of(g);
	int rc = 0;

	for (int i = 0; i < vc->ev.nvcpus; i++) {
		int tid = vc->started[i] ? vcpu_tid(vc, i) : 0;

		pvb_perf_close(&vc->perf[i]);
		if (!tid || pvb_perf_open(&vc->perf[i], tid))
			rc = -1;
	}
	return rc;
}

int pvb_vcpus_perf(struct pvb_guest *g, struct pvb_perf_counts *out)
{
	struct pvb_vcpus *vc = vcpus_of(g);
	const struct pvb_perf_read zero = { .ok = true }; /* a group counts from its open */
	int got = 0;

	memset(out, 0, sizeof(*out));
	for (int i = 0; i < vc->ev.nvcpus; i++) {
		struct pvb_perf_read now;
		struct pvb_perf_counts c;
		int r = vc->started[i] ? pvb_perf_read(&vc->perf[i], &now) : -1;

		pvb_perf_close(&vc->perf[i]);
		if (r)
			continue;
		pvb_perf_delta(&zero, &now, &c);
		pvb_perf_add(out, &c);
		got++;
	}
	/* every vCPU or none: a partial sum would look like a small count */
	if (got != vc->ev.nvcpus) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	return 0;
}

/* The vCPU threads of a guest (start, stop, wait) and the worker threads' signal mask. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>

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

int pvb_vcpus_start(struct pvb_vcpus *vc, const cpu_set_t *cpu0, void *(*fn)(void *), void *args,
		    size_t size)
{
	for (int i = 0; i < vc->ev.nvcpus; i++) {
		if (thread_start(&vc->thread[i], i, cpu0, fn, (char *)args + (size_t)i * size))
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

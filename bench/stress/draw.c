/* The seeded draw of a worker's configuration: mode, size, vCPUs, guests, --cleanup-start,
 * placement, backing, iterations and its fault; the same seed gives the same workers. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "backends/backend.h"
#include "reboot/config.h"
#include "stress_int.h"

/* splitmix64: a small, well-mixed generator; one stream per worker. */
static uint64_t next(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int pick(uint64_t *x, int n)
{
	return n > 0 ? (int)(next(x) % (uint64_t)n) : 0;
}

static double unit(uint64_t *x)
{
	return (double)(next(x) >> 11) / (double)(1ULL << 53);
}

/* One of the faults in the set (or none, one worker in four). */
static enum pvb_fault pick_fault(uint64_t *x, unsigned set)
{
	enum pvb_fault list[PVB_FAULT_COUNT];
	int n = 0;

	for (int f = 0; f < PVB_FAULT_COUNT; f++)
		if (set & (1u << f))
			list[n++] = (enum pvb_fault)f;
	if (!n || pick(x, 4) == 0)
		return PVB_FAULT_NONE;
	return list[pick(x, n)];
}

/* What a fault needs of the configuration. */
static void fit_fault(const struct pvb_draw_in *in, uint64_t *x, struct pvb_worker_cfg *w)
{
	switch (w->fault) {
	case PVB_FAULT_PERFORM_INTERRUPT:
		w->async = true; /* a PERFORM to interrupt: async, PREPARE accepted */
		w->mem_limit_none = true;
		w->cleanup_start = PVB_CLEANUP_ALIVE;
		break;
	case PVB_FAULT_PREPARE_REFUSED:
		w->async = true; /* the slot still holds the guest of the reboot before */
		w->cleanup_start = PVB_CLEANUP_NEXT;
		w->mem_limit_none = true;
		break;
	case PVB_FAULT_STORM:
		w->guests = in->guests > 1 ? 2 + pick(x, in->guests - 1) : 2;
		break;
	default:
		break;
	}
	w->fault_row = 1 + pick(x, w->iterations > 2 ? w->iterations - 2 : 1);
	w->fault_frac = unit(x) * 1.5; /* a cleanup runs early in the next reboot */
	w->fault_signal = pick(x, 2) ? SIGINT : SIGTERM;
}

void pvb_stress_draw(const struct pvb_draw_in *in, int id, struct pvb_worker_cfg *w)
{
	uint64_t x = in->seed ^ ((uint64_t)(id + 1) * 0xd1b54a32d192ed03ULL);

	memset(w, 0, sizeof(*w));
	w->id = id;
	w->seed = next(&x) % 1000000 + 1;
	w->async = pick(&x, 2);
	w->size = in->sizes[pick(&x, in->nsizes)];
	w->vcpus = 1 + pick(&x, 2);
	w->guests = 1 + pick(&x, in->guests > 0 ? in->guests : 1);
	w->iterations = 3 + pick(&x, 8);
	w->warmup = pick(&x, 2);
	w->cleanup_start = pick(&x, 4); /* alive, created, aside, next-reboot */
	w->placement_cpu = in->ncpus > 1 && pick(&x, 2) ? pick(&x, in->ncpus) : -1;
	w->backing = !in->pv && in->thp && pick(&x, 3) == 0 ? PVB_BACKING_THP : PVB_BACKING_ANON;
	w->mem_limit_none = in->pv && pick(&x, 2);
	w->fault = pick_fault(&x, in->faults);
	fit_fault(in, &x, w);
	if (id == 0 && in->plant) { /* the planted defect, alone and plainly visible */
		w->plant = in->plant;
		w->fault = PVB_FAULT_NONE;
		w->guests = 1;
		w->iterations = 12; /* the drift check judges 6 rounds after the first */
		w->warmup = 1;
	}
}

#define ARG(...)                                                           \
	do {                                                               \
		int n_ = snprintf(buf + used, len - used, __VA_ARGS__);    \
		if (n_ < 0 || (size_t)n_ >= len - used || argc + 1 >= max) \
			return -1;                                         \
		args[argc++] = buf + used;                                 \
		used += (size_t)n_ + 1;                                    \
	} while (0)

int pvb_stress_worker_args(const struct pvb_worker_cfg *w, const char *backend, const char *dir,
			   char *buf, size_t len, char **args, int max)
{
	size_t used = 0;
	int argc = 0;

	ARG("--backend=%s", backend);
	ARG("--mode=%s", w->async ? "async" : "sync");
	ARG("--size=%llu", (unsigned long long)w->size);
	ARG("--vcpus=%d", w->vcpus);
	ARG("--guests=%d", w->guests);
	ARG("--iterations=%d", w->iterations);
	ARG("--warmup=%d", w->warmup);
	ARG("--seed=%llu", (unsigned long long)w->seed);
	ARG("--cleanup-start=%s", pvb_cleanup_start_name(w->cleanup_start));
	ARG("--backing=%s", pvb_backing_name(w->backing));
	if (w->placement_cpu >= 0)
		ARG("--placement=%d", w->placement_cpu);
	if (w->mem_limit_none)
		ARG("--mem-limit=none");
	if (w->plant)
		ARG("--plant=%s", pvb_plant_name(w->plant));
	if (w->phase_file)
		ARG("--phase-file=%s.phase", dir);
	ARG("--verify-clean");
	ARG("--no-floor");
	ARG("--ref-iterations=0");
	ARG("--quiet");
	ARG("--out=%s", dir);
	args[argc] = NULL;
	return argc;
}

/* The reference rows around the reboots: the host's own first touch, memset and munmap of the
 * guest size (mode "host"), and the floor, a fresh guest from nothing to its first exit with
 * no old guest around (mode "floor") or beside an idle old guest of the same size, populated
 * and stopped, that nothing cleans (mode "floor_loaded"); --target-ci stops a floor as it does
 * a reboot point. */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "pvbench.h"
#include "reboot_int.h"
#include "timing.h"

/* One host reference: t[0..3] around the first touch, the memset and the munmap. */
static int host_measure(struct run *r, uint64_t size, int flags, uint64_t t[4])
{
	char *m = mmap(NULL, size, PROT_READ | PROT_WRITE, flags, -1, 0);

	if (m == MAP_FAILED) {
		pvb_perror("host reference: mmap of %llu MiB", (unsigned long long)(size >> 20));
		return PVB_EXIT_FAIL;
	}
	if ((r->mem.mode != PVB_MEM_DEFAULT && pvb_mempolicy_apply(&r->mem, m, size)) ||
	    (r->cfg->backing != PVB_BACKING_HUGETLB &&
	     madvise(m, size,
		     r->cfg->backing == PVB_BACKING_THP ? MADV_HUGEPAGE : MADV_NOHUGEPAGE))) {
		pvb_perror("host reference: placing or advising the mapping");
		munmap(m, size);
		return PVB_EXIT_FAIL;
	}
	t[0] = pvb_now_ns();
	for (uint64_t off = 0; off < size; off += 4096)
		*(volatile uint64_t *)(m + off) = off | 1;
	t[1] = pvb_now_ns();
	memset(m, 0, size);
	__asm__ volatile("" : : "r"(m) : "memory");
	t[2] = pvb_now_ns();
	if (munmap(m, size)) {
		pvb_perror("host reference: munmap");
		return PVB_EXIT_FAIL;
	}
	t[3] = pvb_now_ns();
	return 0;
}

/* Host references for size, with the same backing as the guests. */
int pvb_host_reference(struct run *r, uint64_t size)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;

	if (r->cfg->backing == PVB_BACKING_HUGETLB)
		flags |= MAP_HUGETLB | (21 << MAP_HUGE_SHIFT);
	else
		flags |= MAP_NORESERVE;
	for (int i = 0; i < r->cfg->ref_iterations && !pvb_interrupted; i++) {
		uint64_t t[4];
		struct row w;

		if (host_measure(r, size, flags, t))
			return PVB_EXIT_FAIL;
		pvb_row_init(r, &w, 0, size, 1, "host", i);
		pvb_row_u64(&w, C_HOST_TOUCH, t[1] - t[0]);
		pvb_row_u64(&w, C_HOST_MEMSET, t[2] - t[1]);
		pvb_row_u64(&w, C_HOST_MUNMAP, t[3] - t[2]);
		pvb_row_u64(&w, C_POPULATED, size);
		if (pvb_row_write(r, &w))
			return PVB_EXIT_FAIL;
	}
	return pvb_interrupted ? PVB_EXIT_INTERRUPTED : 0;
}

/* One floor guest on lane 0: created at t[0], created t[1], alive t[2], then gone; vm[0..1]
 * the vmstat counters before the create and once alive. */
static int floor_once(struct run *r, const struct pvb_guest_params *p, uint64_t t[3],
		      struct pvb_phase_times *ph, struct pvb_parts *cp,
		      struct pvb_vmstat_snap vm[2])
{
	const struct pvb_backend_ops *o = r->ops;
	struct lane *l = &r->lanes[0];
	struct pvb_teardown td = { 0 };
	int rc;

	pvb_vmstat_read(&r->vmstat, &vm[0]);
	t[0] = pvb_now_ns();
	rc = pvb_guest_create(o, p, &l->cur);
	if (rc)
		return rc;
	t[1] = pvb_now_ns();
	pvb_guest_create_parts(o, l->cur, t[0], t[1], cp);
	pvb_guest_phases(o, l->cur, ph);
	rc = pvb_guest_start(o, l->cur);
	if (!rc)
		rc = pvb_guest_wait(o, l->cur, PVB_EV_ALIVE, &t[2]);
	if (rc)
		return rc;
	pvb_vmstat_read(&r->vmstat, &vm[1]);
	pvb_guest_stop(o, l->cur);
	rc = pvb_guest_destroy(o, l->cur, &td);
	l->cur = NULL;
	return rc;
}

static int floor_iterations(struct run *r, uint64_t size, int vcpus, const char *mode)
{
	struct pvb_guest_params p;
	int rc;

	pvb_run_fill_params(r, &p, size, vcpus, 0);
	pvb_target_begin(r, size, vcpus, mode);
	for (int i = -r->cfg->warmup; i < r->cfg->iterations; i++) {
		struct pvb_phase_times ph = { 0 };
		struct pvb_vmstat_snap vm[2];
		struct pvb_parts cp;
		uint64_t t[3];
		struct row w;

		if (i >= 0 && pvb_target_decide(r)) /* --target-ci reached */
			break;
		pvb_sleep_ns(r->cfg->floor_gap_ns);
		if (pvb_interrupted)
			return PVB_EXIT_INTERRUPTED;
		if ((rc = floor_once(r, &p, t, &ph, &cp, vm)))
			return rc;
		if (i < 0)
			continue;
		pvb_row_init(r, &w, 0, size, vcpus, mode, i);
		pvb_row_create_parts(&w, &cp);
		pvb_row_u64(&w, C_CREATE, t[1] - t[0]);
		pvb_row_u64(&w, C_START, t[2] - t[1]);
		pvb_row_u64(&w, C_REBOOT, t[2] - t[0]);
		pvb_row_vmstat(r, &vm[0], &vm[1], C_VMA_PGFAULT, &w);
		if (pvb_backend_has_phases(r->ops)) {
			pvb_row_u64(&w, C_ENABLE, ph.enable_ns);
			pvb_row_u64(&w, C_MEM_LIMIT, ph.mem_limit);
		}
		if ((rc = pvb_row_write(r, &w)) || (rc = pvb_target_add(r, t[2] - t[0])))
			return rc;
	}
	return pvb_target_end(r);
}

/* The idle old guest of floor_loaded, kept in lane 0's pending slot (pvb_lane_abandon
 * destroys it on failure): created, populated and stopped. The pv backends keep one VM per
 * lane, so it lives on a lane of its own (1), the floor guests on lane 0. */
static int old_guest(struct run *r, uint64_t size, int vcpus)
{
	const struct pvb_backend_ops *o = r->ops;
	struct lane *l = &r->lanes[0];
	struct pvb_guest_params p;
	uint64_t t;
	int rc;

	pvb_run_fill_params(r, &p, size, vcpus, 1);
	p.debug_dirty = false;
	if ((rc = pvb_guest_create(o, &p, &l->pending)))
		return rc;
	if ((rc = pvb_guest_start(o, l->pending)) ||
	    (rc = pvb_guest_wait(o, l->pending, PVB_EV_POPULATED, &t)))
		return rc;
	return pvb_guest_stop(o, l->pending);
}

static int floor_loaded(struct run *r, uint64_t size, int vcpus)
{
	struct lane *l = &r->lanes[0];
	struct pvb_teardown td = { 0 };
	int rc;

	if ((rc = old_guest(r, size, vcpus)) ||
	    (rc = floor_iterations(r, size, vcpus, "floor_loaded")))
		return rc;
	rc = pvb_guest_destroy(r->ops, l->pending, &td);
	l->pending = NULL;
	/* pv: lane 1's VM would keep the old guest's memory mapped through the reboots; no
	 * guest lives now, and the reboots' first guests (unmeasured) open their lanes anew */
	pvb_backend_release(r->ops);
	return rc;
}

/* The floor rows of a point (and floor_loaded's); a failure leaves nothing of lane 0's
 * guests behind. */
int pvb_floor_point(struct run *r, uint64_t size, int vcpus)
{
	int rc = floor_iterations(r, size, vcpus, "floor");

	if (!rc && r->cfg->floor_loaded)
		rc = floor_loaded(r, size, vcpus);
	if (rc)
		pvb_lane_abandon(&r->lanes[0]);
	return rc;
}

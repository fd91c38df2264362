/* Sub-phase accounting (backends/parts.h) without /dev/kvm: laps tile a phase, fitting to the
 * caller's window keeps the sum equal to the window, the kvm destroy's scrub split; --release
 * names and both strategies on real memory (everything freed and unmapped, progress counted). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backends/parts.h"
#include "pvbench.h"
#include "timing.h"

static void laps_tile_the_phase(void **state)
{
	struct pvb_parts p;

	(void)state;
	pvb_parts_begin(&p, 1000);
	assert_int_equal(p.first, -1);
	pvb_parts_lap_at(&p, PVB_CP_VM, 1100);	    /* 100 */
	pvb_parts_lap_at(&p, PVB_CP_MMAP, 1350);    /* 250 */
	pvb_parts_lap_at(&p, PVB_CP_ADVISE, 1400);  /* 50 */
	pvb_parts_lap_at(&p, PVB_CP_VM, 1500);	    /* 100 more: 200 */
	pvb_parts_lap_at(&p, PVB_CP_MEMSLOT, 1490); /* a clock going back counts 0 */
	pvb_parts_lap_at(&p, PVB_CP_LOAD, 1600);    /* 100 */
	assert_int_equal(p.ns[PVB_CP_VM], 200);
	assert_int_equal(p.ns[PVB_CP_MMAP], 250);
	assert_int_equal(p.ns[PVB_CP_ADVISE], 50);
	assert_int_equal(p.ns[PVB_CP_MEMSLOT], 0);
	assert_int_equal(p.ns[PVB_CP_LOAD], 100);
	assert_int_equal(pvb_parts_sum(&p), p.t_end - p.t_start);
	assert_int_equal(p.first, PVB_CP_VM);
	assert_int_equal(p.last, PVB_CP_LOAD);

	/* the caller's window: before the first lap to the first part, after the last to the last */
	pvb_parts_fit(&p, 900, 1650);
	assert_int_equal(p.ns[PVB_CP_VM], 300);
	assert_int_equal(p.ns[PVB_CP_LOAD], 150);
	assert_int_equal(pvb_parts_sum(&p), 750);
	/* a window that does not hold the laps changes nothing */
	pvb_parts_fit(&p, 1000, 1700);
	assert_int_equal(pvb_parts_sum(&p), 750);
	/* out-of-range parts are ignored */
	pvb_parts_lap_at(&p, PVB_PARTS_MAX, 2000);
	assert_int_equal(pvb_parts_sum(&p), 750);
}

/* As kvm's destroy does: vCPU, memslot and VM laps, then scrub and release in parallel shares
 * timed as one lap, the slowest share's scrub moved out of release. */
static void destroy_accounting(void **state)
{
	struct pvb_parts p;
	uint64_t t0 = pvb_now_ns(), t;

	(void)state;
	pvb_parts_begin(&p, t0);
	pvb_parts_lap(&p, PVB_XP_VCPU);
	pvb_parts_lap(&p, PVB_XP_MEMSLOT);
	pvb_parts_lap(&p, PVB_XP_VM);
	pvb_sleep_ns(2000000);
	t = pvb_parts_lap(&p, PVB_XP_RELEASE);
	assert_true(p.ns[PVB_XP_RELEASE] >= 2000000);
	pvb_parts_move(&p, PVB_XP_RELEASE, PVB_XP_SCRUB, 1500000);
	assert_int_equal(p.ns[PVB_XP_SCRUB], 1500000);
	pvb_parts_move(&p, PVB_XP_RELEASE, PVB_XP_SCRUB, UINT64_MAX); /* at most what is there */
	assert_int_equal(p.ns[PVB_XP_RELEASE], 0);
	assert_int_equal(pvb_parts_sum(&p), t - t0);
	/* no lap: fitting gives nothing */
	pvb_parts_begin(&p, t0);
	pvb_parts_fit(&p, t0 - 10, t0 + 10);
	assert_int_equal(pvb_parts_sum(&p), 0);
}

static void release_names(void **state)
{
	struct pvb_release_how h;
	char buf[64];

	(void)state;
	assert_int_equal(pvb_release_parse("munmap", &h), 0);
	assert_int_equal(h.kind, PVB_RELEASE_MUNMAP);
	pvb_release_name(&h, buf, sizeof(buf));
	assert_string_equal(buf, "munmap");
	assert_int_equal(pvb_release_parse("dontneed-slices", &h), 0);
	assert_int_equal(h.kind, PVB_RELEASE_DONTNEED);
	assert_int_equal(h.slice, 16 * PVB_MIB);
	pvb_release_name(&h, buf, sizeof(buf));
	assert_string_equal(buf, "dontneed-slices:16");
	assert_int_equal(pvb_release_parse("dontneed-slices:2", &h), 0);
	assert_int_equal(h.slice, 2 * PVB_MIB);
	assert_int_equal(pvb_release_parse(buf, &h), 0); /* the name reads back */
	assert_int_equal(h.slice, 16 * PVB_MIB);
	for (const char *const *b =
		     (const char *const[]){ "", "exit", "munmap:4", "dontneed", "dontneed-slices:",
					    "dontneed-slices:0", "dontneed-slices:65537",
					    "dontneed-slices:-1", "dontneed-slicesx", NULL };
	     *b; b++)
		assert_int_equal(pvb_release_parse(*b, &h), -1);
}

/* A populated range given back each way: the progress counts every byte, the range is gone. */
static void release_both_ways(void **state)
{
	static const char *const hows[] = { "munmap", "dontneed-slices", "dontneed-slices:1" };
	const uint64_t len = 8 * PVB_MIB + 4096; /* not a multiple of a slice */

	(void)state;
	for (int i = 0; i < 3; i++) {
		struct pvb_release_how h;
		uint64_t progress = 0;
		unsigned char vec[1];
		char *m =
			mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		assert_true(m != MAP_FAILED);
		memset(m, 0x5a, len);
		assert_int_equal(pvb_release_parse(hows[i], &h), 0);
		assert_int_equal(pvb_release_range(m, len, &h, &progress), 0);
		assert_int_equal(progress, len);
		/* mincore of an unmapped page: ENOMEM */
		assert_int_equal(mincore(m + len - 4096, 4096, vec), -1);
		assert_int_equal(errno, ENOMEM);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(laps_tile_the_phase),
		cmocka_unit_test(destroy_accounting),
		cmocka_unit_test(release_names),
		cmocka_unit_test(release_both_ways),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

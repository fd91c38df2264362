/* The pv backend's reboot logic, driven through its ops table against the pv-emulated
 * device: async with PREPARE accepted, PREPARE refused (memory limit <= 2 GiB; one already
 * set aside) and the DISABLE fallback, sync, and what it refuses. The same backend code
 * drives the real device on s390x. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "backends/backend.h"
#include "pvbench.h"
#include "testutil.h"

extern const struct pvb_backend_ops pvb_backend_pv, pvb_backend_pv_emulated;
static const struct pvb_backend_ops *const em = &pvb_backend_pv_emulated;

#define SIZE (64 * PVB_MIB)

static void params(struct pvb_guest_params *p, uint64_t limit)
{
	memset(p, 0, sizeof(*p));
	p->size = SIZE;
	p->vcpus = 1;
	p->backing = PVB_BACKING_ANON;
	p->touch = 1.0;
	p->cleanup_threads = 1;
	p->mem_limit = limit;
	p->pv_misc = -1;
}

/* Create a guest and run it to its reboot request; stopped on return. */
static struct pvb_guest *boot(const struct pvb_guest_params *p)
{
	struct pvb_guest *g = NULL;
	uint64_t t;

	assert_int_equal(em->create(p, &g), 0);
	assert_int_equal(em->start(g), 0);
	assert_int_equal(em->wait(g, PVB_EV_ALIVE, &t), 0);
	assert_int_equal(em->wait(g, PVB_EV_POPULATED, &t), 0);
	/* the payload writes every page above the first MiB */
	assert_int_equal(em->populated_bytes(g), SIZE - PVB_MIB);
	assert_int_equal(em->resume(g), 0);
	assert_int_equal(em->wait(g, PVB_EV_REBOOT, &t), 0);
	assert_int_equal(em->stop(g), 0);
	return g;
}

static struct pvb_phase_times phases(struct pvb_guest *g)
{
	struct pvb_phase_times ph;

	assert_int_equal(em->phases(g, &ph), 0);
	return ph;
}

static void test_async_prepare_accepted(void **state)
{
	struct pvb_guest_params p;
	struct pvb_guest *g1, *g2;
	struct pvb_teardown td = { 0 };

	(void)state;
	params(&p, 4 * PVB_GIB); /* a limit above 2 GiB: PREPARE allowed */
	g1 = boot(&p);
	assert_int_equal(em->set_aside(g1), 0);
	assert_int_equal(phases(g1).fallback, 0);
	assert_true(phases(g1).prepare_ns > 0);
	assert_int_equal(phases(g1).disable_ns, 0);
	g2 = boot(&p);
	assert_true(phases(g2).enable_ns > 0);
	assert_int_equal(phases(g2).mem_limit, 4 * PVB_GIB);
	assert_int_equal(em->destroy(g1, &td), 0);
	assert_false(td.reaped);
	assert_true(td.perform_ns > 0);
	assert_int_equal(td.disable_ns, 0);
	memset(&td, 0, sizeof(td));
	assert_int_equal(em->destroy(g2, &td), 0); /* sync: DISABLE */
	assert_true(td.disable_ns > 0);
	assert_int_equal(td.perform_ns, 0);
	em->release();
}

static void test_limit_falls_back(void **state)
{
	struct pvb_guest_params p;
	struct pvb_guest *g1, *g2;
	struct pvb_teardown td = { 0 };

	(void)state;
	params(&p, PVB_MEM_LIMIT_RAM); /* as QEMU: limit = 64 MiB <= 2 GiB: PREPARE refused */
	g1 = boot(&p);
	assert_int_equal(em->set_aside(g1), 0);
	assert_int_equal(phases(g1).fallback, 1);
	assert_true(phases(g1).disable_ns > 0);
	g2 = boot(&p);
	assert_int_equal(phases(g2).mem_limit, SIZE);
	assert_int_equal(em->destroy(g1, &td), 0);
	assert_true(td.reaped); /* the fallback DISABLE did it all */
	assert_int_equal(td.perform_ns, 0);
	memset(&td, 0, sizeof(td));
	assert_int_equal(em->destroy(g2, &td), 0);
	em->release();
}

static void test_second_prepare_before_perform(void **state)
{
	struct pvb_guest_params p;
	struct pvb_guest *g1, *g2, *g3;
	struct pvb_teardown td = { 0 };

	(void)state;
	params(&p, 0); /* no limit set: PREPARE allowed */
	g1 = boot(&p);
	assert_int_equal(em->set_aside(g1), 0);
	assert_int_equal(phases(g1).fallback, 0);
	g2 = boot(&p);
	/* g1 is still set aside (no PERFORM yet): refused, DISABLE reaps g2 and g1 */
	assert_int_equal(em->set_aside(g2), 0);
	assert_int_equal(phases(g2).fallback, 1);
	g3 = boot(&p);
	assert_int_equal(em->destroy(g1, &td), 0);
	assert_true(td.reaped);
	memset(&td, 0, sizeof(td));
	assert_int_equal(em->destroy(g2, &td), 0);
	assert_true(td.reaped);
	/* the slot is free again */
	assert_int_equal(em->set_aside(g3), 0);
	assert_int_equal(phases(g3).fallback, 0);
	memset(&td, 0, sizeof(td));
	assert_int_equal(em->destroy(g3, &td), 0);
	assert_false(td.reaped);
	assert_true(td.perform_ns > 0);
	em->release();
}

static void test_refusals(void **state)
{
	struct pvb_guest_params p;
	char why[512];

	(void)state;
	params(&p, PVB_MEM_LIMIT_RAM);
	p.backing = PVB_BACKING_THP;
	assert_int_equal(em->probe(&p, why, sizeof(why)), PVB_EXIT_USAGE);
	assert_non_null(strstr(why, "4 KiB"));
	params(&p, PVB_MEM_LIMIT_RAM);
	p.size = SIZE + 4096;
	assert_int_equal(em->probe(&p, why, sizeof(why)), PVB_EXIT_USAGE);
	assert_non_null(strstr(why, "1 MiB"));
	params(&p, PVB_MEM_LIMIT_RAM);
	p.scrub = true;
	assert_int_equal(em->probe(&p, why, sizeof(why)), PVB_EXIT_USAGE);
	params(&p, PVB_MEM_LIMIT_RAM);
	p.cleanup_threads = 2;
	assert_int_equal(em->probe(&p, why, sizeof(why)), PVB_EXIT_USAGE);
	params(&p, PVB_MEM_LIMIT_RAM);
	p.pv_costs = "/nonexistent/costs.ini";
	assert_int_equal(em->probe(&p, why, sizeof(why)), PVB_EXIT_USAGE);
	assert_non_null(strstr(why, "calibrate"));
	/* the real backend wants a sealed image, and here an s390x host */
	params(&p, PVB_MEM_LIMIT_RAM);
	assert_int_equal(pvb_backend_pv.probe(&p, why, sizeof(why)), PVB_EXIT_USAGE);
	assert_non_null(strstr(why, "se-seal.sh"));
#if !defined(__s390x__)
	p.se_image = "/dev/null";
	assert_int_equal(pvb_backend_pv.probe(&p, why, sizeof(why)), PVB_EXIT_SKIP);
	assert_non_null(strstr(why, "s390x"));
#endif
	params(&p, PVB_MEM_LIMIT_RAM);
	assert_int_equal(em->probe(&p, why, sizeof(why)), 0);
}

static void test_cost_file(void **state)
{
	struct fixture *f = *state;
	struct pvb_guest_params p;
	char why[512];
	FILE *fp;

	params(&p, PVB_MEM_LIMIT_RAM);
	fp = fopen(in_dir(f, "bad.ini"), "w");
	assert_non_null(fp);
	fputs("[costs]\nimport_ns = fast\n", fp);
	fclose(fp);
	p.pv_costs = in_dir(f, "bad.ini");
	assert_int_equal(em->probe(&p, why, sizeof(why)), PVB_EXIT_USAGE);
	assert_non_null(strstr(why, "import_ns"));
	fp = fopen(in_dir(f, "good.ini"), "w");
	assert_non_null(fp);
	fputs("[costs]\nimport_ns = 0\ndestroy_page_ns = 0\n[features]\nmisc = 1\n", fp);
	fclose(fp);
	p.pv_costs = in_dir(f, "good.ini");
	assert_int_equal(em->probe(&p, why, sizeof(why)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_async_prepare_accepted),
		cmocka_unit_test(test_limit_falls_back),
		cmocka_unit_test(test_second_prepare_before_perform),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test_setup_teardown(test_cost_file, fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

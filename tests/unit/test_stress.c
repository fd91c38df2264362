/* pvbench stress: the seeded draw of workers (same seed, same workers; every variant drawn;
 * what each fault needs) and the pure checks (growth, memory back, status, exit). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/backend.h"
#include "pvbench.h"
#include "reboot/config.h"
#include "stress/stress.h"
#include "stress/stress_int.h"

static const uint64_t sizes[] = { 64 * PVB_MIB, 128 * PVB_MIB, 256 * PVB_MIB, 512 * PVB_MIB };

static struct pvb_draw_in input(uint64_t seed, bool pv)
{
	struct pvb_draw_in in = { .seed = seed,
				  .faults = (1u << PVB_FAULT_COUNT) - 1,
				  .sizes = sizes,
				  .nsizes = 4,
				  .guests = 3,
				  .ncpus = 2,
				  .pv = pv,
				  .thp = true };
	return in;
}

static void args_of(const struct pvb_worker_cfg *w, char *line, size_t len)
{
	char buf[8192], *args[64];
	int n = pvb_stress_worker_args(w, "pv-emulated", "/tmp/x", buf, sizeof(buf), args, 64);
	size_t u = 0;

	assert_true(n > 0);
	assert_null(args[n]);
	line[0] = '\0';
	for (int i = 0; i < n; i++)
		u += (size_t)snprintf(line + u, len - u, "%s ", args[i]);
}

static void test_same_seed_same_workers(void **state)
{
	struct pvb_draw_in in = input(42, true), other = input(43, true);
	int differ = 0;

	(void)state;
	for (int id = 0; id < 50; id++) {
		struct pvb_worker_cfg a, b, c;
		char la[4096], lb[4096], lc[4096];

		pvb_stress_draw(&in, id, &a);
		pvb_stress_draw(&in, id, &b);
		pvb_stress_draw(&other, id, &c);
		args_of(&a, la, sizeof(la));
		args_of(&b, lb, sizeof(lb));
		args_of(&c, lc, sizeof(lc));
		assert_string_equal(la, lb);
		assert_int_equal(a.fault, b.fault);
		assert_int_equal(a.fault_row, b.fault_row);
		differ += strcmp(la, lc) != 0;
	}
	assert_true(differ > 40); /* another seed, other workers */
}

/* Over many workers every value of every axis is drawn, and each within its range. */
static void test_every_variant_drawn(void **state)
{
	struct pvb_draw_in in = input(7, false);
	bool size_seen[4] = { 0 }, start_seen[4] = { 0 }, mode[2] = { 0 }, thp = false;
	bool pinned = false, unpinned = false;
	int faults[PVB_FAULT_COUNT + 1] = { 0 };

	(void)state;
	for (int id = 0; id < 400; id++) {
		struct pvb_worker_cfg w;

		pvb_stress_draw(&in, id, &w);
		for (int s = 0; s < 4; s++)
			size_seen[s] |= w.size == sizes[s];
		assert_true(w.cleanup_start >= 0 && w.cleanup_start < 4);
		start_seen[w.cleanup_start] = true;
		mode[w.async] = true;
		thp |= w.backing == PVB_BACKING_THP;
		pinned |= w.placement_cpu >= 0;
		unpinned |= w.placement_cpu < 0;
		assert_true(w.vcpus >= 1 && w.vcpus <= 2);
		assert_true(w.guests >= 1 && w.guests <= 3);
		assert_true(w.iterations >= 3 && w.iterations <= 10);
		assert_true(w.placement_cpu < 2);
		faults[w.fault]++;
		if (w.fault == PVB_FAULT_STORM)
			assert_true(w.guests >= 2);
		if (w.fault == PVB_FAULT_PREPARE_REFUSED)
			assert_true(w.async && w.cleanup_start == PVB_CLEANUP_NEXT);
		if (w.fault == PVB_FAULT_PERFORM_INTERRUPT)
			assert_true(w.async && w.mem_limit_none);
		if (w.fault == PVB_FAULT_INTERRUPT)
			assert_true(w.fault_signal == SIGINT || w.fault_signal == SIGTERM);
		assert_true(w.fault_row >= 1 && w.fault_row < w.iterations);
	}
	for (int s = 0; s < 4; s++)
		assert_true(size_seen[s]);
	for (int c = 0; c < 4; c++)
		assert_true(start_seen[c]);
	assert_true(mode[0] && mode[1] && thp && pinned && unpinned);
	for (int f = 0; f <= PVB_FAULT_COUNT; f++)
		assert_true(faults[f] > 0);
}

static void test_draw_respects_faults_and_backend(void **state)
{
	struct pvb_draw_in in = input(9, true);

	(void)state;
	in.faults = 1u << PVB_FAULT_KILL;
	for (int id = 0; id < 100; id++) {
		struct pvb_worker_cfg w;

		pvb_stress_draw(&in, id, &w);
		assert_true(w.fault == PVB_FAULT_KILL || w.fault == PVB_FAULT_NONE);
		assert_int_equal(w.backing, PVB_BACKING_ANON); /* pv: 4 KiB anonymous only */
	}
	in.plant = PVB_PLANT_LEAK_FD;
	{
		struct pvb_worker_cfg w, w1;

		pvb_stress_draw(&in, 0, &w);
		pvb_stress_draw(&in, 1, &w1);
		assert_int_equal(w.plant, PVB_PLANT_LEAK_FD);
		assert_int_equal(w.fault, PVB_FAULT_NONE);
		assert_int_equal(w1.plant, 0); /* one worker carries it */
	}
}

static void test_growth(void **state)
{
	int64_t flat[] = { 10, 12, 12, 13, 12, 13, 12, 12, 13 };
	int64_t leak[] = { 10, 12, 13, 14, 15, 16, 17, 18, 19 };
	int64_t rss[] = { 100 << 20, 100 << 20, 100 << 20, 101 << 20,
			  150 << 20, 200 << 20, 250 << 20 };
	int64_t wobble[] = { 5, 4, 5, 4, 5, 5, 4, 5 };
	/* a kvm worker's RSS outside guest RAM (KiB): thread arenas warming up, then level */
	int64_t warmup[] = { 288 << 10,	 2500 << 10, 4360 << 10, 6092 << 10,
			     6160 << 10, 6032 << 10, 6100 << 10 };
	double d;

	(void)state;
	assert_int_equal(pvb_check_growth(flat, 9, 1, 1.0, 0, &d), 0);
	assert_int_equal(pvb_check_growth(leak, 9, 1, 1.0, 0, &d), 1);
	assert_true(d > 0.3);
	assert_int_equal(pvb_check_growth(rss, 7, 1, 1.0, 1 << 20, &d), 1);
	assert_int_equal(pvb_check_growth(wobble, 8, 1, 1.0, 0, &d), 0);
	assert_int_equal(pvb_check_growth(warmup, 7, 1, 1.0, 1 << 20, &d), 0);
	assert_true(d > 1.0); /* it did grow, but stopped growing */
	/* below the slack, or below pct: constant */
	assert_int_equal(pvb_check_growth(leak, 9, 1, 1.0, 100, &d), 0);
	assert_int_equal(pvb_check_growth(leak, 9, 1, 90.0, 0, &d), 0);
	/* too few samples after the warm-up */
	assert_int_equal(pvb_check_growth(leak, 6, 1, 1.0, 0, &d), -1);
}

static void test_mem_back(void **state)
{
	struct pvb_mem_level base = { 1000, -1 }, now = { 1000, -1 };
	int64_t missing;

	(void)state;
	assert_true(pvb_check_mem_back(&base, &now, 0, &missing));
	now.free = 900;
	assert_true(pvb_check_mem_back(&base, &now, 100, &missing));
	assert_int_equal(missing, 100);
	now.free = 899;
	assert_false(pvb_check_mem_back(&base, &now, 100, &missing));
	/* another process took 500: not missing; the worker's leak outside any RSS: missing */
	base.rss = 2000;
	now.free = 500;
	now.rss = 2500;
	assert_true(pvb_check_mem_back(&base, &now, 100, &missing));
	assert_int_equal(missing, 0);
	now.rss = 2000;
	assert_false(pvb_check_mem_back(&base, &now, 100, &missing));
	assert_int_equal(missing, 500);
	/* memory given back by a process's RSS but not to the host: missing */
	now.free = 1000;
	now.rss = 1500;
	assert_false(pvb_check_mem_back(&base, &now, 100, &missing));
	base.free = -1; /* no baseline: not back */
	assert_false(pvb_check_mem_back(&base, &now, 100000, &missing));
}

static void test_status_and_exit(void **state)
{
	char why[256];

	(void)state;
	assert_true(pvb_check_status("complete", 0, false, why, sizeof(why)));
	assert_true(pvb_check_status("interrupted", 130, false, why, sizeof(why)));
	assert_false(pvb_check_status("running", 0, false, why, sizeof(why)));
	assert_non_null(strstr(why, "want 'complete'"));
	assert_false(pvb_check_status("complete", 130, false, why, sizeof(why)));
	assert_false(pvb_check_status(NULL, 0, false, why, sizeof(why)));
	assert_true(pvb_check_status("running", 137, true, why, sizeof(why))); /* killed */
	assert_false(pvb_check_status("bogus", 137, true, why, sizeof(why)));

	assert_true(pvb_check_exit(PVB_FAULT_NONE, 0, false, 0, false));
	assert_false(pvb_check_exit(PVB_FAULT_NONE, 0, false, 1, false));
	assert_false(pvb_check_exit(PVB_FAULT_NONE, 0, false, 137, true));
	assert_true(pvb_check_exit(PVB_FAULT_KILL, 0, false, 137, true));
	assert_true(pvb_check_exit(PVB_FAULT_KILL, 0, false, 0, false)); /* ended first */
	assert_true(pvb_check_exit(PVB_FAULT_INTERRUPT, 0, false, 130, false));
	assert_false(pvb_check_exit(PVB_FAULT_STORM, 0, false, 130, false));
	assert_true(pvb_check_exit(PVB_FAULT_STORM, 0, true, 130, false)); /* stopped */
	assert_true(pvb_check_exit(PVB_FAULT_NONE, PVB_PLANT_STALE, false, 3, false));
	assert_false(pvb_check_exit(PVB_FAULT_NONE, 0, false, 3, false));
}

static void test_parse_faults_and_duration(void **state)
{
	unsigned f;
	uint64_t ns;

	(void)state;
	assert_int_equal(pvb_stress_parse_faults("kill,storm", &f), 0);
	assert_int_equal(f, (1u << PVB_FAULT_KILL) | (1u << PVB_FAULT_STORM));
	assert_int_equal(pvb_stress_parse_faults("all", &f), 0);
	assert_int_equal(f, (1u << PVB_FAULT_COUNT) - 1);
	assert_int_equal(pvb_stress_parse_faults("kill,bogus", &f), PVB_EXIT_USAGE);
	assert_int_equal(pvb_stress_parse_duration("10m", &ns), 0);
	assert_true(ns == 600000000000ULL);
	assert_int_equal(pvb_stress_parse_duration("1.5h", &ns), 0);
	assert_true(ns == 5400000000000ULL);
	assert_int_equal(pvb_stress_parse_duration("90", &ns), 0);
	assert_true(ns == 90000000000ULL);
	assert_int_equal(pvb_stress_parse_duration("0", &ns), -1);
	assert_int_equal(pvb_stress_parse_duration("5x", &ns), -1);
	assert_int_equal(pvb_stress_parse_duration("-1s", &ns), -1);
	assert_int_equal(pvb_stress_parse_duration("", &ns), -1);
}

/* The phase file: the worker's stores land in the supervisor's map, slot by slot; an unbound
 * thread publishes nothing; a file of the wrong size is bad input; a kill worker's arguments
 * name the file. */
static void *unbound(void *arg)
{
	(void)arg;
	return (void *)(uintptr_t)pvb_phase_set(PVB_PHASE_CREATE);
}

static void test_phase_file(void **state)
{
	char path[] = "/tmp/pvbench-phase-XXXXXX", line[512], buf[8192], *args[64];
	struct pvb_phase_map *m;
	struct pvb_worker_cfg w = { .guests = 1, .iterations = 3, .size = 64 * PVB_MIB };
	pthread_t t;
	void *ret;
	int fd = mkstemp(path), n;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(pvb_phase_open(path, 2), PVB_EXIT_USAGE); /* empty: not a phase file */
	m = pvb_phase_create(path);
	assert_non_null(m);
	assert_false(pvb_phase_ready(m));
	assert_int_equal(pvb_phase_open(path, 2), 0);
	assert_true(pvb_phase_ready(m));
	assert_int_equal(m->lanes, 2);
	assert_int_equal(m->pid, getpid());
	pvb_phase_bind_lane(1);
	assert_true(pvb_phase_bound());
	assert_int_equal(pvb_phase_set(PVB_PHASE_CREATE), PVB_PHASE_NONE);
	assert_int_equal(pvb_phase_read(&m->lane[1]), PVB_PHASE_CREATE);
	assert_int_equal(pvb_phase_set(PVB_PHASE_POPULATE), PVB_PHASE_CREATE);
	assert_int_equal(m->lane[1].seq, 2);
	assert_int_equal(pvb_phase_read(&m->lane[0]), PVB_PHASE_NONE);
	pvb_phase_bind_cleanup(0);
	pvb_phase_set(PVB_PHASE_PERFORM);
	assert_int_equal(pvb_phase_read(&m->cleanup[0]), PVB_PHASE_PERFORM);
	pvb_phase_describe(m, line, sizeof(line));
	assert_string_equal(line, "clean0=perform lane1=populate");
	assert_int_equal(pthread_create(&t, NULL, unbound, NULL), 0);
	assert_int_equal(pthread_join(t, &ret), 0);
	assert_int_equal((uintptr_t)ret, PVB_PHASE_NONE);
	assert_int_equal(pvb_phase_read(&m->lane[0]), PVB_PHASE_NONE);
	pvb_phase_close();
	assert_false(pvb_phase_bound());
	assert_int_equal(pvb_phase_set(PVB_PHASE_IDLE), PVB_PHASE_PERFORM); /* no store */
	assert_int_equal(pvb_phase_read(&m->cleanup[0]), PVB_PHASE_PERFORM);
	pvb_phase_unmap(m);
	unlink(path);
	w.phase_file = true;
	n = pvb_stress_worker_args(&w, "pv-emulated", "/tmp/x/workers/007", buf, sizeof(buf), args,
				   64);
	assert_true(n > 0);
	assert_string_equal(args[n - 6], "--phase-file=/tmp/x/workers/007.phase");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_seed_same_workers),
		cmocka_unit_test(test_every_variant_drawn),
		cmocka_unit_test(test_draw_respects_faults_and_backend),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_mem_back),
		cmocka_unit_test(test_status_and_exit),
		cmocka_unit_test(test_parse_faults_and_duration),
		cmocka_unit_test(test_phase_file),
	};

	pvb_quiet = true;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

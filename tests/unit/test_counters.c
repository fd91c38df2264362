/* The kernel counters' parts that need no run: the /proc/vmstat parser on fixture files (a
 * 6.x kernel's and a 4.4 kernel's, with fields absent), the deltas, a read of this host's
 * /proc/vmstat, and the perf counters of this thread (or the reason each is skipped). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "host/perfctr.h"
#include "host/vmstat.h"
#include "testutil.h"

static char *slurp(const char *name, size_t *len)
{
	char path[4096], *buf = malloc(65536);
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", PVB_TEST_VMSTAT, name);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(buf);
	*len = fread(buf, 1, 65535, f);
	fclose(f);
	return buf;
}

static void test_parse_new_kernel(void **state)
{
	uint64_t v[PVB_VM_N];
	bool present[PVB_VM_N];
	size_t len;
	char *text = slurp("linux-6.8.txt", &len);

	(void)state;
	assert_int_equal(pvb_vmstat_parse(text, len, v, present), 0);
	for (int i = 0; i < PVB_VM_N; i++)
		assert_true(present[i]);
	assert_int_equal(v[PVB_VM_PGFAULT], 246849736);
	assert_int_equal(v[PVB_VM_PGMAJFAULT], 7120);
	assert_int_equal(v[PVB_VM_THP_FAULT_ALLOC], 1462);
	/* thp_fault_fallback_charge is another counter, not a part of thp_fault_fallback */
	assert_int_equal(v[PVB_VM_THP_FAULT_FALLBACK], 29);
	/* every allocstall_<zone> summed */
	assert_int_equal(v[PVB_VM_ALLOCSTALL], 5433);
	/* pgscan_direct_throttle is not pgscan_direct */
	assert_int_equal(v[PVB_VM_PGSCAN_DIRECT], 13);
	assert_int_equal(v[PVB_VM_PGSTEAL_DIRECT], 11);
	assert_int_equal(v[PVB_VM_COMPACT_STALL], 19);
	assert_int_equal(v[PVB_VM_COMPACT_SUCCESS], 23);
	assert_int_equal(v[PVB_VM_PGFREE], 233695651);
	assert_int_equal(v[PVB_VM_NUMA_HIT], 227787052);
	assert_int_equal(v[PVB_VM_NUMA_MISS], 7);
	assert_int_equal(v[PVB_VM_NUMA_FOREIGN], 9);
	free(text);
}

static void test_parse_old_kernel(void **state)
{
	uint64_t v[PVB_VM_N];
	bool present[PVB_VM_N];
	size_t len;
	char *text = slurp("linux-4.4.txt", &len);

	(void)state;
	assert_int_equal(pvb_vmstat_parse(text, len, v, present), 0);
	assert_true(present[PVB_VM_ALLOCSTALL]);
	assert_int_equal(v[PVB_VM_ALLOCSTALL], 3);
	assert_true(present[PVB_VM_PGFAULT]);
	/* per-zone pgscan_direct_<zone> of 4.4 is not the 4.8+ total: absent, not guessed */
	assert_false(present[PVB_VM_PGSCAN_DIRECT]);
	assert_false(present[PVB_VM_PGSTEAL_DIRECT]);
	assert_false(present[PVB_VM_THP_FAULT_ALLOC]);
	assert_false(present[PVB_VM_NUMA_HIT]);
	free(text);
}

static void test_parse_malformed(void **state)
{
	static const char bad[] = "pgfault 12x\n";
	static const char empty[] = "pgfault\n";
	static const char huge[] = "pgfault 99999999999999999999999\n";
	static const char noeol[] = "nr_free_pages 1\npgfree 42";
	uint64_t v[PVB_VM_N];
	bool present[PVB_VM_N];

	(void)state;
	assert_int_equal(pvb_vmstat_parse(bad, sizeof(bad) - 1, v, present), -1);
	assert_int_equal(pvb_vmstat_parse(empty, sizeof(empty) - 1, v, present), 0);
	assert_false(present[PVB_VM_PGFAULT]); /* a bare name is no line of the counter */
	assert_int_equal(pvb_vmstat_parse(huge, sizeof(huge) - 1, v, present), -1);
	assert_int_equal(pvb_vmstat_parse(noeol, sizeof(noeol) - 1, v, present), 0);
	assert_true(present[PVB_VM_PGFREE]);
	assert_int_equal(v[PVB_VM_PGFREE], 42);
}

static void test_delta(void **state)
{
	struct pvb_vmstat vs = { .fd = -1 };
	struct pvb_vmstat_snap a = { .ok = true }, b = { .ok = true };

	(void)state;
	vs.present[PVB_VM_PGFAULT] = vs.present[PVB_VM_PGFREE] = true;
	a.v[PVB_VM_PGFAULT] = 100;
	b.v[PVB_VM_PGFAULT] = 350;
	a.v[PVB_VM_PGFREE] = 10;
	b.v[PVB_VM_PGFREE] = 9;
	assert_int_equal(pvb_vmstat_delta(&vs, &a, &b, PVB_VM_PGFAULT), 250);
	assert_int_equal(pvb_vmstat_delta(&vs, &a, &b, PVB_VM_PGFREE), -1);   /* backwards */
	assert_int_equal(pvb_vmstat_delta(&vs, &a, &b, PVB_VM_NUMA_HIT), -1); /* absent */
	b.ok = false;
	assert_int_equal(pvb_vmstat_delta(&vs, &a, &b, PVB_VM_PGFAULT), -1);
}

/* This host's /proc/vmstat: touching fresh memory moves pgfault. */
static void test_host_vmstat(void **state)
{
	struct pvb_vmstat vs;
	struct pvb_vmstat_snap a, b;
	size_t len = 8u << 20;
	char *m;

	(void)state;
	assert_int_equal(pvb_vmstat_open(&vs, NULL), 0);
	assert_true(vs.present[PVB_VM_PGFAULT]);
	assert_int_equal(pvb_vmstat_read(&vs, &a), 0);
	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(m != MAP_FAILED);
	madvise(m, len, MADV_NOHUGEPAGE);
	memset(m, 1, len);
	assert_int_equal(pvb_vmstat_read(&vs, &b), 0);
	assert_true(pvb_vmstat_delta(&vs, &a, &b, PVB_VM_PGFAULT) >= (int64_t)(len / 4096));
	munmap(m, len);
	pvb_vmstat_close(&vs);
	assert_int_equal(pvb_vmstat_read(&vs, &a), -1);
}

/* The counters of this thread around a memset of fresh memory: each available one counts,
 * each skipped one has a reason; a group read without --perf fails. */
static void test_perf_self(void **state)
{
	struct pvb_perf_group g;
	struct pvb_perf_read r0, r1;
	struct pvb_perf_counts c;
	size_t len = 8u << 20;
	json_t *j, *avail, *skipped;
	char *m;

	(void)state;
	pvb_perf_setup(false);
	assert_int_equal(pvb_perf_open(&g, 0), 0);
	assert_int_equal(pvb_perf_read(&g, &r0), -1);
	pvb_perf_close(&g);

	pvb_perf_setup(true);
	j = pvb_perf_json();
	avail = json_object_get(j, "available");
	skipped = json_object_get(j, "skipped");
	assert_int_equal(json_array_size(avail) + json_object_size(skipped), PVB_PERF_N);
	for (int i = 0; i < PVB_PERF_N; i++) {
		json_t *why = json_object_get(skipped, pvb_perf_names[i]);

		if (why)
			assert_true(strlen(json_string_value(why)) > 0);
	}
	if (json_array_size(avail) == 0) {
		json_decref(j);
		skip(); /* perf_event_open refused everything here: the reasons are checked above */
	}
	assert_int_equal(pvb_perf_open(&g, 0), 0);
	assert_int_equal(pvb_perf_read(&g, &r0), 0);
	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(m != MAP_FAILED);
	madvise(m, len, MADV_NOHUGEPAGE);
	memset(m, 1, len);
	assert_int_equal(pvb_perf_read(&g, &r1), 0);
	pvb_perf_delta(&r0, &r1, &c);
	for (size_t i = 0; i < json_array_size(avail); i++) {
		const char *name = json_string_value(json_array_get(avail, i));

		for (int k = 0; k < PVB_PERF_N; k++)
			if (!strcmp(name, pvb_perf_names[k]))
				assert_true(c.have[k]);
	}
	if (c.have[PVB_PERF_TASK_CLOCK])
		assert_true(c.v[PVB_PERF_TASK_CLOCK] > 0);
	/* most pages fault one by one (a few may not; sanitizers add their shadow's) */
	if (c.have[PVB_PERF_PAGE_FAULTS])
		assert_true(c.v[PVB_PERF_PAGE_FAULTS] >= len / 4096 / 2);
	munmap(m, len);
	pvb_perf_close(&g);
	json_decref(j);
	pvb_perf_setup(false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_new_kernel), cmocka_unit_test(test_parse_old_kernel),
		cmocka_unit_test(test_parse_malformed),	 cmocka_unit_test(test_delta),
		cmocka_unit_test(test_host_vmstat),	 cmocka_unit_test(test_perf_self),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

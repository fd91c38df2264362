/* A real reboot loop on /dev/kvm: small guests, both modes, --verify-clean.
 * Exits 77 (reported by CTest as skipped) when this host cannot run KVM guests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/backend.h"
#include "reboot/config.h"
#include "pvbench.h"
#include "reboot/reboot.h"
#include "report/results.h"
#include "testutil.h"
#include <jansson.h>

#define SIZE (64 * PVB_MIB)

static char dir[64];

static int setup(void **state)
{
	(void)state;
	return tu_mkdtemp(dir, sizeof(dir), "/tmp/pvbench-kvm-XXXXXX");
}

static int teardown(void **state)
{
	(void)state;
	return tu_rmtree(dir);
}

/* getopt wants writable argv strings: each word is copied into words[]. */
static char words[64][128];

static void push(char **argv, int *argc, const char *s)
{
	assert_true(*argc < 63);
	snprintf(words[*argc], sizeof(words[0]), "%s", s);
	argv[*argc] = words[*argc];
	(*argc)++;
}

/* Run `pvbench reboot ARGS --out <dir>/<name> --quiet`; returns its exit code. */
static int run(const char *name, const char *const *args)
{
	char out[128], *argv[64];
	struct pvb_reboot_config cfg;
	int argc = 0, rc;

	snprintf(out, sizeof(out), "%s/%s", dir, name);
	push(argv, &argc, "reboot");
	for (; *args; args++)
		push(argv, &argc, *args);
	push(argv, &argc, "--out");
	push(argv, &argc, out);
	push(argv, &argc, "--quiet");
	argv[argc] = NULL;
	rc = pvb_reboot_parse(argc, argv, &cfg);
	if (rc >= 0)
		return rc;
	return pvb_reboot_run(&cfg);
}

static struct pvb_table load(const char *name, const char *file)
{
	char path[256];
	struct pvb_table t;

	snprintf(path, sizeof(path), "%s/%s/%s", dir, name, file);
	assert_true(pvb_csv_read(path, &t) > 1);
	return t;
}

static uint64_t field(const struct pvb_table *t, int r, const char *col)
{
	int c = pvb_table_col(t, col);

	assert_true(c >= 0);
	assert_true(t->rows[r][c][0] != '\0');
	return strtoull(t->rows[r][c], NULL, 10);
}

static const char *str(const struct pvb_table *t, int r, const char *col);

/* Row r's parts (create_<part>_ns or cleanup_<part>_ns) sum to its phase exactly: they are
 * laps of one clock stretched over the phase's window. */
static void parts_sum(const struct pvb_table *t, int r, const char *phase, const char *const *parts,
		      int n)
{
	uint64_t sum = 0;

	for (int i = 0; i < n; i++)
		sum += field(t, r, parts[i]);
	assert_int_equal(sum, field(t, r, phase));
}

static const char *const create_parts[] = { "create_mmap_ns", "create_advise_ns",
					    "create_memslot_ns", "create_vm_ns", "create_load_ns" };
static const char *const cleanup_parts[] = { "cleanup_vcpu_ns", "cleanup_vm_ns",
					     "cleanup_memslot_ns", "cleanup_scrub_ns",
					     "cleanup_release_ns" };

static void both_modes_verify_clean(void **state)
{
	static const char *const args[] = { "--size",
					    "64M",
					    "--mode",
					    "sync,async",
					    "--vcpus",
					    "1,2",
					    "--iterations",
					    "3",
					    "--warmup",
					    "1",
					    "--verify-clean",
					    "--ref-iterations",
					    "1",
					    "--floor-gap",
					    "0",
					    NULL };
	int counts[5] = { 0 }; /* floor, sync, async, host, floor_loaded */
	uint64_t max_aside = 0, min_destroy = UINT64_MAX;
	struct pvb_table t;
	int mode;

	(void)state;
	assert_int_equal(run("loop", args), PVB_EXIT_OK);
	t = load("loop", "iterations.csv");
	mode = pvb_table_col(&t, "mode");
	for (int r = 1; r < t.nrows; r++) {
		const char *m = t.rows[r][mode];

		if (!strcmp(m, "host")) {
			counts[3]++;
			continue;
		}
		if (!strcmp(m, "floor") || !strcmp(m, "floor_loaded")) {
			counts[strcmp(m, "floor") ? 4 : 0]++;
			assert_true(field(&t, r, "start_ns") > 0);
			parts_sum(&t, r, "create_ns", create_parts, 5);
			continue;
		}
		parts_sum(&t, r, "create_ns", create_parts, 5);
		parts_sum(&t, r, "cleanup_ns", cleanup_parts, 5);
		assert_string_equal(str(&t, r, "release"), "munmap");
		/* the VM and its memory are really created and torn down */
		assert_true(field(&t, r, "create_mmap_ns") > 0 && field(&t, r, "create_vm_ns") > 0);
		assert_true(field(&t, r, "cleanup_release_ns") > 0);
		counts[strcmp(m, "sync") ? 2 : 1]++;
		/* Every vCPU reported writing every page of its share. */
		assert_int_equal(field(&t, r, "populated_bytes"), SIZE);
		assert_true(field(&t, r, "stop_ns") > 0);
		assert_true(field(&t, r, "cleanup_cpu_ns") > 0);
		assert_true(field(&t, r, "mem_low_bytes") > 0);
		if (!strcmp(m, "sync")) {
			/* the old guest is gone before the new one is created */
			assert_true(field(&t, r, "cleanup_start_ns") <
				    field(&t, r, "stop_ns") + field(&t, r, "teardown_ns"));
			if (field(&t, r, "cleanup_ns") < min_destroy)
				min_destroy = field(&t, r, "cleanup_ns");
		} else {
			/* set aside, and handed to the cleaner at once (--cleanup-start aside, the
			 * default: QEMU's order) */
			assert_true(field(&t, r, "cleanup_start_ns") >=
				    field(&t, r, "stop_ns") + field(&t, r, "teardown_ns"));
			assert_string_equal(str(&t, r, "cleanup_start"), "aside");
			if (field(&t, r, "teardown_ns") > max_aside)
				max_aside = field(&t, r, "teardown_ns");
		}
	}
	/* Setting a guest aside does none of the work of destroying it. */
	assert_true(max_aside < min_destroy);
	assert_int_equal(counts[0], 6);
	assert_int_equal(counts[1], 6);
	assert_int_equal(counts[2], 6);
	assert_int_equal(counts[3], 1);
	assert_int_equal(counts[4], 6);
	pvb_table_free(&t);

	t = load("loop", "summary.csv");
	{
		int found = 0, mc = pvb_table_col(&t, "metric"), oc = pvb_table_col(&t, "mode");

		for (int r = 1; r < t.nrows; r++)
			if (!strcmp(t.rows[r][mc], "reboot") && strcmp(t.rows[r][oc], "host"))
				found++;
		/* floor, floor_loaded, sync, async x 2 vCPU counts */
		assert_int_equal(found, 8);
	}
	pvb_table_free(&t);
}

/* The kvm backend gives every guest fresh memory, so only a planted page can trip the
 * check: data planted in the guest a reboot creates must fail the run with exit 3. */
static void verify_clean_detects_old_data(void **state)
{
	static const char *const args[] = { "--size",
					    "64M",
					    "--mode",
					    "async",
					    "--iterations",
					    "1",
					    "--warmup",
					    "0",
					    "--verify-clean",
					    "--no-floor",
					    "--ref-iterations",
					    "0",
					    "--debug-dirty-new-guest",
					    NULL };
	char path[256];
	json_t *meta;

	(void)state;
	assert_int_equal(run("dirty", args), PVB_EXIT_VERIFY);
	snprintf(path, sizeof(path), "%s/dirty/meta.json", dir);
	meta = json_load_file(path, 0, NULL);
	assert_non_null(meta);
	assert_string_equal(json_string_value(json_object_get(meta, "status")), "failed");
	json_decref(meta);
}

/* The random order is a permutation: a page visited twice would read non-zero under
 * --verify-clean. Half the pages are written. */
static void random_order_is_a_permutation(void **state)
{
	static const char *const args[] = { "--size",
					    "66M",
					    "--mode",
					    "async",
					    "--iterations",
					    "2",
					    "--warmup",
					    "0",
					    "--verify-clean",
					    "--no-floor",
					    "--ref-iterations",
					    "0",
					    "--order",
					    "random",
					    "--touch",
					    "0.5",
					    "--seed",
					    "12345",
					    "--vcpus",
					    "2",
					    NULL };
	struct pvb_table t;

	(void)state;
	assert_int_equal(run("random", args), PVB_EXIT_OK);
	t = load("random", "iterations.csv");
	assert_int_equal(t.nrows, 3);
	assert_int_equal(field(&t, 1, "populated_bytes"), 33 * PVB_MIB);
	pvb_table_free(&t);
}

static const char *str(const struct pvb_table *t, int r, const char *col)
{
	int c = pvb_table_col(t, col);

	assert_true(c >= 0);
	return t->rows[r][c];
}

/* Two guests side by side, cleanup threads pinned with hwloc, a libnuma policy, a timeline. */
static void guests_placement_timeline(void **state)
{
	static const char *const args[] = { "--size",
					    "32M",
					    "--mode",
					    "sync,async",
					    "--iterations",
					    "2",
					    "--warmup",
					    "0",
					    "--no-floor",
					    "--ref-iterations",
					    "0",
					    "--guests",
					    "2",
					    "--cleanup-threads",
					    "2",
					    "--placement",
					    "same-pu",
					    "--ref-cpu",
					    "0",
					    "--mem-policy",
					    "bind:0",
					    "--timeline",
					    NULL };
	int guests[2] = { 0 }, events = 0;
	struct pvb_table t;

	(void)state;
	assert_int_equal(run("guests", args), PVB_EXIT_OK);
	t = load("guests", "iterations.csv");
	assert_int_equal(t.nrows, 1 + 2 * 2 * 2);
	for (int r = 1; r < t.nrows; r++) {
		guests[field(&t, r, "guest")]++;
		/* the bindings as read back from the OS */
		assert_string_equal(str(&t, r, "placement_cpus"), "0");
		assert_string_equal(str(&t, r, "vcpu_cpus"), "0");
		assert_string_equal(str(&t, r, "mem_policy_actual"), "bind:0");
		assert_int_equal(field(&t, r, "cleanup_threads"), 2);
		assert_true(field(&t, r, "peak_rss_bytes") >= 32 * PVB_MIB);
	}
	assert_int_equal(guests[0], 4);
	assert_int_equal(guests[1], 4);
	pvb_table_free(&t);
	t = load("guests", "timeline.csv");
	for (int r = 1; r < t.nrows; r++)
		events += str(&t, r, "event")[0] != '\0';
	assert_int_equal(events, 2 * 5); /* each mode's last reboot of guest 0 */
	pvb_table_free(&t);
}

/* Placements and memory policies this host cannot honour are skipped, not replaced. */
static void unsatisfiable_is_a_skip(void **state)
{
	static const char *const drawer[] = { "--size", "32M", "--placement", "other-group:Drawer",
					      NULL };
	static const char *const node[] = { "--size", "32M", "--mem-policy", "bind:4000", NULL };

	(void)state;
	assert_int_equal(run("drawer", drawer), PVB_EXIT_SKIP);
	assert_int_equal(run("node", node), PVB_EXIT_USAGE); /* no such node: bad input */
}

/* While the old guest is scrubbed and released, the new one populates at some measurable
 * fraction of its undisturbed rate. */
static void interference_is_measured(void **state)
{
	static const char *const args[] = {
		"--size",	    "256M", "--mode",	       "async", "--scrub",
		"--iterations",	    "2",    "--warmup",	       "0",	"--no-floor",
		"--ref-iterations", "0",    "--cleanup-start", "alive", NULL
	};
	struct pvb_table t;

	(void)state;
	assert_int_equal(run("intf", args), PVB_EXIT_OK);
	t = load("intf", "iterations.csv");
	for (int r = 1; r < t.nrows; r++) {
		double v = strtod(str(&t, r, "interference"), NULL);

		assert_true(str(&t, r, "interference")[0] != '\0');
		assert_true(v > 0.05 && v < 5);
	}
	pvb_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(both_modes_verify_clean, setup, teardown),
		cmocka_unit_test_setup_teardown(verify_clean_detects_old_data, setup, teardown),
		cmocka_unit_test_setup_teardown(random_order_is_a_permutation, setup, teardown),
		cmocka_unit_test_setup_teardown(guests_placement_timeline, setup, teardown),
		cmocka_unit_test_setup_teardown(unsatisfiable_is_a_skip, setup, teardown),
		cmocka_unit_test_setup_teardown(interference_is_measured, setup, teardown),
	};
	struct pvb_guest_params p = { .size = SIZE, .vcpus = 1, .touch = 1.0 };
	const struct pvb_backend_ops *kvm = pvb_backend_find("kvm");
	char why[512] = "this architecture has no kvm backend yet";

	int rc = kvm ? kvm->probe(&p, why, sizeof(why)) : PVB_EXIT_SKIP;

	if (rc == PVB_EXIT_USAGE || rc == PVB_EXIT_SKIP) {
		printf("SKIP: the kvm backend cannot run here: %s\n", why);
		return 77;
	}
	if (rc) {
		printf("FAIL: probing the kvm backend: %s\n", why);
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}

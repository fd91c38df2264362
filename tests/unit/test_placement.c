/* Placement policies, topology loading (with the synthetic cap) and the NUMA memory policy
 * check, against the fixtures in tests/fixtures/topologies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <numa.h>

#include "host/numapol.h"
#include "host/placement.h"
#include "pvbench.h"

/*
 * Policies resolved against the fixtures in tests/fixtures/topologies; nothing is bound.
 *
 * z16-lpar.xml: 2 Drawers x 2 Books x 2 chips (Packages) x 2 Cores x 2 PUs, numbered in
 * order: Core k = PUs 2k,2k+1, Package p = PUs 4p..4p+3, Book b = PUs 8b..8b+7, Drawer d =
 * PUs 16d..16d+15; one NUMA node; no L3 (Linux on IBM Z exports only private caches).
 * x86-2s-smt.xml: 2 Packages, each with a NUMA node and an L3, 4 Cores x 2 PUs; Core c of
 * Package p = PUs 4p+c and 8+4p+c (Linux numbering: SMT siblings are N and N+8).
 * vm-2cpu.xml: 1 Package, 1 NUMA node, 1 L3, 2 Cores x 1 PU.
 */

#define SKIP NULL
#define BAD  "!" /* a CPU or NUMA node the topology does not have: PVB_EXIT_USAGE */

struct want {
	const char *policy;
	const char *cpuset; /* as a list, SKIP or BAD */
	const char *why;    /* a part of the reason, or NULL */
};

static hwloc_topology_t load(const char *file)
{
	hwloc_topology_t topo;
	char path[1024], err[512];
	int rc;

	snprintf(path, sizeof(path), "%s/%s", PVB_TEST_TOPOLOGIES, file);
	rc = pvb_topology_load(&topo, path, err, sizeof(err));
	if (rc)
		fail_msg("%s: %s", path, err);
	assert_non_null(topo);
	return topo;
}

/* Resolve one policy from reference PU ref and compare with w. */
static void check(hwloc_topology_t topo, unsigned ref, const struct want *w)
{
	hwloc_bitmap_t r = hwloc_bitmap_alloc(), out = hwloc_bitmap_alloc();
	struct pvb_placement pl;
	char err[512], why[1024], *list = NULL;
	int rc;

	assert_non_null(r);
	assert_non_null(out);
	assert_int_equal(hwloc_bitmap_only(r, ref), 0);
	rc = pvb_placement_parse(w->policy, &pl, err, sizeof(err));
	if (rc)
		fail_msg("parse %s: %s", w->policy, err);
	rc = pvb_placement_resolve(topo, &pl, r, out, why, sizeof(why));
	assert_true(hwloc_bitmap_list_asprintf(&list, out) >= 0);
	print_message("  ref %u %-22s -> %s\n", ref, w->policy, why);
	if (w->cpuset && !strcmp(w->cpuset, BAD)) {
		if (rc != PVB_EXIT_USAGE)
			fail_msg("%s from PU %u: expected bad input, got rc %d, %s (%s)", w->policy,
				 ref, rc, list, why);
		assert_true(hwloc_bitmap_iszero(out));
	} else if (w->cpuset) {
		if (rc != 0)
			fail_msg("%s from PU %u: expected %s, got rc %d: %s", w->policy, ref,
				 w->cpuset, rc, why);
		if (strcmp(list, w->cpuset))
			fail_msg("%s from PU %u: expected %s, got %s (%s)", w->policy, ref,
				 w->cpuset, list, why);
	} else {
		if (rc != PVB_EXIT_SKIP)
			fail_msg("%s from PU %u: expected a skip, got rc %d, %s (%s)", w->policy,
				 ref, rc, list, why);
		assert_true(hwloc_bitmap_iszero(out));
	}
	/* every resolution says why, prefixed with the policy */
	assert_true(!strncmp(why, pl.name, strlen(pl.name)));
	assert_true(strlen(why) > strlen(pl.name) + 2);
	if (w->why && !strstr(why, w->why))
		fail_msg("%s: reason '%s' does not mention '%s'", w->policy, why, w->why);
	free(list);
	hwloc_bitmap_free(out);
	hwloc_bitmap_free(r);
}

static void check_all(const char *file, unsigned ref, const struct want *w, size_t n)
{
	hwloc_topology_t topo = load(file);
	size_t i;

	for (i = 0; i < n; i++)
		check(topo, ref, &w[i]);
	hwloc_topology_destroy(topo);
}

#define CHECK_ALL(file, ref, w) check_all(file, ref, w, sizeof(w) / sizeof((w)[0]))

static void test_z16_from_pu0(void **state)
{
	static const struct want w[] = {
		{ "unpinned", "0-31", NULL },
		{ "same-pu", "0", NULL },
		{ "smt-sibling", "1", "Core L#0" },
		{ "same-core", "0-1", NULL },
		{ "same-l3", SKIP, "no L3Cache" },
		{ "same-package", "2-3", "Package L#0" },
		{ "other-package", "4-7", "in Package L#0; both under Book L#0" },
		{ "other-group:Book", "8-15", "Book L#1" },
		{ "other-group:book", "8-15", NULL },
		{ "other-group:Drawer", "16-31", "Drawer L#1" },
		{ "other-group:Cluster", SKIP, "Drawer, Book" },
		{ "node:0", "0-31", NULL },
		{ "node:1", BAD, "no NUMA node P#1" },
		{ "0-3,8", "0-3,8", NULL },
		{ "30-33", BAD, "CPUs 32-33 are not" },
	};

	(void)state;
	CHECK_ALL("z16-lpar.xml", 0, w);
}

/* From the second PU of a core in the second drawer. */
static void test_z16_from_pu17(void **state)
{
	static const struct want w[] = {
		{ "same-pu", "17", NULL },
		{ "smt-sibling", "16", NULL },
		{ "same-core", "16-17", NULL },
		{ "same-package", "18-19", NULL },
		{ "other-package", "20-23", "Book L#2" },
		{ "other-group:Book", "24-31", "Book L#3" },
		{ "other-group:Drawer", "0-15", "Drawer L#0" },
	};

	(void)state;
	CHECK_ALL("z16-lpar.xml", 17, w);
}

static void test_x86_from_pu0(void **state)
{
	static const struct want w[] = {
		{ "unpinned", "0-15", NULL },
		{ "same-pu", "0", NULL },
		{ "smt-sibling", "8", NULL },
		{ "same-core", "0,8", NULL },
		{ "same-l3", "1-3,9-11", "L3 L#0" },
		{ "same-package", "1-3,9-11", NULL },
		{ "other-package", "4-7,12-15", "Package L#1" },
		{ "other-group:Book", SKIP, "no Group of subtype Book" },
		{ "other-group:Drawer", SKIP, "it has no Groups" },
		{ "node:0", "0-3,8-11", NULL },
		{ "node:1", "4-7,12-15", "NUMA node P#1" },
		{ "node:5", BAD, "nodes: 0-1" },
		{ "0-3,8", "0-3,8", NULL },
		{ "16", BAD, "CPU 16 is not" },
	};

	(void)state;
	CHECK_ALL("x86-2s-smt.xml", 0, w);
}

static void test_x86_from_pu12(void **state)
{
	static const struct want w[] = {
		{ "smt-sibling", "4", NULL },
		{ "same-core", "4,12", NULL },
		{ "same-l3", "5-7,13-15", "L3 L#1" },
		{ "other-package", "0-3,8-11", "Package L#0" },
	};

	(void)state;
	CHECK_ALL("x86-2s-smt.xml", 12, w);
}

static void test_vm_from_pu0(void **state)
{
	static const struct want w[] = {
		{ "unpinned", "0-1", NULL },
		{ "same-pu", "0", NULL },
		{ "smt-sibling", SKIP, "no SMT" },
		{ "same-core", "0", NULL },
		{ "same-l3", "1", NULL },
		{ "same-package", "1", NULL },
		{ "other-package", SKIP, "the only Package" },
		{ "other-group:Book", SKIP, NULL },
		{ "other-group:Drawer", SKIP, NULL },
		{ "node:0", "0-1", NULL },
		{ "node:1", BAD, NULL },
		{ "1", "1", NULL },
		{ "0-99", BAD, "CPUs 2-99 are not" },
	};

	(void)state;
	CHECK_ALL("vm-2cpu.xml", 0, w);
}

/* A reference PU the topology lacks, or none, is the caller's error, not a skip. */
static void test_bad_reference(void **state)
{
	hwloc_topology_t topo = load("vm-2cpu.xml");
	hwloc_bitmap_t r = hwloc_bitmap_alloc(), out = hwloc_bitmap_alloc();
	struct pvb_placement pl;
	char err[256], why[512];

	(void)state;
	assert_non_null(r);
	assert_non_null(out);
	assert_int_equal(pvb_placement_parse("same-core", &pl, err, sizeof(err)), 0);
	assert_int_equal(hwloc_bitmap_only(r, 5), 0);
	assert_int_equal(pvb_placement_resolve(topo, &pl, r, out, why, sizeof(why)),
			 PVB_EXIT_USAGE);
	assert_non_null(strstr(why, "reference PU 5"));
	hwloc_bitmap_zero(r);
	assert_int_equal(pvb_placement_resolve(topo, &pl, r, out, why, sizeof(why)),
			 PVB_EXIT_USAGE);
	assert_int_equal(pvb_placement_resolve(topo, &pl, NULL, out, why, sizeof(why)),
			 PVB_EXIT_USAGE);
	/* policies that do not depend on a reference take none */
	assert_int_equal(pvb_placement_parse("node:0", &pl, err, sizeof(err)), 0);
	assert_int_equal(pvb_placement_resolve(topo, &pl, NULL, out, why, sizeof(why)), 0);
	hwloc_bitmap_free(out);
	hwloc_bitmap_free(r);
	hwloc_topology_destroy(topo);
}

static void test_parse(void **state)
{
	static const char *const bad[] = {
		"",	    "bogus",	    "node:",
		"node:x",   "node:1x",	    "node:-1",
		"node: 1",  "other-group:", "other-group:a b",
		"Same-pu",  "same-l3x",	    "3x",
		"0-",	    "5-2",	    "1,,2",
		"1,",	    "-1",	    "0-3,",
		"99999999",
	};
	struct pvb_placement pl;
	char err[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (pvb_placement_parse(bad[i], &pl, err, sizeof(err)) != PVB_EXIT_USAGE)
			fail_msg("'%s' parsed", bad[i]);
		assert_true(err[0] != '\0');
	}
	/* an unknown name lists the valid ones */
	assert_int_equal(pvb_placement_parse("bogus", &pl, err, sizeof(err)), PVB_EXIT_USAGE);
	assert_non_null(strstr(err, "other-group:SUBTYPE"));
	assert_non_null(strstr(err, "node:N"));

	assert_int_equal(pvb_placement_parse("same-l3", &pl, err, sizeof(err)), 0);
	assert_int_equal(pl.policy, PVB_PL_SAME_L3);
	assert_string_equal(pl.name, "same-l3");
	assert_int_equal(pvb_placement_parse("node:01", &pl, err, sizeof(err)), 0);
	assert_int_equal(pl.policy, PVB_PL_NODE);
	assert_int_equal(pl.node, 1);
	assert_string_equal(pl.name, "node:1");
	assert_int_equal(pvb_placement_parse("other-group:Book", &pl, err, sizeof(err)), 0);
	assert_int_equal(pl.policy, PVB_PL_OTHER_GROUP);
	assert_string_equal(pl.arg, "Book");
	assert_int_equal(pvb_placement_parse("8,0-3,2", &pl, err, sizeof(err)), 0);
	assert_int_equal(pl.policy, PVB_PL_CPULIST);
	assert_string_equal(pl.name, "0-3,8");
}

static void test_synthetic(void **state)
{
	static const struct want w[] = {
		{ "smt-sibling", "1", NULL },	   { "same-package", "2-3", NULL },
		{ "node:1", "4-7", NULL },	   { "other-package", "4-7", NULL },
		{ "same-l3", SKIP, "no L3Cache" }, { "other-group:Book", SKIP, "it has no Groups" },
	};
	hwloc_topology_t topo;
	char err[512];
	size_t i;

	(void)state;
	/*
	 * With the NUMA node spelled out: without one, hwloc 2.9 inserts a NUMA level itself
	 * with an overlapping memcpy that valgrind reports (harmless with glibc on x86-64).
	 */
	assert_int_equal(pvb_topology_load(&topo, "pack:2 [numa] core:2 pu:2", err, sizeof(err)),
			 0);
	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		check(topo, 0, &w[i]);
	hwloc_topology_destroy(topo);
}

static void test_bad_specs(void **state)
{
	hwloc_topology_t topo = (hwloc_topology_t)1;
	char err[512];

	(void)state;
	assert_int_equal(pvb_topology_load(&topo, "pack:2 bogus:3", err, sizeof(err)),
			 PVB_EXIT_USAGE);
	assert_null(topo);
	assert_non_null(strstr(err, "neither a readable hwloc XML file nor a valid synthetic"));
	assert_int_equal(pvb_topology_load(&topo, "/nonexistent/z16.xml", err, sizeof(err)),
			 PVB_EXIT_USAGE);
	assert_non_null(strstr(err, "/nonexistent/z16.xml"));
	/* an existing file that is not hwloc XML */
	assert_int_equal(pvb_topology_load(&topo,
					   PVB_TEST_TOPOLOGIES "/../../unit/test_placement.c", err,
					   sizeof(err)),
			 PVB_EXIT_USAGE);
	assert_non_null(strstr(err, "not a readable hwloc XML"));
}

/* Synthetic topologies are capped at PVB_SYNTHETIC_MAX_PUS, the product of the level counts;
 * what is bracketed (memory children, attributes) counts for nothing. */
static void test_synthetic_cap(void **state)
{
	static const char *const too_big[] = {
		"pack:100 core:100 pu:10",
		"pack:2 core:2049 pu:1",
		"4097",
		"pack:64 [numa(memory=1000000)] core:32 pu:3",
		"99999999999999999999999 2",
	};
	static const char *const fine[] = {
		"pack:64 core:32 pu:2",
		"pack:2 [numa(memory=999999999)] core:2 pu:2",
	};
	hwloc_topology_t topo;
	char err[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(too_big) / sizeof(too_big[0]); i++) {
		topo = (hwloc_topology_t)1;
		if (pvb_topology_load(&topo, too_big[i], err, sizeof(err)) != PVB_EXIT_USAGE)
			fail_msg("%s: loaded, or failed otherwise: %s", too_big[i], err);
		assert_null(topo);
		assert_non_null(strstr(err, "more than 4096 PUs"));
	}
	for (i = 0; i < sizeof(fine) / sizeof(fine[0]); i++) {
		if (pvb_topology_load(&topo, fine[i], err, sizeof(err)))
			fail_msg("%s: %s", fine[i], err);
		hwloc_topology_destroy(topo);
	}
}

/* A --mem-policy node this host does not have is bad input, not a skip. */
static void test_mempolicy_missing_node(void **state)
{
	struct pvb_mempolicy mp;
	char err[256], why[256], note[256];
	int rc;

	(void)state;
	assert_int_equal(pvb_mempolicy_parse("bind:4095", &mp, err, sizeof(err)), 0);
	rc = pvb_mempolicy_check(&mp, why, sizeof(why), note, sizeof(note));
	assert_int_equal(rc, numa_available() < 0 ? PVB_EXIT_SKIP : PVB_EXIT_USAGE);
	if (rc == PVB_EXIT_USAGE)
		assert_non_null(strstr(why, "no NUMA node 4095"));
	assert_int_equal(pvb_mempolicy_parse("preferred:0", &mp, err, sizeof(err)), 0);
	rc = pvb_mempolicy_check(&mp, why, sizeof(why), note, sizeof(note));
	assert_true(rc == 0 || rc == PVB_EXIT_SKIP);
}

/* Groups keep their subtypes through loading; the iteration table is derived from them. */
static void test_policy_table(void **state)
{
	static const struct {
		const char *file;
		int n;
		const char *last;
	} t[] = {
		{ "z16-lpar.xml", 10, "node:0" },
		{ "x86-2s-smt.xml", 11, "node:1" },
		{ "vm-2cpu.xml", 10, "node:0" },
	};
	struct pvb_placement *pl;
	size_t i;
	int n, k;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		hwloc_topology_t topo = load(t[i].file);
		hwloc_bitmap_t out = hwloc_bitmap_alloc(), ref = hwloc_bitmap_alloc();
		char why[1024];
		bool book = false, drawer = false;

		assert_non_null(out);
		assert_non_null(ref);
		assert_int_equal(hwloc_bitmap_only(ref, 0), 0);
		n = pvb_placement_all_policies(topo, &pl);
		assert_int_equal(n, t[i].n);
		assert_string_equal(pl[0].name, "unpinned");
		assert_string_equal(pl[n - 1].name, t[i].last);
		for (k = 0; k < n; k++) {
			int rc = pvb_placement_resolve(topo, &pl[k], ref, out, why, sizeof(why));

			assert_true(rc == 0 || rc == PVB_EXIT_SKIP);
			if (!rc)
				assert_true(hwloc_bitmap_isincluded(
					out, hwloc_topology_get_allowed_cpuset(topo)));
			book |= !strcmp(pl[k].name, "other-group:Book");
			drawer |= !strcmp(pl[k].name, "other-group:Drawer");
		}
		assert_true(book && drawer);
		free(pl);
		hwloc_bitmap_free(ref);
		hwloc_bitmap_free(out);
		hwloc_topology_destroy(topo);
	}
}

/* The z16 fixture with its Books renamed to subtype "Cluster", in a temporary file. */
static void write_renamed_z16(char *path)
{
	static const char book[] = "subtype=\"Book\"";
	char line[4096], *b;
	FILE *in, *out;
	int fd;

	in = fopen(PVB_TEST_TOPOLOGIES "/z16-lpar.xml", "r");
	assert_non_null(in);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	out = fdopen(fd, "w");
	assert_non_null(out);
	while (fgets(line, sizeof(line), in)) {
		b = strstr(line, book);
		if (b) {
			*b = '\0';
			fprintf(out, "%ssubtype=\"Cluster\"%s", line, b + strlen(book));
		} else {
			fputs(line, out);
		}
	}
	assert_int_equal(fclose(out), 0);
	fclose(in);
}

/* A Group subtype pvbench does not know by name still gets its policy; unnamed ones none. */
static void test_policy_table_other_subtype(void **state)
{
	static const struct want w = { "other-group:Cluster", "8-15", "Cluster L#1" };
	char path[] = "/tmp/pvb-test-placement-XXXXXX", err[512];
	struct pvb_placement *pl;
	hwloc_topology_t topo;
	bool found = false;
	int n, k, rc;

	(void)state;
	write_renamed_z16(path);
	rc = pvb_topology_load(&topo, path, err, sizeof(err));
	unlink(path);
	if (rc)
		fail_msg("%s", err);
	n = pvb_placement_all_policies(topo, &pl);
	assert_int_equal(n, 11);
	for (k = 0; k < n; k++)
		found |= !strcmp(pl[k].name, "other-group:Cluster");
	assert_true(found);
	free(pl);
	check(topo, 0, &w);
	hwloc_topology_destroy(topo);

	/* synthetic groups carry no subtype: only the two IBM Z entries */
	assert_int_equal(
		pvb_topology_load(&topo, "group:2 [numa] pack:2 core:1 pu:2", err, sizeof(err)), 0);
	n = pvb_placement_all_policies(topo, &pl);
	assert_true(n > 0);
	for (k = 0, rc = 0; k < n; k++)
		rc += pl[k].policy == PVB_PL_OTHER_GROUP;
	assert_int_equal(rc, 2);
	free(pl);
	hwloc_topology_destroy(topo);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_z16_from_pu0),
		cmocka_unit_test(test_z16_from_pu17),
		cmocka_unit_test(test_x86_from_pu0),
		cmocka_unit_test(test_x86_from_pu12),
		cmocka_unit_test(test_vm_from_pu0),
		cmocka_unit_test(test_bad_reference),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_synthetic),
		cmocka_unit_test(test_bad_specs),
		cmocka_unit_test(test_synthetic_cap),
		cmocka_unit_test(test_mempolicy_missing_node),
		cmocka_unit_test(test_policy_table),
		cmocka_unit_test(test_policy_table_other_subtype),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The s390x host facts on every architecture: /proc/sysinfo parsed from a fixture in the
 * kernel's format (tests/fixtures/s390), the capping and dedicated flags, the hypervisor
 * levels, /sys/firmware/uv/query from a fixture directory, and the provenance labels. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "host/lpar.h"
#include "provenance.h"

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static long long num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

static void test_fixture(void **state)
{
	json_t *o = pvb_lpar_json(PVB_TEST_S390 "/sysinfo-lpar-shared"), *hv;

	(void)state;
	assert_non_null(o);
	assert_null(json_object_get(o, "error"));
	assert_string_equal(str(o, "manufacturer"), "IBM");
	assert_string_equal(str(o, "type"), "3931");
	assert_string_equal(str(o, "model"), "702 A01");
	assert_string_equal(str(o, "sequence_code"), "000000000001A2B3");
	assert_int_equal(num(o, "capacity_adj_ind"), 100);
	assert_int_equal(num(o, "lpar_number"), 47);
	assert_string_equal(str(o, "lpar_name"), "LP32");
	assert_string_equal(str(o, "lpar_characteristics"), "Shared");
	assert_true(json_is_true(json_object_get(o, "shared")));
	assert_true(json_is_false(json_object_get(o, "dedicated")));
	assert_true(json_is_false(json_object_get(o, "capped")));
	assert_int_equal(num(o, "lpar_cpus_total"), 32);
	assert_int_equal(num(o, "lpar_cpus_configured"), 16);
	assert_int_equal(num(o, "lpar_cpus_dedicated"), 0);
	assert_int_equal(num(o, "lpar_cpus_shared"), 16);
	assert_string_equal(str(o, "lpar_uuid"), "2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901");
	/* the machine's "CPUs Total: 8" is not the LPAR's */
	assert_null(json_object_get(o, "cpus_total"));
	hv = json_object_get(o, "hypervisors");
	assert_int_equal(json_array_size(hv), 1);
	assert_string_equal(str(json_array_get(hv, 0), "name"), "KVMHOST1");
	assert_string_equal(str(json_array_get(hv, 0), "control_program"), "KVM/Linux");
	json_decref(o);
}

/* A dedicated, capped LPAR; a bare first-level one has no hypervisors member. */
static void test_dedicated_capped(void **state)
{
	json_t *o = pvb_lpar_parse("LPAR Number:          3\n"
				   "LPAR Characteristics: Dedicated Limited \n"
				   "LPAR Name:            Z16A    \n"
				   "LPAR CPUs Dedicated:  8\n"
				   "LPAR CPUs Shared:     0\n"
				   "not a field line\n");

	(void)state;
	assert_non_null(o);
	assert_true(json_is_true(json_object_get(o, "dedicated")));
	assert_true(json_is_false(json_object_get(o, "shared")));
	assert_true(json_is_true(json_object_get(o, "capped")));
	assert_string_equal(str(o, "lpar_name"), "Z16A");
	assert_int_equal(num(o, "lpar_cpus_dedicated"), 8);
	assert_null(json_object_get(o, "hypervisors"));
	assert_null(json_object_get(o, "type"));
	json_decref(o);
	o = pvb_lpar_parse("");
	assert_non_null(o);
	assert_int_equal(json_object_size(o), 0);
	json_decref(o);
}

static void test_unreadable(void **state)
{
	json_t *o = pvb_lpar_json("/nonexistent/sysinfo");

	(void)state;
	assert_non_null(o);
	assert_non_null(strstr(str(o, "error"), "No such file"));
	json_decref(o);
}

static void test_uv_query(void **state)
{
	json_t *o = pvb_uv_query_json(PVB_TEST_S390 "/uv_query");

	(void)state;
	assert_non_null(o);
	assert_int_equal(json_object_size(o), 7);
	assert_string_equal(str(o, "max_cpus"), "248");
	assert_string_equal(str(o, "facilities"), "0xedc0000000000000\n0x0\n0x0\n0x0");
	json_decref(o);
	errno = 0;
	assert_null(pvb_uv_query_json("/nonexistent/uv/query"));
	assert_int_equal(errno, ENOENT);
	/* off s390x: both stated as not present */
	o = pvb_s390_host_json();
	assert_non_null(o);
#ifndef __s390x__
	assert_non_null(strstr(str(o, "sysinfo"), "not present"));
#endif
	json_decref(o);
}

static void test_labels(void **state)
{
	char id[PVB_LABEL_MAX], id2[PVB_LABEL_MAX], host[PVB_LABEL_MAX];
	char longname[100];

	(void)state;
	assert_true(pvb_label_ok("lpar-a1.example_2"));
	assert_false(pvb_label_ok(""));
	assert_false(pvb_label_ok("-x"));
	assert_false(pvb_label_ok(".x"));
	assert_false(pvb_label_ok("a/b"));
	assert_false(pvb_label_ok("a,b"));
	memset(longname, 'a', 64);
	longname[64] = '\0';
	assert_false(pvb_label_ok(longname));
	pvb_default_host_label(host, sizeof(host));
	assert_true(pvb_label_ok(host));
	assert_int_equal(pvb_new_run_id("hostA", 0, id, sizeof(id)), 0);
	assert_int_equal(pvb_new_run_id("hostA", 0, id2, sizeof(id2)), 0);
	assert_true(pvb_label_ok(id));
	assert_int_equal(strncmp(id, "19700101T000000Z-hostA-", 23), 0);
	assert_int_equal(strlen(id), 23 + 8);
	assert_string_not_equal(id, id2);
	/* a long host label gives way, the random part stays whole */
	assert_int_equal(pvb_new_run_id(longname + 2, 0, id, sizeof(id)), 0);
	assert_true(pvb_label_ok(id));
	assert_int_equal(strlen(id), PVB_LABEL_MAX - 1);
	assert_int_equal(id[strlen(id) - 9], '-');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture),	   cmocka_unit_test(test_dedicated_capped),
		cmocka_unit_test(test_unreadable), cmocka_unit_test(test_uv_query),
		cmocka_unit_test(test_labels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

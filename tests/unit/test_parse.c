/* Parsing of command-line values: sizes with binary units and fractions, lists, integers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "parse.h"
#include "pvbench.h"

#define PVB_TIB (1024ULL * PVB_GIB)

static void test_size_good(void **state)
{
	static const struct {
		const char *s;
		uint64_t v;
	} cases[] = {
		{ "512M", 512 * PVB_MIB },
		{ "1G", PVB_GIB },
		{ "4g", 4 * PVB_GIB },
		{ "2097152", 2097152 },
		{ "1", 1 },
		{ "1.5G", 1536 * PVB_MIB },
		{ "64K", 64 * PVB_KIB },
		{ "1k", PVB_KIB },
		{ "1T", PVB_TIB },
		{ "1GiB", PVB_GIB },
		{ "1gib", PVB_GIB },
		{ "512MB", 512 * PVB_MIB },
		{ "0.5K", 512 },
		{ "0.25M", 256 * PVB_KIB },
		{ "2.0", 2 },
		{ "1.500G", 1536 * PVB_MIB },
		/* 2^-10 K = 1 byte: 0.0009765625 * 1024 = 1 */
		{ "0.0009765625K", 1 },
		{ "16777215T", 16777215 * PVB_TIB },
		{ "18446744073709551615", UINT64_MAX },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t v = 0;
		int ret = pvb_parse_size(cases[i].s, &v);

		if (ret || v != cases[i].v)
			fail_msg("\"%s\": got %d, %" PRIu64, cases[i].s, ret, v);
	}
}

static void test_size_bad(void **state)
{
	static const char *const cases[] = {
		"",
		"0",
		"-1",
		"1X",
		"G",
		"1.5.2G",
		" 1G",
		"1G ",
		"18446744073709551616",
		"99999999999T",
		"0.0G",
		"1.5",
		"0.1K",
		"1.",
		".5G",
		"1B",
		"1GB2",
		"1Gi",
		"1KiBB",
		"+1",
		"16777216T",
		"1e3",
		"0x10",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t v = 12345;
		int ret = pvb_parse_size(cases[i], &v);

		if (ret != -1 || v != 12345)
			fail_msg("\"%s\" accepted: %d, %" PRIu64, cases[i], ret, v);
	}
}

static void test_format_size(void **state)
{
	static const struct {
		uint64_t v;
		const char *s;
	} cases[] = {
		{ 512 * PVB_MIB, "512M" },
		{ PVB_GIB, "1G" },
		{ 1536 * PVB_MIB, "1536M" },
		{ 4096, "4K" },
		{ 4097, "4097" },
		{ 1023, "1023" },
		{ 1, "1" },
		{ 0, "0" },
		{ 3 * PVB_TIB, "3T" },
		{ 2048 * PVB_TIB, "2048T" },
		{ UINT64_MAX, "18446744073709551615" },
	};
	char buf[32];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pvb_format_size(cases[i].v, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].s);
	}
}

static void test_format_round_trip(void **state)
{
	static const uint64_t cases[] = {
		1,
		1023,
		1024,
		1025,
		4095,
		4096,
		4097,
		3 * PVB_MIB + PVB_KIB,
		1536 * PVB_MIB,
		PVB_GIB - 1,
		7 * PVB_TIB,
		16777215 * PVB_TIB,
		UINT64_MAX,
		UINT64_MAX - 1023,
	};
	char buf[32];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t v = 0;
		int ret;

		pvb_format_size(cases[i], buf, sizeof(buf));
		ret = pvb_parse_size(buf, &v);
		if (ret || v != cases[i])
			fail_msg("%" PRIu64 " -> \"%s\" -> %d, %" PRIu64, cases[i], buf, ret, v);
	}
}

static void test_split_list(void **state)
{
	char *items[4];
	char s1[] = "1G,2G,512M";
	char s2[] = "one";
	char s3[] = "a,b,c,d";
	char s4[] = "a,b,c,d,e";

	(void)state;
	assert_int_equal(pvb_split_list(s1, items, 4), 3);
	assert_string_equal(items[0], "1G");
	assert_string_equal(items[1], "2G");
	assert_string_equal(items[2], "512M");
	assert_int_equal(pvb_split_list(s2, items, 4), 1);
	assert_string_equal(items[0], "one");
	assert_int_equal(pvb_split_list(s3, items, 4), 4);
	assert_string_equal(items[3], "d");
	assert_int_equal(pvb_split_list(s4, items, 4), -1);
}

static void test_split_list_empty_items(void **state)
{
	static const char *const cases[] = { "1,,2", ",1", "1,", "", ",", ",," };
	char *items[8], buf[16];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		strcpy(buf, cases[i]);
		if (pvb_split_list(buf, items, 8) != -1)
			fail_msg("\"%s\" accepted", cases[i]);
	}
}

static void test_parse_uint(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(pvb_parse_uint("0", 0, 10, &v), 0);
	assert_true(v == 0);
	assert_int_equal(pvb_parse_uint("10", 0, 10, &v), 0);
	assert_true(v == 10);
	assert_int_equal(pvb_parse_uint("007", 1, 10, &v), 0);
	assert_true(v == 7);
	assert_int_equal(pvb_parse_uint("18446744073709551615", 0, UINT64_MAX, &v), 0);
	assert_true(v == UINT64_MAX);

	v = 99;
	assert_int_equal(pvb_parse_uint("11", 0, 10, &v), -1);
	assert_int_equal(pvb_parse_uint("0", 1, 10, &v), -1);
	assert_int_equal(pvb_parse_uint("", 0, 10, &v), -1);
	assert_int_equal(pvb_parse_uint("-1", 0, 10, &v), -1);
	assert_int_equal(pvb_parse_uint("+1", 0, 10, &v), -1);
	assert_int_equal(pvb_parse_uint(" 1", 0, 10, &v), -1);
	assert_int_equal(pvb_parse_uint("1 ", 0, 10, &v), -1);
	assert_int_equal(pvb_parse_uint("1x", 0, 10, &v), -1);
	assert_int_equal(pvb_parse_uint("1.0", 0, 10, &v), -1);
	assert_int_equal(pvb_parse_uint("0x1", 0, 10, &v), -1);
	assert_int_equal(pvb_parse_uint("18446744073709551616", 0, UINT64_MAX, &v), -1);
	assert_true(v == 99);
}

static void test_parse_fraction(void **state)
{
	static const struct {
		const char *s;
		double v;
	} good[] = {
		{ "1", 1 },	  { "0.5", 0.5 },     { "1.0", 1 },	  { "1.000", 1 },
		{ "0.25", 0.25 }, { "0.001", 0.001 }, { "0.999", 0.999 }, { "00.5", 0.5 },
	};
	static const char *const bad[] = {
		"0",  "1.1",  "abc",  "",    "0.0",  "2",  "1.0000000000000000001", "-0.5", ".5",
		"0.", "0.5 ", " 0.5", "0,5", "1e-1", "10",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		double v = -1;
		int ret = pvb_parse_fraction(good[i].s, &v);

		if (ret || !(fabs(v - good[i].v) < 1e-9))
			fail_msg("\"%s\": got %d, %g", good[i].s, ret, v);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		double v = -1;
		int ret = pvb_parse_fraction(bad[i], &v);

		if (ret != -1 || v != -1)
			fail_msg("\"%s\" accepted: %d, %g", bad[i], ret, v);
	}
	/* Nonzero digits below the smallest double (fuzzing found "0.<400 zeros>1" as 0). */
	{
		char tiny[512] = "0.";
		double v = -1;

		memset(tiny + 2, '0', 400);
		tiny[402] = '1';
		tiny[403] = '\0';
		assert_int_equal(pvb_parse_fraction(tiny, &v), -1);
		assert_true(v == -1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size_good),   cmocka_unit_test(test_size_bad),
		cmocka_unit_test(test_format_size), cmocka_unit_test(test_format_round_trip),
		cmocka_unit_test(test_split_list),  cmocka_unit_test(test_split_list_empty_items),
		cmocka_unit_test(test_parse_uint),  cmocka_unit_test(test_parse_fraction),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

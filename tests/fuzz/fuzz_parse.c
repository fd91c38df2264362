/* libFuzzer target: the command-line value parsers (bench/parse.h) on the same string: a size
 * must survive pvb_format_size and parse back to itself; a list's items must be non-empty,
 * at most max and inside the string; integers and fractions must keep to their ranges. */
#include <stddef.h>
#include <stdint.h>

#include "parse.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	return 0;
}

static void check_size(const char *s)
{
	uint64_t v, again;
	char buf[64];

	if (pvb_parse_size(s, &v))
		return;
	FUZZ_CHECK(v > 0);
	pvb_format_size(v, buf, sizeof(buf));
	FUZZ_CHECK(!pvb_parse_size(buf, &again));
	FUZZ_CHECK(again == v);
}

static void check_list(const char *s, size_t size)
{
	char *copy = fuzz_string((const uint8_t *)s, size);
	char *items[8];
	int n = pvb_split_list(copy, items, 8);

	FUZZ_CHECK(n >= -1 && n <= 8);
	for (int i = 0; i < n; i++) {
		FUZZ_CHECK(items[i] >= copy && items[i] <= copy + size);
		FUZZ_CHECK(items[i][0] != '\0');
	}
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	uint64_t u;
	double f;

	check_size(s);
	check_list(s, size);
	if (!pvb_parse_uint(s, 3, 1000, &u))
		FUZZ_CHECK(u >= 3 && u <= 1000);
	if (!pvb_parse_uint(s, 0, UINT64_MAX, &u))
		FUZZ_CHECK(s[0] >= '0' && s[0] <= '9');
	if (!pvb_parse_fraction(s, &f))
		FUZZ_CHECK(f > 0 && f <= 1);
	free(s);
	return 0;
}

/* Parsing of command-line values: sizes with binary units, lists, integers, fractions. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "parse.h"
#include "pvbench.h"

/* Accumulate the decimal digits [s, end) into *out. Returns -1 on overflow. */
static int digits_to_u64(const char *s, const char *end, uint64_t *out)
{
	uint64_t v = 0;

	for (; s < end; s++) {
		unsigned int d = (unsigned int)(*s - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static const char *skip_digits(const char *s)
{
	while (isdigit((unsigned char)*s))
		s++;
	return s;
}

/*
 * A decimal at s: digits [s, *int_end), then, after a point, the fraction's digits
 * [*frac, *frac_end) (both int_end without a point). Returns 0, or -1 if s does not start
 * with a digit or a point has no digit after it.
 */
static int split_decimal(const char *s, const char **int_end, const char **frac,
			 const char **frac_end)
{
	*int_end = *frac = *frac_end = skip_digits(s);
	if (*int_end == s)
		return -1;
	if (**int_end == '.') {
		*frac = *int_end + 1;
		*frac_end = skip_digits(*frac);
		if (*frac_end == *frac)
			return -1;
	}
	return 0;
}

/* Returns the shift of a K/M/G/T suffix with an optional "B" or "iB", or -1. */
static int unit_shift(const char *s)
{
	static const char units[] = "KMGT";
	const char *u;

	if (!*s)
		return 0;
	u = strchr(units, toupper((unsigned char)*s));
	if (!u)
		return -1;
	s++;
	if (*s && strcasecmp(s, "B") && strcasecmp(s, "iB"))
		return -1;
	return 10 * (int)(u - units + 1);
}

int pvb_parse_size(const char *s, uint64_t *out)
{
	const char *int_end, *frac, *frac_end;
	uint8_t dig[64];
	uint64_t ip, fp = 0, total;
	size_t nd = 0, i;
	int shift, carry;

	if (split_decimal(s, &int_end, &frac, &frac_end))
		return -1;
	shift = unit_shift(frac_end);
	if (shift < 0)
		return -1;
	if (digits_to_u64(s, int_end, &ip))
		return -1;

	if (frac < frac_end) {
		/*
		 * Multiply the fraction by 2^shift exactly: double its decimal digits shift times,
		 * the carries out of the first digit make up the whole bytes. A remainder means
		 * the size is not a whole number of bytes. Past 40 significant digits (after
		 * trailing zeros) no fraction times 2^40 can be whole.
		 */
		while (frac_end > frac && frac_end[-1] == '0')
			frac_end--;
		nd = (size_t)(frac_end - frac);
		if (nd > sizeof(dig))
			return -1;
		for (i = 0; i < nd; i++)
			dig[i] = (uint8_t)(frac[i] - '0');
		for (int r = 0; r < shift; r++) {
			carry = 0;
			for (i = nd; i-- > 0;) {
				int v = dig[i] * 2 + carry;

				dig[i] = (uint8_t)(v % 10);
				carry = v / 10;
			}
			fp = fp * 2 + (uint64_t)carry;
		}
		for (i = 0; i < nd; i++)
			if (dig[i])
				return -1;
	}

	if (ip > (UINT64_MAX >> shift))
		return -1;
	total = ip << shift;
	if (total > UINT64_MAX - fp)
		return -1;
	total += fp;
	if (total == 0)
		return -1;
	*out = total;
	return 0;
}

void pvb_format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGT";

	for (int i = 3; bytes && i >= 0; i--) {
		int shift = 10 * (i + 1);

		if (!(bytes & ((1ULL << shift) - 1))) {
			snprintf(buf, len, "%" PRIu64 "%c", bytes >> shift, units[i]);
			return;
		}
	}
	snprintf(buf, len, "%" PRIu64, bytes);
}

int pvb_split_list(char *s, char **items, int max)
{
	int n = 0;

	for (;;) {
		char *comma = strchr(s, ',');

		if (comma)
			*comma = '\0';
		if (!*s || n >= max)
			return -1;
		items[n++] = s;
		if (!comma)
			return n;
		s = comma + 1;
	}
}

int pvb_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	const char *end = skip_digits(s);
	uint64_t v;

	if (end == s || *end || digits_to_u64(s, end, &v))
		return -1;
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int pvb_parse_fraction(const char *s, double *out)
{
	const char *int_end, *frac, *frac_end, *p;
	bool nonzero_frac = false;
	uint64_t ip;
	double v = 0;

	if (split_decimal(s, &int_end, &frac, &frac_end) || *frac_end)
		return -1;
	/* Decide the range on the digits, not on the rounded value ("1.0000000000000000001"). */
	if (digits_to_u64(s, int_end, &ip) || ip > 1)
		return -1;
	for (p = frac; p < frac_end; p++)
		nonzero_frac |= *p != '0';
	if (ip == 1 ? nonzero_frac : !nonzero_frac)
		return -1;
	/* Horner from the last digit; no strtod, so the locale's decimal point does not matter. */
	for (p = frac_end; p-- > frac;)
		v = (v + (*p - '0')) / 10.0;
	/* Nonzero digits that underflow to 0 ("0.<400 zeros>1", found by fuzzing): not in (0, 1]. */
	if (ip == 0 && v <= 0)
		return -1;
	*out = (double)ip + v;
	return 0;
}

/* Parsing of command-line values: sizes, lists, fractions. */
#ifndef PVB_PARSE_H
#define PVB_PARSE_H
#include <stddef.h>
#include <stdint.h>

/* "512M", "1G", "4g", "2097152", "1.5G", "64K", "1T": binary units (K = 1024).
 * Returns 0 and *out, or -1 for malformed, zero, negative or overflowing input. */
int pvb_parse_size(const char *s, uint64_t *out);
/* Format bytes compactly: "512M", "1G", "1536M", "4096" (exact binary units only). */
void pvb_format_size(uint64_t bytes, char *buf, size_t len);

/* Split a comma-separated list into at most max items (modifies s in place, items point
 * into s). Empty items are rejected. Returns the count, or -1. */
int pvb_split_list(char *s, char **items, int max);

/* Decimal unsigned integer in [min, max]. Returns 0, or -1. */
int pvb_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out);
/* Decimal fraction in (0, 1]. Returns 0, or -1. */
int pvb_parse_fraction(const char *s, double *out);

#endif

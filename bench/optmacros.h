/*
 * Shorthands for the entries of an option table (options.h): the designators most entries
 * share; the entry adds .help, .hint, .flags... after them. The including file defines
 * FIELD(f) before its table, as PVB_OPT_FIELD(its configuration's type, f), e.g.
 *
 *	#define FIELD(f) PVB_OPT_FIELD(struct pvb_stress_args, f)
 *	...
 *	{ COUNT("iterations", iterations, 1, "is not a count >= 1"), .help = "..." },
 *	{ FLAG("quiet", quiet, "no progress lines") },
 *
 * Include it in a .c file with a table only: the names are short.
 */
#ifndef PVB_OPTMACROS_H
#define PVB_OPTMACROS_H
#include "options.h"

/* --n N: an unsigned integer in [lo, hi] into field f; the entry adds .scale if any */
#define UINT(n, m, f, lo, hi, hint_) \
	.name = n, .metavar = m, .kind = PVB_OPT_UINT, FIELD(f), .min = lo, .max = hi, .hint = hint_
/* --n N: a count from lo to a million */
#define COUNT(n, f, lo, hint_) UINT(n, "N", f, lo, 1000000, hint_)
/* --n: sets bool field f (or clears it, with .inverse = true) */
#define FLAG(n, f, text)       .name = n, .kind = PVB_OPT_FLAG, FIELD(f), .help = text
/* --n M: fn parses the argument; the entry adds FIELD(f) when fn writes one field */
#define CUSTOM(n, m, fn)       .name = n, .metavar = m, .kind = PVB_OPT_CUSTOM, .parse = fn
/* --n SIZE: a size (512M) into uint64_t field f */
#define SIZE(n, f) \
	.name = n, .metavar = "SIZE", .kind = PVB_OPT_SIZE, FIELD(f), .hint = "is not a size"
/* --n LIST: distinct sizes into the uint64_t array field f (cap items), their count at off2_ */
#define SIZE_LIST(n, f, off2_, cap)                                                       \
	.name = n, .metavar = "LIST", .kind = PVB_OPT_SIZE_LIST, FIELD(f), .off2 = off2_, \
	.max_items = cap,                                                                 \
	.hint = "is not a size (a positive number with K, M, G or T, e.g. 512M, 1G)"
/* --n M: one of names_ into the int (or enum) field f */
#define ENUM(n, m, f, names_) \
	.name = n, .metavar = m, .kind = PVB_OPT_ENUM, FIELD(f), .names = names_
/* --n M: the argument itself into the const char * field f */
#define ARG(n, m, f)	.name = n, .metavar = m, .kind = PVB_OPT_ARG, FIELD(f)
/* -o, --out M: the same for the output, with its short name */
#define OUT_SHORT(m, f) ARG("out", m, f), .short_name = 'o', .label = "-o, --out " m

#endif

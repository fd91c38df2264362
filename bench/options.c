/* The option engine: getopt_long, --help and `key = value` through the same table entries. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"
#include "parse.h"
#include "pvbench.h"

#define LIST_TEXT_MAX 1024

void pvb_opts_init(struct pvb_opts *ctx, const char *cmd, const struct pvb_opt_table *t, void *cfg)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->cmd = cmd;
	ctx->prefix = "";
	ctx->help_col = 26;
	pvb_opts_add(ctx, t, cfg);
}

void pvb_opts_add(struct pvb_opts *ctx, const struct pvb_opt_table *t, void *cfg)
{
	int n = 0;

	for (int i = 0; i < ctx->ntables; i++)
		if (ctx->tables[i] == t)
			return;
	while (t->opts[n].name)
		n++;
	/* A table's entries are remembered as bits of a 64-bit mask (pvb_opts_given). */
	if (ctx->ntables == PVB_OPTS_MAX_TABLES || n > 64) {
		pvb_err("internal error: %s's option tables exceed %d tables or 64 entries",
			ctx->cmd, PVB_OPTS_MAX_TABLES);
		abort();
	}
	ctx->tables[ctx->ntables] = t;
	ctx->bases[ctx->ntables++] = cfg;
}

int pvb_opt_bad(const struct pvb_opts *ctx, const char *opt, const char *val, const char *hint)
{
	pvb_err("--%s: '%s' %s (see pvbench %s --help)", opt, val, hint, ctx->cmd);
	return PVB_EXIT_USAGE;
}

int pvb_opt_unknown(const struct pvb_opts *ctx, const struct pvb_opt *o, const char *val,
		    const char *hint)
{
	char names[LIST_TEXT_MAX] = "";
	size_t n = 0;

	/* an ENUM's names: "a, b or c" */
	for (const struct pvb_opt_name *p = o->names; p && p->name && n < sizeof(names); p++) {
		const char *sep = p == o->names ? "" : p[1].name ? ", " : " or ";

		n += (size_t)snprintf(names + n, sizeof(names) - n, "%s%s", sep, p->name);
	}
	pvb_err("%s: unknown %s '%s' (%s)", ctx->cmd, o->name, val, names[0] ? names : hint);
	return PVB_EXIT_USAGE;
}

/* A bad value of entry o, in the command's words if it has them. */
static int bad_value(const struct pvb_opts *ctx, const struct pvb_opt *o, const char *val,
		     const char *hint)
{
	if (ctx->bad_value)
		return ctx->bad_value(ctx, o, val, hint);
	return pvb_opt_bad(ctx, o->name, val, hint);
}

static void store_uint(void *dst, size_t size, uint64_t v)
{
	if (size == sizeof(int)) {
		int i = (int)v;

		memcpy(dst, &i, sizeof(i));
	} else {
		memcpy(dst, &v, sizeof(v));
	}
}

/* Split a list option's text; items point into copy. Returns the count, or 0 after a message. */
static int split(const struct pvb_opts *ctx, const struct pvb_opt *o, const char *arg, char *copy,
		 char **items)
{
	char hint[80];
	int n;

	snprintf(copy, LIST_TEXT_MAX, "%s", arg);
	n = o->max_items <= 64 ? pvb_split_list(copy, items, o->max_items) : -1;
	if (n > 0)
		return n;
	snprintf(hint, sizeof(hint), "is not a comma-separated list of at most %d items",
		 o->max_items);
	bad_value(ctx, o, arg, hint);
	return 0;
}

static int set_uint_list(const struct pvb_opts *ctx, const struct pvb_opt *o, char *base,
			 const char *arg)
{
	char copy[LIST_TEXT_MAX], *items[64];
	int *vals = (int *)(base + o->off), n = split(ctx, o, arg, copy, items);
	uint64_t v;

	if (!n)
		return PVB_EXIT_USAGE;
	for (int i = 0; i < n; i++) {
		if (pvb_parse_uint(items[i], o->min, o->max, &v))
			return bad_value(ctx, o, items[i], o->hint);
		vals[i] = (int)v;
	}
	*(int *)(base + o->off2) = n;
	return 0;
}

/* Sizes, each given once: 1G and 1024M are the same point. */
static int set_size_list(const struct pvb_opts *ctx, const struct pvb_opt *o, char *base,
			 const char *arg)
{
	char copy[LIST_TEXT_MAX], *items[64], hint[LIST_TEXT_MAX + 64];
	uint64_t *vals = (uint64_t *)(base + o->off);
	int n = split(ctx, o, arg, copy, items);

	if (!n)
		return PVB_EXIT_USAGE;
	for (int i = 0; i < n; i++) {
		if (pvb_parse_size(items[i], &vals[i]))
			return bad_value(ctx, o, items[i], o->hint);
		for (int j = 0; j < i; j++) {
			if (vals[j] != vals[i])
				continue;
			snprintf(hint, sizeof(hint),
				 "is the same size as '%s': give each size once", items[j]);
			return bad_value(ctx, o, items[i], hint);
		}
	}
	*(int *)(base + o->off2) = n;
	return 0;
}

static int set_enum(const struct pvb_opts *ctx, const struct pvb_opt *o, char *base,
		    const char *arg)
{
	for (const struct pvb_opt_name *n = o->names; n->name; n++)
		if (!strcmp(n->name, arg)) {
			*(int *)(base + o->off) = n->value;
			return 0;
		}
	return bad_value(ctx, o, arg, o->hint);
}

static int set_text(const struct pvb_opts *ctx, const struct pvb_opt *o, char *base,
		    const char *arg)
{
	if (o->kind == PVB_OPT_PATH && access(arg, R_OK))
		return bad_value(ctx, o, arg, "cannot be read");
	if (strlen(arg) >= o->size)
		return bad_value(ctx, o, arg,
				 o->kind == PVB_OPT_PATH ? "is too long a path" : o->hint);
	snprintf(base + o->off, o->size, "%s", arg);
	return 0;
}

/* Parse arg (NULL for a flag) into the configuration through entry o. */
static int set(struct pvb_opts *ctx, const struct pvb_opt *o, char *base, const char *arg)
{
	uint64_t v;

	switch (o->kind) {
	case PVB_OPT_FLAG:
		if (o->size == sizeof(bool))
			*(bool *)(base + o->off) = !o->inverse;
		else
			store_uint(base + o->off, o->size, !o->inverse);
		return 0;
	case PVB_OPT_UINT:
		if (pvb_parse_uint(arg, o->min, o->max, &v))
			return bad_value(ctx, o, arg, o->hint);
		store_uint(base + o->off, o->size, o->scale ? v * o->scale : v);
		return 0;
	case PVB_OPT_UINT_LIST:
		return set_uint_list(ctx, o, base, arg);
	case PVB_OPT_SIZE:
		if (pvb_parse_size(arg, (uint64_t *)(base + o->off)))
			return bad_value(ctx, o, arg, o->hint);
		return 0;
	case PVB_OPT_SIZE_LIST:
		return set_size_list(ctx, o, base, arg);
	case PVB_OPT_FRACTION:
		if (pvb_parse_fraction(arg, (double *)(base + o->off)))
			return bad_value(ctx, o, arg, o->hint);
		return 0;
	case PVB_OPT_ENUM:
		return set_enum(ctx, o, base, arg);
	case PVB_OPT_STRING:
	case PVB_OPT_PATH:
		return set_text(ctx, o, base, arg);
	case PVB_OPT_ARG:
		*(const char **)(base + o->off) = arg;
		return 0;
	case PVB_OPT_CUSTOM:
		return o->parse(ctx, o, base, arg);
	case PVB_OPT_HELP: /* pvb_opts_getopt() handles it */
	case PVB_OPT_BACKENDS:
		break;
	}
	return PVB_EXIT_USAGE;
}

const struct pvb_opt *pvb_opts_find(const struct pvb_opts *ctx, const char *name, int *table)
{
	for (int t = 0; t < ctx->ntables; t++)
		for (const struct pvb_opt *o = ctx->tables[t]->opts; o->name; o++)
			if (o->kind != PVB_OPT_BACKENDS && !strcmp(o->name, name)) {
				if (table)
					*table = t;
				return o;
			}
	return NULL;
}

bool pvb_opts_given(const struct pvb_opts *ctx, const char *name)
{
	int t;
	const struct pvb_opt *o = pvb_opts_find(ctx, name, &t);

	return o && (ctx->given[t] >> (o - ctx->tables[t]->opts) & 1);
}

static int set_given(struct pvb_opts *ctx, int t, const struct pvb_opt *o, const char *arg)
{
	ctx->given[t] |= 1ULL << (o - ctx->tables[t]->opts);
	return set(ctx, o, ctx->bases[t], arg);
}

int pvb_opts_apply(struct pvb_opts *ctx, const char *name, const char *value)
{
	int t;
	const struct pvb_opt *o = pvb_opts_find(ctx, name, &t);

	if (!o) {
		pvb_err("'%s' is not a pvbench %s option", name, ctx->cmd);
		return PVB_EXIT_USAGE;
	}
	if (o->metavar)
		return set_given(ctx, t, o, value);
	if (!strcmp(value, "false"))
		return 0;
	if (strcmp(value, "true"))
		return bad_value(ctx, o, value, "is a flag: true or false");
	return set_given(ctx, t, o, NULL);
}

void pvb_opts_defaults(struct pvb_opts *ctx)
{
	for (int t = 0; t < ctx->ntables; t++)
		if (ctx->tables[t]->defaults)
			ctx->tables[t]->defaults(ctx->bases[t]);
}

int pvb_opts_check(struct pvb_opts *ctx)
{
	for (int t = 0; t < ctx->ntables; t++) {
		int rc = ctx->tables[t]->check ? ctx->tables[t]->check(ctx->bases[t]) : 0;

		if (rc)
			return rc;
	}
	return -1;
}

/* getopt_long's array: every entry of every table; val 256 + k names the k-th. */
static struct option *long_options(const struct pvb_opts *ctx, const struct pvb_opt ***byval,
				   int **tableof)
{
	int n = 0, k = 0;
	struct option *lo;

	for (int t = 0; t < ctx->ntables; t++)
		for (const struct pvb_opt *o = ctx->tables[t]->opts; o->name; o++)
			n++;
	lo = calloc((size_t)n + 1, sizeof(*lo));
	*byval = calloc((size_t)n + 1, sizeof(**byval));
	*tableof = calloc((size_t)n + 1, sizeof(**tableof));
	if (!lo || !*byval || !*tableof) {
		free(lo);
		return NULL;
	}
	for (int t = 0; t < ctx->ntables; t++)
		for (const struct pvb_opt *o = ctx->tables[t]->opts; o->name; o++) {
			if (o->kind == PVB_OPT_BACKENDS)
				continue;
			lo[k] = (struct option){ o->name,
						 o->metavar ? required_argument : no_argument, NULL,
						 256 + k };
			(*byval)[k] = o;
			(*tableof)[k++] = t;
		}
	return lo;
}

/* getopt's short options: "+" when options end at the first operand, ":" so that a missing
 * value is told apart (unless getopt_long is to say so itself), then every entry's short
 * name. */
static void short_options(const struct pvb_opts *ctx, char *buf, size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "%s%s", ctx->stop_at_operand ? "+" : "",
				    ctx->getopt_errors ? "" : ":");

	for (int t = 0; t < ctx->ntables; t++)
		for (const struct pvb_opt *o = ctx->tables[t]->opts; o->name && n + 3 < len; o++)
			if (o->short_name) {
				buf[n++] = o->short_name;
				if (o->metavar)
					buf[n++] = ':';
				buf[n] = '\0';
			}
}

/* The entry getopt_long returned c for (a long option's index or a short name), or NULL. */
static const struct pvb_opt *entry_of(const struct pvb_opts *ctx, int c,
				      const struct pvb_opt **byval, const int *tableof, int *table)
{
	if (c >= 256 && byval[c - 256]) {
		*table = tableof[c - 256];
		return byval[c - 256];
	}
	for (int t = 0; c > 0 && c < 256 && c != '?' && c != ':' && t < ctx->ntables; t++)
		for (const struct pvb_opt *o = ctx->tables[t]->opts; o->name; o++)
			if (o->short_name == c) {
				*table = t;
				return o;
			}
	return NULL;
}

static int bad_option(const struct pvb_opts *ctx, const char *arg, bool missing)
{
	if (ctx->bad)
		return ctx->bad(ctx, arg, missing);
	pvb_err("%sunknown or incomplete option '%s' (see pvbench %s --help)", ctx->prefix, arg,
		ctx->cmd);
	return PVB_EXIT_USAGE;
}

static bool intercepted(const struct pvb_opts *ctx, int *rc);

int pvb_opts_getopt(struct pvb_opts *ctx, int argc, char **argv)
{
	const struct pvb_opt **byval = NULL, *o;
	int *tableof = NULL, c, t, at, rc = -1;
	struct option *lo = long_options(ctx, &byval, &tableof);
	char shorts[64];

	if (!lo) {
		pvb_err("out of memory");
		rc = PVB_EXIT_FAIL;
		goto out;
	}
	if (intercepted(ctx, &rc))
		goto out;
	short_options(ctx, shorts, sizeof(shorts));
	optind = 1;
	opterr = ctx->getopt_errors;
	for (at = optind; rc < 0 && (c = getopt_long(argc, argv, shorts, lo, NULL)) != -1;
	     at = optind) {
		o = entry_of(ctx, c, byval, tableof, &t);
		if (!o) {
			rc = bad_option(ctx, argv[ctx->bad ? at : optind - 1], c == ':');
		} else if (o->kind == PVB_OPT_HELP) {
			ctx->usage();
			rc = PVB_EXIT_OK;
		} else {
			rc = set_given(ctx, t, o, optarg);
			rc = rc ? rc : -1;
		}
	}
out:
	free(lo);
	free(byval);
	free(tableof);
	return rc;
}

static void print_entry(const struct pvb_opts *ctx, const struct pvb_opt *o, FILE *f)
{
	char label[128], buf[1024];
	const char *help = o->help_fn ? o->help_fn(buf, sizeof(buf)) : o->help;
	int len;

	if ((o->flags & PVB_OPTF_HIDDEN) || !help)
		return;
	if (o->label)
		snprintf(label, sizeof(label), "%s", o->label);
	else
		snprintf(label, sizeof(label), "--%s%s%s", o->name, o->metavar ? " " : "",
			 o->metavar ? o->metavar : "");
	len = (int)strlen(label);
	if (2 + len + 2 <= ctx->help_col)
		fprintf(f, "  %-*s", ctx->help_col - 2, label);
	else
		fprintf(f, "  %s  ", label);
	for (const char *p = help; *p;) {
		size_t n = strcspn(p, "\n");

		fprintf(f, "%.*s\n", (int)n, p);
		p += n;
		if (*p && *++p)
			fprintf(f, "%*s", ctx->help_col, "");
	}
}

static void print_table(const struct pvb_opts *ctx, int t, FILE *f)
{
	if (ctx->tables[t]->heading)
		fprintf(f, "\n%s\n", ctx->tables[t]->heading);
	for (const struct pvb_opt *o = ctx->tables[t]->opts; o->name; o++) {
		if (o->kind != PVB_OPT_BACKENDS) {
			print_entry(ctx, o, f);
			continue;
		}
		for (int b = t + 1; b < ctx->ntables; b++)
			print_table(ctx, b, f);
	}
}

void pvb_opts_print(const struct pvb_opts *ctx, FILE *f)
{
	bool merged = false;

	for (const struct pvb_opt *o = ctx->tables[0]->opts; o->name; o++)
		merged |= o->kind == PVB_OPT_BACKENDS;
	print_table(ctx, 0, f);
	for (int t = 1; !merged && t < ctx->ntables; t++)
		print_table(ctx, t, f);
}

/* pvbench help: the tables as man(7) and as bash completion. */

static pvb_opts_intercept_fn intercept_fn;
static void *intercept_arg;

void pvb_opts_intercept(pvb_opts_intercept_fn fn, void *arg)
{
	intercept_fn = fn;
	intercept_arg = arg;
}

/* A pending intercept: the tables go to it instead of argv being parsed. */
static bool intercepted(const struct pvb_opts *ctx, int *rc)
{
	pvb_opts_intercept_fn fn = intercept_fn;

	if (!fn)
		return false;
	intercept_fn = NULL;
	*rc = fn(ctx, intercept_arg);
	return true;
}

void pvb_roff_text(const char *s, FILE *f)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", f);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-')
			fputs("\\-", f);
		else
			fputc(*s, f);
	}
}

/* help's lines (joined by \n) one roff line each */
static void man_lines(const char *help, FILE *f)
{
	char line[1024];

	for (const char *p = help; *p;) {
		size_t n = strcspn(p, "\n");

		snprintf(line, sizeof(line), "%.*s", (int)n, p);
		pvb_roff_text(line, f);
		fputc('\n', f);
		p += n;
		if (*p)
			p++;
	}
}

static void man_entry(const struct pvb_opt *o, FILE *f)
{
	char buf[1024];
	const char *help = o->help_fn ? o->help_fn(buf, sizeof(buf)) : o->help;

	if ((o->flags & PVB_OPTF_HIDDEN) || !help)
		return;
	fputs(".TP\n\\fB", f);
	if (o->label) {
		pvb_roff_text(o->label, f);
		fputs("\\fR", f);
	} else {
		fputs("\\-\\-", f);
		pvb_roff_text(o->name, f);
		fputs("\\fR", f);
		if (o->metavar) {
			fputs(" \\fI", f);
			pvb_roff_text(o->metavar, f);
			fputs("\\fR", f);
		}
	}
	fputc('\n', f);
	man_lines(help, f);
}

/* The heading, without a trailing colon, as a subsection. */
static void man_heading(const char *heading, FILE *f)
{
	char h[256];
	size_t n;

	snprintf(h, sizeof(h), "%s", heading);
	n = strlen(h);
	if (n && h[n - 1] == ':')
		h[n - 1] = '\0';
	fputs(".SS ", f);
	pvb_roff_text(h, f);
	fputc('\n', f);
}

static void man_table(const struct pvb_opts *ctx, int t, FILE *f)
{
	if (ctx->tables[t]->heading)
		man_heading(ctx->tables[t]->heading, f);
	for (const struct pvb_opt *o = ctx->tables[t]->opts; o->name; o++) {
		if (o->kind != PVB_OPT_BACKENDS) {
			man_entry(o, f);
			continue;
		}
		for (int b = t + 1; b < ctx->ntables; b++)
			man_table(ctx, b, f);
	}
}

/* Tables in --help's order: a PVB_OPT_BACKENDS entry places the others, else they follow. */
void pvb_opts_print_man(const struct pvb_opts *ctx, FILE *f)
{
	bool merged = false;

	for (const struct pvb_opt *o = ctx->tables[0]->opts; o->name; o++)
		merged |= o->kind == PVB_OPT_BACKENDS;
	man_table(ctx, 0, f);
	for (int t = 1; !merged && t < ctx->ntables; t++)
		man_table(ctx, t, f);
}

/* What completes entry o's value: words, @file, @dir or @none. */
static const char *completion_values(const struct pvb_opt *o, char *buf, size_t len)
{
	size_t n = 0;

	if (o->values_fn)
		return o->values_fn(buf, len);
	if (o->values)
		return o->values;
	if (o->kind == PVB_OPT_ENUM) {
		buf[0] = '\0';
		for (const struct pvb_opt_name *p = o->names; p->name && n < len; p++)
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? " " : "", p->name);
		return buf;
	}
	if (o->kind == PVB_OPT_PATH || !strcmp(o->metavar, "FILE"))
		return "@file";
	if (strstr(o->metavar, "DIR"))
		return "@dir";
	return "@none";
}

/* Visible entries (not hidden), whether or not --help gives them a line of their own. */
static bool completes(const struct pvb_opt *o)
{
	return o->kind != PVB_OPT_BACKENDS && !(o->flags & PVB_OPTF_HIDDEN);
}

void pvb_opts_print_completion(const struct pvb_opts *ctx, FILE *f)
{
	char buf[1024];
	const char *sep = "";

	fputs("\t\topts='", f);
	for (int t = 0; t < ctx->ntables; t++)
		for (const struct pvb_opt *o = ctx->tables[t]->opts; o->name; o++) {
			if (!completes(o))
				continue;
			fprintf(f, "%s--%s", sep, o->name);
			sep = " ";
			if (o->short_name)
				fprintf(f, " -%c", o->short_name);
		}
	fputs("'\n\t\tcase $2 in\n", f);
	for (int t = 0; t < ctx->ntables; t++)
		for (const struct pvb_opt *o = ctx->tables[t]->opts; o->name; o++) {
			if (!completes(o) || !o->metavar)
				continue;
			fprintf(f, "\t\t--%s", o->name);
			if (o->short_name)
				fprintf(f, " | -%c", o->short_name);
			fprintf(f, ") vals='%s' ;;\n", completion_values(o, buf, sizeof(buf)));
		}
	fputs("\t\tesac\n", f);
}

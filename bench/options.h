/*
 * Declarative option tables (fio's fio_options[], kvmtool's OPT_*): one entry per option
 * says its name, argument, help text and how its value is parsed into a configuration.
 * One engine builds getopt_long's array from the tables, prints --help from them, and
 * applies `key = value` pairs (sweep INI files) through the same entries, so that an option
 * exists once. A command's table may hold a PVB_OPT_BACKENDS entry: there the tables the
 * backends declare (backend.h, `options`) are merged in, each under its own heading.
 */
#ifndef PVB_OPTIONS_H
#define PVB_OPTIONS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum pvb_opt_kind {
	PVB_OPT_FLAG,	   /* no argument: a bool (or int) becomes !.inverse */
	PVB_OPT_UINT,	   /* decimal in [min, max], times scale (if set); int, long or uint64 */
	PVB_OPT_UINT_LIST, /* comma-separated ints in [min, max] into int[max_items], count at off2 */
	PVB_OPT_SIZE,	   /* a size, 512M (parse.h) */
	PVB_OPT_SIZE_LIST, /* comma-separated distinct sizes into uint64_t[], count at off2 */
	PVB_OPT_FRACTION,  /* (0, 1], a double */
	PVB_OPT_ENUM,	   /* one of .names into an int (or enum) */
	PVB_OPT_STRING,	   /* copied into char[size] */
	PVB_OPT_PATH,	   /* a readable file, copied into char[size] */
	PVB_OPT_ARG,	   /* the argument itself, a const char * (argv outlives the config) */
	PVB_OPT_CUSTOM,	   /* .parse does it all */
	PVB_OPT_HELP,	   /* --help: the table's usage */
	PVB_OPT_BACKENDS,  /* not an option: the backends' tables go here */
};

#define PVB_OPTF_HIDDEN 0x1 /* works, but is left out of --help (internal) */
#define PVB_OPTF_NOINI	0x2 /* not settable from a sweep's [options]: the sweep sets it */

struct pvb_opts;

struct pvb_opt_name {
	const char *name;
	int value;
};

struct pvb_opt {
	const char *name;    /* long option without dashes; NULL ends a table */
	const char *metavar; /* NULL: no argument */
	const char *help;    /* lines joined by \n; NULL: documented with another entry */
	enum pvb_opt_kind kind;
	size_t off, size;		  /* the field in the configuration, and its size */
	size_t off2;			  /* lists: the int that counts the items */
	uint64_t min, max;		  /* UINT, UINT_LIST: the range */
	int max_items;			  /* lists: the array's capacity (at most 64) */
	uint64_t scale;			  /* UINT: stored value = parsed * scale (0: 1) */
	const struct pvb_opt_name *names; /* ENUM, ends with a NULL name */
	const char *hint;		  /* the error's tail: "is not a count >= 1" */
	/* CUSTOM: parse arg into cfg; 0, or an exit code after a message. */
	int (*parse)(const struct pvb_opts *ctx, const struct pvb_opt *o, void *cfg,
		     const char *arg);
	const char *label; /* in --help instead of "--name METAVAR" */
	/* in --help instead of .help, for text that depends on the build */
	const char *(*help_fn)(char *buf, size_t len);
	unsigned flags; /* PVB_OPTF_* */
	/* Optional: the values shell completion offers (space-separated), for a CUSTOM entry
	 * whose values are a closed set; values_fn when they depend on the build. */
	const char *values;
	const char *(*values_fn)(char *buf, size_t len);
	bool inverse;	 /* FLAG: sets false */
	char short_name; /* also -C (e.g. 'h' for --help); 0: none */
};

struct pvb_opt_table {
	const char *heading; /* printed above the entries in --help; NULL: none */
	const struct pvb_opt *opts;
	/* Optional: set the defaults of the table's fields in cfg. */
	void (*defaults)(void *cfg);
	/* Optional: cross-option checks once every option is in; 0, or an exit code. */
	int (*check)(void *cfg);
};

#define PVB_OPTS_MAX_TABLES 8

/* A command's tables and the configuration each one writes into. */
struct pvb_opts {
	const char *cmd;      /* "reboot": messages say "see pvbench reboot --help" */
	const char *prefix;   /* put before the unknown-option message ("sweep: "), or "" */
	int help_col;	      /* where help texts start in --help */
	bool stop_at_operand; /* options end at the first operand (getopt's "+") */
	/* Optional: report an unknown option, or one missing its value (missing), in the
	 * command's own words; returns the exit code. Default: "unknown or incomplete option". */
	int (*bad)(const struct pvb_opts *ctx, const char *arg, bool missing);
	/* getopt_long says what is wrong with a bad option itself (opterr: "CMD: unrecognized
	 * option '--x'"), then .bad runs; missing is then always false. */
	bool getopt_errors;
	/* Optional: report a bad value of entry o in the command's own words; returns the exit
	 * code. Default: pvb_opt_bad() with o's name. */
	int (*bad_value)(const struct pvb_opts *ctx, const struct pvb_opt *o, const char *val,
			 const char *hint);
	void (*usage)(void); /* --help */
	int ntables;
	const struct pvb_opt_table *tables[PVB_OPTS_MAX_TABLES];
	void *bases[PVB_OPTS_MAX_TABLES];
	/* which entries were given, per table (bit i: entry i; tables keep to 64 entries) */
	uint64_t given[PVB_OPTS_MAX_TABLES];
};

/* Start ctx with the command's table, writing into cfg. */
void pvb_opts_init(struct pvb_opts *ctx, const char *cmd, const struct pvb_opt_table *t, void *cfg);
/* Add a table writing into cfg (a backend's); one already there is not added twice. */
void pvb_opts_add(struct pvb_opts *ctx, const struct pvb_opt_table *t, void *cfg);

/*
 * getopt_long over argv through the tables. Returns -1 when every option parsed (optind
 * is the first operand), PVB_EXIT_OK after --help, or PVB_EXIT_USAGE after a message.
 */
int pvb_opts_getopt(struct pvb_opts *ctx, int argc, char **argv);
/* Set option name to value ("true"/"false" for a flag: false leaves it unset). Returns 0,
 * or PVB_EXIT_USAGE after a message. */
int pvb_opts_apply(struct pvb_opts *ctx, const char *name, const char *value);
/* The tables' defaults hooks, in order. */
void pvb_opts_defaults(struct pvb_opts *ctx);
/* The tables' check hooks, in order. Returns -1 when all pass, else the exit code. */
int pvb_opts_check(struct pvb_opts *ctx);
/* The entry called name (and its table index in *table if not NULL), or NULL. */
const struct pvb_opt *pvb_opts_find(const struct pvb_opts *ctx, const char *name, int *table);
/* Was option name given (command line or applied)? */
bool pvb_opts_given(const struct pvb_opts *ctx, const char *name);
/* Print the entries of every table but the hidden ones, as --help lists them. */
void pvb_opts_print(const struct pvb_opts *ctx, FILE *f);

/*
 * Documentation from the same tables (pvbench help: man pages and bash completion).
 * pvb_opts_intercept(fn, arg): the next pvb_opts_getopt() hands its tables to fn instead of
 * parsing argv, and returns fn's exit code; every command builds its tables and calls
 * pvb_opts_getopt() first, so that each renders through its own tables with no accessor.
 */
typedef int (*pvb_opts_intercept_fn)(const struct pvb_opts *ctx, void *arg);
void pvb_opts_intercept(pvb_opts_intercept_fn fn, void *arg);
/* text for roff: backslashes and dashes escaped, a leading . or ' made literal */
void pvb_roff_text(const char *s, FILE *f);
/* The entries --help prints, as man(7) OPTIONS: .SS per heading, .TP per entry. */
void pvb_opts_print_man(const struct pvb_opts *ctx, FILE *f);
/* bash completion: "opts='--a --b -c'", then a `case $2 in` with each option that takes a
 * value: its words, @file, @dir, or @none (nothing to complete); indented by two tabs. */
void pvb_opts_print_completion(const struct pvb_opts *ctx, FILE *f);

/* "--OPT: 'VAL' HINT (see pvbench CMD --help)"; returns PVB_EXIT_USAGE. */
int pvb_opt_bad(const struct pvb_opts *ctx, const char *opt, const char *val, const char *hint);
/* A bad_value hook: "CMD: unknown OPT 'VAL' (A, B or C)", an ENUM's names (else the hint);
 * returns PVB_EXIT_USAGE. */
int pvb_opt_unknown(const struct pvb_opts *ctx, const struct pvb_opt *o, const char *val,
		    const char *hint);

#define PVB_OPT_FIELD(type, field) .off = offsetof(type, field), .size = sizeof(((type *)0)->field)

#endif

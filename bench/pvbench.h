/* Shared definitions: exit codes, diagnostics, small helpers. */
#ifndef PVBENCH_H
#define PVBENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Exit codes: each class of outcome has its own, so scripts can tell them apart. */
enum pvb_exit {
	PVB_EXIT_OK = 0,
	PVB_EXIT_FAIL = 1,	 /* a run-time failure: a syscall or the guest misbehaved */
	PVB_EXIT_USAGE = 2,	 /* bad input or an unusable environment; see the message */
	PVB_EXIT_VERIFY = 3,	 /* --verify-clean found old data in a new guest */
	PVB_EXIT_SKIP = 4,	 /* a feature this host lacks; nothing was measured */
	PVB_EXIT_REGRESSION = 5, /* compare --fail-on-regression: a verdict `slower` */
	PVB_EXIT_INTERRUPTED = 130,
};

#define PVB_KIB (1024ULL)
#define PVB_MIB (1024ULL * 1024)
#define PVB_GIB (1024ULL * 1024 * 1024)

/* Diagnostics go to stderr, prefixed "pvbench: ". */
void pvb_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pvb_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pvb_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Like pvb_err, appending ": strerror(errno)". */
void pvb_perror(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern bool pvb_quiet;
/* git describe of the tree this binary was built from (generated at build time). */
extern const char pvb_git_rev[];
/* Set: every diagnostic says so, e.g. "pv-emulated MODEL". */
extern const char *pvb_log_tag;

/* Set by SIGINT/SIGTERM (on whichever thread takes the signal); long waits poll it, from
 * every thread: read through pvb_interrupted, an atomic load (volatile alone is a data race). */
extern int pvb_interrupted_flag;
#define pvb_interrupted __atomic_load_n(&pvb_interrupted_flag, __ATOMIC_RELAXED)
void pvb_install_signal_handlers(void);

/* Read a small text file (e.g. under /proc or /sys) into buf, trailing newline stripped.
 * Returns 0, or -1 with errno set. */
int pvb_read_text(const char *path, char *buf, size_t len);
/* The bracketed choice of a sysfs "a [b] c" file, e.g. THP mode; "unknown" on failure. */
void pvb_read_sysfs_choice(const char *path, char *buf, size_t len);

/* A command's option it does not know, or one missing its value (missing): says so as
 * "<cmd>: unknown option 'X'" or "<cmd>: X needs a value", then prints usage on stderr.
 * Returns PVB_EXIT_USAGE. */
int pvb_bad_option(const char *cmd, const char *arg, bool missing, void (*usage)(FILE *f));

struct json_t; /* jansson's json_t */
/* A command's report on stdout: root as indented JSON (as_json), else through print_human;
 * then stdout is flushed, a failure reported as "<cmd>: writing to stdout: ...".
 * Returns PVB_EXIT_OK, or PVB_EXIT_FAIL if writing failed. */
int pvb_print_report(const char *cmd, struct json_t *root, bool as_json,
		     void (*print_human)(struct json_t *root));

#endif

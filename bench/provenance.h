/* Where a result comes from: the schema version of the files a run writes, the run id and
 * the host label every row carries, and UTC time stamps (docs/FORMATS.md). */
#ifndef PVB_PROVENANCE_H
#define PVB_PROVENANCE_H
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/*
 * The version of the result files' layout (meta.json, sweep.json, iterations.csv,
 * timeline.csv, summary.json, merged.json). Bump it when a reader of the previous version
 * would misread the new files: a column or member removed or renamed, a unit or meaning
 * changed. Adding a column at the end of a CSV or a new JSON member does not bump it.
 * Runs written before it existed count as version 0. `pvbench merge` refuses to combine
 * runs of different versions.
 */
#define PVB_SCHEMA_VERSION 1

/* Host labels and run ids: 1 to 63 of [A-Za-z0-9._-], not starting with '.' or '-' (they
 * become directory names in a merged dataset). */
#define PVB_LABEL_MAX 64

/* Whether s can be a host label or a run id. */
bool pvb_label_ok(const char *s);
/* The host label by default: the hostname, its characters outside the label set replaced
 * by '_'; "unknown" when gethostname fails. */
void pvb_default_host_label(char *buf, size_t len);
/* A new run id: "<UTC start, 20261125T101502Z>-<host label>-<8 hex digits of
 * getrandom>", cut to the label length. 0, or -1 after a message (no randomness). */
int pvb_new_run_id(const char *host_label, time_t start, char *buf, size_t len);
/* t as "2026-11-25T10:15:02Z" ("unknown" when it cannot be formatted). */
void pvb_utc_iso(time_t t, char *buf, size_t len);

#endif

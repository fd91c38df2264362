/* Result files: atomic whole-file writes, an append-only CSV, summary.csv. */
#ifndef PVB_RESULTS_H
#define PVB_RESULTS_H
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

/* Write buf to path through path.tmp + fsync + rename: readers see the old or the new
 * file, never half of one. Returns 0, or -1 with a diagnostic printed. */
int pvb_write_file_atomic(const char *path, const void *buf, size_t len);
/* Same for a JSON document (indented, keys in insertion order). */
int pvb_write_json_atomic(const char *path, json_t *doc);

/* mkdir -p. Returns 0, or -1 with a diagnostic printed. */
int pvb_mkdirs(const char *path);

/* An append-only CSV: each row goes out in one write(2) and is flushed to the file
 * at once, so a killed run keeps every completed row and never a partial one. */
struct pvb_csv {
	int fd;
	int ncols;
	char path[4096];
};

/* Open (creating and writing the header, or appending to an existing file whose header
 * must match). Returns 0, or -1 with a diagnostic printed. */
int pvb_csv_open(struct pvb_csv *csv, const char *path, const char *const *cols, int ncols);
/* Write one row of ncols fields; NULL fields are written empty. Fields containing a comma,
 * quote or newline are quoted (RFC 4180). Returns 0, or -1. */
int pvb_csv_write_row(struct pvb_csv *csv, const char *const *fields);
void pvb_csv_close(struct pvb_csv *csv);

/* Read a whole CSV file written by pvb_csv_* into memory: rows[r][c] (row 0 is the header).
 * Handles quoted fields. Returns the number of rows, or -1. Free with pvb_csv_free. */
struct pvb_table {
	int nrows, ncols;
	char ***rows;
};
int pvb_csv_read(const char *path, struct pvb_table *t);
void pvb_table_free(struct pvb_table *t);
/* Column index of name in the header, or -1. */
int pvb_table_col(const struct pvb_table *t, const char *name);

/* dir/name is a regular file. */
bool pvb_is_file(const char *dir, const char *name);
/* dir/name parsed as a JSON object; NULL, said on stderr, when it is not one. Decref it. */
json_t *pvb_load_json_object(const char *dir, const char *name);

/* How a file written to file (e.g. a report's -o) links to something in directory dir:
 * dir relative to file's directory with a trailing slash ("../sizes/", "" for the same
 * directory), or "dir/" when file is NULL or a path cannot be resolved. NULL when out of
 * memory. Free it. */
char *pvb_path_prefix(const char *file, const char *dir);

#endif

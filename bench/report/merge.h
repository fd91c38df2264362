/* `pvbench merge DIR... -o OUT`: runs and sweeps of several hosts combined into one dataset
 * (docs/FORMATS.md, "Merged sets"):
 *   OUT/merged.json        schema_version, the hosts, every source (dir, host, run_id, ...)
 *   OUT/iterations.csv     every source's rows, the union of their columns, run_id and host
 *                          filled in for rows from before those columns
 *   OUT/HOST/merged.json   the same for one host's sources (so OUT/HOST is a merged set)
 *   OUT/HOST/RUN_ID/       a copy of the source directory
 * A merged set given to merge contributes its sources. `report` and `compare` read a merged
 * set (or one HOST directory of it) through its merged.json (dataset.c). */
#ifndef PVB_MERGE_H
#define PVB_MERGE_H
#include <stdbool.h>
#include <stddef.h>

#define PVB_MERGED_JSON "merged.json"

struct pvb_merge_source {
	char *path;   /* the run or sweep directory to read */
	char *origin; /* where it came from (recorded in merged.json) */
	char *host, *run_id;
	bool sweep;
	long schema; /* its schema_version; 0: from before schema versions */
};

/* Whether dir holds a merged set (a merged.json). */
bool pvb_is_merged(const char *dir);
/* The sources of the merged set in dir (paths under dir). Returns 0, or PVB_EXIT_USAGE (not
 * a merged set, a bad merged.json) or PVB_EXIT_FAIL, the reason printed. */
int pvb_merged_sources(const char *dir, struct pvb_merge_source **srcs, size_t *n);
void pvb_merge_sources_free(struct pvb_merge_source *srcs, size_t n);

/* Merge dirs (runs, sweeps, merged sets) into out, which must not exist or be empty; made
 * under a temporary name and renamed at the end, so a failed merge leaves nothing. A run id
 * met twice is refused (PVB_EXIT_USAGE) unless skip_duplicates (then the first is kept).
 * Returns an exit code, the reason printed. */
int pvb_merge(const char *const *dirs, size_t ndirs, const char *out, bool skip_duplicates);

#endif

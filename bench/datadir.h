/* Where pvbench's data (plots, load profiles, sweeps) is: installed, in a build tree, or
 * wherever $PVBENCH_DATADIR says. */
#ifndef PVB_DATADIR_H
#define PVB_DATADIR_H
#include <stddef.h>

/* The environment variable that overrides every other place. */
#define PVB_DATADIR_ENV	  "PVBENCH_DATADIR"
/* The file a build writes next to the binary: one line, the source tree. `cmake --install`
 * does not copy it, so an installed binary never reads the source tree. */
#define PVB_SRCDIR_MARKER "pvbench-srcdir"

/*
 * The first existing rel (e.g. "plots/reboot_latency.gp") under pvbench's data directories:
 * $PVBENCH_DATADIR (only it, when set), else <dir of the binary>/PVB_DATADIR_REL (installed:
 * ../share/pvbench), else the source tree a pvbench-srcdir marker next to the binary (or one
 * directory up, for the test binaries) names. Returns 0 with out set to the directory that
 * holds rel (out/rel exists), or -1 with tried listing the candidates ("a, b").
 */
int pvb_data_path(const char *rel, char *out, size_t len, char *tried, size_t tried_len);

#endif

/* Finding pvbench's data directory relative to the binary (datadir.h). */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datadir.h"
#include "pvbench.h"

#ifndef PVB_DATADIR_REL
#define PVB_DATADIR_REL "../share/pvbench"
#endif

/* Note cand in tried; true when cand/rel exists, then out is cand. */
static bool try_dir(const char *cand, const char *rel, char *out, size_t len, char *tried,
		    size_t tried_len)
{
	char path[PATH_MAX];
	size_t n = strlen(tried);

	if (n < tried_len)
		snprintf(tried + n, tried_len - n, "%s%s", n ? ", " : "", cand);
	if (snprintf(path, sizeof(path), "%s/%s", cand, rel) >= (int)sizeof(path) ||
	    access(path, F_OK))
		return false;
	if (snprintf(out, len, "%s", cand) >= (int)len)
		return false;
	return true;
}

/* The directory of the running binary into dir; -1 (after a warning) if unknown. */
static int exe_dir(char *dir, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", dir, len - 1);
	char *slash;

	if (n < 0) {
		pvb_warn("readlink /proc/self/exe: %s", strerror(errno));
		return -1;
	}
	if ((size_t)n == len - 1) {
		pvb_warn("readlink /proc/self/exe: path too long");
		return -1;
	}
	dir[n] = '\0';
	slash = strrchr(dir, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	return 0;
}

/* The source tree a build tree's marker in dir names, into src; -1 if there is none. */
static int marker_source(const char *dir, char *src, size_t len)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s/%s", dir, PVB_SRCDIR_MARKER) >= (int)sizeof(path))
		return -1;
	if (access(path, F_OK))
		return -1;
	if (pvb_read_text(path, src, len) || !src[0]) {
		pvb_warn("%s: unreadable or empty (rebuild to rewrite it)", path);
		return -1;
	}
	return 0;
}

int pvb_data_path(const char *rel, char *out, size_t len, char *tried, size_t tried_len)
{
	const char *env = getenv(PVB_DATADIR_ENV);
	char exe[PATH_MAX], cand[PATH_MAX + 32], src[PATH_MAX];

	tried[0] = '\0';
	if (env && *env)
		return try_dir(env, rel, out, len, tried, tried_len) ? 0 : -1;
	if (exe_dir(exe, sizeof(exe))) {
		snprintf(tried, tried_len, "nowhere: the binary's directory is unknown");
		return -1;
	}
	snprintf(cand, sizeof(cand), "%s/%s", exe, PVB_DATADIR_REL);
	if (try_dir(cand, rel, out, len, tried, tried_len))
		return 0;
	/* a build tree: the binary next to the marker, a test binary one directory below */
	snprintf(cand, sizeof(cand), "%s/..", exe);
	if (!marker_source(exe, src, sizeof(src)) || !marker_source(cand, src, sizeof(src)))
		return try_dir(src, rel, out, len, tried, tried_len) ? 0 : -1;
	return -1;
}

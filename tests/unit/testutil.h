/* Shared by the unit tests: a fresh directory under /tmp for each test, removed afterwards.
 *
 * As a cmocka fixture:
 *	cmocka_unit_test_setup_teardown(test_x, fixture_setup, fixture_teardown)
 * where the test reads its struct fixture from *state and names files with in_dir(). */
#ifndef PVB_TESTUTIL_H
#define PVB_TESTUTIL_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The mkdtemp() template fixture_setup() uses. */
#define TESTUTIL_DIR_TEMPLATE "/tmp/pvbench-test-XXXXXX"

struct fixture {
	char dir[64];
	char path[4096];
};

/* <dir>/<name>, in f->path (overwritten by the next call). */
static inline const char *in_dir(struct fixture *f, const char *name)
{
	snprintf(f->path, sizeof(f->path), "%s/%s", f->dir, name);
	return f->path;
}

/* Create a fresh directory from template (ending in XXXXXX) into dir[size].
 * Returns 0, or -1. */
static inline int tu_mkdtemp(char *dir, size_t size, const char *template)
{
	if (strlen(template) >= size)
		return -1;
	strcpy(dir, template);
	return mkdtemp(dir) ? 0 : -1;
}

static inline int tu_rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Remove dir and everything below it (without following links). Returns 0, or -1. */
static inline int tu_rmtree(const char *dir)
{
	return nftw(dir, tu_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* cmocka setup: *state becomes a struct fixture for a new directory made from template. */
static inline int fixture_setup_template(void **state, const char *template)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	if (tu_mkdtemp(f->dir, sizeof(f->dir), template)) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static inline int fixture_setup(void **state)
{
	return fixture_setup_template(state, TESTUTIL_DIR_TEMPLATE);
}

/* cmocka teardown: remove the fixture's directory tree and free it. */
static inline int fixture_teardown(void **state)
{
	struct fixture *f = *state;
	int ret = tu_rmtree(f->dir);

	free(f);
	return ret;
}

#endif

/* `pvbench merge`: sources described (run, sweep or merged set), checked (one schema
 * version, no run twice), copied under OUT/HOST/RUN_ID, their rows in one iterations.csv,
 * and the manifests (merge.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "merge.h"
#include "provenance.h"
#include "pvbench.h"
#include "results.h"

struct sources {
	struct pvb_merge_source *v;
	size_t n, cap;
};

bool pvb_is_merged(const char *dir)
{
	return pvb_is_file(dir, PVB_MERGED_JSON);
}

void pvb_merge_sources_free(struct pvb_merge_source *srcs, size_t n)
{
	for (size_t i = 0; srcs && i < n; i++) {
		free(srcs[i].path);
		free(srcs[i].origin);
		free(srcs[i].host);
		free(srcs[i].run_id);
	}
	free(srcs);
}

static int add_source(struct sources *s, const char *path, const char *origin, const char *host,
		      const char *run_id, bool sweep, long schema)
{
	struct pvb_merge_source *e;

	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 8;

		e = realloc(s->v, cap * sizeof(*e));
		if (!e)
			return PVB_EXIT_FAIL;
		s->v = e;
		s->cap = cap;
	}
	e = &s->v[s->n];
	*e = (struct pvb_merge_source){ .path = strdup(path),
					.origin = strdup(origin),
					.host = strdup(host),
					.run_id = strdup(run_id),
					.sweep = sweep,
					.schema = schema };
	s->n++; /* freed from here on */
	return e->path && e->origin && e->host && e->run_id ? 0 : PVB_EXIT_FAIL;
}

int pvb_merged_sources(const char *dir, struct pvb_merge_source **srcs, size_t *n)
{
	json_t *m = pvb_load_json_object(dir, PVB_MERGED_JSON), *list, *e;
	struct sources s = { 0 };
	char path[4200];
	size_t i;
	int rc = PVB_EXIT_USAGE;

	*srcs = NULL;
	*n = 0;
	list = json_object_get(m, "sources");
	if (m && (!json_is_array(list) || !json_array_size(list)))
		pvb_err("%s/%s: no sources: not a merged set", dir, PVB_MERGED_JSON);
	if (!m || !json_is_array(list) || !json_array_size(list))
		goto out;
	json_array_foreach(list, i, e)
	{
		const char *d = json_string_value(json_object_get(e, "dir"));
		const char *host = json_string_value(json_object_get(e, "host"));
		const char *id = json_string_value(json_object_get(e, "run_id"));
		const char *origin = json_string_value(json_object_get(e, "origin"));

		if (!d || !host || !id || strstr(d, "..") || d[0] == '/') {
			pvb_err("%s/%s: source %zu lacks dir, host or run_id (or its dir leaves the "
				"set)",
				dir, PVB_MERGED_JSON, i);
			goto out;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, d);
		rc = add_source(&s, path, origin ? origin : path, host, id,
				json_is_true(json_object_get(e, "sweep")),
				(long)json_integer_value(json_object_get(m, "schema_version")));
		if (rc)
			goto out;
		rc = PVB_EXIT_USAGE;
	}
	rc = 0;
out:
	if (rc == PVB_EXIT_FAIL)
		pvb_err("%s: out of memory", dir);
	json_decref(m);
	if (rc) {
		pvb_merge_sources_free(s.v, s.n);
		return rc;
	}
	*srcs = s.v;
	*n = s.n;
	return 0;
}

/* A run from before run ids: "legacy-" and a hash of its iterations.csv, so that the same
 * old run given twice is still seen as one. */
static int legacy_id(const char *dir, char *buf, size_t len)
{
	char path[4200];
	uint64_t h = 1469598103934665603ULL;
	FILE *f;
	int c;

	snprintf(path, sizeof(path), "%s/iterations.csv", dir);
	f = fopen(path, "re");
	if (!f) {
		pvb_perror("%s", path);
		return PVB_EXIT_USAGE;
	}
	while ((c = getc(f)) != EOF)
		h = (h ^ (uint64_t)c) * 1099511628211ULL;
	c = ferror(f);
	fclose(f);
	if (c) {
		pvb_err("%s: read error", path);
		return PVB_EXIT_FAIL;
	}
	snprintf(buf, len, "legacy-%016llx", (unsigned long long)h);
	return 0;
}

/* The host of a run: host_label, else its recorded hostname made a label, else "unknown". */
static void host_of(json_t *meta, char *buf, size_t len)
{
	const char *label = json_string_value(json_object_get(meta, "host_label"));
	const char *name =
		json_string_value(json_object_get(json_object_get(meta, "host"), "hostname"));

	if (label && pvb_label_ok(label)) {
		snprintf(buf, len, "%s", label);
		return;
	}
	snprintf(buf, len, "%.63s", name && *name ? name : "unknown");
	for (char *p = buf; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-",
			    *p))
			*p = '_';
	if (buf[0] == '.' || buf[0] == '-')
		buf[0] = '_';
}

/* A run or sweep directory as a source. */
static int describe(struct sources *s, const char *dir)
{
	bool sweep = pvb_is_file(dir, "sweep.json");
	char host[PVB_LABEL_MAX], legacy[64], origin[PATH_MAX];
	const char *id;
	json_t *meta;
	int rc;

	if (!sweep && !pvb_is_file(dir, "meta.json")) {
		pvb_err("merge: %s is not a pvbench run, sweep or merged set (no meta.json, "
			"sweep.json or merged.json)",
			dir);
		return PVB_EXIT_USAGE;
	}
	if (!pvb_is_file(dir, "iterations.csv")) {
		pvb_err("merge: %s has no iterations.csv (a run that measured nothing?)", dir);
		return PVB_EXIT_USAGE;
	}
	meta = pvb_load_json_object(dir, sweep ? "sweep.json" : "meta.json");
	if (!meta)
		return PVB_EXIT_USAGE;
	id = json_string_value(json_object_get(meta, "run_id"));
	if (!id || !pvb_label_ok(id)) {
		if ((rc = legacy_id(dir, legacy, sizeof(legacy)))) {
			json_decref(meta);
			return rc;
		}
		id = legacy;
	}
	host_of(meta, host, sizeof(host));
	if (!realpath(dir, origin))
		snprintf(origin, sizeof(origin), "%s", dir);
	rc = add_source(s, dir, origin, host, id, sweep,
			(long)json_integer_value(json_object_get(meta, "schema_version")));
	json_decref(meta);
	return rc;
}

static int collect(struct sources *s, const char *const *dirs, size_t ndirs)
{
	struct stat st;
	int rc = 0;

	for (size_t i = 0; i < ndirs && !rc; i++) {
		if (stat(dirs[i], &st)) {
			pvb_perror("merge: %s", dirs[i]);
			return PVB_EXIT_USAGE;
		}
		if (!S_ISDIR(st.st_mode)) {
			pvb_err("merge: %s: not a directory (give results directories)", dirs[i]);
			return PVB_EXIT_USAGE;
		}
		if (pvb_is_merged(dirs[i])) {
			struct pvb_merge_source *m = NULL;
			size_t n = 0;

			rc = pvb_merged_sources(dirs[i], &m, &n);
			for (size_t j = 0; !rc && j < n; j++)
				rc = add_source(s, m[j].path, m[j].origin, m[j].host, m[j].run_id,
						m[j].sweep, m[j].schema);
			pvb_merge_sources_free(m, n);
		} else {
			rc = describe(s, dirs[i]);
		}
	}
	if (rc == PVB_EXIT_FAIL)
		pvb_err("merge: out of memory");
	return rc;
}

/* One schema version in a merged set. */
static int check_versions(const struct sources *s)
{
	for (size_t i = 1; i < s->n; i++) {
		if (s->v[i].schema == s->v[0].schema)
			continue;
		pvb_err("merge: schema versions differ: %s has version %ld, %s version %ld (0: "
			"from before schema versions); a merged set holds one version: merge "
			"those of each version apart, or re-run the older ones",
			s->v[0].origin, s->v[0].schema, s->v[i].origin, s->v[i].schema);
		return PVB_EXIT_USAGE;
	}
	return 0;
}

/* A run id met twice: refused, or (skip) every later one dropped with a note. */
static int check_duplicates(struct sources *s, bool skip)
{
	for (size_t i = 1; i < s->n; i++) {
		size_t j = 0;

		while (j < i && strcmp(s->v[j].run_id, s->v[i].run_id))
			j++;
		if (j == i)
			continue;
		if (!skip) {
			pvb_err("merge: run %s is given twice (%s and %s): leave one out, or "
				"--skip-duplicates to keep the first",
				s->v[i].run_id, s->v[j].origin, s->v[i].origin);
			return PVB_EXIT_USAGE;
		}
		pvb_warn("merge: run %s of %s already merged from %s: skipped", s->v[i].run_id,
			 s->v[i].origin, s->v[j].origin);
		free(s->v[i].path);
		free(s->v[i].origin);
		free(s->v[i].host);
		free(s->v[i].run_id);
		memmove(&s->v[i], &s->v[i + 1], (s->n - i - 1) * sizeof(s->v[0]));
		s->n--;
		i--;
	}
	return 0;
}

static int copy_file(const char *from, const char *to, mode_t mode)
{
	int in = open(from, O_RDONLY | O_CLOEXEC), out = -1, rc = -1;
	char buf[65536];
	ssize_t n = 0;

	if (in < 0) {
		pvb_perror("merge: %s", from);
		return -1;
	}
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 0777);
	if (out < 0) {
		pvb_perror("merge: %s", to);
		goto out;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		for (ssize_t off = 0, w; off < n; off += w)
			if ((w = write(out, buf + off, (size_t)(n - off))) < 0) {
				pvb_perror("merge: writing %s", to);
				goto out;
			}
	if (n < 0)
		pvb_perror("merge: reading %s", from);
	else if (close(out))
		pvb_perror("merge: closing %s", to);
	else
		rc = 0;
	out = -1;
out:
	if (out >= 0)
		close(out);
	close(in);
	return rc;
}

/* from into to (a new directory): directories and regular files; anything else is left out
 * with a note. */
static int copy_tree(const char *from, const char *to)
{
	DIR *d = opendir(from);
	struct dirent *e;
	char a[4200], b[4200];
	struct stat st;
	int rc = 0;

	if (!d) {
		pvb_perror("merge: %s", from);
		return -1;
	}
	if (mkdir(to, 0755)) {
		pvb_perror("merge: mkdir %s", to);
		closedir(d);
		return -1;
	}
	while (!rc && (errno = 0, e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if ((size_t)snprintf(a, sizeof(a), "%s/%s", from, e->d_name) >= sizeof(a) ||
		    (size_t)snprintf(b, sizeof(b), "%s/%s", to, e->d_name) >= sizeof(b)) {
			pvb_err("merge: %s/%s: path too long", from, e->d_name);
			rc = -1;
		} else if (lstat(a, &st)) {
			pvb_perror("merge: %s", a);
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			rc = copy_tree(a, b);
		} else if (S_ISREG(st.st_mode)) {
			rc = copy_file(a, b, st.st_mode);
		} else {
			pvb_warn("merge: %s: not a regular file or directory: not copied", a);
		}
	}
	if (!rc && errno) {
		pvb_perror("merge: reading %s", from);
		rc = -1;
	}
	closedir(d);
	return rc;
}

/* name's index among the n columns, appended when new; -1 when out of memory. */
static int column(const char ***cols, int *n, const char *name)
{
	const char **c;

	for (int i = 0; i < *n; i++)
		if (!strcmp((*cols)[i], name))
			return i;
	c = realloc(*cols, (size_t)(*n + 1) * sizeof(*c));
	if (!c)
		return -1;
	c[*n] = name;
	*cols = c;
	return (*n)++;
}

/* One source's rows, in the merged columns; run_id and host from the source when empty. */
static int copy_rows(struct pvb_csv *csv, const struct pvb_table *t,
		     const struct pvb_merge_source *src, const char **cols, int ncols,
		     const char **fields)
{
	int *map = calloc((size_t)ncols, sizeof(*map));

	if (!map)
		return -1;
	for (int c = 0; c < ncols; c++)
		map[c] = pvb_table_col(t, cols[c]);
	for (int r = 1; r < t->nrows; r++) {
		for (int c = 0; c < ncols; c++)
			fields[c] = map[c] >= 0 && t->rows[r][map[c]][0] ? t->rows[r][map[c]] :
									   NULL;
		for (int c = 0; c < ncols; c++)
			if (!fields[c] && !strcmp(cols[c], "run_id"))
				fields[c] = src->run_id;
			else if (!fields[c] && !strcmp(cols[c], "host"))
				fields[c] = src->host;
		if (pvb_csv_write_row(csv, fields)) {
			free(map);
			return -1;
		}
	}
	free(map);
	return 0;
}

/* dir/iterations.csv: every source's rows, under the union of their columns. */
static int write_rows(const char *dir, const struct sources *s, json_t *rows_of)
{
	struct pvb_table *t = calloc(s->n + 1, sizeof(*t));
	const char **cols = NULL, **fields = NULL;
	struct pvb_csv csv = { .fd = -1 };
	char path[4200];
	int ncols = 0, rc = PVB_EXIT_FAIL;

	for (size_t i = 0; t && i < s->n; i++) {
		snprintf(path, sizeof(path), "%s/iterations.csv", s->v[i].path);
		if (pvb_csv_read(path, &t[i]) < 1) {
			pvb_err("merge: %s: not a readable iterations.csv", path);
			rc = PVB_EXIT_USAGE;
			goto out;
		}
		for (int c = 0; c < t[i].ncols; c++)
			if (column(&cols, &ncols, t[i].rows[0][c]) < 0)
				goto out;
		json_array_append_new(rows_of, json_integer(t[i].nrows - 1));
	}
	if (!t || column(&cols, &ncols, "run_id") < 0 || column(&cols, &ncols, "host") < 0 ||
	    !(fields = calloc((size_t)ncols, sizeof(*fields))))
		goto out;
	snprintf(path, sizeof(path), "%s/iterations.csv", dir);
	if (pvb_csv_open(&csv, path, cols, ncols))
		goto out;
	for (size_t i = 0; i < s->n; i++)
		if (copy_rows(&csv, &t[i], &s->v[i], cols, ncols, fields))
			goto out;
	rc = 0;
out:
	if (csv.fd >= 0)
		pvb_csv_close(&csv);
	for (size_t i = 0; t && i < s->n; i++)
		pvb_table_free(&t[i]);
	free(t);
	free(cols);
	free(fields);
	if (rc == PVB_EXIT_FAIL)
		pvb_err("merge: writing %s failed", path);
	return rc;
}

/* merged.json of the set (host NULL: every source, dirs HOST/RUN_ID) or of one host's
 * directory (dirs RUN_ID). */
static int write_manifest(const char *dir, const struct sources *s, const char *host,
			  json_t *rows_of)
{
	json_t *m = json_object(), *list = json_array(), *hosts = json_array();
	char path[4200], stamp[32], sub[200];

	pvb_utc_iso(time(NULL), stamp, sizeof(stamp));
	for (size_t i = 0; m && list && hosts && i < s->n; i++) {
		const struct pvb_merge_source *e = &s->v[i];
		size_t j = 0;

		if (host && strcmp(host, e->host))
			continue;
		while (j < i && strcmp(s->v[j].host, e->host))
			j++;
		if (j == i)
			json_array_append_new(hosts, json_string(e->host));
		snprintf(sub, sizeof(sub), host ? "%s" : "%s/%s", host ? e->run_id : e->host,
			 e->run_id);
		json_array_append_new(list, json_pack("{s:s,s:s,s:s,s:b,s:s,s:O}", "dir", sub,
						      "host", e->host, "run_id", e->run_id, "sweep",
						      e->sweep, "origin", e->origin, "rows",
						      json_array_get(rows_of, i)));
	}
	if (!m || !list || !hosts || json_array_size(list) == 0) {
		json_decref(m);
		json_decref(list);
		json_decref(hosts);
		pvb_err("merge: out of memory");
		return PVB_EXIT_FAIL;
	}
	json_object_set_new(m, "pvbench_merged", json_true());
	json_object_set_new(m, "schema_version", json_integer(s->v[0].schema));
	json_object_set_new(m, "created_utc", json_string(stamp));
	json_object_set_new(m, "hosts", hosts);
	json_object_set_new(m, "sources", list);
	snprintf(path, sizeof(path), "%s/%s", dir, PVB_MERGED_JSON);
	if (pvb_write_json_atomic(path, m)) {
		json_decref(m);
		return PVB_EXIT_FAIL;
	}
	json_decref(m);
	return 0;
}

/* The copies under tmp/HOST/RUN_ID, each host's merged.json, the rows, the set's. */
static int build(const char *tmp, const struct sources *s)
{
	json_t *rows_of = json_array();
	char path[4200];
	struct stat st;
	int rc = 0;

	for (size_t i = 0; i < s->n && !rc; i++) {
		snprintf(path, sizeof(path), "%s/%s", tmp, s->v[i].host);
		if (stat(path, &st) && mkdir(path, 0755)) {
			pvb_perror("merge: mkdir %s", path);
			rc = PVB_EXIT_FAIL;
			break;
		}
		snprintf(path, sizeof(path), "%s/%s/%s", tmp, s->v[i].host, s->v[i].run_id);
		if (copy_tree(s->v[i].path, path))
			rc = PVB_EXIT_FAIL;
	}
	if (!rc && !rows_of)
		rc = PVB_EXIT_FAIL;
	if (!rc)
		rc = write_rows(tmp, s, rows_of);
	for (size_t i = 0; i < s->n && !rc; i++) {
		snprintf(path, sizeof(path), "%s/%s", tmp, s->v[i].host);
		rc = write_manifest(path, s, s->v[i].host, rows_of);
	}
	if (!rc)
		rc = write_manifest(tmp, s, NULL, rows_of);
	json_decref(rows_of);
	return rc;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)ftw;
	if ((flag == FTW_DP ? rmdir(path) : unlink(path)) && errno != ENOENT)
		pvb_perror("merge: removing %s", path);
	return 0;
}

/* OUT must not hold anything; the set is made in OUT.partial-XXXXXX beside it. */
static int make_tmp(const char *out, char *tmp, size_t len)
{
	DIR *d = opendir(out);
	struct dirent *e;

	if (d) {
		while ((errno = 0, e = readdir(d)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				break;
		closedir(d);
		if (e) {
			pvb_err("merge: -o %s is not empty: give a new directory", out);
			return PVB_EXIT_USAGE;
		}
	} else if (errno != ENOENT) {
		pvb_perror("merge: -o %s", out);
		return PVB_EXIT_USAGE;
	}
	if ((size_t)snprintf(tmp, len, "%s.partial-XXXXXX", out) >= len || !mkdtemp(tmp)) {
		pvb_perror("merge: cannot make a directory beside %s", out);
		return PVB_EXIT_USAGE;
	}
	return 0;
}

int pvb_merge(const char *const *dirs, size_t ndirs, const char *out, bool skip_duplicates)
{
	struct sources s = { 0 };
	char tmp[3900], dest[3800]; /* room for HOST/RUN_ID/... below them */
	size_t hosts = 0;
	int rc;

	if (strlen(out) >= sizeof(dest) - 1) {
		pvb_err("merge: -o %.64s...: too long a path", out);
		return PVB_EXIT_USAGE;
	}
	snprintf(dest, sizeof(dest), "%s", out);
	for (size_t n = strlen(dest); n > 1 && dest[n - 1] == '/'; n--)
		dest[n - 1] = '\0';
	if ((rc = collect(&s, dirs, ndirs)) || (rc = check_versions(&s)) ||
	    (rc = check_duplicates(&s, skip_duplicates)) || (rc = make_tmp(dest, tmp, sizeof(tmp))))
		goto out;
	rc = build(tmp, &s);
	if (!rc && rename(tmp, dest)) {
		pvb_perror("merge: renaming %s to %s", tmp, dest);
		rc = PVB_EXIT_FAIL;
	}
	if (rc)
		nftw(tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	for (size_t i = 0; !rc && i < s.n; i++) {
		size_t j = 0;

		while (j < i && strcmp(s.v[j].host, s.v[i].host))
			j++;
		hosts += j == i;
	}
	if (!rc)
		pvb_info("merged %zu runs of %zu hosts into %s", s.n, hosts, dest);
out:
	pvb_merge_sources_free(s.v, s.n);
	return rc;
}

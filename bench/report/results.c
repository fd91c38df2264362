/* Result files: atomic whole-file writes, the append-only CSV files of a run, and reading a
 * CSV back as a table (results.h). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pvbench.h"
#include "results.h"

/* write(2) all of buf, retrying short writes and EINTR. Returns 0, or -1 with errno set. */
static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* fsync the directory holding path, so that a rename or creation in it is durable. */
static int fsync_parent(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd, ret = 0;

	if (!slash)
		dir = strdup(".");
	else if (slash == path)
		dir = strdup("/");
	else
		dir = strndup(path, (size_t)(slash - path));
	if (!dir) {
		pvb_err("%s: out of memory", path);
		return -1;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd)) {
		pvb_perror("syncing directory %s", dir);
		ret = -1;
	}
	if (fd >= 0 && close(fd)) {
		pvb_perror("closing directory %s", dir);
		ret = -1;
	}
	free(dir);
	return ret;
}

int pvb_write_file_atomic(const char *path, const void *buf, size_t len)
{
	char *tmp;
	int fd;

	if (asprintf(&tmp, "%s.tmp", path) < 0) {
		pvb_err("%s: out of memory", path);
		return -1;
	}
	fd = open(tmp, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0644);
	if (fd < 0) {
		pvb_perror("creating %s", tmp);
		free(tmp);
		return -1;
	}
	if (write_all(fd, buf, len)) {
		pvb_perror("writing %s", tmp);
		goto fail_close;
	}
	if (fsync(fd)) {
		pvb_perror("syncing %s", tmp);
		goto fail_close;
	}
	if (close(fd)) {
		pvb_perror("closing %s", tmp);
		goto fail_unlink;
	}
	if (rename(tmp, path)) {
		pvb_perror("renaming %s to %s", tmp, path);
		goto fail_unlink;
	}
	free(tmp);
	return fsync_parent(path);

fail_close:
	close(fd);
fail_unlink:
	if (unlink(tmp) && errno != ENOENT)
		pvb_perror("removing %s", tmp);
	free(tmp);
	return -1;
}

int pvb_write_json_atomic(const char *path, json_t *doc)
{
	const size_t flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER;
	size_t len = json_dumpb(doc, NULL, 0, flags);
	char *buf;
	int ret;

	if (!len) {
		pvb_err("%s: cannot encode the JSON document", path);
		return -1;
	}
	buf = malloc(len + 1);
	if (!buf) {
		pvb_err("%s: out of memory", path);
		return -1;
	}
	if (json_dumpb(doc, buf, len, flags) != len) {
		pvb_err("%s: cannot encode the JSON document", path);
		free(buf);
		return -1;
	}
	buf[len] = '\n';
	ret = pvb_write_file_atomic(path, buf, len + 1);
	free(buf);
	return ret;
}

/* mkdir one directory; an existing directory (or symlink to one) is fine. */
static int mkdir_one(const char *path)
{
	struct stat st;
	int err;

	if (!mkdir(path, 0755))
		return 0;
	err = errno;
	if (!stat(path, &st)) {
		if (S_ISDIR(st.st_mode))
			return 0;
		err = ENOTDIR;
	}
	errno = err;
	pvb_perror("creating directory %s", path);
	return -1;
}

int pvb_mkdirs(const char *path)
{
	char *copy, *p;
	int ret = 0;

	if (!*path) {
		pvb_err("creating directory: empty path");
		return -1;
	}
	copy = strdup(path);
	if (!copy) {
		pvb_err("%s: out of memory", path);
		return -1;
	}
	for (p = copy + 1; *p && !ret; p++) {
		if (*p != '/' || p[-1] == '/')
			continue;
		*p = '\0';
		ret = mkdir_one(copy);
		*p = '/';
	}
	if (!ret)
		ret = mkdir_one(copy);
	free(copy);
	return ret;
}

static bool csv_needs_quotes(const char *f)
{
	return f[strcspn(f, ",\"\n\r")] != '\0';
}

static size_t csv_field_len(const char *f)
{
	size_t len = strlen(f);

	if (!csv_needs_quotes(f))
		return len;
	for (const char *q = strchr(f, '"'); q; q = strchr(q + 1, '"'))
		len++;
	return len + 2;
}

static char *csv_put_field(char *out, const char *f)
{
	if (!csv_needs_quotes(f)) {
		size_t len = strlen(f);

		memcpy(out, f, len);
		return out + len;
	}
	*out++ = '"';
	for (; *f; f++) {
		if (*f == '"')
			*out++ = '"';
		*out++ = *f;
	}
	*out++ = '"';
	return out;
}

/*
 * Format fields as one CSV line ending in '\n' into buf (of size cap) or, when it does not
 * fit, a malloc'd buffer. Returns the line (not NUL-terminated) and its length in *len.
 */
static char *csv_format(const char *const *fields, int n, char *buf, size_t cap, size_t *len)
{
	char *line = buf, *p;
	size_t need = (size_t)n; /* the separators and the newline */

	for (int i = 0; i < n; i++)
		need += csv_field_len(fields[i] ? fields[i] : "");
	if (need > cap) {
		line = malloc(need);
		if (!line)
			return NULL;
	}
	p = line;
	for (int i = 0; i < n; i++) {
		if (i)
			*p++ = ',';
		p = csv_put_field(p, fields[i] ? fields[i] : "");
	}
	*p++ = '\n';
	*len = need;
	return line;
}

/* Append one line in a single write(2) (a short write is completed), then flush it. */
static int csv_append(struct pvb_csv *csv, const char *line, size_t len)
{
	if (write_all(csv->fd, line, len)) {
		pvb_perror("writing %s", csv->path);
		return -1;
	}
	if (fdatasync(csv->fd)) {
		pvb_perror("syncing %s", csv->path);
		return -1;
	}
	return 0;
}

/* An existing file must start with our header line and end with a complete line. */
static int csv_check_existing(const char *path, const char *header, size_t hlen, off_t size)
{
	char *head = NULL, last;
	ssize_t n = 0;
	size_t got = 0;
	int fd, ret = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		pvb_perror("opening %s", path);
		return -1;
	}
	head = malloc(hlen);
	if (!head) {
		pvb_err("%s: out of memory", path);
		goto out;
	}
	while (got < hlen) {
		n = read(fd, head + got, hlen - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (n < 0) {
		pvb_perror("reading %s", path);
		goto out;
	}
	if (got < hlen || memcmp(head, header, hlen)) {
		pvb_err("%s was written with other columns; move it away or write elsewhere", path);
		goto out;
	}
	do {
		n = pread(fd, &last, 1, size - 1);
	} while (n < 0 && errno == EINTR);
	if (n != 1) {
		if (n < 0)
			pvb_perror("reading %s", path);
		else
			pvb_err("%s: file shrank while being read", path);
		goto out;
	}
	if (last != '\n') {
		pvb_err("%s does not end with a complete line; repair or remove it", path);
		goto out;
	}
	ret = 0;
out:
	free(head);
	if (close(fd)) {
		pvb_perror("closing %s", path);
		ret = -1;
	}
	return ret;
}

int pvb_csv_open(struct pvb_csv *csv, const char *path, const char *const *cols, int ncols)
{
	char stackbuf[1024], *header;
	struct stat st;
	size_t hlen;
	int ret = -1;

	csv->fd = -1;
	csv->ncols = ncols;
	if (ncols < 1) {
		pvb_err("%s: a CSV file needs at least one column", path);
		return -1;
	}
	if ((size_t)snprintf(csv->path, sizeof(csv->path), "%s", path) >= sizeof(csv->path)) {
		pvb_err("%s: path too long", path);
		return -1;
	}
	header = csv_format(cols, ncols, stackbuf, sizeof(stackbuf), &hlen);
	if (!header) {
		pvb_err("%s: out of memory", path);
		return -1;
	}
	csv->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (csv->fd < 0) {
		pvb_perror("opening %s", path);
		goto out;
	}
	if (fstat(csv->fd, &st)) {
		pvb_perror("stat %s", path);
		goto out;
	}
	if (st.st_size == 0)
		ret = csv_append(csv, header, hlen);
	else
		ret = csv_check_existing(path, header, hlen, st.st_size);
out:
	if (header != stackbuf)
		free(header);
	if (ret)
		pvb_csv_close(csv);
	return ret;
}

int pvb_csv_write_row(struct pvb_csv *csv, const char *const *fields)
{
	char stackbuf[1024], *line;
	size_t len;
	int ret;

	line = csv_format(fields, csv->ncols, stackbuf, sizeof(stackbuf), &len);
	if (!line) {
		pvb_err("%s: out of memory", csv->path);
		return -1;
	}
	ret = csv_append(csv, line, len);
	if (line != stackbuf)
		free(line);
	return ret;
}

void pvb_csv_close(struct pvb_csv *csv)
{
	if (csv->fd < 0)
		return;
	if (close(csv->fd))
		pvb_perror("closing %s", csv->path);
	csv->fd = -1;
}

/* Read the whole file into a NUL-terminated malloc'd buffer. */
static char *read_whole(const char *path, size_t *len)
{
	size_t cap = 4096, got = 0;
	char *buf = NULL, *nbuf;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		pvb_perror("opening %s", path);
		return NULL;
	}
	for (;;) {
		ssize_t n;

		if (!buf || got + 1 == cap) {
			if (buf)
				cap *= 2;
			nbuf = realloc(buf, cap);
			if (!nbuf) {
				pvb_err("%s: out of memory", path);
				goto fail;
			}
			buf = nbuf;
		}
		n = read(fd, buf + got, cap - 1 - got);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			pvb_perror("reading %s", path);
			goto fail;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if (close(fd)) {
		pvb_perror("closing %s", path);
		free(buf);
		return NULL;
	}
	buf[got] = '\0';
	*len = got;
	return buf;
fail:
	free(buf);
	close(fd);
	return NULL;
}

/* A growable array of pointers. */
struct ptrvec {
	void **v;
	size_t n, cap;
};

static int ptrvec_push(struct ptrvec *pv, void *p)
{
	if (pv->n == pv->cap) {
		size_t cap = pv->cap ? pv->cap * 2 : 16;
		void **nv = realloc(pv->v, cap * sizeof(*nv));

		if (!nv)
			return -1;
		pv->v = nv;
		pv->cap = cap;
	}
	pv->v[pv->n++] = p;
	return 0;
}

static void free_row(char **row, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(row[i]);
	free(row);
}

/*
 * Parse one field at *pos (RFC 4180: quoted fields may hold commas, newlines and doubled
 * quotes). *line counts newlines for diagnostics. Returns the unquoted field, or NULL.
 */
static char *csv_parse_field(const char *path, const char *buf, size_t len, size_t *pos, int *line)
{
	size_t i = *pos, start = i;
	char *f, *o;

	if (i < len && buf[i] == '"') {
		size_t end, flen = 0;

		/* The closing quote is the first one not doubled. */
		for (end = i + 1;; end++, flen++) {
			if (end == len) {
				pvb_err("%s:%d: unterminated quoted field", path, *line);
				return NULL;
			}
			if (buf[end] == '"') {
				if (end + 1 < len && buf[end + 1] == '"')
					end++;
				else
					break;
			}
		}
		o = f = malloc(flen + 1);
		if (!f) {
			pvb_err("%s: out of memory", path);
			return NULL;
		}
		for (i++; i < end; i++) {
			if (buf[i] == '"')
				i++;
			else if (buf[i] == '\n')
				(*line)++;
			*o++ = buf[i];
		}
		i = end + 1;
		if (i < len && buf[i] == '\r' && i + 1 < len && buf[i + 1] == '\n')
			i++;
		if (i < len && buf[i] != ',' && buf[i] != '\n') {
			pvb_err("%s:%d: text after a closing quote", path, *line);
			free(f);
			return NULL;
		}
		*o = '\0';
		*pos = i;
		return f;
	}
	while (i < len && buf[i] != ',' && buf[i] != '\n') {
		if (buf[i] == '"') {
			pvb_err("%s:%d: quote inside an unquoted field", path, *line);
			return NULL;
		}
		i++;
	}
	*pos = i;
	if (i > start && buf[i - 1] == '\r' && (i == len || buf[i] == '\n'))
		i--;
	f = strndup(buf + start, i - start);
	if (!f)
		pvb_err("%s: out of memory", path);
	return f;
}

/* Parse the record at *pos up to and including its newline. Returns its fields, or NULL. */
static char **csv_parse_record(const char *path, const char *buf, size_t len, size_t *pos,
			       int *line, size_t *nfields)
{
	struct ptrvec fields = { 0 };

	for (;;) {
		char *f = csv_parse_field(path, buf, len, pos, line);

		if (!f || ptrvec_push(&fields, f)) {
			if (f)
				pvb_err("%s: out of memory", path);
			free(f);
			free_row((char **)fields.v, fields.n);
			return NULL;
		}
		if (*pos == len || buf[*pos] == '\n')
			break;
		(*pos)++; /* the comma */
	}
	if (*pos < len) {
		(*pos)++;
		(*line)++;
	}
	*nfields = fields.n;
	return (char **)fields.v;
}

int pvb_csv_read(const char *path, struct pvb_table *t)
{
	struct ptrvec rows = { 0 };
	size_t len, pos = 0, ncols = 0, nf;
	int line = 1;
	char *buf;

	memset(t, 0, sizeof(*t));
	buf = read_whole(path, &len);
	if (!buf)
		return -1;
	if (memchr(buf, '\0', len)) {
		pvb_err("%s: not a text file (contains a NUL byte)", path);
		goto fail;
	}
	while (pos < len) {
		int rline = line;
		char **row = csv_parse_record(path, buf, len, &pos, &line, &nf);

		if (!row)
			goto fail;
		if (!rows.n)
			ncols = nf;
		if (rows.n >= INT_MAX || ncols > INT_MAX) {
			pvb_err("%s: too large", path);
			free_row(row, nf);
			goto fail;
		}
		if (nf != ncols) {
			pvb_err("%s:%d: %zu fields where the header has %zu", path, rline, nf,
				ncols);
			free_row(row, nf);
			goto fail;
		}
		if (ptrvec_push(&rows, row)) {
			pvb_err("%s: out of memory", path);
			free_row(row, nf);
			goto fail;
		}
	}
	free(buf);
	t->nrows = (int)rows.n;
	t->ncols = (int)ncols;
	t->rows = (char ***)rows.v;
	return t->nrows;
fail:
	for (size_t r = 0; r < rows.n; r++)
		free_row(rows.v[r], ncols);
	free(rows.v);
	free(buf);
	return -1;
}

void pvb_table_free(struct pvb_table *t)
{
	for (int r = 0; r < t->nrows; r++)
		free_row(t->rows[r], (size_t)t->ncols);
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

int pvb_table_col(const struct pvb_table *t, const char *name)
{
	if (t->nrows < 1)
		return -1;
	for (int c = 0; c < t->ncols; c++)
		if (!strcmp(t->rows[0][c], name))
			return c;
	return -1;
}

/* The path of the directory to seen from the directory from, both absolute and canonical, with
 * a trailing slash unless empty: "../plot/" from /a/b to /a/plot, "" from /a to /a. */
static char *relative_path(const char *from, const char *to)
{
	size_t nf, nt, up = 0, len;
	char *s;

	for (;;) {
		from += strspn(from, "/");
		to += strspn(to, "/");
		nf = strcspn(from, "/");
		nt = strcspn(to, "/");
		if (!nf || nf != nt || strncmp(from, to, nf))
			break;
		from += nf;
		to += nt;
	}
	for (; *from; from += strspn(from, "/"), up++)
		from += strcspn(from, "/");
	len = 3 * up + strlen(to) + 2;
	s = malloc(len);
	if (!s)
		return NULL;
	s[0] = '\0';
	while (up--)
		strcat(s, "../");
	strcat(s, to);
	if (*to)
		strcat(s, "/");
	return s;
}

char *pvb_path_prefix(const char *file, const char *dir)
{
	char pdir[PATH_MAX], odir[PATH_MAX], *copy, *rel = NULL, *prefix = NULL;

	if (file && (copy = strdup(file))) {
		if (realpath(dir, pdir) && realpath(dirname(copy), odir))
			rel = relative_path(odir, pdir);
		free(copy);
	}
	if (rel)
		return rel;
	if (asprintf(&prefix, "%s/", dir) < 0)
		return NULL;
	return prefix;
}

bool pvb_is_file(const char *dir, const char *name)
{
	char path[4200];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

json_t *pvb_load_json_object(const char *dir, const char *name)
{
	char path[4200];
	json_error_t e;
	json_t *j;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	j = json_load_file(path, 0, &e);
	if (!j)
		pvb_err("%s:%d: not valid JSON: %s", path, e.line, e.text);
	else if (!json_is_object(j)) {
		pvb_err("%s: not a JSON object", path);
		json_decref(j);
		j = NULL;
	}
	return j;
}

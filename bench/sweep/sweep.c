/* `pvbench sweep`: the Cartesian product of reboot runs, its ledger, and resume. */
#include <errno.h>
#include <getopt.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "reboot/config.h"
#include "parse.h"
#include "report/plot.h"
#include "cmd/cmd.h"
#include "pvbench.h"
#include "reboot/reboot.h"
#include "report/results.h"
#include "report/summary.h"
#include "sweep.h"
#include "host/sysinfo.h"
#include "timing.h"


const char *const pvb_sweep_axis_names[PVB_SWEEP_NAXES] = {
	"size", "backend", "backing", "vcpus", "guests", "cleanup_threads", "mem_policy",
	"load", "placement", "mode",
};

const char *const pvb_sweep_axis_options[PVB_SWEEP_NAXES] = {
	"size", "backend", "backing", "vcpus", "guests", "cleanup-threads", "mem-policy",
	"load", "placement", "mode",
};

/* Reboot options the sweep sets itself, so [options] may not. */
static const char *const reserved_options[] = {
	"out", "append", "point", "quiet", "help", "plot",
};

/* What a sweep's name may hold: it becomes part of a directory name. */
static const char name_chars[] =
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";

#define CONFIG_MAX_BYTES (1 << 20)

/* A growable string; an allocation failure sticks in oom and is checked once at the end. */
struct sbuf {
	char *p;
	size_t len, cap;
	bool oom;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *p = realloc(b->p, cap);

		if (!p) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_str(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

/* One CSV field, quoted as RFC 4180 wants when it holds a comma, quote or newline. */
static void sb_csv(struct sbuf *b, const char *f)
{
	if (!f[strcspn(f, ",\"\r\n")]) {
		sb_str(b, f);
		return;
	}
	sb_add(b, "\"", 1);
	for (const char *q = f; *q; q++) {
		if (*q == '"')
			sb_add(b, "\"", 1);
		sb_add(b, q, 1);
	}
	sb_add(b, "\"", 1);
}

static void utc_now(char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;

	if (!gmtime_r(&now, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, len, "unknown");
}

/* ---- The INI file ---- */

struct ini_state {
	struct pvb_sweep_config *cfg;
	const char *origin;
	const char *p;          /* what the reader has not read yet */
	int line;               /* the line read last */
	bool indented;          /* it starts with blank space: inih reads a continuation */
	char section[64], key[64]; /* the key set last, for continuations */
	char *raw[PVB_SWEEP_NAXES]; /* axis lists as written, continuations joined */
	int axis_line[PVB_SWEEP_NAXES];
	int name_line, iter_line, warmup_line;
	int option_line[PVB_SWEEP_MAX_OPTIONS];
	bool oom;
};

static int fail_at(struct ini_state *st, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail_at(struct ini_state *st, int line, const char *fmt, ...)
{
	struct pvb_sweep_config *cfg = st->cfg;
	va_list ap;
	int n;

	if (cfg->error[0])
		return 0;
	n = snprintf(cfg->error, sizeof(cfg->error), "%s:%d: ", st->origin, line);
	if (n < 0 || (size_t)n >= sizeof(cfg->error))
		return 0;
	va_start(ap, fmt);
	vsnprintf(cfg->error + n, sizeof(cfg->error) - (size_t)n, fmt, ap);
	va_end(ap);
	return 0;
}

/* fgets for inih over a string; counts lines and notes indentation and section headers. */
static char *read_line(char *str, int num, void *stream)
{
	struct ini_state *st = stream;
	const char *nl, *s;
	size_t len;

	if (!*st->p)
		return NULL;
	nl = strchr(st->p, '\n');
	len = nl ? (size_t)(nl - st->p) + 1 : strlen(st->p);
	st->line++;
	if (len + 1 > (size_t)num) {
		fail_at(st, st->line, "line longer than %d characters: continue a list on the "
			"next line, indented", num - 3);
		snprintf(str, (size_t)num, "\n");
	} else {
		memcpy(str, st->p, len);
		str[len] = '\0';
	}
	st->p += len;
	st->indented = str[0] == ' ' || str[0] == '\t';
	for (s = str; *s == ' ' || *s == '\t'; s++)
		;
	if (*s == '[')
		st->key[0] = '\0';
	return str;
}

static int axis_index(const char *key)
{
	for (int a = 0; a < PVB_SWEEP_NAXES; a++)
		if (!strcmp(key, pvb_sweep_axis_names[a]))
			return a;
	return -1;
}

/* "cleanup-threads" and "cleanup_threads" alike: one spelling per table. */
static void normalize(char *dst, size_t len, const char *src, char from, char to)
{
	size_t i;

	for (i = 0; src[i] && i + 1 < len; i++)
		dst[i] = src[i] == from ? to : src[i];
	dst[i] = '\0';
}

static int sweep_key(struct ini_state *st, const char *name, const char *value, bool cont)
{
	struct pvb_sweep_config *cfg = st->cfg;
	char key[64];
	uint64_t v;
	int a;

	normalize(key, sizeof(key), name, '-', '_');
	a = axis_index(key);
	if (a >= 0) {
		char *raw;

		if (cont && strchr(value, '='))
			return fail_at(st, st->line, "this indented line continues '%s': start a new "
				       "key at the beginning of its line", name);
		if (!cont && st->raw[a])
			return fail_at(st, st->line, "'%s' given twice (first on line %d)", name,
				       st->axis_line[a]);
		if (!cont) {
			st->axis_line[a] = st->line;
			raw = strdup(value);
		} else {
			size_t n = strlen(st->raw[a]);
			bool comma = (n && st->raw[a][n - 1] == ',') || value[0] == ',';

			if (asprintf(&raw, "%s%s%s", st->raw[a], comma ? "" : ",", value) < 0)
				raw = NULL;
		}
		if (!raw) {
			st->oom = true;
			return 0;
		}
		free(st->raw[a]);
		st->raw[a] = raw;
		return 1;
	}
	if (cont)
		return fail_at(st, st->line, "'%s' takes one value: no continuation lines", name);
	if (!strcmp(key, "name")) {
		size_t n = strlen(value);

		if (st->name_line)
			return fail_at(st, st->line, "'name' given twice (first on line %d)",
				       st->name_line);
		if (!n || n >= sizeof(cfg->name) || value[strspn(value, name_chars)] ||
		    value[0] == '.')
			return fail_at(st, st->line, "name '%s': use 1 to %zu of A-Z a-z 0-9 . _ - "
				       "(it becomes part of the results directory's name)", value,
				       sizeof(cfg->name) - 1);
		snprintf(cfg->name, sizeof(cfg->name), "%s", value);
		st->name_line = st->line;
		return 1;
	}
	if (!strcmp(key, "iterations") || !strcmp(key, "warmup")) {
		bool iter = key[0] == 'i';
		int *line = iter ? &st->iter_line : &st->warmup_line;

		if (*line)
			return fail_at(st, st->line, "'%s' given twice (first on line %d)", name, *line);
		if (pvb_parse_uint(value, iter ? 1 : 0, 1000000, &v))
			return fail_at(st, st->line, "%s = '%s': not a count %s", name, value,
				       iter ? ">= 1" : ">= 0");
		*(iter ? &cfg->iterations : &cfg->warmup) = (int)v;
		*line = st->line;
		return 1;
	}
	return fail_at(st, st->line, "unknown key '%s' in [sweep] (keys: name, iterations, warmup, "
		       "and the axes size, mode, placement, cleanup_threads, guests, load, backing, "
		       "vcpus, backend, mem_policy)", name);
}

static int option_key(struct ini_state *st, const char *name, const char *value, bool cont)
{
	struct pvb_sweep_config *cfg = st->cfg;
	struct pvb_sweep_option *o;
	char key[64];

	if (cont)
		return fail_at(st, st->line, "option '%s' takes one value: no continuation lines",
			       name);
	if (name[0] == '-')
		return fail_at(st, st->line, "option '%s': write it without dashes, e.g. "
			       "'floor-gap = 500' or 'scrub = true'", name);
	if (strlen(name) >= sizeof(key) ||
	    name[strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-_")])
		return fail_at(st, st->line, "option '%s': not a pvbench reboot option name", name);
	normalize(key, sizeof(key), name, '_', '-');
	for (int a = 0; a < PVB_SWEEP_NAXES; a++)
		if (!strcmp(key, pvb_sweep_axis_options[a]))
			return fail_at(st, st->line, "'%s' is an axis: set it in [sweep] "
				       "(a single value is fine)", name);
	if (!strcmp(key, "iterations") || !strcmp(key, "warmup"))
		return fail_at(st, st->line, "'%s' belongs in [sweep]", name);
	for (size_t i = 0; i < sizeof(reserved_options) / sizeof(reserved_options[0]); i++)
		if (!strcmp(key, reserved_options[i]))
			return fail_at(st, st->line, "option '%s' is set by the sweep itself", name);
	for (int i = 0; i < cfg->noptions; i++)
		if (!strcmp(cfg->options[i].key, key))
			return fail_at(st, st->line, "option '%s' given twice (first on line %d)",
				       name, st->option_line[i]);
	if (!*value)
		return fail_at(st, st->line, "option '%s' has no value: give one, or true for "
			       "a flag", name);
	if (cfg->noptions == PVB_SWEEP_MAX_OPTIONS)
		return fail_at(st, st->line, "more than %d options", PVB_SWEEP_MAX_OPTIONS);
	o = &cfg->options[cfg->noptions];
	o->key = strdup(key);
	o->value = strdup(value);
	if (!o->key || !o->value) {
		free(o->key);
		free(o->value);
		o->key = o->value = NULL;
		st->oom = true;
		return 0;
	}
	st->option_line[cfg->noptions++] = st->line;
	return 1;
}

static int on_ini(void *user, const char *section, const char *name, const char *value)
{
	struct ini_state *st = user;
	bool cont = st->indented && !strcmp(name, st->key) && !strcmp(section, st->section);
	int ok;

	if (!strcmp(section, "sweep"))
		ok = sweep_key(st, name, value, cont);
	else if (!strcmp(section, "options"))
		ok = option_key(st, name, value, cont);
	else if (!*section)
		ok = fail_at(st, st->line, "'%s' before any section: put it under [sweep] or "
			     "[options]", name);
	else
		ok = fail_at(st, st->line, "unknown section [%s] (sections: [sweep], [options])",
			     section);
	snprintf(st->section, sizeof(st->section), "%s", section);
	snprintf(st->key, sizeof(st->key), "%s", name);
	return ok;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

/* Split an axis list at the commas outside double quotes; the quotes go. */
static int split_axis(struct ini_state *st, int a)
{
	struct pvb_sweep_config *cfg = st->cfg;
	const char *name = pvb_sweep_axis_names[a];
	char *s = st->raw[a], *item;
	int line = st->axis_line[a];

	if (!*trim(s))
		return fail_at(st, line, "%s: empty list", name);
	for (;;) {
		bool quoted = false;
		char *end = s;
		bool last;

		while (*end && (quoted || *end != ',')) {
			if (*end == '"')
				quoted = !quoted;
			end++;
		}
		if (quoted)
			return fail_at(st, line, "%s: unterminated quote", name);
		last = !*end;
		*end = '\0';
		item = trim(s);
		if (item[0] == '"') {
			size_t n = strlen(item);

			if (n < 2 || item[n - 1] != '"' || memchr(item + 1, '"', n - 2))
				return fail_at(st, line, "%s: text around a quoted item: %s", name, item);
			item[n - 1] = '\0';
			item++;
		} else if (strchr(item, '"')) {
			return fail_at(st, line, "%s: a quote inside an item: %s", name, item);
		}
		if (!*item)
			return fail_at(st, line, "%s: empty item in the list", name);
		if (cfg->nvalues[a] == PVB_SWEEP_MAX_VALUES)
			return fail_at(st, line, "%s: more than %d values", name, PVB_SWEEP_MAX_VALUES);
		for (int i = 0; i < cfg->nvalues[a]; i++)
			if (!strcmp(cfg->values[a][i], item))
				return fail_at(st, line, "%s: '%s' listed twice", name, item);
		cfg->values[a][cfg->nvalues[a]] = strdup(item);
		if (!cfg->values[a][cfg->nvalues[a]]) {
			st->oom = true;
			return 0;
		}
		cfg->nvalues[a]++;
		if (last)
			return 1;
		s = end + 1;
	}
}

/* The file name without its directory and .ini, if it makes a valid name. */
static void default_name(struct pvb_sweep_config *cfg, const char *origin)
{
	const char *base = strrchr(origin, '/');
	size_t n;

	base = base ? base + 1 : origin;
	n = strlen(base);
	if (n > 4 && !strcmp(base + n - 4, ".ini"))
		n -= 4;
	if (!n || n >= sizeof(cfg->name) || base[0] == '.' || strspn(base, name_chars) < n)
		return;
	memcpy(cfg->name, base, n);
	cfg->name[n] = '\0';
}

int pvb_sweep_parse_string(const char *text, const char *origin, struct pvb_sweep_config *cfg)
{
	struct ini_state st = { .cfg = cfg, .origin = origin, .p = text };
	long points = 1;
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	cfg->iterations = cfg->warmup = -1;
	cfg->text = strdup(text);
	if (!cfg->text) {
		snprintf(cfg->error, sizeof(cfg->error), "%s: out of memory", origin);
		goto out;
	}
	rc = ini_parse_stream(read_line, &st, on_ini, &st);
	if (!st.oom && !cfg->error[0] && rc > 0)
		fail_at(&st, rc, "not a 'key = value' line, a [section] or a comment");
	if (!st.oom && !cfg->error[0] && rc < 0)
		st.oom = true;
	for (int a = 0; a < PVB_SWEEP_NAXES && !cfg->error[0] && !st.oom; a++)
		if (st.raw[a])
			split_axis(&st, a);
	if (!cfg->error[0] && !st.oom && !cfg->name[0]) {
		default_name(cfg, origin);
		if (!cfg->name[0])
			snprintf(cfg->error, sizeof(cfg->error), "%s: no name in [sweep], and the "
				 "file name does not make one: add 'name = ...'", origin);
	}
	for (int a = 0; a < PVB_SWEEP_NAXES && points <= PVB_SWEEP_MAX_POINTS; a++)
		if (cfg->nvalues[a])
			points *= cfg->nvalues[a];
	if (!cfg->error[0] && points > PVB_SWEEP_MAX_POINTS)
		snprintf(cfg->error, sizeof(cfg->error), "%s: over %d points: sweep fewer values",
			 origin, PVB_SWEEP_MAX_POINTS);
	if (st.oom && !cfg->error[0])
		snprintf(cfg->error, sizeof(cfg->error), "%s: out of memory", origin);
out:
	for (int a = 0; a < PVB_SWEEP_NAXES; a++)
		free(st.raw[a]);
	if (!cfg->error[0])
		return 0;
	pvb_err("%s", cfg->error);
	return PVB_EXIT_USAGE;
}

/* The whole text file at path; NULL with a message on failure. */
static char *read_text_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;

	if (!f) {
		pvb_perror("%s", path);
		return NULL;
	}
	buf = malloc(CONFIG_MAX_BYTES + 1);
	if (!buf) {
		pvb_err("%s: out of memory", path);
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, CONFIG_MAX_BYTES + 1, f);
	if (ferror(f) || n > CONFIG_MAX_BYTES || memchr(buf, '\0', n)) {
		if (ferror(f))
			pvb_perror("reading %s", path);
		else
			pvb_err("%s: not a sweep configuration (binary, or over %d bytes)", path,
				CONFIG_MAX_BYTES);
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	return buf;
}

int pvb_sweep_parse_file(const char *path, struct pvb_sweep_config *cfg)
{
	char *text = read_text_file(path);
	int rc;

	if (!text) {
		memset(cfg, 0, sizeof(*cfg));
		snprintf(cfg->error, sizeof(cfg->error), "%s: cannot read it", path);
		return PVB_EXIT_USAGE;
	}
	rc = pvb_sweep_parse_string(text, path, cfg);
	free(text);
	return rc;
}

void pvb_sweep_config_free(struct pvb_sweep_config *cfg)
{
	for (int a = 0; a < PVB_SWEEP_NAXES; a++)
		for (int i = 0; i < cfg->nvalues[a]; i++)
			free(cfg->values[a][i]);
	for (int i = 0; i < cfg->noptions; i++) {
		free(cfg->options[i].key);
		free(cfg->options[i].value);
	}
	free(cfg->text);
	memset(cfg, 0, sizeof(*cfg));
}

json_t *pvb_sweep_config_json(const struct pvb_sweep_config *cfg)
{
	json_t *o = json_object(), *axes = json_object(), *order = json_array();
	json_t *opts = json_object();

	for (int a = 0; a < PVB_SWEEP_NAXES; a++) {
		json_t *vals;

		if (!cfg->nvalues[a])
			continue;
		vals = json_array();
		for (int i = 0; i < cfg->nvalues[a]; i++)
			json_array_append_new(vals, json_string(cfg->values[a][i]));
		json_object_set_new(axes, pvb_sweep_axis_names[a], vals);
		json_array_append_new(order, json_string(pvb_sweep_axis_names[a]));
	}
	for (int i = 0; i < cfg->noptions; i++)
		json_object_set_new(opts, cfg->options[i].key, json_string(cfg->options[i].value));
	json_object_set_new(o, "name", json_string(cfg->name));
	json_object_set_new(o, "axes", axes);
	json_object_set_new(o, "axis_order", order);
	json_object_set_new(o, "iterations", cfg->iterations < 0 ? json_null()
					     : json_integer(cfg->iterations));
	json_object_set_new(o, "warmup", cfg->warmup < 0 ? json_null() : json_integer(cfg->warmup));
	json_object_set_new(o, "options", opts);
	json_object_set_new(o, "points", json_integer(pvb_sweep_npoints(cfg)));
	return o;
}

/* ---- Points ---- */

int pvb_sweep_npoints(const struct pvb_sweep_config *cfg)
{
	int n = 1;

	for (int a = 0; a < PVB_SWEEP_NAXES; a++)
		if (cfg->nvalues[a])
			n *= cfg->nvalues[a];
	return n;
}

void pvb_sweep_point_get(const struct pvb_sweep_config *cfg, int id, struct pvb_sweep_point *pt)
{
	int rest = id, nm = cfg->nvalues[PVB_AX_MODE];

	pt->id = id;
	for (int a = PVB_SWEEP_NAXES - 1; a >= 0; a--) {
		int n = cfg->nvalues[a];

		pt->idx[a] = n ? rest % n : -1;
		if (n)
			rest /= n;
	}
	pt->first_mode = nm < 2 || id % nm == 0;
	if (nm > 1 && (id / nm) % 2)
		pt->idx[PVB_AX_MODE] = nm - 1 - pt->idx[PVB_AX_MODE];
}

const char *pvb_sweep_value(const struct pvb_sweep_config *cfg,
			    const struct pvb_sweep_point *pt, enum pvb_sweep_axis ax)
{
	return pt->idx[ax] < 0 ? NULL : cfg->values[ax][pt->idx[ax]];
}

void pvb_sweep_describe(const struct pvb_sweep_config *cfg, const struct pvb_sweep_point *pt,
			char *buf, size_t len)
{
	bool varies = false;
	size_t n = 0;

	for (int a = 0; a < PVB_SWEEP_NAXES; a++)
		varies |= cfg->nvalues[a] > 1;
	buf[0] = '\0';
	for (int a = 0; a < PVB_SWEEP_NAXES && n < len; a++) {
		int m;

		if (pt->idx[a] < 0 || (varies && cfg->nvalues[a] < 2))
			continue;
		m = snprintf(buf + n, len - n, "%s%s=%s", n ? " " : "", pvb_sweep_axis_names[a],
			     cfg->values[a][pt->idx[a]]);
		if (m < 0)
			break;
		n += (size_t)m;
	}
	if (!buf[0])
		snprintf(buf, len, "(reboot's defaults)");
}

static const char *option_value(const struct pvb_sweep_config *cfg, const char *key)
{
	for (int i = 0; i < cfg->noptions; i++)
		if (!strcmp(cfg->options[i].key, key))
			return cfg->options[i].value;
	return NULL;
}

/* Append a copy of s; the array stays NULL-terminated when that fails. */
static int push(char **argv, int *argc, const char *s)
{
	argv[*argc] = strdup(s);
	if (!argv[*argc])
		return -1;
	(*argc)++;
	return 0;
}

int pvb_sweep_build_argv(const struct pvb_sweep_config *cfg, const struct pvb_sweep_point *pt,
			 const char *dir, char ***argvp)
{
	/* reboot, 2 per axis, 4 for the scalars, 2 per option, 3 for the floor, 6 at the end */
	size_t cap = 1 + 2 * PVB_SWEEP_NAXES + 4 + 2 * PVB_SWEEP_MAX_OPTIONS + 3 + 6 + 1;
	char **argv = calloc(cap, sizeof(*argv)), opt[80], num[24];
	int argc = 0, err = 0;

	*argvp = NULL;
	if (!argv)
		return -1;
	err |= push(argv, &argc, "reboot");
	for (int a = 0; a < PVB_SWEEP_NAXES; a++) {
		if (pt->idx[a] < 0)
			continue;
		snprintf(opt, sizeof(opt), "--%s", pvb_sweep_axis_options[a]);
		err |= push(argv, &argc, opt);
		err |= push(argv, &argc, cfg->values[a][pt->idx[a]]);
	}
	if (cfg->iterations >= 0) {
		snprintf(num, sizeof(num), "%d", cfg->iterations);
		err |= push(argv, &argc, "--iterations");
		err |= push(argv, &argc, num);
	}
	if (cfg->warmup >= 0) {
		snprintf(num, sizeof(num), "%d", cfg->warmup);
		err |= push(argv, &argc, "--warmup");
		err |= push(argv, &argc, num);
	}
	for (int i = 0; i < cfg->noptions; i++) {
		const char *v = cfg->options[i].value;

		if (!strcmp(v, "false"))
			continue;
		snprintf(opt, sizeof(opt), "--%s", cfg->options[i].key);
		err |= push(argv, &argc, opt);
		if (strcmp(v, "true"))
			err |= push(argv, &argc, v);
	}
	if (!pt->first_mode) {
		const char *floor = option_value(cfg, "no-floor"), *ref = option_value(cfg,
			"ref-iterations");

		if (!floor || strcmp(floor, "true"))
			err |= push(argv, &argc, "--no-floor");
		if (!ref || strcmp(ref, "0")) {
			err |= push(argv, &argc, "--ref-iterations");
			err |= push(argv, &argc, "0");
		}
	}
	snprintf(num, sizeof(num), "%d", pt->id);
	err |= push(argv, &argc, "--out");
	err |= push(argv, &argc, dir);
	err |= push(argv, &argc, "--append");
	err |= push(argv, &argc, "--point");
	err |= push(argv, &argc, num);
	err |= push(argv, &argc, "--quiet");
	if (err) {
		pvb_sweep_argv_free(argv);
		return -1;
	}
	*argvp = argv;
	return argc;
}

void pvb_sweep_argv_free(char **argv)
{
	if (!argv)
		return;
	for (char **a = argv; *a; a++)
		free(*a);
	free(argv);
}

/* ---- The ledger and the row filter ---- */

static const char *const status_names[] = { "pending", "running", "complete", "skipped",
					    "failed" };
#define NSTATUS ((int)(sizeof(status_names) / sizeof(status_names[0])))

const char *pvb_sweep_status_name(enum pvb_sweep_status s)
{
	return status_names[s];
}

static void ledger_header(struct sbuf *b)
{
	sb_str(b, "point,status");
	for (int a = 0; a < PVB_SWEEP_NAXES; a++) {
		sb_str(b, ",");
		sb_str(b, pvb_sweep_axis_names[a]);
	}
	sb_str(b, ",started_utc,ended_utc,exit_code\n");
}

int pvb_sweep_ledger_write(const char *dir, const struct pvb_sweep_config *cfg,
			   const struct pvb_sweep_entry *e, int n)
{
	struct sbuf b = { 0 };
	char path[4200], num[24];
	int rc = -1;

	ledger_header(&b);
	for (int i = 0; i < n; i++) {
		struct pvb_sweep_point pt;

		pvb_sweep_point_get(cfg, i, &pt);
		snprintf(num, sizeof(num), "%d,", i);
		sb_str(&b, num);
		sb_str(&b, pvb_sweep_status_name(e[i].status));
		for (int a = 0; a < PVB_SWEEP_NAXES; a++) {
			const char *v = pvb_sweep_value(cfg, &pt, a);

			sb_str(&b, ",");
			sb_csv(&b, v ? v : "");
		}
		sb_str(&b, ",");
		sb_str(&b, e[i].started);
		sb_str(&b, ",");
		sb_str(&b, e[i].ended);
		sb_str(&b, ",");
		if (e[i].exit_code >= 0) {
			snprintf(num, sizeof(num), "%d", e[i].exit_code);
			sb_str(&b, num);
		}
		sb_str(&b, "\n");
	}
	snprintf(path, sizeof(path), "%s/points.csv", dir);
	if (b.oom)
		pvb_err("%s: out of memory", path);
	else if (!pvb_write_file_atomic(path, b.p, b.len))
		rc = 0;
	free(b.p);
	return rc;
}

int pvb_sweep_ledger_read(const char *dir, const struct pvb_sweep_config *cfg,
			  struct pvb_sweep_entry *e, int n)
{
	int pc, sc, bc, ec, xc, ac[PVB_SWEEP_NAXES], rc = PVB_EXIT_USAGE;
	struct pvb_table t;
	char path[4200];

	for (int i = 0; i < n; i++)
		e[i] = (struct pvb_sweep_entry){ .status = PVB_PT_PENDING, .exit_code = -1 };
	snprintf(path, sizeof(path), "%s/points.csv", dir);
	if (access(path, F_OK) && errno == ENOENT)
		return 0;
	if (pvb_csv_read(path, &t) < 0)
		return PVB_EXIT_FAIL;
	pc = pvb_table_col(&t, "point");
	sc = pvb_table_col(&t, "status");
	bc = pvb_table_col(&t, "started_utc");
	ec = pvb_table_col(&t, "ended_utc");
	xc = pvb_table_col(&t, "exit_code");
	for (int a = 0; a < PVB_SWEEP_NAXES; a++)
		ac[a] = pvb_table_col(&t, pvb_sweep_axis_names[a]);
	if (pc < 0 || sc < 0 || bc < 0 || ec < 0 || xc < 0) {
		pvb_err("%s: not a sweep ledger (no point, status, started_utc, ended_utc or "
			"exit_code column)", path);
		goto out;
	}
	for (int r = 1; r < t.nrows; r++) {
		char **row = t.rows[r];
		struct pvb_sweep_point pt;
		struct pvb_sweep_entry *en;
		uint64_t id, code;
		int s;

		if (pvb_parse_uint(row[pc], 0, (uint64_t)n - 1, &id)) {
			pvb_err("%s:%d: point '%s' is not one of this sweep's %d points", path, r + 1,
				row[pc], n);
			goto out;
		}
		pvb_sweep_point_get(cfg, (int)id, &pt);
		for (int a = 0; a < PVB_SWEEP_NAXES; a++) {
			const char *want = pvb_sweep_value(cfg, &pt, a);

			if (strcmp(ac[a] < 0 ? "" : row[ac[a]], want ? want : "")) {
				pvb_err("%s:%d: point %d has %s '%s' where the configuration gives "
					"'%s'", path, r + 1, (int)id, pvb_sweep_axis_names[a],
					ac[a] < 0 ? "" : row[ac[a]], want ? want : "");
				goto out;
			}
		}
		for (s = 0; s < NSTATUS; s++)
			if (!strcmp(row[sc], status_names[s]))
				break;
		if (s == NSTATUS) {
			pvb_err("%s:%d: unknown status '%s'", path, r + 1, row[sc]);
			goto out;
		}
		en = &e[id];
		en->status = (enum pvb_sweep_status)s;
		snprintf(en->started, sizeof(en->started), "%s", row[bc]);
		snprintf(en->ended, sizeof(en->ended), "%s", row[ec]);
		en->exit_code = pvb_parse_uint(row[xc], 0, 255, &code) ? -1 : (int)code;
	}
	rc = 0;
out:
	pvb_table_free(&t);
	return rc;
}

int pvb_sweep_filter_rows(const char *path, const struct pvb_sweep_entry *e, int n)
{
	struct pvb_table t;
	struct sbuf b = { 0 };
	int pc, dropped = 0, rc = -1;

	if (pvb_csv_read(path, &t) < 0)
		return -1;
	if (t.nrows == 0) {
		pvb_table_free(&t);
		return 0;
	}
	pc = pvb_table_col(&t, "point");
	if (pc < 0) {
		pvb_err("%s: no point column: not written by a sweep", path);
		goto out;
	}
	for (int r = 0; r < t.nrows; r++) {
		uint64_t id;

		if (r > 0 && (pvb_parse_uint(t.rows[r][pc], 0, (uint64_t)n - 1, &id) ||
			      e[id].status != PVB_PT_COMPLETE)) {
			dropped++;
			continue;
		}
		for (int c = 0; c < t.ncols; c++) {
			if (c)
				sb_str(&b, ",");
			sb_csv(&b, t.rows[r][c]);
		}
		sb_str(&b, "\n");
	}
	if (b.oom)
		pvb_err("%s: out of memory", path);
	else if (!dropped || !pvb_write_file_atomic(path, b.p, b.len))
		rc = dropped;
out:
	free(b.p);
	pvb_table_free(&t);
	return rc;
}

/* ---- The command ---- */

struct sweep {
	struct pvb_sweep_config cfg;
	char dir[4096];
	bool quiet, tty;
	int n;
	struct pvb_sweep_entry *e;
	json_t *meta;
	char meta_path[4200];
	double done_s; /* seconds taken by the points that completed, for the ETA */
	int ndone;
	bool drawn;    /* a progress line waits on the terminal for its newline */
};

static void sweep_usage(void)
{
	printf("usage: pvbench sweep CONFIG [--out DIR] [--dry-run] [--quiet]\n"
	       "       pvbench sweep [CONFIG] --resume DIR [--dry-run] [--quiet]\n"
	       "Run every point of the Cartesian product of the axes in CONFIG (an INI file, e.g.\n"
	       "workloads/sweeps/quick.ini) as `pvbench reboot --append --point N` into one\n"
	       "results directory, then write summary.csv and the plots.\n\n"
	       "  --out DIR     results directory (default: results/runs/<UTC time>-sweep-<name>)\n"
	       "  --resume DIR  go on with the sweep in DIR: drop the rows of points that did not\n"
	       "                complete, then run the points neither complete nor skipped\n"
	       "                (CONFIG, if given, must be the text the sweep started with)\n"
	       "  --dry-run     check every point and print its command line; run nothing\n"
	       "  --quiet       no progress lines\n\n"
	       "DIR/points.csv is the ledger (point, status, axis values, times, exit code);\n"
	       "DIR/sweep.json the configuration, host, command line and git revision.\n"
	       "Exit codes: 0 done (skipped points are in the ledger), 1 run-time failure,\n"
	       "2 bad configuration or unusable host, 3 --verify-clean violation, 4 every point\n"
	       "skipped, 130 interrupted (go on with --resume DIR).\n");
}

/* Shell-quoted, for command lines that can be pasted. */
static void sb_shell(struct sbuf *b, const char *s)
{
	if (*s && !s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			   "0123456789-_.,:/=+@%")]) {
		sb_str(b, s);
		return;
	}
	sb_str(b, "'");
	for (; *s; s++) {
		if (*s == '\'')
			sb_str(b, "'\\''");
		else
			sb_add(b, s, 1);
	}
	sb_str(b, "'");
}

static char *command_line(char **argv)
{
	struct sbuf b = { 0 };

	sb_str(&b, "pvbench");
	for (; *argv; argv++) {
		sb_str(&b, " ");
		sb_shell(&b, *argv);
	}
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

/*
 * Run `reboot` with a point's argv in this process; with run false, only parse it.
 * Returns an exit code (parse errors included), or -1 when the argv parses and run is false.
 */
static int reboot_point(struct sweep *s, const struct pvb_sweep_point *pt, bool run)
{
	struct pvb_reboot_config *rcfg = malloc(sizeof(*rcfg));
	bool quiet = pvb_quiet;
	char **argv;
	int argc, rc;

	argc = pvb_sweep_build_argv(&s->cfg, pt, s->dir, &argv);
	if (argc < 0 || !rcfg) {
		pvb_err("point %d: out of memory", pt->id);
		pvb_sweep_argv_free(argv);
		free(rcfg);
		return PVB_EXIT_FAIL;
	}
	rc = pvb_reboot_parse(argc, argv, rcfg);
	if (rc == PVB_EXIT_OK) /* --help among the options */
		rc = PVB_EXIT_USAGE;
	if (rc < 0 && run)
		rc = pvb_reboot_run(rcfg);
	pvb_quiet = quiet;
	if (rc == PVB_EXIT_USAGE && !run) {
		char desc[512], *cmd = command_line(argv);

		pvb_sweep_describe(&s->cfg, pt, desc, sizeof(desc));
		pvb_err("point %d of %d (%s) is not a valid reboot: %s", pt->id, s->n, desc,
			cmd ? cmd : "(out of memory)");
		free(cmd);
	}
	pvb_sweep_argv_free(argv);
	free(rcfg);
	return rc;
}

/* Bad input fails before anything runs: every point's argv goes through the parser. */
static int validate_points(struct sweep *s)
{
	for (int i = 0; i < s->n; i++) {
		struct pvb_sweep_point pt;
		int rc;

		pvb_sweep_point_get(&s->cfg, i, &pt);
		rc = reboot_point(s, &pt, false);
		if (rc >= 0) {
			pvb_err("%s: nothing was run", s->cfg.name);
			return rc;
		}
	}
	return 0;
}

static int dry_run(struct sweep *s, bool resume)
{
	int todo = 0;

	for (int i = 0; i < s->n; i++) {
		struct pvb_sweep_point pt;
		char **argv, *cmd;

		pvb_sweep_point_get(&s->cfg, i, &pt);
		if (pvb_sweep_build_argv(&s->cfg, &pt, s->dir, &argv) < 0 ||
		    !(cmd = command_line(argv))) {
			pvb_sweep_argv_free(argv);
			pvb_err("out of memory");
			return PVB_EXIT_FAIL;
		}
		if (resume)
			printf("%4d  %-8s  %s\n", i, pvb_sweep_status_name(s->e[i].status), cmd);
		else
			printf("%4d  %s\n", i, cmd);
		todo += s->e[i].status != PVB_PT_COMPLETE && s->e[i].status != PVB_PT_SKIPPED;
		free(cmd);
		pvb_sweep_argv_free(argv);
	}
	printf("%s: %d points, %d to run, into %s\n", s->cfg.name, s->n, todo, s->dir);
	return PVB_EXIT_OK;
}

static json_t *argv_json(int argc, char **argv)
{
	json_t *a = json_array();

	for (int i = 0; i < argc; i++)
		json_array_append_new(a, json_string(argv[i]));
	return a;
}

static bool exists(const char *dir, const char *name)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

static int start_new(struct sweep *s, int argc, char **argv, const char *config_path)
{
	static const char *const taken[] = { "sweep.json", "points.csv", "iterations.csv",
					     "meta.json" };
	char stamp[32];

	for (size_t i = 0; i < sizeof(taken) / sizeof(taken[0]); i++)
		if (exists(s->dir, taken[i])) {
			pvb_err("%s already holds a run (%s): choose another --out, or go on with "
				"--resume %s", s->dir, taken[i], s->dir);
			return PVB_EXIT_USAGE;
		}
	if (pvb_mkdirs(s->dir))
		return PVB_EXIT_USAGE;
	utc_now(stamp, sizeof(stamp));
	s->meta = json_object();
	json_object_set_new(s->meta, "pvbench_run", json_string("sweep"));
	json_object_set_new(s->meta, "status", json_string("running"));
	json_object_set_new(s->meta, "started_utc", json_string(stamp));
	json_object_set_new(s->meta, "version", json_string(PVB_VERSION));
	json_object_set_new(s->meta, "git_revision", json_string(pvb_git_rev));
	json_object_set_new(s->meta, "command_line", argv_json(argc, argv));
	json_object_set_new(s->meta, "config_file", json_string(config_path));
	json_object_set_new(s->meta, "config_text", json_string(s->cfg.text));
	json_object_set_new(s->meta, "config", pvb_sweep_config_json(&s->cfg));
	json_object_set_new(s->meta, "host", pvb_sysinfo_json());
	{
		/* A model among the backends: the sweep's own files and lines say so too. */
		bool em = false;

		for (int i = 0; i < s->cfg.nvalues[PVB_AX_BACKEND]; i++)
			em |= !strcmp(s->cfg.values[PVB_AX_BACKEND][i], "pv-emulated");
		json_object_set_new(s->meta, "emulated", json_boolean(em));
		if (em)
			pvb_log_tag = "pv-emulated MODEL";
	}
	json_object_set_new(s->meta, "resumed", json_array());
	if (pvb_write_json_atomic(s->meta_path, s->meta) ||
	    pvb_sweep_ledger_write(s->dir, &s->cfg, s->e, s->n))
		return PVB_EXIT_FAIL;
	return 0;
}

/* The config text a sweep started with, from its sweep.json (kept in s->meta). */
static const char *load_meta(struct sweep *s)
{
	json_error_t jerr;
	json_t *text;

	s->meta = json_load_file(s->meta_path, 0, &jerr);
	if (!s->meta) {
		pvb_err("--resume %s: cannot read %s: %s (line %d)", s->dir, s->meta_path, jerr.text,
			jerr.line);
		return NULL;
	}
	text = json_object_get(s->meta, "config_text");
	if (!json_is_string(text) || !json_is_array(json_object_get(s->meta, "resumed"))) {
		pvb_err("--resume %s: %s is not a sweep's (no config_text or resumed)", s->dir,
			s->meta_path);
		return NULL;
	}
	return json_string_value(text);
}

static time_t parse_utc(const char *s)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return end && !*end ? timegm(&tm) : (time_t)-1;
}

/* Drop what the points that did not complete left behind; seed the ETA. */
static int start_resume(struct sweep *s, int argc, char **argv)
{
	static const char *const csvs[] = { "iterations.csv", "timeline.csv" };
	json_t *entry = json_object();
	char stamp[32], path[4200];

	for (size_t i = 0; i < sizeof(csvs) / sizeof(csvs[0]); i++) {
		int dropped;

		snprintf(path, sizeof(path), "%s/%s", s->dir, csvs[i]);
		if (access(path, F_OK))
			continue;
		dropped = pvb_sweep_filter_rows(path, s->e, s->n);
		if (dropped < 0) {
			json_decref(entry);
			return PVB_EXIT_FAIL;
		}
		if (dropped)
			pvb_info("%s: dropped %d rows of points that did not complete", path, dropped);
	}
	for (int i = 0; i < s->n; i++) {
		struct pvb_sweep_entry *e = &s->e[i];

		if (e->status == PVB_PT_COMPLETE) {
			time_t t0 = parse_utc(e->started), t1 = parse_utc(e->ended);

			if (t0 != (time_t)-1 && t1 >= t0) {
				s->done_s += (double)(t1 - t0);
				s->ndone++;
			}
			continue;
		}
		if (e->status == PVB_PT_SKIPPED)
			continue;
		snprintf(path, sizeof(path), "%s/points/%d.json", s->dir, i);
		if (unlink(path) && errno != ENOENT) {
			pvb_perror("removing %s", path);
			json_decref(entry);
			return PVB_EXIT_FAIL;
		}
		*e = (struct pvb_sweep_entry){ .status = PVB_PT_PENDING, .exit_code = -1 };
	}
	utc_now(stamp, sizeof(stamp));
	json_object_set_new(entry, "utc", json_string(stamp));
	json_object_set_new(entry, "command_line", argv_json(argc, argv));
	json_object_set_new(entry, "version", json_string(PVB_VERSION));
	json_object_set_new(entry, "git_revision", json_string(pvb_git_rev));
	json_object_set_new(entry, "host", pvb_sysinfo_json());
	json_array_append_new(json_object_get(s->meta, "resumed"), entry);
	json_object_set_new(s->meta, "status", json_string("running"));
	if (pvb_write_json_atomic(s->meta_path, s->meta) ||
	    pvb_sweep_ledger_write(s->dir, &s->cfg, s->e, s->n))
		return PVB_EXIT_FAIL;
	return 0;
}

static void fmt_duration(double sec, char *buf, size_t len)
{
	long t = (long)(sec + 0.5);

	if (t < 60)
		snprintf(buf, len, "%lds", t);
	else if (t < 3600)
		snprintf(buf, len, "%ldm%02lds", t / 60, t % 60);
	else
		snprintf(buf, len, "%ldh%02ldm", t / 3600, t / 60 % 60);
}

static void progress(struct sweep *s, const struct pvb_sweep_point *pt)
{
	char desc[512], eta[32] = "-", line[640];
	int todo = 0;

	if (s->quiet)
		return;
	for (int i = pt->id; i < s->n; i++)
		todo += s->e[i].status != PVB_PT_COMPLETE && s->e[i].status != PVB_PT_SKIPPED;
	if (s->ndone)
		fmt_duration(s->done_s / s->ndone * todo, eta, sizeof(eta));
	pvb_sweep_describe(&s->cfg, pt, desc, sizeof(desc));
	snprintf(line, sizeof(line), "[%d/%d] %s  ETA %s", pt->id + 1, s->n, desc, eta);
	if (s->tty) {
		struct winsize ws;
		int width = 80;

		if (!ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) && ws.ws_col > 1)
			width = ws.ws_col;
		/* A line that wraps could not be redrawn with \r. */
		if ((int)strlen(line) >= width)
			line[width - 1] = '\0';
		fprintf(stderr, "\r\033[K%s", line);
		s->drawn = true;
	} else {
		fprintf(stderr, "%s\n", line);
	}
	fflush(stderr);
}

static void end_progress(struct sweep *s)
{
	if (s->drawn)
		fputc('\n', stderr);
	s->drawn = false;
}

static int run_points(struct sweep *s)
{
	for (int i = 0; i < s->n; i++) {
		struct pvb_sweep_entry *e = &s->e[i];
		struct pvb_sweep_point pt;
		uint64_t t0;
		int rc;

		if (e->status == PVB_PT_COMPLETE || e->status == PVB_PT_SKIPPED)
			continue;
		if (pvb_interrupted)
			return PVB_EXIT_INTERRUPTED;
		pvb_sweep_point_get(&s->cfg, i, &pt);
		progress(s, &pt);
		e->status = PVB_PT_RUNNING;
		utc_now(e->started, sizeof(e->started));
		e->ended[0] = '\0';
		e->exit_code = -1;
		if (pvb_sweep_ledger_write(s->dir, &s->cfg, s->e, s->n))
			return PVB_EXIT_FAIL;
		t0 = pvb_now_ns();
		rc = reboot_point(s, &pt, true);
		utc_now(e->ended, sizeof(e->ended));
		e->exit_code = rc;
		e->status = rc == PVB_EXIT_OK ? PVB_PT_COMPLETE :
			    rc == PVB_EXIT_SKIP ? PVB_PT_SKIPPED : PVB_PT_FAILED;
		if (pvb_sweep_ledger_write(s->dir, &s->cfg, s->e, s->n))
			return PVB_EXIT_FAIL;
		if (rc == PVB_EXIT_OK) {
			s->done_s += (double)(pvb_now_ns() - t0) / 1e9;
			s->ndone++;
		} else if (rc == PVB_EXIT_SKIP) {
			end_progress(s);
			pvb_warn("point %d skipped (see above); the sweep goes on", i);
		} else {
			end_progress(s);
			return rc;
		}
	}
	return PVB_EXIT_OK;
}

/* The ledger's tally, the status in sweep.json, summary.csv, the plots. */
static int finish(struct sweep *s, int rc)
{
	int count[NSTATUS] = { 0 };
	char stamp[32], path[4200];
	json_t *tally = json_object();

	end_progress(s);
	for (int i = 0; i < s->n; i++)
		count[s->e[i].status]++;
	if (rc == PVB_EXIT_OK && !count[PVB_PT_COMPLETE] && count[PVB_PT_SKIPPED])
		rc = PVB_EXIT_SKIP;
	for (int st = 0; st < NSTATUS; st++)
		json_object_set_new(tally, status_names[st], json_integer(count[st]));
	utc_now(stamp, sizeof(stamp));
	json_object_set_new(s->meta, "status", json_string(
		rc == PVB_EXIT_OK || rc == PVB_EXIT_SKIP ? "complete" :
		rc == PVB_EXIT_INTERRUPTED ? "interrupted" : "failed"));
	json_object_set_new(s->meta, "ended_utc", json_string(stamp));
	json_object_set_new(s->meta, "points", tally);
	if (pvb_write_json_atomic(s->meta_path, s->meta))
		rc = rc ? rc : PVB_EXIT_FAIL;

	snprintf(path, sizeof(path), "%s/iterations.csv", s->dir);
	if (!access(path, F_OK)) {
		bool done = rc == PVB_EXIT_OK;

		if (pvb_summary_write(s->dir, done ? stdout : NULL)) {
			pvb_err("%s: summary.csv could not be written (see above)", s->dir);
			rc = rc ? rc : PVB_EXIT_FAIL;
		} else if (done && !pvb_plot_available()) {
			pvb_warn("gnuplot is not installed: no plots (apt-get install gnuplot-nox, "
				 "then pvbench plot %s)", s->dir);
		} else if (done && pvb_plot_dir(s->dir)) {
			pvb_warn("the sweep is complete, but its plots failed (see above)");
		}
	}
	if (rc == PVB_EXIT_OK || rc == PVB_EXIT_SKIP)
		pvb_info("%s: %d points: %d complete, %d skipped; results in %s", s->cfg.name,
			 s->n, count[PVB_PT_COMPLETE], count[PVB_PT_SKIPPED], s->dir);
	else
		pvb_err("%s: stopped (exit %d) with %d of %d points complete; go on with: "
			"pvbench sweep --resume %s", s->cfg.name, rc, count[PVB_PT_COMPLETE], s->n,
			s->dir);
	return rc;
}

enum { OPT_OUT = 256, OPT_RESUME, OPT_DRY, OPT_QUIET, OPT_HELP };

static const struct option sweep_options[] = {
	{ "out", required_argument, NULL, OPT_OUT },
	{ "resume", required_argument, NULL, OPT_RESUME },
	{ "dry-run", no_argument, NULL, OPT_DRY },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* The configuration: from CONFIG, or on --resume from sweep.json (CONFIG must match it). */
static int load_config(struct sweep *s, const char *config, bool resume)
{
	const char *stored;
	char *text;
	int rc;

	if (!resume)
		return pvb_sweep_parse_file(config, &s->cfg);
	stored = load_meta(s);
	if (!stored)
		return PVB_EXIT_USAGE;
	if (!config)
		return pvb_sweep_parse_string(stored, s->meta_path, &s->cfg);
	text = read_text_file(config);
	if (!text)
		return PVB_EXIT_USAGE;
	if (strcmp(text, stored)) {
		pvb_err("--resume %s: %s is not the configuration this sweep started with (see "
			"config_text in %s): resume without CONFIG, or start a new sweep", s->dir,
			config, s->meta_path);
		free(text);
		return PVB_EXIT_USAGE;
	}
	rc = pvb_sweep_parse_string(text, config, &s->cfg);
	free(text);
	return rc;
}

int pvb_cmd_sweep(int argc, char **argv)
{
	struct sweep s = { .tty = isatty(STDERR_FILENO) == 1 };
	const char *config = NULL, *out = NULL, *resume = NULL;
	bool dry = false;
	int c, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", sweep_options, NULL)) != -1) {
		switch (c) {
		case OPT_OUT:
			out = optarg;
			break;
		case OPT_RESUME:
			resume = optarg;
			break;
		case OPT_DRY:
			dry = true;
			break;
		case OPT_QUIET:
			s.quiet = pvb_quiet = true;
			break;
		case OPT_HELP:
			sweep_usage();
			return PVB_EXIT_OK;
		default:
			pvb_err("sweep: unknown or incomplete option '%s' (see pvbench sweep --help)",
				argv[optind - 1]);
			return PVB_EXIT_USAGE;
		}
	}
	if (optind < argc)
		config = argv[optind++];
	if (optind < argc || (!config && !resume) || (out && resume) ||
	    (out && (!*out || strlen(out) >= sizeof(s.dir) - 128)) ||
	    (resume && (!*resume || strlen(resume) >= sizeof(s.dir) - 128))) {
		pvb_err("sweep: %s (see pvbench sweep --help)",
			optind < argc ? "one CONFIG at a time" :
			!config && !resume ? "missing CONFIG" :
			out && resume ? "--resume DIR writes into DIR: leave out --out" :
			"unusable directory name");
		return PVB_EXIT_USAGE;
	}
	if (resume)
		snprintf(s.dir, sizeof(s.dir), "%s", resume);
	snprintf(s.meta_path, sizeof(s.meta_path), "%s/sweep.json", s.dir);
	rc = load_config(&s, config, resume);
	if (rc)
		goto out;
	if (!resume) {
		if (out) {
			snprintf(s.dir, sizeof(s.dir), "%s", out);
		} else {
			time_t now = time(NULL);
			struct tm tm;
			char stamp[32];

			gmtime_r(&now, &tm);
			strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
			snprintf(s.dir, sizeof(s.dir), "results/runs/%s-sweep-%s", stamp, s.cfg.name);
		}
		snprintf(s.meta_path, sizeof(s.meta_path), "%s/sweep.json", s.dir);
	}
	s.n = pvb_sweep_npoints(&s.cfg);
	s.e = calloc((size_t)s.n, sizeof(*s.e));
	if (!s.e) {
		pvb_err("out of memory");
		rc = PVB_EXIT_FAIL;
		goto out;
	}
	for (int i = 0; i < s.n; i++)
		s.e[i] = (struct pvb_sweep_entry){ .status = PVB_PT_PENDING, .exit_code = -1 };
	if (resume && (rc = pvb_sweep_ledger_read(s.dir, &s.cfg, s.e, s.n)))
		goto out;
	if ((rc = validate_points(&s)))
		goto out;
	if (dry) {
		rc = dry_run(&s, resume);
		goto out;
	}
	rc = resume ? start_resume(&s, argc, argv) : start_new(&s, argc, argv, config);
	if (rc)
		goto out;
	pvb_info("sweep %s: %d points, results in %s", s.cfg.name, s.n, s.dir);
	rc = finish(&s, run_points(&s));
out:
	json_decref(s.meta);
	free(s.e);
	pvb_sweep_config_free(&s.cfg);
	return rc;
}

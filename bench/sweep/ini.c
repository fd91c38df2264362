/* Reading a sweep's INI file: [sweep] (name, iterations, warmup, the axes) and [options]
 * (reboot options for every point), with the line of every mistake. */
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "parse.h"
#include "pvbench.h"
#include "reboot/config.h"
#include "sweep.h"

/* What a sweep's name may hold: it becomes part of a directory name. */
static const char name_chars[] =
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";

#define CONFIG_MAX_BYTES (1 << 20)

struct ini_state {
	struct pvb_sweep_config *cfg;
	const char *origin;
	const char *p;		    /* what the reader has not read yet */
	int line;		    /* the line read last */
	bool indented;		    /* it starts with blank space: inih reads a continuation */
	char section[64], key[64];  /* the key set last, for continuations */
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
		fail_at(st, st->line,
			"line longer than %d characters: continue a list on the "
			"next line, indented",
			num - 3);
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
	/* inih's own report would be a parse error at this line: say what is wrong */
	if (*s == '[' && !strchr(s, ']')) {
		int n = (int)strcspn(s, " \t\r\n;#");

		fail_at(st, st->line, "section header '%.*s' has no closing ']': write %.*s]", n, s,
			n, s);
	}
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

/* "size, backend, ...": the axes' INI keys. */
static const char *axis_list(void)
{
	static char list[256];

	if (!list[0])
		for (int a = 0; a < PVB_SWEEP_NAXES; a++)
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
				 a ? ", " : "", pvb_sweep_axis_names[a]);
	return list;
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
			return fail_at(st, st->line,
				       "this indented line continues '%s': start a new "
				       "key at the beginning of its line",
				       name);
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
			return fail_at(st, st->line,
				       "name '%s': use 1 to %zu of A-Z a-z 0-9 . _ - "
				       "(it becomes part of the results directory's name)",
				       value, sizeof(cfg->name) - 1);
		snprintf(cfg->name, sizeof(cfg->name), "%s", value);
		st->name_line = st->line;
		return 1;
	}
	if (!strcmp(key, "iterations") || !strcmp(key, "warmup")) {
		bool iter = key[0] == 'i';
		int *line = iter ? &st->iter_line : &st->warmup_line;

		if (*line)
			return fail_at(st, st->line, "'%s' given twice (first on line %d)", name,
				       *line);
		if (pvb_parse_uint(value, iter ? 1 : 0, 1000000, &v))
			return fail_at(st, st->line, "%s = '%s': not a count %s", name, value,
				       iter ? ">= 1" : ">= 0");
		*(iter ? &cfg->iterations : &cfg->warmup) = (int)v;
		*line = st->line;
		return 1;
	}
	return fail_at(st, st->line,
		       "unknown key '%s' in [sweep] (keys: name, iterations, warmup, "
		       "and the axes %s)",
		       name, axis_list());
}

static int option_key(struct ini_state *st, const char *name, const char *value, bool cont)
{
	struct pvb_sweep_config *cfg = st->cfg;
	const struct pvb_opt *opt;
	struct pvb_sweep_option *o;
	char key[64];

	if (cont)
		return fail_at(st, st->line, "option '%s' takes one value: no continuation lines",
			       name);
	if (name[0] == '-')
		return fail_at(st, st->line,
			       "option '%s': write it without dashes, e.g. "
			       "'floor-gap = 500' or 'scrub = true'",
			       name);
	if (strlen(name) >= sizeof(key) ||
	    name[strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-_")])
		return fail_at(st, st->line, "option '%s': not a pvbench reboot option name", name);
	normalize(key, sizeof(key), name, '_', '-');
	for (int a = 0; a < PVB_SWEEP_NAXES; a++)
		if (!strcmp(key, pvb_sweep_axis_options[a]))
			return fail_at(st, st->line,
				       "'%s' is an axis: set it in [sweep] "
				       "(a single value is fine)",
				       name);
	if (!strcmp(key, "iterations") || !strcmp(key, "warmup"))
		return fail_at(st, st->line, "'%s' belongs in [sweep]", name);
	opt = pvb_reboot_option(key);
	if (!opt)
		return fail_at(st, st->line,
			       "option '%s': not a pvbench reboot option (see pvbench "
			       "reboot --help)",
			       name);
	if (opt->flags & PVB_OPTF_NOINI)
		return fail_at(st, st->line, "option '%s' is set by the sweep itself", name);
	for (int i = 0; i < cfg->noptions; i++)
		if (!strcmp(cfg->options[i].key, key))
			return fail_at(st, st->line, "option '%s' given twice (first on line %d)",
				       name, st->option_line[i]);
	if (!*value)
		return fail_at(st, st->line,
			       "option '%s' has no value: give one, or true for "
			       "a flag",
			       name);
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
		ok = fail_at(st, st->line,
			     "'%s' before any section: put it under [sweep] or "
			     "[options]",
			     name);
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
				return fail_at(st, line, "%s: text around a quoted item: %s", name,
					       item);
			item[n - 1] = '\0';
			item++;
		} else if (strchr(item, '"')) {
			return fail_at(st, line, "%s: a quote inside an item: %s", name, item);
		}
		if (!*item)
			return fail_at(st, line, "%s: empty item in the list", name);
		if (cfg->nvalues[a] == PVB_SWEEP_MAX_VALUES)
			return fail_at(st, line, "%s: more than %d values", name,
				       PVB_SWEEP_MAX_VALUES);
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

static bool any_axis(const struct pvb_sweep_config *cfg)
{
	for (int a = 0; a < PVB_SWEEP_NAXES; a++)
		if (cfg->nvalues[a])
			return true;
	return false;
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
	if (!cfg->error[0] && !st.oom && !any_axis(cfg))
		snprintf(cfg->error, sizeof(cfg->error),
			 "%s: nothing to run: no axis in [sweep] "
			 "(give at least one, e.g. 'size = 1G'; axes: %s)",
			 origin, axis_list());
	if (!cfg->error[0] && !st.oom && !cfg->name[0]) {
		default_name(cfg, origin);
		if (!cfg->name[0])
			snprintf(cfg->error, sizeof(cfg->error),
				 "%s: no name in [sweep], and the "
				 "file name does not make one: add 'name = ...'",
				 origin);
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

char *pvb_sweep_read_text(const char *path)
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
	char *text = pvb_sweep_read_text(path);
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
	json_object_set_new(o, "iterations",
			    cfg->iterations < 0 ? json_null() : json_integer(cfg->iterations));
	json_object_set_new(o, "warmup", cfg->warmup < 0 ? json_null() : json_integer(cfg->warmup));
	json_object_set_new(o, "options", opts);
	json_object_set_new(o, "points", json_integer(pvb_sweep_npoints(cfg)));
	return o;
}

/* A fleet file for pvbench plan (INI, read with inih): [host] cores, memory, cleanup_cores,
 * mode, cleanup_threads, placement; [class NAME] size, count, reboots_per_hour; [storm] guests,
 * class. Every key is checked; a mistake is FILE:LINE and what is wrong. */
#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "plan.h"
#include "pvbench.h"

#define FLEET_MAX_BYTES (1 << 20)

struct fleet_state {
	struct pvb_fleet *f;
	char msg[400];			/* the first mistake, without its line */
	unsigned seen_host, seen_storm; /* bit per key given */
	unsigned seen_cls[PVB_FLEET_MAX_CLASSES];
	char storm_class[64];
};

static int fail(struct fleet_state *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct fleet_state *st, const char *fmt, ...)
{
	va_list ap;

	if (!st->msg[0]) {
		va_start(ap, fmt);
		vsnprintf(st->msg, sizeof(st->msg), fmt, ap);
		va_end(ap);
	}
	return 0;
}

static int key_index(const char *name, const char *const *keys, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(name, keys[i]))
			return i;
	return -1;
}

/* Mark key i of a section given; 0 (a mistake) when it was given before. */
static int once(struct fleet_state *st, unsigned *seen, int i, const char *name)
{
	if (*seen & (1u << i))
		return fail(st, "'%s' given twice in this section", name);
	*seen |= 1u << i;
	return 1;
}

static int parse_count(struct fleet_state *st, const char *name, const char *v, uint64_t min,
		       uint64_t max, uint64_t *out)
{
	if (pvb_parse_uint(v, min, max, out))
		return fail(st, "%s '%s': want a whole number in [%llu, %llu]", name, v,
			    (unsigned long long)min, (unsigned long long)max);
	return 1;
}

static int parse_bytes(struct fleet_state *st, const char *name, const char *v, uint64_t *out)
{
	if (pvb_parse_size(v, out) || !*out)
		return fail(st, "%s '%s': want a size such as 16G or 1T", name, v);
	return 1;
}

static const char *const host_keys[] = { "cores", "memory",	     "cleanup_cores",
					 "mode",  "cleanup_threads", "placement" };

static int host_key(struct fleet_state *st, const char *name, const char *v)
{
	struct pvb_fleet *f = st->f;
	int i = key_index(name, host_keys, 6);
	uint64_t u;

	if (i < 0)
		return fail(st,
			    "unknown key '%s' in [host] (cores, memory, cleanup_cores, mode, "
			    "cleanup_threads, placement)",
			    name);
	if (!once(st, &st->seen_host, i, name))
		return 0;
	switch (i) {
	case 0:
	case 2:
	case 4:
		if (!parse_count(st, name, v, 1, 1u << 20, &u))
			return 0;
		*(i == 0 ? &f->cores : i == 2 ? &f->cleanup_cores : &f->cthreads) = (unsigned)u;
		return 1;
	case 1:
		return parse_bytes(st, name, v, &f->memory);
	case 3:
		if (strcmp(v, "sync") && strcmp(v, "async"))
			return fail(st, "mode '%s': want sync or async", v);
		f->mode = strcmp(v, "sync") ? PVB_DS_ASYNC : PVB_DS_SYNC;
		return 1;
	default:
		if (!v[0] || strlen(v) >= sizeof(f->placement) || strchr(v, ' '))
			return fail(st, "placement '%s': want a policy as pvbench reboot takes it",
				    v);
		snprintf(f->placement, sizeof(f->placement), "%s", v);
		return 1;
	}
}

static const char *const class_keys[] = { "size", "count", "reboots_per_hour" };

static int class_key(struct fleet_state *st, const char *cname, const char *name, const char *v)
{
	struct pvb_fleet *f = st->f;
	struct pvb_fleet_class *c = NULL;
	int i = key_index(name, class_keys, 3);
	size_t ci;
	char *end;

	for (ci = 0; ci < f->nclasses && strcmp(f->cls[ci].name, cname); ci++)
		;
	if (ci < f->nclasses)
		c = &f->cls[ci];
	if (i < 0)
		return fail(st, "unknown key '%s' in [class %s] (size, count, reboots_per_hour)",
			    name, cname);
	if (!c) {
		if (f->nclasses == PVB_FLEET_MAX_CLASSES)
			return fail(st, "more than %d classes", PVB_FLEET_MAX_CLASSES);
		if (!cname[0] || strlen(cname) >= sizeof(c->name) || strchr(cname, ' '))
			return fail(st, "[class %s]: want a class name of one word", cname);
		c = &f->cls[ci = f->nclasses++];
		snprintf(c->name, sizeof(c->name), "%s", cname);
		c->reboots_per_hour = NAN;
	}
	if (!once(st, &st->seen_cls[ci], i, name))
		return 0;
	if (i == 0)
		return parse_bytes(st, name, v, &c->size);
	if (i == 1)
		return parse_count(st, name, v, 1, 100000000, &c->count);
	errno = 0;
	c->reboots_per_hour = strtod(v, &end);
	if (end == v || *end || errno || !isfinite(c->reboots_per_hour) ||
	    c->reboots_per_hour < 0 || c->reboots_per_hour > 3600)
		return fail(st, "reboots_per_hour '%s': want a number in [0, 3600]", v);
	return 1;
}

static int storm_key(struct fleet_state *st, const char *name, const char *v)
{
	static const char *const keys[] = { "guests", "class" };
	int i = key_index(name, keys, 2);

	if (i < 0)
		return fail(st, "unknown key '%s' in [storm] (guests, class)", name);
	if (!once(st, &st->seen_storm, i, name))
		return 0;
	if (i == 0)
		return parse_count(st, name, v, 1, 100000000, &st->f->storm_guests);
	if (!v[0] || strlen(v) >= sizeof(st->storm_class))
		return fail(st, "class '%s': want the name of a [class NAME] section", v);
	snprintf(st->storm_class, sizeof(st->storm_class), "%s", v);
	return 1;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct fleet_state *st = user;

	if (st->msg[0])
		return 0;
	if (!strcmp(section, "host"))
		return host_key(st, name, value);
	if (!strncmp(section, "class ", 6))
		return class_key(st, section + 6, name, value);
	if (!strcmp(section, "storm"))
		return storm_key(st, name, value);
	return fail(st, "unknown section [%s] (host, class NAME, storm)", section);
}

/* What the file must hold, once it is read. */
static int check_fleet(struct fleet_state *st)
{
	struct pvb_fleet *f = st->f;

	if (!(st->seen_host & 1) || !(st->seen_host & 2))
		return fail(st, "[host] needs cores and memory");
	if (!(st->seen_host & 4))
		f->cleanup_cores = f->cores;
	if (f->cleanup_cores > f->cores)
		return fail(st, "[host] cleanup_cores %u is more than cores %u", f->cleanup_cores,
			    f->cores);
	if (!f->nclasses)
		return fail(st, "no [class NAME] section: describe at least one class of guests");
	for (size_t i = 0; i < f->nclasses; i++)
		if (st->seen_cls[i] != 7)
			return fail(st, "[class %s] needs size, count and reboots_per_hour",
				    f->cls[i].name);
	f->storm_class = 0;
	for (size_t i = 1; i < f->nclasses; i++)
		if (f->cls[i].size > f->cls[f->storm_class].size)
			f->storm_class = (int)i;
	if (st->seen_storm && !(st->seen_storm & 1))
		return fail(st, "[storm] needs guests");
	if (st->storm_class[0]) {
		size_t i;

		for (i = 0; i < f->nclasses && strcmp(f->cls[i].name, st->storm_class); i++)
			;
		if (i == f->nclasses)
			return fail(st, "[storm] class '%s' is not a [class NAME] section",
				    st->storm_class);
		f->storm_class = (int)i;
	}
	if (f->storm_guests > f->cls[f->storm_class].count)
		return fail(st, "[storm] guests %llu: class %s has only %llu",
			    (unsigned long long)f->storm_guests, f->cls[f->storm_class].name,
			    (unsigned long long)f->cls[f->storm_class].count);
	return 1;
}

int pvb_fleet_parse(const char *text, const char *origin, struct pvb_fleet *f)
{
	struct fleet_state st = { .f = f };
	int line;

	memset(f, 0, sizeof(*f));
	f->mode = PVB_DS_ASYNC;
	f->cthreads = 1;
	snprintf(f->placement, sizeof(f->placement), "unpinned");
	line = ini_parse_string(text, handler, &st);
	if (line < 0) {
		snprintf(f->error, sizeof(f->error), "%s: out of memory", origin);
		return -1;
	}
	if (line) {
		snprintf(f->error, sizeof(f->error), "%s:%d: %s", origin, line,
			 st.msg[0] ? st.msg :
				     "not a line of an INI file ([section] or key = value)");
		return -1;
	}
	if (!check_fleet(&st)) {
		snprintf(f->error, sizeof(f->error), "%s: %s", origin, st.msg);
		return -1;
	}
	return 0;
}

int pvb_fleet_load(const char *path, struct pvb_fleet *f)
{
	FILE *fp = fopen(path, "r");
	char *text;
	size_t n;
	int rc = 0;

	if (!fp) {
		pvb_perror("plan: --fleet %s", path);
		return PVB_EXIT_USAGE;
	}
	text = malloc(FLEET_MAX_BYTES + 1);
	if (!text) {
		fclose(fp);
		pvb_err("plan: out of memory");
		return PVB_EXIT_FAIL;
	}
	n = fread(text, 1, FLEET_MAX_BYTES + 1, fp);
	if (ferror(fp) || n > FLEET_MAX_BYTES || memchr(text, '\0', n)) {
		pvb_err("plan: --fleet %s: %s", path,
			ferror(fp) ? "read error" : "not a text file of at most 1 MiB");
		rc = PVB_EXIT_USAGE;
	}
	fclose(fp);
	if (!rc) {
		text[n] = '\0';
		if (pvb_fleet_parse(text, path, f)) {
			pvb_err("plan: %s", f->error);
			rc = PVB_EXIT_USAGE;
		}
	}
	free(text);
	return rc;
}

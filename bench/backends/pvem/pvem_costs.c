/* pv-emulated settings: the documented default costs, and cost files (INI) written by
 * `pvbench calibrate` and read with --pv-costs. */
#include <errno.h>
#include <ini.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvbench.h"
#include "pvem.h"
#include "report/results.h"

/* Assumed, not measured: nobody has published per-operation Ultravisor costs, and this
 * project has no z16. They are round figures of the right order for a 4 KiB page (clearing
 * 4 KiB takes ~0.3-1 us on a modern core; an import or export adds a UV call and, for
 * export, encryption). Replace them with `pvbench calibrate RUN_DIR` from a real pv run. */
void pvem_defaults(struct pvem_settings *s)
{
	memset(s, 0, sizeof(*s));
	s->c.import_ns = 1500;
	s->c.export_ns = 2500;
	s->c.destroy_page_ns = 1000;
	s->c.unpack_page_ns = 4000;
	s->c.create_config_ns = 2000000;
	s->c.destroy_config_ns = 1000000;
	s->c.create_cpu_ns = 50000;
	s->c.destroy_cpu_ns = 50000;
	s->c.set_sec_parms_ns = 500000;
	s->c.verify_ns = 200000;
	s->c.walk_page_ns = 100;
	s->misc = false;
	s->destroy_fast = false;
	s->async_destroy = true;
	snprintf(s->source, sizeof(s->source), "assumed defaults (not measured on a z16)");
}

static const struct {
	const char *key;
	size_t off;
} cost_keys[] = {
#define K(f)                                       \
	{                                          \
#f, offsetof(struct pvem_costs, f) \
	}
	K(import_ns),	     K(export_ns),	   K(destroy_page_ns), K(unpack_page_ns),
	K(create_config_ns), K(destroy_config_ns), K(create_cpu_ns),   K(destroy_cpu_ns),
	K(set_sec_parms_ns), K(verify_ns),	   K(walk_page_ns),
#undef K
};

static const struct {
	const char *key;
	size_t off;
} flag_keys[] = {
	{ "misc", offsetof(struct pvem_settings, misc) },
	{ "destroy_fast", offsetof(struct pvem_settings, destroy_fast) },
	{ "async_destroy", offsetof(struct pvem_settings, async_destroy) },
	{ "discard", offsetof(struct pvem_settings, discard) },
};

struct load_state {
	struct pvem_settings *s;
	char *err;
	size_t len;
	bool bad;
};

static int on_key(void *user, const char *section, const char *name, const char *value)
{
	struct load_state *st = user;
	char *end;

	if (!strcmp(section, "costs")) {
		for (size_t i = 0; i < sizeof(cost_keys) / sizeof(cost_keys[0]); i++) {
			unsigned long long v;

			if (strcmp(name, cost_keys[i].key))
				continue;
			errno = 0;
			v = strtoull(value, &end, 10);
			if (errno || end == value || *end || value[0] == '-' ||
			    v > 10000000000ULL) {
				snprintf(st->err, st->len,
					 "[costs] %s = '%s': give nanoseconds, an "
					 "integer from 0 to 10000000000",
					 name, value);
				st->bad = true;
				return 0;
			}
			*(uint64_t *)((char *)&st->s->c + cost_keys[i].off) = v;
			return 1;
		}
	} else if (!strcmp(section, "features")) {
		for (size_t i = 0; i < sizeof(flag_keys) / sizeof(flag_keys[0]); i++) {
			if (strcmp(name, flag_keys[i].key))
				continue;
			if (strcmp(value, "0") && strcmp(value, "1")) {
				snprintf(st->err, st->len, "[features] %s = '%s': give 0 or 1",
					 name, value);
				st->bad = true;
				return 0;
			}
			*(bool *)((char *)st->s + flag_keys[i].off) = value[0] == '1';
			return 1;
		}
	} else if (!strcmp(section, "source")) {
		return 1;
	}
	snprintf(st->err, st->len,
		 "unknown key [%s] %s (known: [costs] import_ns export_ns "
		 "destroy_page_ns unpack_page_ns create_config_ns destroy_config_ns create_cpu_ns "
		 "destroy_cpu_ns set_sec_parms_ns verify_ns walk_page_ns; [features] misc "
		 "destroy_fast async_destroy discard)",
		 section, name);
	st->bad = true;
	return 0;
}

int pvem_load(const char *path, struct pvem_settings *s, char *err, size_t len)
{
	struct load_state st = { s, err, len, false };
	FILE *f = fopen(path, "r");
	int rc;

	if (!f) {
		snprintf(err, len,
			 "cannot read cost file %s: %s (write one with `pvbench calibrate "
			 "RUN_DIR`)",
			 path, strerror(errno));
		return PVB_EXIT_USAGE;
	}
	rc = ini_parse_file(f, on_key, &st);
	fclose(f);
	if (st.bad) {
		char m[512];

		snprintf(m, sizeof(m), "%s", err);
		snprintf(err, len, "%s: %s", path, m);
		return PVB_EXIT_USAGE;
	}
	if (rc) {
		snprintf(err, len, "%s: line %d is not INI (section headers and key = value)", path,
			 rc);
		return PVB_EXIT_USAGE;
	}
	snprintf(s->source, sizeof(s->source), "cost file %s", path);
	return 0;
}

int pvem_save(const char *path, const struct pvem_settings *s, const char *comment)
{
	char buf[4096];
	size_t n = 0;

	n += (size_t)snprintf(buf + n, sizeof(buf) - n,
			      "# pvbench pv-emulated cost file: per-operation costs in ns.\n");
	/* snprintf returns what it would have written: past the end, n stays put (a long
	 * comment line, e.g. a long RUN_DIR, must not make sizeof(buf) - n wrap). */
	for (const char *c = comment; c && *c && n < sizeof(buf) - 8;) {
		const char *nl = strchr(c, '\n');
		int l = nl ? (int)(nl - c) : (int)strlen(c);

		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "# %.*s\n", l, c);
		c += l + (nl ? 1 : 0);
	}
	if (n < sizeof(buf))
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "[costs]\n");
	for (size_t i = 0; i < sizeof(cost_keys) / sizeof(cost_keys[0]) && n < sizeof(buf); i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s = %" PRIu64 "\n",
				      cost_keys[i].key,
				      *(const uint64_t *)((const char *)&s->c + cost_keys[i].off));
	if (n < sizeof(buf))
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "[features]\n");
	for (size_t i = 0; i < sizeof(flag_keys) / sizeof(flag_keys[0]) && n < sizeof(buf); i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s = %d\n", flag_keys[i].key,
				      *(const bool *)((const char *)s + flag_keys[i].off));
	if (n >= sizeof(buf)) {
		pvb_err("cost file %s: comment too long", path);
		return -1;
	}
	return pvb_write_file_atomic(path, buf, n);
}

json_t *pvem_settings_json(const struct pvem_settings *s)
{
	json_t *o = json_object(), *c = json_object();

	for (size_t i = 0; i < sizeof(cost_keys) / sizeof(cost_keys[0]); i++)
		json_object_set_new(
			c, cost_keys[i].key,
			json_integer((json_int_t) *
				     (const uint64_t *)((const char *)&s->c + cost_keys[i].off)));
	json_object_set_new(o, "costs", c);
	for (size_t i = 0; i < sizeof(flag_keys) / sizeof(flag_keys[0]); i++)
		json_object_set_new(
			o, flag_keys[i].key,
			json_boolean(*(const bool *)((const char *)s + flag_keys[i].off)));
	json_object_set_new(o, "source", json_string(s->source));
	return o;
}

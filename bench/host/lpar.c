/* /proc/sysinfo and /sys/firmware/uv/query read into JSON (lpar.h): the parser takes the
 * text, so that the unit test runs it on a fixture on every architecture. */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lpar.h"
#include "pvbench.h"

/* "Label:" of /proc/sysinfo -> member; integer when num. */
static const struct {
	const char *label, *key;
	bool num;
} fields[] = {
	{ "Manufacturer", "manufacturer", false },
	{ "Type", "type", false },
	{ "Model", "model", false },
	{ "Sequence Code", "sequence_code", false },
	{ "Plant", "plant", false },
	{ "Model Capacity", "model_capacity", false },
	{ "Capacity Adj. Ind.", "capacity_adj_ind", true },
	{ "Capacity Ch. Reason", "capacity_change_reason", true },
	{ "LPAR Number", "lpar_number", true },
	{ "LPAR Name", "lpar_name", false },
	{ "LPAR Extended Name", "lpar_extended_name", false },
	{ "LPAR UUID", "lpar_uuid", false },
	{ "LPAR Adjustment", "lpar_adjustment", true },
	{ "LPAR CPUs Total", "lpar_cpus_total", true },
	{ "LPAR CPUs Configured", "lpar_cpus_configured", true },
	{ "LPAR CPUs Standby", "lpar_cpus_standby", true },
	{ "LPAR CPUs Reserved", "lpar_cpus_reserved", true },
	{ "LPAR CPUs Dedicated", "lpar_cpus_dedicated", true },
	{ "LPAR CPUs Shared", "lpar_cpus_shared", true },
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* "Model:   400              LT1": runs of blanks become one. */
static void squeeze(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++)
		if (!((*r == ' ' || *r == '\t') && w > s && w[-1] == ' '))
			*w++ = *r == '\t' ? ' ' : *r;
	*w = '\0';
}

static int put_value(json_t *o, const char *key, const char *v, bool num)
{
	char *end;
	long long n;

	if (num) {
		errno = 0;
		n = strtoll(v, &end, 10);
		if (!errno && end != v && !*end)
			return json_object_set_new(o, key, json_integer(n));
	}
	return json_object_set_new(o, key, json_string(v));
}

/* "LPAR Characteristics: Dedicated Shared Limited" (any of them). */
static int put_characteristics(json_t *o, const char *v)
{
	int rc = json_object_set_new(o, "lpar_characteristics", json_string(v));

	rc |= json_object_set_new(o, "dedicated", json_boolean(strstr(v, "Dedicated") != NULL));
	rc |= json_object_set_new(o, "shared", json_boolean(strstr(v, "Shared") != NULL));
	rc |= json_object_set_new(o, "capped", json_boolean(strstr(v, "Limited") != NULL));
	return rc;
}

/* "VM00 Name:" / "VM00 Control Program:": the hypervisor levels above the LPAR. */
static int put_hypervisor(json_t *hv, const char *label, const char *v)
{
	unsigned level;
	char what[64];
	json_t *e;

	if (sscanf(label, "VM%2u %63[^\n]", &level, what) != 2 || level > 99)
		return 0;
	if (strcmp(what, "Name") && strcmp(what, "Control Program"))
		return 0;
	while (json_array_size(hv) <= level) {
		e = json_pack("{s:i}", "level", (int)json_array_size(hv));
		if (!e || json_array_append_new(hv, e))
			return -1;
	}
	e = json_array_get(hv, level);
	return json_object_set_new(e, strcmp(what, "Name") ? "control_program" : "name",
				   json_string(v));
}

static int parse_line(json_t *o, json_t *hv, char *line)
{
	char *colon = strchr(line, ':'), *label, *v;

	if (!colon)
		return 0;
	*colon = '\0';
	label = trim(line);
	v = trim(colon + 1);
	squeeze(v);
	if (!strcmp(label, "LPAR Characteristics"))
		return put_characteristics(o, v);
	if (!strncmp(label, "VM", 2))
		return put_hypervisor(hv, label, v);
	for (size_t i = 0; i < NFIELDS; i++)
		if (!strcmp(label, fields[i].label))
			return put_value(o, fields[i].key, v, fields[i].num);
	return 0;
}

json_t *pvb_lpar_parse(const char *text)
{
	json_t *o = json_object(), *hv = json_array();
	char *copy = strdup(text), *save = NULL;
	int rc = !o || !hv || !copy;

	for (char *line = rc ? NULL : strtok_r(copy, "\n", &save); line && !rc;
	     line = strtok_r(NULL, "\n", &save))
		rc = parse_line(o, hv, line);
	free(copy);
	if (!rc && json_array_size(hv))
		rc = json_object_set(o, "hypervisors", hv);
	json_decref(hv);
	if (rc) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* The whole of a small file (at most 1 MiB), to free; NULL (errno set) when it cannot be
 * read. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	size_t cap = 4096, n = 0, got;
	char *buf = NULL, *p;
	int err = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (!buf || cap - n < 2) {
			p = cap > (1u << 20) ? NULL : realloc(buf, buf ? cap *= 2 : cap);
			if (!p) {
				err = buf ? EFBIG : ENOMEM;
				break;
			}
			buf = p;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0) {
			err = ferror(f) ? EIO : 0;
			break;
		}
	}
	fclose(f);
	if (err) {
		free(buf);
		errno = err;
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

json_t *pvb_lpar_json(const char *path)
{
	char *text = slurp(path);
	json_t *o;

	if (!text)
		return json_pack("{s:o}", "error", json_sprintf("%s: %s", path, strerror(errno)));
	o = pvb_lpar_parse(text);
	free(text);
	return o;
}

json_t *pvb_uv_query_json(const char *dir)
{
	DIR *d = opendir(dir);
	json_t *o;
	struct dirent *e;
	char path[4200], *text;

	if (!d)
		return NULL;
	o = json_object();
	while (o && (e = readdir(d))) {
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		text = slurp(path);
		json_object_set_new(o, e->d_name,
				    text ? json_string(trim(text)) :
					   json_sprintf("unreadable: %s", strerror(errno)));
		free(text);
	}
	closedir(d);
	return o;
}

json_t *pvb_s390_host_json(void)
{
	json_t *o = json_object(), *uv;
	int err;

	if (!o)
		return NULL;
#ifdef __s390x__
	json_object_set_new(o, "sysinfo", pvb_lpar_json(PVB_PROC_SYSINFO));
#else
	json_object_set_new(o, "sysinfo", json_string("not present: not an s390x host"));
#endif
	uv = pvb_uv_query_json(PVB_UV_QUERY_DIR);
	err = errno;
	json_object_set_new(o, "uv_query",
			    uv		  ? uv :
			    err == ENOENT ? json_string("not present: no " PVB_UV_QUERY_DIR
							" (not s390x, or no Ultravisor)") :
					    json_sprintf("not present: " PVB_UV_QUERY_DIR ": %s",
							 strerror(err)));
	return o;
}

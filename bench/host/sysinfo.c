/* The host description as JSON: kernel, CPU, topology (hwloc), NUMA, memory and THP facts
 * read from uname, /proc and /sys, with the KVM part from kvmcaps.c; `pvbench info` prints
 * it, every run records it in meta.json. */
#include <errno.h>
#include <hwloc.h>
#include <limits.h>
#include <numa.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "lpar.h"
#include "pvbench.h"
#include "sysinfo.h"
#include "sysinfo_int.h"

#ifndef PVB_VERSION
#define PVB_VERSION "unknown"
#endif

#define THP_DIR	       "/sys/kernel/mm/transparent_hugepage"
#define HUGETLB_2M_DIR "/sys/kernel/mm/hugepages/hugepages-2048kB"
#define HUGETLB_2M_ABSENT                                                  \
	"absent: no 2 MiB hugetlb pages (kernel without hugetlbfs, or an " \
	"architecture with other sizes, e.g. 1 MiB on s390x)"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static bool oom_reported;

/* json_object_set_new() frees the value on failure; all that is left is to say so once. */
void pvb_si_put(json_t *obj, const char *key, json_t *val)
{
	if (json_object_set_new(obj, key, val) && !oom_reported) {
		oom_reported = true;
		pvb_warn("host description incomplete: cannot store \"%s\" (out of memory?)", key);
	}
}

json_t *pvb_si_str(const char *s)
{
	json_t *j;
	char *copy;
	size_t i;

	if (!s)
		return json_null();
	j = json_string(s);
	if (j)
		return j;
	copy = strdup(s);
	if (!copy)
		return json_null();
	for (i = 0; copy[i]; i++)
		if ((unsigned char)copy[i] >= 0x80 || (unsigned char)copy[i] < 0x20)
			copy[i] = '?';
	j = json_string(copy);
	free(copy);
	return j ? j : json_null();
}

void pvb_si_put_str(json_t *obj, const char *key, const char *s)
{
	pvb_si_put(obj, key, pvb_si_str(s));
}

void pvb_si_put_int(json_t *obj, const char *key, long long v)
{
	pvb_si_put(obj, key, json_integer(v));
}

void pvb_si_put_err(json_t *obj, const char *key, const char *fmt, ...)
{
	char ekey[128], msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(ekey, sizeof(ekey), "%s_error", key);
	pvb_si_put(obj, key, json_null());
	pvb_si_put_str(obj, ekey, msg);
}

/* A file that could not be read (errno): null with absent_why if it does not exist. */
static void put_unreadable(json_t *obj, const char *key, const char *path, const char *absent_why)
{
	if (errno == ENOENT && absent_why)
		pvb_si_put_err(obj, key, "%s", absent_why);
	else
		pvb_si_put_err(obj, key, "%s: %s", path, strerror(errno));
}

void pvb_si_put_file(json_t *obj, const char *key, const char *path, const char *absent_why)
{
	char buf[256];

	if (pvb_read_text(path, buf, sizeof(buf)) == 0)
		pvb_si_put_str(obj, key, buf);
	else
		put_unreadable(obj, key, path, absent_why);
}

static void put_file_int(json_t *obj, const char *key, const char *path, const char *absent_why)
{
	char buf[64], *end;
	long long v;

	if (pvb_read_text(path, buf, sizeof(buf))) {
		put_unreadable(obj, key, path, absent_why);
		return;
	}
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (errno || end == buf || *end) {
		pvb_si_put_err(obj, key, "%s: not an integer: \"%s\"", path, buf);
		return;
	}
	pvb_si_put_int(obj, key, v);
}

static void put_choice(json_t *obj, const char *key, const char *path)
{
	char buf[128];

	/* pvb_read_sysfs_choice() hides the reason of a failure: look first. */
	if (pvb_read_text(path, buf, sizeof(buf))) {
		pvb_si_put_err(obj, key, "%s: %s", path, strerror(errno));
		return;
	}
	pvb_read_sysfs_choice(path, buf, sizeof(buf));
	pvb_si_put_str(obj, key, buf);
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word))) {
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
		p += n;
	}
	return false;
}

static void version_string(unsigned v, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u", (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
}

/* The kernel command line (COMMAND_LINE_SIZE is 4096 on s390x, 2048 on x86). */
static void kernel_cmdline(json_t *o)
{
	char buf[4097];

	if (pvb_read_text("/proc/cmdline", buf, sizeof(buf)))
		pvb_si_put_err(o, "cmdline", "/proc/cmdline: %s", strerror(errno));
	else
		pvb_si_put_str(o, "cmdline", buf);
}

static json_t *kernel_json(void)
{
	json_t *o = json_object();
	struct utsname u;

	if (!o)
		return json_null();
	if (uname(&u)) {
		const char *why = strerror(errno);

		pvb_si_put_err(o, "sysname", "uname: %s", why);
		pvb_si_put_err(o, "release", "uname: %s", why);
		pvb_si_put_err(o, "version", "uname: %s", why);
		pvb_si_put_err(o, "machine", "uname: %s", why);
		return o;
	}
	pvb_si_put_str(o, "sysname", u.sysname);
	pvb_si_put_str(o, "release", u.release);
	pvb_si_put_str(o, "version", u.version);
	pvb_si_put_str(o, "machine", u.machine);
	kernel_cmdline(o);
	return o;
}

/*
 * The CPU model, generically: "model name" (x86, some arm64), else s390's machine type
 * (per-CPU blocks: "machine : 8561"; the summary line: "processor 0: version = FF,
 * identification = 0133E8,  machine = 8561"), else "cpu" (powerpc), else "vendor_id".
 * x86 "flags" also tell whether we run under a hypervisor and which hardware
 * virtualization the CPU offers (s390 "features" list "sie").
 */
static void cpu_info(json_t *o)
{
	char model[256] = "", machine[64] = "", vendor[64] = "", ppc[128] = "";
	const char *hw_virt = NULL;
	bool flags_seen = false, x86_flags = false, hypervisor = false;
	char *line = NULL, *key, *val, *p;
	size_t cap = 0;
	FILE *f = fopen("/proc/cpuinfo", "re");

	if (!f) {
		pvb_si_put_err(o, "model", "/proc/cpuinfo: %s", strerror(errno));
		pvb_si_put_err(o, "hypervisor", "/proc/cpuinfo unreadable");
		pvb_si_put_err(o, "hw_virt", "/proc/cpuinfo unreadable");
		return;
	}
	while (getline(&line, &cap, f) > 0) {
		p = strchr(line, ':');
		if (!p)
			continue;
		*p = '\0';
		key = trim(line);
		val = trim(p + 1);
		if (!model[0] && !strcmp(key, "model name")) {
			snprintf(model, sizeof(model), "%s", val);
		} else if (!machine[0] && !strcmp(key, "machine")) {
			snprintf(machine, sizeof(machine), "%s", val);
		} else if (!machine[0] && !strncmp(key, "processor ", 10) &&
			   (p = strstr(val, "machine = "))) {
			p += strlen("machine = ");
			snprintf(machine, sizeof(machine), "%.*s", (int)strcspn(p, ", "), p);
		} else if (!vendor[0] && !strcmp(key, "vendor_id")) {
			snprintf(vendor, sizeof(vendor), "%s", val);
		} else if (!ppc[0] && !strcmp(key, "cpu")) {
			snprintf(ppc, sizeof(ppc), "%s", val);
		} else if (!flags_seen && (!strcmp(key, "flags") || !strcmp(key, "features"))) {
			flags_seen = true;
			x86_flags = !strcmp(key, "flags");
			hypervisor = has_word(val, "hypervisor");
			if (has_word(val, "vmx"))
				hw_virt = "vmx";
			else if (has_word(val, "svm"))
				hw_virt = "svm";
			else if (has_word(val, "sie"))
				hw_virt = "sie";
			else
				hw_virt = "none";
		}
	}
	if (ferror(f))
		pvb_warn("reading /proc/cpuinfo: %s", strerror(errno));
	free(line);
	fclose(f);

	if (model[0])
		pvb_si_put_str(o, "model", model);
	else if (machine[0])
		pvb_si_put(o, "model",
			   json_sprintf("%s machine %s", vendor[0] ? vendor : "IBM/S390", machine));
	else if (ppc[0])
		pvb_si_put_str(o, "model", ppc);
	else if (vendor[0])
		pvb_si_put_str(o, "model", vendor);
	else
		pvb_si_put_err(o, "model",
			       "no model name, machine, cpu or vendor_id in /proc/cpuinfo");

	if (x86_flags)
		pvb_si_put(o, "hypervisor", json_boolean(hypervisor));
	else
		pvb_si_put_err(o, "hypervisor",
			       "unknown: only x86 /proc/cpuinfo has a hypervisor flag");
	if (hw_virt)
		pvb_si_put_str(o, "hw_virt", hw_virt);
	else
		pvb_si_put_err(o, "hw_virt", "no flags or features line in /proc/cpuinfo");
}

static json_t *cpu_json(void)
{
	json_t *o = json_object();
	long n;

	if (!o)
		return json_null();
	cpu_info(o);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 0)
		pvb_si_put_err(o, "online", "sysconf(_SC_NPROCESSORS_ONLN): %s", strerror(errno));
	else
		pvb_si_put_int(o, "online", n);
	pvb_si_put_file(o, "smt", "/sys/devices/system/cpu/smt/control",
			"absent: kernel without SMT control (or no SMT on this architecture)");
	return o;
}

/* Objects of a type, summed over depths (hwloc reports DEPTH_MULTIPLE for e.g. Groups). */
static int count_type(hwloc_topology_t topo, hwloc_obj_type_t type)
{
	int depth = hwloc_get_type_depth(topo, type);
	int d, ndepth, n = 0;

	if (depth == HWLOC_TYPE_DEPTH_UNKNOWN)
		return 0;
	if (depth != HWLOC_TYPE_DEPTH_MULTIPLE)
		return (int)hwloc_get_nbobjs_by_depth(topo, depth);
	ndepth = hwloc_topology_get_depth(topo);
	for (d = 0; d < ndepth; d++)
		if (hwloc_get_depth_type(topo, d) == type)
			n += (int)hwloc_get_nbobjs_by_depth(topo, d);
	return n;
}

/* Group objects by subtype, e.g. {"Book": 4, "Drawer": 2} on IBM Z. */
static json_t *hwloc_groups(hwloc_topology_t topo)
{
	json_t *g = json_object();
	int d, ndepth = hwloc_topology_get_depth(topo);
	unsigned i, n;

	if (!g)
		return json_null();
	for (d = 0; d < ndepth; d++) {
		if (hwloc_get_depth_type(topo, d) != HWLOC_OBJ_GROUP)
			continue;
		n = hwloc_get_nbobjs_by_depth(topo, d);
		for (i = 0; i < n; i++) {
			hwloc_obj_t obj = hwloc_get_obj_by_depth(topo, d, i);
			const char *name;
			json_t *cur;

			if (!obj)
				continue;
			name = obj->subtype ? obj->subtype : "Group";
			cur = json_object_get(g, name);
			pvb_si_put_int(g, name, cur ? json_integer_value(cur) + 1 : 1);
		}
	}
	return g;
}

static json_t *topology_json(void)
{
	static const char *const keys[] = { "packages", "numa_nodes", "l3_caches",
					    "cores",	"pus",	      "groups" };
	static const hwloc_obj_type_t types[] = { HWLOC_OBJ_PACKAGE, HWLOC_OBJ_NUMANODE,
						  HWLOC_OBJ_L3CACHE, HWLOC_OBJ_CORE, HWLOC_OBJ_PU };
	json_t *o = json_object();
	hwloc_topology_t topo;
	char ver[32];
	const char *fail = NULL;
	int err = 0;
	size_t i;

	if (!o)
		return json_null();
	version_string(hwloc_get_api_version(), ver, sizeof(ver));
	pvb_si_put_str(o, "hwloc_api_runtime", ver);
	version_string(HWLOC_API_VERSION, ver, sizeof(ver));
	pvb_si_put_str(o, "hwloc_api_compiled", ver);
#ifdef HWLOC_VERSION
	pvb_si_put_str(o, "hwloc_version_compiled", HWLOC_VERSION);
#else
	pvb_si_put_err(o, "hwloc_version_compiled", "HWLOC_VERSION not defined by hwloc.h");
#endif

	if (hwloc_topology_init(&topo) < 0) {
		fail = "hwloc_topology_init";
		err = errno;
	} else if (hwloc_topology_load(topo) < 0) {
		fail = "hwloc_topology_load";
		err = errno;
		hwloc_topology_destroy(topo);
	}
	if (fail) {
		for (i = 0; i < ARRAY_SIZE(keys); i++)
			pvb_si_put(o, keys[i], json_null());
		pvb_si_put(o, "error", json_sprintf("%s: %s", fail, strerror(err)));
		return o;
	}
	for (i = 0; i < ARRAY_SIZE(types); i++)
		pvb_si_put_int(o, keys[i], count_type(topo, types[i]));
	pvb_si_put(o, "groups", hwloc_groups(topo));
	pvb_si_put(o, "error", json_null());
	hwloc_topology_destroy(topo);
	return o;
}

static json_t *numa_json(void)
{
	json_t *o = json_object();
	int avail;

	if (!o)
		return json_null();
	avail = numa_available();
	pvb_si_put_int(o, "available", avail);
	/* Every other libnuma call is undefined when numa_available() fails. */
	if (avail < 0)
		pvb_si_put_err(o, "configured_nodes",
			       "libnuma: NUMA is not available on this system");
	else
		pvb_si_put_int(o, "configured_nodes", numa_num_configured_nodes());
	pvb_si_put_int(o, "libnuma_api_version", LIBNUMA_API_VERSION);
	pvb_si_put_file(o, "numa_balancing", "/proc/sys/kernel/numa_balancing",
			"absent: kernel without CONFIG_NUMA_BALANCING");
	return o;
}

/* MemTotal, MemAvailable and Hugepagesize from /proc/meminfo, in bytes. */
static void meminfo(json_t *o)
{
	static const char *const fields[][2] = {
		{ "MemTotal:", "total_bytes" },
		{ "MemAvailable:", "available_bytes" },
		{ "Hugepagesize:", "default_hugepage_bytes" },
	};
	long long val[ARRAY_SIZE(fields)];
	char *line = NULL;
	size_t cap = 0, i;
	FILE *f = fopen("/proc/meminfo", "re");

	for (i = 0; i < ARRAY_SIZE(fields); i++)
		val[i] = -1;
	if (!f) {
		for (i = 0; i < ARRAY_SIZE(fields); i++)
			pvb_si_put_err(o, fields[i][1], "/proc/meminfo: %s", strerror(errno));
		return;
	}
	while (getline(&line, &cap, f) > 0) {
		for (i = 0; i < ARRAY_SIZE(fields); i++) {
			size_t n = strlen(fields[i][0]);
			long long kib;

			if (strncmp(line, fields[i][0], n))
				continue;
			if (sscanf(line + n, "%lld", &kib) == 1)
				val[i] = kib * (long long)PVB_KIB;
		}
	}
	if (ferror(f))
		pvb_warn("reading /proc/meminfo: %s", strerror(errno));
	free(line);
	fclose(f);
	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		if (val[i] >= 0)
			pvb_si_put_int(o, fields[i][1], val[i]);
		else
			pvb_si_put_err(o, fields[i][1], "no %s line in /proc/meminfo",
				       fields[i][0]);
	}
}

static json_t *memory_json(void)
{
	json_t *o = json_object(), *h = json_object();

	if (!o || !h) {
		json_decref(o);
		json_decref(h);
		return json_null();
	}
	meminfo(o);
	put_file_int(h, "nr_hugepages", HUGETLB_2M_DIR "/nr_hugepages", HUGETLB_2M_ABSENT);
	put_file_int(h, "free_hugepages", HUGETLB_2M_DIR "/free_hugepages", HUGETLB_2M_ABSENT);
	pvb_si_put(o, "hugetlb_2m", h);
	return o;
}

static json_t *thp_json(void)
{
	json_t *o = json_object();

	if (!o)
		return json_null();
	put_choice(o, "enabled", THP_DIR "/enabled");
	put_choice(o, "defrag", THP_DIR "/defrag");
	put_choice(o, "khugepaged_defrag", THP_DIR "/khugepaged/defrag");
	return o;
}

json_t *pvb_sysinfo_json(void)
{
	json_t *root = json_object(), *o, *kernel;
	char host[HOST_NAME_MAX + 1], machine[65];
	const char *m;

	if (!root)
		return NULL;
	oom_reported = false;

	o = json_object();
	if (o) {
		pvb_si_put_str(o, "version", PVB_VERSION);
		pvb_si_put_str(o, "git_revision", pvb_git_rev);
	}
	pvb_si_put(root, "pvbench", o ? o : json_null());
	pvb_si_put_str(root, "compiler", __VERSION__);

	kernel = kernel_json();
	m = json_string_value(json_object_get(kernel, "machine"));
	snprintf(machine, sizeof(machine), "%s", m ? m : "unknown");
	pvb_si_put(root, "kernel", kernel);

	if (gethostname(host, sizeof(host))) {
		pvb_si_put_err(root, "hostname", "gethostname: %s", strerror(errno));
	} else {
		host[sizeof(host) - 1] = '\0';
		pvb_si_put_str(root, "hostname", host);
	}

	pvb_si_put(root, "cpu", cpu_json());
	pvb_si_put(root, "topology", topology_json());
	pvb_si_put(root, "numa", numa_json());
	pvb_si_put(root, "memory", memory_json());
	pvb_si_put(root, "thp", thp_json());
	pvb_si_put(root, "kvm", pvb_sysinfo_kvm_json(machine));
	o = pvb_s390_host_json();
	pvb_si_put(root, "s390", o ? o : json_null());
	return root;
}

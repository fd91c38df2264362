#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <hwloc.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/kvm.h>
#include <numa.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "pvbench.h"
#include "sysinfo.h"
#include "backends/backend.h"
#include "backends/pv/pvdev.h"

#ifndef PVB_VERSION
#define PVB_VERSION "unknown"
#endif

/* linux-libc-dev 6.1 predates these (Linux 6.2). */
#ifndef KVM_CAP_S390_PROTECTED
#define KVM_CAP_S390_PROTECTED 180
#endif
#ifndef KVM_CAP_S390_PROTECTED_DUMP
#define KVM_CAP_S390_PROTECTED_DUMP 217
#endif
#ifndef KVM_CAP_S390_PROTECTED_ASYNC_DISABLE
#define KVM_CAP_S390_PROTECTED_ASYNC_DISABLE 224
#endif

#define KVM_DEV "/dev/kvm"
#define THP_DIR "/sys/kernel/mm/transparent_hugepage"
#define HUGETLB_2M_DIR "/sys/kernel/mm/hugepages/hugepages-2048kB"
#define HUGETLB_2M_ABSENT "absent: no 2 MiB hugetlb pages (kernel without hugetlbfs, or an " \
	"architecture with other sizes, e.g. 1 MiB on s390x)"

struct kvm_cap_desc {
	const char *name;
	long cap;
};

static const struct kvm_cap_desc kvm_caps[] = {
	{ "user_memory", KVM_CAP_USER_MEMORY },
	{ "nr_vcpus", KVM_CAP_NR_VCPUS },
	{ "max_vcpus", KVM_CAP_MAX_VCPUS },
	{ "immediate_exit", KVM_CAP_IMMEDIATE_EXIT },
	{ "nr_memslots", KVM_CAP_NR_MEMSLOTS },
	{ "binary_stats_fd", KVM_CAP_BINARY_STATS_FD },
};

static const struct kvm_cap_desc kvm_s390_caps[] = {
	{ "s390_protected", KVM_CAP_S390_PROTECTED },
	{ "s390_protected_dump", KVM_CAP_S390_PROTECTED_DUMP },
	{ "s390_protected_async_disable", KVM_CAP_S390_PROTECTED_ASYNC_DISABLE },
};

/* Module parameters, recorded when present, that change what a reboot costs. */
static const char *const kvm_params[][2] = {
	{ "kvm", "halt_poll_ns" },
	{ "kvm", "tdp_mmu" },
	{ "kvm_intel", "ept" },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static bool oom_reported;

/* json_object_set_new() frees the value on failure; all that is left is to say so once. */
static void put(json_t *obj, const char *key, json_t *val)
{
	if (json_object_set_new(obj, key, val) && !oom_reported) {
		oom_reported = true;
		pvb_warn("host description incomplete: cannot store \"%s\" (out of memory?)", key);
	}
}

/* A JSON string from text that may not be valid UTF-8 (hostname, /proc contents). */
static json_t *jstr(const char *s)
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

static void put_str(json_t *obj, const char *key, const char *s)
{
	put(obj, key, jstr(s));
}

static void put_int(json_t *obj, const char *key, long long v)
{
	put(obj, key, json_integer(v));
}

/* key: null, and key_error: why. */
static void put_err(json_t *obj, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void put_err(json_t *obj, const char *key, const char *fmt, ...)
{
	char ekey[128], msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(ekey, sizeof(ekey), "%s_error", key);
	put(obj, key, json_null());
	put_str(obj, ekey, msg);
}

/* A small sysfs/procfs file as a string, or null with the reason. */
static void put_file(json_t *obj, const char *key, const char *path, const char *absent_why)
{
	char buf[256];

	if (pvb_read_text(path, buf, sizeof(buf)) == 0) {
		put_str(obj, key, buf);
		return;
	}
	if (errno == ENOENT && absent_why)
		put_err(obj, key, "%s", absent_why);
	else
		put_err(obj, key, "%s: %s", path, strerror(errno));
}

static void put_file_int(json_t *obj, const char *key, const char *path,
			 const char *absent_why)
{
	char buf[64], *end;
	long long v;

	if (pvb_read_text(path, buf, sizeof(buf))) {
		if (errno == ENOENT && absent_why)
			put_err(obj, key, "%s", absent_why);
		else
			put_err(obj, key, "%s: %s", path, strerror(errno));
		return;
	}
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (errno || end == buf || *end) {
		put_err(obj, key, "%s: not an integer: \"%s\"", path, buf);
		return;
	}
	put_int(obj, key, v);
}

static void put_choice(json_t *obj, const char *key, const char *path)
{
	char buf[128];

	/* pvb_read_sysfs_choice() hides the reason of a failure: look first. */
	if (pvb_read_text(path, buf, sizeof(buf))) {
		put_err(obj, key, "%s: %s", path, strerror(errno));
		return;
	}
	pvb_read_sysfs_choice(path, buf, sizeof(buf));
	put_str(obj, key, buf);
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

static json_t *kernel_json(void)
{
	json_t *o = json_object();
	struct utsname u;

	if (!o)
		return json_null();
	if (uname(&u)) {
		const char *why = strerror(errno);

		put_err(o, "sysname", "uname: %s", why);
		put_err(o, "release", "uname: %s", why);
		put_err(o, "version", "uname: %s", why);
		put_err(o, "machine", "uname: %s", why);
		return o;
	}
	put_str(o, "sysname", u.sysname);
	put_str(o, "release", u.release);
	put_str(o, "version", u.version);
	put_str(o, "machine", u.machine);
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
		put_err(o, "model", "/proc/cpuinfo: %s", strerror(errno));
		put_err(o, "hypervisor", "/proc/cpuinfo unreadable");
		put_err(o, "hw_virt", "/proc/cpuinfo unreadable");
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
		put_str(o, "model", model);
	else if (machine[0])
		put(o, "model", json_sprintf("%s machine %s", vendor[0] ? vendor : "IBM/S390",
					     machine));
	else if (ppc[0])
		put_str(o, "model", ppc);
	else if (vendor[0])
		put_str(o, "model", vendor);
	else
		put_err(o, "model", "no model name, machine, cpu or vendor_id in /proc/cpuinfo");

	if (x86_flags)
		put(o, "hypervisor", json_boolean(hypervisor));
	else
		put_err(o, "hypervisor", "unknown: only x86 /proc/cpuinfo has a hypervisor flag");
	if (hw_virt)
		put_str(o, "hw_virt", hw_virt);
	else
		put_err(o, "hw_virt", "no flags or features line in /proc/cpuinfo");
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
		put_err(o, "online", "sysconf(_SC_NPROCESSORS_ONLN): %s", strerror(errno));
	else
		put_int(o, "online", n);
	put_file(o, "smt", "/sys/devices/system/cpu/smt/control",
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
			put_int(g, name, cur ? json_integer_value(cur) + 1 : 1);
		}
	}
	return g;
}

static json_t *topology_json(void)
{
	static const char *const keys[] = { "packages", "numa_nodes", "l3_caches", "cores",
					    "pus", "groups" };
	static const hwloc_obj_type_t types[] = { HWLOC_OBJ_PACKAGE, HWLOC_OBJ_NUMANODE,
						  HWLOC_OBJ_L3CACHE, HWLOC_OBJ_CORE,
						  HWLOC_OBJ_PU };
	json_t *o = json_object();
	hwloc_topology_t topo;
	char ver[32];
	const char *fail = NULL;
	int err = 0;
	size_t i;

	if (!o)
		return json_null();
	version_string(hwloc_get_api_version(), ver, sizeof(ver));
	put_str(o, "hwloc_api_runtime", ver);
	version_string(HWLOC_API_VERSION, ver, sizeof(ver));
	put_str(o, "hwloc_api_compiled", ver);
#ifdef HWLOC_VERSION
	put_str(o, "hwloc_version_compiled", HWLOC_VERSION);
#else
	put_err(o, "hwloc_version_compiled", "HWLOC_VERSION not defined by hwloc.h");
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
			put(o, keys[i], json_null());
		put(o, "error", json_sprintf("%s: %s", fail, strerror(err)));
		return o;
	}
	for (i = 0; i < ARRAY_SIZE(types); i++)
		put_int(o, keys[i], count_type(topo, types[i]));
	put(o, "groups", hwloc_groups(topo));
	put(o, "error", json_null());
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
	put_int(o, "available", avail);
	/* Every other libnuma call is undefined when numa_available() fails. */
	if (avail < 0)
		put_err(o, "configured_nodes", "libnuma: NUMA is not available on this system");
	else
		put_int(o, "configured_nodes", numa_num_configured_nodes());
	put_int(o, "libnuma_api_version", LIBNUMA_API_VERSION);
	put_file(o, "numa_balancing", "/proc/sys/kernel/numa_balancing",
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
			put_err(o, fields[i][1], "/proc/meminfo: %s", strerror(errno));
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
			put_int(o, fields[i][1], val[i]);
		else
			put_err(o, fields[i][1], "no %s line in /proc/meminfo", fields[i][0]);
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
	put(o, "hugetlb_2m", h);
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

static const char *kvm_open_error(int err, char *buf, size_t len)
{
	switch (err) {
	case ENOENT:
		return KVM_DEV " does not exist: load the module (modprobe kvm_intel, kvm_amd "
		       "or kvm) or enable virtualization";
	case EACCES:
		return "no permission on " KVM_DEV ": add yourself to the kvm group (usermod -aG "
		       "kvm $USER) and log in again, or run as root";
	case EPERM:
		return "not permitted to open " KVM_DEV ": a container or device cgroup denies "
		       "it; pass the device through (e.g. docker run --device /dev/kvm)";
	default:
		snprintf(buf, len, "open %s: %s", KVM_DEV, strerror(err));
		return buf;
	}
}

static int names_kvm(const struct dirent *d)
{
	return !strncmp(d->d_name, "kvm", 3);
}

/* KVM modules from /proc/modules, and what sysfs shows (which includes built-in ones). */
static void kvm_modules(json_t *o)
{
	json_t *mods = json_array(), *sys = json_array();
	struct dirent **ents;
	char *line = NULL;
	size_t cap = 0;
	FILE *f;
	int i, n;

	if (!mods || !sys) {
		json_decref(mods);
		json_decref(sys);
		put_err(o, "modules", "out of memory");
		put_err(o, "sysfs_modules", "out of memory");
		return;
	}
	f = fopen("/proc/modules", "re");
	if (!f) {
		json_decref(mods);
		if (errno == ENOENT)
			put_err(o, "modules", "/proc/modules absent: kernel without loadable "
				"module support, KVM is built in");
		else
			put_err(o, "modules", "/proc/modules: %s", strerror(errno));
	} else {
		while (getline(&line, &cap, f) > 0) {
			if (strncmp(line, "kvm", 3))
				continue;
			line[strcspn(line, " \n")] = '\0';
			json_array_append_new(mods, jstr(line));
		}
		if (ferror(f))
			pvb_warn("reading /proc/modules: %s", strerror(errno));
		free(line);
		fclose(f);
		put(o, "modules", mods);
	}

	n = scandir("/sys/module", &ents, names_kvm, alphasort);
	if (n < 0) {
		json_decref(sys);
		put_err(o, "sysfs_modules", "/sys/module: %s", strerror(errno));
		return;
	}
	for (i = 0; i < n; i++) {
		json_array_append_new(sys, jstr(ents[i]->d_name));
		free(ents[i]);
	}
	free(ents);
	put(o, "sysfs_modules", sys);
}

static json_t *kvm_params_json(void)
{
	json_t *o = json_object();
	char path[256], buf[128];
	size_t i;

	if (!o)
		return json_null();
	for (i = 0; i < ARRAY_SIZE(kvm_params); i++) {
		const char *mod = kvm_params[i][0], *name = kvm_params[i][1];
		json_t *m;

		snprintf(path, sizeof(path), "/sys/module/%s/parameters/%s", mod, name);
		if (pvb_read_text(path, buf, sizeof(buf))) {
			if (errno == ENOENT)
				continue;
			snprintf(buf, sizeof(buf), "unreadable: %s", strerror(errno));
		}
		m = json_object_get(o, mod);
		if (!m) {
			m = json_object();
			if (!m)
				continue;
			put(o, mod, m);
		}
		put_str(m, name, buf);
	}
	return o;
}

static void kvm_check_caps(json_t *o, int fd, const struct kvm_cap_desc *caps, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int r = ioctl(fd, KVM_CHECK_EXTENSION, caps[i].cap);

		if (r < 0)
			put_err(o, caps[i].name, "KVM_CHECK_EXTENSION(%ld): %s", caps[i].cap,
				strerror(errno));
		else
			put_int(o, caps[i].name, r);
	}
}

static json_t *kvm_s390_json(int fd, const char *machine)
{
	json_t *o = json_object(), *caps;
	bool s390 = !strncmp(machine, "s390", 4);

	if (!o)
		return json_null();
	put(o, "applicable", json_boolean(s390));
	if (fd < 0) {
		put_err(o, "capabilities", "%s cannot be opened", KVM_DEV);
	} else {
		caps = json_object();
		if (caps) {
			kvm_check_caps(caps, fd, kvm_s390_caps, ARRAY_SIZE(kvm_s390_caps));
			put(o, "capabilities", caps);
		}
	}
	if (!s390) {
		put(o, "why", json_sprintf("these capabilities exist only on s390x hosts (IBM Z);"
					   " this host is %s", machine));
	} else if (fd >= 0 && ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_S390_PROTECTED) <= 0) {
		put_str(o, "why", "KVM_CAP_S390_PROTECTED is 0: boot the host with prot_virt=1 "
			"on a machine with Secure Execution (IBM z15, LinuxONE III or later)");
	} else {
		put(o, "why", json_null());
	}
	put_file(o, "async_destroy", "/sys/module/kvm/parameters/async_destroy",
		 "absent: not an s390 kvm module, or a kernel before 6.2");
	{
		/* What the pv backends make of this host (the real one opens the device). */
		const struct pvb_backend_ops *pv = pvb_backend_find("pv");
		char why[512] = "";
		int rc = pvdev_kvm_ops.open(NULL, why, sizeof(why));

		if (rc)
			put(o, "pv_backend", json_sprintf("unavailable: %s", why));
		else
			put_str(o, "pv_backend", "available");
		if (!rc && pv && pv->describe) {
			struct pvb_guest_params p = { .pv_misc = -1 };

			/* KVM_PV_INFO: destroy-fast and MISC change what a destroy costs */
			put(o, "pv_info", pv->describe(&p));
		} else {
			put_str(o, "pv_info", "not read: KVM_PV_INFO needs the pv device");
		}
		put_str(o, "pv_emulated_backend", "available on any host: an executable model of "
			"the kernel and Ultravisor behaviour (costs are parameters, not measurements)");
	}
	return o;
}

static json_t *kvm_json(const char *machine)
{
	json_t *o = json_object(), *caps;
	char ebuf[256];
	int fd, api;

	if (!o)
		return json_null();
	put_str(o, "device", KVM_DEV);
	fd = open(KVM_DEV, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		put(o, "available", json_false());
		put_str(o, "error", kvm_open_error(errno, ebuf, sizeof(ebuf)));
		put_err(o, "api_version", "%s cannot be opened", KVM_DEV);
		put_err(o, "capabilities", "%s cannot be opened", KVM_DEV);
	} else {
		put(o, "available", json_true());
		put(o, "error", json_null());
		api = ioctl(fd, KVM_GET_API_VERSION, 0);
		if (api < 0)
			put_err(o, "api_version", "KVM_GET_API_VERSION: %s", strerror(errno));
		else
			put_int(o, "api_version", api);
		caps = json_object();
		if (caps) {
			kvm_check_caps(caps, fd, kvm_caps, ARRAY_SIZE(kvm_caps));
			put(o, "capabilities", caps);
		}
	}
	put(o, "s390", kvm_s390_json(fd, machine));
	put(o, "parameters", kvm_params_json());
	kvm_modules(o);
	if (fd >= 0 && close(fd))
		pvb_warn("close %s: %s", KVM_DEV, strerror(errno));
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
		put_str(o, "version", PVB_VERSION);
		put_str(o, "git_revision", pvb_git_rev);
	}
	put(root, "pvbench", o ? o : json_null());
	put_str(root, "compiler", __VERSION__);

	kernel = kernel_json();
	m = json_string_value(json_object_get(kernel, "machine"));
	snprintf(machine, sizeof(machine), "%s", m ? m : "unknown");
	put(root, "kernel", kernel);

	if (gethostname(host, sizeof(host))) {
		put_err(root, "hostname", "gethostname: %s", strerror(errno));
	} else {
		host[sizeof(host) - 1] = '\0';
		put_str(root, "hostname", host);
	}

	put(root, "cpu", cpu_json());
	put(root, "topology", topology_json());
	put(root, "numa", numa_json());
	put(root, "memory", memory_json());
	put(root, "thp", thp_json());
	put(root, "kvm", kvm_json(machine));
	return root;
}

/* Human report */

#ifdef __clang__
#define COMPILER_NAME "" /* __VERSION__ says "Clang ..." */
#else
#define COMPILER_NAME "gcc "
#endif
#define LABEL_W 18
#define LINE_W 79

/* The value of o[key] as text; null shows as its <key>_error, which says why. Rotating
 * buffers so that several calls fit in one printf. */
static const char *txt(json_t *o, const char *key)
{
	static char bufs[8][384];
	static unsigned next;
	char *b = bufs[next++ % ARRAY_SIZE(bufs)];
	json_t *v = json_object_get(o, key);
	char ekey[128];
	const char *err;

	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING:
		snprintf(b, sizeof(bufs[0]), "%s", json_string_value(v));
		break;
	case JSON_INTEGER:
		snprintf(b, sizeof(bufs[0]), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		snprintf(b, sizeof(bufs[0]), "%g", json_real_value(v));
		break;
	case JSON_TRUE:
		snprintf(b, sizeof(bufs[0]), "yes");
		break;
	case JSON_FALSE:
		snprintf(b, sizeof(bufs[0]), "no");
		break;
	default:
		snprintf(ekey, sizeof(ekey), "%s_error", key);
		err = json_string_value(json_object_get(o, ekey));
		snprintf(b, sizeof(bufs[0]), "%s", err ? err : "unknown");
		break;
	}
	return b;
}

static const char *bytes_txt(json_t *o, const char *key)
{
	static char bufs[4][64];
	static unsigned next;
	char *b = bufs[next++ % ARRAY_SIZE(bufs)];
	json_t *v = json_object_get(o, key);
	double x;

	if (!json_is_integer(v))
		return txt(o, key);
	x = (double)json_integer_value(v);
	if (x >= PVB_GIB)
		snprintf(b, sizeof(bufs[0]), "%.1f GiB", x / PVB_GIB);
	else if (x >= PVB_MIB)
		snprintf(b, sizeof(bufs[0]), "%.0f MiB", x / PVB_MIB);
	else
		snprintf(b, sizeof(bufs[0]), "%.0f KiB", x / PVB_KIB);
	return b;
}

/* "  label   value", the value word-wrapped under itself. */
static void row(const char *label, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void row(const char *label, const char *fmt, ...)
{
	const int indent = 2 + LABEL_W + 1;
	char buf[2048], *p = buf;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("  %-*s ", LABEL_W, label);
	while (strlen(p) > (size_t)(LINE_W - indent)) {
		char *cut = p + (LINE_W - indent);

		while (cut > p && *cut != ' ')
			cut--;
		if (cut == p)
			break;
		printf("%.*s\n%*s", (int)(cut - p), p, indent, "");
		p = cut + 1;
	}
	printf("%s\n", p);
}

/* "name=value ..." of an object's scalar members. */
static void join_members(json_t *o, const char *prefix, char *buf, size_t len)
{
	const char *k;
	json_t *v;
	size_t n = strlen(buf);

	json_object_foreach(o, k, v) {
		if (json_is_object(v) || n >= len)
			continue;
		n += snprintf(buf + n, len - n, "%s%s%s=%s", n ? " " : "", prefix, k, txt(o, k));
	}
}

static void print_count(char *buf, size_t len, json_t *o, const char *key, const char *what,
			const char *plural)
{
	json_t *v = json_object_get(o, key);
	size_t n = strlen(buf);
	long long c;

	if (n >= len)
		return;
	if (!json_is_integer(v)) {
		snprintf(buf + n, len - n, "%s? %s", n ? ", " : "", plural);
		return;
	}
	c = json_integer_value(v);
	snprintf(buf + n, len - n, "%s%lld %s", n ? ", " : "", c, c == 1 ? what : plural);
}

static void print_human(json_t *root)
{
	json_t *k = json_object_get(root, "kernel"), *cpu = json_object_get(root, "cpu");
	json_t *topo = json_object_get(root, "topology"), *mem = json_object_get(root, "memory");
	json_t *h = json_object_get(mem, "hugetlb_2m"), *thp = json_object_get(root, "thp");
	json_t *numa = json_object_get(root, "numa"), *kvm = json_object_get(root, "kvm");
	json_t *s390 = json_object_get(kvm, "s390"), *pv = json_object_get(root, "pvbench");
	json_t *v, *params;
	char buf[1024];
	const char *key;
	size_t i;

	printf("pvbench %s (git %s), built with %s%s\n", txt(pv, "version"),
	       txt(pv, "git_revision"), COMPILER_NAME, txt(root, "compiler"));

	printf("Kernel\n");
	row("system", "%s %s %s", txt(k, "sysname"), txt(k, "release"), txt(k, "machine"));
	row("build", "%s", txt(k, "version"));
	row("hostname", "%s", txt(root, "hostname"));

	printf("CPU\n");
	row("model", "%s", txt(cpu, "model"));
	row("online CPUs", "%s", txt(cpu, "online"));
	row("SMT control", "%s", txt(cpu, "smt"));
	v = json_object_get(cpu, "hypervisor");
	row("hypervisor", "%s", json_is_true(v) ? "yes: this host is itself a virtual machine" :
	    json_is_false(v) ? "no: bare metal" : txt(cpu, "hypervisor"));
	v = json_object_get(cpu, "hw_virt");
	row("virt extension", "%s", json_is_string(v) && !strcmp(json_string_value(v), "none") ?
	    "none in the CPU flags (no vmx, svm or sie)" : txt(cpu, "hw_virt"));

	printf("Topology (hwloc %s, API %s at run time, %s at build)\n",
	       txt(topo, "hwloc_version_compiled"), txt(topo, "hwloc_api_runtime"),
	       txt(topo, "hwloc_api_compiled"));
	if (json_is_string(json_object_get(topo, "error"))) {
		row("objects", "unknown (%s)", txt(topo, "error"));
	} else {
		buf[0] = '\0';
		print_count(buf, sizeof(buf), topo, "packages", "package", "packages");
		print_count(buf, sizeof(buf), topo, "numa_nodes", "NUMA node", "NUMA nodes");
		print_count(buf, sizeof(buf), topo, "l3_caches", "L3 cache", "L3 caches");
		print_count(buf, sizeof(buf), topo, "cores", "core", "cores");
		print_count(buf, sizeof(buf), topo, "pus", "PU", "PUs");
		row("objects", "%s", buf);
		buf[0] = '\0';
		join_members(json_object_get(topo, "groups"), "", buf, sizeof(buf));
		row("groups", "%s", buf[0] ? buf : "none");
	}

	printf("Memory\n");
	row("total", "%s", bytes_txt(mem, "total_bytes"));
	row("available", "%s", bytes_txt(mem, "available_bytes"));
	row("hugetlb 2 MiB", "%s pages, %s free (default huge page %s)",
	    txt(h, "nr_hugepages"), txt(h, "free_hugepages"),
	    bytes_txt(mem, "default_hugepage_bytes"));

	printf("THP\n");
	row("enabled", "%s", txt(thp, "enabled"));
	row("defrag", "%s", txt(thp, "defrag"));
	row("khugepaged defrag", "%s", txt(thp, "khugepaged_defrag"));

	printf("NUMA\n");
	v = json_object_get(numa, "available");
	row("libnuma", "%s, %s configured node(s), API %s",
	    json_integer_value(v) < 0 ? "NUMA unavailable" : "available",
	    txt(numa, "configured_nodes"), txt(numa, "libnuma_api_version"));
	row("numa_balancing", "%s", txt(numa, "numa_balancing"));

	printf("KVM\n");
	if (!json_is_true(json_object_get(kvm, "available"))) {
		row(KVM_DEV, "unavailable: %s", txt(kvm, "error"));
	} else {
		row(KVM_DEV, "API version %s", txt(kvm, "api_version"));
		buf[0] = '\0';
		join_members(json_object_get(kvm, "capabilities"), "", buf, sizeof(buf));
		row("capabilities", "%s", buf);
	}
	buf[0] = '\0';
	v = json_object_get(kvm, "modules");
	json_array_foreach(v, i, params)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s", i ? " " : "",
			 json_string_value(params));
	row("modules", "%s", json_is_array(v) ? (buf[0] ? buf : "none loaded") :
	    txt(kvm, "modules"));
	buf[0] = '\0';
	v = json_object_get(kvm, "sysfs_modules");
	json_array_foreach(v, i, params)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s", i ? " " : "",
			 json_string_value(params));
	row("in /sys/module", "%s", json_is_array(v) ? (buf[0] ? buf : "none") :
	    txt(kvm, "sysfs_modules"));
	buf[0] = '\0';
	json_object_foreach(json_object_get(kvm, "parameters"), key, params) {
		char prefix[64];

		snprintf(prefix, sizeof(prefix), "%s.", key);
		join_members(params, prefix, buf, sizeof(buf));
	}
	row("parameters", "%s", buf[0] ? buf : "none of interest");

	printf("s390 PV (protected guests)\n");
	if (json_is_true(json_object_get(s390, "applicable")))
		row("status", "%s", json_is_string(json_object_get(s390, "why")) ?
		    txt(s390, "why") : "available");
	else
		row("status", "not applicable: %s", txt(s390, "why"));
	buf[0] = '\0';
	join_members(json_object_get(s390, "capabilities"), "", buf, sizeof(buf));
	row("capabilities", "%s", buf[0] ? buf : txt(s390, "capabilities"));
	row("async_destroy", "%s", txt(s390, "async_destroy"));
	row("pv backend", "%s", txt(s390, "pv_backend"));
	if (json_is_object(json_object_get(s390, "pv_info"))) {
		json_t *pi = json_object_get(s390, "pv_info");

		row("destroy-fast", "%s", json_is_true(json_object_get(pi, "destroy_fast")) ?
		    "yes" : json_is_false(json_object_get(pi, "destroy_fast")) ? "no" : "unknown");
		row("MISC", "%s", json_is_true(json_object_get(pi, "misc")) ? "yes" :
		    json_is_false(json_object_get(pi, "misc")) ? "no" : "unknown");
	} else {
		row("KVM_PV_INFO", "%s", txt(s390, "pv_info"));
	}
	row("pv-emulated", "%s", txt(s390, "pv_emulated_backend"));
}

static void info_usage(FILE *f)
{
	fprintf(f,
		"usage: pvbench info [--json]\n"
		"Describe this host: kernel, CPU, topology, memory, THP and NUMA settings,\n"
		"KVM API and capabilities (every run records the same in meta.json).\n"
		"  --json   print the description as JSON\n"
		"  --help   show this help\n");
}

int pvb_cmd_info(int argc, char **argv)
{
	bool as_json = false;
	json_t *root;
	int i, ret = PVB_EXIT_OK;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			as_json = true;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			info_usage(stdout);
			return PVB_EXIT_OK;
		} else {
			pvb_err("info: unknown option '%s'", argv[i]);
			info_usage(stderr);
			return PVB_EXIT_USAGE;
		}
	}

	root = pvb_sysinfo_json();
	if (!root) {
		pvb_err("info: out of memory");
		return PVB_EXIT_FAIL;
	}
	ret = pvb_print_report("info", root, as_json, print_human);
	json_decref(root);
	return ret;
}

/* pvbench info: the host description (host/sysinfo.c) as JSON or as a human report. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cmd.h"
#include "options.h"
#include "pvbench.h"
#include "backends/backend.h"
#include "host/sysinfo.h"

#ifdef __clang__
#define COMPILER_NAME "" /* __VERSION__ says "Clang ..." */
#else
#define COMPILER_NAME "gcc "
#endif
#define LABEL_W	      18
#define LINE_W	      79
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

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

	json_object_foreach(o, k, v)
	{
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

/* "a b c" of an array of strings, or NULL if v is not an array. */
static const char *join_strings(json_t *v, char *buf, size_t len)
{
	json_t *s;
	size_t i;

	if (!json_is_array(v))
		return NULL;
	buf[0] = '\0';
	json_array_foreach(v, i, s) snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
					     i ? " " : "", json_string_value(s));
	return buf;
}

static void print_kernel(json_t *root)
{
	json_t *k = json_object_get(root, "kernel"), *pv = json_object_get(root, "pvbench");

	printf("pvbench %s (git %s), built with %s%s\n", txt(pv, "version"),
	       txt(pv, "git_revision"), COMPILER_NAME, txt(root, "compiler"));
	printf("Kernel\n");
	row("system", "%s %s %s", txt(k, "sysname"), txt(k, "release"), txt(k, "machine"));
	row("build", "%s", txt(k, "version"));
	row("hostname", "%s", txt(root, "hostname"));
}

static void print_cpu(json_t *cpu)
{
	json_t *v;

	printf("CPU\n");
	row("model", "%s", txt(cpu, "model"));
	row("online CPUs", "%s", txt(cpu, "online"));
	row("SMT control", "%s", txt(cpu, "smt"));
	v = json_object_get(cpu, "hypervisor");
	row("hypervisor", "%s",
	    json_is_true(v)  ? "yes: this host is itself a virtual machine" :
	    json_is_false(v) ? "no: bare metal" :
			       txt(cpu, "hypervisor"));
	v = json_object_get(cpu, "hw_virt");
	row("virt extension", "%s",
	    json_is_string(v) && !strcmp(json_string_value(v), "none") ?
		    "none in the CPU flags (no vmx, svm or sie)" :
		    txt(cpu, "hw_virt"));
}

static void print_topology(json_t *topo)
{
	char buf[1024] = "";

	printf("Topology (hwloc %s, API %s at run time, %s at build)\n",
	       txt(topo, "hwloc_version_compiled"), txt(topo, "hwloc_api_runtime"),
	       txt(topo, "hwloc_api_compiled"));
	if (json_is_string(json_object_get(topo, "error"))) {
		row("objects", "unknown (%s)", txt(topo, "error"));
		return;
	}
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

static void print_memory(json_t *mem, json_t *thp, json_t *numa)
{
	json_t *h = json_object_get(mem, "hugetlb_2m");

	printf("Memory\n");
	row("total", "%s", bytes_txt(mem, "total_bytes"));
	row("available", "%s", bytes_txt(mem, "available_bytes"));
	row("hugetlb 2 MiB", "%s pages, %s free (default huge page %s)", txt(h, "nr_hugepages"),
	    txt(h, "free_hugepages"), bytes_txt(mem, "default_hugepage_bytes"));

	printf("THP\n");
	row("enabled", "%s", txt(thp, "enabled"));
	row("defrag", "%s", txt(thp, "defrag"));
	row("khugepaged defrag", "%s", txt(thp, "khugepaged_defrag"));

	printf("NUMA\n");
	row("libnuma", "%s, %s configured node(s), API %s",
	    json_integer_value(json_object_get(numa, "available")) < 0 ? "NUMA unavailable" :
									 "available",
	    txt(numa, "configured_nodes"), txt(numa, "libnuma_api_version"));
	row("numa_balancing", "%s", txt(numa, "numa_balancing"));
}

static void print_kvm(json_t *kvm)
{
	json_t *params;
	char buf[1024] = "";
	const char *key, *list;

	printf("KVM\n");
	if (!json_is_true(json_object_get(kvm, "available"))) {
		row(PVB_KVM_DEV, "unavailable: %s", txt(kvm, "error"));
	} else {
		row(PVB_KVM_DEV, "API version %s", txt(kvm, "api_version"));
		join_members(json_object_get(kvm, "capabilities"), "", buf, sizeof(buf));
		row("capabilities", "%s", buf);
	}
	list = join_strings(json_object_get(kvm, "modules"), buf, sizeof(buf));
	row("modules", "%s", list ? (list[0] ? list : "none loaded") : txt(kvm, "modules"));
	list = join_strings(json_object_get(kvm, "sysfs_modules"), buf, sizeof(buf));
	row("in /sys/module", "%s", list ? (list[0] ? list : "none") : txt(kvm, "sysfs_modules"));
	buf[0] = '\0';
	json_object_foreach(json_object_get(kvm, "parameters"), key, params)
	{
		char prefix[64];

		snprintf(prefix, sizeof(prefix), "%s.", key);
		join_members(params, prefix, buf, sizeof(buf));
	}
	row("parameters", "%s", buf[0] ? buf : "none of interest");
}

static const char *yes_no(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_true(v) ? "yes" : json_is_false(v) ? "no" : "unknown";
}

static void print_s390(json_t *s390)
{
	json_t *pi = json_object_get(s390, "pv_info");
	char buf[1024] = "";

	printf("s390 PV (protected guests)\n");
	if (json_is_true(json_object_get(s390, "applicable")))
		row("status", "%s",
		    json_is_string(json_object_get(s390, "why")) ? txt(s390, "why") : "available");
	else
		row("status", "not applicable: %s", txt(s390, "why"));
	join_members(json_object_get(s390, "capabilities"), "", buf, sizeof(buf));
	row("capabilities", "%s", buf[0] ? buf : txt(s390, "capabilities"));
	row("async_destroy", "%s", txt(s390, "async_destroy"));
	row("pv backend", "%s", txt(s390, "pv_backend"));
	if (json_is_object(pi)) {
		row("destroy-fast", "%s", yes_no(pi, "destroy_fast"));
		row("MISC", "%s", yes_no(pi, "misc"));
	} else {
		row("KVM_PV_INFO", "%s", txt(s390, "pv_info"));
	}
	row("pv-emulated", "%s", txt(s390, "pv_emulated_backend"));
}

static void print_human(json_t *root)
{
	json_t *kvm = json_object_get(root, "kvm");

	print_kernel(root);
	print_cpu(json_object_get(root, "cpu"));
	print_topology(json_object_get(root, "topology"));
	print_memory(json_object_get(root, "memory"), json_object_get(root, "thp"),
		     json_object_get(root, "numa"));
	print_kvm(kvm);
	print_s390(json_object_get(kvm, "s390"));
}

struct info_args {
	bool as_json;
};

static const struct pvb_opt info_opts[] = {
	{ .name = "json",
	  .kind = PVB_OPT_FLAG,
	  PVB_OPT_FIELD(struct info_args, as_json),
	  .help = "print the description as JSON" },
	{ .name = "help", .kind = PVB_OPT_HELP, .short_name = 'h', .help = "show this help" },
	{ .name = NULL },
};

static const struct pvb_opt_table info_table = { .opts = info_opts };

static void info_usage_to(FILE *f)
{
	struct pvb_opts ctx;

	pvb_opts_init(&ctx, "info", &info_table, NULL);
	ctx.help_col = 11;
	fprintf(f, "usage: pvbench info [--json]\n"
		   "Describe this host: kernel, CPU, topology, memory, THP and NUMA settings,\n"
		   "KVM API and capabilities (every run records the same in meta.json).\n");
	pvb_opts_print(&ctx, f);
}

static void info_usage(void)
{
	info_usage_to(stdout);
}

static int info_bad(const struct pvb_opts *ctx, const char *arg, bool missing)
{
	(void)ctx;
	return pvb_bad_option("info", arg, missing, info_usage_to);
}

/* Returns -1 to go on, else the exit code. */
static int parse_options(int argc, char **argv, struct info_args *a)
{
	struct pvb_opts ctx;
	int rc;

	pvb_opts_init(&ctx, "info", &info_table, a);
	ctx.usage = info_usage;
	ctx.bad = info_bad;
	ctx.stop_at_operand = true;
	rc = pvb_opts_getopt(&ctx, argc, argv);
	if (rc < 0 && optind < argc)
		return pvb_bad_option("info", argv[optind], false, info_usage_to);
	return rc;
}

int pvb_cmd_info(int argc, char **argv)
{
	struct info_args a = { .as_json = false };
	json_t *root;
	int ret = parse_options(argc, argv, &a);

	if (ret >= 0)
		return ret;
	root = pvb_host_json();
	if (!root) {
		pvb_err("info: out of memory");
		return PVB_EXIT_FAIL;
	}
	ret = pvb_print_report("info", root, a.as_json, print_human);
	json_decref(root);
	return ret;
}

/* The KVM part of the host description: /dev/kvm and why it cannot be opened, the API
 * version and capabilities, the s390 protected-guest capabilities and what the pv backends
 * make of this host, the module parameters that change what a reboot costs, and the KVM
 * modules loaded. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "pvbench.h"
#include "sysinfo.h"
#include "sysinfo_int.h"

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

struct kvm_cap_desc {
	const char *name;
	long cap;
};

static const struct kvm_cap_desc kvm_caps[] = {
	{ "user_memory", KVM_CAP_USER_MEMORY }, { "nr_vcpus", KVM_CAP_NR_VCPUS },
	{ "max_vcpus", KVM_CAP_MAX_VCPUS },	{ "immediate_exit", KVM_CAP_IMMEDIATE_EXIT },
	{ "nr_memslots", KVM_CAP_NR_MEMSLOTS }, { "binary_stats_fd", KVM_CAP_BINARY_STATS_FD },
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

static const char *kvm_open_error(int err, char *buf, size_t len)
{
	switch (err) {
	case ENOENT:
		return PVB_KVM_DEV " does not exist: load the module (modprobe kvm_intel, kvm_amd "
				   "or kvm) or enable virtualization";
	case EACCES:
		return "no permission on " PVB_KVM_DEV ": add yourself to the kvm group "
		       "(usermod -aG kvm $USER) and log in again, or run as root";
	case EPERM:
		return "not permitted to open " PVB_KVM_DEV ": a container or device cgroup denies "
		       "it; pass the device through (e.g. docker run --device /dev/kvm)";
	default:
		snprintf(buf, len, "open %s: %s", PVB_KVM_DEV, strerror(err));
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
		pvb_si_put_err(o, "modules", "out of memory");
		pvb_si_put_err(o, "sysfs_modules", "out of memory");
		return;
	}
	f = fopen("/proc/modules", "re");
	if (!f) {
		json_decref(mods);
		if (errno == ENOENT)
			pvb_si_put_err(o, "modules",
				       "/proc/modules absent: kernel without "
				       "loadable module support, KVM is built in");
		else
			pvb_si_put_err(o, "modules", "/proc/modules: %s", strerror(errno));
	} else {
		while (getline(&line, &cap, f) > 0) {
			if (strncmp(line, "kvm", 3))
				continue;
			line[strcspn(line, " \n")] = '\0';
			json_array_append_new(mods, pvb_si_str(line));
		}
		if (ferror(f))
			pvb_warn("reading /proc/modules: %s", strerror(errno));
		free(line);
		fclose(f);
		pvb_si_put(o, "modules", mods);
	}

	n = scandir("/sys/module", &ents, names_kvm, alphasort);
	if (n < 0) {
		json_decref(sys);
		pvb_si_put_err(o, "sysfs_modules", "/sys/module: %s", strerror(errno));
		return;
	}
	for (i = 0; i < n; i++) {
		json_array_append_new(sys, pvb_si_str(ents[i]->d_name));
		free(ents[i]);
	}
	free(ents);
	pvb_si_put(o, "sysfs_modules", sys);
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
			pvb_si_put(o, mod, m);
		}
		pvb_si_put_str(m, name, buf);
	}
	return o;
}

static void kvm_check_caps(json_t *o, int fd, const struct kvm_cap_desc *caps, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int r = ioctl(fd, KVM_CHECK_EXTENSION, caps[i].cap);

		if (r < 0)
			pvb_si_put_err(o, caps[i].name, "KVM_CHECK_EXTENSION(%ld): %s", caps[i].cap,
				       strerror(errno));
		else
			pvb_si_put_int(o, caps[i].name, r);
	}
}

static json_t *kvm_s390_json(int fd, const char *machine)
{
	json_t *o = json_object(), *caps;
	bool s390 = !strncmp(machine, "s390", 4);

	if (!o)
		return json_null();
	pvb_si_put(o, "applicable", json_boolean(s390));
	if (fd < 0) {
		pvb_si_put_err(o, "capabilities", "%s cannot be opened", PVB_KVM_DEV);
	} else {
		caps = json_object();
		if (caps) {
			kvm_check_caps(caps, fd, kvm_s390_caps, ARRAY_SIZE(kvm_s390_caps));
			pvb_si_put(o, "capabilities", caps);
		}
	}
	if (!s390) {
		pvb_si_put(o, "why",
			   json_sprintf("these capabilities exist only on s390x hosts "
					"(IBM Z); this host is %s",
					machine));
	} else if (fd >= 0 && ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_S390_PROTECTED) <= 0) {
		pvb_si_put_str(o, "why",
			       "KVM_CAP_S390_PROTECTED is 0: boot the host with "
			       "prot_virt=1 on a machine with Secure Execution (IBM z15, LinuxONE "
			       "III or later)");
	} else {
		pvb_si_put(o, "why", json_null());
	}
	pvb_si_put_file(o, "async_destroy", "/sys/module/kvm/parameters/async_destroy",
			"absent: not an s390 kvm module, or a kernel before 6.2");
	return o;
}

json_t *pvb_sysinfo_kvm_json(const char *machine)
{
	json_t *o = json_object(), *caps;
	char ebuf[256];
	int fd, api;

	if (!o)
		return json_null();
	pvb_si_put_str(o, "device", PVB_KVM_DEV);
	fd = open(PVB_KVM_DEV, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		pvb_si_put(o, "available", json_false());
		pvb_si_put_str(o, "error", kvm_open_error(errno, ebuf, sizeof(ebuf)));
		pvb_si_put_err(o, "api_version", "%s cannot be opened", PVB_KVM_DEV);
		pvb_si_put_err(o, "capabilities", "%s cannot be opened", PVB_KVM_DEV);
	} else {
		pvb_si_put(o, "available", json_true());
		pvb_si_put(o, "error", json_null());
		api = ioctl(fd, KVM_GET_API_VERSION, 0);
		if (api < 0)
			pvb_si_put_err(o, "api_version", "KVM_GET_API_VERSION: %s",
				       strerror(errno));
		else
			pvb_si_put_int(o, "api_version", api);
		caps = json_object();
		if (caps) {
			kvm_check_caps(caps, fd, kvm_caps, ARRAY_SIZE(kvm_caps));
			pvb_si_put(o, "capabilities", caps);
		}
	}
	pvb_si_put(o, "s390", kvm_s390_json(fd, machine));
	pvb_si_put(o, "parameters", kvm_params_json());
	kvm_modules(o);
	if (fd >= 0 && close(fd))
		pvb_warn("close %s: %s", PVB_KVM_DEV, strerror(errno));
	return o;
}

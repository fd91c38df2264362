/* The backend table (its order is --backend auto's), the ops check and the names. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "backend.h"
#include "host/sysinfo.h"
#include "pvbench.h"

static const struct pvb_backend_ops *const backends[] = {
#if defined(__x86_64__)
	&pvb_backend_kvm,
#endif
	&pvb_backend_pv,
	&pvb_backend_pv_emulated,
};
#define NBACKENDS (sizeof(backends) / sizeof(backends[0]))

const struct pvb_backend_ops *pvb_backend_find(const char *name)
{
	for (size_t i = 0; i < NBACKENDS; i++)
		if (!strcmp(backends[i]->name, name))
			return backends[i];
	return NULL;
}

const char *pvb_backend_default(void)
{
#if defined(__x86_64__)
	return "kvm";
#elif defined(__s390x__)
	return "pv";
#else
	return "pv-emulated";
#endif
}

const char *pvb_backend_names(void)
{
	static char names[128];

	if (!names[0])
		for (size_t i = 0, n = 0; i < NBACKENDS; i++)
			n += (size_t)snprintf(names + n, sizeof(names) - n, "%s%s", i ? " " : "",
					      backends[i]->name);
	return names;
}

const struct pvb_backend_ops *pvb_backend_at(int i)
{
	return i >= 0 && (size_t)i < NBACKENDS ? backends[i] : NULL;
}

int pvb_backend_check(const struct pvb_backend_ops *o)
{
	const struct {
		const char *name;
		bool ok;
	} hooks[] = {
		{ "probe", o->probe },
		{ "create", o->create },
		{ "start", o->start },
		{ "wait", o->wait },
		{ "resume", o->resume },
		{ "stop", o->stop },
		{ "set_aside", o->set_aside },
		{ "destroy", o->destroy },
		{ "populated_bytes", o->populated_bytes },
		{ "progress", o->progress },
		{ "vcpu_cpus", o->vcpu_cpus },
		{ "mem_policy", o->mem_policy },
	};

	for (size_t i = 0; i < sizeof(hooks) / sizeof(hooks[0]); i++) {
		if (!hooks[i].ok) {
			pvb_err("internal: backend %s has no %s hook", o->name, hooks[i].name);
			return PVB_EXIT_FAIL;
		}
	}
	return 0;
}

const char *pvb_backing_name(enum pvb_backing b)
{
	return b == PVB_BACKING_THP ? "thp" : b == PVB_BACKING_HUGETLB ? "hugetlb" : "anonymous";
}

const char *pvb_order_name(enum pvb_order o)
{
	return o == PVB_ORDER_RANDOM ? "random" : "seq";
}

struct json_t *pvb_host_json(void)
{
	json_t *host = pvb_sysinfo_json();
	json_t *s390 = json_object_get(json_object_get(host, "kvm"), "s390");

	if (json_is_object(s390))
		pvb_pv_host_facts(s390);
	return host;
}

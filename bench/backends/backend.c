#include <string.h>

#include "backend.h"

extern const struct pvb_backend_ops pvb_backend_kvm;
extern const struct pvb_backend_ops pvb_backend_pv;
extern const struct pvb_backend_ops pvb_backend_pv_emulated;

static const struct pvb_backend_ops *const backends[] = {
#if defined(__x86_64__)
	&pvb_backend_kvm,
#endif
	&pvb_backend_pv,
	&pvb_backend_pv_emulated,
};

const struct pvb_backend_ops *pvb_backend_find(const char *name)
{
	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
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
#if defined(__x86_64__)
	return "kvm pv pv-emulated";
#else
	return "pv pv-emulated";
#endif
}

const char *pvb_backing_name(enum pvb_backing b)
{
	return b == PVB_BACKING_THP ? "thp" : b == PVB_BACKING_HUGETLB ? "hugetlb" : "anonymous";
}

const char *pvb_order_name(enum pvb_order o)
{
	return o == PVB_ORDER_RANDOM ? "random" : "seq";
}

#include <string.h>

#include "backend.h"

extern const struct pvb_backend_ops pvb_backend_kvm;

static const struct pvb_backend_ops *const backends[] = {
#if defined(__x86_64__)
	&pvb_backend_kvm,
#endif
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
	return "kvm";
}

const char *pvb_backend_names(void)
{
#if defined(__x86_64__)
	return "kvm";
#else
	return "(none on this architecture yet)";
#endif
}

/* Every architecture but s390x: no protected guests to run (pv_arch.h). */
#include <stdio.h>
#include <string.h>

#include "pv_arch.h"

static const char why[] = "the pv backend runs real guests only on s390x hosts (IBM z15/z16 "
			  "with Secure Execution); use --backend pv-emulated here";

int pvb_pv_arch_decode(struct kvm_run *run, struct pvb_pvx *e)
{
	(void)run;
	memset(e, 0, sizeof(*e));
	e->kind = PVB_PVX_UNKNOWN;
	snprintf(e->what, sizeof(e->what), "%s", why);
	return -1;
}

void pvb_pv_arch_reply(struct kvm_run *run, uint64_t value)
{
	(void)run;
	(void)value;
}

int pvb_pv_arch_available(void)
{
	return 0;
}

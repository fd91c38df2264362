/* Ultravisor return codes of KVM_S390_PV_COMMAND as actionable text. */
#ifndef PVB_UVRC_H
#define PVB_UVRC_H
#include <stddef.h>

/* A sentence for the rc/rrc pair that KVM copied back from command cmd (PVB_PV_*, see
 * pv_uapi.h): what happened and what to do. Zero rc/rrc before the ioctl: rc 0 then means
 * that no Ultravisor call reported a result. Writes into buf (len bytes) and returns buf. */
const char *pvb_uv_rc_text(unsigned cmd, unsigned rc, unsigned rrc, char *buf, size_t len);

#endif

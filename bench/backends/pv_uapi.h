/* The s390 protected-virtualization interface (shared by pv/ and the model in pvem/), as far as Debian 12's linux-libc-dev (6.1)
 * lacks it. Values from include/uapi/linux/kvm.h (6.2+) and arch/s390/include/uapi/asm/kvm.h;
 * see ../shared/reference/pv-interface.md. Safe to include on any architecture. */
#ifndef PVB_PV_UAPI_H
#define PVB_PV_UAPI_H
#include <linux/kvm.h>

/* enum pv_cmd_id */
#define PVB_PV_ENABLE		     0
#define PVB_PV_DISABLE		     1
#define PVB_PV_SET_SEC_PARMS	     2
#define PVB_PV_UNPACK		     3
#define PVB_PV_VERIFY		     4
#define PVB_PV_PREP_RESET	     5
#define PVB_PV_UNSHARE_ALL	     6
#define PVB_PV_INFO		     7	/* 6.0 */
#define PVB_PV_DUMP		     8	/* 6.0 */
#define PVB_PV_ASYNC_CLEANUP_PREPARE 9	/* 6.2 */
#define PVB_PV_ASYNC_CLEANUP_PERFORM 10 /* 6.2 */

#define PVB_CAP_S390_PROTECTED		     180
#define PVB_CAP_S390_PROTECTED_DUMP	     217
#define PVB_CAP_S390_PROTECTED_ASYNC_DISABLE 224

/* KVM_SET_DEVICE_ATTR on the VM fd: group KVM_S390_VM_MEM_CTRL, attr MEM_LIMIT_SIZE, addr
 * points to a __u64 (bytes). */
#define PVB_S390_VM_MEM_CTRL	   0
#define PVB_S390_VM_MEM_LIMIT_SIZE 2

/* KVM_PV_INFO_VM: inst_calls_list bit 23 (MSB-0 over the 256-bit list) is the
 * destroy-fast UVC; feature_indication bit 0 (MSB-0) is MISC. */
#define PVB_UVC_DESTROY_FAST_BIT 23
#define PVB_UV_FEAT_MISC_BIT	 0

#define PVB_UVC_RC_EXECUTED 0x0001

/* The mem limit at or below which PREPARE is refused (segment-table ASCE, 6.4+). */
#define PVB_PV_ASYNC_MIN_LIMIT (2ULL << 30)
/* PREPARE destroys the guest pages below this synchronously. */
#define PVB_PV_LOWER_SYNC      (2ULL << 30)

_Static_assert(sizeof(struct kvm_pv_cmd) == 32, "struct kvm_pv_cmd is 32 bytes");
_Static_assert(sizeof(struct kvm_s390_pv_unp) == 24, "struct kvm_s390_pv_unp is 24 bytes");
_Static_assert(sizeof(struct kvm_s390_pv_sec_parm) == 16, "struct kvm_s390_pv_sec_parm");

#endif

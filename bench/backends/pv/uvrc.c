/* Ultravisor rc/rrc to text. Only meanings found in public sources are listed, each with a
 * one-line reference:
 *   uv.h      Linux arch/s390/include/asm/uv.h
 *   kuv.c     Linux arch/s390/kernel/uv.c
 *   pv.c      Linux arch/s390/kvm/pv.c
 *   kut       kvm-unit-tests s390x/uv-host.c (test name in quotes)
 *   stage3a   s390-tools genprotimg/boot/stage3a.c (enum UV_RC and its messages)
 *   qemu      QEMU target/s390x/kvm/pv.c */
#include <stdio.h>

#include "backends/pv_uapi.h"
#include "uvrc.h"

#define ANY_RRC -1
#define C(x)	(1U << PVB_PV_##x)
#define ALL	0xffffU

#define NEED_DESTROY 0x8000

struct uvrc {
	unsigned cmds; /* bit per PVB_PV_* command */
	unsigned rc;
	int rrc; /* or ANY_RRC */
	const char *text;
};

#define HOSTKEY "rebuild it with pvimg/genprotimg -k and this machine's host-key document"
#define KERNEL	"KVM chose that storage, not pvbench: report it with the kernel log"

/* First match wins: specific rrc before ANY_RRC, specific commands before ALL. */
static const struct uvrc table[] = {
	/* kvm-s390-pv-async-destroy-v15.patch: kvm_s390_pv_set_aside */
	{ .cmds = C(ASYNC_CLEANUP_PREPARE),
	  .rc = 0x1,
	  .rrc = 42,
	  .text = "KVM set the old guest aside (rrc 42 is KVM's marker, not an Ultravisor "
		  "code): tear it down with KVM_PV_ASYNC_CLEANUP_PERFORM, or KVM_PV_DISABLE" },
	/* same patch: kvm_s390_pv_deinit_aside_vm */
	{ .cmds = C(ASYNC_CLEANUP_PERFORM),
	  .rc = 0x1,
	  .rrc = 42,
	  .text = "a fatal signal stopped the teardown early (rrc 42 is KVM's marker): KVM "
		  "queued the rest on need_cleanup, which KVM_PV_DISABLE or closing the VM "
		  "finishes, so time that too" },
	/* uv.h UVC_RC_EXECUTED */
	{ .cmds = ALL, .rc = 0x1, .rrc = ANY_RRC, .text = "executed successfully" },

	/* stage3a SSC_HDR_VER_MISMATCH */
	{ .cmds = C(SET_SEC_PARMS),
	  .rc = 0x104,
	  .rrc = ANY_RRC,
	  .text = "this machine's Ultravisor does not support the SE header version: rebuild "
		  "the image with pvimg/genprotimg for this machine" },
	/* kut test_set_se_header "se hdr access exception" */
	{ .cmds = C(SET_SEC_PARMS),
	  .rc = 0x103,
	  .rrc = ANY_RRC,
	  .text = "the Ultravisor could not access the SE header; KVM passes its own copy, so "
		  "this points at the kernel: see the kernel log" },
	/* stage3a SSC_UNSUPPORTED_PCF */
	{ .cmds = C(SET_SEC_PARMS),
	  .rc = 0x106,
	  .rrc = ANY_RRC,
	  .text = "the SE header sets a plaintext control flag this machine does not support: "
		  "rebuild the image without that pvimg/genprotimg option" },
	/* stage3a HOSTKEY_MISMATCH */
	{ .cmds = C(SET_SEC_PARMS),
	  .rc = 0x108,
	  .rrc = 0x5,
	  .text = "the SE header cannot be decrypted by this machine: none of its key slots is "
		  "for this host's host key (" HOSTKEY ")" },
	/* stage3a BACKUP_HOSTKEY_MISMATCH */
	{ .cmds = C(SET_SEC_PARMS),
	  .rc = 0x108,
	  .rrc = 0x34,
	  .text = "the SE header cannot be decrypted by this machine: its backup host key hash "
		  "does not match this host's keys (" HOSTKEY ")" },
	/* stage3a INVAL_ECDH_KEY_HDR */
	{ .cmds = C(SET_SEC_PARMS),
	  .rc = 0x108,
	  .rrc = 0xb,
	  .text = "the customer ECDH public key in the SE header is not valid: the header is "
		  "corrupt; rebuild the image" },
	/* stage3a SSC_HOSTKEY_HASH_ERR; qemu s390_pv_set_sec_parms */
	{ .cmds = C(SET_SEC_PARMS),
	  .rc = 0x108,
	  .rrc = ANY_RRC,
	  .text = "the SE header cannot be decrypted by this machine: the image was not sealed "
		  "with this host's host-key document (" HOSTKEY ")" },
	/* stage3a SSC_UNSUPPORTED_SCF */
	{ .cmds = C(SET_SEC_PARMS),
	  .rc = 0x109,
	  .rrc = ANY_RRC,
	  .text = "the SE header sets a secret control flag this machine does not support: "
		  "rebuild the image without that pvimg/genprotimg option" },
	/* stage3a HDR_LEN_MISMATCH */
	{ .cmds = C(SET_SEC_PARMS),
	  .rc = 0x10a,
	  .rrc = 0x31,
	  .text = "the length passed does not match the SE header's own size field: pass the "
		  "header file exactly as pvimg wrote it" },
	/* stage3a HDR_SIZE_ENC_INVAL */
	{ .cmds = C(SET_SEC_PARMS),
	  .rc = 0x10a,
	  .rrc = 0x39,
	  .text = "the size of the encrypted area in the SE header is invalid: the header is "
		  "corrupt; rebuild the image" },
	/* stage3a KEY_SLOT_EMPTY */
	{ .cmds = C(SET_SEC_PARMS),
	  .rc = 0x10a,
	  .rrc = 0x40,
	  .text = "the SE header holds no host keys: " HOSTKEY },
	/* stage3a SSC_HDR_CORRUPT */
	{ .cmds = C(SET_SEC_PARMS),
	  .rc = 0x10a,
	  .rrc = ANY_RRC,
	  .text = "the SE header is corrupt: rebuild the image" },

	/* kuv.c make_folio_secure: 0x10a means the page was not mapped (KVM retries after
	 * faulting it in, so userspace sees it only when that fails) */
	{ .cmds = C(UNPACK),
	  .rc = 0x10a,
	  .rrc = ANY_RRC,
	  .text = "the component's guest page is not mapped and could not be faulted in: check "
		  "that addr + size lies inside the guest memory (memslots)" },

	/* stage3a ALD_MISMATCH */
	{ .cmds = C(VERIFY),
	  .rc = 0x102,
	  .rrc = 0x1a,
	  .text = "the unpacked addresses differ from those sealed in the SE header: the "
		  "components were unpacked at other addresses than the image was built for "
		  "(check the IPL block or the payload load address)" },
	/* stage3a PLD_MISMATCH */
	{ .cmds = C(VERIFY),
	  .rc = 0x102,
	  .rrc = 0x1b,
	  .text = "the unpacked page contents differ from those sealed in the SE header: the "
		  "payload is not the one this header was made for, or it is corrupt" },
	/* stage3a TLD_MISMATCH */
	{ .cmds = C(VERIFY),
	  .rc = 0x102,
	  .rrc = 0x1c,
	  .text = "the unpacked tweaks differ from those sealed in the SE header: pass each "
		  "component's tweak exactly as the image/IPL block gives it" },
	/* stage3a NUM_ENC_PAGES_MISMATCH */
	{ .cmds = C(VERIFY),
	  .rc = 0x102,
	  .rrc = 0x1d,
	  .text = "the number of unpacked pages differs from the SE header's: a component is "
		  "missing, extra or has the wrong size" },
	/* stage3a UNPACK_VERIFY_MISMATCH */
	{ .cmds = C(VERIFY),
	  .rc = 0x102,
	  .rrc = ANY_RRC,
	  .text = "the unpacked image does not match the digests in the SE header: unpack "
		  "exactly the components the image was built with" },

	/* Linux commit "KVM: s390: pv: don't warn on 0x104 from destroy fast" (pv.c) */
	{ .cmds = C(ASYNC_CLEANUP_PREPARE),
	  .rc = 0x104,
	  .rrc = ANY_RRC,
	  .text = "destroy-fast refused: AP queues are still bound to the configuration; fall "
		  "back to KVM_PV_DISABLE" },

	/* ENABLE runs Create Secure Configuration, then Create Secure CPU per vCPU (pv.c). */
	/* kut test_config_create "MSO + MSL > max guest addr" */
	{ .cmds = C(ENABLE),
	  .rc = 0x102,
	  .rrc = ANY_RRC,
	  .text = "the guest memory ends above the largest guest address the Ultravisor "
		  "allows: make the guest smaller than /sys/firmware/uv/query/max_address" },
	/* kut test_cpu_create "invalid cpu #" */
	{ .cmds = C(ENABLE),
	  .rc = 0x103,
	  .rrc = ANY_RRC,
	  .text = "a vCPU number is above the Ultravisor's limit for secure guests: use fewer "
		  "vCPUs (see /sys/firmware/uv/query)" },
	/* kut test_cpu_create "already defined" */
	{ .cmds = C(ENABLE),
	  .rc = 0x104,
	  .rrc = ANY_RRC,
	  .text = "a secure CPU was already defined: recreate the VM" },
	/* kut test_config_create "ASCE private bit missing", test_cpu_create "cpu stor
	 * inaccessible" */
	{ .cmds = C(ENABLE),
	  .rc = 0x105,
	  .rrc = ANY_RRC,
	  .text = "the guest ASCE was refused or the CPU storage is inaccessible: " KERNEL },
	/* kut test_cpu_create "cpu stor in lowcore" */
	{ .cmds = C(ENABLE),
	  .rc = 0x106,
	  .rrc = ANY_RRC,
	  .text = "the secure CPU storage overlaps the lowcore: " KERNEL },
	/* kut test_cpu_create "SIE SD inaccessible" */
	{ .cmds = C(ENABLE),
	  .rc = 0x107,
	  .rrc = ANY_RRC,
	  .text = "the SIE state description is inaccessible: " KERNEL },
	/* kut test_config_create "base storage origin > available memory" */
	{ .cmds = C(ENABLE),
	  .rc = 0x108,
	  .rrc = ANY_RRC,
	  .text = "the configuration's base storage lies beyond the available memory: " KERNEL },
	/* kut test_config_create "base storage origin contains lowcore" */
	{ .cmds = C(ENABLE),
	  .rc = 0x109,
	  .rrc = ANY_RRC,
	  .text = "the configuration's base storage contains the lowcore: " KERNEL },
	/* kut test_config_create "sca == 0" */
	{ .cmds = C(ENABLE),
	  .rc = 0x10c,
	  .rrc = ANY_RRC,
	  .text = "the system control area address is 0: " KERNEL },
	/* kut test_config_create "sca inaccessible" */
	{ .cmds = C(ENABLE),
	  .rc = 0x10d,
	  .rrc = ANY_RRC,
	  .text = "the system control area is inaccessible: " KERNEL },
	/* kut test_config_create "variable storage area contains lowcore" */
	{ .cmds = C(ENABLE),
	  .rc = 0x10e,
	  .rrc = ANY_RRC,
	  .text = "the configuration's variable storage contains the lowcore: " KERNEL },

	/* uv.h UVC_RC_INV_CMD; kut test_invalid */
	{ .cmds = ALL,
	  .rc = 0x2,
	  .rrc = ANY_RRC,
	  .text = "the Ultravisor does not offer this call on this machine (its installed "
		  "calls are listed under /sys/firmware/uv/query)" },
	/* uv.h UVC_RC_INV_STATE; kut test_uv_uninitialized */
	{ .cmds = ALL,
	  .rc = 0x3,
	  .rrc = ANY_RRC,
	  .text = "the configuration is not in a state that allows this command: follow "
		  "ENABLE, SET_SEC_PARMS, UNPACK..., VERIFY, or recreate the VM" },
	/* uv.h UVC_RC_INV_LEN; kut "hdr invalid length" */
	{ .cmds = ALL,
	  .rc = 0x5,
	  .rrc = ANY_RRC,
	  .text = "the Ultravisor rejected the control block length KVM passed: a "
		  "kernel/firmware mismatch, see the kernel log" },
	/* uv.h UVC_RC_NO_RESUME (no further meaning documented) */
	{ .cmds = ALL,
	  .rc = 0x7,
	  .rrc = ANY_RRC,
	  .text = "UVC_RC_NO_RESUME in Linux asm/uv.h; pvbench knows nothing more: see the "
		  "kernel log (KVM_UV_EVENT)" },
	/* kvm-unit-tests lib/s390x/asm/uv.h UVC_RC_INV_GHANDLE; kut "invalid handle" */
	{ .cmds = ALL,
	  .rc = 0x20,
	  .rrc = ANY_RRC,
	  .text = "the secure configuration handle is invalid: it was already destroyed" },
	/* kvm-unit-tests lib/s390x/asm/uv.h UVC_RC_INV_CHANDLE; kut "invalid handle" */
	{ .cmds = ALL,
	  .rc = 0x21,
	  .rrc = ANY_RRC,
	  .text = "a secure CPU handle is invalid: the CPU was already destroyed" },
};

static const char *const cmd_names[] = {
	"KVM_PV_ENABLE",
	"KVM_PV_DISABLE",
	"KVM_PV_SET_SEC_PARMS",
	"KVM_PV_UNPACK",
	"KVM_PV_VERIFY",
	"KVM_PV_PREP_RESET",
	"KVM_PV_UNSHARE_ALL",
	"KVM_PV_INFO",
	"KVM_PV_DUMP",
	"KVM_PV_ASYNC_CLEANUP_PREPARE",
	"KVM_PV_ASYNC_CLEANUP_PERFORM",
};

static const char *lookup(unsigned cmd, unsigned rc, unsigned rrc)
{
	unsigned bit = cmd < 16 ? 1U << cmd : 0;

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const struct uvrc *e = &table[i];

		if (e->rc == rc && (e->cmds == ALL || (e->cmds & bit)) &&
		    (e->rrc == ANY_RRC || (unsigned)e->rrc == rrc))
			return e->text;
	}
	return NULL;
}

const char *pvb_uv_rc_text(unsigned cmd, unsigned rc, unsigned rrc, char *buf, size_t len)
{
	char name[32];
	const char *text, *flag = "";
	unsigned base = rc & ~NEED_DESTROY;

	if (!buf || !len)
		return buf;
	if (cmd < sizeof(cmd_names) / sizeof(cmd_names[0]))
		snprintf(name, sizeof(name), "%s", cmd_names[cmd]);
	else
		snprintf(name, sizeof(name), "KVM PV command %u", cmd);

	/* kvm-s390.c copies rc/rrc back unchanged when it fails before any UVC; pv.c
	 * kvm_s390_pv_dispose_one_leftover makes no UVC for a destroy-fast leftover */
	if (rc == 0) {
		snprintf(buf, len,
			 "%s: rc 0 rrc 0x%x: no Ultravisor call reported a result: KVM "
			 "handled the command itself (on failure the errno says why; after a "
			 "PREPARE that used destroy-fast, a successful PERFORM makes no call)",
			 name, rrc);
		return buf;
	}
	/* uv.h UVC_RC_NEED_DESTROY; pv.c kvm_s390_pv_init_vm destroys such a configuration */
	text = lookup(cmd, (rc & NEED_DESTROY) && base ? base : rc, rrc);
	if (!text) {
		snprintf(buf, len,
			 "%s: rc 0x%x rrc 0x%x: not a code pvbench knows; see the "
			 "Ultravisor documentation / the kernel log (KVM_UV_EVENT, "
			 "/sys/kernel/debug/s390dbf/kvm-uv/sprintf)",
			 name, rc, rrc);
		return buf;
	}
	if ((rc & NEED_DESTROY) && base && cmd == PVB_PV_ENABLE)
		flag = " (flag 0x8000: the half-built configuration needed a destroy, which KVM "
		       "did)";
	else if ((rc & NEED_DESTROY) && base)
		flag = " (flag 0x8000: the configuration needs to be destroyed)";
	snprintf(buf, len, "%s: rc 0x%x rrc 0x%x: %s%s", name, rc, rrc, text, flag);
	return buf;
}

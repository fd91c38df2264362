/* The pv backend's view of the s390x payload (workloads/s390x/guest.S, guest_abi.h): which
 * KVM exit is which payload event, and how a PARAM answer gets back to the guest.
 *
 * What KVM leaves in kvm_run (Linux arch/s390/kvm: intercept.c, diag.c, kvm-s390.c):
 *  - An instruction KVM does not handle itself returns KVM_EXIT_S390_SIEIC with the SIE
 *    intercept code and the instruction's first bytes: ipa = opcode and register fields,
 *    ipb = base/displacement. DIAG 0x500 that is not a virtio-ccw notify (r1 != 3) is such
 *    an instruction. Intercept codes: 4 (instruction, ordinary guest), 104 (ICPT_PV_INSTR:
 *    the Ultravisor wants the host to emulate it), 108 (ICPT_PV_NOTIFY: it was done, the
 *    host is told), from asm/kvm_host.h; QEMU's handle_intercept treats all three alike.
 *  - For a protected guest the Ultravisor rewrites the instruction as ipa 0x8302 (R1 = 0,
 *    R3 = 2), ipb 0x50000000 (base register 5, displacement 0) with the DIAG code in gr5,
 *    the R1 register's content in gr0 and R3's in gr2; for DIAG 0x500 it shows r1-r4 at
 *    their own numbers (kvm-unit-tests lib/s390x/sie-icpt.c, s390x/pv-diags.c). KVM copies
 *    the exposed registers into run->s.regs.gprs, and back before the next SIE entry.
 *    Decoding the code the way QEMU's handle_diag does ((base ? gr[base] : 0) + disp, low
 *    16 bits) works for both kinds of guest.
 *  - DIAG 0x308 subcodes 3 and 4 never reach userspace as an intercept: KVM's
 *    __diag_ipl_functions turns them into KVM_EXIT_S390_RESET with s390_reset_flags
 *    (CLEAR for 3) | SUBSYSTEM | IPL | CPU_INIT. Other subcodes come as intercepts.
 *  - SIGP RESTART always goes to userspace (KVM: "user space must know about restart"). */
#ifndef __s390x__
#error "pv_s390x.c is for s390x hosts; other architectures build pv_arch_none.c"
#endif

#include <inttypes.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>

#include "pv_arch.h"
#include "s390x/guest_abi.h"

#define ICPT_INST      0x04
#define ICPT_PROGI     0x08
#define ICPT_WAIT      0x1c
#define ICPT_VALIDITY  0x20
#define ICPT_STOP      0x28
#define ICPT_OPEREXC   0x2c
#define ICPT_PV_INSTR  0x68
#define ICPT_PV_NOTIFY 0x6c

#define OP_DIAG 0x83
#define OP_SIGP 0xae

#define SIGP_RESTART	6
#define SIGP_SET_PREFIX 13

static const char *icpt_name(unsigned int icpt)
{
	switch (icpt) {
	case ICPT_INST:
		return "instruction";
	case ICPT_PROGI:
		return "program interruption";
	case ICPT_WAIT:
		return "wait PSW";
	case ICPT_VALIDITY:
		return "validity";
	case ICPT_STOP:
		return "stop";
	case ICPT_OPEREXC:
		return "operation exception";
	case ICPT_PV_INSTR:
		return "PV instruction";
	case ICPT_PV_NOTIFY:
		return "PV notification";
	default:
		return "intercept";
	}
}

static const char *exit_name(uint32_t reason)
{
	switch (reason) {
	case KVM_EXIT_S390_SIEIC:
		return "S390_SIEIC";
	case KVM_EXIT_S390_RESET:
		return "S390_RESET";
	case KVM_EXIT_S390_UCONTROL:
		return "S390_UCONTROL";
	case KVM_EXIT_S390_TSCH:
		return "S390_TSCH";
	case KVM_EXIT_S390_STSI:
		return "S390_STSI";
	case KVM_EXIT_INTR:
		return "INTR";
	case KVM_EXIT_INTERNAL_ERROR:
		return "INTERNAL_ERROR";
	case KVM_EXIT_SHUTDOWN:
		return "SHUTDOWN";
	case KVM_EXIT_FAIL_ENTRY:
		return "FAIL_ENTRY";
	case KVM_EXIT_DEBUG:
		return "DEBUG";
	default:
		return "unknown";
	}
}

/* Guest general register i as KVM exposes it (__u64 is unsigned long long there). */
static uint64_t gpr(const struct kvm_run *run, unsigned int i)
{
	return run->s.regs.gprs[i & 0xf];
}

/* The second-operand address of an RS instruction, as QEMU's decode_basedisp_rs and KVM's
 * kvm_s390_get_base_disp_rs compute it (12-bit displacement). */
static uint64_t rs_addr(const struct kvm_run *run)
{
	uint32_t ipb = run->s390_sieic.ipb;
	unsigned int base = ipb >> 28;
	uint64_t disp = (ipb >> 16) & 0xfff;

	return (base ? gpr(run, base) : 0) + disp;
}

static int unknown(struct pvb_pvx *e, const struct kvm_run *run, const char *why)
{
	e->kind = PVB_PVX_UNKNOWN;
	if (run->exit_reason == KVM_EXIT_S390_SIEIC)
		snprintf(e->what, sizeof(e->what),
			 "%s%sexit S390_SIEIC, icptcode %u (%s), ipa 0x%04x, ipb 0x%08x",
			 why ? why : "", why ? ": " : "", run->s390_sieic.icptcode,
			 icpt_name(run->s390_sieic.icptcode), run->s390_sieic.ipa,
			 run->s390_sieic.ipb);
	else if (run->exit_reason == KVM_EXIT_INTERNAL_ERROR)
		snprintf(e->what, sizeof(e->what), "%s%sexit INTERNAL_ERROR, suberror %u",
			 why ? why : "", why ? ": " : "", run->internal.suberror);
	else
		snprintf(e->what, sizeof(e->what), "%s%sexit reason %u (%s)", why ? why : "",
			 why ? ": " : "", run->exit_reason, exit_name(run->exit_reason));
	return 0;
}

static int decode_diag500(const struct kvm_run *run, struct pvb_pvx *e)
{
	uint64_t fc = gpr(run, 1);
	char why[80];

	e->arg = gpr(run, 2);
	switch (fc) {
	case PVB_DIAG_PARAM:
		e->kind = PVB_PVX_PARAM;
		return 0;
	case PVB_DIAG_ALIVE:
		e->kind = PVB_PVX_ALIVE;
		return 0;
	case PVB_DIAG_PROGRESS:
		e->kind = PVB_PVX_PROGRESS;
		return 0;
	case PVB_DIAG_POPULATED:
		e->kind = PVB_PVX_POPULATED;
		return 0;
	case PVB_DIAG_FAULT:
		e->kind = PVB_PVX_FAULT;
		e->arg = gpr(run, 2) & 0xffff;
		snprintf(e->what, sizeof(e->what),
			 "program interruption code 0x%04" PRIx64 ", old PSW %016" PRIx64
			 " %016" PRIx64,
			 e->arg, gpr(run, 4), gpr(run, 3));
		return 0;
	default:
		e->arg = 0;
		snprintf(why, sizeof(why),
			 "DIAG 0x500 with function code 0x%" PRIx64 " (not the payload's)", fc);
		return unknown(e, run, why);
	}
}

int pvb_pv_arch_decode(struct kvm_run *run, struct pvb_pvx *e)
{
	unsigned int icpt, ipa, r3;
	uint64_t code;
	char why[120];

	memset(e, 0, sizeof(*e));
	if (!run) {
		e->kind = PVB_PVX_UNKNOWN;
		snprintf(e->what, sizeof(e->what), "no vCPU exit to decode");
		return 0;
	}
	switch (run->exit_reason) {
	case KVM_EXIT_S390_RESET:
		/* DIAG 0x308 subcode 3 (or 4), as KVM reports it. */
		if (run->s390_reset_flags & KVM_S390_RESET_IPL) {
			e->kind = PVB_PVX_REBOOT;
			e->arg = run->s390_reset_flags;
			snprintf(e->what, sizeof(e->what),
				 "re-IPL (DIAG 0x308), reset flags 0x%llx",
				 (unsigned long long)run->s390_reset_flags);
			return 0;
		}
		snprintf(why, sizeof(why), "reset without IPL, flags 0x%llx",
			 (unsigned long long)run->s390_reset_flags);
		return unknown(e, run, why);
	case KVM_EXIT_S390_SIEIC:
		break;
	default:
		return unknown(e, run, NULL);
	}

	icpt = run->s390_sieic.icptcode;
	ipa = run->s390_sieic.ipa;
	if (icpt != ICPT_INST && icpt != ICPT_PV_INSTR && icpt != ICPT_PV_NOTIFY)
		return unknown(e, run, NULL);
	r3 = ipa & 0xf;

	switch (ipa >> 8) {
	case OP_DIAG:
		code = rs_addr(run) & 0xffff;
		switch (code) {
		case PVB_DIAG_CODE:
			return decode_diag500(run, e);
		case PVB_DIAG_IPL:
			if ((gpr(run, r3) & 0xffff) == PVB_DIAG308_REIPL) {
				e->kind = PVB_PVX_REBOOT;
				snprintf(e->what, sizeof(e->what), "re-IPL (DIAG 0x308 subcode 3)");
				return 0;
			}
			snprintf(why, sizeof(why),
				 "DIAG 0x308 subcode %" PRIu64 " (the payload uses 3)",
				 gpr(run, r3) & 0xffff);
			return unknown(e, run, why);
		case 0x44:
		case 0x9c:
			/* Time-slice yields: KVM handles them; nothing for the protocol. */
			e->kind = PVB_PVX_NONE;
			return 0;
		default:
			snprintf(why, sizeof(why), "DIAG 0x%" PRIx64, code);
			return unknown(e, run, why);
		}
	case OP_SIGP:
		/* vCPU 0 starting the others (guest_abi.h): the host has to inject
		 * KVM_S390_RESTART into the addressed vCPU and set it OPERATING. */
		code = rs_addr(run) & 0xff;
		snprintf(why, sizeof(why), "SIGP %s (order %" PRIu64 ") to CPU %" PRIu64 "%s",
			 code == SIGP_RESTART	 ? "RESTART" :
			 code == SIGP_SET_PREFIX ? "SET PREFIX" :
						   "",
			 code, gpr(run, r3) & 0xffff,
			 code == SIGP_RESTART ? ", which this host does not handle" : "");
		return unknown(e, run, why);
	default:
		return unknown(e, run, NULL);
	}
}

void pvb_pv_arch_reply(struct kvm_run *run, uint64_t value)
{
	/* The guest registers live in run->s.regs.gprs; KVM copies them into the SIE page for
	 * a protected vCPU before every entry, and the Ultravisor gives r2 back to the guest
	 * after DIAG 0x500. QEMU marks them dirty the same way (kvm_arch_put_registers). */
	run->s.regs.gprs[2] = value;
	run->kvm_dirty_regs |= KVM_SYNC_GPRS;
}

int pvb_pv_arch_available(void)
{
	return 1;
}

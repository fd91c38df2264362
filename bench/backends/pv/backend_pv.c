/* The pv backends: protected guests through KVM_S390_PV_COMMAND. `pv` drives the real
 * device (s390x with Secure Execution), `pv-emulated` the model (pvem.h), through the same
 * calls (pvdev.h). Like QEMU, a lane keeps one VM and its memory across reboots; a reboot
 * replaces the protected configuration:
 *   sync:  KVM_PV_DISABLE, then ENABLE + SET_SEC_PARMS + UNPACK + VERIFY of the new guest;
 *   async: KVM_PV_ASYNC_CLEANUP_PREPARE, the new guest at once, and
 *          KVM_PV_ASYNC_CLEANUP_PERFORM on the placed cleanup thread. A refused PREPARE
 *          (EINVAL: one already set aside, memory limit <= 2 GiB, async_destroy off) falls
 *          back to DISABLE, as the kernel documentation says, and is counted. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "backends/vcpu.h"
#include "pv_image.h"
#include "pv_lane.h"
#include "phase.h"
#include "pv_options.h"
#include "pvbench.h"
#include "pvdev.h"
#include "s390x/guest_abi.h"
#include "timing.h"
#include "uvrc.h"

#define PROGRESS_EVERY 1024 /* pages between PROGRESS exits: 4 MiB */

struct pv_vcpu {
	struct pvb_guest *g;
	int id;
	uint64_t pages; /* written so far */
};

enum gstate { G_NEW, G_PROTECTED, G_ASIDE, G_REAPED };

struct pvb_guest {
	struct pvb_vcpus vc; /* first: the shared vCPU ops find it (vcpu.h) */
	struct pv_lane *l;
	struct pvb_guest_params p;
	enum gstate state;
	struct pvb_phase_times ph;
	struct pvb_parts cp; /* the create's sub-phases */
	uint64_t exports0;
	int nvcpus;
	struct pv_vcpu vcpus[];
};

_Static_assert(offsetof(struct pvb_guest, vc) == 0, "vcpu.h: struct pvb_vcpus comes first");

/* A failed PV command, with the Ultravisor's codes explained. */
static int cmd_fail(const char *what, unsigned cmd, int r, uint16_t rc, uint16_t rrc)
{
	char txt[512];

	pvb_err("%s failed: %s; Ultravisor rc 0x%04x rrc 0x%04x: %s", what, strerror(-r), rc, rrc,
		pvb_uv_rc_text(cmd, rc, rrc, txt, sizeof(txt)));
	return PVB_EXIT_FAIL;
}

static uint64_t param(struct pvb_guest *g, int id, uint64_t which)
{
	uint64_t usable = (g->p.size - PVB_S390_RAM_START) / 4096, share = usable / g->nvcpus;
	uint64_t base = PVB_S390_RAM_START + (uint64_t)id * share * 4096;

	if (id == g->nvcpus - 1)
		share = usable - share * (uint64_t)(g->nvcpus - 1);
	switch (which) {
	case PVB_PARAM_VCPU_ID:
		return (uint64_t)id;
	case PVB_PARAM_SHARE_BASE:
		return base;
	case PVB_PARAM_SHARE_PAGES:
		return share;
	case PVB_PARAM_TOUCH_PAGES:
		return (uint64_t)((double)share * g->p.touch);
	case PVB_PARAM_FLAGS:
		return g->p.order == PVB_ORDER_RANDOM ? PVB_S390_FLAG_RANDOM : 0;
	case PVB_PARAM_SEED:
		return g->p.seed + (uint64_t)id;
	case PVB_PARAM_PROGRESS_EVERY:
		return PROGRESS_EVERY;
	case PVB_PARAM_NVCPUS:
		/* vCPU 0 would start the others with SIGP RESTART, which the host must serve
		 * (not written: the probe keeps real guests at one vCPU). */
		return 1;
	default:
		return 0;
	}
}

/* One payload event. Returns false when the vCPU must stop running. */
static bool event(struct pv_vcpu *v, struct pvdev_vcpu *dv, const struct pvb_pvx *e, uint64_t t)
{
	struct pvb_guest *g = v->g;
	struct pvb_gevents *ev = &g->vc.ev;
	bool more = true;

	if (e->kind == PVB_PVX_PARAM) {
		g->l->d->reply(dv, param(g, v->id, e->arg));
		return true;
	}
	if (e->kind == PVB_PVX_PROGRESS) {
		__atomic_store_n(&v->pages, e->arg, __ATOMIC_RELAXED);
		return true;
	}
	pthread_mutex_lock(&ev->lock);
	switch (e->kind) {
	case PVB_PVX_NONE:
		break;
	case PVB_PVX_ALIVE:
		pvb_gev_alive(ev, t);
		break;
	case PVB_PVX_POPULATED:
		__atomic_store_n(&v->pages, e->arg, __ATOMIC_RELAXED);
		more = pvb_gev_populated(ev, v->id, t);
		break;
	case PVB_PVX_REBOOT:
		pvb_gev_reboot(ev, t);
		more = false;
		break;
	case PVB_PVX_FAULT:
		if (e->arg == PVDEV_FAULT_OLD_DATA) {
			pvb_gev_fail(ev, PVB_EXIT_VERIFY,
				     "--verify-clean: vCPU %d found old data in the new guest (%s)",
				     v->id, e->what);
			more = false;
			break;
		}
		pvb_gev_fail(ev, PVB_EXIT_FAIL, "guest program interruption 0x%llx on vCPU %d%s%s",
			     (unsigned long long)e->arg, v->id, e->what[0] ? ": " : "", e->what);
		more = false;
		break;
	default:
		pvb_gev_fail(ev, PVB_EXIT_FAIL, "vCPU %d: unexpected exit: %s", v->id, e->what);
		more = false;
	}
	pthread_mutex_unlock(&ev->lock);
	return more;
}

static void *vcpu_thread(void *arg)
{
	struct pv_vcpu *v = arg;
	struct pvb_guest *g = v->g;
	struct pvdev_vcpu *dv = g->l->vcpus[v->id];
	struct pvb_gevents *ev = &g->vc.ev;

	pvb_block_stop_signals();
	for (;;) {
		struct pvb_pvx e;
		int r;

		if (pvb_gev_stopping(ev))
			break;
		r = g->l->d->run(dv, &e);
		if (r == -EINTR || r == -EAGAIN)
			continue;
		if (r < 0) {
			pvb_gev_fail_unlocked(ev, PVB_EXIT_FAIL, "running vCPU %d: %s", v->id,
					      strerror(-r));
			break;
		}
		if (!event(v, dv, &e, pvb_now_ns()))
			break;
	}
	return NULL;
}

/* ENABLE + SET_SEC_PARMS + UNPACK + VERIFY: the new secure configuration (ENABLE is the
 * VM part of the create, the rest the load). */
static int protect(struct pvb_guest *g)
{
	struct pv_lane *l = g->l;
	struct kvm_s390_pv_sec_parm sp = { .origin = (uint64_t)(uintptr_t)l->img.hdr,
					   .length = l->img.hdr_len };
	uint16_t rc, rrc;
	int r;

	if ((r = pvdev_cmd(l->d, l->vm, PVB_PV_ENABLE, 0, &rc, &rrc)))
		return cmd_fail("KVM_PV_ENABLE", PVB_PV_ENABLE, r, rc, rrc);
	g->state = G_PROTECTED;
	pvb_parts_lap(&g->cp, PVB_CP_VM);
	if ((r = pvdev_cmd(l->d, l->vm, PVB_PV_SET_SEC_PARMS, (uint64_t)(uintptr_t)&sp, &rc, &rrc)))
		return cmd_fail("KVM_PV_SET_SEC_PARMS", PVB_PV_SET_SEC_PARMS, r, rc, rrc);
	for (int i = 0; i < l->img.ncomp; i++) {
		struct kvm_s390_pv_unp u = { l->img.comp[i].addr, l->img.comp[i].size,
					     l->img.comp[i].tweak };

		if ((r = pvdev_cmd(l->d, l->vm, PVB_PV_UNPACK, (uint64_t)(uintptr_t)&u, &rc,
				   &rrc))) {
			char what[96];

			snprintf(what, sizeof(what),
				 "KVM_PV_UNPACK of component %d (0x%llx+0x%llx)", i,
				 (unsigned long long)u.addr, (unsigned long long)u.size);
			return cmd_fail(what, PVB_PV_UNPACK, r, rc, rrc);
		}
	}
	if ((r = pvdev_cmd(l->d, l->vm, PVB_PV_VERIFY, 0, &rc, &rrc)))
		return cmd_fail("KVM_PV_VERIFY", PVB_PV_VERIFY, r, rc, rrc);
	return 0;
}

static int pv_disable(struct pvb_guest *g, uint64_t *ns)
{
	uint64_t t0 = pvb_now_ns();
	uint16_t rc, rrc;
	int r = pvdev_cmd(g->l->d, g->l->vm, PVB_PV_DISABLE, 0, &rc, &rrc);

	*ns = pvb_now_ns() - t0;
	if (r)
		return cmd_fail("KVM_PV_DISABLE", PVB_PV_DISABLE, r, rc, rrc);
	return 0;
}

static void pv_kick(struct pvb_guest *g, int i)
{
	g->l->d->kick(g->l->vcpus[i]);
}

static int pv_create_dev(const struct pvdev_ops *d, const struct pvb_guest_params *p,
			 struct pvb_guest **out)
{
	struct pv_lane *l;
	struct pvb_guest *g;
	struct pvb_parts cp;
	uint64_t t0;
	int rc;

	pvb_parts_begin(&cp, pvb_now_ns());
	if ((rc = pv_lane_get(d, p, &l, &cp)))
		return rc;
	g = calloc(1, sizeof(*g) + (size_t)p->vcpus * sizeof(g->vcpus[0]));
	if (!g) {
		pvb_err("out of memory");
		return PVB_EXIT_FAIL;
	}
	g->l = l;
	g->p = *p;
	g->cp = cp;
	g->nvcpus = p->vcpus;
	/* generous: qemu-user runs the model 10-50 times slower */
	if (pvb_vcpus_init(&g->vc, p->vcpus, 300000000000ULL + (p->size >> 30) * 60000000000ULL,
			   pv_kick)) {
		free(g);
		return PVB_EXIT_FAIL;
	}
	for (int i = 0; i < g->nvcpus; i++) {
		g->vcpus[i].g = g;
		g->vcpus[i].id = i;
	}
	g->ph.mem_limit = l->mem_limit;
	pthread_mutex_lock(&l->lock);
	l->guests++;
	pthread_mutex_unlock(&l->lock);
	/* The encrypted image goes into guest memory; UNPACK decrypts it in place. */
	pvb_parts_lap(&g->cp, PVB_CP_VM);
	memcpy(l->ram, l->img.load, l->img.load_len);
	/* test hook (pv-emulated): a page of the new guest's share left uncleared */
	if (p->debug_dirty && d->emulated && p->size > PVB_S390_RAM_START)
		memset(l->ram + PVB_S390_RAM_START, 0x5a, 64);
	t0 = pvb_parts_lap(&g->cp, PVB_CP_LOAD);
	rc = protect(g);
	g->ph.enable_ns = pvb_parts_lap(&g->cp, PVB_CP_LOAD) - t0;
	g->exports0 = pv_lane_exports(l);
	*out = g;
	return rc;
}

static int pv_start(struct pvb_guest *g)
{
	struct pv_lane *l = g->l;
	int r;

	for (int i = 0; i < g->nvcpus; i++) {
		l->d->unkick(l->vcpus[i]);
		/* LOAD, then OPERATING: the Ultravisor starts the CPU at the sealed PSW. Only
		 * the boot CPU of a real guest; the model starts all of them. */
		if (i > 0 && !l->d->emulated)
			continue;
		if ((r = l->d->set_mp_state(l->vcpus[i], KVM_MP_STATE_LOAD)) ||
		    (r = l->d->set_mp_state(l->vcpus[i], KVM_MP_STATE_OPERATING))) {
			pvb_err("KVM_SET_MP_STATE on vCPU %d: %s", i, strerror(-r));
			return PVB_EXIT_FAIL;
		}
	}
	return pvb_vcpus_start(&g->vc, &g->p, vcpu_thread, g->vcpus, sizeof(g->vcpus[0]));
}

static int pv_set_aside(struct pvb_guest *g)
{
	struct pv_lane *l = g->l;
	uint64_t t0 = pvb_now_ns();
	uint16_t rc, rrc;
	int r;

	if (g->state != G_PROTECTED)
		return 0;
	r = pvdev_cmd(l->d, l->vm, PVB_PV_ASYNC_CLEANUP_PREPARE, 0, &rc, &rrc);
	g->ph.prepare_ns = pvb_now_ns() - t0;
	if (!r) {
		pthread_mutex_lock(&l->lock);
		g->state = G_ASIDE;
		l->aside = g;
		pthread_mutex_unlock(&l->lock);
		return 0;
	}
	/* EINVAL: refused; ENOTTY: a kernel before 6.2 does not know the command */
	if (r != -EINVAL && r != -ENOTTY)
		return cmd_fail("KVM_PV_ASYNC_CLEANUP_PREPARE", PVB_PV_ASYNC_CLEANUP_PREPARE, r, rc,
				rrc);
	/* Refused: DISABLE instead, which also reaps a guest still set aside. */
	g->ph.fallback = 1;
	if ((r = pv_disable(g, &g->ph.disable_ns)))
		return r;
	pthread_mutex_lock(&l->lock);
	g->state = G_REAPED;
	if (l->aside) {
		l->aside->state = G_REAPED;
		l->aside = NULL;
	}
	pthread_mutex_unlock(&l->lock);
	return 0;
}

static int pv_destroy(struct pvb_guest *g, struct pvb_teardown *td)
{
	struct pv_lane *l = g->l;
	uint64_t c0 = pvb_thread_cpu_ns(), t0;
	enum gstate st;
	int rc = 0, r;

	td->t_start = pvb_now_ns();
	pvb_parts_begin(&td->parts, td->t_start);
	pvb_vcpus_stop(g);
	pthread_mutex_lock(&l->lock);
	st = g->state;
	if (l->aside == g)
		l->aside = NULL; /* PREPARE may be issued again once PERFORM has started */
	pthread_mutex_unlock(&l->lock);
	t0 = pvb_parts_lap(&td->parts, PVB_XP_VCPU);
	if (st == G_ASIDE) {
		enum pvb_phase was = pvb_phase_set(PVB_PHASE_PERFORM); /* --phase-file */
		uint16_t uvrc, uvrrc;

		r = pvdev_cmd(l->d, l->vm, PVB_PV_ASYNC_CLEANUP_PERFORM, 0, &uvrc, &uvrrc);
		td->perform_ns = pvb_now_ns() - t0;
		pvb_phase_set(was);
		if (r == -EINVAL)
			td->reaped = true; /* a fallback DISABLE took it meanwhile */
		else if (r)
			rc = cmd_fail("KVM_PV_ASYNC_CLEANUP_PERFORM", PVB_PV_ASYNC_CLEANUP_PERFORM,
				      r, uvrc, uvrrc);
	} else if (st == G_PROTECTED) {
		rc = pv_disable(g, &td->disable_ns);
	} else {
		td->reaped = st == G_REAPED;
	}
	/* PERFORM or DISABLE: the Ultravisor destroys (clears) the old configuration's pages and
	 * the configuration; the memory stays mapped for the lane's next guest */
	td->t_end = pvb_parts_lap(&td->parts, PVB_XP_RELEASE);
	td->release_ns = td->t_end - t0;
	td->cpu_ns = pvb_thread_cpu_ns() - c0;
	if (td->progress && (td->perform_ns || td->disable_ns)) /* the sampler reads it meanwhile */
		__atomic_store_n(td->progress, g->p.size, __ATOMIC_RELAXED);
	pthread_mutex_lock(&l->lock);
	l->guests--;
	pthread_mutex_unlock(&l->lock);
	pvb_gev_destroy(&g->vc.ev);
	free(g);
	return rc;
}

static uint64_t pv_progress(const struct pvb_guest *g)
{
	uint64_t pages = 0;

	for (int i = 0; i < g->nvcpus; i++)
		pages += __atomic_load_n(&g->vcpus[i].pages, __ATOMIC_RELAXED);
	return pages * 4096;
}

static uint64_t pv_populated_bytes(const struct pvb_guest *g)
{
	return pv_progress(g);
}

static int pv_mem_policy(const struct pvb_guest *g, char *out, size_t len)
{
	return pvb_mempolicy_read(g->l->ram, out, len);
}

static int pv_create_parts(const struct pvb_guest *g, struct pvb_parts *out)
{
	*out = g->cp;
	return 0;
}

static int pv_phases(const struct pvb_guest *g, struct pvb_phase_times *out)
{
	*out = g->ph;
	if (g->l->d->emulated)
		out->exports = pv_lane_exports(g->l) - g->exports0;
	return 0;
}

static int pv_probe(const struct pvb_guest_params *p, char *why, size_t len)
{
	return pv_dev_probe(&pvdev_kvm_ops, p, why, len);
}

static int pv_create(const struct pvb_guest_params *p, struct pvb_guest **out)
{
	return pv_create_dev(&pvdev_kvm_ops, p, out);
}

static json_t *pv_describe(const struct pvb_guest_params *p)
{
	return pv_dev_describe(&pvdev_kvm_ops, p);
}

/* What the pv backends make of this host, added to the host description's kvm.s390 (the
 * real one opens the device). */
void pvb_pv_host_facts(json_t *o)
{
	struct pvb_guest_params p = { .pv_misc = -1 };
	char why[512] = "";
	int rc = pvdev_kvm_ops.open(NULL, why, sizeof(why));

	json_object_set_new(o, "pv_backend",
			    rc ? json_sprintf("unavailable: %s", why) : json_string("available"));
	/* KVM_PV_INFO: destroy-fast and MISC change what a destroy costs */
	json_object_set_new(o, "pv_info",
			    rc ? json_string("not read: KVM_PV_INFO needs the "
					     "pv device") :
				 pv_describe(&p));
	json_object_set_new(o, "pv_emulated_backend",
			    json_string("available on any host: an executable model of the kernel "
					"and Ultravisor behaviour (costs are parameters, not "
					"measurements)"));
}

static int em_probe(const struct pvb_guest_params *p, char *why, size_t len)
{
	return pv_dev_probe(&pvdev_emul_ops, p, why, len);
}

static int em_create(const struct pvb_guest_params *p, struct pvb_guest **out)
{
	return pv_create_dev(&pvdev_emul_ops, p, out);
}

static json_t *em_describe(const struct pvb_guest_params *p)
{
	return pv_dev_describe(&pvdev_emul_ops, p);
}

#define PV_COMMON_OPS                                                                       \
	.start = pv_start, PVB_VCPUS_OPS, .set_aside = pv_set_aside, .destroy = pv_destroy, \
	.populated_bytes = pv_populated_bytes, .progress = pv_progress,                     \
	.mem_policy = pv_mem_policy, .phases = pv_phases, .release = pv_lanes_release,      \
	.create_parts = pv_create_parts

const struct pvb_backend_ops pvb_backend_pv = {
	.name = "pv",
	.description = "protected guests through KVM_S390_PV_COMMAND (s390x, Secure Execution)",
	.probe = pv_probe,
	.create = pv_create,
	.describe = pv_describe,
	.options = &pvb_pv_option_table,
	PV_COMMON_OPS,
};

const struct pvb_backend_ops pvb_backend_pv_emulated = {
	.name = "pv-emulated",
	.description = "a MODEL of the kernel and Ultravisor behaviour for protected guests "
		       "(costs are parameters; memory is real)",
	.emulated = true,
	.probe = em_probe,
	.create = em_create,
	.describe = em_describe,
	.options = &pvb_pv_option_table,
	PV_COMMON_OPS,
};

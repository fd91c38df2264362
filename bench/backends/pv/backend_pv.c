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
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "backends/backend.h"
#include "backends/gevents.h"
#include "pv_image.h"
#include "pv_options.h"
#include "pvbench.h"
#include "pvdev.h"
#include "backends/pvem/pvem.h"
#include "s390x/guest_abi.h"
#include "timing.h"
#include "uvrc.h"

#define MAX_LANES 64
#define PROGRESS_EVERY 1024 /* pages between PROGRESS exits: 4 MiB */

struct pv_vcpu {
	struct pvb_guest *g;
	int id;
	pthread_t thread;
	bool started;
	uint64_t pages;  /* written so far */
};

/* The VM a lane keeps across reboots. */
struct pv_lane {
	const struct pvdev_ops *d;
	struct pvdev_vm *vm;
	uint8_t *ram;
	uint64_t size, mem_limit;
	int nvcpus;
	struct pvdev_vcpu *vcpus[PVB_S390_MAX_VCPUS];
	struct pv_image img;
	int guests;               /* guests alive on this VM */
	struct pvb_guest *aside;  /* set aside, PERFORM not started */
	pthread_mutex_t lock;
	bool lock_ready;
};

enum gstate { G_NEW, G_PROTECTED, G_ASIDE, G_REAPED };

struct pvb_guest {
	struct pv_lane *l;
	struct pvb_guest_params p;
	enum gstate state;
	struct pvb_gevents ev;
	struct pvb_phase_times ph;
	uint64_t exports0;
	int nvcpus;
	struct pv_vcpu vcpus[];
};

static struct pv_lane lanes[MAX_LANES];
static struct pvem_settings em_settings;
static const struct pvdev_ops *opened;

/* A failed PV command, with the Ultravisor's codes explained. */
static int cmd_fail(const char *what, unsigned cmd, int r, uint16_t rc, uint16_t rrc)
{
	char txt[512];

	pvb_err("%s failed: %s; Ultravisor rc 0x%04x rrc 0x%04x: %s", what, strerror(-r), rc, rrc,
		pvb_uv_rc_text(cmd, rc, rrc, txt, sizeof(txt)));
	return PVB_EXIT_FAIL;
}

static int dev_open(const struct pvdev_ops *d, const struct pvb_guest_params *p, char *why,
		    size_t len)
{
	int rc;

	if (d->emulated) {
		pvem_defaults(&em_settings);
		if (p->pv_costs && (rc = pvem_load(p->pv_costs, &em_settings, why, len)))
			return rc;
		if (p->pv_misc >= 0)
			em_settings.misc = p->pv_misc;
	}
	rc = d->open(&em_settings, why, len);
	if (!rc)
		opened = d;
	return rc;
}

static int pv_probe_dev(const struct pvdev_ops *d, const struct pvb_guest_params *p, char *why,
			size_t len)
{
	int rc;

	if (p->backing != PVB_BACKING_ANON) {
		snprintf(why, len, "protected guests run on 4 KiB anonymous memory only (KVM "
			 "refuses huge pages for them): drop --backing %s",
			 pvb_backing_name(p->backing));
		return PVB_EXIT_USAGE;
	}
	if (p->size % PVB_MIB || p->size < 2 * PVB_MIB) {
		snprintf(why, len, "s390 guest memory is a multiple of 1 MiB, at least 2 MiB: "
			 "--size %llu bytes is not", (unsigned long long)p->size);
		return PVB_EXIT_USAGE;
	}
	if (p->vcpus > PVB_S390_MAX_VCPUS) {
		snprintf(why, len, "at most %d vCPUs", PVB_S390_MAX_VCPUS);
		return PVB_EXIT_USAGE;
	}
	if (!d->emulated && p->vcpus != 1) {
		snprintf(why, len, "the s390x payload starts one CPU (secondary CPUs need SIGP "
			 "from the guest, not written yet): use --vcpus 1 with --backend pv");
		return PVB_EXIT_USAGE;
	}
	if (p->verify_clean || p->scrub || p->debug_dirty) {
		snprintf(why, len, "--verify-clean and --scrub are kvm-backend options: a protected "
			 "guest's memory is cleared by the Ultravisor and hidden from the host");
		return PVB_EXIT_USAGE;
	}
	if (p->cleanup_threads > 1) {
		snprintf(why, len, "KVM_PV_ASYNC_CLEANUP_PERFORM is one call on one thread: "
			 "--cleanup-threads must be 1 with the pv backends");
		return PVB_EXIT_USAGE;
	}
	if (!d->emulated && !p->se_image && !(p->payload && p->se_header)) {
		snprintf(why, len, "a real protected guest needs a sealed image: --se-image FILE, or "
			 "--payload BIN --se-header HDR (make them on the z16 with "
			 "scripts/se-seal.sh and its host-key document)");
		return PVB_EXIT_USAGE;
	}
	if ((p->payload != NULL) != (p->se_header != NULL)) {
		snprintf(why, len, "--payload and --se-header go together (or give --se-image)");
		return PVB_EXIT_USAGE;
	}
	if ((rc = dev_open(d, p, why, len)))
		return rc;
	if (d->check_extension(PVB_CAP_S390_PROTECTED_ASYNC_DISABLE) <= 0)
		pvb_warn("KVM_CAP_S390_PROTECTED_ASYNC_DISABLE (224) is absent or 0 (kernel before "
			 "6.2, or kvm.async_destroy=0): every async reboot will fall back to "
			 "KVM_PV_DISABLE");
	return 0;
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
	const struct pvdev_ops *d = g->l->d;
	bool more = true;

	if (e->kind == PVB_PVX_PARAM) {
		d->reply(dv, param(g, v->id, e->arg));
		return true;
	}
	if (e->kind == PVB_PVX_PROGRESS) {
		__atomic_store_n(&v->pages, e->arg, __ATOMIC_RELAXED);
		return true;
	}
	pthread_mutex_lock(&g->ev.lock);
	switch (e->kind) {
	case PVB_PVX_NONE:
		break;
	case PVB_PVX_ALIVE:
		pvb_gev_alive(&g->ev, t);
		break;
	case PVB_PVX_POPULATED:
		__atomic_store_n(&v->pages, e->arg, __ATOMIC_RELAXED);
		more = pvb_gev_populated(&g->ev, v->id, t);
		break;
	case PVB_PVX_REBOOT:
		pvb_gev_reboot(&g->ev, t);
		more = false;
		break;
	case PVB_PVX_FAULT:
		pvb_gev_fail(&g->ev, PVB_EXIT_FAIL, "guest program interruption 0x%llx on vCPU %d%s%s",
		     (unsigned long long)e->arg, v->id, e->what[0] ? ": " : "", e->what);
		more = false;
		break;
	default:
		pvb_gev_fail(&g->ev, PVB_EXIT_FAIL, "vCPU %d: unexpected exit: %s", v->id, e->what);
		more = false;
	}
	pthread_mutex_unlock(&g->ev.lock);
	return more;
}

static void *vcpu_thread(void *arg)
{
	struct pv_vcpu *v = arg;
	struct pvb_guest *g = v->g;
	struct pvdev_vcpu *dv = g->l->vcpus[v->id];
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, NULL);
	for (;;) {
		struct pvb_pvx e;
		int r;

		if (pvb_gev_stopping(&g->ev))
			break;
		r = g->l->d->run(dv, &e);
		if (r == -EINTR || r == -EAGAIN)
			continue;
		if (r < 0) {
			pvb_gev_fail_unlocked(&g->ev, PVB_EXIT_FAIL, "running vCPU %d: %s", v->id,
					      strerror(-r));
			break;
		}
		if (!event(v, dv, &e, pvb_now_ns()))
			break;
	}
	return NULL;
}

static void lane_close(struct pv_lane *l)
{
	for (int i = 0; i < l->nvcpus; i++)
		if (l->vcpus[i])
			l->d->destroy_vcpu(l->vcpus[i]);
	if (l->vm)
		l->d->destroy_vm(l->vm);
	if (l->ram)
		munmap(l->ram, l->size);
	pv_image_free(&l->img);
	memset(l->vcpus, 0, sizeof(l->vcpus));
	l->vm = NULL;
	l->ram = NULL;
	l->nvcpus = 0;
	l->aside = NULL;
}

/* Create the lane's VM as QEMU does: memory limit, one memslot of 4 KiB anonymous memory,
 * vCPUs; then the guest image. */
static int lane_open(struct pv_lane *l, const struct pvdev_ops *d, const struct pvb_guest_params *p)
{
	char err[512];
	int r;

	l->d = d;
	l->size = p->size;
	l->mem_limit = p->mem_limit == PVB_MEM_LIMIT_RAM ? p->size : p->mem_limit;
	if (pv_image_load(p, d->emulated, &l->img, err, sizeof(err))) {
		pvb_err("%s", err);
		return PVB_EXIT_USAGE;
	}
	if (l->img.load_len > p->size) {
		pvb_err("the SE image (%zu bytes) does not fit in a %llu-byte guest: give a larger "
			"--size", l->img.load_len, (unsigned long long)p->size);
		return PVB_EXIT_USAGE;
	}
	if ((r = d->create_vm(&l->vm))) {
		pvb_err("KVM_CREATE_VM: %s", strerror(-r));
		return PVB_EXIT_FAIL;
	}
	if (l->mem_limit && (r = d->set_mem_limit(l->vm, l->mem_limit))) {
		pvb_err("setting the memory limit to %llu bytes (KVM_S390_VM_MEM_LIMIT_SIZE): %s",
			(unsigned long long)l->mem_limit, strerror(-r));
		return PVB_EXIT_FAIL;
	}
	/* s390 KVM wants the memslot's host address 1 MiB aligned. */
	{
		uint8_t *m = mmap(NULL, p->size + PVB_MIB, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		uint8_t *a;

		if (m == MAP_FAILED) {
			pvb_perror("mmap of %llu bytes of guest memory", (unsigned long long)p->size);
			return PVB_EXIT_FAIL;
		}
		a = (uint8_t *)(((uintptr_t)m + PVB_MIB - 1) & ~(uintptr_t)(PVB_MIB - 1));
		if ((a > m && munmap(m, (size_t)(a - m))) ||
		    munmap(a + p->size, (size_t)(m + p->size + PVB_MIB - (a + p->size)))) {
			pvb_perror("trimming the guest memory mapping to 1 MiB alignment");
			return PVB_EXIT_FAIL;
		}
		l->ram = a;
	}
	if (p->mem && pvb_mempolicy_apply(p->mem, l->ram, p->size))
		return PVB_EXIT_FAIL;
	if (madvise(l->ram, p->size, MADV_NOHUGEPAGE)) {
		pvb_perror("madvise(MADV_NOHUGEPAGE) of guest memory");
		return PVB_EXIT_FAIL;
	}
	if ((r = d->set_memslot(l->vm, 0, 0, p->size, l->ram))) {
		pvb_err("KVM_SET_USER_MEMORY_REGION (%llu bytes at 0): %s",
			(unsigned long long)p->size, strerror(-r));
		return PVB_EXIT_FAIL;
	}
	for (int i = 0; i < p->vcpus; i++) {
		if ((r = d->create_vcpu(l->vm, i, &l->vcpus[i]))) {
			pvb_err("KVM_CREATE_VCPU %d: %s", i, strerror(-r));
			return PVB_EXIT_FAIL;
		}
		l->nvcpus = i + 1;
	}
	return 0;
}

/* ENABLE + SET_SEC_PARMS + UNPACK + VERIFY: the new secure configuration. */
static int protect(struct pvb_guest *g)
{
	struct pv_lane *l = g->l;
	struct kvm_s390_pv_sec_parm sp = {
		.origin = (uint64_t)(uintptr_t)l->img.hdr, .length = l->img.hdr_len };
	uint16_t rc, rrc;
	int r;

	if ((r = pvdev_cmd(l->d, l->vm, PVB_PV_ENABLE, 0, &rc, &rrc)))
		return cmd_fail("KVM_PV_ENABLE", PVB_PV_ENABLE, r, rc, rrc);
	g->state = G_PROTECTED;
	if ((r = pvdev_cmd(l->d, l->vm, PVB_PV_SET_SEC_PARMS, (uint64_t)(uintptr_t)&sp, &rc, &rrc)))
		return cmd_fail("KVM_PV_SET_SEC_PARMS", PVB_PV_SET_SEC_PARMS, r, rc, rrc);
	for (int i = 0; i < l->img.ncomp; i++) {
		struct kvm_s390_pv_unp u = { l->img.comp[i].addr, l->img.comp[i].size,
					     l->img.comp[i].tweak };

		if ((r = pvdev_cmd(l->d, l->vm, PVB_PV_UNPACK, (uint64_t)(uintptr_t)&u, &rc, &rrc))) {
			char what[96];

			snprintf(what, sizeof(what), "KVM_PV_UNPACK of component %d (0x%llx+0x%llx)",
				 i, (unsigned long long)u.addr, (unsigned long long)u.size);
			return cmd_fail(what, PVB_PV_UNPACK, r, rc, rrc);
		}
	}
	if ((r = pvdev_cmd(l->d, l->vm, PVB_PV_VERIFY, 0, &rc, &rrc)))
		return cmd_fail("KVM_PV_VERIFY", PVB_PV_VERIFY, r, rc, rrc);
	return 0;
}

static uint64_t exports_now(struct pv_lane *l)
{
	if (!l->d->emulated || !l->vm)
		return 0;
	return pvem_exports(pvdev_emul_model(l->vm));
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

static int pv_create_dev(const struct pvdev_ops *d, const struct pvb_guest_params *p,
			 struct pvb_guest **out)
{
	struct pv_lane *l;
	struct pvb_guest *g;
	uint64_t t0;
	int rc;

	if (p->lane < 0 || p->lane >= MAX_LANES)
		return PVB_EXIT_USAGE;
	if (opened != d) {
		char why[512];

		if ((rc = dev_open(d, p, why, sizeof(why)))) {
			pvb_err("%s", why);
			return rc;
		}
	}
	l = &lanes[p->lane];
	if (!l->lock_ready) {
		pthread_mutex_init(&l->lock, NULL);
		l->lock_ready = true;
	}
	if (l->vm && (l->d != d || l->size != p->size || l->nvcpus != p->vcpus ||
		      l->mem_limit != (p->mem_limit == PVB_MEM_LIMIT_RAM ? p->size : p->mem_limit))) {
		if (l->guests) {
			pvb_err("internal: lane %d changes its VM while %d guest(s) live on it",
				p->lane, l->guests);
			return PVB_EXIT_FAIL;
		}
		lane_close(l);
	}
	if (!l->vm && (rc = lane_open(l, d, p))) {
		lane_close(l);
		return rc;
	}
	g = calloc(1, sizeof(*g) + (size_t)p->vcpus * sizeof(g->vcpus[0]));
	if (!g) {
		pvb_err("out of memory");
		return PVB_EXIT_FAIL;
	}
	g->l = l;
	g->p = *p;
	g->nvcpus = p->vcpus;
	/* generous: qemu-user runs the model 10-50 times slower */
	if (pvb_gev_init(&g->ev, p->vcpus, 300000000000ULL + (p->size >> 30) * 60000000000ULL)) {
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
	memcpy(l->ram, l->img.load, l->img.load_len);
	t0 = pvb_now_ns();
	rc = protect(g);
	g->ph.enable_ns = pvb_now_ns() - t0;
	g->exports0 = exports_now(l);
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
	for (int i = 0; i < g->nvcpus; i++) {
		if (pvb_vthread_start(&g->vcpus[i].thread, i, g->p.vcpu0_cpus, vcpu_thread,
				      &g->vcpus[i]))
			return PVB_EXIT_FAIL;
		g->vcpus[i].started = true;
	}
	return 0;
}

static int pv_wait(struct pvb_guest *g, enum pvb_event ev, uint64_t *t_ns)
{
	return pvb_gev_wait(&g->ev, ev, t_ns);
}

static int pv_resume(struct pvb_guest *g)
{
	pvb_gev_resume(&g->ev);
	return 0;
}

static int pv_stop(struct pvb_guest *g)
{
	pvb_gev_stop(&g->ev);
	for (int i = 0; i < g->nvcpus; i++)
		if (g->vcpus[i].started)
			g->l->d->kick(g->l->vcpus[i]);
	for (int i = 0; i < g->nvcpus; i++) {
		if (!g->vcpus[i].started)
			continue;
		pvb_vthread_join(g->vcpus[i].thread, i);
		g->vcpus[i].started = false;
	}
	return 0;
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
	pv_stop(g);
	pthread_mutex_lock(&l->lock);
	st = g->state;
	if (l->aside == g)
		l->aside = NULL;  /* PREPARE may be issued again once PERFORM has started */
	pthread_mutex_unlock(&l->lock);
	t0 = pvb_now_ns();
	if (st == G_ASIDE) {
		uint16_t uvrc, uvrrc;

		r = pvdev_cmd(l->d, l->vm, PVB_PV_ASYNC_CLEANUP_PERFORM, 0, &uvrc, &uvrrc);
		td->perform_ns = pvb_now_ns() - t0;
		if (r == -EINVAL)
			td->reaped = true; /* a fallback DISABLE took it meanwhile */
		else if (r)
			rc = cmd_fail("KVM_PV_ASYNC_CLEANUP_PERFORM", PVB_PV_ASYNC_CLEANUP_PERFORM, r,
				      uvrc, uvrrc);
	} else if (st == G_PROTECTED) {
		rc = pv_disable(g, &td->disable_ns);
	} else {
		td->reaped = st == G_REAPED;
	}
	td->release_ns = pvb_now_ns() - t0;
	td->t_end = pvb_now_ns();
	td->cpu_ns = pvb_thread_cpu_ns() - c0;
	if (td->progress && (td->perform_ns || td->disable_ns))
		*td->progress = g->p.size;
	pthread_mutex_lock(&l->lock);
	l->guests--;
	pthread_mutex_unlock(&l->lock);
	pvb_gev_destroy(&g->ev);
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

static int pv_vcpu_cpus(const struct pvb_guest *g, int vcpu, cpu_set_t *out)
{
	if (vcpu < 0 || vcpu >= g->nvcpus || !g->vcpus[vcpu].started)
		return -1;
	return pthread_getaffinity_np(g->vcpus[vcpu].thread, sizeof(*out), out) ? -1 : 0;
}

static int pv_mem_policy(const struct pvb_guest *g, char *out, size_t len)
{
	return pvb_mempolicy_read(g->l->ram, out, len);
}

static int pv_phases(const struct pvb_guest *g, struct pvb_phase_times *out)
{
	*out = g->ph;
	if (g->l->d->emulated)
		out->exports = exports_now(g->l) - g->exports0;
	return 0;
}

static json_t *describe_dev(const struct pvdev_ops *d, const struct pvb_guest_params *p)
{
	json_t *o = json_object(), *caps = json_object();
	struct kvm_s390_pv_info info = { .header = { .id = KVM_PV_INFO_VM,
						     .len_max = sizeof(info) } };
	struct pvdev_vm *vm;
	int a;

	json_object_set_new(o, "device", json_string(d->name));
	json_object_set_new(o, "emulated", json_boolean(d->emulated));
	json_object_set_new(caps, "s390_protected", json_integer(d->check_extension(
		PVB_CAP_S390_PROTECTED)));
	json_object_set_new(caps, "s390_protected_dump", json_integer(d->check_extension(
		PVB_CAP_S390_PROTECTED_DUMP)));
	json_object_set_new(caps, "s390_protected_async_disable", json_integer(
		d->check_extension(PVB_CAP_S390_PROTECTED_ASYNC_DISABLE)));
	json_object_set_new(o, "capabilities", caps);
	a = d->async_destroy_param();
	json_object_set_new(o, "async_destroy", a < 0 ? json_string("absent") : json_boolean(a));
	/* KVM_PV_INFO works on a VM that is not protected yet. */
	if (!d->create_vm(&vm)) {
		uint16_t rc, rrc;

		if (!pvdev_cmd(d, vm, PVB_PV_INFO, (uint64_t)(uintptr_t)&info, &rc, &rrc)) {
			int b = PVB_UVC_DESTROY_FAST_BIT;

			json_object_set_new(o, "destroy_fast", json_boolean(
				info.vm.inst_calls_list[b / 64] >> (63 - b % 64) & 1));
			json_object_set_new(o, "misc", json_boolean(
				info.vm.feature_indication >> (63 - PVB_UV_FEAT_MISC_BIT) & 1));
			json_object_set_new(o, "max_guests", json_integer(
				(json_int_t)info.vm.max_guests));
		} else {
			json_object_set_new(o, "pv_info", json_string("KVM_PV_INFO failed (kernel "
				"before 6.0?): destroy-fast and MISC unknown"));
		}
		d->destroy_vm(vm);
	}
	json_object_set_new(o, "mem_limit", p->mem_limit == PVB_MEM_LIMIT_RAM ?
			    json_string("ram size (as QEMU)") : p->mem_limit ?
			    json_integer((json_int_t)p->mem_limit) : json_string("unset"));
	if (d->emulated) {
		json_object_set_new(o, "model", pvem_settings_json(&em_settings));
		json_object_set_new(o, "note", json_string("pv-emulated is a model of the kernel "
			"and Ultravisor behaviour, not a measurement of a z16: its per-operation "
			"costs are parameters; the memory it populates, clears and frees is real"));
	}
	return o;
}

static int pv_probe(const struct pvb_guest_params *p, char *why, size_t len)
{
	return pv_probe_dev(&pvdev_kvm_ops, p, why, len);
}

static int pv_create(const struct pvb_guest_params *p, struct pvb_guest **out)
{
	return pv_create_dev(&pvdev_kvm_ops, p, out);
}

static json_t *pv_describe(const struct pvb_guest_params *p)
{
	return describe_dev(&pvdev_kvm_ops, p);
}

static int em_probe(const struct pvb_guest_params *p, char *why, size_t len)
{
	return pv_probe_dev(&pvdev_emul_ops, p, why, len);
}

static int em_create(const struct pvb_guest_params *p, struct pvb_guest **out)
{
	return pv_create_dev(&pvdev_emul_ops, p, out);
}

static json_t *em_describe(const struct pvb_guest_params *p)
{
	return describe_dev(&pvdev_emul_ops, p);
}

static void pv_release(void)
{
	for (int i = 0; i < MAX_LANES; i++)
		if (lanes[i].vm || lanes[i].img.load)
			lane_close(&lanes[i]);
}

#define PV_COMMON_OPS                                  \
	.start = pv_start,                             \
	.wait = pv_wait,                               \
	.resume = pv_resume,                           \
	.stop = pv_stop,                               \
	.set_aside = pv_set_aside,                     \
	.destroy = pv_destroy,                         \
	.populated_bytes = pv_populated_bytes,         \
	.progress = pv_progress,                       \
	.vcpu_cpus = pv_vcpu_cpus,                     \
	.mem_policy = pv_mem_policy,                   \
	.phases = pv_phases,                           \
	.release = pv_release

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

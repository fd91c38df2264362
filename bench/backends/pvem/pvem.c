/* The pv-emulated model: configurations, page states and the PV commands (pvem.h). The
 * names follow arch/s390/kvm/pv.c so that the two can be read side by side. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "pvbench.h"
#include "pvem.h"
#include "timing.h"

#define PAGE	      4096ULL
#define CHUNK_PAGES   512U /* 2 MiB: the unit given back to the host */
#define MAX_CONFIGS   32
#define MAX_SLOTS     4
#define SECEX_MAGIC   "IBMSecEx"
#define SEC_PARMS_MAX (1ULL << 20) /* the header size limit of Linux 7.0 */

/* DYING: a PERFORM is destroying it; CLEANUP: on need_cleanup (or being reaped). */
enum cfg_state { CFG_FREE, CFG_LIVE, CFG_ASIDE, CFG_DYING, CFG_CLEANUP };

struct config {
	enum cfg_state state;
	uint64_t handle;
	bool destroyed; /* the UV configuration is gone (destroy-fast); pages may remain */
	bool cpus_secure;
};

struct slot {
	uint64_t gpa, size;
	uint8_t *hva;
};

struct chunk {
	pthread_mutex_t lock;
	uint32_t secure;  /* pages owned by any configuration */
	uint32_t present; /* pages mapped in the host (written since last given back) */
};

struct pvem_vm {
	struct pvem_settings s;
	pthread_mutex_t lock; /* kvm->lock */
	struct slot slots[MAX_SLOTS];
	uint64_t mem_limit; /* 0: none set */
	uint64_t npages;    /* guest-absolute pages tracked: [0, end of last slot) */
	uint8_t *owner;	    /* per page: 0, or configuration index + 1 */
	uint8_t *present;   /* per page: mapped in the host */
	struct chunk *chunks;
	uint64_t nchunks;
	struct config cfg[MAX_CONFIGS];
	int current; /* index + 1 of the protected configuration, 0: none */
	int aside;   /* index + 1 of the one set aside, 0: none */
	int nvcpus;
	uint64_t next_handle;
	atomic_bool fatal;
	atomic_int configs; /* kvm->mm->context.protected_count */
	atomic_uint_fast64_t imports, exports, destroyed, unpacked, discarded;
	uint64_t created, destroyed_cfgs;
};

static atomic_bool fatal_all;
static atomic_int_fast64_t total_live;
static atomic_uint_fast64_t total_interrupted, total_reaped, total_old_data;

static void spin(uint64_t ns)
{
	uint64_t end;

	if (!ns)
		return;
	end = pvb_now_ns() + ns;
	while (pvb_now_ns() < end)
		;
}

struct pvem_vm *pvem_vm_new(const struct pvem_settings *s)
{
	struct pvem_vm *vm = calloc(1, sizeof(*vm));

	if (!vm)
		return NULL;
	vm->s = *s;
	vm->next_handle = 0x1000;
	if (pthread_mutex_init(&vm->lock, NULL)) {
		free(vm);
		return NULL;
	}
	return vm;
}

static uint8_t *hva_of(struct pvem_vm *vm, uint64_t gpa)
{
	for (int i = 0; i < MAX_SLOTS; i++) {
		struct slot *sl = &vm->slots[i];

		if (sl->size && gpa >= sl->gpa && gpa - sl->gpa < sl->size)
			return sl->hva + (gpa - sl->gpa);
	}
	return NULL;
}

const uint8_t *pvem_host_page(struct pvem_vm *vm, uint64_t gpa)
{
	return hva_of(vm, gpa & ~(PAGE - 1));
}

int pvem_set_mem_limit(struct pvem_vm *vm, uint64_t bytes)
{
	int rc = 0;

	pthread_mutex_lock(&vm->lock);
	if (vm->nvcpus) /* like KVM: only before the first vCPU */
		rc = -EBUSY;
	else
		vm->mem_limit = bytes;
	pthread_mutex_unlock(&vm->lock);
	return rc;
}

/* (Re)size the page and chunk tables to cover [0, end). Called with vm->lock held and no
 * configuration around, so nothing reads them meanwhile. */
static int cover(struct pvem_vm *vm, uint64_t end)
{
	uint64_t np = end / PAGE, nc = (np + CHUNK_PAGES - 1) / CHUNK_PAGES;
	uint8_t *o;
	struct chunk *c;

	if (np <= vm->npages)
		return 0;
	o = realloc(vm->owner, np);
	if (!o)
		return -ENOMEM;
	memset(o + vm->npages, 0, np - vm->npages);
	vm->owner = o;
	o = realloc(vm->present, np);
	if (!o)
		return -ENOMEM;
	memset(o + vm->npages, 0, np - vm->npages);
	vm->present = o;
	c = realloc(vm->chunks, nc * sizeof(*c));
	if (!c)
		return -ENOMEM;
	for (uint64_t i = vm->nchunks; i < nc; i++) {
		memset(&c[i], 0, sizeof(c[i]));
		if (pthread_mutex_init(&c[i].lock, NULL))
			return -ENOMEM;
		vm->nchunks = i + 1;
	}
	vm->chunks = c;
	vm->npages = np;
	return 0;
}

int pvem_set_memslot(struct pvem_vm *vm, uint32_t slot, uint64_t gpa, uint64_t size, void *hva)
{
	int rc = 0;

	/* s390 KVM: host address and size in whole MiB (kvm_arch_prepare_memory_region) */
	if (slot >= MAX_SLOTS || (gpa | size | (uintptr_t)hva) & (PAGE - 1) || !size ||
	    (size | (uintptr_t)hva) & 0xfffff || gpa + size < gpa)
		return -EINVAL;
	pthread_mutex_lock(&vm->lock);
	/* The kernel refuses memslot changes while protected; the model also while any old
	 * configuration is around, since it resizes its page tables here. */
	if (atomic_load(&vm->configs))
		rc = -EINVAL;
	for (int i = 0; !rc && i < MAX_SLOTS; i++) {
		struct slot *o = &vm->slots[i];

		if ((uint32_t)i != slot && o->size && gpa < o->gpa + o->size && o->gpa < gpa + size)
			rc = -EEXIST;
	}
	if (!rc && vm->mem_limit && gpa + size > vm->mem_limit)
		rc = -EINVAL;
	if (!rc)
		rc = cover(vm, gpa + size);
	if (!rc)
		vm->slots[slot] = (struct slot){ gpa, size, hva };
	pthread_mutex_unlock(&vm->lock);
	return rc;
}

int pvem_add_vcpu(struct pvem_vm *vm)
{
	int id;

	pthread_mutex_lock(&vm->lock);
	id = vm->nvcpus++;
	pthread_mutex_unlock(&vm->lock);
	return id;
}

static int config_new(struct pvem_vm *vm)
{
	for (int i = 0; i < MAX_CONFIGS; i++)
		if (vm->cfg[i].state == CFG_FREE) {
			vm->cfg[i] = (struct config){ CFG_LIVE, vm->next_handle++, false, true };
			vm->created++;
			atomic_fetch_add(&vm->configs, 1);
			atomic_fetch_add(&total_live, 1);
			return i + 1;
		}
	return 0;
}

static void destroy_cpus(struct pvem_vm *vm, struct config *c)
{
	if (!c->cpus_secure)
		return;
	spin(vm->s.c.destroy_cpu_ns * (uint64_t)vm->nvcpus);
	c->cpus_secure = false;
}

/* Destroy Secure Configuration (the memory it donated goes back; its pages may remain). */
static void destroy_config(struct pvem_vm *vm, struct config *c)
{
	if (c->destroyed)
		return;
	spin(vm->s.c.destroy_config_ns);
	c->destroyed = true;
	vm->destroyed_cfgs++;
}

static enum cfg_state state_of(struct pvem_vm *vm, int idx)
{
	return __atomic_load_n(&vm->cfg[idx - 1].state, __ATOMIC_ACQUIRE);
}

static void set_state(struct pvem_vm *vm, int idx, enum cfg_state st)
{
	__atomic_store_n(&vm->cfg[idx - 1].state, st, __ATOMIC_RELEASE);
}

static void set_current(struct pvem_vm *vm, int idx)
{
	__atomic_store_n(&vm->current, idx, __ATOMIC_RELEASE);
}

static bool doomed(struct pvem_vm *vm, uint8_t o)
{
	return o && state_of(vm, o) != CFG_LIVE;
}

/* Give a chunk without secure pages back to the host. Chunk lock held. */
static void discard(struct pvem_vm *vm, uint64_t ci)
{
	struct chunk *c = &vm->chunks[ci];
	uint64_t gpa = ci * CHUNK_PAGES * PAGE, end = gpa + CHUNK_PAGES * PAGE;

	if (!vm->s.discard || c->secure || !c->present)
		return;
	for (int i = 0; i < MAX_SLOTS; i++) {
		struct slot *sl = &vm->slots[i];
		uint64_t a, b;

		if (!sl->size)
			continue;
		a = gpa > sl->gpa ? gpa : sl->gpa;
		b = end < sl->gpa + sl->size ? end : sl->gpa + sl->size;
		if (a < b && !madvise(sl->hva + (a - sl->gpa), b - a, MADV_DONTNEED))
			atomic_fetch_add(&vm->discarded, b - a);
	}
	memset(vm->present + ci * CHUNK_PAGES, 0,
	       (ci + 1) * CHUNK_PAGES <= vm->npages ? CHUNK_PAGES : vm->npages - ci * CHUNK_PAGES);
	c->present = 0;
}

/* s390_uv_destroy_range: visit every page in [first, end) mapped in the host (walk_page_ns:
 * the kernel calls the Ultravisor for each, whoever owns it) and destroy, zeroing it, each
 * one owned by a configuration that is no longer live; with the discard feature, give
 * emptied chunks back. Interruptible: returns -EINTR at a chunk boundary after
 * pvem_fatal_signal. */
static int destroy_range(struct pvem_vm *vm, uint64_t first, uint64_t end, bool interruptible)
{
	if (end > vm->npages)
		end = vm->npages;
	for (uint64_t ci = first / CHUNK_PAGES; ci * CHUNK_PAGES < end; ci++) {
		struct chunk *c = &vm->chunks[ci];
		uint64_t a = ci * CHUNK_PAGES, b = a + CHUNK_PAGES;

		if (interruptible &&
		    (atomic_exchange(&vm->fatal, false) || atomic_exchange(&fatal_all, false)))
			return -EINTR;
		if (a < first)
			a = first;
		if (b > end)
			b = end;
		pthread_mutex_lock(&c->lock);
		for (uint64_t p = a; c->present && p < b; p++) {
			uint8_t *h;

			if (!vm->present[p])
				continue;
			spin(vm->s.c.walk_page_ns);
			if (!doomed(vm, vm->owner[p]))
				continue;
			h = hva_of(vm, p * PAGE);
			if (h)
				memset(h, 0, PAGE); /* the Ultravisor clears the page */
			spin(vm->s.c.destroy_page_ns);
			vm->owner[p] = 0;
			c->secure--;
			atomic_fetch_add(&vm->destroyed, 1);
		}
		discard(vm, ci);
		pthread_mutex_unlock(&c->lock);
	}
	return 0;
}

static void release_config(struct pvem_vm *vm, int idx)
{
	set_state(vm, idx, CFG_FREE);
	atomic_fetch_sub(&vm->configs, 1);
	atomic_fetch_sub(&total_live, 1);
}

/* kvm_s390_pv_deinit_cleanup_all: the current configuration, the one set aside and those on
 * need_cleanup, then every page they still own. vm->lock held. */
static void cleanup_all(struct pvem_vm *vm)
{
	bool zap = false;

	for (int i = 0; i < MAX_CONFIGS; i++)
		if (vm->cfg[i].state == CFG_CLEANUP)
			atomic_fetch_add(&total_reaped, 1); /* left by an interrupted PERFORM */
	if (vm->current) {
		struct config *c = &vm->cfg[vm->current - 1];

		destroy_cpus(vm, c);
		destroy_config(vm, c);
		set_state(vm, vm->current, CFG_CLEANUP);
		set_current(vm, 0);
		zap = true;
	}
	if (vm->aside) {
		set_state(vm, vm->aside, CFG_CLEANUP);
		vm->aside = 0;
	}
	for (int i = 0; i < MAX_CONFIGS; i++)
		if (vm->cfg[i].state == CFG_CLEANUP) {
			destroy_config(vm, &vm->cfg[i]);
			zap = true;
		}
	if (zap)
		destroy_range(vm, 0, vm->npages, false);
	for (int i = 0; i < MAX_CONFIGS; i++)
		if (vm->cfg[i].state == CFG_CLEANUP)
			release_config(vm, i + 1);
}

static int cmd_enable(struct pvem_vm *vm, struct kvm_pv_cmd *cmd)
{
	int idx;

	if (vm->current)
		return -EINVAL;
	idx = config_new(vm);
	if (!idx)
		return -ENOMEM; /* the model's table of configurations is full */
	spin(vm->s.c.create_config_ns + vm->s.c.create_cpu_ns * (uint64_t)vm->nvcpus);
	set_current(vm, idx);
	cmd->rc = PVB_UVC_RC_EXECUTED;
	return 0;
}

static int cmd_sec_parms(struct pvem_vm *vm, struct kvm_pv_cmd *cmd)
{
	struct kvm_s390_pv_sec_parm *sp = (void *)(uintptr_t)cmd->data;

	if (!vm->current || !sp)
		return -EINVAL;
	if (sp->length > SEC_PARMS_MAX || sp->length < 8 || !sp->origin)
		return -EINVAL;
	/* The model checks the magic only; the real UV decrypts and verifies the header and
	 * answers with its own rc (see uvrc.c). */
	if (memcmp((const void *)(uintptr_t)sp->origin, SECEX_MAGIC, 8))
		return -EINVAL;
	spin(vm->s.c.set_sec_parms_ns);
	cmd->rc = PVB_UVC_RC_EXECUTED;
	return 0;
}

/* Import the page p for configuration cur. Chunk lock held. */
static void import(struct pvem_vm *vm, struct chunk *c, uint64_t p, int cur, uint64_t cost)
{
	uint8_t o = vm->owner[p];

	if (o == cur)
		return;
	/* While more than one configuration exists (an old one set aside, being destroyed or
	 * on need_cleanup), every import is preceded by an export unless the UV has MISC
	 * (should_export_before_import, arch/s390/kernel/uv.c). */
	if (!vm->s.misc && atomic_load(&vm->configs) > 1) {
		spin(vm->s.c.export_ns);
		atomic_fetch_add(&vm->exports, 1);
	}
	if (o)
		c->secure--;
	spin(cost);
	vm->owner[p] = (uint8_t)cur;
	c->secure++;
}

static int cmd_unpack(struct pvem_vm *vm, struct kvm_pv_cmd *cmd)
{
	struct kvm_s390_pv_unp *u = (void *)(uintptr_t)cmd->data;
	int cur = vm->current;

	if (!cur || !u || (u->addr | u->size) & (PAGE - 1) || u->addr + u->size < u->addr)
		return -EINVAL;
	for (uint64_t g = u->addr; g < u->addr + u->size; g += PAGE) {
		uint64_t p = g / PAGE;
		struct chunk *c;

		if (p >= vm->npages || !hva_of(vm, g))
			return -EFAULT;
		c = &vm->chunks[p / CHUNK_PAGES];
		pthread_mutex_lock(&c->lock);
		import(vm, c, p, cur, vm->s.c.unpack_page_ns);
		if (!vm->present[p]) {
			vm->present[p] = 1;
			c->present++;
		}
		pthread_mutex_unlock(&c->lock);
		atomic_fetch_add(&vm->unpacked, 1);
	}
	cmd->rc = PVB_UVC_RC_EXECUTED;
	return 0;
}

static int cmd_prepare(struct pvem_vm *vm, struct kvm_pv_cmd *cmd)
{
	struct config *c;

	if (!vm->current || !vm->s.async_destroy)
		return -EINVAL;
	c = &vm->cfg[vm->current - 1];
	/* kvm_s390_cpus_from_pv comes first: a refused PREPARE has destroyed them already. */
	destroy_cpus(vm, c);
	/* kvm_s390_pv_set_aside: at most one set aside; not with a segment-table ASCE. */
	if (vm->aside)
		return -EINVAL;
	if (vm->mem_limit && vm->mem_limit <= PVB_PV_ASYNC_MIN_LIMIT)
		return -EINVAL;
	if (vm->s.destroy_fast)
		destroy_config(vm, c);
	set_state(vm, vm->current, CFG_ASIDE);
	vm->aside = vm->current;
	set_current(vm, 0);
	destroy_range(vm, 0, PVB_PV_LOWER_SYNC / PAGE, false);
	cmd->rc = PVB_UVC_RC_EXECUTED;
	cmd->rrc = 42;
	return 0;
}

/* kvm_s390_pv_deinit_aside_vm: called without vm->lock. */
static int cmd_perform(struct pvem_vm *vm, struct kvm_pv_cmd *cmd)
{
	int idx;

	if (!vm->s.async_destroy)
		return -EINVAL;
	pthread_mutex_lock(&vm->lock);
	idx = vm->aside;
	vm->aside = 0;
	if (idx)
		set_state(vm, idx, CFG_DYING);
	pthread_mutex_unlock(&vm->lock);
	if (!idx)
		return -EINVAL;
	cmd->rc = PVB_UVC_RC_EXECUTED;
	if (destroy_range(vm, 0, vm->npages, true)) {
		/* Left on need_cleanup for DISABLE or VM teardown; "pretend things went well". */
		pthread_mutex_lock(&vm->lock);
		set_state(vm, idx, CFG_CLEANUP);
		pthread_mutex_unlock(&vm->lock);
		atomic_fetch_add(&total_interrupted, 1);
		cmd->rrc = 42;
		return 0;
	}
	pthread_mutex_lock(&vm->lock);
	destroy_config(vm, &vm->cfg[idx - 1]);
	release_config(vm, idx);
	pthread_mutex_unlock(&vm->lock);
	return 0;
}

static int cmd_info(struct pvem_vm *vm, struct kvm_pv_cmd *cmd)
{
	struct kvm_s390_pv_info *in = (void *)(uintptr_t)cmd->data;
	size_t need = sizeof(in->header) + sizeof(in->vm);

	if (!in || in->header.id != KVM_PV_INFO_VM || in->header.len_max < need)
		return -EINVAL;
	memset(&in->vm, 0, sizeof(in->vm));
	if (vm->s.destroy_fast)
		in->vm.inst_calls_list[PVB_UVC_DESTROY_FAST_BIT / 64] |=
			1ULL << (63 - PVB_UVC_DESTROY_FAST_BIT % 64);
	if (vm->s.misc)
		in->vm.feature_indication |= 1ULL << (63 - PVB_UV_FEAT_MISC_BIT);
	in->vm.max_cpus = 248;
	in->vm.max_guests = MAX_CONFIGS;
	in->vm.max_guest_addr = 1ULL << 53;
	in->header.len_written = (uint32_t)need;
	cmd->rc = PVB_UVC_RC_EXECUTED;
	return 0;
}

int pvem_cmd(struct pvem_vm *vm, struct kvm_pv_cmd *cmd)
{
	int r;

	cmd->rc = cmd->rrc = 0;
	if (cmd->flags)
		return -EINVAL;
	if (cmd->cmd == PVB_PV_ASYNC_CLEANUP_PERFORM)
		return cmd_perform(vm, cmd);
	pthread_mutex_lock(&vm->lock);
	switch (cmd->cmd) {
	case PVB_PV_ENABLE:
		r = cmd_enable(vm, cmd);
		break;
	case PVB_PV_DISABLE:
		r = -EINVAL;
		if (!vm->current)
			break;
		cleanup_all(vm);
		cmd->rc = PVB_UVC_RC_EXECUTED;
		r = 0;
		break;
	case PVB_PV_SET_SEC_PARMS:
		r = cmd_sec_parms(vm, cmd);
		break;
	case PVB_PV_UNPACK:
		r = cmd_unpack(vm, cmd);
		break;
	case PVB_PV_VERIFY:
		r = -EINVAL;
		if (!vm->current)
			break;
		spin(vm->s.c.verify_ns);
		cmd->rc = PVB_UVC_RC_EXECUTED;
		r = 0;
		break;
	case PVB_PV_INFO:
		r = cmd_info(vm, cmd);
		break;
	case PVB_PV_ASYNC_CLEANUP_PREPARE:
		r = cmd_prepare(vm, cmd);
		break;
	default:
		r = -ENOTTY;
	}
	pthread_mutex_unlock(&vm->lock);
	return r;
}

static bool page_zero(const uint8_t *h)
{
	const uint64_t *w = (const uint64_t *)(const void *)h;

	for (size_t i = 0; i < PAGE / sizeof(*w); i++)
		if (w[i])
			return false;
	return true;
}

int pvem_touch(struct pvem_vm *vm, uint64_t gpa, uint8_t fill)
{
	uint64_t p = gpa / PAGE;
	uint8_t *h = hva_of(vm, gpa & ~(PAGE - 1));
	struct chunk *c;
	int cur;

	if (!h || p >= vm->npages)
		return -EFAULT;
	c = &vm->chunks[p / CHUNK_PAGES];
	pthread_mutex_lock(&c->lock);
	cur = __atomic_load_n(&vm->current, __ATOMIC_ACQUIRE);
	if (cur && vm->s.verify && !vm->owner[p] && !page_zero(h)) {
		atomic_fetch_add(&total_old_data, 1);
		pthread_mutex_unlock(&c->lock);
		return -EIO;
	}
	if (cur && vm->owner[p] != cur) {
		import(vm, c, p, cur, vm->s.c.import_ns);
		atomic_fetch_add(&vm->imports, 1);
	}
	memset(h, fill, PAGE);
	if (!vm->present[p]) {
		vm->present[p] = 1;
		c->present++;
	}
	pthread_mutex_unlock(&c->lock);
	return 0;
}

uint64_t pvem_exports(struct pvem_vm *vm)
{
	return atomic_load(&vm->exports);
}

void pvem_fatal_signal(struct pvem_vm *vm)
{
	atomic_store(&vm->fatal, true);
}

void pvem_fatal_signal_all(void)
{
	atomic_store(&fatal_all, true);
}

void pvem_totals(struct pvem_totals *t)
{
	t->configs_live = atomic_load(&total_live);
	t->performs_interrupted = atomic_load(&total_interrupted);
	t->need_cleanup_reaped = atomic_load(&total_reaped);
	t->old_data_seen = atomic_load(&total_old_data);
}

void pvem_stats(struct pvem_vm *vm, struct pvem_stats *st)
{
	memset(st, 0, sizeof(*st));
	pthread_mutex_lock(&vm->lock);
	st->imports = atomic_load(&vm->imports);
	st->exports = atomic_load(&vm->exports);
	st->destroyed_pages = atomic_load(&vm->destroyed);
	st->unpacked_pages = atomic_load(&vm->unpacked);
	st->discarded_bytes = atomic_load(&vm->discarded);
	st->configs_created = vm->created;
	st->configs_destroyed = vm->destroyed_cfgs;
	for (uint64_t i = 0; i < vm->nchunks; i++) {
		pthread_mutex_lock(&vm->chunks[i].lock);
		st->secure_pages += vm->chunks[i].secure;
		pthread_mutex_unlock(&vm->chunks[i].lock);
	}
	for (int i = 0; i < MAX_CONFIGS; i++)
		if (vm->cfg[i].state == CFG_CLEANUP)
			st->need_cleanup++;
	st->set_aside = vm->aside != 0;
	st->protected_ = vm->current != 0;
	pthread_mutex_unlock(&vm->lock);
}

void pvem_vm_free(struct pvem_vm *vm)
{
	if (!vm)
		return;
	pthread_mutex_lock(&vm->lock);
	cleanup_all(vm);
	pthread_mutex_unlock(&vm->lock);
	for (uint64_t i = 0; i < vm->nchunks; i++)
		pthread_mutex_destroy(&vm->chunks[i].lock);
	free(vm->chunks);
	free(vm->owner);
	free(vm->present);
	pthread_mutex_destroy(&vm->lock);
	free(vm);
}

/* The pv-emulated device: the model of pvem.c behind the pvdev calls, and a C rendition
 * of the s390x payload (workloads/s390x/guest.S) as its "guest": host threads that follow
 * the same protocol (PARAM, ALIVE, PROGRESS, POPULATED, re-IPL) and write every page of
 * their share through the model, which imports it. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvbench.h"
#include "pvdev.h"
#include "backends/pvem/pvem.h"
#include "s390x/guest_abi.h"

enum step { S_PARAM, S_ALIVE, S_TOUCH, S_POPULATED, S_REBOOT, S_PARK };

struct pvdev_vm {
	struct pvem_vm *m;
};

struct pvdev_vcpu {
	struct pvdev_vm *vm;
	int id;
	uint32_t mp_state;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	atomic_bool kicked;
	/* the payload */
	enum step step;
	int param;
	uint64_t p[PVB_PARAM_COUNT];
	uint64_t done, lcg_m, lcg_x;
};

static struct pvem_settings settings;

static void perform_signal(int sig)
{
	(void)sig;
	pvem_fatal_signal_all();
}

static int emul_open(const struct pvem_settings *s, char *why, size_t len)
{
	struct sigaction sa;

	settings = *s;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = perform_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(PVDEV_PERFORM_SIGNAL, &sa, NULL)) {
		snprintf(why, len, "sigaction(SIGUSR2): %s", strerror(errno));
		return PVB_EXIT_FAIL;
	}
	return 0;
}

static int emul_check_extension(long cap)
{
	switch (cap) {
	case PVB_CAP_S390_PROTECTED:
	case PVB_CAP_S390_PROTECTED_DUMP:
		return 1;
	case PVB_CAP_S390_PROTECTED_ASYNC_DISABLE:
		return settings.async_destroy;
	default:
		return 0;
	}
}

static int emul_async_param(void)
{
	return settings.async_destroy;
}

static int emul_create_vm(struct pvdev_vm **out)
{
	struct pvdev_vm *vm = calloc(1, sizeof(*vm));

	if (!vm)
		return -ENOMEM;
	vm->m = pvem_vm_new(&settings);
	if (!vm->m) {
		free(vm);
		return -ENOMEM;
	}
	*out = vm;
	return 0;
}

static int emul_set_mem_limit(struct pvdev_vm *vm, uint64_t bytes)
{
	return pvem_set_mem_limit(vm->m, bytes);
}

static int emul_set_memslot(struct pvdev_vm *vm, uint32_t slot, uint64_t gpa, uint64_t size,
			    void *hva)
{
	return pvem_set_memslot(vm->m, slot, gpa, size, hva);
}

static int emul_create_vcpu(struct pvdev_vm *vm, int id, struct pvdev_vcpu **out)
{
	struct pvdev_vcpu *v = calloc(1, sizeof(*v));

	if (!v)
		return -ENOMEM;
	if (pthread_mutex_init(&v->lock, NULL)) {
		free(v);
		return -ENOMEM;
	}
	if (pthread_cond_init(&v->cond, NULL)) {
		pthread_mutex_destroy(&v->lock);
		free(v);
		return -ENOMEM;
	}
	v->vm = vm;
	v->id = id;
	v->mp_state = KVM_MP_STATE_STOPPED;
	pvem_add_vcpu(vm->m);
	*out = v;
	return 0;
}

static int emul_pv_cmd(struct pvdev_vm *vm, struct kvm_pv_cmd *cmd)
{
	return pvem_cmd(vm->m, cmd);
}

static int emul_set_mp_state(struct pvdev_vcpu *v, uint32_t state)
{
	if (state != KVM_MP_STATE_STOPPED && state != KVM_MP_STATE_OPERATING &&
	    state != KVM_MP_STATE_LOAD)
		return -EINVAL;
	pthread_mutex_lock(&v->lock);
	if (state == KVM_MP_STATE_LOAD) {
		/* The Ultravisor loads the sealed PSW: the payload starts from its entry. */
		v->step = S_PARAM;
		v->param = 0;
		v->done = 0;
	}
	v->mp_state = state;
	pthread_cond_broadcast(&v->cond);
	pthread_mutex_unlock(&v->lock);
	return 0;
}

/* The next page index of a seeded full-period LCG walk over [0, m), m a power of two,
 * skipping values >= n: a permutation of [0, n). */
static uint64_t lcg_next(struct pvdev_vcpu *v, uint64_t n)
{
	do
		v->lcg_x = (v->lcg_x * 6364136223846793005ULL + 1442695040888963407ULL) &
			   (v->lcg_m - 1);
	while (v->lcg_x >= n);
	return v->lcg_x;
}

static int park(struct pvdev_vcpu *v)
{
	pthread_mutex_lock(&v->lock);
	while (!atomic_load(&v->kicked))
		pthread_cond_wait(&v->cond, &v->lock);
	pthread_mutex_unlock(&v->lock);
	return -EINTR;
}

static int emul_run(struct pvdev_vcpu *v, struct pvb_pvx *e)
{
	uint64_t every, n;

	memset(e, 0, sizeof(*e));
	if (atomic_load(&v->kicked))
		return -EINTR;
	if (v->mp_state != KVM_MP_STATE_OPERATING)
		return park(v); /* a stopped CPU runs nothing until it is started */
	switch (v->step) {
	case S_PARAM:
		if (v->param < PVB_PARAM_COUNT) {
			e->kind = PVB_PVX_PARAM;
			e->arg = (uint64_t)v->param++;
			return 0;
		}
		v->step = S_ALIVE;
		/* fall through */
	case S_ALIVE:
		e->kind = PVB_PVX_ALIVE;
		e->arg = v->p[PVB_PARAM_VCPU_ID];
		v->step = S_TOUCH;
		v->done = 0;
		v->lcg_m = 1;
		while (v->lcg_m < v->p[PVB_PARAM_SHARE_PAGES])
			v->lcg_m <<= 1;
		v->lcg_x = v->p[PVB_PARAM_SEED] & (v->lcg_m - 1);
		return 0;
	case S_TOUCH:
		n = v->p[PVB_PARAM_SHARE_PAGES];
		every = v->p[PVB_PARAM_PROGRESS_EVERY] ? v->p[PVB_PARAM_PROGRESS_EVERY] : 64;
		while (v->done < v->p[PVB_PARAM_TOUCH_PAGES]) {
			uint64_t page = v->p[PVB_PARAM_FLAGS] & PVB_S390_FLAG_RANDOM ?
						lcg_next(v, n) :
						v->done;
			int r;

			if (atomic_load(&v->kicked))
				return -EINTR;
			r = pvem_touch(v->vm->m, v->p[PVB_PARAM_SHARE_BASE] + page * 4096,
				       (uint8_t)(0xa5 ^ v->id));
			if (r == -EIO) {
				e->kind = PVB_PVX_FAULT;
				e->arg = PVDEV_FAULT_OLD_DATA;
				snprintf(e->what, sizeof(e->what),
					 "emulated guest: old data at 0x%llx",
					 (unsigned long long)(v->p[PVB_PARAM_SHARE_BASE] +
							      page * 4096));
				return 0;
			}
			if (r) {
				e->kind = PVB_PVX_FAULT;
				e->arg = 0x4; /* protection exception: no memory there */
				snprintf(e->what, sizeof(e->what),
					 "emulated guest: no memslot at "
					 "0x%llx",
					 (unsigned long long)(v->p[PVB_PARAM_SHARE_BASE] +
							      page * 4096));
				return 0;
			}
			if (++v->done % every == 0) {
				e->kind = PVB_PVX_PROGRESS;
				e->arg = v->done;
				return 0;
			}
		}
		v->step = S_POPULATED;
		/* fall through */
	case S_POPULATED:
		e->kind = PVB_PVX_POPULATED;
		e->arg = v->done;
		v->step = v->p[PVB_PARAM_VCPU_ID] == 0 ? S_REBOOT : S_PARK;
		return 0;
	case S_REBOOT:
		e->kind = PVB_PVX_REBOOT;
		v->step = S_PARK;
		return 0;
	case S_PARK:
		break;
	}
	return park(v);
}

static void emul_reply(struct pvdev_vcpu *v, uint64_t value)
{
	if (v->step == S_PARAM && v->param > 0 && v->param <= PVB_PARAM_COUNT)
		v->p[v->param - 1] = value;
}

static void emul_kick(struct pvdev_vcpu *v)
{
	pthread_mutex_lock(&v->lock);
	atomic_store(&v->kicked, true);
	pthread_cond_broadcast(&v->cond);
	pthread_mutex_unlock(&v->lock);
}

static void emul_unkick(struct pvdev_vcpu *v)
{
	atomic_store(&v->kicked, false);
}

static void emul_destroy_vcpu(struct pvdev_vcpu *v)
{
	pthread_cond_destroy(&v->cond);
	pthread_mutex_destroy(&v->lock);
	free(v);
}

static void emul_destroy_vm(struct pvdev_vm *vm)
{
	pvem_vm_free(vm->m);
	free(vm);
}

/* For tests: the model behind an emulated VM. */
struct pvem_vm *pvdev_emul_model(struct pvdev_vm *vm)
{
	return vm->m;
}

const struct pvdev_ops pvdev_emul_ops = {
	.name = "pv-emulated",
	.emulated = true,
	.open = emul_open,
	.check_extension = emul_check_extension,
	.async_destroy_param = emul_async_param,
	.create_vm = emul_create_vm,
	.set_mem_limit = emul_set_mem_limit,
	.set_memslot = emul_set_memslot,
	.create_vcpu = emul_create_vcpu,
	.pv_cmd = emul_pv_cmd,
	.set_mp_state = emul_set_mp_state,
	.run = emul_run,
	.reply = emul_reply,
	.kick = emul_kick,
	.unkick = emul_unkick,
	.destroy_vcpu = emul_destroy_vcpu,
	.destroy_vm = emul_destroy_vm,
};

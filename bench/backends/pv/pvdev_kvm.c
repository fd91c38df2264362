/* The real device: /dev/kvm on an s390x host booted with prot_virt=1 (IBM z15/z16 with
 * Secure Execution). One call per ioctl; the payload's exits are decoded by pv_s390x.c. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pvbench.h"
#include "pvdev.h"

struct pvdev_vm {
	int fd;
};

struct pvdev_vcpu {
	int fd;
	struct kvm_run *run;
	pthread_t thread;
	volatile int have_thread;
};

static int kvm_fd = -1;
static int run_size;

static void on_kick(int sig)
{
	(void)sig;
}

static int kvm_dev_open(const struct pvem_settings *s, char *why, size_t len)
{
	const char *dev = getenv("PVB_KVM_DEVICE");
	struct sigaction sa;
	struct pvb_pvx probe;
	int r;

	(void)s;
	if (kvm_fd >= 0)
		return 0;
	if (!pvb_pv_arch_available()) {
		pvb_pv_arch_decode(NULL, &probe);
		snprintf(why, len, "%s", probe.what);
		return PVB_EXIT_SKIP;
	}
	if (!dev || !*dev)
		dev = "/dev/kvm";
	kvm_fd = open(dev, O_RDWR | O_CLOEXEC);
	if (kvm_fd < 0) {
		snprintf(why, len,
			 "cannot open %s (%s): load the kvm module on the s390x host "
			 "(modprobe kvm) and run as a user in the kvm group",
			 dev, strerror(errno));
		return PVB_EXIT_USAGE; /* like the kvm backend: a fixable host */
	}
	r = ioctl(kvm_fd, KVM_CHECK_EXTENSION, PVB_CAP_S390_PROTECTED);
	if (r <= 0) {
		snprintf(why, len,
			 "KVM_CAP_S390_PROTECTED (180) is absent: boot the host with "
			 "prot_virt=1 on a machine with Secure Execution (z15 or later) and "
			 "enough memory reserved for the Ultravisor");
		close(kvm_fd);
		kvm_fd = -1;
		return PVB_EXIT_SKIP;
	}
	run_size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (run_size <= 0) {
		snprintf(why, len, "KVM_GET_VCPU_MMAP_SIZE failed: %s", strerror(errno));
		close(kvm_fd);
		kvm_fd = -1;
		return PVB_EXIT_FAIL;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_kick;
	if (sigaction(SIGUSR1, &sa, NULL)) {
		snprintf(why, len, "sigaction(SIGUSR1): %s", strerror(errno));
		close(kvm_fd);
		kvm_fd = -1;
		return PVB_EXIT_FAIL;
	}
	return 0;
}

static int kvm_dev_check_extension(long cap)
{
	int r = ioctl(kvm_fd, KVM_CHECK_EXTENSION, cap);

	return r < 0 ? -errno : r;
}

static int kvm_dev_async_param(void)
{
	char buf[16];

	if (pvb_read_text("/sys/module/kvm/parameters/async_destroy", buf, sizeof(buf)))
		return -errno;
	return buf[0] == 'Y' || buf[0] == '1';
}

static int kvm_dev_create_vm(struct pvdev_vm **out)
{
	struct pvdev_vm *vm = calloc(1, sizeof(*vm));

	if (!vm)
		return -ENOMEM;
	vm->fd = ioctl(kvm_fd, KVM_CREATE_VM, 0);
	if (vm->fd < 0) {
		int e = errno;

		free(vm);
		return -e;
	}
	*out = vm;
	return 0;
}

static int kvm_dev_set_mem_limit(struct pvdev_vm *vm, uint64_t bytes)
{
	struct kvm_device_attr a = {
		.group = PVB_S390_VM_MEM_CTRL,
		.attr = PVB_S390_VM_MEM_LIMIT_SIZE,
		.addr = (uint64_t)(uintptr_t)&bytes,
	};

	return ioctl(vm->fd, KVM_SET_DEVICE_ATTR, &a) ? -errno : 0;
}

static int kvm_dev_set_memslot(struct pvdev_vm *vm, uint32_t slot, uint64_t gpa, uint64_t size,
			       void *hva)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uint64_t)(uintptr_t)hva,
	};

	return ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &r) ? -errno : 0;
}

static int kvm_dev_create_vcpu(struct pvdev_vm *vm, int id, struct pvdev_vcpu **out)
{
	struct pvdev_vcpu *v = calloc(1, sizeof(*v));
	int e;

	if (!v)
		return -ENOMEM;
	v->fd = ioctl(vm->fd, KVM_CREATE_VCPU, id);
	if (v->fd < 0) {
		e = errno;
		free(v);
		return -e;
	}
	v->run = mmap(NULL, (size_t)run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED) {
		e = errno;
		close(v->fd);
		free(v);
		return -e;
	}
	*out = v;
	return 0;
}

static int kvm_dev_pv_cmd(struct pvdev_vm *vm, struct kvm_pv_cmd *cmd)
{
	return ioctl(vm->fd, KVM_S390_PV_COMMAND, cmd) ? -errno : 0;
}

static int kvm_dev_set_mp_state(struct pvdev_vcpu *v, uint32_t state)
{
	struct kvm_mp_state s = { .mp_state = state };

	return ioctl(v->fd, KVM_SET_MP_STATE, &s) ? -errno : 0;
}

static int kvm_dev_run(struct pvdev_vcpu *v, struct pvb_pvx *e)
{
	if (!v->have_thread) {
		v->thread = pthread_self();
		__atomic_store_n(&v->have_thread, 1, __ATOMIC_RELEASE);
	}
	memset(e, 0, sizeof(*e));
	if (ioctl(v->fd, KVM_RUN, 0))
		return -errno;
	if (pvb_pv_arch_decode(v->run, e))
		return -ENOSYS;
	return 0;
}

static void kvm_dev_reply(struct pvdev_vcpu *v, uint64_t value)
{
	pvb_pv_arch_reply(v->run, value);
}

static void kvm_dev_kick(struct pvdev_vcpu *v)
{
	v->run->immediate_exit = 1;
	if (__atomic_load_n(&v->have_thread, __ATOMIC_ACQUIRE))
		pthread_kill(v->thread, SIGUSR1);
}

static void kvm_dev_unkick(struct pvdev_vcpu *v)
{
	v->run->immediate_exit = 0;
	__atomic_store_n(&v->have_thread, 0, __ATOMIC_RELEASE);
}

static void kvm_dev_destroy_vcpu(struct pvdev_vcpu *v)
{
	munmap(v->run, (size_t)run_size);
	close(v->fd);
	free(v);
}

static void kvm_dev_destroy_vm(struct pvdev_vm *vm)
{
	close(vm->fd);
	free(vm);
}

const struct pvdev_ops pvdev_kvm_ops = {
	.name = "pv",
	.emulated = false,
	.open = kvm_dev_open,
	.check_extension = kvm_dev_check_extension,
	.async_destroy_param = kvm_dev_async_param,
	.create_vm = kvm_dev_create_vm,
	.set_mem_limit = kvm_dev_set_mem_limit,
	.set_memslot = kvm_dev_set_memslot,
	.create_vcpu = kvm_dev_create_vcpu,
	.pv_cmd = kvm_dev_pv_cmd,
	.set_mp_state = kvm_dev_set_mp_state,
	.run = kvm_dev_run,
	.reply = kvm_dev_reply,
	.kick = kvm_dev_kick,
	.unkick = kvm_dev_unkick,
	.destroy_vcpu = kvm_dev_destroy_vcpu,
	.destroy_vm = kvm_dev_destroy_vm,
};

int pvdev_cmd(const struct pvdev_ops *d, struct pvdev_vm *vm, unsigned cmd, uint64_t data,
	      uint16_t *rc, uint16_t *rrc)
{
	struct kvm_pv_cmd c = { .cmd = cmd, .data = data };
	int r = d->pv_cmd(vm, &c);

	if (rc)
		*rc = c.rc;
	if (rrc)
		*rrc = c.rrc;
	return r;
}

/* The kvm backend: real VMs through /dev/kvm, one host thread per vCPU, running the
 * architecture's payload; teardown is the real thing (vCPUs, VM, memory). */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backends/backend.h"
#include "backends/vcpu.h"
#include "host/threads.h"
#include "kvm_arch.h"
#include "pvbench.h"
#include "timing.h"
#include "x86_64/guest_abi.h"

#define KICK_SIGNAL SIGUSR1

struct kvm_vcpu {
	struct pvb_guest *g;
	int id, fd;
	struct kvm_run *run;
};

struct pvb_guest {
	struct pvb_vcpus vc; /* first: the shared vCPU ops find it (vcpu.h) */
	struct pvb_guest_params p;
	int vm_fd;
	void *ram, *sys;
	uint64_t populated;
	struct pvb_parts cp; /* the create's sub-phases */
	int nvcpus;
	struct kvm_vcpu vcpus[];
};

_Static_assert(offsetof(struct pvb_guest, vc) == 0, "vcpu.h: struct pvb_vcpus comes first");

static int kvm_fd = -1;
static int run_size;

static void on_kick(int sig)
{
	(void)sig;
}

static int kvm_open(char *why, size_t len)
{
	const char *dev = getenv("PVB_KVM_DEVICE");
	struct sigaction sa;
	int fd, v;

	if (kvm_fd >= 0)
		return 0;
	/* PVB_KVM_DEVICE: another device node (tests use a missing one). */
	if (!dev || !*dev)
		dev = "/dev/kvm";
	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		if (e == ENOENT || e == ENXIO || e == ENODEV)
			snprintf(why, len,
				 "%s is missing (%s): load the KVM module (modprobe "
				 "kvm_intel or kvm_amd) and enable virtualization in the firmware, "
				 "or use a host that has KVM",
				 dev, strerror(e));
		else if (e == EACCES || e == EPERM)
			snprintf(why, len,
				 "no permission to open %s: add your user to the kvm "
				 "group (usermod -aG kvm $USER, then log in again) or run as root",
				 dev);
		else
			snprintf(why, len, "cannot open %s: %s", dev, strerror(e));
		return PVB_EXIT_USAGE;
	}
	v = ioctl(fd, KVM_GET_API_VERSION, 0);
	if (v != KVM_API_VERSION) {
		snprintf(why, len, "/dev/kvm speaks API version %d, pvbench needs %d", v,
			 KVM_API_VERSION);
		close(fd);
		return PVB_EXIT_USAGE;
	}
	if (ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_IMMEDIATE_EXIT) <= 0 ||
	    ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY) <= 0) {
		snprintf(why, len,
			 "KVM lacks KVM_CAP_IMMEDIATE_EXIT or KVM_CAP_USER_MEMORY "
			 "(kernel older than 4.11?)");
		close(fd);
		return PVB_EXIT_SKIP;
	}
	run_size = ioctl(fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (run_size <= 0) {
		snprintf(why, len, "KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
		close(fd);
		return PVB_EXIT_FAIL;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_kick;
	sigemptyset(&sa.sa_mask);
	if (sigaction(KICK_SIGNAL, &sa, NULL)) {
		snprintf(why, len, "sigaction: %s", strerror(errno));
		close(fd);
		return PVB_EXIT_FAIL;
	}
	kvm_fd = fd;
	return 0;
}

static int kvm_probe(const struct pvb_guest_params *p, char *why, size_t len)
{
	int rc = kvm_open(why, len);
	uint64_t max_vcpus;

	if (rc)
		return rc;
	rc = pvb_kvm_arch_probe(kvm_fd, why, len);
	if (rc)
		return rc;
	if (p->size % pvb_kvm_arch.ram_align || p->size > pvb_kvm_arch.ram_max) {
		snprintf(why, len,
			 "guest size %llu bytes: the kvm backend needs a multiple of "
			 "%llu MiB up to %llu GiB",
			 (unsigned long long)p->size,
			 (unsigned long long)(pvb_kvm_arch.ram_align >> 20),
			 (unsigned long long)(pvb_kvm_arch.ram_max >> 30));
		return PVB_EXIT_USAGE;
	}
	max_vcpus = (uint64_t)ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS);
	if (max_vcpus <= 0 || max_vcpus > (uint64_t)pvb_kvm_arch.max_vcpus)
		max_vcpus = (uint64_t)pvb_kvm_arch.max_vcpus;
	if (p->vcpus < 1 || (uint64_t)p->vcpus > max_vcpus) {
		snprintf(why, len, "%d vCPUs: the kvm backend supports 1 to %llu here", p->vcpus,
			 (unsigned long long)max_vcpus);
		return PVB_EXIT_USAGE;
	}
	if (p->backing == PVB_BACKING_THP) {
		char mode[32];

		pvb_read_sysfs_choice("/sys/kernel/mm/transparent_hugepage/enabled", mode,
				      sizeof(mode));
		if (strcmp(mode, "always") && strcmp(mode, "madvise")) {
			snprintf(why, len,
				 "--backing thp: transparent huge pages are '%s' on this "
				 "host; enable them (echo madvise > /sys/kernel/mm/"
				 "transparent_hugepage/enabled)",
				 mode);
			return PVB_EXIT_SKIP;
		}
	}
	return 0;
}

/* Handle one doorbell. Returns false when the vCPU must stop running. */
static bool doorbell(struct kvm_vcpu *v, uint64_t off, uint64_t val, uint64_t t)
{
	struct pvb_gevents *ev = &v->g->vc.ev;
	bool more = true;

	pthread_mutex_lock(&ev->lock);
	switch (off) {
	case PVB_MMIO_ALIVE:
		pvb_gev_alive(ev, t);
		break;
	case PVB_MMIO_POPULATED:
		v->g->populated += val * 4096;
		more = pvb_gev_populated(ev, v->id, t);
		break;
	case PVB_MMIO_REBOOT:
		pvb_gev_reboot(ev, t);
		more = false;
		break;
	case PVB_MMIO_VIOLATION:
		pvb_gev_fail(ev, PVB_EXIT_VERIFY,
			     "--verify-clean: vCPU %d found old data in the "
			     "new guest at guest-physical 0x%llx",
			     v->id, (unsigned long long)val);
		more = false;
		break;
	case PVB_MMIO_FAULT: {
		char desc[256];

		pvb_kvm_arch_describe_fault(v->fd, v->g->sys, val, desc, sizeof(desc));
		pvb_gev_fail(ev, PVB_EXIT_FAIL, "guest exception on vCPU %d: %s", v->id, desc);
		more = false;
		break;
	}
	default:
		pvb_gev_fail(ev, PVB_EXIT_FAIL, "vCPU %d wrote to unknown doorbell offset 0x%llx",
			     v->id, (unsigned long long)off);
		more = false;
	}
	pthread_mutex_unlock(&ev->lock);
	return more;
}

static void *vcpu_thread(void *arg)
{
	struct kvm_vcpu *v = arg;
	struct pvb_gevents *ev = &v->g->vc.ev;
	struct kvm_run *run = v->run;

	pvb_block_stop_signals();
	for (;;) {
		uint64_t t;
		int r;

		if (pvb_gev_stopping(ev))
			break;
		r = ioctl(v->fd, KVM_RUN, 0);
		t = pvb_now_ns();
		if (r < 0) {
			int err = errno;

			if (err == EINTR || err == EAGAIN)
				continue;
			pvb_gev_fail_unlocked(ev, PVB_EXIT_FAIL, "KVM_RUN on vCPU %d: %s", v->id,
					      strerror(err));
			break;
		}
		if (run->exit_reason == KVM_EXIT_MMIO && run->mmio.is_write &&
		    run->mmio.phys_addr >= pvb_kvm_arch.mmio_base &&
		    run->mmio.phys_addr < pvb_kvm_arch.mmio_base + 0x1000) {
			uint64_t val = 0;

			memcpy(&val, run->mmio.data, run->mmio.len <= 8 ? run->mmio.len : 8);
			if (!doorbell(v, run->mmio.phys_addr - pvb_kvm_arch.mmio_base, val, t))
				break;
			continue;
		}
		pthread_mutex_lock(&ev->lock);
		switch (run->exit_reason) {
		case KVM_EXIT_SHUTDOWN:
			pvb_gev_fail(ev, PVB_EXIT_FAIL, "vCPU %d: guest shut down (triple fault)",
				     v->id);
			break;
		case KVM_EXIT_FAIL_ENTRY:
			pvb_gev_fail(
				ev, PVB_EXIT_FAIL, "vCPU %d: entry failed, reason 0x%llx", v->id,
				(unsigned long long)run->fail_entry.hardware_entry_failure_reason);
			break;
		case KVM_EXIT_INTERNAL_ERROR:
			pvb_gev_fail(ev, PVB_EXIT_FAIL, "vCPU %d: KVM internal error, suberror %u",
				     v->id, run->internal.suberror);
			break;
		case KVM_EXIT_MMIO:
			pvb_gev_fail(ev, PVB_EXIT_FAIL, "vCPU %d: unexpected MMIO %s at 0x%llx",
				     v->id, run->mmio.is_write ? "write" : "read",
				     (unsigned long long)run->mmio.phys_addr);
			break;
		default:
			pvb_gev_fail(ev, PVB_EXIT_FAIL, "vCPU %d: unexpected exit reason %u", v->id,
				     run->exit_reason);
		}
		pthread_mutex_unlock(&ev->lock);
		break;
	}
	return NULL;
}

static void *map_ram(const struct pvb_guest_params *p, int *err, struct pvb_parts *cp)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;
	void *m;

	/* hugetlb without MAP_NORESERVE: a short pool fails here, not as SIGBUS later */
	if (p->backing == PVB_BACKING_HUGETLB)
		flags |= MAP_HUGETLB | (21 << MAP_HUGE_SHIFT);
	else
		flags |= MAP_NORESERVE;
	m = mmap(NULL, p->size, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (m == MAP_FAILED) {
		*err = errno;
		return NULL;
	}
	if (p->backing == PVB_BACKING_THP && ((uintptr_t)m & (2 * PVB_MIB - 1))) {
		/* Rare on current kernels, which align large anonymous maps themselves. */
		uint64_t over = p->size + 2 * PVB_MIB;
		char *o, *a;

		if (munmap(m, p->size)) {
			*err = errno;
			return NULL;
		}
		o = mmap(NULL, over, PROT_READ | PROT_WRITE, flags, -1, 0);
		if (o == MAP_FAILED) {
			*err = errno;
			return NULL;
		}
		a = (char *)(((uintptr_t)o + 2 * PVB_MIB - 1) & ~(uintptr_t)(2 * PVB_MIB - 1));
		if ((a > o && munmap(o, (size_t)(a - o))) ||
		    munmap(a + p->size, (size_t)(o + over - (a + p->size)))) {
			*err = errno;
			return NULL;
		}
		m = a;
	}
	pvb_parts_lap(cp, PVB_CP_MMAP);
	if (p->mem && pvb_mempolicy_apply(p->mem, m, p->size)) {
		munmap(m, p->size);
		errno = *err = 0;
		return NULL;
	}
	if (p->backing != PVB_BACKING_HUGETLB &&
	    madvise(m, p->size, p->backing == PVB_BACKING_THP ? MADV_HUGEPAGE : MADV_NOHUGEPAGE)) {
		*err = errno;
		pvb_perror("madvise(%s) of guest RAM",
			   p->backing == PVB_BACKING_THP ? "MADV_HUGEPAGE" : "MADV_NOHUGEPAGE");
		munmap(m, p->size);
		errno = *err = 0;
		return NULL;
	}
	/* Guest RAM stays out of core dumps (QEMU's dump-guest-core=off), and the "dd" flag in
	 * smaps lets pvbench stress tell it from the harness's own memory. */
	if (madvise(m, p->size, MADV_DONTDUMP)) {
		*err = errno;
		pvb_perror("madvise(MADV_DONTDUMP) of guest RAM");
		munmap(m, p->size);
		errno = *err = 0;
		return NULL;
	}
	pvb_parts_lap(cp, PVB_CP_ADVISE);
	return m;
}

static int set_slot(int vm_fd, uint32_t slot, uint64_t gpa, uint64_t size, void *hva)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)hva,
	};

	return ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &r);
}

/* Undo a partly created guest (no vCPU thread started). */
static void discard(struct pvb_guest *g)
{
	for (int i = 0; i < g->nvcpus; i++) {
		if (g->vcpus[i].run)
			munmap(g->vcpus[i].run, (size_t)run_size);
		if (g->vcpus[i].fd >= 0)
			close(g->vcpus[i].fd);
	}
	if (g->vm_fd >= 0)
		close(g->vm_fd);
	if (g->ram)
		munmap(g->ram, g->p.size);
	if (g->sys)
		munmap(g->sys, pvb_kvm_arch.sys_size);
	pvb_gev_destroy(&g->vc.ev);
	free(g);
}

/* immediate_exit first, then the signal: a vCPU about to enter KVM_RUN returns at once, one
 * inside it is kicked out. */
static void kvm_kick(struct pvb_guest *g, int i)
{
	int rc;

	__atomic_store_n(&g->vcpus[i].run->immediate_exit, 1, __ATOMIC_RELEASE);
	rc = pthread_kill(g->vc.thread[i], KICK_SIGNAL);
	if (rc && rc != ESRCH) {
		errno = rc;
		pvb_perror("pthread_kill (vCPU %d)", i);
	}
}

static int kvm_create(const struct pvb_guest_params *p, struct pvb_guest **out)
{
	uint64_t pages = p->size / 4096, share = pages / (uint64_t)p->vcpus;
	struct pvb_guest *g;
	struct pvb_parts cp;
	int err = 0;

	pvb_parts_begin(&cp, pvb_now_ns());
	g = calloc(1, sizeof(*g) + (size_t)p->vcpus * sizeof(g->vcpus[0]));
	if (!g) {
		pvb_err("out of memory");
		return PVB_EXIT_FAIL;
	}
	g->p = *p;
	g->nvcpus = p->vcpus;
	g->vm_fd = -1;
	for (int i = 0; i < p->vcpus; i++)
		g->vcpus[i].fd = -1;
	/* no event for this long fails the guest: 5 min and 5 min a GiB, for emulated hosts
	 * (scripts/vmtest.sh), where a --verify-clean populate runs at 20 MiB/s and slower
	 * when guests share the CPU */
	if (pvb_vcpus_init(&g->vc, p->vcpus, 300000000000ULL + (p->size >> 30) * 300000000000ULL,
			   kvm_kick)) {
		free(g);
		return PVB_EXIT_FAIL;
	}
	pvb_parts_lap(&cp, PVB_CP_VM);
	g->ram = map_ram(p, &err, &cp);
	if (!g->ram) {
		errno = err;
		if (p->backing == PVB_BACKING_HUGETLB && err == ENOMEM) {
			pvb_err("no room in the hugetlb pool for a %llu MiB guest: reserve 2 MiB "
				"pages with 'echo N > /proc/sys/vm/nr_hugepages'",
				(unsigned long long)(p->size >> 20));
			discard(g);
			return PVB_EXIT_SKIP;
		}
		if (err)
			pvb_perror("mmap of %llu MiB guest RAM",
				   (unsigned long long)(p->size >> 20));
		g->ram = NULL;
		discard(g);
		return PVB_EXIT_FAIL;
	}
	g->sys = mmap(NULL, pvb_kvm_arch.sys_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g->sys == MAP_FAILED) {
		pvb_perror("mmap of the guest system area");
		g->sys = NULL;
		goto fail;
	}
	if (madvise(g->sys, pvb_kvm_arch.sys_size, MADV_DONTDUMP)) { /* guest memory too */
		pvb_perror("madvise(MADV_DONTDUMP) of the guest system area");
		goto fail;
	}
	pvb_parts_lap(&cp, PVB_CP_MMAP);
	if (pvb_kvm_arch_setup_sys(g->sys, p->size, p->vcpus)) {
		pvb_err("cannot lay out a %llu-byte guest", (unsigned long long)p->size);
		goto fail;
	}
	pvb_parts_lap(&cp, PVB_CP_LOAD);
	g->vm_fd = ioctl(kvm_fd, KVM_CREATE_VM, 0);
	if (g->vm_fd < 0) {
		pvb_perror("KVM_CREATE_VM");
		goto fail;
	}
	pvb_parts_lap(&cp, PVB_CP_VM);
	if (set_slot(g->vm_fd, 0, 0, p->size, g->ram) ||
	    set_slot(g->vm_fd, 1, pvb_kvm_arch.sys_gpa, pvb_kvm_arch.sys_size, g->sys)) {
		pvb_perror("KVM_SET_USER_MEMORY_REGION");
		goto fail;
	}
	pvb_parts_lap(&cp, PVB_CP_MEMSLOT);
	for (int i = 0; i < p->vcpus; i++) {
		struct kvm_vcpu *v = &g->vcpus[i];
		uint64_t n = i == p->vcpus - 1 ? pages - share * (uint64_t)i : share;
		struct pvb_kvm_vcpu_init vi = {
			.id = i,
			.share_base = share * (uint64_t)i * 4096,
			.share_pages = n,
			.touch_pages = (uint64_t)llround((double)n * p->touch),
			.flags = (p->order == PVB_ORDER_RANDOM ? PVB_FLAG_RANDOM : 0) |
				 (p->verify_clean ? PVB_FLAG_VERIFY : 0),
			.seed = p->seed + (uint64_t)i,
		};

		if (vi.touch_pages > n)
			vi.touch_pages = n;
		v->g = g;
		v->id = i;
		v->fd = ioctl(g->vm_fd, KVM_CREATE_VCPU, i);
		if (v->fd < 0) {
			pvb_perror("KVM_CREATE_VCPU %d", i);
			goto fail;
		}
		v->run = mmap(NULL, (size_t)run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
		if (v->run == MAP_FAILED) {
			v->run = NULL;
			pvb_perror("mmap of kvm_run for vCPU %d", i);
			goto fail;
		}
		if (pvb_kvm_arch_setup_vcpu(kvm_fd, v->fd, &vi))
			goto fail;
	}
	pvb_parts_lap(&cp, PVB_CP_VM);
	if (p->debug_dirty) {
		((volatile uint64_t *)g->ram)[(p->size / 2) / 8] = 0x5afe0ffdeadULL;
		pvb_parts_lap(&cp, PVB_CP_LOAD);
	}
	g->cp = cp;
	*out = g;
	return 0;
fail:
	discard(g);
	return PVB_EXIT_FAIL;
}

static int kvm_start(struct pvb_guest *g)
{
	return pvb_vcpus_start(&g->vc, &g->p, vcpu_thread, g->vcpus, sizeof(g->vcpus[0]));
}

static int kvm_set_aside(struct pvb_guest *g)
{
	/* A stopped KVM guest holds nothing the next one needs: it is already aside. */
	(void)g;
	return 0;
}

/* One share of the scrub and release of a destroy; several run in parallel with
 * --cleanup-threads. Shares are whole 2 MiB pages so that no huge page is split. */
struct share {
	struct pvb_guest *g;
	uint64_t off, len;
	volatile uint64_t *progress;
	uint64_t cpu_ns, scrub_ns;
	int rc, k; /* k: the share's index (0: the cleanup thread's own) */
};

/* Scrub (--scrub), then give the share back as --release says; the share is unmapped. */
static void *release_share(void *arg)
{
	struct share *s = arg;
	uint64_t cpu0 = pvb_thread_cpu_ns(), t0 = pvb_now_ns();
	char *base = (char *)s->g->ram + s->off;

	if (s->g->p.scrub) {
		memset(base, 0, s->len);
		s->scrub_ns = pvb_now_ns() - t0;
	}
	if (pvb_release_range(base, s->len, &s->g->p.release, s->progress))
		s->rc = PVB_EXIT_FAIL;
	s->cpu_ns = pvb_thread_cpu_ns() - cpu0;
	return NULL;
}

/* A helper of a destroy with --cleanup-threads: named after its lane's cleanup thread. */
static void *release_helper(void *arg)
{
	struct share *s = arg;

	pvb_block_stop_signals();
	pvb_thread_name(NULL, "pvb-clean%d.%d", s->g->p.lane, s->k);
	return release_share(arg);
}

/* vCPUs closed, memslots removed, the VM closed: each a part of td. */
static int close_vm(struct pvb_guest *g, struct pvb_teardown *td)
{
	int rc = 0;

	for (int i = 0; i < g->nvcpus; i++) {
		if ((g->vcpus[i].run && munmap(g->vcpus[i].run, (size_t)run_size)) ||
		    (g->vcpus[i].fd >= 0 && close(g->vcpus[i].fd))) {
			pvb_perror("releasing vCPU %d", i);
			rc = PVB_EXIT_FAIL;
		}
	}
	pvb_parts_lap(&td->parts, PVB_XP_VCPU);
	/* Explicitly, as QEMU does when a memory region goes: KVM zaps the slot's mappings
	 * here, which closing the VM would otherwise do inside its own teardown. */
	if (set_slot(g->vm_fd, 0, 0, 0, g->ram) ||
	    set_slot(g->vm_fd, 1, pvb_kvm_arch.sys_gpa, 0, g->sys)) {
		pvb_perror("KVM_SET_USER_MEMORY_REGION (removing a memslot)");
		rc = PVB_EXIT_FAIL;
	}
	pvb_parts_lap(&td->parts, PVB_XP_MEMSLOT);
	if (close(g->vm_fd)) {
		pvb_perror("close of the VM");
		rc = PVB_EXIT_FAIL;
	}
	pvb_parts_lap(&td->parts, PVB_XP_VM);
	return rc;
}

static int kvm_destroy(struct pvb_guest *g, struct pvb_teardown *td)
{
	int k = g->p.cleanup_threads > 1 ? g->p.cleanup_threads : 1;
	uint64_t cpu0 = pvb_thread_cpu_ns(), t, unit = 2 * PVB_MIB, per;
	volatile uint64_t *progress = td->progress;
	struct share shares[PVB_MAX_CLEANUP_THREADS];
	pthread_t threads[PVB_MAX_CLEANUP_THREADS];
	bool helper[PVB_MAX_CLEANUP_THREADS] = { false };
	int rc = 0;

	memset(td, 0, sizeof(*td));
	td->progress = progress;
	td->t_start = pvb_now_ns();
	pvb_parts_begin(&td->parts, td->t_start);
	rc = close_vm(g, td);
	t = td->parts.t_end;
	td->vmclose_ns = t - td->t_start;

	if (k > PVB_MAX_CLEANUP_THREADS)
		k = PVB_MAX_CLEANUP_THREADS;
	per = (g->p.size / unit + (uint64_t)k - 1) / (uint64_t)k * unit;
	for (int i = 0; i < k; i++) {
		uint64_t off = per * (uint64_t)i < g->p.size ? per * (uint64_t)i : g->p.size;

		shares[i] = (struct share){ .g = g,
					    .k = i,
					    .off = off,
					    .progress = progress,
					    .len = g->p.size - off < per ? g->p.size - off : per };
	}
	/* Helpers inherit this thread's CPU placement. One that cannot be started leaves its
	 * share to this thread. */
	for (int i = 1; i < k; i++) {
		int e = pthread_create(&threads[i], NULL, release_helper, &shares[i]);

		if (e) {
			errno = e;
			pvb_perror("cleanup helper thread (doing its share here)");
		}
		helper[i] = !e;
	}
	release_share(&shares[0]);
	for (int i = 1; i < k; i++) {
		if (helper[i])
			pthread_join(threads[i], NULL);
		else
			release_share(&shares[i]);
	}
	for (int i = 0; i < k; i++) {
		if (i > 0)
			td->cpu_ns += shares[i].cpu_ns;
		if (shares[i].scrub_ns > td->scrub_ns)
			td->scrub_ns = shares[i].scrub_ns;
		rc = rc ? rc : shares[i].rc;
	}
	if (munmap(g->sys, pvb_kvm_arch.sys_size)) {
		pvb_perror("munmap of the guest system area");
		rc = PVB_EXIT_FAIL;
	}
	td->t_end = pvb_parts_lap(&td->parts, PVB_XP_RELEASE);
	/* With several threads the scrub is the slowest share's; the rest is release. */
	pvb_parts_move(&td->parts, PVB_XP_RELEASE, PVB_XP_SCRUB, td->scrub_ns);
	td->release_ns = td->t_end - t - td->scrub_ns;
	td->cpu_ns += pvb_thread_cpu_ns() - cpu0;
	pvb_gev_destroy(&g->vc.ev);
	free(g);
	return rc;
}

static uint64_t kvm_progress(const struct pvb_guest *g)
{
	uint64_t pages = 0;

	for (int i = 0; i < g->nvcpus; i++)
		pages += __atomic_load_n(
			(const uint64_t *)((const char *)g->sys + pvb_kvm_arch.progress_off +
					   (uint64_t)i * pvb_kvm_arch.progress_stride),
			__ATOMIC_RELAXED);
	return pages * 4096;
}

static int kvm_create_parts(const struct pvb_guest *g, struct pvb_parts *out)
{
	*out = g->cp;
	return 0;
}

static int kvm_mem_policy(const struct pvb_guest *g, char *out, size_t len)
{
	return pvb_mempolicy_read(g->ram, out, len);
}

static uint64_t kvm_populated_bytes(const struct pvb_guest *g)
{
	return g->populated;
}

const struct pvb_backend_ops pvb_backend_kvm = {
	.name = "kvm",
	.description = "real VMs through /dev/kvm running the payload",
	.probe = kvm_probe,
	.create = kvm_create,
	.start = kvm_start,
	PVB_VCPUS_OPS,
	.set_aside = kvm_set_aside,
	.destroy = kvm_destroy,
	.populated_bytes = kvm_populated_bytes,
	.progress = kvm_progress,
	.mem_policy = kvm_mem_policy,
	.create_parts = kvm_create_parts,
	.release_strategies = true,
};

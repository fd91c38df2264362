/* The device the pv backends drive and the VM each lane keeps across reboots (pv_lane.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "backends/pvem/pvem.h"
#include "pv_lane.h"
#include "pvbench.h"

#define MAX_LANES 64

static struct pv_lane lanes[MAX_LANES];
static struct pvem_settings em_settings;
static const struct pvdev_ops *opened;

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
		em_settings.verify = p->verify_clean;
	}
	rc = d->open(&em_settings, why, len);
	if (!rc)
		opened = d;
	return rc;
}

int pv_dev_probe(const struct pvdev_ops *d, const struct pvb_guest_params *p, char *why, size_t len)
{
	int rc;

	if (p->backing != PVB_BACKING_ANON) {
		snprintf(why, len,
			 "protected guests run on 4 KiB anonymous memory only (KVM "
			 "refuses huge pages for them): drop --backing %s",
			 pvb_backing_name(p->backing));
		return PVB_EXIT_USAGE;
	}
	if (p->size % PVB_MIB || p->size < 2 * PVB_MIB) {
		snprintf(why, len,
			 "s390 guest memory is a multiple of 1 MiB, at least 2 MiB: "
			 "--size %llu bytes is not",
			 (unsigned long long)p->size);
		return PVB_EXIT_USAGE;
	}
	if (p->vcpus > PVB_S390_MAX_VCPUS) {
		snprintf(why, len, "at most %d vCPUs", PVB_S390_MAX_VCPUS);
		return PVB_EXIT_USAGE;
	}
	if (!d->emulated && p->vcpus != 1) {
		snprintf(why, len,
			 "the s390x payload starts one CPU (secondary CPUs need SIGP "
			 "from the guest, not written yet): use --vcpus 1 with --backend pv");
		return PVB_EXIT_USAGE;
	}
	if (p->scrub || (!d->emulated && (p->verify_clean || p->debug_dirty))) {
		snprintf(why, len,
			 "--scrub%s: a protected guest's memory is cleared by the Ultravisor and "
			 "hidden from the host (pv-emulated models --verify-clean)",
			 d->emulated ? " is a kvm-backend option" :
				       " and --verify-clean are kvm-backend options");
		return PVB_EXIT_USAGE;
	}
	if (p->cleanup_threads > 1) {
		snprintf(why, len,
			 "KVM_PV_ASYNC_CLEANUP_PERFORM is one call on one thread: "
			 "--cleanup-threads must be 1 with the pv backends");
		return PVB_EXIT_USAGE;
	}
	if (!d->emulated && !p->se_image && !(p->payload && p->se_header)) {
		snprintf(why, len,
			 "a real protected guest needs a sealed image: --se-image FILE, or "
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
static int lane_open(struct pv_lane *l, const struct pvdev_ops *d, const struct pvb_guest_params *p,
		     struct pvb_parts *cp)
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
			"--size",
			l->img.load_len, (unsigned long long)p->size);
		return PVB_EXIT_USAGE;
	}
	pvb_parts_lap(cp, PVB_CP_LOAD);
	if ((r = d->create_vm(&l->vm))) {
		pvb_err("KVM_CREATE_VM: %s", strerror(-r));
		return PVB_EXIT_FAIL;
	}
	if (l->mem_limit && (r = d->set_mem_limit(l->vm, l->mem_limit))) {
		pvb_err("setting the memory limit to %llu bytes (KVM_S390_VM_MEM_LIMIT_SIZE): %s",
			(unsigned long long)l->mem_limit, strerror(-r));
		return PVB_EXIT_FAIL;
	}
	pvb_parts_lap(cp, PVB_CP_VM);
	/* s390 KVM wants the memslot's host address 1 MiB aligned. */
	{
		uint8_t *m = mmap(NULL, p->size + PVB_MIB, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		uint8_t *a;

		if (m == MAP_FAILED) {
			pvb_perror("mmap of %llu bytes of guest memory",
				   (unsigned long long)p->size);
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
	pvb_parts_lap(cp, PVB_CP_MMAP);
	if (p->mem && pvb_mempolicy_apply(p->mem, l->ram, p->size))
		return PVB_EXIT_FAIL;
	/* out of core dumps, and told apart from the harness's memory (pvbench stress) */
	if (madvise(l->ram, p->size, MADV_DONTDUMP)) {
		pvb_perror("madvise(MADV_DONTDUMP) of guest memory");
		return PVB_EXIT_FAIL;
	}
	if (madvise(l->ram, p->size, MADV_NOHUGEPAGE)) {
		pvb_perror("madvise(MADV_NOHUGEPAGE) of guest memory");
		return PVB_EXIT_FAIL;
	}
	pvb_parts_lap(cp, PVB_CP_ADVISE);
	if ((r = d->set_memslot(l->vm, 0, 0, p->size, l->ram))) {
		pvb_err("KVM_SET_USER_MEMORY_REGION (%llu bytes at 0): %s",
			(unsigned long long)p->size, strerror(-r));
		return PVB_EXIT_FAIL;
	}
	pvb_parts_lap(cp, PVB_CP_MEMSLOT);
	for (int i = 0; i < p->vcpus; i++) {
		if ((r = d->create_vcpu(l->vm, i, &l->vcpus[i]))) {
			pvb_err("KVM_CREATE_VCPU %d: %s", i, strerror(-r));
			return PVB_EXIT_FAIL;
		}
		l->nvcpus = i + 1;
	}
	pvb_parts_lap(cp, PVB_CP_VM);
	return 0;
}

int pv_lane_get(const struct pvdev_ops *d, const struct pvb_guest_params *p, struct pv_lane **out,
		struct pvb_parts *cp)
{
	struct pv_lane *l;
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
	if (l->vm &&
	    (l->d != d || l->size != p->size || l->nvcpus != p->vcpus ||
	     l->mem_limit != (p->mem_limit == PVB_MEM_LIMIT_RAM ? p->size : p->mem_limit))) {
		if (l->guests) {
			pvb_err("internal: lane %d changes its VM while %d guest(s) live on it",
				p->lane, l->guests);
			return PVB_EXIT_FAIL;
		}
		lane_close(l);
	}
	if (!l->vm && (rc = lane_open(l, d, p, cp))) {
		lane_close(l);
		return rc;
	}
	*out = l;
	return 0;
}

uint64_t pv_lane_exports(struct pv_lane *l)
{
	if (!l->d->emulated || !l->vm)
		return 0;
	return pvem_exports(pvdev_emul_model(l->vm));
}

json_t *pv_dev_describe(const struct pvdev_ops *d, const struct pvb_guest_params *p)
{
	json_t *o = json_object(), *caps = json_object();
	struct kvm_s390_pv_info info = { .header = { .id = KVM_PV_INFO_VM,
						     .len_max = sizeof(info) } };
	struct pvdev_vm *vm;
	int a;

	json_object_set_new(o, "device", json_string(d->name));
	json_object_set_new(o, "emulated", json_boolean(d->emulated));
	json_object_set_new(caps, "s390_protected",
			    json_integer(d->check_extension(PVB_CAP_S390_PROTECTED)));
	json_object_set_new(caps, "s390_protected_dump",
			    json_integer(d->check_extension(PVB_CAP_S390_PROTECTED_DUMP)));
	json_object_set_new(caps, "s390_protected_async_disable",
			    json_integer(d->check_extension(PVB_CAP_S390_PROTECTED_ASYNC_DISABLE)));
	json_object_set_new(o, "capabilities", caps);
	a = d->async_destroy_param();
	json_object_set_new(o, "async_destroy", a < 0 ? json_string("absent") : json_boolean(a));
	/* KVM_PV_INFO works on a VM that is not protected yet. */
	if (!d->create_vm(&vm)) {
		uint16_t rc, rrc;

		if (!pvdev_cmd(d, vm, PVB_PV_INFO, (uint64_t)(uintptr_t)&info, &rc, &rrc)) {
			int b = PVB_UVC_DESTROY_FAST_BIT;

			json_object_set_new(
				o, "destroy_fast",
				json_boolean(info.vm.inst_calls_list[b / 64] >> (63 - b % 64) & 1));
			json_object_set_new(o, "misc",
					    json_boolean(info.vm.feature_indication >>
								 (63 - PVB_UV_FEAT_MISC_BIT) &
							 1));
			json_object_set_new(o, "max_guests",
					    json_integer((json_int_t)info.vm.max_guests));
		} else {
			json_object_set_new(o, "pv_info",
					    json_string(
						    "KVM_PV_INFO failed (kernel "
						    "before 6.0?): destroy-fast and MISC unknown"));
		}
		d->destroy_vm(vm);
	}
	json_object_set_new(o, "mem_limit",
			    p->mem_limit == PVB_MEM_LIMIT_RAM ? json_string("ram size (as QEMU)") :
			    p->mem_limit ? json_integer((json_int_t)p->mem_limit) :
					   json_string("unset"));
	if (d->emulated) {
		json_object_set_new(o, "model", pvem_settings_json(&em_settings));
		json_object_set_new(
			o, "note",
			json_string(
				"pv-emulated is a model of the kernel "
				"and Ultravisor behaviour, not a measurement of a z16: its per-operation "
				"costs are parameters; the memory it populates, clears and frees is real"));
	}
	return o;
}

void pv_lanes_release(void)
{
	for (int i = 0; i < MAX_LANES; i++)
		if (lanes[i].vm || lanes[i].img.load)
			lane_close(&lanes[i]);
}

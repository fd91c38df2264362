/* The pv-emulated model, rule by rule (pvem.h), through KVM_S390_PV_COMMAND-shaped calls.
 * Guests larger than 2 GiB are mapped MAP_NORESERVE and only a few pages are touched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backends/pvem/pvem.h"
#include "pvbench.h"

#define PAGE 4096ULL

struct vm {
	struct pvem_vm *m;
	uint8_t *ram;
	uint64_t size;
};

/* Guest memory as KVM on s390 wants it: 1 MiB aligned. */
static uint8_t *map_ram(uint64_t size)
{
	uint8_t *m = mmap(NULL, size + PVB_MIB, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	uint8_t *a;

	assert_true(m != MAP_FAILED);
	a = (uint8_t *)(((uintptr_t)m + PVB_MIB - 1) & ~(uintptr_t)(PVB_MIB - 1));
	if (a > m)
		assert_int_equal(munmap(m, (size_t)(a - m)), 0);
	assert_int_equal(munmap(a + size, (size_t)(m + PVB_MIB - a)), 0);
	return a;
}

static void vm_open_s(struct vm *v, uint64_t size, uint64_t limit, struct pvem_settings *s)
{
	memset(&s->c, 0, sizeof(s->c)); /* rules, not costs */
	v->size = size;
	v->m = pvem_vm_new(s);
	assert_non_null(v->m);
	v->ram = map_ram(size);
	if (limit)
		assert_int_equal(pvem_set_mem_limit(v->m, limit), 0);
	assert_int_equal(pvem_set_memslot(v->m, 0, 0, size, v->ram), 0);
	assert_int_equal(pvem_add_vcpu(v->m), 0);
}

static void vm_open(struct vm *v, uint64_t size, uint64_t limit, bool misc)
{
	struct pvem_settings s;

	pvem_defaults(&s);
	s.misc = misc;
	vm_open_s(v, size, limit, &s);
}

static void vm_close(struct vm *v)
{
	pvem_vm_free(v->m);
	munmap(v->ram, v->size);
}

static int cmd(struct vm *v, unsigned c, void *data, uint16_t *rrc)
{
	struct kvm_pv_cmd k = { .cmd = c, .data = (uint64_t)(uintptr_t)data };
	int r = pvem_cmd(v->m, &k);

	if (rrc)
		*rrc = k.rrc;
	return r;
}

/* ENABLE, SET_SEC_PARMS, UNPACK (one page at 64 KiB), VERIFY. */
static void protect(struct vm *v)
{
	static uint8_t hdr[4096] = "IBMSecEx";
	struct kvm_s390_pv_sec_parm sp = { (uint64_t)(uintptr_t)hdr, sizeof(hdr) };
	struct kvm_s390_pv_unp u = { 0x10000, PAGE, 0 };

	assert_int_equal(cmd(v, PVB_PV_ENABLE, NULL, NULL), 0);
	assert_int_equal(cmd(v, PVB_PV_SET_SEC_PARMS, &sp, NULL), 0);
	assert_int_equal(cmd(v, PVB_PV_UNPACK, &u, NULL), 0);
	assert_int_equal(cmd(v, PVB_PV_VERIFY, NULL, NULL), 0);
}

static struct pvem_stats stats(struct vm *v)
{
	struct pvem_stats st;

	pvem_stats(v->m, &st);
	return st;
}

static void test_prepare_twice(void **state)
{
	struct vm v;
	uint16_t rrc = 0;

	(void)state;
	vm_open(&v, 4 * PVB_GIB, 0, false);
	protect(&v);
	assert_int_equal(cmd(&v, PVB_PV_ASYNC_CLEANUP_PREPARE, NULL, &rrc), 0);
	assert_int_equal(rrc, 42);
	assert_false(stats(&v).protected_);
	protect(&v);
	/* one already set aside, PERFORM not started: refused, still protected */
	assert_int_equal(cmd(&v, PVB_PV_ASYNC_CLEANUP_PREPARE, NULL, NULL), -EINVAL);
	assert_true(stats(&v).protected_);
	/* after PERFORM took the first one, PREPARE works again */
	assert_int_equal(cmd(&v, PVB_PV_ASYNC_CLEANUP_PERFORM, NULL, NULL), 0);
	assert_int_equal(cmd(&v, PVB_PV_ASYNC_CLEANUP_PREPARE, NULL, NULL), 0);
	assert_int_equal(cmd(&v, PVB_PV_ASYNC_CLEANUP_PERFORM, NULL, NULL), 0);
	assert_int_equal(stats(&v).secure_pages, 0);
	vm_close(&v);
}

static void test_perform_nothing_aside(void **state)
{
	struct vm v;

	(void)state;
	vm_open(&v, 64 * PVB_MIB, 0, false);
	assert_int_equal(cmd(&v, PVB_PV_ASYNC_CLEANUP_PERFORM, NULL, NULL), -EINVAL);
	protect(&v);
	assert_int_equal(cmd(&v, PVB_PV_ASYNC_CLEANUP_PERFORM, NULL, NULL), -EINVAL);
	/* PREPARE and DISABLE need a protected VM */
	assert_int_equal(cmd(&v, PVB_PV_DISABLE, NULL, NULL), 0);
	assert_int_equal(cmd(&v, PVB_PV_DISABLE, NULL, NULL), -EINVAL);
	assert_int_equal(cmd(&v, PVB_PV_ASYNC_CLEANUP_PREPARE, NULL, NULL), -EINVAL);
	vm_close(&v);
}

static void test_lower_2g_sync(void **state)
{
	struct vm v;
	uint64_t low = 1 * PVB_GIB, high = 3 * PVB_GIB;

	(void)state;
	vm_open(&v, 4 * PVB_GIB, 0, false);
	protect(&v);
	assert_int_equal(pvem_touch(v.m, low, 0x5a), 0);
	assert_int_equal(pvem_touch(v.m, high, 0x5a), 0);
	assert_int_equal(stats(&v).secure_pages, 3); /* with the unpacked page */
	assert_int_equal(cmd(&v, PVB_PV_ASYNC_CLEANUP_PREPARE, NULL, NULL), 0);
	/* below 2 GiB: destroyed and zeroed at once; above: still the old guest's */
	assert_int_equal(stats(&v).secure_pages, 1);
	assert_int_equal(v.ram[low], 0);
	assert_int_equal(v.ram[high], 0x5a);
	assert_int_equal(cmd(&v, PVB_PV_ASYNC_CLEANUP_PERFORM, NULL, NULL), 0);
	assert_int_equal(stats(&v).secure_pages, 0);
	assert_int_equal(v.ram[high], 0);
	vm_close(&v);
}

static void test_limit_2g(void **state)
{
	struct vm v;

	(void)state;
	vm_open(&v, 64 * PVB_MIB, 2 * PVB_GIB, false);
	protect(&v);
	assert_int_equal(cmd(&v, PVB_PV_ASYNC_CLEANUP_PREPARE, NULL, NULL), -EINVAL);
	assert_true(stats(&v).protected_);
	assert_int_equal(cmd(&v, PVB_PV_DISABLE, NULL, NULL), 0);
	vm_close(&v);
	/* just above 2 GiB it is allowed */
	vm_open(&v, 64 * PVB_MIB, 2 * PVB_GIB + PVB_MIB, false);
	protect(&v);
	assert_int_equal(cmd(&v, PVB_PV_ASYNC_CLEANUP_PREPARE, NULL, NULL), 0);
	vm_close(&v);
	/* a memslot beyond the limit is refused, so is an overlapping one */
	vm_open(&v, 64 * PVB_MIB, 64 * PVB_MIB, false);
	assert_int_equal(pvem_set_memslot(v.m, 1, 64 * PVB_MIB, 64 * PVB_MIB, v.ram), -EINVAL);
	assert_int_equal(pvem_set_memslot(v.m, 1, 32 * PVB_MIB, 4 * PVB_MIB, v.ram), -EEXIST);
	/* KVM on s390: host address and size in whole MiB */
	assert_int_equal(pvem_set_memslot(v.m, 1, 256 * PVB_MIB, 4 * PVB_MIB, v.ram + 4096),
			 -EINVAL);
	/* the limit only before the first vCPU */
	assert_int_equal(pvem_set_mem_limit(v.m, 4 * PVB_GIB), -EBUSY);
	vm_close(&v);
}

static void test_interrupt_need_cleanup(void **state)
{
	struct vm v;
	uint16_t rrc = 0;

	(void)state;
	vm_open(&v, 4 * PVB_GIB, 0, false);
	protect(&v);
	for (uint64_t g = 2 * PVB_GIB; g < 2 * PVB_GIB + 8 * PVB_MIB; g += PAGE)
		assert_int_equal(pvem_touch(v.m, g, 1), 0);
	assert_int_equal(cmd(&v, PVB_PV_ASYNC_CLEANUP_PREPARE, NULL, NULL), 0);
	pvem_fatal_signal(v.m);
	/* stops early, leaves the rest on need_cleanup, "pretends things went well" */
	assert_int_equal(cmd(&v, PVB_PV_ASYNC_CLEANUP_PERFORM, NULL, &rrc), 0);
	assert_int_equal(rrc, 42);
	assert_int_equal(stats(&v).need_cleanup, 1);
	assert_int_equal(stats(&v).secure_pages, 2048);
	assert_int_equal(v.ram[2 * PVB_GIB], 1);
	/* a new guest, then DISABLE reaps it and the leftover */
	protect(&v);
	assert_int_equal(cmd(&v, PVB_PV_DISABLE, NULL, NULL), 0);
	assert_int_equal(stats(&v).need_cleanup, 0);
	assert_int_equal(stats(&v).secure_pages, 0);
	assert_int_equal(v.ram[2 * PVB_GIB], 0);
	vm_close(&v);
}

static void test_vm_close_reaps(void **state)
{
	struct vm v;

	(void)state;
	/* set aside and need_cleanup both pending when the VM goes: no leak (ASan) */
	vm_open(&v, 4 * PVB_GIB, 0, false);
	protect(&v);
	assert_int_equal(pvem_touch(v.m, 3 * PVB_GIB, 1), 0);
	assert_int_equal(cmd(&v, PVB_PV_ASYNC_CLEANUP_PREPARE, NULL, NULL), 0);
	pvem_fatal_signal(v.m);
	assert_int_equal(cmd(&v, PVB_PV_ASYNC_CLEANUP_PERFORM, NULL, NULL), 0);
	protect(&v);
	assert_int_equal(pvem_touch(v.m, 3 * PVB_GIB + PAGE, 1), 0);
	assert_int_equal(cmd(&v, PVB_PV_ASYNC_CLEANUP_PREPARE, NULL, NULL), 0);
	protect(&v);
	vm_close(&v);
}

static uint64_t exports_after_reimport(bool misc)
{
	struct vm v;
	uint64_t e;

	vm_open(&v, 4 * PVB_GIB, 0, misc);
	protect(&v);
	assert_int_equal(pvem_touch(v.m, 3 * PVB_GIB, 1), 0);
	assert_int_equal(cmd(&v, PVB_PV_ASYNC_CLEANUP_PREPARE, NULL, NULL), 0);
	protect(&v);
	/* the new guest's UNPACK and its write to a page the old one still owns: while the
	 * old configuration exists, each import needs an export first (without MISC) */
	assert_int_equal(pvem_touch(v.m, 3 * PVB_GIB, 2), 0);
	e = stats(&v).exports;
	/* PERFORM leaves the new guest's page alone */
	assert_int_equal(cmd(&v, PVB_PV_ASYNC_CLEANUP_PERFORM, NULL, NULL), 0);
	assert_int_equal(v.ram[3 * PVB_GIB], 2);
	assert_int_equal(stats(&v).secure_pages, 2);
	vm_close(&v);
	return e;
}

static void test_misc(void **state)
{
	(void)state;
	assert_int_equal(exports_after_reimport(false), 2);
	assert_int_equal(exports_after_reimport(true), 0);
}

static void destroy_zeroes(bool discard)
{
	struct pvem_settings s;
	struct vm v;
	unsigned char vec[512];

	pvem_defaults(&s);
	s.discard = discard;
	vm_open_s(&v, 64 * PVB_MIB, 0, &s);
	protect(&v);
	for (uint64_t g = 8 * PVB_MIB; g < 10 * PVB_MIB; g += PAGE)
		assert_int_equal(pvem_touch(v.m, g, 0x77), 0);
	assert_int_equal(mincore(v.ram + 8 * PVB_MIB, 2 * PVB_MIB, vec), 0);
	assert_true(vec[0] & 1);
	assert_int_equal(cmd(&v, PVB_PV_DISABLE, NULL, NULL), 0);
	assert_int_equal(stats(&v).secure_pages, 0);
	/* cleared; still mapped as KVM leaves it, or given back with the discard feature */
	assert_int_equal(mincore(v.ram + 8 * PVB_MIB, 2 * PVB_MIB, vec), 0);
	for (int i = 0; i < 512; i++)
		assert_int_equal(vec[i] & 1, !discard);
	assert_int_equal(stats(&v).discarded_bytes >= 2 * PVB_MIB, discard);
	for (uint64_t g = 8 * PVB_MIB; g < 10 * PVB_MIB; g += 512)
		assert_int_equal(v.ram[g], 0);
	vm_close(&v);
}

static void test_destroy_zeroes(void **state)
{
	(void)state;
	destroy_zeroes(false);
	destroy_zeroes(true);
}

/* --verify-clean: a first write to a page no configuration owns finds it zero, or -EIO;
 * pages the destroys zeroed pass; the process-wide totals count what happened. */
static void test_verify_old_data(void **state)
{
	struct pvem_settings s;
	struct pvem_totals t0, t;
	struct vm v;

	(void)state;
	pvem_defaults(&s);
	s.verify = true;
	pvem_totals(&t0);
	vm_open_s(&v, 64 * PVB_MIB, 0, &s);
	protect(&v);
	assert_int_equal(pvem_touch(v.m, 0x200000, 0xa5), 0); /* fresh: zero */
	assert_int_equal(pvem_touch(v.m, 0x200000, 0xa6), 0); /* its own page */
	assert_int_equal(cmd(&v, PVB_PV_DISABLE, NULL, NULL), 0);
	protect(&v);
	assert_int_equal(pvem_touch(v.m, 0x200000, 0xa5), 0); /* zeroed by the destroy */
	v.ram[0x300000] = 0x5a;				      /* old data nobody cleared */
	assert_int_equal(pvem_touch(v.m, 0x300000, 0xa5), -EIO);
	assert_int_equal(v.ram[0x300000], 0x5a); /* not written */
	pvem_totals(&t);
	assert_true(t.old_data_seen == t0.old_data_seen + 1);
	assert_true(t.configs_live == t0.configs_live + 1);
	vm_close(&v);
	pvem_totals(&t);
	assert_true(t.configs_live == t0.configs_live); /* closing the VM released it */
}

/* The signal handler's call: the next PERFORM stops, its configuration on need_cleanup,
 * which the VM's end reaps. */
static void test_fatal_signal_all(void **state)
{
	struct pvem_totals t0, t;
	struct vm v;
	uint16_t rrc = 0;

	(void)state;
	pvem_totals(&t0);
	vm_open(&v, 64 * PVB_MIB, 4 * PVB_GIB, false);
	protect(&v);
	assert_int_equal(pvem_touch(v.m, 0x200000, 0xa5), 0);
	assert_int_equal(cmd(&v, PVB_PV_ASYNC_CLEANUP_PREPARE, NULL, NULL), 0);
	pvem_fatal_signal_all();
	assert_int_equal(cmd(&v, PVB_PV_ASYNC_CLEANUP_PERFORM, NULL, &rrc), 0);
	assert_int_equal(stats(&v).need_cleanup, 1);
	pvem_totals(&t);
	assert_true(t.performs_interrupted == t0.performs_interrupted + 1);
	vm_close(&v);
	pvem_totals(&t);
	assert_true(t.need_cleanup_reaped == t0.need_cleanup_reaped + 1);
	assert_true(t.configs_live == t0.configs_live);
}

static void test_bad_input(void **state)
{
	struct vm v;
	uint8_t bad[64] = "NotSecEx";
	struct kvm_s390_pv_sec_parm sp = { (uint64_t)(uintptr_t)bad, sizeof(bad) };
	struct kvm_s390_pv_unp u = { 0x10001, PAGE, 0 };
	struct kvm_pv_cmd k = { .cmd = PVB_PV_ENABLE, .flags = 1 };

	(void)state;
	vm_open(&v, 64 * PVB_MIB, 0, false);
	assert_int_equal(pvem_cmd(v.m, &k), -EINVAL);			     /* flags must be 0 */
	assert_int_equal(cmd(&v, PVB_PV_SET_SEC_PARMS, &sp, NULL), -EINVAL); /* not protected */
	assert_int_equal(cmd(&v, PVB_PV_ENABLE, NULL, NULL), 0);
	assert_int_equal(cmd(&v, PVB_PV_ENABLE, NULL, NULL), -EINVAL);
	assert_int_equal(cmd(&v, PVB_PV_SET_SEC_PARMS, &sp, NULL), -EINVAL); /* magic */
	assert_int_equal(cmd(&v, PVB_PV_UNPACK, &u, NULL), -EINVAL);	     /* not page aligned */
	u.addr = 64 * PVB_MIB;
	assert_int_equal(cmd(&v, PVB_PV_UNPACK, &u, NULL), -EFAULT); /* outside memory */
	assert_int_equal(cmd(&v, 99, NULL, NULL), -ENOTTY);
	/* memslots cannot change once protected */
	assert_int_equal(pvem_set_memslot(v.m, 0, 0, 32 * PVB_MIB, v.ram), -EINVAL);
	assert_int_equal(pvem_touch(v.m, 64 * PVB_MIB, 1), -EFAULT);
	vm_close(&v);
}

static void test_async_off_and_info(void **state)
{
	struct pvem_settings s;
	struct pvem_vm *m;
	struct kvm_s390_pv_info in = { .header = { .id = KVM_PV_INFO_VM, .len_max = sizeof(in) } };
	struct kvm_pv_cmd k = { .cmd = PVB_PV_INFO, .data = (uint64_t)(uintptr_t)&in };
	uint8_t *ram = map_ram(4 * PVB_MIB);

	(void)state;
	pvem_defaults(&s);
	memset(&s.c, 0, sizeof(s.c));
	s.async_destroy = false;
	s.misc = true;
	s.destroy_fast = true;
	m = pvem_vm_new(&s);
	assert_int_equal(pvem_set_memslot(m, 0, 0, 4 * PVB_MIB, ram), 0);
	assert_int_equal(pvem_cmd(m, &k), 0);
	assert_true(in.vm.feature_indication >> 63 & 1);	/* MISC, bit 0 MSB-0 */
	assert_true(in.vm.inst_calls_list[0] >> (63 - 23) & 1); /* destroy-fast */
	k = (struct kvm_pv_cmd){ .cmd = PVB_PV_ENABLE };
	assert_int_equal(pvem_cmd(m, &k), 0);
	k = (struct kvm_pv_cmd){ .cmd = PVB_PV_ASYNC_CLEANUP_PREPARE };
	assert_int_equal(pvem_cmd(m, &k), -EINVAL);
	k = (struct kvm_pv_cmd){ .cmd = PVB_PV_ASYNC_CLEANUP_PERFORM };
	assert_int_equal(pvem_cmd(m, &k), -EINVAL);
	pvem_vm_free(m);
	munmap(ram, 4 * PVB_MIB);
}

struct toucher {
	struct vm *v;
	uint64_t from, to;
};

static void *touch_range(void *arg)
{
	struct toucher *t = arg;

	for (uint64_t g = t->from; g < t->to; g += PAGE)
		if (pvem_touch(t->v->m, g, 0x3c))
			return (void *)1;
	return NULL;
}

/* PERFORM on one thread while the new guest writes over the same pages on another. */
static void test_perform_concurrent(void **state)
{
	struct vm v;
	struct toucher t;
	pthread_t th;
	void *ret;
	uint64_t a = 2 * PVB_GIB, b = 2 * PVB_GIB + 64 * PVB_MIB;

	(void)state;
	vm_open(&v, 3 * PVB_GIB, 0, false);
	protect(&v);
	for (uint64_t g = a; g < b; g += PAGE)
		assert_int_equal(pvem_touch(v.m, g, 0x11), 0);
	assert_int_equal(cmd(&v, PVB_PV_ASYNC_CLEANUP_PREPARE, NULL, NULL), 0);
	protect(&v);
	t = (struct toucher){ &v, a, b };
	assert_int_equal(pthread_create(&th, NULL, touch_range, &t), 0);
	assert_int_equal(cmd(&v, PVB_PV_ASYNC_CLEANUP_PERFORM, NULL, NULL), 0);
	assert_int_equal(pthread_join(th, &ret), 0);
	assert_null(ret);
	/* every page is the new guest's, with its data; nothing of the old one is left */
	assert_int_equal(stats(&v).secure_pages, (b - a) / PAGE + 1);
	for (uint64_t g = a; g < b; g += PAGE)
		assert_int_equal(v.ram[g], 0x3c);
	/* the new guest's UNPACK ran while the old one was set aside: exported first; no more
	 * exports than imports; PERFORM destroyed only old pages (plus the unpacked page below
	 * 2 GiB, destroyed by PREPARE) */
	assert_true(stats(&v).exports >= 1);
	assert_true(stats(&v).exports <= (b - a) / PAGE + 1);
	assert_true(stats(&v).destroyed_pages <= (b - a) / PAGE + 1);
	vm_close(&v);
}

/* A cost file round trip, and a comment line longer than pvem_save's buffer (calibrate
 * puts RUN_DIR in it) refused without writing past the buffer (found reviewing for the
 * fuzzer: sizeof(buf) - n wrapped). */
static void test_save_load(void **state)
{
	char dir[] = "/tmp/pvbench-test-XXXXXX", path[64], err[512];
	struct pvem_settings s, t;
	char *comment = malloc(5000);

	(void)state;
	assert_non_null(comment);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/costs.ini", dir);
	pvem_defaults(&s);
	s.c.import_ns = 1234;
	s.discard = !s.discard;
	assert_int_equal(pvem_save(path, &s, "line one\nline two"), 0);
	pvem_defaults(&t);
	assert_int_equal(pvem_load(path, &t, err, sizeof(err)), 0);
	assert_memory_equal(&s.c, &t.c, sizeof(s.c));
	assert_int_equal(s.discard, t.discard);
	memset(comment, 'x', 4999);
	comment[4999] = '\0';
	assert_int_equal(pvem_save(path, &s, comment), -1);
	assert_int_equal(pvem_load(path, &t, err, sizeof(err)), 0); /* the old file is intact */
	assert_int_equal(t.c.import_ns, 1234);
	free(comment);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prepare_twice),
		cmocka_unit_test(test_perform_nothing_aside),
		cmocka_unit_test(test_lower_2g_sync),
		cmocka_unit_test(test_limit_2g),
		cmocka_unit_test(test_interrupt_need_cleanup),
		cmocka_unit_test(test_vm_close_reaps),
		cmocka_unit_test(test_misc),
		cmocka_unit_test(test_destroy_zeroes),
		cmocka_unit_test(test_verify_old_data),
		cmocka_unit_test(test_fatal_signal_all),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_async_off_and_info),
		cmocka_unit_test(test_perform_concurrent),
		cmocka_unit_test(test_save_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

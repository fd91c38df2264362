/* The events between vCPU threads and the thread that waits on a guest (gevents.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <string.h>

#include "backends/gevents.h"
#include "pvbench.h"
#include "timing.h"

/* A wait that sees nothing must sleep, not spin (the condition variable runs on the clock
 * its deadlines come from), and give up after the timeout with a message. */
static void test_wait_sleeps_and_times_out(void **state)
{
	struct pvb_gevents e;
	uint64_t t0, c0, t;

	(void)state;
	assert_int_equal(pvb_gev_init(&e, 1, 300000000ULL), 0);
	t0 = pvb_now_ns();
	c0 = pvb_thread_cpu_ns();
	assert_int_equal(pvb_gev_wait(&e, PVB_EV_ALIVE, &t), PVB_EXIT_FAIL);
	assert_true(pvb_now_ns() - t0 >= 300000000ULL);
	assert_true(pvb_thread_cpu_ns() - c0 < 60000000ULL); /* < 20 % of the wait */
	assert_non_null(strstr(e.errmsg, "timed out waiting for alive"));
	pvb_gev_destroy(&e);
}

struct vcpu {
	struct pvb_gevents *e;
	int id;
	bool more;
};

static void *vcpu(void *arg)
{
	struct vcpu *v = arg;

	pthread_mutex_lock(&v->e->lock);
	pvb_gev_alive(v->e, pvb_now_ns());
	v->more = pvb_gev_populated(v->e, v->id, pvb_now_ns());
	if (v->more)
		pvb_gev_reboot(v->e, pvb_now_ns());
	pthread_mutex_unlock(&v->e->lock);
	return NULL;
}

/* Populated once every vCPU is; vCPU 0 goes on after resume, the others park until stop. */
static void test_protocol(void **state)
{
	struct pvb_gevents e;
	struct vcpu v[3];
	pthread_t th[3];
	uint64_t ta, tp, tr;

	(void)state;
	assert_int_equal(pvb_gev_init(&e, 3, 10000000000ULL), 0);
	for (int i = 0; i < 3; i++) {
		v[i] = (struct vcpu){ &e, i, false };
		assert_int_equal(pthread_create(&th[i], NULL, vcpu, &v[i]), 0);
	}
	assert_int_equal(pvb_gev_wait(&e, PVB_EV_ALIVE, &ta), 0);
	assert_int_equal(pvb_gev_wait(&e, PVB_EV_POPULATED, &tp), 0);
	assert_true(tp >= ta);
	assert_false(e.rebooted);
	pvb_gev_resume(&e);
	assert_int_equal(pvb_gev_wait(&e, PVB_EV_REBOOT, &tr), 0);
	assert_true(tr >= tp);
	pvb_gev_stop(&e);
	for (int i = 0; i < 3; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
	assert_true(v[0].more);
	assert_false(v[1].more);
	assert_false(v[2].more);
	pvb_gev_destroy(&e);
}

/* The first error wins and reaches the waiter. */
static void test_first_error(void **state)
{
	struct pvb_gevents e;
	uint64_t t;

	(void)state;
	assert_int_equal(pvb_gev_init(&e, 1, 10000000000ULL), 0);
	pvb_gev_fail_unlocked(&e, PVB_EXIT_VERIFY, "first %d", 1);
	pvb_gev_fail_unlocked(&e, PVB_EXIT_FAIL, "second");
	assert_int_equal(pvb_gev_wait(&e, PVB_EV_POPULATED, &t), PVB_EXIT_VERIFY);
	assert_string_equal(e.errmsg, "first 1");
	pvb_gev_destroy(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wait_sleeps_and_times_out),
		cmocka_unit_test(test_protocol),
		cmocka_unit_test(test_first_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

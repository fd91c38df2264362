/* Thread names (pthread_setname_np) and the record of the long-lived threads' TIDs
 * (threads.h). */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pvbench.h"
#include "threads.h"

#define MAX_RECORDED 256

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	long tid;
	char name[16], role[16];
} recorded[MAX_RECORDED];
static int nrecorded, dropped;
static bool warned;

void pvb_thread_name(const char *role, const char *fmt, ...)
{
	char name[16];
	va_list ap;
	int e;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap); /* truncated to what the kernel keeps */
	va_end(ap);
	e = pthread_setname_np(pthread_self(), name);
	pthread_mutex_lock(&lock);
	if (e && !warned) {
		errno = e;
		pvb_perror("naming thread %s (perf and top show its process name instead)", name);
		warned = true;
	}
	if (role && nrecorded < MAX_RECORDED) {
		recorded[nrecorded].tid = (long)syscall(SYS_gettid);
		snprintf(recorded[nrecorded].name, sizeof(recorded[nrecorded].name), "%s", name);
		snprintf(recorded[nrecorded].role, sizeof(recorded[nrecorded].role), "%s", role);
		nrecorded++;
	} else if (role) {
		dropped++;
	}
	pthread_mutex_unlock(&lock);
}

static const char *const patterns[][2] = {
	{ "pvbench", "main: the process's first thread (options, points, results)" },
	{ "pvb-lane<g>", "main role: the reboot loop of guest g, one thread per point" },
	{ "pvb-clean<g>", "cleanup role: guest g's cleanup thread (destroy; pv: PERFORM)" },
	{ "pvb-clean<g>.<k>", "cleanup role: helper k of a kvm destroy (--cleanup-threads)" },
	{ "pvb-vcpu<g>.<i>", "vcpu role: vCPU i of guest g, new threads every reboot" },
	{ "pvb-sampler", "the MemAvailable sampler" },
};

json_t *pvb_threads_json(void)
{
	json_t *o = json_object(), *list = json_array(), *pat = json_object();

	pthread_mutex_lock(&lock);
	for (int i = 0; i < nrecorded; i++)
		json_array_append_new(list, json_pack("{s:I, s:s, s:s}", "tid",
						      (json_int_t)recorded[i].tid, "name",
						      recorded[i].name, "role", recorded[i].role));
	if (dropped)
		json_object_set_new(o, "not_recorded", json_integer(dropped));
	pthread_mutex_unlock(&lock);
	for (size_t i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++)
		json_object_set_new(pat, patterns[i][0], json_string(patterns[i][1]));
	json_object_set_new(o, "recorded", list);
	json_object_set_new(o, "patterns", pat);
	return o;
}

void pvb_threads_reset(void)
{
	pthread_mutex_lock(&lock);
	nrecorded = dropped = 0;
	pthread_mutex_unlock(&lock);
}

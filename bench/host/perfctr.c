/* perf_event_open counters per thread (perfctr.h): the probe of what this host counts, a
 * few groups per thread (PERF_FORMAT_GROUP, one read() each), and multiplexed counts
 * scaled. */
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "perfctr.h"
#include "pvbench.h"

#define PVB_PERF_NAME(a, id, name) name,
const char *const pvb_perf_names[PVB_PERF_N] = { PVB_PERF_COUNTERS(PVB_PERF_NAME, _) };

static const struct {
	uint32_t type;
	uint64_t config;
} events[PVB_PERF_N] = {
	[PVB_PERF_TASK_CLOCK] = { PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK },
	[PVB_PERF_PAGE_FAULTS] = { PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS },
	[PVB_PERF_CTX_SWITCHES] = { PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES },
	[PVB_PERF_CPU_MIGRATIONS] = { PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS },
	[PVB_PERF_CYCLES] = { PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
	[PVB_PERF_INSTRUCTIONS] = { PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS },
	[PVB_PERF_CACHE_MISSES] = { PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES },
};

/* The group counter i goes in (perfctr.h: why task-clock is alone). */
static int group_of(int i)
{
	if (i == PVB_PERF_TASK_CLOCK)
		return PVB_PERF_G_TASK_CLOCK;
	return events[i].type == PERF_TYPE_SOFTWARE ? PVB_PERF_G_SOFTWARE : PVB_PERF_G_PMU;
}

/* Set by pvb_perf_setup before any other thread uses it; read-only afterwards. */
static struct {
	bool on;
	bool avail[PVB_PERF_N];
	bool user_only[PVB_PERF_N]; /* kernel counting refused: user space only */
	char why[PVB_PERF_N][160];  /* the reason a counter is skipped */
	int paranoid;		    /* kernel.perf_event_paranoid; -99: unknown */
} perf = { .paranoid = -99 };

static int read_paranoid(void)
{
	FILE *f = fopen("/proc/sys/kernel/perf_event_paranoid", "re");
	int v;

	if (!f)
		return -99;
	if (fscanf(f, "%d", &v) != 1)
		v = -99;
	fclose(f);
	return v;
}

static int open_event(int i, int tid, int group_fd, bool user_only)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = events[i].type;
	a.config = events[i].config;
	a.read_format = PERF_FORMAT_GROUP | PERF_FORMAT_TOTAL_TIME_ENABLED |
			PERF_FORMAT_TOTAL_TIME_RUNNING;
	a.exclude_kernel = user_only;
	a.exclude_hv = user_only;
	/* the thread (0: this one), on any CPU */
	return (int)syscall(SYS_perf_event_open, &a, tid, -1, group_fd, PERF_FLAG_FD_CLOEXEC);
}

/* Why counter i could not be opened (errno e). */
static void skip_reason(int i, int e)
{
	char *w = perf.why[i];
	size_t n = sizeof(perf.why[i]);

	if (e == ENOENT || e == EOPNOTSUPP)
		snprintf(w, n, "%s: no such event on this host (no PMU, e.g. a VM without one)",
			 e == ENOENT ? "ENOENT" : "EOPNOTSUPP");
	else if (e == EACCES || e == EPERM)
		snprintf(w, n,
			 "%s: not permitted (perf_event_paranoid=%d; root, CAP_PERFMON or a "
			 "lower kernel.perf_event_paranoid; or a seccomp filter)",
			 e == EACCES ? "EACCES" : "EPERM", perf.paranoid);
	else if (e == ENOSYS)
		snprintf(w, n, "ENOSYS: this kernel has no perf_event_open");
	else if (e == EINVAL)
		snprintf(w, n, "EINVAL: refused (the PMU cannot hold it in one group)");
	else
		snprintf(w, n, "%s", strerror(e));
}

/* Open counter i into its group of g (it leads when the group has none yet); kernel and
 * user space, or user space alone when kernel counting is refused (remembered in
 * user_only). fd or -1. */
static int open_member(int i, int tid, struct pvb_perf_group *g, bool probing)
{
	int *leader = &g->leader[group_of(i)];
	bool user = perf.user_only[i];
	int fd = open_event(i, tid, *leader, user);

	if (fd < 0 && probing && (errno == EACCES || errno == EPERM) && !user) {
		fd = open_event(i, tid, *leader, true);
		perf.user_only[i] = fd >= 0;
	}
	if (fd >= 0 && *leader < 0)
		*leader = fd;
	if (fd >= 0)
		g->slot[i] = g->n[group_of(i)]++;
	return fd;
}

void pvb_perf_init(struct pvb_perf_group *g)
{
	for (int i = 0; i < PVB_PERF_N; i++) {
		g->fd[i] = -1;
		g->slot[i] = -1;
	}
	for (int k = 0; k < PVB_PERF_NGROUPS; k++) {
		g->leader[k] = -1;
		g->n[k] = 0;
	}
}

void pvb_perf_close(struct pvb_perf_group *g)
{
	/* members first, the leaders last */
	for (int i = PVB_PERF_N - 1; i >= 0; i--)
		if (g->fd[i] >= 0 && g->fd[i] != g->leader[group_of(i)] && close(g->fd[i]))
			pvb_perror("close of a perf counter");
	for (int k = 0; k < PVB_PERF_NGROUPS; k++)
		if (g->leader[k] >= 0 && close(g->leader[k]))
			pvb_perror("close of a perf counter");
	pvb_perf_init(g);
}

void pvb_perf_setup(bool on)
{
	struct pvb_perf_group g;
	char line[512] = "";
	size_t n = 0;

	memset(&perf, 0, sizeof(perf));
	perf.paranoid = read_paranoid();
	perf.on = on;
	if (!on)
		return;
	pvb_perf_init(&g);
	for (int i = 0; i < PVB_PERF_N; i++) {
		int fd = open_member(i, 0, &g, true);

		if (fd < 0) {
			skip_reason(i, errno);
			n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%s", n ? ", " : "",
					      pvb_perf_names[i]);
			if (n >= sizeof(line))
				n = sizeof(line) - 1;
			continue;
		}
		perf.avail[i] = true;
		g.fd[i] = fd;
	}
	pvb_perf_close(&g);
	for (int i = 0; i < PVB_PERF_N && n; i++)
		if (!perf.avail[i]) {
			pvb_warn("--perf: skipped %s: %s (each reason in meta.json's perf.skipped)",
				 line, perf.why[i]);
			break;
		}
}

bool pvb_perf_on(void)
{
	return perf.on;
}

json_t *pvb_perf_json(void)
{
	json_t *o = json_object(), *avail = json_array(), *skipped = json_object();
	json_t *user = json_array();

	json_object_set_new(o, "enabled", json_boolean(perf.on));
	for (int i = 0; perf.on && i < PVB_PERF_N; i++) {
		if (perf.avail[i])
			json_array_append_new(avail, json_string(pvb_perf_names[i]));
		else
			json_object_set_new(skipped, pvb_perf_names[i], json_string(perf.why[i]));
		if (perf.avail[i] && perf.user_only[i])
			json_array_append_new(user, json_string(pvb_perf_names[i]));
	}
	json_object_set_new(o, "available", avail);
	json_object_set_new(o, "skipped", skipped);
	json_object_set_new(o, "user_space_only", user);
	json_object_set_new(o, "paranoid",
			    perf.paranoid == -99 ? json_null() : json_integer(perf.paranoid));
	return o;
}

int pvb_perf_open(struct pvb_perf_group *g, int tid)
{
	pvb_perf_init(g);
	for (int i = 0; perf.on && i < PVB_PERF_N; i++) {
		if (!perf.avail[i])
			continue;
		g->fd[i] = open_member(i, tid, g, false);
		if (g->fd[i] < 0) {
			pvb_perror("--perf: opening %s on thread %ld", pvb_perf_names[i],
				   tid ? (long)tid : (long)syscall(SYS_gettid));
			pvb_perf_close(g);
			return -1;
		}
	}
	return 0;
}

int pvb_perf_read(const struct pvb_perf_group *g, struct pvb_perf_read *r)
{
	uint64_t buf[PVB_PERF_NGROUPS][3 + PVB_PERF_N];
	bool any = false;

	memset(r, 0, sizeof(*r));
	for (int k = 0; k < PVB_PERF_NGROUPS; k++) {
		ssize_t n;

		if (g->leader[k] < 0)
			continue;
		n = read(g->leader[k], buf[k], sizeof(buf[k]));
		if (n < (ssize_t)(3 * sizeof(uint64_t)) || buf[k][0] != (uint64_t)g->n[k] ||
		    (size_t)n < (3 + (size_t)g->n[k]) * sizeof(uint64_t))
			return -1;
		r->enabled[k] = buf[k][1];
		r->running[k] = buf[k][2];
		any = true;
	}
	if (!any)
		return -1;
	for (int i = 0; i < PVB_PERF_N; i++)
		if (g->slot[i] >= 0)
			r->v[i] = buf[group_of(i)][3 + g->slot[i]];
	r->ok = true;
	return 0;
}

void pvb_perf_delta(const struct pvb_perf_read *a, const struct pvb_perf_read *b,
		    struct pvb_perf_counts *out)
{
	memset(out, 0, sizeof(*out));
	if (!a->ok || !b->ok)
		return;
	for (int i = 0; i < PVB_PERF_N; i++) {
		int k = group_of(i);
		uint64_t d, en, run;

		if (!perf.avail[i] || b->v[i] < a->v[i] || b->enabled[k] < a->enabled[k] ||
		    b->running[k] < a->running[k])
			continue;
		en = b->enabled[k] - a->enabled[k];
		run = b->running[k] - a->running[k];
		if (en && !run) /* enabled but never on the PMU: nothing to scale */
			continue;
		d = b->v[i] - a->v[i];
		if (run < en) { /* multiplexed: the group ran run of en ns */
			d = (uint64_t)((double)d * (double)en / (double)run + 0.5);
			out->scaled = true;
		}
		out->v[i] = d;
		out->have[i] = true;
	}
}

void pvb_perf_add(struct pvb_perf_counts *sum, const struct pvb_perf_counts *x)
{
	for (int i = 0; i < PVB_PERF_N; i++) {
		if (!x->have[i])
			continue;
		sum->v[i] += x->v[i];
		sum->have[i] = true;
	}
	sum->scaled |= x->scaled;
}

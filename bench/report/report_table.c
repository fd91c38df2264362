/* The report's tables as cells (report_table.h): reboot latency per mode, the ratios
 * (speedup, async/floor, cleanup CPU), memory and interference, and where the time goes (the
 * async critical path over the floors, the sync cleanup against a bare munmap, by part, and
 * the kernel counters that moved). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_table.h"

#define LABEL_MAX 12 /* longer point labels become "#N" in narrow text */
#define MOVED_MAX 4  /* counters listed per cell of the counters table */

static const char *const heads[PVB_RT_NTABLES][PVB_RT_MAXCOLS] = {
	[PVB_RT_REBOOT] = { "point", "n", "sync", "n", "async" },
	[PVB_RT_RATIOS] = { "point", "sync/async", "floor", "async/floor", "cpu a/s" },
	[PVB_RT_MEMORY] = { "point", "back p50/p95", "pcp p50/p95", "interf", "peak MiB s/a" },
	[PVB_RT_WHERE_ASYNC] = { "point", "a-floor", "a-loaded", "a/loaded", "stop+aside", "create",
				 "start" },
	[PVB_RT_WHERE_CREATE] = { "point", "mmap", "advise", "memslot", "vm", "load" },
	[PVB_RT_WHERE_SYNC] = { "point", "cleanup", "munmap", "c/munmap", "rel/munmap",
				"c/(m+vm)" },
	[PVB_RT_WHERE_CLEANUP] = { "point", "vcpu", "vm", "memslot", "scrub", "release" },
	[PVB_RT_WHERE_COUNTERS] = { "point", "async-floor", "async-loaded", "sync cleanup" },
};
static const int ncols[PVB_RT_NTABLES] = { 5, 5, 5, 7, 6, 6, 6, 4 };
static const char *const titles[PVB_RT_NTABLES] = {
	"Reboot latency: median ms [exact 95 % CI of the median]",
	"Speedup sync/async with its 95 % bootstrap CI; floor reboot median ms [95 % CI]; "
	"async/floor reboot and async/sync cleanup CPU (ratios of medians)",
	"Async: memory back after the cleanup, ms p50/p95 (MemAvailable; counting per-CPU "
	"free lists); interference p50 (populate rate, 1 = none); peak RSS p50 MiB sync/async",
	"Where the time goes, async: reboot median minus the floor's (a fresh VM alone) and "
	"minus floor_loaded's (a fresh VM beside an idle old guest), ms, and async/floor_loaded; "
	"then each step of the critical path, async median minus floor median, ms (a floor "
	"has no stop or set-aside); '-': not recorded",
	"Where the time goes, async create by part: async median minus floor median, ms",
	"Where the time goes, sync cleanup: median ms against a bare munmap of the same memory "
	"(host rows), its release part over the munmap, and the cleanup over the munmap plus "
	"the VM's own teardown (its vcpu, vm and memslot parts)",
	"Where the time goes, sync cleanup by part: median ms",
	"Where the time goes, kernel counters that moved (/proc/vmstat deltas, system-wide, "
	"medians; at most 4 a cell, largest first): over the critical path (the request, or a "
	"floor's create, to the new guest alive) async minus floor and minus floor_loaded; over "
	"the sync cleanup; 'none': all 0; '-': not recorded",
};

/* a - b in ms with its sign ("+1.23", "-0.045"); "-" when either is not recorded */
static void fmt_delta(double a, double b, char *buf)
{
	char ms[24];

	if (isnan(a) || isnan(b)) {
		snprintf(buf, PVB_RT_CELL, "-");
		return;
	}
	pvb_fmt_ms(fabs(a - b), ms, sizeof(ms));
	snprintf(buf, PVB_RT_CELL, "%s%s", a < b ? "-" : "+", ms);
}

static void fmt_ms_or(double ns, char *buf)
{
	if (isnan(ns))
		snprintf(buf, PVB_RT_CELL, "-");
	else
		pvb_fmt_ms(ns, buf, PVB_RT_CELL);
}

/* A count as "524k" or "+1.20M" (sign: with its sign, as a difference) */
static void fmt_count(double v, bool sign, char *buf, size_t len)
{
	const char *sg = !sign ? "" : v < 0 ? "-" : "+";
	double a = fabs(v);

	if (a < 1e4) /* a median of an even n may end in .5 */
		snprintf(buf, len, a == floor(a) ? "%s%.0f" : "%s%.1f", sg, a);
	else if (a < 1e6)
		snprintf(buf, len, "%s%.1fk", sg, a / 1e3);
	else
		snprintf(buf, len, "%s%.2fM", sg, a / 1e6);
}

/* The value of counter i in a cell: the critical path's median of mode a minus mode b's, or
 * (a < 0) the sync cleanup's median */
static double moved_value(const struct pvb_where_vm *v, int a, int b)
{
	return a < 0 ? v->sync_cleanup : v->crit[a] - v->crit[b];
}

/* "pgfree +524k, pgfault +1035": the counters that moved, largest first (MOVED_MAX of them) */
static void fmt_moved(const struct pvb_where *w, int a, int b, char *buf)
{
	bool used[PVB_WHERE_NVM] = { false }, recorded = false;
	size_t n = 0, len = 0;

	buf[0] = 0;
	for (size_t i = 0; i < w->nvm; i++)
		recorded |= !isnan(moved_value(&w->vm[i], a, b));
	for (int k = 0; k < MOVED_MAX; k++) {
		size_t best = w->nvm;
		char c[24];

		for (size_t i = 0; i < w->nvm; i++) {
			double v = moved_value(&w->vm[i], a, b);

			if (!used[i] && !isnan(v) && v != 0 &&
			    (best == w->nvm || fabs(v) > fabs(moved_value(&w->vm[best], a, b))))
				best = i;
		}
		if (best == w->nvm)
			break;
		used[best] = true;
		fmt_count(moved_value(&w->vm[best], a, b), a >= 0, c, sizeof(c));
		len += (size_t)snprintf(buf + len, PVB_RT_CELL - len, "%s%s %s", n++ ? ", " : "",
					w->vm[best].name, c);
		if (len >= PVB_RT_CELL)
			break;
	}
	if (!n)
		snprintf(buf, PVB_RT_CELL, "%s", recorded ? "none" : "-");
}

static void fill_where_vm(const struct pvb_where *w, char (*row)[PVB_RT_CELL])
{
	fmt_moved(w, PVB_W_ASYNC, PVB_W_FLOOR, row[1]);
	fmt_moved(w, PVB_W_ASYNC, PVB_W_LOADED, row[2]);
	fmt_moved(w, -1, 0, row[3]);
}

static void fill_where(const struct pvb_report_point *p, char (*row)[PVB_RT_MAXCOLS][PVB_RT_CELL])
{
	const struct pvb_where *w = &p->where;
	char(*a)[PVB_RT_CELL] = row[PVB_RT_WHERE_ASYNC], (*s)[PVB_RT_CELL] = row[PVB_RT_WHERE_SYNC];
	char(*c)[PVB_RT_CELL] = row[PVB_RT_WHERE_CREATE],
	(*x)[PVB_RT_CELL] = row[PVB_RT_WHERE_CLEANUP];
	double aside[PVB_W_N], create[PVB_W_N], kvm;

	fmt_delta(w->reboot[PVB_W_ASYNC], w->reboot[PVB_W_FLOOR], a[1]);
	fmt_delta(w->reboot[PVB_W_ASYNC], w->reboot[PVB_W_LOADED], a[2]);
	pvb_fmt_ratio(p->async_floor_loaded.ok ? p->async_floor_loaded.v : NAN, a[3], PVB_RT_CELL);
	for (int m = 0; m < PVB_W_N; m++) {
		aside[m] = w->crit[m][0] + w->crit[m][1];
		create[m] = 0;
		for (int i = 2; i < PVB_WHERE_NCRIT - 1; i++)
			create[m] += w->crit[m][i];
	}
	fmt_delta(aside[PVB_W_ASYNC], aside[PVB_W_FLOOR], a[4]);
	fmt_delta(create[PVB_W_ASYNC], create[PVB_W_FLOOR], a[5]);
	fmt_delta(w->crit[PVB_W_ASYNC][7], w->crit[PVB_W_FLOOR][7], a[6]);
	for (int i = 2; i < PVB_WHERE_NCRIT - 1; i++)
		fmt_delta(w->crit[PVB_W_ASYNC][i], w->crit[PVB_W_FLOOR][i], c[i - 1]);

	fmt_ms_or(w->sync_cleanup, s[1]);
	fmt_ms_or(w->host_munmap, s[2]);
	pvb_fmt_ratio(w->host_munmap > 0 ? w->sync_cleanup / w->host_munmap : NAN, s[3],
		      PVB_RT_CELL);
	pvb_fmt_ratio(w->host_munmap > 0 ? w->cleanup[PVB_WHERE_NCLEANUP - 1] / w->host_munmap :
					   NAN,
		      s[4], PVB_RT_CELL);
	kvm = w->host_munmap + w->cleanup[0] + w->cleanup[1] + w->cleanup[2];
	pvb_fmt_ratio(kvm > 0 ? w->sync_cleanup / kvm : NAN, s[5], PVB_RT_CELL);
	for (int i = 0; i < PVB_WHERE_NCLEANUP; i++)
		fmt_ms_or(w->cleanup[i], x[i + 1]);
	fill_where_vm(w, row[PVB_RT_WHERE_COUNTERS]);
}

bool pvb_rtables_legend(const struct pvb_report *r)
{
	for (size_t i = 0; i < r->npoints; i++)
		if (strlen(r->points[i].label) > LABEL_MAX)
			return true;
	return false;
}

static void fmt_n(const struct pvb_rstat *s, char *buf)
{
	snprintf(buf, PVB_RT_CELL, s->ok ? "%zu" : "0", s->s.n);
}

static void fmt_p50_p95(const struct pvb_rstat *s, char *buf)
{
	char a[24], b[24];

	if (!s->ok) {
		snprintf(buf, PVB_RT_CELL, "-");
		return;
	}
	pvb_fmt_ms(s->s.median, a, sizeof(a));
	pvb_fmt_ms(s->s.p95, b, sizeof(b));
	snprintf(buf, PVB_RT_CELL, "%s/%s", a, b);
}

static void fmt_mib(const struct pvb_rstat *s, char *buf, size_t len)
{
	if (s->ok)
		snprintf(buf, len, "%.0f", s->s.median / (1024.0 * 1024.0));
	else
		snprintf(buf, len, "-");
}

static void fill_row(const struct pvb_report_point *p, char (*row)[PVB_RT_MAXCOLS][PVB_RT_CELL])
{
	char a[20], b[20];

	fmt_n(&p->reboot[PVB_R_SYNC], row[PVB_RT_REBOOT][1]);
	pvb_fmt_stat_ms(&p->reboot[PVB_R_SYNC], row[PVB_RT_REBOOT][2], PVB_RT_CELL);
	fmt_n(&p->reboot[PVB_R_ASYNC], row[PVB_RT_REBOOT][3]);
	pvb_fmt_stat_ms(&p->reboot[PVB_R_ASYNC], row[PVB_RT_REBOOT][4], PVB_RT_CELL);

	pvb_fmt_rratio(&p->speedup, row[PVB_RT_RATIOS][1], PVB_RT_CELL);
	pvb_fmt_stat_ms(&p->reboot[PVB_R_FLOOR], row[PVB_RT_RATIOS][2], PVB_RT_CELL);
	pvb_fmt_ratio(p->async_floor.ok ? p->async_floor.v : NAN, row[PVB_RT_RATIOS][3],
		      PVB_RT_CELL);
	pvb_fmt_ratio(p->cpu.ok ? p->cpu.v : NAN, row[PVB_RT_RATIOS][4], PVB_RT_CELL);

	fmt_p50_p95(&p->memback[1][PVB_R_AVAIL], row[PVB_RT_MEMORY][1]);
	fmt_p50_p95(&p->memback[1][PVB_R_PCP], row[PVB_RT_MEMORY][2]);
	pvb_fmt_ratio(p->interference.ok ? p->interference.s.median : NAN, row[PVB_RT_MEMORY][3],
		      PVB_RT_CELL);
	fmt_mib(&p->peak[0], a, sizeof(a));
	fmt_mib(&p->peak[1], b, sizeof(b));
	snprintf(row[PVB_RT_MEMORY][4], PVB_RT_CELL, "%s/%s", a, b);
	fill_where(p, row);
}

int pvb_rtables_build(const struct pvb_report *r, bool narrow, struct pvb_rtable *t)
{
	bool ids = narrow && pvb_rtables_legend(r);

	memset(t, 0, PVB_RT_NTABLES * sizeof(*t));
	for (int k = 0; k < PVB_RT_NTABLES; k++) {
		t[k].title = titles[k];
		t[k].ncols = ncols[k];
		memcpy(t[k].head, heads[k], sizeof(t[k].head));
		t[k].nrows = r->npoints;
		t[k].cell = calloc(r->npoints + 1, sizeof(*t[k].cell));
		if (!t[k].cell) {
			pvb_rtables_free(t);
			return -1;
		}
	}
	for (size_t i = 0; i < r->npoints; i++) {
		char row[PVB_RT_NTABLES][PVB_RT_MAXCOLS][PVB_RT_CELL] = { { { 0 } } };

		fill_row(&r->points[i], row);
		for (int k = 0; k < PVB_RT_NTABLES; k++) {
			if (ids)
				snprintf(row[k][0], PVB_RT_CELL, "#%zu", i + 1);
			else
				snprintf(row[k][0], PVB_RT_CELL, "%s", r->points[i].label);
			memcpy(t[k].cell[i], row[k], sizeof(row[k]));
		}
	}
	return 0;
}

void pvb_rtables_free(struct pvb_rtable *t)
{
	for (int k = 0; k < PVB_RT_NTABLES; k++) {
		free(t[k].cell);
		t[k].cell = NULL;
	}
}

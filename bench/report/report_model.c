/* The computed model of `pvbench report` (report.h): per point the medians with their exact CI,
 * the bootstrap ratios, the memory and interference figures; the runs' methodology; warnings. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "pvbench.h"
#include "report.h"
#include "results.h"

#define STR_(x) #x
#define STR(x)	STR_(x)

const char pvb_report_method_note[] =
	"Medians with the exact distribution-free 95 % CI of the median (binomial order "
	"statistics; none below n = 6). Ratios of medians with a 95 % percentile bootstrap CI "
	"(" STR(PVB_BOOT_RESAMPLES) " resamples, seed " STR(
		PVB_BOOT_SEED) " as in speedup.csv; "
			       "approximate, and none with fewer than " STR(
				       PVB_BOOT_MIN_N) " values a side).";

static void rstat(const struct pvb_dataset *ds, const struct pvb_ds_point *pt, enum pvb_ds_mode m,
		  const char *col, struct pvb_rstat *out)
{
	const struct pvb_samples *s = pvb_ds_get(ds, pt, m, col);
	double iqr, lo, hi;

	memset(out, 0, sizeof(*out));
	if (!s || pvb_summarize(s->v, s->n, &out->s))
		return;
	out->ok = true;
	iqr = out->s.p75 - out->s.p25;
	lo = out->s.p25 - PVB_REPORT_OUTLIER_IQR * iqr;
	hi = out->s.p75 + PVB_REPORT_OUTLIER_IQR * iqr;
	for (size_t i = 0; i < s->n; i++)
		out->outliers += s->v[i] < lo || s->v[i] > hi;
}

static void rratio(const struct pvb_dataset *ds, const struct pvb_ds_point *pt, enum pvb_ds_mode ma,
		   enum pvb_ds_mode mb, const char *col, struct pvb_rratio *out)
{
	const struct pvb_samples *a = pvb_ds_get(ds, pt, ma, col), *b = pvb_ds_get(ds, pt, mb, col);
	struct pvb_summary sa, sb;

	memset(out, 0, sizeof(*out));
	out->v = out->lo = out->hi = NAN;
	if (!a || !b || pvb_summarize(a->v, a->n, &sa) || pvb_summarize(b->v, b->n, &sb) ||
	    sb.median <= 0)
		return;
	out->ok = true;
	out->na = a->n;
	out->nb = b->n;
	out->v = sa.median / sb.median;
	if (a->n >= PVB_BOOT_MIN_N && b->n >= PVB_BOOT_MIN_N)
		out->ci_ok = !pvb_bootstrap_ratio(a->v, a->n, b->v, b->n, PVB_BOOT_RESAMPLES,
						  PVB_BOOT_SEED, 0.95, &out->v, &out->lo, &out->hi);
}

const char *const pvb_where_crit_cols[PVB_WHERE_NCRIT] = {
	"stop_ns",	     "teardown_ns",  "create_mmap_ns", "create_advise_ns",
	"create_memslot_ns", "create_vm_ns", "create_load_ns", "start_ns",
};
const char *const pvb_where_cleanup_cols[PVB_WHERE_NCLEANUP] = {
	"cleanup_vcpu_ns",  "cleanup_vm_ns",	  "cleanup_memslot_ns",
	"cleanup_scrub_ns", "cleanup_release_ns",
};

static double median_of(const struct pvb_dataset *ds, const struct pvb_ds_point *pt,
			enum pvb_ds_mode m, const char *col)
{
	struct pvb_rstat s;

	rstat(ds, pt, m, col, &s);
	return s.ok ? s.s.median : NAN;
}

/* The kernel counters of where the time goes: every vmstat_crit_<name> column's medians per
 * mode, and its vmstat_cleanup_<name> beside it in sync mode. */
static void build_where_vm(const struct pvb_dataset *ds, const struct pvb_ds_point *pt,
			   const enum pvb_ds_mode *modes, struct pvb_where *w)
{
	static const char crit[] = "vmstat_crit_";
	char col[160];

	for (size_t i = 0; i < ds->nmetrics && w->nvm < PVB_WHERE_NVM; i++) {
		struct pvb_where_vm *v = &w->vm[w->nvm];

		if (strncmp(ds->metrics[i], crit, sizeof(crit) - 1))
			continue;
		v->name = ds->metrics[i] + sizeof(crit) - 1;
		for (int m = 0; m < PVB_W_N; m++)
			v->crit[m] = median_of(ds, pt, modes[m], ds->metrics[i]);
		snprintf(col, sizeof(col), "vmstat_cleanup_%s", v->name);
		v->sync_cleanup = median_of(ds, pt, PVB_DS_SYNC, col);
		w->nvm++;
	}
}

/* Where the time goes: the critical path's steps per mode (a floor's stop and set-aside are
 * 0 where it has a reboot), and the sync cleanup's parts beside a bare munmap. */
static void build_where(const struct pvb_dataset *ds, const struct pvb_ds_point *pt,
			struct pvb_where *w)
{
	static const enum pvb_ds_mode modes[PVB_W_N] = { PVB_DS_ASYNC, PVB_DS_FLOOR,
							 PVB_DS_FLOOR_LOADED };

	for (int m = 0; m < PVB_W_N; m++) {
		w->reboot[m] = median_of(ds, pt, modes[m], "reboot_ns");
		for (int i = 0; i < PVB_WHERE_NCRIT; i++) {
			w->crit[m][i] = median_of(ds, pt, modes[m], pvb_where_crit_cols[i]);
			if (m != PVB_W_ASYNC && i < 2 && !isnan(w->reboot[m]))
				w->crit[m][i] = 0;
		}
	}
	w->sync_cleanup = median_of(ds, pt, PVB_DS_SYNC, "cleanup_ns");
	w->sync_vmclose = median_of(ds, pt, PVB_DS_SYNC, "vmclose_ns");
	w->host_munmap = median_of(ds, pt, PVB_DS_HOST, "host_munmap_ns");
	for (int i = 0; i < PVB_WHERE_NCLEANUP; i++)
		w->cleanup[i] = median_of(ds, pt, PVB_DS_SYNC, pvb_where_cleanup_cols[i]);
	build_where_vm(ds, pt, modes, w);
}

static void build_point(const struct pvb_report *r, const struct pvb_ds_point *pt,
			struct pvb_report_point *p)
{
	const struct pvb_dataset *ds = r->ds;
	static const char *const back[PVB_R_NVIEWS] = { "memory_back_ns", "memory_back_pcp_ns" };

	p->pt = pt;
	pvb_ds_label(pt, r->varies, p->label, sizeof(p->label));
	for (int m = 0; m < PVB_R_NMODES; m++)
		rstat(ds, pt, (enum pvb_ds_mode)m, "reboot_ns", &p->reboot[m]);
	rratio(ds, pt, PVB_DS_SYNC, PVB_DS_ASYNC, "reboot_ns", &p->speedup);
	rratio(ds, pt, PVB_DS_ASYNC, PVB_DS_FLOOR, "reboot_ns", &p->async_floor);
	rratio(ds, pt, PVB_DS_ASYNC, PVB_DS_SYNC, "cleanup_cpu_ns", &p->cpu);
	for (int m = 0; m < 2; m++) {
		rstat(ds, pt, (enum pvb_ds_mode)m, "cleanup_cpu_ns", &p->cleanup_cpu[m]);
		rstat(ds, pt, (enum pvb_ds_mode)m, "peak_rss_bytes", &p->peak[m]);
		for (int v = 0; v < PVB_R_NVIEWS; v++)
			rstat(ds, pt, (enum pvb_ds_mode)m, back[v], &p->memback[m][v]);
	}
	rstat(ds, pt, PVB_DS_ASYNC, "interference", &p->interference);
	rratio(ds, pt, PVB_DS_ASYNC, PVB_DS_FLOOR_LOADED, "reboot_ns", &p->async_floor_loaded);
	build_where(ds, pt, &p->where);
}

/* Configuration order, the size compared as a number and last. */
static int cmp_points(const void *a, const void *b)
{
	const struct pvb_ds_point *x = ((const struct pvb_report_point *)a)->pt;
	const struct pvb_ds_point *y = ((const struct pvb_report_point *)b)->pt;

	for (int k = 0; k < PVB_DS_NKEYS; k++) {
		int c = k == PVB_K_SIZE ? 0 : strcmp(x->key[k], y->key[k]);

		if (c)
			return c;
	}
	return (x->size_bytes > y->size_bytes) - (x->size_bytes < y->size_bytes);
}

static const char *str_or(const struct pvb_ds_run *run, const char *path, const char *dflt)
{
	const char *s = pvb_ds_run_str(run, path);

	return s && s[0] ? s : dflt;
}

static char *join_cmdline(const json_t *a)
{
	char *buf = NULL;
	size_t len = 0, i;
	json_t *v;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fputs("pvbench", f);
	json_array_foreach(a, i, v)
	{
		const char *s = json_string_value(v);

		if (s)
			fprintf(f, strpbrk(s, " '\"") ? " '%s'" : " %s", s);
	}
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int build_run(const struct pvb_dataset *ds, size_t ri, struct pvb_report_run *out)
{
	const struct pvb_ds_run *run = &ds->runs[ri];
	json_t *nodes = pvb_ds_run_get(run, "host.topology.numa_nodes");
	json_t *cmd = pvb_ds_run_get(run, run->sweep ? "command_line" : "config.command_line");
	size_t n = 0;

	out->dir = run->dir;
	out->kind = run->sweep ? "sweep" : "reboot run";
	out->status = str_or(run, "status", "?");
	out->host = str_or(run, "host.hostname", "?");
	out->kernel = str_or(run, "host.kernel.release", "?");
	out->machine = str_or(run, "host.kernel.machine", "?");
	out->cpu = str_or(run, "host.cpu.model", "?");
	out->rev = str_or(run, run->sweep ? "git_revision" : "host.pvbench.git_revision", "?");
	out->started = str_or(run, "started_utc", NULL);
	out->ended = str_or(run, run->sweep ? "ended_utc" : "updated_utc", "?");
	if (out->started)
		snprintf(out->dates, sizeof(out->dates), "%s to %s", out->started, out->ended);
	else
		snprintf(out->dates, sizeof(out->dates), "last written %s", out->ended);
	out->numa_nodes = json_is_integer(nodes) ? (int)json_integer_value(nodes) : -1;
	out->emulated = json_is_true(pvb_ds_run_get(run, "emulated"));
	for (size_t i = 0; i < ds->npoints; i++) {
		const char *b = ds->points[i].key[PVB_K_BACKEND];

		if (ri >= 32 || !(ds->points[i].runs & (1u << ri)) || strstr(out->backends, b))
			continue;
		n += (size_t)snprintf(out->backends + n, sizeof(out->backends) - n, "%s%s",
				      n ? ", " : "", b);
		if (n >= sizeof(out->backends))
			break;
		out->emulated |= !strcmp(b, "pv-emulated");
	}
	out->cmdline = join_cmdline(cmd);
	return out->cmdline ? 0 : -1;
}

static int warn(struct pvb_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int warn(struct pvb_report *r, const char *fmt, ...)
{
	char **w = realloc(r->warn, (r->nwarn + 1) * sizeof(*w));
	va_list ap;
	int rc;

	if (!w)
		return -1;
	r->warn = w;
	va_start(ap, fmt);
	rc = vasprintf(&w[r->nwarn], fmt, ap);
	va_end(ap);
	if (rc < 0)
		return -1;
	r->nwarn++;
	return 0;
}

/* Per point and mode: n too small, spread, outliers. */
static int warn_point(struct pvb_report *r, const struct pvb_report_point *p)
{
	if (p->speedup.ok && !p->speedup.ci_ok &&
	    warn(r,
		 "%s: no speedup CI from %zu sync and %zu async reboots (%d a side needed: a "
		 "bootstrap of fewer is rough and tends to be too narrow)",
		 p->label, p->speedup.na, p->speedup.nb, PVB_BOOT_MIN_N))
		return -1;
	for (int m = 0; m < PVB_R_NMODES; m++) {
		const struct pvb_rstat *s = &p->reboot[m];
		const char *mode = pvb_ds_mode_names[m];
		int rc = 0;

		if (!s->ok)
			continue;
		if (!s->s.ci95_ok)
			rc |= warn(r,
				   "%s %s: n = %zu reboots, too small for a 95 %% interval of "
				   "the median (n >= 6 needed)",
				   p->label, mode, s->s.n);
		if (s->s.cov > PVB_REPORT_COV_WARN)
			rc |= warn(r, "%s %s: reboot CoV %.1f %% (> 10 %%): a noisy point",
				   p->label, mode, 100 * s->s.cov);
		if (s->outliers)
			rc |= warn(r, "%s %s: %zu of %zu reboots beyond 3 IQR from the quartiles",
				   p->label, mode, s->outliers, s->s.n);
		if (rc)
			return -1;
	}
	return 0;
}

static bool numa_claim(const struct pvb_ds_point *pt)
{
	return strcmp(pt->key[PVB_K_MEMPOL], "none") ||
	       !strncmp(pt->key[PVB_K_PLACEMENT], "node", 4) ||
	       !strcmp(pt->key[PVB_K_PLACEMENT], "other-package");
}

static int warn_runs(struct pvb_report *r)
{
	for (size_t i = 0; i < r->nruns; i++) {
		const struct pvb_report_run *run = &r->runs[i];
		bool numa = false;

		for (size_t p = 0; p < r->npoints && i < 32; p++)
			numa |= (r->points[p].pt->runs & (1u << i)) && numa_claim(r->points[p].pt);
		if (run->emulated &&
		    warn(r,
			 "%s: pv-emulated is a MODEL of the kernel and Ultravisor; its "
			 "per-operation costs are assumed parameters, not z16 measurements",
			 run->dir))
			return -1;
		/* scripts/vmtest.sh: KVM inside QEMU's software CPU */
		if (run->cpu && strstr(run->cpu, "TCG") &&
		    warn(r,
			 "%s: the host CPU is emulated (%s, e.g. scripts/vmtest.sh): real KVM "
			 "code paths, but times are not those of any hardware; compare only "
			 "within this run, as ratios",
			 run->dir, run->cpu))
			return -1;
		if (numa && run->numa_nodes == 1 &&
		    warn(r,
			 "%s: a one-node host: its NUMA placements and memory policies "
			 "cannot show NUMA effects",
			 run->dir))
			return -1;
		if (strcmp(run->status, "complete") &&
		    warn(r, "%s: run status '%s', not complete", run->dir, run->status))
			return -1;
	}
	return 0;
}

static int build_points(struct pvb_report *r)
{
	const struct pvb_dataset *ds = r->ds;

	r->points = calloc(ds->npoints + 1, sizeof(*r->points));
	if (!r->points)
		return PVB_EXIT_FAIL;
	for (int k = 0; k < PVB_DS_NKEYS; k++)
		r->varies[k] = pvb_ds_key_varies(ds, (enum pvb_ds_key)k);
	for (size_t i = 0; i < ds->npoints; i++) {
		const struct pvb_ds_point *pt = &ds->points[i];

		if (!pvb_ds_get(ds, pt, PVB_DS_SYNC, "reboot_ns") &&
		    !pvb_ds_get(ds, pt, PVB_DS_ASYNC, "reboot_ns"))
			continue;
		build_point(r, pt, &r->points[r->npoints++]);
	}
	if (!r->npoints) {
		pvb_err("report: no point has sync or async reboots to report");
		return PVB_EXIT_USAGE;
	}
	qsort(r->points, r->npoints, sizeof(*r->points), cmp_points);
	return 0;
}

int pvb_report_build(struct pvb_report *r, const struct pvb_dataset *ds)
{
	int rc;

	memset(r, 0, sizeof(*r));
	r->ds = ds;
	if ((rc = build_points(r)))
		return rc;
	r->runs = calloc(ds->nruns + 1, sizeof(*r->runs));
	if (!r->runs)
		goto oom;
	for (size_t i = 0; i < ds->nruns; i++, r->nruns++)
		if (build_run(ds, i, &r->runs[i]))
			goto oom;
	if (warn_runs(r))
		goto oom;
	for (size_t i = 0; i < r->npoints; i++)
		if (warn_point(r, &r->points[i]))
			goto oom;
	return 0;
oom:
	pvb_err("report: out of memory");
	return PVB_EXIT_FAIL;
}

void pvb_report_free(struct pvb_report *r)
{
	for (size_t i = 0; i < r->nruns; i++)
		free(r->runs[i].cmdline);
	for (size_t i = 0; i < r->nwarn; i++)
		free(r->warn[i]);
	free(r->runs);
	free(r->points);
	free(r->warn);
	memset(r, 0, sizeof(*r));
}

void pvb_fmt_ms(double ns, char *buf, size_t len)
{
	double ms = ns / 1e6;

	if (!isfinite(ns) || ns < 0)
		snprintf(buf, len, "-");
	else if (ms >= 100)
		snprintf(buf, len, "%.0f", ms);
	else if (ms >= 10)
		snprintf(buf, len, "%.1f", ms);
	else if (ms >= 1)
		snprintf(buf, len, "%.2f", ms);
	else
		snprintf(buf, len, "%.3f", ms);
}

void pvb_fmt_ratio(double v, char *buf, size_t len)
{
	if (!isfinite(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
}

void pvb_fmt_stat_ms(const struct pvb_rstat *s, char *buf, size_t len)
{
	char m[32], lo[32], hi[32];

	if (!s->ok) {
		snprintf(buf, len, "-");
		return;
	}
	pvb_fmt_ms(s->s.median, m, sizeof(m));
	if (!s->s.ci95_ok) {
		snprintf(buf, len, "%s (n<6)", m);
		return;
	}
	pvb_fmt_ms(s->s.ci95_lo, lo, sizeof(lo));
	pvb_fmt_ms(s->s.ci95_hi, hi, sizeof(hi));
	snprintf(buf, len, "%s [%s, %s]", m, lo, hi);
}

void pvb_fmt_rratio(const struct pvb_rratio *r, char *buf, size_t len)
{
	char v[32], lo[32], hi[32];

	if (!r->ok) {
		snprintf(buf, len, "-");
		return;
	}
	pvb_fmt_ratio(r->v, v, sizeof(v));
	if (!r->ci_ok) {
		snprintf(buf, len, "%s (no CI)", v);
		return;
	}
	pvb_fmt_ratio(r->lo, lo, sizeof(lo));
	pvb_fmt_ratio(r->hi, hi, sizeof(hi));
	snprintf(buf, len, "%s [%s, %s]", v, lo, hi);
}

int pvb_emit(const char *cmd, const char *path, const char *buf, size_t len)
{
	if (path)
		return pvb_write_file_atomic(path, buf, len) ? PVB_EXIT_FAIL : PVB_EXIT_OK;
	if (fwrite(buf, 1, len, stdout) != len || fflush(stdout)) {
		pvb_perror("%s: writing to stdout", cmd);
		return PVB_EXIT_FAIL;
	}
	return PVB_EXIT_OK;
}

FILE *pvb_render_begin(struct pvb_render *rd)
{
	memset(rd, 0, sizeof(*rd));
	rd->f = open_memstream(&rd->buf, &rd->len);
	return rd->f;
}

int pvb_render_end(struct pvb_render *rd, const char *cmd, const char *path, int format_rc)
{
	int rc = !rd->f || format_rc ? PVB_EXIT_FAIL : 0;

	if (rd->f && fclose(rd->f))
		rc = PVB_EXIT_FAIL;
	if (rc)
		pvb_err("%s: out of memory", cmd);
	else
		rc = pvb_emit(cmd, path, rd->buf, rd->len);
	free(rd->buf);
	return rc;
}

/* pvbench plan --check RUN: each multi-guest point of RUN (reboot --guests G: a storm of G) is
 * predicted from the single-guest models and set against what RUN measured, per iteration:
 * cleanup CPU of all guests, peak memory, the drain time (first reboot request -> last destroy
 * done) and the reboot p50. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "plan.h"
#include "pvbench.h"
#include "results.h"
#include "stats.h"

#define MAX_GROUPS 64

/* The columns a check reads. */
enum {
	C_SIZE,
	C_MODE,
	C_ITER,
	C_GUESTS,
	C_CT,
	C_PL,
	C_REBOOT,
	C_CPU,
	C_WALL,
	C_CS,
	C_PEAK,
	C_TREQ,
	C_N
};
static const char *const cols[C_N] = {
	"size_bytes",	  "mode",	  "iteration",	    "guests",	  "cleanup_threads",
	"placement",	  "reboot_ns",	  "cleanup_cpu_ns", "cleanup_ns", "cleanup_start_ns",
	"peak_rss_bytes", "t_request_ns",
};

/* One point of the run: the rows of a size, mode and guest count. */
struct group {
	double size, guests;
	int mode;
};

struct checker {
	const struct pvb_plan_models *m;
	struct pvb_table t;
	int c[C_N];
	double cores;
	json_t *checks;
};

static double field(const struct checker *k, int r, int c)
{
	const char *s = k->c[c] >= 0 ? k->t.rows[r][k->c[c]] : "";
	char *end;
	double v;

	if (!s[0])
		return NAN;
	v = strtod(s, &end);
	return *end ? NAN : v;
}

static int row_mode(const struct checker *k, int r)
{
	const char *s = k->t.rows[r][k->c[C_MODE]];

	return !strcmp(s, "sync") ? PVB_DS_SYNC : !strcmp(s, "async") ? PVB_DS_ASYNC : -1;
}

static bool in_group(const struct checker *k, int r, const struct group *g)
{
	return row_mode(k, r) == g->mode && field(k, r, C_SIZE) == g->size &&
	       field(k, r, C_GUESTS) == g->guests;
}

/* The measured figures of a group: per iteration the sum of the cleanup CPU, the largest
 * peak, the drain; their medians over the iterations, and the median of every reboot. */
struct measured {
	double cpu, peak, drain, reboot;
	size_t iters, reboots;
};

static double median(double *v, size_t n)
{
	struct pvb_summary s;

	return n && !pvb_summarize(v, n, &s) ? s.median : NAN;
}

static int measure(const struct checker *k, const struct group *g, struct measured *out)
{
	size_t nr = (size_t)k->t.nrows, ni = 0, nb = 0;
	double *cpu = calloc(nr, sizeof(double)), *peak = calloc(nr, sizeof(double));
	double *drain = calloc(nr, sizeof(double)), *rb = calloc(nr, sizeof(double));
	char *done = calloc(nr, 1);
	int rc = cpu && peak && drain && rb && done ? 0 : -1;

	for (int r = 1; !rc && r < k->t.nrows; r++) {
		double t0 = INFINITY, tend = -INFINITY, c = 0, p = NAN, it = field(k, r, C_ITER);

		if (done[r] || !in_group(k, r, g))
			continue;
		for (int q = r; q < k->t.nrows; q++) {
			if (done[q] || !in_group(k, q, g) || field(k, q, C_ITER) != it)
				continue;
			done[q] = 1;
			rb[nb++] = field(k, q, C_REBOOT);
			c += field(k, q, C_CPU);
			p = isnan(p) || field(k, q, C_PEAK) > p ? field(k, q, C_PEAK) : p;
			t0 = fmin(t0, field(k, q, C_TREQ));
			tend = fmax(tend,
				    field(k, q, C_TREQ) + field(k, q, C_CS) + field(k, q, C_WALL));
		}
		cpu[ni] = c;
		peak[ni] = p;
		drain[ni++] = tend - t0;
	}
	*out = (struct measured){ .cpu = median(cpu, ni),
				  .peak = median(peak, ni),
				  .drain = median(drain, ni),
				  .reboot = median(rb, nb),
				  .iters = ni,
				  .reboots = nb };
	free(cpu);
	free(peak);
	free(drain);
	free(rb);
	free(done);
	return rc;
}

static int add_check(struct checker *k, const struct group *g, const char *fig, double pred,
		     double meas, size_t n)
{
	char label[96], sz[32];
	json_t *o;

	pvb_format_size((uint64_t)g->size, sz, sizeof(sz));
	snprintf(label, sizeof(label), "%s %s guests=%.0f", sz, pvb_ds_mode_names[g->mode],
		 g->guests);
	o = json_pack("{s:s,s:f,s:s,s:f,s:f,s:s,s:o,s:o,s:o,s:I}", "point", label, "size_bytes",
		      g->size, "mode", pvb_ds_mode_names[g->mode], "guests", g->guests, "cores",
		      k->cores, "figure", fig, "predicted",
		      isfinite(pred) ? json_real(pred) : json_null(), "measured",
		      isfinite(meas) ? json_real(meas) : json_null(), "rel_error",
		      isfinite(pred) && isfinite(meas) && meas != 0 ?
			      json_real((pred - meas) / meas) :
			      json_null(),
		      "n", (json_int_t)n);
	return o && !json_array_append_new(k->checks, o) ? 0 : -1;
}

static int check_group(struct checker *k, const struct group *g)
{
	struct pvb_plan_storm s;
	struct measured ms;
	char sz[32], range[64];

	if (pvb_plan_storm(k->m, g->mode, g->size, g->guests, k->cores, k->cores, &s)) {
		pvb_format_size((uint64_t)g->size, sz, sizeof(sz));
		pvb_plan_range(&k->m->fit[g->mode][PVB_PM_REBOOT], range, sizeof(range));
		pvb_err("plan --check: %s %s: beyond what the models reach (%s reboots measured "
			"at %s; at most %gx beyond them)",
			sz, pvb_ds_mode_names[g->mode], pvb_ds_mode_names[g->mode], range,
			PVB_PLAN_REACH);
		return PVB_EXIT_USAGE;
	}
	if (measure(k, g, &ms))
		return PVB_EXIT_FAIL;
	if (add_check(k, g, "cleanup_cpu_ns", s.cpu_ns, ms.cpu, ms.iters) ||
	    add_check(k, g, "peak_rss_bytes", s.peak_bytes, ms.peak, ms.iters) ||
	    add_check(k, g, "drain_ns", s.drain_ns, ms.drain, ms.iters) ||
	    add_check(k, g, "reboot_p50_ns", s.reboot_ns, ms.reboot, ms.reboots))
		return PVB_EXIT_FAIL;
	return 0;
}

/* The groups of the run's multi-guest rows; a row of other threads or placement is an error. */
static int find_groups(struct checker *k, const char *dir, struct group *gs, size_t *ng)
{
	char ct[16];

	snprintf(ct, sizeof(ct), "%u", k->m->cthreads);
	*ng = 0;
	for (int r = 1; r < k->t.nrows; r++) {
		struct group g = { .size = field(k, r, C_SIZE),
				   .guests = field(k, r, C_GUESTS),
				   .mode = row_mode(k, r) };
		size_t i;

		if (g.mode < 0 || !(g.guests > 1) || !(g.size > 0))
			continue;
		if (strcmp(k->t.rows[r][k->c[C_CT]], ct) ||
		    strcmp(k->t.rows[r][k->c[C_PL]], k->m->placement)) {
			pvb_err("plan --check: %s: cleanup_threads %s, placement %s; the models "
				"have %s and %s",
				dir, k->t.rows[r][k->c[C_CT]], k->t.rows[r][k->c[C_PL]], ct,
				k->m->placement);
			return PVB_EXIT_USAGE;
		}
		for (i = 0; i < *ng && !(gs[i].size == g.size && gs[i].guests == g.guests &&
					 gs[i].mode == g.mode);
		     i++)
			;
		if (i == *ng && *ng < MAX_GROUPS)
			gs[(*ng)++] = g;
	}
	if (!*ng) {
		pvb_err("plan --check: %s: no sync or async rows with guests > 1 (check a run of "
			"pvbench reboot --guests G)",
			dir);
		return PVB_EXIT_USAGE;
	}
	return 0;
}

static int open_run(struct checker *k, const char *dir)
{
	struct pvb_dataset ds;
	char path[4200];
	int rc;

	/* the loader checks that dir is a run; the host's CPUs from its json */
	if ((rc = pvb_dataset_load(&ds, &dir, 1)))
		return rc;
	k->cores = (double)json_integer_value(pvb_ds_run_get(&ds.runs[0], "host.cpu.online"));
	pvb_dataset_free(&ds);
	if (!(k->cores >= 1)) {
		pvb_err("plan --check: %s: no host.cpu.online in its json", dir);
		return PVB_EXIT_USAGE;
	}
	snprintf(path, sizeof(path), "%s/iterations.csv", dir);
	if (pvb_csv_read(path, &k->t) < 1)
		return PVB_EXIT_USAGE;
	for (int c = 0; c < C_N; c++)
		if ((k->c[c] = pvb_table_col(&k->t, cols[c])) < 0 && c <= C_PL) {
			pvb_err("plan --check: %s: no column %s", path, cols[c]);
			return PVB_EXIT_USAGE;
		}
	return 0;
}

int pvb_plan_check(const struct pvb_plan_models *m, const char *dir, json_t **out)
{
	struct checker k = { .m = m };
	struct group gs[MAX_GROUPS];
	size_t ng;
	int rc;

	*out = NULL;
	rc = open_run(&k, dir);
	if (!rc)
		rc = find_groups(&k, dir, gs, &ng);
	if (!rc && !(k.checks = json_array()))
		rc = PVB_EXIT_FAIL;
	for (size_t i = 0; !rc && i < ng; i++)
		rc = check_group(&k, &gs[i]);
	if (rc == PVB_EXIT_FAIL)
		pvb_err("plan --check: out of memory");
	pvb_table_free(&k.t);
	if (rc)
		json_decref(k.checks);
	else
		*out = k.checks;
	return rc;
}

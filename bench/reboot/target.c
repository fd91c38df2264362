/* --target-ci: a point stops once the exact distribution-free 95 % CI of its median reboot time
 * (report/stats.h, from order statistics) lies within +-PCT % of that median, or at the
 * --iterations ceiling. The lanes add their reboot times as they write their rows; the last lane
 * to reach the gate before a round decides for all from the times pooled so far, so that the
 * lanes stop together and nothing is added between the timestamps of a reboot. The floor rows
 * (one guest) decide the same way before each iteration. At the point's end its outcome goes to
 * meta.json (target_ci) and to stderr. */
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>

#include "parse.h"
#include "pvbench.h"
#include "reboot_int.h"
#include "report/stats.h"

/* The CI of the pooled median, as the stop rule sees it. */
struct target_ci {
	bool ok; /* false: fewer than 6 reboots, no 95 % interval */
	double median, lo, hi, coverage;
	double below, above; /* how far lo and hi lie from the median, in % of it */
	double half_width;   /* the larger of the two */
};

/* Sorts t->x in place: the order of the pooled times means nothing. */
static struct target_ci target_ci(struct target *t)
{
	struct target_ci c = { .ok = false };
	size_t lo, hi;

	if (!t->n || pvb_median_ci_ranks(t->n, 0.95, &lo, &hi, &c.coverage))
		return c;
	gsl_sort(t->x, 1, t->n);
	c.median = pvb_percentile_sorted(t->x, t->n, 50);
	c.lo = t->x[lo - 1];
	c.hi = t->x[hi - 1];
	if (c.median <= 0)
		return c;
	c.ok = true;
	c.below = 100 * (c.median - c.lo) / c.median;
	c.above = 100 * (c.hi - c.median) / c.median;
	c.half_width = c.below > c.above ? c.below : c.above;
	return c;
}

/* "[async 64M x1]", as the progress lines name a point. */
static void point_name(const struct target *t, char *buf, size_t len)
{
	char human[32];

	pvb_format_size(t->size, human, sizeof(human));
	snprintf(buf, len, "[%s %s x%d]", t->mode, human, t->vcpus);
}

void pvb_target_begin(struct run *r, uint64_t size, int vcpus, const char *mode)
{
	struct target *t = &r->target;

	t->n = 0;
	t->size = size;
	t->vcpus = vcpus;
	t->mode = mode;
	t->reached = false;
	r->gate.decide = r->cfg->target_ci > 0 ? pvb_target_decide : NULL;
	r->gate.arg = r;
}

int pvb_target_add(struct run *r, uint64_t reboot_ns)
{
	struct target *t = &r->target;
	int rc = 0;

	if (r->cfg->target_ci <= 0)
		return 0;
	pthread_mutex_lock(&r->rows_lock);
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;
		double *x = realloc(t->x, cap * sizeof(*x));

		if (x) {
			t->x = x;
			t->cap = cap;
		}
	}
	if (t->n < t->cap)
		t->x[t->n++] = (double)reboot_ns;
	else
		rc = PVB_EXIT_FAIL;
	pthread_mutex_unlock(&r->rows_lock);
	if (rc)
		pvb_err("--target-ci: out of memory for the reboot times");
	return rc;
}

bool pvb_target_decide(void *arg)
{
	struct run *r = arg;
	struct target *t = &r->target;
	struct target_ci c;
	char name[64];

	if (r->cfg->target_ci <= 0)
		return false;
	c = target_ci(t);
	if (!c.ok)
		return false;
	t->reached = c.half_width <= r->cfg->target_ci;
	point_name(t, name, sizeof(name));
	pvb_info("%s %zu reboots: 95 %% CI of the median reboot -%.2f %% / +%.2f %% "
		 "(target +-%g %%)%s",
		 name, t->n, c.below, c.above, r->cfg->target_ci,
		 t->reached ? ": reached, the point stops" : "");
	return t->reached;
}

static json_t *target_json(const struct run *r, const struct target *t, const struct target_ci *c,
			   int iterations)
{
	json_t *o = json_object();

	json_object_set_new(o, "size_bytes", json_integer((json_int_t)t->size));
	json_object_set_new(o, "vcpus", json_integer(t->vcpus));
	json_object_set_new(o, "mode", json_string(t->mode));
	json_object_set_new(o, "target_pct", json_real(r->cfg->target_ci));
	json_object_set_new(o, "iterations", json_integer(iterations));
	json_object_set_new(o, "reboots", json_integer((json_int_t)t->n));
	json_object_set_new(o, "reached", json_boolean(t->reached));
	json_object_set_new(o, "half_width_pct", c->ok ? json_real(c->half_width) : json_null());
	json_object_set_new(o, "median_ns", c->ok ? json_real(c->median) : json_null());
	json_object_set_new(o, "ci95_lo_ns", c->ok ? json_real(c->lo) : json_null());
	json_object_set_new(o, "ci95_hi_ns", c->ok ? json_real(c->hi) : json_null());
	json_object_set_new(o, "ci95_coverage", c->ok ? json_real(c->coverage) : json_null());
	return o;
}

/* Say how the point ended: reached, or a warning that the ceiling came first. */
static void tell(const struct run *r, const struct target *t, const struct target_ci *c,
		 int iterations)
{
	char name[64];

	point_name(t, name, sizeof(name));
	if (t->reached)
		pvb_info("%s --target-ci %g: reached after %d iterations (%zu reboots): the 95 %% "
			 "CI of the median reboot is within +-%.2f %%",
			 name, r->cfg->target_ci, iterations, t->n, c->half_width);
	else if (c->ok)
		pvb_warn("%s --target-ci %g: not reached after %d iterations (%zu reboots, the "
			 "--iterations ceiling): the 95 %% CI of the median reboot is within "
			 "+-%.2f %% only",
			 name, r->cfg->target_ci, iterations, t->n, c->half_width);
	else
		pvb_warn("%s --target-ci %g: not reached after %d iterations: %zu reboots are too "
			 "few for a 95 %% CI of the median (at least %d)",
			 name, r->cfg->target_ci, iterations, t->n, PVB_TARGET_CI_MIN_N);
}

int pvb_target_end(struct run *r)
{
	struct target *t = &r->target;
	struct target_ci c;
	int iterations;

	if (r->cfg->target_ci <= 0)
		return 0;
	/* every lane ran every round: the rounds are the samples per lane (the floor: one) */
	iterations = (int)(strncmp(t->mode, "floor", 5) ? t->n / (size_t)r->cfg->guests : t->n);
	c = target_ci(t);
	/* the gate stopped the point, or the ceiling did: decide on every reboot */
	t->reached = c.ok && c.half_width <= r->cfg->target_ci;
	tell(r, t, &c, iterations);
	if (!t->list) {
		t->list = json_array();
		json_object_set(r->meta, "target_ci", t->list);
	}
	json_array_append_new(t->list, target_json(r, t, &c, iterations));
	return pvb_run_write_meta(r, "running");
}

void pvb_target_free(struct run *r)
{
	free(r->target.x);
	json_decref(r->target.list);
	memset(&r->target, 0, sizeof(r->target));
}

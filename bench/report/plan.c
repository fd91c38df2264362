/* What a fleet costs the host, from the planner's models (plan_model.c): cleanup cores on
 * average and in a storm, the storm's drain time, memory headroom, reboot latency, whether the
 * host fits, and what was extrapolated; and --check, a multi-guest run predicted and measured. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "plan.h"
#include "pvbench.h"
#include "results.h"
#include "stats.h"

#define NS 1e9

static const char *mode_name(int mode)
{
	return pvb_ds_mode_names[mode];
}

/* A number, or null when it is not finite. */
static json_t *num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

/* Predict figure i of mode at size; on failure the reason into why. */
static int predict(const struct pvb_plan_models *m, int mode, int i, double size,
		   struct pvb_plan_est *e, char *why, size_t len)
{
	const struct pvb_plan_fit *f = &m->fit[mode][i];
	char range[64], sz[32];

	if (!pvb_plan_predict(f, size, e))
		return 0;
	pvb_plan_range(f, range, sizeof(range));
	pvb_format_size((uint64_t)size, sz, sizeof(sz));
	if (!f->k)
		snprintf(why, len, "no %s run measured %s: add one to --model", mode_name(mode),
			 pvb_plan_metric_cols[i]);
	else
		snprintf(why, len,
			 "size %s is beyond what the models reach: %s %s measured at %s, and the "
			 "plan extrapolates at most %gx beyond the measured sizes: add model runs "
			 "nearer that size",
			 sz, mode_name(mode), pvb_plan_metric_cols[i], range, PVB_PLAN_REACH);
	return -1;
}

int pvb_plan_storm(const struct pvb_plan_models *m, int mode, double size, double guests,
		   double cores, double cleanup_cores, struct pvb_plan_storm *s)
{
	struct pvb_plan_est rb, wall, cpu, cs, pk;
	double contention = guests / cores > 1 ? guests / cores : 1;
	char why[8];

	memset(s, 0, sizeof(*s));
	if (predict(m, mode, PVB_PM_REBOOT, size, &rb, why, sizeof(why)) ||
	    predict(m, mode, PVB_PM_CLEANUP, size, &wall, why, sizeof(why)) ||
	    predict(m, mode, PVB_PM_CLEANUP_CPU, size, &cpu, why, sizeof(why)) ||
	    pvb_plan_peak(m, mode, size, &pk))
		return -1;
	/* the destroy starts at the cleanup start measured, else: sync at once, async once the
	 * new guest is alive (the default --cleanup-start) */
	if (predict(m, mode, PVB_PM_CSTART, size, &cs, why, sizeof(why)))
		cs.v = mode == PVB_DS_SYNC ? 0 : rb.v;
	s->cpu_ns = guests * cpu.v;
	s->cores = wall.v > 0 ? guests * cpu.v / wall.v : 0;
	if (s->cores > cleanup_cores)
		s->cores = cleanup_cores;
	s->drain_ns = cs.v * contention + fmax(wall.v, guests * cpu.v / cleanup_cores);
	s->peak_bytes = guests * pk.v;
	s->reboot_ns = rb.v * contention;
	s->reboot_p95_ns = rb.p95 * contention;
	s->extrapolated = rb.extrapolated || wall.extrapolated || cpu.extrapolated ||
			  pk.extrapolated || cs.extrapolated;
	return 0;
}

/* --------------------------------------------------------------------------- the fleet */

struct answer {
	const struct pvb_plan_models *m;
	const struct pvb_fleet *f;
	json_t *root, *notes;
	double avg, avg_lo, avg_hi; /* cleanup cores on average */
	double guest_bytes, headroom;
};

static void note_extrapolated(struct answer *a, const char *cls, int mode, int i, double size,
			      const struct pvb_plan_est *e)
{
	char range[64], sz[32];

	if (e->assumed) {
		json_array_append_new(a->notes,
				      json_sprintf("class %s: %s %s never measured: assumed %s",
						   cls, mode_name(mode), pvb_plan_metric_cols[i],
						   mode == PVB_DS_ASYNC ? "2 x size" : "1 x size"));
		return;
	}
	if (!e->extrapolated)
		return;
	pvb_plan_range(&a->m->fit[mode][i], range, sizeof(range));
	pvb_format_size((uint64_t)size, sz, sizeof(sz));
	json_array_append_new(a->notes,
			      json_sprintf("class %s: %s %s at %s extrapolated from %s", cls,
					   mode_name(mode), pvb_plan_metric_cols[i], sz, range));
}

/* Reboot latency of one mode: p50 with its interval and p95, or null with a note. */
static json_t *latency(struct answer *a, const struct pvb_fleet_class *c, int mode, bool strict,
		       int *rc)
{
	struct pvb_plan_est e;
	char why[400];

	if (predict(a->m, mode, PVB_PM_REBOOT, (double)c->size, &e, why, sizeof(why))) {
		if (strict) {
			pvb_err("plan: class %s: %s", c->name, why);
			*rc = PVB_EXIT_USAGE;
		} else {
			json_array_append_new(a->notes,
					      json_sprintf("class %s: no %s latency: %s", c->name,
							   mode_name(mode), why));
		}
		return json_null();
	}
	note_extrapolated(a, c->name, mode, PVB_PM_REBOOT, (double)c->size, &e);
	return json_pack("{s:o,s:o,s:o,s:o,s:b}", "p50_ns", num(e.v), "ci95_lo_ns", num(e.lo),
			 "ci95_hi_ns", num(e.hi), "p95_ns", num(e.p95), "extrapolated",
			 e.extrapolated);
}

/* One class: its cleanup cost, average cleanup cores, peak memory and latencies. */
static int class_answer(struct answer *a, const struct pvb_fleet_class *c, json_t *arr)
{
	const int mode = a->f->mode;
	struct pvb_plan_est cpu, wall, pk, intf;
	double size = (double)c->size, rate = (double)c->count * c->reboots_per_hour / 3600;
	char why[400];
	int rc = 0;
	json_t *lat[2];

	if (predict(a->m, mode, PVB_PM_CLEANUP_CPU, size, &cpu, why, sizeof(why)) ||
	    predict(a->m, mode, PVB_PM_CLEANUP, size, &wall, why, sizeof(why))) {
		pvb_err("plan: class %s: %s", c->name, why);
		return PVB_EXIT_USAGE;
	}
	pvb_plan_peak(a->m, mode, size, &pk);
	if (pvb_plan_predict(&a->m->fit[PVB_DS_ASYNC][PVB_PM_INTF], size, &intf))
		intf.v = NAN;
	lat[PVB_DS_SYNC] = latency(a, c, PVB_DS_SYNC, mode == PVB_DS_SYNC, &rc);
	lat[PVB_DS_ASYNC] = latency(a, c, PVB_DS_ASYNC, mode == PVB_DS_ASYNC, &rc);
	note_extrapolated(a, c->name, mode, PVB_PM_CLEANUP_CPU, size, &cpu);
	note_extrapolated(a, c->name, mode, PVB_PM_CLEANUP, size, &wall);
	note_extrapolated(a, c->name, mode, PVB_PM_PEAK, size, &pk);
	a->avg += rate * cpu.v / NS;
	a->avg_lo += rate * (isfinite(cpu.lo) ? cpu.lo : NAN) / NS;
	a->avg_hi += rate * (isfinite(cpu.hi) ? cpu.hi : NAN) / NS;
	a->guest_bytes += (double)c->count * size;
	if (!a->f->storm_guests && fmax(0, pk.v - size) > a->headroom)
		a->headroom = fmax(0, pk.v - size); /* no storm: one reboot at a time */
	json_array_append_new(
		arr,
		json_pack("{s:s,s:I,s:I,s:f,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "name",
			  c->name, "size_bytes", (json_int_t)c->size, "count", (json_int_t)c->count,
			  "reboots_per_hour", c->reboots_per_hour, "cleanup_cpu_ns", num(cpu.v),
			  "cleanup_cpu_ci95", json_pack("[o,o]", num(cpu.lo), num(cpu.hi)),
			  "cleanup_ns", num(wall.v), "cleanup_cpu_s_per_gib",
			  num(cpu.v / NS / (size / PVB_GIB)), "cleanup_s_per_gib",
			  num(wall.v / NS / (size / PVB_GIB)), "cleanup_cores_avg",
			  num(rate * cpu.v / NS), "peak_bytes", num(pk.v), "interference",
			  num(intf.v), "sync_reboot", lat[PVB_DS_SYNC], "async_reboot",
			  lat[PVB_DS_ASYNC]));
	return rc;
}

static int storm_answer(struct answer *a)
{
	const struct pvb_fleet *f = a->f;
	const struct pvb_fleet_class *c = &f->cls[f->storm_class];
	struct pvb_plan_storm s;
	struct pvb_plan_est pk;
	double size = (double)c->size, n = (double)f->storm_guests;

	if (!f->storm_guests)
		return 0;
	if (pvb_plan_storm(a->m, f->mode, size, n, f->cores, f->cleanup_cores, &s))
		return PVB_EXIT_USAGE; /* the class's answer said why */
	pvb_plan_peak(a->m, f->mode, size, &pk);
	a->headroom = n * fmax(0, pk.v - size);
	json_object_set_new(a->root, "storm",
			    json_pack("{s:I,s:s,s:I,s:f,s:f,s:f,s:f,s:f,s:f,s:b}", "guests",
				      (json_int_t)f->storm_guests, "class", c->name, "size_bytes",
				      (json_int_t)c->size, "cleanup_cores", s.cores,
				      "cleanup_cpu_ns", s.cpu_ns, "drain_ns", s.drain_ns,
				      "headroom_bytes", a->headroom, "reboot_p50_ns", s.reboot_ns,
				      "reboot_p95_ns", s.reboot_p95_ns, "extrapolated",
				      s.extrapolated));
	return 0;
}

static void fit_answer(struct answer *a)
{
	const struct pvb_fleet *f = a->f;
	double need = a->guest_bytes + a->headroom, margin = (double)f->memory - need;
	double cmargin = f->cleanup_cores - a->avg;

	json_object_set_new(a->root, "cleanup_cores_avg",
			    json_pack("{s:o,s:o,s:o}", "value", num(a->avg), "ci95_lo",
				      num(a->avg_lo), "ci95_hi", num(a->avg_hi)));
	json_object_set_new(a->root, "memory",
			    json_pack("{s:f,s:f,s:f,s:f,s:b}", "guests_bytes", a->guest_bytes,
				      "headroom_bytes", a->headroom, "needed_bytes", need,
				      "margin_bytes", margin, "fits", margin >= 0));
	json_object_set_new(a->root, "cpu",
			    json_pack("{s:f,s:I,s:f,s:b}", "cleanup_cores_avg", a->avg,
				      "cleanup_cores", (json_int_t)f->cleanup_cores, "margin_cores",
				      cmargin, "fits", cmargin >= 0));
	json_object_set_new(a->root, "fits", json_boolean(margin >= 0 && cmargin >= 0));
}

int pvb_plan_answer(const struct pvb_plan_models *m, const struct pvb_fleet *f, json_t **out)
{
	struct answer a = { .m = m, .f = f };
	json_t *classes = json_array();
	int rc = 0;

	*out = NULL;
	a.notes = json_array();
	a.root = json_pack("{s:s,s:I,s:I,s:I,s:I,s:s}", "mode", mode_name(f->mode), "cores",
			   (json_int_t)f->cores, "cleanup_cores", (json_int_t)f->cleanup_cores,
			   "memory_bytes", (json_int_t)f->memory, "cleanup_threads",
			   (json_int_t)f->cthreads, "placement", f->placement);
	if (!classes || !a.notes || !a.root) {
		rc = PVB_EXIT_FAIL;
		goto out;
	}
	for (size_t i = 0; i < f->nclasses && !rc; i++)
		rc = class_answer(&a, &f->cls[i], classes);
	if (!rc)
		rc = storm_answer(&a);
	if (rc)
		goto out;
	json_object_set(a.root, "classes", classes);
	fit_answer(&a);
	json_object_set(a.root, "extrapolated", a.notes);
	*out = a.root;
	a.root = NULL;
out:
	if (rc == PVB_EXIT_FAIL)
		pvb_err("plan: out of memory");
	json_decref(a.root);
	json_decref(a.notes);
	json_decref(classes);
	return rc;
}

/* pvbench plan's output: the models as JSON, and the whole plan (models, fleet answers,
 * checks) as text for a terminal or a mail. */
#include <math.h>
#include <string.h>

#include "parse.h"
#include "plan.h"
#include "pvbench.h"

static json_t *num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *fit_json(const struct pvb_plan_fit *f, int mode, int i)
{
	json_t *pts = json_array();
	char range[64];

	for (size_t j = 0; pts && j < f->k; j++) {
		const struct pvb_plan_pt *p = &f->pt[j];

		json_array_append_new(pts, json_pack("{s:f,s:I,s:f,s:o,s:o,s:f}", "size_bytes",
						     p->size, "n", (json_int_t)p->n, "median",
						     p->median, "ci95_lo", num(p->lo), "ci95_hi",
						     num(p->hi), "p95", p->p95));
	}
	pvb_plan_range(f, range, sizeof(range));
	return json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:s}", "mode", pvb_ds_mode_names[mode],
			 "figure", pvb_plan_metric_cols[i], "range", range, "sizes", pts,
			 "intercept", num(f->k ? f->a : NAN), "per_gib",
			 num(f->k ? f->b * PVB_GIB : NAN), "resid_sd", num(f->resid_sd),
			 "beyond_range", f->flat ? "nearest" : "line");
}

json_t *pvb_plan_models_json(const struct pvb_plan_models *m)
{
	json_t *fits = json_array();

	for (int mode = PVB_DS_SYNC; fits && mode <= PVB_DS_ASYNC; mode++)
		for (int i = 0; i < PVB_PM_N; i++)
			if (m->fit[mode][i].k)
				json_array_append_new(fits, fit_json(&m->fit[mode][i], mode, i));
	return json_pack("{s:s,s:I,s:f,s:o}", "configuration", m->label, "points",
			 (json_int_t)m->npoints, "reach", PVB_PLAN_REACH, "fits", fits);
}

static double get(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* A figure in its unit: ns as ms, bytes as MiB/GiB, else plain. */
static void fmt(const char *figure, double v, char *buf, size_t len)
{
	if (!isfinite(v))
		snprintf(buf, len, "-");
	else if (strstr(figure, "_ns"))
		snprintf(buf, len, "%.4g ms", v / 1e6);
	else if (strstr(figure, "bytes") && fabs(v) >= 1024.0 * PVB_MIB)
		snprintf(buf, len, "%.4g GiB", v / PVB_GIB);
	else if (strstr(figure, "bytes"))
		snprintf(buf, len, "%.4g MiB", v / PVB_MIB);
	else
		snprintf(buf, len, "%.4g", v);
}

static void models_txt(json_t *models, FILE *f)
{
	size_t i, j;
	json_t *fit, *p;

	fprintf(f, "Models: %s\n", json_string_value(json_object_get(models, "configuration")));
	fprintf(f,
		"per measured size: median [exact 95 %% CI] (n); between sizes interpolated,\n"
		"beyond them the least squares line, at most %gx beyond\n",
		get(models, "reach"));
	json_array_foreach(json_object_get(models, "fits"), i, fit)
	{
		const char *fig = json_string_value(json_object_get(fit, "figure"));

		fprintf(f, "  %-5s %-16s", json_string_value(json_object_get(fit, "mode")), fig);
		json_array_foreach(json_object_get(fit, "sizes"), j, p)
		{
			char sz[32], v[32], lo[32], hi[32];

			pvb_format_size((uint64_t)get(p, "size_bytes"), sz, sizeof(sz));
			fmt(fig, get(p, "median"), v, sizeof(v));
			fmt(fig, get(p, "ci95_lo"), lo, sizeof(lo));
			fmt(fig, get(p, "ci95_hi"), hi, sizeof(hi));
			fprintf(f, "%s %s: %s [%s, %s] (%.0f)", j ? ";" : "", sz, v, lo, hi,
				get(p, "n"));
		}
		fputc('\n', f);
	}
}

static void latency_txt(json_t *lat, char *buf, size_t len)
{
	if (!json_is_object(lat))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.4g/%.4g%s", get(lat, "p50_ns") / 1e6,
			 get(lat, "p95_ns") / 1e6,
			 json_is_true(json_object_get(lat, "extrapolated")) ? "*" : "");
}

static void classes_txt(json_t *fl, FILE *f)
{
	size_t i;
	json_t *c;

	fprintf(f, "%-12s %6s %7s %7s %10s %9s %15s %15s %10s\n", "class", "size", "count", "reb/h",
		"cpu s/GiB", "cores avg", "sync p50/p95", "async p50/p95", "peak");
	json_array_foreach(json_object_get(fl, "classes"), i, c)
	{
		char sz[32], s[40], a[40], pk[32];

		pvb_format_size((uint64_t)get(c, "size_bytes"), sz, sizeof(sz));
		latency_txt(json_object_get(c, "sync_reboot"), s, sizeof(s));
		latency_txt(json_object_get(c, "async_reboot"), a, sizeof(a));
		fmt("bytes", get(c, "peak_bytes"), pk, sizeof(pk));
		fprintf(f, "%-12s %6s %7.0f %7.4g %10.4g %9.4g %15s %15s %10s\n",
			json_string_value(json_object_get(c, "name")), sz, get(c, "count"),
			get(c, "reboots_per_hour"), get(c, "cleanup_cpu_s_per_gib"),
			get(c, "cleanup_cores_avg"), s, a, pk);
	}
	fprintf(f, "(reboot latency in ms; * extrapolated)\n");
}

static void fleet_txt(json_t *fl, FILE *f)
{
	json_t *st = json_object_get(fl, "storm"), *mem = json_object_get(fl, "memory");
	json_t *cpu = json_object_get(fl, "cpu"), *avg = json_object_get(fl, "cleanup_cores_avg");
	char a[32], b[32], c[32], d[32];
	size_t i;
	json_t *n;

	fprintf(f,
		"\nFleet: mode %s, %.0f cores (cleanups may use %.0f), %.4g GiB, "
		"cleanup_threads %.0f, placement %s\n",
		json_string_value(json_object_get(fl, "mode")), get(fl, "cores"),
		get(fl, "cleanup_cores"), get(fl, "memory_bytes") / PVB_GIB,
		get(fl, "cleanup_threads"), json_string_value(json_object_get(fl, "placement")));
	classes_txt(fl, f);
	fprintf(f, "Cleanup CPU on average: %.4g cores [%.4g, %.4g] of %.0f\n", get(avg, "value"),
		get(avg, "ci95_lo"), get(avg, "ci95_hi"), get(cpu, "cleanup_cores"));
	if (st) {
		fmt("_ns", get(st, "drain_ns"), a, sizeof(a));
		fmt("bytes", get(st, "headroom_bytes"), b, sizeof(b));
		fprintf(f,
			"Storm: %.0f guests of class %s reboot together: cleanup cores %.4g, "
			"drained after %s, headroom %s, reboot p50/p95 %.4g/%.4g ms%s\n",
			get(st, "guests"), json_string_value(json_object_get(st, "class")),
			get(st, "cleanup_cores"), a, b, get(st, "reboot_p50_ns") / 1e6,
			get(st, "reboot_p95_ns") / 1e6,
			json_is_true(json_object_get(st, "extrapolated")) ? " (extrapolated)" : "");
	}
	fmt("bytes", get(mem, "guests_bytes"), a, sizeof(a));
	fmt("bytes", get(mem, "headroom_bytes"), b, sizeof(b));
	fmt("bytes", get(mem, "needed_bytes"), c, sizeof(c));
	fmt("bytes", get(mem, "margin_bytes"), d, sizeof(d));
	fprintf(f, "Memory: guests %s + headroom %s = %s: %s (margin %s)\n", a, b, c,
		json_is_true(json_object_get(mem, "fits")) ? "fits" : "DOES NOT FIT", d);
	fprintf(f, "CPU: cleanups %.4g of %.0f cores on average: %s (margin %.4g cores)\n",
		get(cpu, "cleanup_cores_avg"), get(cpu, "cleanup_cores"),
		json_is_true(json_object_get(cpu, "fits")) ? "fits" : "DOES NOT FIT",
		get(cpu, "margin_cores"));
	fprintf(f, "The host %s.\n",
		json_is_true(json_object_get(fl, "fits")) ? "fits" : "does NOT fit");
	json_array_foreach(json_object_get(fl, "extrapolated"), i, n)
		fprintf(f, "%s %s\n", i ? "             " : "Extrapolated:", json_string_value(n));
}

static void checks_txt(json_t *checks, FILE *f)
{
	size_t i;
	json_t *c;

	fprintf(f, "\nCheck: a measured multi-guest run predicted from the single-guest models\n");
	fprintf(f, "%-22s %-16s %12s %12s %9s\n", "point", "figure", "predicted", "measured",
		"rel.err");
	json_array_foreach(checks, i, c)
	{
		const char *fig = json_string_value(json_object_get(c, "figure"));
		char p[32], m[32];

		fmt(fig, get(c, "predicted"), p, sizeof(p));
		fmt(fig, get(c, "measured"), m, sizeof(m));
		fprintf(f, "%-22s %-16s %12s %12s %+8.1f%%\n",
			json_string_value(json_object_get(c, "point")), fig, p, m,
			100 * get(c, "rel_error"));
	}
}

int pvb_plan_txt(json_t *root, FILE *f)
{
	json_t *fl = json_object_get(root, "fleet"), *ck = json_object_get(root, "checks");

	models_txt(json_object_get(root, "models"), f);
	if (fl)
		fleet_txt(fl, f);
	if (ck)
		checks_txt(ck, f);
	return ferror(f) ? -1 : 0;
}

/* `pvbench report --format html`: one self-contained file (inline CSS and SVG, no network
 * reference): the tables, the plots drawn here from the model, methodology and warnings. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_table.h"

/* The plot area inside an SVG of W x H. */
#define W  720
#define H  300
#define X0 70
#define X1 (W - 130)
#define Y0 30
#define Y1 (H - 70)

struct series {
	const char *name, *color;
	double *mid, *lo, *hi; /* per point; NAN: none */
};

struct chart {
	const char *title, *ylabel;
	bool log;
	double ref; /* a dashed reference line (e.g. a ratio of 1), NAN: none */
	size_t n;
	const char *const *labels;
	int nseries;
	struct series s[3];
};

static void esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else if (*s == '"')
			fputs("&quot;", f);
		else
			fputc(*s, f);
	}
}

static void range(const struct chart *c, double *lo, double *hi)
{
	*lo = INFINITY;
	*hi = -INFINITY;
	for (int k = 0; k < c->nseries; k++)
		for (size_t i = 0; i < c->n; i++) {
			const double v[] = { c->s[k].mid[i], c->s[k].lo[i], c->s[k].hi[i] };

			for (int j = 0; j < 3; j++)
				if (isfinite(v[j]) && (!c->log || v[j] > 0)) {
					*lo = fmin(*lo, v[j]);
					*hi = fmax(*hi, v[j]);
				}
		}
	if (isfinite(c->ref)) {
		*lo = fmin(*lo, c->ref);
		*hi = fmax(*hi, c->ref);
	}
	if (!c->log)
		*lo = fmin(*lo, 0);
	if (!(*hi > *lo))
		*hi = *lo + 1;
	if (c->log) {
		*lo = pow(10, floor(log10(*lo)));
		*hi = pow(10, ceil(log10(*hi)));
	} else {
		*hi *= 1.1;
	}
}

static double ypos(const struct chart *c, double lo, double hi, double v)
{
	double t = c->log ? (log10(v) - log10(lo)) / (log10(hi) - log10(lo)) : (v - lo) / (hi - lo);

	return Y1 - t * (Y1 - Y0);
}

static void axes(FILE *f, const struct chart *c, double lo, double hi)
{
	fprintf(f, "<text x=\"%d\" y=\"18\" class=\"t\">", X0);
	esc(f, c->title);
	fprintf(f, "</text>\n<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\">",
		(Y0 + Y1) / 2, (Y0 + Y1) / 2);
	esc(f, c->ylabel);
	fprintf(f, "</text>\n<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000\"/>\n", X0,
		Y1, X1, Y1);
	for (int i = 0; i <= 4; i++) {
		double v = c->log ? pow(10, log10(lo) + i * (log10(hi) - log10(lo)) / 4) :
				    lo + i * (hi - lo) / 4;
		double y = ypos(c, lo, hi, v);

		fprintf(f,
			"<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
			"<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.3g</text>\n",
			X0, y, X1, y, X0 - 4, y + 4, v);
	}
	if (isfinite(c->ref))
		fprintf(f,
			"<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#888\" "
			"stroke-dasharray=\"4 3\"/>\n",
			X0, ypos(c, lo, hi, c->ref), X1, ypos(c, lo, hi, c->ref));
}

/* One series: a dot per point at its median, a bar over its CI. */
static void draw_series(FILE *f, const struct chart *c, int k, double lo, double hi)
{
	const struct series *s = &c->s[k];
	double step = (double)(X1 - X0) / (double)c->n;

	for (size_t i = 0; i < c->n; i++) {
		double x = X0 + step * ((double)i + 0.5) + (k - (c->nseries - 1) / 2.0) * 8;

		if (!isfinite(s->mid[i]) || (c->log && s->mid[i] <= 0))
			continue;
		if (isfinite(s->lo[i]) && isfinite(s->hi[i]) && (!c->log || s->lo[i] > 0))
			fprintf(f,
				"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
				"stroke=\"%s\" stroke-width=\"2\"/>\n",
				x, ypos(c, lo, hi, s->lo[i]), x, ypos(c, lo, hi, s->hi[i]),
				s->color);
		fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"><title>", x,
			ypos(c, lo, hi, s->mid[i]), s->color);
		esc(f, c->labels[i]);
		fprintf(f, " %s: %.4g</title></circle>\n", s->name, s->mid[i]);
	}
	fprintf(f,
		"<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
		"<text x=\"%d\" y=\"%d\">%s</text>\n",
		X1 + 14, Y0 + 18 * k, s->color, X1 + 30, Y0 + 18 * k + 9, s->name);
}

static void chart(FILE *f, const struct chart *c)
{
	double lo, hi, step = (double)(X1 - X0) / (double)c->n;

	range(c, &lo, &hi);
	fprintf(f, "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">\n", W, H, W,
		H);
	axes(f, c, lo, hi);
	for (int k = 0; k < c->nseries; k++)
		draw_series(f, c, k, lo, hi);
	for (size_t i = 0; i < c->n; i++) {
		double x = X0 + step * ((double)i + 0.5);

		fprintf(f,
			"<text x=\"%.1f\" y=\"%d\" text-anchor=\"end\" "
			"transform=\"rotate(-35 %.1f %d)\">",
			x, Y1 + 14, x, Y1 + 14);
		esc(f, c->labels[i]);
		fprintf(f, "</text>\n");
	}
	fprintf(f, "</svg>\n");
}

/* The plots: reboot latency medians per mode (log scale) and the speedup, with their CIs. */
static int plots(FILE *f, const struct pvb_report *r)
{
	static const char *const names[] = { "sync", "async", "floor" };
	static const char *const colors[] = { "#c0392b", "#2471a3", "#7f8c8d" };
	size_t n = r->npoints;
	double *v = calloc(12 * n + 1, sizeof(*v));
	const char **labels = calloc(n + 1, sizeof(*labels));
	struct chart lat = { "Reboot latency: median with exact 95 % CI",
			     "ms (log scale)",
			     true,
			     NAN,
			     n,
			     labels,
			     3,
			     { { 0 } } };
	struct chart sp = { "Speedup sync/async with 95 % bootstrap CI",
			    "ratio",
			    false,
			    1.0,
			    n,
			    labels,
			    1,
			    { { 0 } } };

	if (!v || !labels) {
		free(v);
		free(labels);
		return -1;
	}
	for (int k = 0; k < 4; k++) {
		struct series *s = k < 3 ? &lat.s[k] : &sp.s[0];

		*s = (struct series){ k < 3 ? names[k] : "sync/async", colors[k % 3], v + 3 * k * n,
				      v + (3 * k + 1) * n, v + (3 * k + 2) * n };
	}
	for (size_t i = 0; i < n; i++) {
		const struct pvb_report_point *p = &r->points[i];

		labels[i] = p->label;
		for (int k = 0; k < 3; k++) {
			const struct pvb_rstat *st = &p->reboot[k];

			lat.s[k].mid[i] = st->ok ? st->s.median / 1e6 : NAN;
			lat.s[k].lo[i] = st->ok && st->s.ci95_ok ? st->s.ci95_lo / 1e6 : NAN;
			lat.s[k].hi[i] = st->ok && st->s.ci95_ok ? st->s.ci95_hi / 1e6 : NAN;
		}
		sp.s[0].mid[i] = p->speedup.ok ? p->speedup.v : NAN;
		sp.s[0].lo[i] = p->speedup.ci_ok ? p->speedup.lo : NAN;
		sp.s[0].hi[i] = p->speedup.ci_ok ? p->speedup.hi : NAN;
	}
	chart(f, &lat);
	chart(f, &sp);
	free(v);
	free(labels);
	return 0;
}

static void table(FILE *f, const struct pvb_rtable *t)
{
	fprintf(f, "<h3>");
	esc(f, t->title);
	fprintf(f, "</h3>\n<table>\n<tr>");
	for (int c = 0; c < t->ncols; c++) {
		fprintf(f, "<th>");
		esc(f, t->head[c]);
		fprintf(f, "</th>");
	}
	fprintf(f, "</tr>\n");
	for (size_t i = 0; i < t->nrows; i++) {
		fprintf(f, "<tr>");
		for (int c = 0; c < t->ncols; c++) {
			fprintf(f, c ? "<td class=\"n\">" : "<td>");
			esc(f, t->cell[i][c]);
			fprintf(f, "</td>");
		}
		fprintf(f, "</tr>\n");
	}
	fprintf(f, "</table>\n");
}

static void li(FILE *f, const char *label, const char *value)
{
	fprintf(f, "<li>%s ", label);
	esc(f, value);
	fprintf(f, "</li>\n");
}

static void methodology(FILE *f, const struct pvb_report *r)
{
	fprintf(f, "<h2>Methodology</h2>\n<p>");
	esc(f, pvb_report_method_note);
	fprintf(f, "</p>\n");
	for (size_t i = 0; i < r->nruns; i++) {
		const struct pvb_report_run *run = &r->runs[i];

		fprintf(f, "<h3><code>");
		esc(f, run->dir);
		fprintf(f, "</code></h3>\n<ul>\n");
		li(f, "kind:", run->kind);
		li(f, "status:", run->status);
		li(f, "host:", run->host);
		li(f, "CPU:", run->cpu);
		li(f, "kernel:", run->kernel);
		li(f, "machine:", run->machine);
		li(f, "backend:", run->backends);
		li(f, "figures:",
		   run->emulated ? "EMULATED (a model; assumed costs)" : "measured (real guests)");
		li(f, "pvbench revision:", run->rev);
		li(f, "dates:", run->dates);
		fprintf(f, "<li>command: <code>");
		esc(f, run->cmdline);
		fprintf(f, "</code></li>\n</ul>\n");
	}
}

int pvb_report_html(const struct pvb_report *r, FILE *f)
{
	struct pvb_rtable t[PVB_RT_NTABLES];

	if (pvb_rtables_build(r, false, t))
		return -1;
	fprintf(f, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
		   "<title>pvbench report</title>\n<style>\n"
		   "body{font-family:sans-serif;max-width:60em;margin:1em auto}\n"
		   "table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:2px 6px}\n"
		   "td.n{text-align:right;font-family:monospace}svg text{font-size:11px}\n"
		   "svg text.t{font-size:13px;font-weight:bold}\n</style></head>\n<body>\n"
		   "<h1>pvbench report</h1>\n");
	fprintf(f, "<p>%zu point(s) from %zu run(s); backend ", r->npoints, r->nruns);
	esc(f, r->runs[0].backends);
	fprintf(f, "%s</p>\n", r->runs[0].emulated ? " (EMULATED)" : "");
	for (int i = 0; i < PVB_RT_NTABLES; i++)
		table(f, &t[i]);
	pvb_rtables_free(t);
	fprintf(f, "<h2>Plots</h2>\n");
	if (plots(f, r))
		return -1;
	methodology(f, r);
	fprintf(f, "<h2>Warnings</h2>\n<ul>\n");
	for (size_t i = 0; i < r->nwarn; i++) {
		fprintf(f, "<li>");
		esc(f, r->warn[i]);
		fprintf(f, "</li>\n");
	}
	fprintf(f, "%s</ul>\n</body></html>\n", r->nwarn ? "" : "<li>none</li>");
	return ferror(f) ? -1 : 0;
}

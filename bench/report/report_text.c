/* `pvbench report` as text: md (for repositories) and txt (at most 72 columns, for a mail). Both
 * render the same three tables (report_table.h) of the model (report.h). */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "pvbench.h"
#include "report.h"
#include "results.h"
#include "report_table.h"

/* Print s wrapped at PVB_TXT_WIDTH, the first line after first, the others indented by indent;
 * a word longer than a line is cut. */
void pvb_wrap(FILE *f, const char *first, const char *s, int indent)
{
	int col = fprintf(f, "%s", first), start = col;

	while (*s) {
		int n = (int)strcspn(s, " ");

		if (col > start && col + 1 + n <= PVB_TXT_WIDTH) {
			col += fprintf(f, " ");
		} else if (col > start) {
			fprintf(f, "\n%*s", indent, "");
			col = start = indent;
		}
		while (n > PVB_TXT_WIDTH - col) {
			int k = PVB_TXT_WIDTH - col;

			if (k < 8) { /* the prefix took the line */
				fprintf(f, "\n%*s", indent, "");
				col = start = indent;
				continue;
			}
			fprintf(f, "%.*s\n%*s", k, s, indent, "");
			s += k;
			n -= k;
			col = start = indent;
		}
		col += fprintf(f, "%.*s", n, s);
		s += n;
		s += strspn(s, " ");
	}
	fprintf(f, "\n");
}

void pvb_rtable_txt(FILE *f, const struct pvb_rtable *t)
{
	size_t w[PVB_RT_MAXCOLS] = { 0 };

	for (int c = 0; c < t->ncols; c++) {
		w[c] = strlen(t->head[c]);
		for (size_t i = 0; i < t->nrows; i++)
			if (strlen(t->cell[i][c]) > w[c])
				w[c] = strlen(t->cell[i][c]);
	}
	fprintf(f, "\n");
	pvb_wrap(f, "", t->title, 0);
	for (size_t i = 0; i <= t->nrows; i++) {
		for (int c = 0; c < t->ncols; c++) {
			const char *s = i ? t->cell[i - 1][c] : t->head[c];

			/* the point left-aligned, figures right-aligned */
			fprintf(f, c ? " %*s" : "%-*s", (int)w[c], s);
		}
		fprintf(f, "\n");
	}
}

void pvb_rtable_md(FILE *f, const struct pvb_rtable *t)
{
	fprintf(f, "\n**%s**\n\n|", t->title);
	for (int c = 0; c < t->ncols; c++)
		fprintf(f, " %s |", t->head[c]);
	fprintf(f, "\n|");
	for (int c = 0; c < t->ncols; c++)
		fprintf(f, c ? " ---: |" : " --- |");
	for (size_t i = 0; i < t->nrows; i++) {
		fprintf(f, "\n|");
		for (int c = 0; c < t->ncols; c++)
			fprintf(f, " %s |", t->cell[i][c]);
	}
	fprintf(f, "\n");
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The plot files of a run (*.png, *.svg), sorted; each printed through show with the prefix
 * that links to dir from where the report is written. */
static int list_plots(const char *dir, const char *prefix, const char *ext, FILE *f,
		      void (*show)(FILE *f, const char *prefix, const char *name))
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;
	int rc = 0;

	if (!d)
		return 0; /* loaded a moment ago: nothing to list if it went away */
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name), el = strlen(ext);
		char **p;

		if (len <= el || strcmp(e->d_name + len - el, ext))
			continue;
		p = realloc(names, (n + 1) * sizeof(*p));
		if (!p || !(p[n] = strdup(e->d_name))) {
			names = p ? p : names;
			rc = -1;
			break;
		}
		names = p;
		n++;
	}
	closedir(d);
	if (!rc && n) {
		qsort(names, n, sizeof(*names), cmp_str);
		for (size_t i = 0; i < n; i++)
			show(f, prefix, names[i]);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static void md_plot(FILE *f, const char *prefix, const char *name)
{
	fprintf(f, "- [%.*s](%s%s)\n", (int)(strrchr(name, '.') - name), name, prefix, name);
}

static void txt_plot(FILE *f, const char *prefix, const char *name)
{
	char first[32], *path;

	snprintf(first, sizeof(first), "  - ");
	if (asprintf(&path, "%s%s", prefix, name) < 0)
		return;
	pvb_wrap(f, first, path, 4);
	free(path);
}

static void md_run(FILE *f, const struct pvb_report_run *run)
{
	fprintf(f,
		"\n- `%s` (%s, %s): host %s, %s, kernel %s (%s); backend %s%s; pvbench %s; "
		"%s\n  - `%s`\n",
		run->dir, run->kind, run->status, run->host, run->cpu, run->kernel, run->machine,
		run->backends, run->emulated ? " (EMULATED: a model, assumed costs)" : " (real)",
		run->rev, run->dates, run->cmdline);
}

static void txt_run(FILE *f, const struct pvb_report_run *run)
{
	char *s;

	if (asprintf(&s, "(%s, %s): host %s, %s, kernel %s (%s); backend %s%s; pvbench %s; %s",
		     run->kind, run->status, run->host, run->cpu, run->kernel, run->machine,
		     run->backends,
		     run->emulated ? " (EMULATED: a model, assumed costs)" : " (real)", run->rev,
		     run->dates) < 0)
		return;
	pvb_wrap(f, "- ", run->dir, 2);
	pvb_wrap(f, "  ", s, 2);
	pvb_wrap(f, "  $ ", run->cmdline, 6);
	free(s);
}

static void headline(FILE *f, const struct pvb_report *r, const char *prefix)
{
	char *s;

	if (asprintf(&s, "%zu point%s from %zu run%s; backend %s%s", r->npoints,
		     r->npoints == 1 ? "" : "s", r->nruns, r->nruns == 1 ? "" : "s",
		     r->runs[0].backends, r->runs[0].emulated ? " (EMULATED)" : "") < 0)
		return;
	pvb_wrap(f, prefix, s, 0);
	free(s);
}

/* The last section of md and txt: every run's plots; then the tables freed. */
static int plots_and_free(const struct pvb_report *r, FILE *f, struct pvb_rtable *t,
			  void (*show)(FILE *f, const char *prefix, const char *name))
{
	int rc = 0;

	for (size_t i = 0; i < r->nruns && !rc; i++) {
		char *prefix = pvb_path_prefix(r->link_from, r->runs[i].dir);

		rc = prefix ? list_plots(r->runs[i].dir, prefix, ".png", f, show) : -1;
		free(prefix);
	}
	pvb_rtables_free(t);
	return rc || ferror(f) ? -1 : 0;
}

int pvb_report_md(const struct pvb_report *r, FILE *f)
{
	struct pvb_rtable t[PVB_RT_NTABLES];

	if (pvb_rtables_build(r, false, t))
		return -1;
	fprintf(f, "# pvbench report\n\n");
	headline(f, r, "");
	for (int i = 0; i < PVB_RT_NTABLES; i++)
		pvb_rtable_md(f, &t[i]);
	fprintf(f, "\n%s\n\n## Methodology\n", pvb_report_method_note);
	for (size_t i = 0; i < r->nruns; i++)
		md_run(f, &r->runs[i]);
	fprintf(f, "\n## Warnings\n\n");
	for (size_t i = 0; i < r->nwarn; i++)
		fprintf(f, "- %s\n", r->warn[i]);
	if (!r->nwarn)
		fprintf(f, "None.\n");
	fprintf(f, "\n## Plots\n\n");
	return plots_and_free(r, f, t, md_plot);
}

int pvb_report_txt(const struct pvb_report *r, FILE *f)
{
	struct pvb_rtable t[PVB_RT_NTABLES];

	if (pvb_rtables_build(r, true, t))
		return -1;
	headline(f, r, "pvbench report: ");
	if (pvb_rtables_legend(r)) {
		fprintf(f, "\nPoints:\n");
		for (size_t i = 0; i < r->npoints; i++) {
			char id[32];

			snprintf(id, sizeof(id), "  #%-3zu ", i + 1);
			pvb_wrap(f, id, r->points[i].label, 7);
		}
	}
	for (int i = 0; i < PVB_RT_NTABLES; i++)
		pvb_rtable_txt(f, &t[i]);
	fprintf(f, "\n");
	pvb_wrap(f, "", pvb_report_method_note, 0);
	fprintf(f, "\nMethodology:\n");
	for (size_t i = 0; i < r->nruns; i++)
		txt_run(f, &r->runs[i]);
	fprintf(f, "\nWarnings:%s\n", r->nwarn ? "" : " none.");
	for (size_t i = 0; i < r->nwarn; i++)
		pvb_wrap(f, "- ", r->warn[i], 2);
	fprintf(f, "\nPlots:\n");
	return plots_and_free(r, f, t, txt_plot);
}

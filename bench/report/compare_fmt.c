/* `pvbench compare` as txt (a padded table), md or json (compare.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "report.h"
#include "report_table.h"

static const char *const heads[] = { "point", "mode",	"metric",
				     "base",  "new",	"new/base [95% CI]",
				     "p",     "verdict" };

/* A value of a metric column in its unit: ms for _ns, MiB for _bytes. */
static void fmt_value(const char *col, double v, char *buf, size_t len)
{
	size_t n = strlen(col);

	if (n > 3 && !strcmp(col + n - 3, "_ns"))
		pvb_fmt_ms(v, buf, len);
	else if (n > 6 && !strcmp(col + n - 6, "_bytes"))
		snprintf(buf, len, "%.0fM", v / (1024.0 * 1024.0));
	else
		snprintf(buf, len, "%.4g", v);
}

static void fmt_p(double p, char *buf, size_t len)
{
	if (!isfinite(p))
		snprintf(buf, len, "-");
	else if (p < 0.0001)
		snprintf(buf, len, "<1e-4");
	else
		snprintf(buf, len, "%.4f", p);
}

static int build_table(const struct pvb_compare *c, bool narrow, struct pvb_rtable *t)
{
	memset(t, 0, sizeof(*t));
	t->title = "Medians (ms for times); ratio of medians NEW/BASE with its 95 % bootstrap CI; "
		   "two-sided Mann-Whitney p";
	t->ncols = 8;
	memcpy(t->head, heads, sizeof(heads));
	t->nrows = c->nrows;
	t->cell = calloc(c->nrows + 1, sizeof(*t->cell));
	if (!t->cell)
		return -1;
	for (size_t i = 0; i < c->nrows; i++) {
		const struct pvb_cmp_row *r = &c->rows[i];
		struct pvb_rratio q = { .ok = isfinite(r->ratio),
					.ci_ok = isfinite(r->lo),
					.v = r->ratio,
					.lo = r->lo,
					.hi = r->hi };
		char(*row)[PVB_RT_CELL] = t->cell[i];

		snprintf(row[0], PVB_RT_CELL, "%s", r->label);
		snprintf(row[1], PVB_RT_CELL, "%s", pvb_ds_mode_names[r->mode]);
		snprintf(row[2], PVB_RT_CELL, "%s", r->metric);
		fmt_value(r->col, r->base_median, row[3], PVB_RT_CELL);
		fmt_value(r->col, r->new_median, row[4], PVB_RT_CELL);
		pvb_fmt_rratio(&q, row[5], PVB_RT_CELL);
		fmt_p(r->p, row[6], PVB_RT_CELL);
		snprintf(row[7], PVB_RT_CELL, "%s", pvb_verdict_names[r->verdict]);
		if (narrow && strlen(row[0]) > 12)
			snprintf(row[0], PVB_RT_CELL, "%.11s~", r->label);
	}
	return 0;
}

static void summary_line(const struct pvb_compare *c, FILE *f, const char *prefix)
{
	char *s;

	if (asprintf(&s,
		     "%zu matched point(s), %zu row(s): %zu faster, %zu slower, %zu same "
		     "(a verdict needs p < %g and a change beyond %g %%)",
		     c->nmatched, c->nrows, c->nfaster, c->nslower,
		     c->nrows - c->nfaster - c->nslower, c->alpha, 100 * c->threshold) < 0)
		return;
	pvb_wrap(f, prefix, s, 0);
	free(s);
}

static void unmatched(FILE *f, const char *side, const char *dir, char *const *labels, size_t n,
		      const char *bullet)
{
	if (!n)
		return;
	fprintf(f, "\nOnly in %s (%s), not compared:\n", side, dir);
	for (size_t i = 0; i < n; i++)
		pvb_wrap(f, bullet, labels[i], 2);
}

/* The settings the two runs compare, each with its BASE and NEW value. */
static void across_lines(const struct pvb_compare *c, FILE *f, bool md)
{
	for (int k = 0; k < PVB_DS_NKEYS; k++)
		if (c->across[k])
			fprintf(f,
				md ? "- Compared across `%s`: BASE `%s`, NEW `%s`\n\n" :
				     "Compared across %s: BASE %s, NEW %s\n",
				pvb_ds_key_names[k], c->across_base[k], c->across_new[k]);
}

static json_t *across_json(const struct pvb_compare *c)
{
	json_t *o = json_object();

	for (int k = 0; o && k < PVB_DS_NKEYS; k++)
		if (c->across[k] &&
		    json_object_set_new(o, pvb_ds_key_names[k],
					json_pack("{s:s, s:s}", "base", c->across_base[k], "new",
						  c->across_new[k]))) {
			json_decref(o);
			return NULL;
		}
	return o;
}

/* txt or md: the table, then what matched nothing. */
static int render(const struct pvb_compare *c, FILE *f, bool md)
{
	struct pvb_rtable t;

	if (build_table(c, false, &t))
		return -1;
	if (md) {
		fprintf(f, "# pvbench compare\n\n- BASE: `%s`\n- NEW: `%s`\n\n", c->base_dir,
			c->new_dir);
	} else {
		pvb_wrap(f, "pvbench compare: BASE ", c->base_dir, 2);
		pvb_wrap(f, "                  NEW  ", c->new_dir, 2);
	}
	across_lines(c, f, md);
	summary_line(c, f, "");
	(md ? pvb_rtable_md : pvb_rtable_txt)(f, &t);
	unmatched(f, "BASE", c->base_dir, c->base_only, c->nbase_only, md ? "- " : "  ");
	unmatched(f, "NEW", c->new_dir, c->new_only, c->nnew_only, md ? "- " : "  ");
	if (c->plot && md)
		fprintf(f,
			"\n## Plot\n\nThe ratio NEW/BASE per point with its 95 %% CI, the ±%g %% band "
			"shaded, the verdict as colour (a panel per metric):\n\n![compare](%s)\n",
			100 * c->threshold, c->plot);
	else if (c->plot)
		fprintf(f, "\nPlot: %s\n", c->plot);
	free(t.cell);
	return ferror(f) ? -1 : 0;
}

int pvb_compare_txt(const struct pvb_compare *c, FILE *f)
{
	return render(c, f, false);
}

int pvb_compare_md(const struct pvb_compare *c, FILE *f)
{
	return render(c, f, true);
}

static json_t *num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *row_json(const struct pvb_cmp_row *r)
{
	json_t *o = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:b, s:I, s:I}", "label", r->label,
			      "size_bytes", (json_int_t)r->base_pt->size_bytes, "backend",
			      r->base_pt->key[PVB_K_BACKEND], "mode", pvb_ds_mode_names[r->mode],
			      "metric", r->metric, "column", r->col, "lower_is_better",
			      r->lower_better, "n_base", (json_int_t)r->n_base, "n_new",
			      (json_int_t)r->n_new);

	if (!o)
		return NULL;
	if (json_object_set_new(o, "base_median", num(r->base_median)) ||
	    json_object_set_new(o, "new_median", num(r->new_median)) ||
	    json_object_set_new(o, "ratio", num(r->ratio)) ||
	    json_object_set_new(o, "ci95_lo", num(r->lo)) ||
	    json_object_set_new(o, "ci95_hi", num(r->hi)) ||
	    json_object_set_new(o, "p_value", num(r->p)) ||
	    json_object_set_new(o, "p_exact", json_boolean(r->p_exact)) ||
	    json_object_set_new(o, "verdict", json_string(pvb_verdict_names[r->verdict]))) {
		json_decref(o);
		return NULL;
	}
	for (int k = 0; k < PVB_DS_NKEYS; k++)
		if (k != PVB_K_SIZE && k != PVB_K_BACKEND &&
		    json_object_set_new(o, pvb_ds_key_names[k], json_string(r->base_pt->key[k]))) {
			json_decref(o);
			return NULL;
		}
	return o;
}

static json_t *labels_json(char *const *labels, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		if (json_array_append_new(a, json_string(labels[i]))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

int pvb_compare_json(const struct pvb_compare *c, FILE *f)
{
	json_t *rows = json_array(), *root;
	int rc = !rows;

	for (size_t i = 0; !rc && i < c->nrows; i++)
		rc = json_array_append_new(rows, row_json(&c->rows[i]));
	root = rc ? NULL :
		    json_pack("{s:s, s:s, s:o, s:f, s:f, s:i, s:I, s:I, s:I, s:I, s:o, s:o, s:O}",
			      "base", c->base_dir, "new", c->new_dir, "across", across_json(c),
			      "alpha", c->alpha, "threshold", c->threshold, "bootstrap_resamples",
			      PVB_BOOT_RESAMPLES, "bootstrap_seed", (json_int_t)PVB_BOOT_SEED,
			      "matched_points", (json_int_t)c->nmatched, "faster",
			      (json_int_t)c->nfaster, "slower", (json_int_t)c->nslower, "base_only",
			      labels_json(c->base_only, c->nbase_only), "new_only",
			      labels_json(c->new_only, c->nnew_only), "rows", rows);
	json_decref(rows);
	return pvb_dump_json(root, f);
}

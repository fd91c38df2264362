/* `pvbench compare` (compare.h): match the points of two datasets by configuration and judge
 * each metric: ratio of medians NEW/BASE with a 95 % bootstrap CI, Mann-Whitney p-value,
 * verdict `same` unless significant at alpha and beyond the threshold. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "parse.h"
#include "pvbench.h"
#include "report.h"
#include "stats.h"

const char *const pvb_verdict_names[3] = { "same", "faster", "slower" };

int pvb_compare_metrics(char *list, struct pvb_cmp_opts *o)
{
	int n = pvb_split_list(list, o->metrics, PVB_CMP_MAX_METRICS);

	if (n <= 0) {
		pvb_err("compare: --metric wants a comma-separated list of at most %d metrics, "
			"e.g. %s",
			PVB_CMP_MAX_METRICS, PVB_CMP_DEFAULT_METRICS);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		for (char *p = o->metrics[i]; *p; p++)
			*p = *p == '-' ? '_' : *p;
		for (int j = 0; j < i; j++)
			if (!strcmp(o->metrics[i], o->metrics[j])) {
				pvb_err("compare: metric '%s' given twice", o->metrics[i]);
				return -1;
			}
	}
	o->nmetrics = n;
	return 0;
}

/* The column of a metric name ("reboot" -> "reboot_ns") in either dataset, or NULL. */
static const char *metric_col(const struct pvb_dataset *a, const struct pvb_dataset *b,
			      const char *name)
{
	static const char *const sfx[] = { "_ns", "_bytes", "" };
	char col[96];

	for (int i = 0; i < 3; i++) {
		const struct pvb_dataset *ds[] = { a, b };

		snprintf(col, sizeof(col), "%s%s", name, sfx[i]);
		for (int d = 0; d < 2; d++) {
			int m = pvb_ds_metric(ds[d], col);

			if (m >= 0)
				return ds[d]->metrics[m];
		}
	}
	return NULL;
}

static void list_metrics(const struct pvb_dataset *ds)
{
	fprintf(stderr, "  metrics of this run:");
	for (size_t i = 0; i < ds->nmetrics; i++) {
		const char *m = ds->metrics[i];
		size_t n = strlen(m);

		if (n > 3 && !strcmp(m + n - 3, "_ns"))
			n -= 3;
		else if (n > 6 && !strcmp(m + n - 6, "_bytes"))
			n -= 6;
		fprintf(stderr, " %.*s", (int)n, m);
	}
	fprintf(stderr, "\n");
}

static void judge(struct pvb_cmp_row *r, const struct pvb_compare *c)
{
	bool sig = isfinite(r->p) && r->p < c->alpha;

	r->verdict = PVB_SAME;
	if (!sig || !(fabs(r->ratio - 1) > c->threshold))
		return;
	if ((r->ratio < 1) == r->lower_better)
		r->verdict = PVB_FASTER;
	else
		r->verdict = PVB_SLOWER;
}

/* One row: both medians, the ratio with its CI, the test, the verdict. */
static int fill_row(struct pvb_cmp_row *r, const struct pvb_samples *b, const struct pvb_samples *n,
		    const struct pvb_compare *c)
{
	struct pvb_summary sb, sn;
	struct pvb_mwu mw;

	if (pvb_summarize(b->v, b->n, &sb) || pvb_summarize(n->v, n->n, &sn))
		return -1;
	r->n_base = b->n;
	r->n_new = n->n;
	r->base_median = sb.median;
	r->new_median = sn.median;
	r->ratio = sb.median > 0 ? sn.median / sb.median : NAN;
	r->lo = r->hi = r->p = NAN;
	if (b->n >= PVB_BOOT_MIN_N && n->n >= PVB_BOOT_MIN_N && sb.median > 0 &&
	    pvb_bootstrap_ratio(n->v, n->n, b->v, b->n, PVB_BOOT_RESAMPLES, PVB_BOOT_SEED, 0.95,
				&r->ratio, &r->lo, &r->hi))
		r->lo = r->hi = NAN;
	if (!pvb_mann_whitney(n->v, n->n, b->v, b->n, &mw)) {
		r->p = mw.p;
		r->p_exact = mw.exact;
	}
	judge(r, c);
	return 0;
}

static int push_row(struct pvb_compare *c, const struct pvb_cmp_row *r)
{
	struct pvb_cmp_row *rows = realloc(c->rows, (c->nrows + 1) * sizeof(*rows));

	if (!rows)
		return -1;
	c->rows = rows;
	c->rows[c->nrows++] = *r;
	c->nslower += r->verdict == PVB_SLOWER;
	c->nfaster += r->verdict == PVB_FASTER;
	return 0;
}

static int compare_point(struct pvb_compare *c, const struct pvb_dataset *base,
			 const struct pvb_dataset *nw, const struct pvb_ds_point *bp,
			 const struct pvb_ds_point *np, const struct pvb_cmp_opts *o,
			 const char *const *cols, const char *label)
{
	for (int m = 0; m < o->nmetrics; m++)
		for (int mode = 0; mode < PVB_DS_NMODES; mode++) {
			const struct pvb_samples *b = pvb_ds_get(base, bp, mode, cols[m]);
			const struct pvb_samples *n = pvb_ds_get(nw, np, mode, cols[m]);
			struct pvb_cmp_row r = { .base_pt = bp, .new_pt = np, .mode = mode };

			if (!b || !n)
				continue;
			snprintf(r.label, sizeof(r.label), "%s", label);
			r.metric = o->metrics[m];
			r.col = cols[m];
			r.lower_better = strcmp(cols[m], "interference");
			if (fill_row(&r, b, n, c) || push_row(c, &r))
				return -1;
		}
	return 0;
}

static int add_label(char ***list, size_t *n, const char *label)
{
	char **l = realloc(*list, (*n + 1) * sizeof(*l));

	if (!l)
		return -1;
	*list = l;
	if (!(l[*n] = strdup(label)))
		return -1;
	(*n)++;
	return 0;
}

/* The point of ds with p's configuration, leaving out the keys compared across. */
static const struct pvb_ds_point *match(const struct pvb_compare *c, const struct pvb_dataset *ds,
					const struct pvb_ds_point *p)
{
	for (size_t i = 0; i < ds->npoints; i++) {
		int k = 0;

		while (k < PVB_DS_NKEYS &&
		       (c->across[k] || !strcmp(ds->points[i].key[k], p->key[k])))
			k++;
		if (k == PVB_DS_NKEYS)
			return &ds->points[i];
	}
	return NULL;
}

/* A key constant within each run but not the same in both is what the two runs compare
 * (not the size: a size of its own is a point of its own). */
static void find_across(struct pvb_compare *c, const struct pvb_dataset *base,
			const struct pvb_dataset *nw)
{
	for (int k = 0; base->npoints && nw->npoints && k < PVB_DS_NKEYS; k++) {
		c->across[k] = k != PVB_K_SIZE && !pvb_ds_key_varies(base, k) &&
			       !pvb_ds_key_varies(nw, k) &&
			       strcmp(base->points[0].key[k], nw->points[0].key[k]);
		if (c->across[k]) {
			c->across_base[k] = base->points[0].key[k];
			c->across_new[k] = nw->points[0].key[k];
		}
	}
}

/* Which keys vary over both datasets' points (the labels show them; a key compared across is
 * said once, above the table). */
static void varies(const struct pvb_dataset *a, const struct pvb_dataset *b, bool *v)
{
	for (int k = 0; k < PVB_DS_NKEYS; k++) {
		v[k] = pvb_ds_key_varies(a, k) || pvb_ds_key_varies(b, k) ||
		       (k == PVB_K_SIZE && a->npoints && b->npoints &&
			strcmp(a->points[0].key[k], b->points[0].key[k]));
	}
}

static int match_points(struct pvb_compare *c, const struct pvb_dataset *base,
			const struct pvb_dataset *nw, const struct pvb_cmp_opts *o,
			const char *const *cols)
{
	bool v[PVB_DS_NKEYS];
	char label[200];

	varies(base, nw, v);
	for (size_t i = 0; i < base->npoints; i++) {
		const struct pvb_ds_point *bp = &base->points[i], *np = match(c, nw, bp);

		pvb_ds_label(bp, v, label, sizeof(label));
		if (!np) {
			if (add_label(&c->base_only, &c->nbase_only, label))
				return -1;
			continue;
		}
		c->nmatched++;
		if (compare_point(c, base, nw, bp, np, o, cols, label))
			return -1;
	}
	for (size_t i = 0; i < nw->npoints; i++) {
		if (match(c, base, &nw->points[i]))
			continue;
		pvb_ds_label(&nw->points[i], v, label, sizeof(label));
		if (add_label(&c->new_only, &c->nnew_only, label))
			return -1;
	}
	return 0;
}

int pvb_compare_build(struct pvb_compare *c, const struct pvb_dataset *base,
		      const struct pvb_dataset *nw, const struct pvb_cmp_opts *o)
{
	const char *cols[PVB_CMP_MAX_METRICS];

	memset(c, 0, sizeof(*c));
	c->threshold = o->threshold;
	c->alpha = o->alpha;
	c->base_dir = base->nruns ? base->runs[0].dir : "?";
	c->new_dir = nw->nruns ? nw->runs[0].dir : "?";
	for (int m = 0; m < o->nmetrics; m++)
		if (!(cols[m] = metric_col(base, nw, o->metrics[m]))) {
			pvb_err("compare: unknown metric '%s': neither run has it", o->metrics[m]);
			list_metrics(base);
			return PVB_EXIT_USAGE;
		}
	find_across(c, base, nw);
	if (match_points(c, base, nw, o, cols)) {
		pvb_err("compare: out of memory");
		return PVB_EXIT_FAIL;
	}
	if (!c->nmatched) {
		pvb_err("compare: %s and %s have no point in common (same backend, size, vCPUs, "
			"backing, scrub, touch, placement, guests, cleanup threads, load, memory "
			"policy and cleanup start, but for a setting that has one value in each)",
			c->base_dir, c->new_dir);
		return PVB_EXIT_USAGE;
	}
	if (!c->nrows) {
		pvb_err("compare: no matched point has samples of the metrics asked for in both "
			"runs");
		return PVB_EXIT_USAGE;
	}
	return 0;
}

void pvb_compare_free(struct pvb_compare *c)
{
	for (size_t i = 0; i < c->nbase_only; i++)
		free(c->base_only[i]);
	for (size_t i = 0; i < c->nnew_only; i++)
		free(c->new_only[i]);
	free(c->base_only);
	free(c->new_only);
	free(c->rows);
	memset(c, 0, sizeof(*c));
}

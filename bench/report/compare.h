/* `pvbench compare BASE NEW`: points matched by configuration; per point, mode and metric both
 * medians, the ratio NEW/BASE with its 95 % bootstrap CI, the Mann-Whitney p-value and a
 * verdict (compare.c); the formats txt, md and json (compare_fmt.c). */
#ifndef PVB_COMPARE_H
#define PVB_COMPARE_H
#include <stdbool.h>
#include <stdio.h>

#include "dataset.h"

#define PVB_CMP_MAX_METRICS	16
#define PVB_CMP_DEFAULT_METRICS "reboot,cleanup,cleanup_cpu,memory_back,populate"

enum pvb_verdict { PVB_SAME, PVB_FASTER, PVB_SLOWER };
extern const char *const pvb_verdict_names[3];

struct pvb_cmp_opts {
	char *metrics[PVB_CMP_MAX_METRICS]; /* names as given, e.g. "reboot", "cleanup_cpu" */
	int nmetrics;
	double threshold; /* a fraction, e.g. 0.05 */
	double alpha;	  /* e.g. 0.01 */
};

struct pvb_cmp_row {
	const struct pvb_ds_point *base_pt, *new_pt;
	char label[200];
	enum pvb_ds_mode mode;
	const char *metric, *col; /* "reboot", "reboot_ns" */
	bool lower_better;
	size_t n_base, n_new;
	double base_median, new_median;
	double ratio, lo, hi; /* NEW/BASE; lo, hi NAN when the bootstrap could not be done */
	double p;	      /* NAN when the test could not be done */
	bool p_exact;
	enum pvb_verdict verdict;
};

struct pvb_compare {
	const char *base_dir, *new_dir;
	double threshold, alpha;
	size_t nrows, nmatched, nbase_only, nnew_only, nslower, nfaster;
	struct pvb_cmp_row *rows;
	char **base_only, **new_only; /* labels of the points that matched nothing */
	const char *plot;	      /* --plot: the PNG as the output links it; else NULL */
	/* Keys that hold one value in BASE and another in NEW (e.g. backing anonymous against
	 * thp, or two scrub settings): what is compared, so points match without them. */
	bool across[PVB_DS_NKEYS];
	const char *across_base[PVB_DS_NKEYS], *across_new[PVB_DS_NKEYS];
};

/* Split and check --metric's LIST into o. Returns 0, or -1 (the reason printed). */
int pvb_compare_metrics(char *list, struct pvb_cmp_opts *o);
/* Compare. Returns 0, or PVB_EXIT_USAGE (a metric neither run has, no common point) or
 * PVB_EXIT_FAIL, the reason printed. Free with pvb_compare_free. */
int pvb_compare_build(struct pvb_compare *c, const struct pvb_dataset *base,
		      const struct pvb_dataset *nw, const struct pvb_cmp_opts *o);
void pvb_compare_free(struct pvb_compare *c);

int pvb_compare_txt(const struct pvb_compare *c, FILE *f);
int pvb_compare_md(const struct pvb_compare *c, FILE *f);
int pvb_compare_json(const struct pvb_compare *c, FILE *f);

/* --plot DIR (compare_plot.c). The CSV of the rows: label, size_bytes, mode, metric, ...,
 * ratio, ci95_lo, ci95_hi, p_value, verdict, threshold, alpha (empty: no CI, no test). */
int pvb_compare_csv(const struct pvb_compare *c, FILE *f);
/* Check (creating it when missing) that dir can take the plot: 0, or PVB_EXIT_USAGE with the
 * reason printed. */
int pvb_compare_plot_dir(const char *dir);
/* Write dir/compare.csv atomically and draw dir/compare.png|svg with plots/compare/compare.gp
 * (without gnuplot: a warning, the CSV only, PVB_EXIT_OK). Returns an exit code. */
int pvb_compare_plot(const struct pvb_compare *c, const char *dir);
/* dir/compare.png as seen from the directory of the output file out (as given when out is
 * NULL or a path cannot be resolved), for a link in the report. Free it; NULL: no memory. */
char *pvb_compare_plot_link(const char *dir, const char *out);

#endif

/* `pvbench compare --plot DIR` (compare.h): DIR/compare.csv, one row per matched point, mode
 * and metric, then DIR/compare.png and .svg drawn from it by plots/compare/compare.gp. */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compare.h"
#include "plot.h"
#include "pvbench.h"
#include "report.h"
#include "results.h"
#include "stats.h"

#define COMPARE_SCRIPT "compare/compare.gp"

static const char *const csv_head =
	"label,size_bytes,mode,metric,column,lower_is_better,n_base,n_new,base_median,new_median,"
	"ratio,ci95_lo,ci95_hi,p_value,p_exact,verdict,threshold,alpha,resamples,seed,base,new\n";

/* A CSV field (RFC 4180: quoted when it holds a comma, a quote or a line break), then sep. */
static void put_str(FILE *f, const char *s, char sep)
{
	if (s[strcspn(s, ",\"\n\r")]) {
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else {
		fputs(s, f);
	}
	fputc(sep, f);
}

/* A number, empty when it is not finite (no CI, no test), then a comma. */
static void put_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.10g", v);
	fputc(',', f);
}

static void put_row(FILE *f, const struct pvb_compare *c, const struct pvb_cmp_row *r)
{
	put_str(f, r->label, ',');
	fprintf(f, "%llu,%s,", r->base_pt->size_bytes, pvb_ds_mode_names[r->mode]);
	put_str(f, r->metric, ',');
	put_str(f, r->col, ',');
	fprintf(f, "%d,%zu,%zu,", r->lower_better, r->n_base, r->n_new);
	put_num(f, r->base_median);
	put_num(f, r->new_median);
	put_num(f, r->ratio);
	put_num(f, r->lo);
	put_num(f, r->hi);
	put_num(f, r->p);
	fprintf(f, "%s,%s,%g,%g,%d,%llu,", isfinite(r->p) ? (r->p_exact ? "1" : "0") : "",
		pvb_verdict_names[r->verdict], c->threshold, c->alpha, PVB_BOOT_RESAMPLES,
		(unsigned long long)PVB_BOOT_SEED);
	put_str(f, c->base_dir, ',');
	put_str(f, c->new_dir, '\n');
}

int pvb_compare_csv(const struct pvb_compare *c, FILE *f)
{
	fputs(csv_head, f);
	for (size_t i = 0; i < c->nrows; i++)
		put_row(f, c, &c->rows[i]);
	return ferror(f) ? -1 : 0;
}

int pvb_compare_plot_dir(const char *dir)
{
	struct stat st;

	if (!*dir) {
		pvb_err("compare: --plot wants a directory");
		return PVB_EXIT_USAGE;
	}
	if (stat(dir, &st) && errno != ENOENT) {
		pvb_perror("compare: --plot %s", dir);
		return PVB_EXIT_USAGE;
	}
	if (!stat(dir, &st) && !S_ISDIR(st.st_mode)) {
		pvb_err("compare: --plot %s: not a directory", dir);
		return PVB_EXIT_USAGE;
	}
	if (pvb_mkdirs(dir))
		return PVB_EXIT_USAGE;
	if (access(dir, W_OK)) {
		pvb_perror("compare: --plot %s: cannot write there", dir);
		return PVB_EXIT_USAGE;
	}
	return 0;
}

char *pvb_compare_plot_link(const char *dir, const char *out)
{
	char *prefix = pvb_path_prefix(out, dir), *link = NULL;

	if (prefix && asprintf(&link, "%scompare.png", prefix) < 0)
		link = NULL;
	free(prefix);
	return link;
}

int pvb_compare_plot(const struct pvb_compare *c, const char *dir)
{
	struct pvb_render rd;
	char *path;
	FILE *f;
	int rc;

	if (asprintf(&path, "%s/compare.csv", dir) < 0) {
		pvb_err("compare: out of memory");
		return PVB_EXIT_FAIL;
	}
	f = pvb_render_begin(&rd);
	rc = pvb_render_end(&rd, "compare", path, f ? pvb_compare_csv(c, f) : -1);
	if (!rc)
		fprintf(stderr, "%s\n", path);
	free(path);
	if (rc)
		return rc;
	if (!pvb_plot_available()) {
		pvb_warn("compare: gnuplot not found: plot skipped, %s/compare.csv written "
			 "(apt-get install gnuplot-nox draws it)",
			 dir);
		return PVB_EXIT_OK;
	}
	return pvb_plot_script(COMPARE_SCRIPT, dir, stderr);
}

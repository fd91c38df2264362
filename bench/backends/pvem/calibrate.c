/* pvbench calibrate RUN_DIR: fit the pv-emulated per-operation costs to a real `pv` run, so
 * that the model's projections follow the machine measured.
 *
 *   destroy_page_ns    slope of DISABLE time over pages written (sync rows), less the host's
 *                      own cost of zeroing a page (the model zeroes for real, then charges
 *                      destroy_page_ns on top)
 *   destroy_config_ns  intercept of that fit, less destroy_cpu_ns per vCPU
 *   import_ns          slope of populate time over pages written, less the host's first
 *                      touch of a page (the model faults for real, then charges import_ns)
 *   create_config_ns   median ENABLE+SET_SEC_PARMS+UNPACK+VERIFY, less the other parts
 * Everything else is kept from the base settings and named as kept. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate.h"
#include "cmd/cmd.h"
#include "pvbench.h"
#include "pvem.h"
#include "report/results.h"
#include "report/stats.h"

struct fit {
	double slope, icept, r2;
	int n;
};

static double median_of(double *v, int n);

/* Replace the points by one per distinct x, the median of its y (in place): a reboot
 * disturbed by the host moves the fit less. Returns the new count. */
static int group_medians(double *x, double *y, int n)
{
	double *tmp = malloc(sizeof(double) * (size_t)(n ? n : 1));
	int m = 0;

	if (!tmp)
		return n;
	for (int i = 0; i < n; i++) {
		int k = 0, seen = 0;

		for (int j = 0; j < m; j++)
			seen |= x[j] == x[i];
		if (seen)
			continue;
		for (int j = i; j < n; j++)
			if (x[j] == x[i])
				tmp[k++] = y[j];
		x[m] = x[i];
		y[m++] = median_of(tmp, k);
	}
	free(tmp);
	return m;
}

/* Least squares y = slope x + icept over the per-x medians; with one distinct x, the line
 * through the origin. */
static int linfit(double *x, double *y, int n, struct fit *f)
{
	double sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0, d;

	memset(f, 0, sizeof(*f));
	f->n = n;
	n = group_medians(x, y, n);
	if (n < 1)
		return -1;
	for (int i = 0; i < n; i++) {
		sx += x[i];
		sy += y[i];
		sxx += x[i] * x[i];
		sxy += x[i] * y[i];
		syy += y[i] * y[i];
	}
	d = n * sxx - sx * sx;
	if (n < 2 || fabs(d) < 1e-9 * sxx * n) {
		if (sxx <= 0)
			return -1;
		f->slope = sxy / sxx;
		f->r2 = NAN;
		return 0;
	}
	f->slope = (n * sxy - sx * sy) / d;
	f->icept = (sy - f->slope * sx) / n;
	{
		double ssr = 0, mean = sy / n, sst = syy - n * mean * mean;

		for (int i = 0; i < n; i++) {
			double e = y[i] - (f->slope * x[i] + f->icept);

			ssr += e * e;
		}
		f->r2 = sst > 0 ? 1 - ssr / sst : NAN;
	}
	return 0;
}

static double median_of(double *v, int n)
{
	struct pvb_summary s;

	if (n < 1 || pvb_summarize(v, (size_t)n, &s))
		return NAN;
	return s.median;
}

static double num(char **row, int c)
{
	return c >= 0 && row[c][0] ? strtod(row[c], NULL) : NAN;
}

static void usage(void)
{
	printf("usage: pvbench calibrate RUN_DIR [--out FILE] [--base FILE] [--from-model]\n"
	       "Fit the pv-emulated per-operation costs to a `pvbench reboot --backend pv` run\n"
	       "(with --mode sync and at least two sizes) and write a cost file that\n"
	       "`--backend pv-emulated --pv-costs FILE` loads.\n\n"
	       "  --out FILE     the cost file (default: RUN_DIR/pv-costs.ini)\n"
	       "  --base FILE    costs to keep where the run says nothing (default: the\n"
	       "                 documented defaults)\n"
	       "  --from-model   accept a pv-emulated run: a self-check of the fit, not a\n"
	       "                 calibration\n");
}

int pvb_cmd_calibrate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' }, { "base", required_argument, NULL, 'b' },
		{ "from-model", no_argument, NULL, 'm' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir, *base = NULL;
	char out[4200] = "", path[4200], err[600], comment[2048], backend[64] = "";
	struct pvem_settings s, old;
	struct pvb_table t;
	bool from_model = false;
	double *px, *pd, *pp, *en, *tz, *tt;
	int npd = 0, npp = 0, nen = 0, ntz = 0, c, rc = PVB_EXIT_USAGE, vcpus = 1;
	struct fit fd, fp;
	double zero_page, touch_page, enable;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			snprintf(out, sizeof(out), "%s", optarg);
			break;
		case 'b':
			base = optarg;
			break;
		case 'm':
			from_model = true;
			break;
		case 'h':
			usage();
			return PVB_EXIT_OK;
		default:
			pvb_err("unknown or incomplete option (see pvbench calibrate --help)");
			return PVB_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		pvb_err("give one results directory (see pvbench calibrate --help)");
		return PVB_EXIT_USAGE;
	}
	dir = argv[optind];
	pvem_defaults(&s);
	if (base && pvem_load(base, &s, err, sizeof(err))) {
		pvb_err("--base: %s", err);
		return PVB_EXIT_USAGE;
	}
	old = s;
	snprintf(path, sizeof(path), "%s/iterations.csv", dir);
	if (pvb_csv_read(path, &t) < 0) {
		pvb_err("%s has no readable iterations.csv: give the directory of a pvbench reboot "
			"--backend pv run", dir);
		return PVB_EXIT_USAGE;
	}
	{
		int cb = pvb_table_col(&t, "backend"), cm = pvb_table_col(&t, "mode");
		int cpop = pvb_table_col(&t, "populated_bytes"), cdis = pvb_table_col(&t, "disable_ns");
		int cpn = pvb_table_col(&t, "populate_ns"), cen = pvb_table_col(&t, "enable_ns");
		int cht = pvb_table_col(&t, "host_touch_ns"), chm = pvb_table_col(&t, "host_memset_ns");
		int cv = pvb_table_col(&t, "vcpus");
		int n = t.nrows;

		if (cb < 0 || cm < 0 || cpop < 0 || cdis < 0 || cen < 0 || n < 2) {
			pvb_err("%s: not a pv run of this pvbench (no disable_ns/enable_ns columns)",
				path);
			pvb_table_free(&t);
			return PVB_EXIT_USAGE;
		}
		px = calloc((size_t)n, sizeof(double));
		pd = calloc((size_t)n, sizeof(double));
		pp = calloc((size_t)n, sizeof(double));
		en = calloc((size_t)n, sizeof(double));
		tz = calloc((size_t)n, sizeof(double));
		tt = calloc((size_t)n * 2, sizeof(double));
		if (!px || !pd || !pp || !en || !tz || !tt) {
			pvb_err("out of memory");
			rc = PVB_EXIT_FAIL;
			goto out;
		}
		for (int i = 1; i < n; i++) {
			char **row = t.rows[i];
			double pages = num(row, cpop) / 4096;

			if (!backend[0])
				snprintf(backend, sizeof(backend), "%s", row[cb]);
			if (!strcmp(row[cm], "host")) {
				if (pages > 0 && num(row, chm) > 0)
					tz[ntz] = num(row, chm) / pages, tt[ntz++] = num(row, cht) / pages;
				continue;
			}
			if (num(row, cen) > 0)
				en[nen++] = num(row, cen);
			if (cv >= 0 && num(row, cv) > 0)
				vcpus = (int)num(row, cv);
			if (strcmp(row[cm], "sync") || !(pages > 0))
				continue;
			if (num(row, cdis) > 0) {
				px[npd] = pages;
				pd[npd++] = num(row, cdis);
			}
			if (cpn >= 0 && num(row, cpn) > 0)
				pp[npp++] = num(row, cpn);
		}
	}
	if (strcmp(backend, "pv") && !(from_model && !strcmp(backend, "pv-emulated"))) {
		pvb_err("%s is a '%s' run: calibrate fits the model to a real pv run (give "
			"--from-model to check the fit on a pv-emulated run)", dir, backend);
		goto out;
	}
	if (npd < 2 || npp != npd || ntz < 1) {
		pvb_err("%s: needs sync reboots (disable_ns, populate_ns) and host reference rows: "
			"run pvbench reboot --backend pv --mode sync,async with two or more sizes",
			dir);
		goto out;
	}
	zero_page = median_of(tz, ntz);
	touch_page = median_of(tt, ntz);
	memcpy(tt + ntz, px, sizeof(double) * (size_t)npd); /* linfit groups x in place */
	if (linfit(px, pd, npd, &fd) || linfit(tt + ntz, pp, npp, &fp)) {
		pvb_err("%s: the sync rows do not determine a fit", dir);
		goto out;
	}
	enable = median_of(en, nen);
	s.c.destroy_page_ns = (uint64_t)fmax(0, llround(fd.slope - zero_page));
	s.c.destroy_config_ns = (uint64_t)fmax(0, llround(fd.icept - (double)s.c.destroy_cpu_ns *
							 vcpus));
	s.c.import_ns = (uint64_t)fmax(0, llround(fp.slope - touch_page));
	if (!isnan(enable))
		s.c.create_config_ns = (uint64_t)fmax(0, llround(enable - (double)(
			s.c.set_sec_parms_ns + s.c.verify_ns + s.c.create_cpu_ns * (uint64_t)vcpus)));
	snprintf(comment, sizeof(comment),
		 "fitted by pvbench calibrate from %s (backend %s%s)\n"
		 "destroy: %d sync reboots (fit over per-size medians), DISABLE ns = %.1f/page + "
		 "%.0f, R^2 %.4f; host zeroing "
		 "%.1f ns/page subtracted\n"
		 "import: populate ns = %.1f/page + %.0f, R^2 %.4f; host first touch %.1f ns/page "
		 "subtracted\n"
		 "create_config: median ENABLE..VERIFY %.0f ns over %d guests, less set_sec_parms, "
		 "verify, create_cpu\n"
		 "kept from %s: export_ns unpack_page_ns create_cpu_ns destroy_cpu_ns "
		 "set_sec_parms_ns verify_ns, and the features",
		 dir, backend, from_model ? ", a self-check of the fit on the model" : "", npd,
		 fd.slope, fd.icept, fd.r2, zero_page, fp.slope, fp.icept, fp.r2, touch_page,
		 enable, nen, base ? base : "the documented defaults");
	if (!out[0])
		snprintf(out, sizeof(out), "%s/pv-costs.ini", dir);
	if (pvem_save(out, &s, comment)) {
		rc = PVB_EXIT_FAIL;
		goto out;
	}
	printf("pvbench calibrate: %s -> %s\n%s\n", dir, out, comment);
	printf("%-18s %12s %12s\n", "cost (ns)", "before", "fitted");
	printf("%-18s %12llu %12llu\n", "destroy_page_ns", (unsigned long long)old.c.destroy_page_ns,
	       (unsigned long long)s.c.destroy_page_ns);
	printf("%-18s %12llu %12llu\n", "destroy_config_ns",
	       (unsigned long long)old.c.destroy_config_ns,
	       (unsigned long long)s.c.destroy_config_ns);
	printf("%-18s %12llu %12llu\n", "import_ns", (unsigned long long)old.c.import_ns,
	       (unsigned long long)s.c.import_ns);
	printf("%-18s %12llu %12llu\n", "create_config_ns",
	       (unsigned long long)old.c.create_config_ns,
	       (unsigned long long)s.c.create_config_ns);
	rc = PVB_EXIT_OK;
out:
	free(px);
	free(pd);
	free(pp);
	free(en);
	free(tz);
	free(tt);
	pvb_table_free(&t);
	return rc;
}

/* pvbench report DIR... [--format md|html|txt|json] [-o FILE]: the answer of one or more runs
 * (report/report.h): per point the medians with their CIs, the speedup with its CI, the costs,
 * methodology, warnings and plots. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "pvbench.h"
#include "report/report.h"

static const struct option options[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "out", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const struct {
	const char *name;
	int (*fn)(const struct pvb_report *r, FILE *f);
} formats[] = {
	{ "md", pvb_report_md },
	{ "txt", pvb_report_txt },
	{ "html", pvb_report_html },
	{ "json", pvb_report_json },
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pvbench report DIR... [--format md|html|txt|json] [-o FILE]\n"
		"Report one or more results directories (reboot runs or sweeps): per point\n"
		"(the columns that vary), sync/async/floor reboot medians with the exact 95 %%\n"
		"CI of the median, the speedup sync/async with its 95 %% bootstrap CI (2000\n"
		"resamples, fixed seed), async/floor, cleanup CPU async/sync, memory back\n"
		"p50/p95 (both views), interference and peak memory; methodology, warnings\n"
		"and plots. Rows of the same configuration in several runs are pooled.\n\n"
		"  --format F   md (default; for repositories), html (one self-contained file,\n"
		"               inline SVG), txt (at most 72 columns, for a mail), json (tools)\n"
		"  -o, --out FILE  write FILE atomically (default: stdout)\n");
}

int pvb_cmd_report(int argc, char **argv)
{
	int (*fn)(const struct pvb_report *r, FILE *f) = pvb_report_md;
	const char *out = NULL;
	struct pvb_dataset ds;
	struct pvb_report r;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:", options, NULL)) != -1) {
		size_t i;

		switch (c) {
		case 'f':
			for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
				if (!strcmp(optarg, formats[i].name))
					break;
			if (i == sizeof(formats) / sizeof(formats[0])) {
				pvb_err("report: unknown format '%s' (md, html, txt or json)",
					optarg);
				return PVB_EXIT_USAGE;
			}
			fn = formats[i].fn;
			break;
		case 'o':
			out = optarg;
			break;
		default: /* --help, or a bad option */
			usage(c == 'h' ? stdout : stderr);
			return c == 'h' ? PVB_EXIT_OK : PVB_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		pvb_err("report: give at least one results directory");
		usage(stderr);
		return PVB_EXIT_USAGE;
	}
	rc = pvb_dataset_load(&ds, (const char *const *)(argv + optind), (size_t)(argc - optind));
	if (rc)
		return rc;
	rc = pvb_report_build(&r, &ds);
	r.link_from = out;
	if (!rc) {
		struct pvb_render rd;
		FILE *f = pvb_render_begin(&rd);

		rc = pvb_render_end(&rd, "report", out, f ? fn(&r, f) : -1);
	}
	pvb_report_free(&r);
	pvb_dataset_free(&ds);
	return rc;
}

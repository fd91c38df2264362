/* The pv backends' options: --mem-limit, the SE image or payload and header, the model's
 * cost file and MISC; and the check that every file given is usable. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "backends/backend.h"
#include "backends/pvem/pvem.h"
#include "parse.h"
#include "pv_image.h"
#include "pv_options.h"
#include "pvbench.h"

static int parse_mem_limit(const struct pvb_opts *ctx, const struct pvb_opt *o, void *cfg,
			   const char *arg)
{
	struct pvb_pv_options *pv = cfg;

	if (!strcmp(arg, "ram"))
		pv->mem_limit = PVB_MEM_LIMIT_RAM;
	else if (!strcmp(arg, "none"))
		pv->mem_limit = 0;
	else if (pvb_parse_size(arg, &pv->mem_limit) || pv->mem_limit % PVB_MIB || !pv->mem_limit)
		return pvb_opt_bad(ctx, o->name, arg, "is not ram, none or a size in whole MiB");
	return 0;
}

static int parse_tweak(const struct pvb_opts *ctx, const struct pvb_opt *o, void *cfg,
		       const char *arg)
{
	struct pvb_pv_options *pv = cfg;
	char *end;

	errno = 0;
	pv->se_tweak = strtoull(arg, &end, 16);
	if (errno || end == arg || *end)
		return pvb_opt_bad(ctx, o->name, arg, "is not a hexadecimal number");
	return 0;
}

static void defaults(void *cfg)
{
	struct pvb_pv_options *pv = cfg;

	memset(pv, 0, sizeof(*pv));
	pv->mem_limit = PVB_MEM_LIMIT_RAM;
	pv->pv_misc = -1;
}

/* What a set of input files was when it last checked out (path, inode, size, change time of
 * each, and the tweak): a sweep checks every point's configuration, often several times,
 * and need not read the same image again. */
static char checked_key[4 * 4200 + 64];

static void files_key(const struct pvb_pv_options *pv, char *key, size_t len)
{
	const char *const paths[] = { pv->pv_costs, pv->se_image, pv->se_header, pv->payload };
	size_t n = (size_t)snprintf(key, len, "%llx", (unsigned long long)pv->se_tweak);

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]) && n < len; i++) {
		struct stat st = { 0 };

		if (paths[i][0] && stat(paths[i], &st)) {
			key[0] = '\0'; /* no key: checked (and refused) in full */
			return;
		}
		n += (size_t)snprintf(key + n, len - n, "|%s:%llx:%llx:%llx:%lld.%ld", paths[i],
				      (unsigned long long)st.st_dev, (unsigned long long)st.st_ino,
				      (unsigned long long)st.st_size, (long long)st.st_ctim.tv_sec,
				      st.st_ctim.tv_nsec);
	}
	if (n >= len)
		key[0] = '\0';
}

/* The cost file loads, the SE image (or payload and header) parses: bad files are bad
 * input (exit 2) before anything runs, not a failure after the host reference rows. */
static int check_files_now(const struct pvb_pv_options *pv)
{
	char err[1024];
	int rc;

	if (pv->pv_costs[0]) {
		struct pvem_settings s;

		pvem_defaults(&s);
		if ((rc = pvem_load(pv->pv_costs, &s, err, sizeof(err)))) {
			pvb_err("--pv-costs: %s", err);
			return rc;
		}
	}
	if (pv->se_image[0] || (pv->payload[0] && pv->se_header[0])) {
		struct pvb_guest_params p = {
			.se_image = pv->se_image[0] ? pv->se_image : NULL,
			.se_header = pv->se_header,
			.payload = pv->payload,
			.se_tweak = pv->se_tweak,
		};
		struct pv_image img;

		if (pv_image_load(&p, true, &img, err, sizeof(err))) {
			pvb_err("%s: %s", p.se_image ? "--se-image" : "--payload, --se-header",
				err);
			return PVB_EXIT_USAGE;
		}
		pv_image_free(&img);
	}
	return 0;
}

static int check_files(void *cfg)
{
	const struct pvb_pv_options *pv = cfg;
	char key[sizeof(checked_key)];
	int rc;

	files_key(pv, key, sizeof(key));
	if (key[0] && !strcmp(key, checked_key))
		return 0;
	rc = check_files_now(pv);
	snprintf(checked_key, sizeof(checked_key), "%s", rc ? "" : key);
	return rc;
}

#define PV_FIELD(f) PVB_OPT_FIELD(struct pvb_pv_options, f)
#define PV_PATH(n, f, text)                                                                   \
	{                                                                                     \
		.name = n, .metavar = "FILE", .help = text, .kind = PVB_OPT_PATH, PV_FIELD(f) \
	}

static const struct pvb_opt_name on_off[] = { { "on", 1 }, { "off", 0 }, { NULL, 0 } };

static const struct pvb_opt pv_opts[] = {
	{ .name = "mem-limit",
	  .metavar = "SIZE",
	  .kind = PVB_OPT_CUSTOM,
	  .parse = parse_mem_limit,
	  .label = "--mem-limit ram|none|SIZE",
	  .help = "KVM memory limit: the RAM size as QEMU sets it\n"
		  "(default), unset, or a size; PREPARE is refused\n"
		  "at 2 GiB or less" },
	PV_PATH("se-image", se_image, "a full SE image (made by scripts/se-seal.sh)"),
	{ .name = "payload",
	  .metavar = "BIN",
	  .kind = PVB_OPT_PATH,
	  PV_FIELD(payload),
	  .label = "--payload BIN --se-header HDR",
	  .help = "a raw payload at 0 and its SE header" },
	{ .name = "se-header", .metavar = "HDR", .kind = PVB_OPT_PATH, PV_FIELD(se_header) },
	{ .name = "se-tweak",
	  .metavar = "HEX",
	  .kind = PVB_OPT_CUSTOM,
	  .parse = parse_tweak,
	  .help = "the payload component's tweak (with --payload)" },
	PV_PATH("pv-costs", pv_costs, "pv-emulated: per-operation costs (pvbench calibrate)"),
	{ .name = "pv-misc",
	  .metavar = "on|off",
	  .kind = PVB_OPT_ENUM,
	  PV_FIELD(pv_misc),
	  .names = on_off,
	  .hint = "is not on or off",
	  .help = "pv-emulated: model the UV feature MISC (no export\n"
		  "before an import while an old guest is set aside)" },
	{ .name = NULL },
};

const struct pvb_opt_table pvb_pv_option_table = {
	.heading = "Protected guests (--backend pv, pv-emulated):",
	.opts = pv_opts,
	.defaults = defaults,
	.check = check_files,
};

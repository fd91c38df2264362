/* A sweep's points: their order, their values, and each one as a reboot configuration made
 * through reboot's option table (no argv to re-parse), with its equivalent command line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "pvbench.h"
#include "reboot/config.h"
#include "sbuf.h"
#include "sweep.h"

#define AX_KEY(id, key, option)	   key,
#define AX_OPTION(id, key, option) option,
const char *const pvb_sweep_axis_names[PVB_SWEEP_NAXES] = { PVB_SWEEP_AXES(AX_KEY) };
const char *const pvb_sweep_axis_options[PVB_SWEEP_NAXES] = { PVB_SWEEP_AXES(AX_OPTION) };

int pvb_sweep_npoints(const struct pvb_sweep_config *cfg)
{
	int n = 1;

	for (int a = 0; a < PVB_SWEEP_NAXES; a++)
		if (cfg->nvalues[a])
			n *= cfg->nvalues[a];
	return n;
}

void pvb_sweep_point_get(const struct pvb_sweep_config *cfg, int id, struct pvb_sweep_point *pt)
{
	int rest = id, nm = cfg->nvalues[PVB_AX_MODE];

	pt->id = id;
	for (int a = PVB_SWEEP_NAXES - 1; a >= 0; a--) {
		int n = cfg->nvalues[a];

		pt->idx[a] = n ? rest % n : -1;
		if (n)
			rest /= n;
	}
	pt->first_mode = nm < 2 || id % nm == 0;
	if (nm > 1 && (id / nm) % 2)
		pt->idx[PVB_AX_MODE] = nm - 1 - pt->idx[PVB_AX_MODE];
}

const char *pvb_sweep_value(const struct pvb_sweep_config *cfg, const struct pvb_sweep_point *pt,
			    enum pvb_sweep_axis ax)
{
	return pt->idx[ax] < 0 ? NULL : cfg->values[ax][pt->idx[ax]];
}

void pvb_sweep_describe(const struct pvb_sweep_config *cfg, const struct pvb_sweep_point *pt,
			char *buf, size_t len)
{
	bool varies = false;
	size_t n = 0;

	for (int a = 0; a < PVB_SWEEP_NAXES; a++)
		varies |= cfg->nvalues[a] > 1;
	buf[0] = '\0';
	for (int a = 0; a < PVB_SWEEP_NAXES && n < len; a++) {
		int m;

		if (pt->idx[a] < 0 || (varies && cfg->nvalues[a] < 2))
			continue;
		m = snprintf(buf + n, len - n, "%s%s=%s", n ? " " : "", pvb_sweep_axis_names[a],
			     cfg->values[a][pt->idx[a]]);
		if (m < 0)
			break;
		n += (size_t)m;
	}
	if (!buf[0])
		snprintf(buf, len, "(reboot's defaults)");
}

static const char *option_value(const struct pvb_sweep_config *cfg, const char *key)
{
	for (int i = 0; i < cfg->noptions; i++)
		if (!strcmp(cfg->options[i].key, key))
			return cfg->options[i].value;
	return NULL;
}

/* What a point sets, in order: reboot option names and their values as written. */
struct settings {
	int n;
	const char *name[1 + PVB_SWEEP_NAXES + 2 + PVB_SWEEP_MAX_OPTIONS + 2 + 4 + 2];
	const char *value[1 + PVB_SWEEP_NAXES + 2 + PVB_SWEEP_MAX_OPTIONS + 2 + 4 + 2];
	char iterations[24], warmup[24], id[24];
};

static void add(struct settings *s, const char *name, const char *value)
{
	s->name[s->n] = name;
	s->value[s->n++] = value;
}

static void point_settings(const struct pvb_sweep_config *cfg, const struct pvb_sweep_point *pt,
			   const char *dir, struct settings *s)
{
	s->n = 0;
	for (int a = 0; a < PVB_SWEEP_NAXES; a++)
		if (pt->idx[a] >= 0)
			add(s, pvb_sweep_axis_options[a], cfg->values[a][pt->idx[a]]);
	snprintf(s->iterations, sizeof(s->iterations), "%d", cfg->iterations);
	snprintf(s->warmup, sizeof(s->warmup), "%d", cfg->warmup);
	if (cfg->iterations >= 0)
		add(s, "iterations", s->iterations);
	if (cfg->warmup >= 0)
		add(s, "warmup", s->warmup);
	for (int i = 0; i < cfg->noptions; i++)
		add(s, cfg->options[i].key, cfg->options[i].value);
	/* the other modes of a group measure no floor or host reference rows */
	if (!pt->first_mode) {
		const char *floor = option_value(cfg, "no-floor");
		const char *ref = option_value(cfg, "ref-iterations");

		if (!floor || strcmp(floor, "true"))
			add(s, "no-floor", "true");
		if (!ref || strcmp(ref, "0"))
			add(s, "ref-iterations", "0");
	}
	snprintf(s->id, sizeof(s->id), "%d", pt->id);
	add(s, "out", dir);
	add(s, "append", "true");
	add(s, "point", s->id);
	add(s, "quiet", "true");
	/* the sweep's provenance, the same in every row (after [options]: it wins) */
	if (cfg->host_label[0])
		add(s, "host-label", cfg->host_label);
	if (cfg->run_id[0])
		add(s, "run-id", cfg->run_id);
}

/* Append a copy of str; the array stays NULL-terminated when that fails. */
static int push(char **argv, int *argc, const char *str)
{
	argv[*argc] = strdup(str);
	if (!argv[*argc])
		return -1;
	(*argc)++;
	return 0;
}

/* The settings as reboot's command line: a flag alone when true, left out when false. */
static char **render(const struct settings *s, int *argcp)
{
	char **argv = calloc(1 + 2 * (size_t)s->n + 1, sizeof(*argv)), opt[80];
	int argc = 0, err;

	if (!argv)
		return NULL;
	err = push(argv, &argc, "reboot");
	for (int i = 0; i < s->n; i++) {
		const struct pvb_opt *o = pvb_reboot_option(s->name[i]);
		bool flag = o && !o->metavar;

		if (flag && !strcmp(s->value[i], "false"))
			continue;
		snprintf(opt, sizeof(opt), "--%s", s->name[i]);
		err |= push(argv, &argc, opt);
		if (!flag || strcmp(s->value[i], "true"))
			err |= push(argv, &argc, s->value[i]);
	}
	if (err) {
		for (int i = 0; i < argc; i++)
			free(argv[i]);
		free(argv);
		return NULL;
	}
	*argcp = argc;
	return argv;
}

int pvb_sweep_point_config(const struct pvb_sweep_config *cfg, const struct pvb_sweep_point *pt,
			   const char *dir, struct pvb_reboot_config *rc)
{
	struct settings *s = malloc(sizeof(*s));
	struct pvb_opts ctx;
	int err = -1;

	pvb_reboot_options(&ctx, rc);
	if (s)
		point_settings(cfg, pt, dir, s);
	if (!s || !(rc->argv = render(s, &rc->argc))) {
		pvb_err("point %d: out of memory", pt->id);
		free(s);
		return PVB_EXIT_FAIL;
	}
	for (int i = 0; i < s->n && err < 0; i++)
		if (pvb_opts_apply(&ctx, s->name[i], s->value[i]))
			err = PVB_EXIT_USAGE;
	free(s);
	return err < 0 ? pvb_reboot_check(&ctx, rc) : err;
}

void pvb_sweep_point_free(struct pvb_reboot_config *rc)
{
	for (int i = 0; rc->argv && i < rc->argc; i++)
		free(rc->argv[i]);
	free(rc->argv);
	rc->argv = NULL;
	rc->argc = 0;
}

char *pvb_sweep_command_line(char *const *argv)
{
	struct pvb_sbuf b = { 0 };

	pvb_sb_str(&b, "pvbench");
	for (; *argv; argv++) {
		pvb_sb_str(&b, " ");
		pvb_sb_shell(&b, *argv);
	}
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

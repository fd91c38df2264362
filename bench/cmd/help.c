/* pvbench help: the man pages (pvbench.1, pvbench-CMD.1) and the bash completion, rendered
 * from the commands' option tables (options.h), the same ones --help prints. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "datadir.h"
#include "options.h"
#include "pvbench.h"

#define MAN_SECTION "1"
#define MAN_FOOTER  "\"pvbench " PVB_VERSION "\" \"pvbench manual\""

static const struct {
	int code;
	const char *what;
} exit_codes[] = {
	{ PVB_EXIT_OK, "success" },
	{ PVB_EXIT_FAIL, "a run-time failure: a system call or the guest misbehaved" },
	{ PVB_EXIT_USAGE, "bad input or an unusable environment; the message says which" },
	{ PVB_EXIT_VERIFY, "--verify-clean found old data in a new guest" },
	{ PVB_EXIT_SKIP, "a feature this host lacks (e.g. /dev/kvm); nothing was measured" },
	{ PVB_EXIT_REGRESSION, "compare --fail-on-regression: a verdict `slower'" },
	{ PVB_EXIT_INTERRUPTED, "interrupted (SIGINT or SIGTERM); what was measured is kept" },
};

static const struct {
	const char *name, *what;
} environment[] = {
	{ PVB_DATADIR_ENV, "the data directory (plots/, workloads/) instead of the one found "
			   "relative to the binary (../share/pvbench from its bin/)" },
	{ "PVB_PLOTS_DIR", "the gnuplot scripts' directory (overrides " PVB_DATADIR_ENV ")" },
	{ "PVB_LOAD_DIR",
	  "the directory of the --load profiles NAME.conf (overrides " PVB_DATADIR_ENV ")" },
	{ "PVB_KVM_DEVICE", "the KVM device instead of /dev/kvm" },
};

struct page {
	const struct pvb_command *cmd;
	FILE *f;
	bool done; /* the command's tables reached the intercept */
};

static void section(FILE *f, const char *name)
{
	fprintf(f, ".SH %s\n", name);
}

static void exit_status(FILE *f)
{
	section(f, "EXIT STATUS");
	for (size_t i = 0; i < sizeof(exit_codes) / sizeof(exit_codes[0]); i++) {
		fprintf(f, ".TP\n.B %d\n", exit_codes[i].code);
		pvb_roff_text(exit_codes[i].what, f);
		fputc('\n', f);
	}
}

/* The --help text ctx->usage prints on stdout, caught in a temporary file; NULL after a
 * message. */
static char *usage_text(const struct pvb_opts *ctx)
{
	FILE *tmp = tmpfile();
	char *text = NULL;
	int saved = -1;
	long n = -1;

	if (!tmp || fflush(stdout) == EOF || (saved = dup(STDOUT_FILENO)) < 0 ||
	    dup2(fileno(tmp), STDOUT_FILENO) < 0) {
		pvb_perror("help: catching the --help text of %s", ctx->cmd);
		goto out;
	}
	ctx->usage();
	if (fflush(stdout) == EOF || dup2(saved, STDOUT_FILENO) < 0) {
		pvb_perror("help: catching the --help text of %s", ctx->cmd);
		goto out;
	}
	if (fseek(tmp, 0, SEEK_END) || (n = ftell(tmp)) < 0 || fseek(tmp, 0, SEEK_SET)) {
		pvb_perror("help: reading back the --help text of %s", ctx->cmd);
		goto out;
	}
	text = calloc(1, (size_t)n + 1);
	if (!text) {
		pvb_err("help: out of memory");
	} else if (fread(text, 1, (size_t)n, tmp) != (size_t)n) {
		pvb_perror("help: reading back the --help text of %s", ctx->cmd);
		free(text);
		text = NULL;
	}
out:
	if (saved >= 0)
		close(saved);
	if (tmp)
		fclose(tmp);
	return text;
}

/* The next line of *p (its newline replaced), or NULL at the end. */
static char *next_line(char **p)
{
	char *line = *p, *nl;

	if (!*line)
		return NULL;
	nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		*p = nl + 1;
	} else {
		*p = line + strlen(line);
	}
	return line;
}

/* "usage: pvbench CMD ARGS" and its continuation lines as SYNOPSIS, then the prose that
 * follows (up to a blank or indented line) into DESCRIPTION after the summary. */
static int synopsis_and_description(const struct page *pg, char *text)
{
	static const char head[] = "usage: pvbench ";
	char *p = text, *line = next_line(&p), *arg;
	FILE *f = pg->f;

	if (!line || strncmp(line, head, sizeof(head) - 1)) {
		pvb_err("help: %s --help does not start with '%s'", pg->cmd->name, head);
		return PVB_EXIT_FAIL;
	}
	section(f, "SYNOPSIS");
	for (line += sizeof(head) - 1; line && *line; line = next_line(&p)) {
		line += strspn(line, " ");
		if (!strncmp(line, "pvbench ", 8)) {
			fputs(".br\n", f);
			line += 8;
		}
		if (!strncmp(line, pg->cmd->name, strlen(pg->cmd->name))) {
			fprintf(f, ".B pvbench %s\n", pg->cmd->name);
			line += strlen(pg->cmd->name);
		}
		arg = line + strspn(line, " ");
		if (*arg) {
			pvb_roff_text(arg, f);
			fputc('\n', f);
		}
		if (*p != ' ')
			break;
	}
	section(f, "DESCRIPTION");
	fputc(toupper((unsigned char)pg->cmd->help[0]), f);
	pvb_roff_text(pg->cmd->help + 1, f);
	fputs(".\n.PP\n", f);
	while ((line = next_line(&p)) && *line && *line != ' ') {
		pvb_roff_text(line, f);
		fputc('\n', f);
	}
	return 0;
}

static void see_also(FILE *f, const char *refs)
{
	section(f, "SEE ALSO");
	fputs(refs, f);
}

/* The intercept: one command's page from its tables. */
static int command_page(const struct pvb_opts *ctx, void *arg)
{
	struct page *pg = arg;
	char *text = usage_text(ctx);
	int rc;

	pg->done = true;
	if (!text)
		return PVB_EXIT_FAIL;
	fprintf(pg->f, ".TH PVBENCH\\-");
	for (const char *c = pg->cmd->name; *c; c++)
		fputc(*c == '-' ? '_' : toupper((unsigned char)*c), pg->f);
	fprintf(pg->f, " " MAN_SECTION " \"\" " MAN_FOOTER "\n");
	section(pg->f, "NAME");
	fprintf(pg->f, "pvbench\\-%s \\- ", pg->cmd->name);
	pvb_roff_text(pg->cmd->help, pg->f);
	fputc('\n', pg->f);
	rc = synopsis_and_description(pg, text);
	free(text);
	if (rc)
		return rc;
	section(pg->f, "OPTIONS");
	pvb_opts_print_man(ctx, pg->f);
	exit_status(pg->f);
	see_also(pg->f, ".BR pvbench (1)\n");
	return PVB_EXIT_OK;
}

/* Run cmd with the intercept fn pending: its pvb_opts_getopt() hands fn the tables (and fn
 * sets pg->done). */
static int through_tables(struct page *pg, pvb_opts_intercept_fn fn)
{
	char name[64], *argv[] = { name, NULL };
	int rc;

	snprintf(name, sizeof(name), "%s", pg->cmd->name);
	pg->done = false;
	pvb_opts_intercept(fn, pg);
	rc = pg->cmd->fn(1, argv);
	pvb_opts_intercept(NULL, NULL);
	if (!pg->done) {
		pvb_err("help: %s does not parse its options through the option engine "
			"(options.h): no page",
			pg->cmd->name);
		return PVB_EXIT_FAIL;
	}
	return rc;
}

static void main_commands(FILE *f, const struct pvb_command *cmds, size_t ncmds)
{
	section(f, "COMMANDS");
	for (size_t i = 0; i < ncmds; i++) {
		fprintf(f, ".TP\n.B %s\n", cmds[i].name);
		pvb_roff_text(cmds[i].help, f);
		fprintf(f, "; see\n.BR pvbench\\-%s (1).\n", cmds[i].name);
	}
	fputs(".TP\n.B help\n\\fBpvbench help\\fR \\fICMD\\fR prints \\fBpvbench\\fR \\fICMD\\fR "
	      "\\fB\\-\\-help\\fR; \\fB\\-\\-man\\fR \\fICMD\\fR, \\fB\\-\\-man\\-dir\\fR \\fIDIR\\fR "
	      "and \\fB\\-\\-completion\\fR [\\fIFILE\\fR] write these pages and the bash "
	      "completion, from the option tables.\n",
	      f);
}

static void main_environment(FILE *f)
{
	section(f, "ENVIRONMENT");
	for (size_t i = 0; i < sizeof(environment) / sizeof(environment[0]); i++) {
		fprintf(f, ".TP\n.B %s\n", environment[i].name);
		pvb_roff_text(environment[i].what, f);
		fputc('\n', f);
	}
}

static const char main_files[] =
	".SH FILES\n"
	".TP\n.I /usr/share/pvbench/plots/\n"
	"the gnuplot scripts of \\fB\\-\\-plot\\fR and \\fBpvbench plot\\fR (the data "
	"directory, ../share/pvbench from the binary's directory, or $" PVB_DATADIR_ENV ")\n"
	".TP\n.I /usr/share/pvbench/workloads/load/\n"
	"the stress\\-ng profiles of \\fB\\-\\-load\\fR\n"
	".TP\n.I /usr/share/pvbench/workloads/sweeps/\n"
	"example sweeps for \\fBpvbench sweep\\fR\n"
	".TP\n.I /usr/share/pvbench/workloads/fleets/\n"
	"example fleets for \\fBpvbench plan \\-\\-fleet\\fR\n";

static int main_page(FILE *f, const struct pvb_command *cmds, size_t ncmds)
{
	fputs(".TH PVBENCH " MAN_SECTION " \"\" " MAN_FOOTER "\n", f);
	section(f, "NAME");
	fputs("pvbench \\- benchmark and stress suite for KVM guest teardown "
	      "(synchronous against asynchronous destroy)\n",
	      f);
	section(f, "SYNOPSIS");
	fputs(".B pvbench\n.I COMMAND\n[options]\n.br\n.B pvbench\n.I COMMAND\n\\-\\-help\n", f);
	section(f, "DESCRIPTION");
	fputs("pvbench reboots KVM guests in a loop and times their destruction, synchronous "
	      "against asynchronous, per phase, on the kvm backend (/dev/kvm), the pv backend "
	      "(s390 protected guests) or the pv\\-emulated model, and reports, compares, "
	      "plots and plans from the results.\n",
	      f);
	main_commands(f, cmds, ncmds);
	exit_status(f);
	main_environment(f);
	fputs(main_files, f);
	section(f, "SEE ALSO");
	for (size_t i = 0; i < ncmds; i++)
		fprintf(f, ".BR pvbench\\-%s (1),\n", cmds[i].name);
	fputs(".BR gnuplot (1),\n.BR stress\\-ng (1)\n", f);
	return PVB_EXIT_OK;
}

/* Write a page into path through fn (cmd NULL: pvbench.1). */
static int write_page(const char *path, const struct pvb_command *cmd,
		      const struct pvb_command *cmds, size_t ncmds)
{
	struct page pg = { .cmd = cmd, .f = fopen(path, "w") };
	int rc;

	if (!pg.f) {
		pvb_perror("help: %s", path);
		return PVB_EXIT_FAIL;
	}
	rc = cmd ? through_tables(&pg, command_page) : main_page(pg.f, cmds, ncmds);
	if (fclose(pg.f) && !rc) {
		pvb_perror("help: writing %s", path);
		rc = PVB_EXIT_FAIL;
	}
	return rc;
}

static int man_dir(const char *dir, const struct pvb_command *cmds, size_t ncmds)
{
	char path[PATH_MAX];
	int rc;

	if (snprintf(path, sizeof(path), "%s/pvbench." MAN_SECTION, dir) >= (int)sizeof(path)) {
		pvb_err("help: %s: path too long", dir);
		return PVB_EXIT_USAGE;
	}
	rc = write_page(path, NULL, cmds, ncmds);
	for (size_t i = 0; !rc && i < ncmds; i++) {
		snprintf(path, sizeof(path), "%s/pvbench-%s." MAN_SECTION, dir, cmds[i].name);
		rc = write_page(path, &cmds[i], cmds, ncmds);
	}
	return rc;
}

static int completion_arm(const struct pvb_opts *ctx, void *arg)
{
	struct page *pg = arg;
	FILE *f = pg->f;

	pg->done = true;
	fprintf(f, "\t%s)\n", ctx->cmd);
	pvb_opts_print_completion(ctx, f);
	fputs("\t\t;;\n", f);
	return PVB_EXIT_OK;
}

static const char completion_main[] =
	"_pvbench() {\n"
	"\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]} opts vals\n"
	"\tCOMPREPLY=()\n"
	"\tif [ \"$COMP_CWORD\" -eq 1 ]; then\n"
	"\t\tmapfile -t COMPREPLY < <(compgen -W \"$_pvbench_commands\" -- \"$cur\")\n"
	"\t\treturn 0\n"
	"\tfi\n"
	"\t_pvbench_words \"${COMP_WORDS[1]}\" \"$prev\"\n"
	"\tif [ \"$COMP_CWORD\" -gt 2 ] && [ -n \"$vals\" ]; then\n"
	"\t\tcase $vals in\n"
	"\t\t@file) mapfile -t COMPREPLY < <(compgen -f -- \"$cur\") ;;\n"
	"\t\t@dir) mapfile -t COMPREPLY < <(compgen -d -- \"$cur\") ;;\n"
	"\t\t@none) ;;\n"
	"\t\t*) mapfile -t COMPREPLY < <(compgen -W \"$vals\" -- \"$cur\") ;;\n"
	"\t\tesac\n"
	"\t\treturn 0\n"
	"\tfi\n"
	"\tcase $cur in\n"
	"\t-*) mapfile -t COMPREPLY < <(compgen -W \"$opts\" -- \"$cur\") ;;\n"
	"\t*) mapfile -t COMPREPLY < <(compgen -f -- \"$cur\") ;;\n"
	"\tesac\n"
	"\treturn 0\n"
	"}\n"
	"complete -o filenames -F _pvbench pvbench\n";

static int completion(FILE *f, const struct pvb_command *cmds, size_t ncmds)
{
	int rc = PVB_EXIT_OK;

	fputs("# bash completion for pvbench: generated by `pvbench help --completion` from the\n"
	      "# option tables that --help prints; do not edit.\n\n_pvbench_commands='",
	      f);
	for (size_t i = 0; i < ncmds; i++)
		fprintf(f, "%s%s", i ? " " : "", cmds[i].name);
	fputs(" help'\n\n# _pvbench_words CMD PREV: opts (CMD's options), vals (what completes "
	      "PREV's value)\n_pvbench_words() {\n\topts= vals=\n\tcase $1 in\n",
	      f);
	for (size_t i = 0; !rc && i < ncmds; i++) {
		struct page pg = { .cmd = &cmds[i], .f = f };

		rc = through_tables(&pg, completion_arm);
	}
	fputs("\tesac\n}\n\n", f);
	fputs(completion_main, f);
	return rc;
}

static int completion_to(const char *path, const struct pvb_command *cmds, size_t ncmds)
{
	FILE *f = path ? fopen(path, "w") : stdout;
	int rc;

	if (!f) {
		pvb_perror("help: %s", path);
		return PVB_EXIT_FAIL;
	}
	rc = completion(f, cmds, ncmds);
	if ((path ? fclose(f) : fflush(f)) && !rc) {
		pvb_perror("help: writing %s", path ? path : "stdout");
		rc = PVB_EXIT_FAIL;
	}
	return rc;
}

static const struct pvb_command *find(const char *name, const struct pvb_command *cmds,
				      size_t ncmds)
{
	for (size_t i = 0; i < ncmds; i++)
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	pvb_err("help: unknown command '%s' (see pvbench --help)", name);
	return NULL;
}

int pvb_cmd_help(int argc, char **argv, const struct pvb_command *cmds, size_t ncmds)
{
	const struct pvb_command *cmd;
	struct page pg = { .f = stdout };
	char name[64], help[] = "--help", *help_argv[] = { name, help, NULL };

	if (argc == 3 && !strcmp(argv[1], "--man-dir"))
		return man_dir(argv[2], cmds, ncmds);
	if (argc <= 3 && !strcmp(argv[1], "--completion"))
		return completion_to(argc == 3 ? argv[2] : NULL, cmds, ncmds);
	if (argc == 3 && !strcmp(argv[1], "--man")) {
		if (!strcmp(argv[2], "pvbench"))
			return main_page(stdout, cmds, ncmds);
		pg.cmd = find(argv[2], cmds, ncmds);
		return pg.cmd ? through_tables(&pg, command_page) : PVB_EXIT_USAGE;
	}
	if (argc == 2 && argv[1][0] != '-') {
		cmd = find(argv[1], cmds, ncmds);
		if (!cmd)
			return PVB_EXIT_USAGE;
		snprintf(name, sizeof(name), "%s", cmd->name);
		return cmd->fn(2, help_argv);
	}
	pvb_err("help: usage: pvbench help [CMD] | --man CMD|pvbench | --man-dir DIR | "
		"--completion [FILE]");
	return PVB_EXIT_USAGE;
}

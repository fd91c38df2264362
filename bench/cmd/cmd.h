/* The subcommands of pvbench, one file each in bench/cmd/ (like kvmtool's builtin-*.c).
 * Each takes argv from its own name on and returns an exit code (pvbench.h). */
#ifndef PVB_CMD_H
#define PVB_CMD_H
#include <stddef.h>

/* A subcommand as main.c lists it: its name, its one-line summary, its function. */
struct pvb_command {
	const char *name, *help;
	int (*fn)(int argc, char **argv);
};

int pvb_cmd_info(int argc, char **argv);
int pvb_cmd_reboot(int argc, char **argv);
int pvb_cmd_summarize(int argc, char **argv);
int pvb_cmd_plot(int argc, char **argv);
int pvb_cmd_topo(int argc, char **argv);
int pvb_cmd_sweep(int argc, char **argv);
int pvb_cmd_calibrate(int argc, char **argv);
int pvb_cmd_report(int argc, char **argv);
int pvb_cmd_compare(int argc, char **argv);
int pvb_cmd_plan(int argc, char **argv);
/* pvbench help --man CMD | --man-dir DIR | --completion [FILE] (the man pages and the bash
 * completion from the option tables; the build runs it), or help CMD (its --help). */
int pvb_cmd_help(int argc, char **argv, const struct pvb_command *cmds, size_t ncmds);
int pvb_cmd_merge(int argc, char **argv);
int pvb_cmd_stress(int argc, char **argv);

#endif

/* The subcommands of pvbench, one file each in bench/cmd/ (like kvmtool's builtin-*.c).
 * Each takes argv from its own name on and returns an exit code (pvbench.h). */
#ifndef PVB_CMD_H
#define PVB_CMD_H

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
int pvb_cmd_stress(int argc, char **argv);

#endif

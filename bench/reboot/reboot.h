/* `pvbench reboot`: the reboot loop engine. */
#ifndef PVB_REBOOT_H
#define PVB_REBOOT_H
#include "config.h"

/* Run the configured sweep; returns an exit code. */
int pvb_reboot_run(const struct pvb_reboot_config *cfg);

/* The columns of iterations.csv, in order. */
extern const char *const pvb_iteration_cols[];
extern const int pvb_iteration_ncols;

#endif

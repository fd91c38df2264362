/* Rendering the gnuplot figures of a results directory. */
#ifndef PVB_PLOT_H
#define PVB_PLOT_H

/* Run every plots/<name>.gp on dir (`gnuplot -c SCRIPT DIR FORMAT`) for png and svg.
 * Returns an exit code (PVB_EXIT_SKIP with a message when gnuplot is not installed). */
int pvb_plot_dir(const char *dir);
/* Is gnuplot on PATH? */
#include <stdbool.h>
bool pvb_plot_available(void);
/* Run one script of the plots directory, e.g. "compare/compare.gp", on dir for png and svg
 * (DIR/compare.png|svg), naming each file written on names. Returns an exit code
 * (PVB_EXIT_SKIP with a message when gnuplot is not installed). */
#include <stdio.h>
int pvb_plot_script(const char *script, const char *dir, FILE *names);
#endif

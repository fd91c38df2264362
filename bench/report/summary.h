/* summary.csv and the printed table, computed from iterations.csv. */
#ifndef PVB_SUMMARY_H
#define PVB_SUMMARY_H
#include <stdio.h>

/* Read DIR/iterations.csv, write DIR/summary.csv atomically, and print the readable table
 * to out (NULL: no table). Returns an exit code. */
int pvb_summary_write(const char *dir, FILE *out);
#endif

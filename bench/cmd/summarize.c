/* pvbench summarize DIR: recompute a results directory's summary.csv and speedup.csv and print
 * its table. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "pvbench.h"
#include "report/summary.h"

int pvb_cmd_summarize(int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '-') {
		fprintf(argc == 2 ? stdout : stderr,
			"usage: pvbench summarize DIR\n"
			"Recompute DIR/summary.csv and DIR/speedup.csv from DIR/iterations.csv\n"
			"and print the table (e.g. after a run was killed). Below n = 6 reboots\n"
			"there is no 95 %% interval: the CI fields are left empty.\n");
		return argc == 2 && !strcmp(argv[1], "--help") ? PVB_EXIT_OK : PVB_EXIT_USAGE;
	}
	return pvb_summary_write(argv[1], stdout);
}

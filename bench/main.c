/* pvbench: one binary, several subcommands. */
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cmd/cmd.h"
#include "pvbench.h"

static const struct pvb_command commands[] = {
	{ "info", "describe this host: KVM, capabilities, topology, THP, NUMA", pvb_cmd_info },
	{ "reboot", "reboot guests in a loop, sync vs async destroy, per phase", pvb_cmd_reboot },
	{ "summarize", "recompute summary.csv and the table of a results directory",
	  pvb_cmd_summarize },
	{ "plot", "render the gnuplot figures of a results directory", pvb_cmd_plot },
	{ "topo", "resolve the placement policies on this topology or a given one", pvb_cmd_topo },
	{ "sweep", "run every point of an INI sweep into one results directory", pvb_cmd_sweep },
	{ "calibrate", "fit the pv-emulated costs to a real pv run (a cost file)",
	  pvb_cmd_calibrate },
	{ "report", "the answer of one or more runs: medians, speedup, costs with CIs",
	  pvb_cmd_report },
	{ "compare", "compare two runs point by point: ratios, p-values, verdicts",
	  pvb_cmd_compare },
	{ "plan", "what a fleet's reboots cost the host, from models of measured runs",
	  pvb_cmd_plan },
	{ "merge", "combine runs and sweeps of several hosts into one dataset", pvb_cmd_merge },
	{ "stress", "abuse the reboot path with faults; check invariants after every event",
	  pvb_cmd_stress },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: pvbench COMMAND [options]   (pvbench COMMAND --help for more)\n\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "  %-10s %s\n", "help",
		"help CMD is CMD --help; --man CMD, --man-dir DIR, --completion: the docs");
	fprintf(f, "\npvbench %s (%s)\n", PVB_VERSION, pvb_git_rev);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return PVB_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "help") && argc > 2)
		return pvb_cmd_help(argc - 1, argv + 1, commands,
				    sizeof(commands) / sizeof(commands[0]));
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return PVB_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("pvbench %s (%s)\n", PVB_VERSION, pvb_git_rev);
		return PVB_EXIT_OK;
	}
	/* GSL's default handler aborts; pvbench checks every GSL result itself. */
	gsl_set_error_handler_off();
	pvb_install_signal_handlers();
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	pvb_err("unknown command '%s'", argv[1]);
	usage(stderr);
	return PVB_EXIT_USAGE;
}

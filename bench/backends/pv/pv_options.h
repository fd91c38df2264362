/* The options of the protected-guest backends (pv, pv-emulated), declared by them as
 * stress-ng stressors declare theirs: the table (options.h) that `pvbench reboot` merges
 * with its own, and where the values go. Every input file is checked once all options are
 * in, before any work starts. */
#ifndef PVB_PV_OPTIONS_H
#define PVB_PV_OPTIONS_H
#include <stdint.h>

#include "options.h"

#define PVB_PV_PATH_MAX 4096

/* The fields, also spliced unnamed into the reboot configuration (reboot/config.h). */
#define PVB_PV_OPTION_FIELDS                                                                  \
	uint64_t mem_limit; /* 0: unset; PVB_MEM_LIMIT_RAM (backend.h): the RAM size */       \
	char se_image[PVB_PV_PATH_MAX], se_header[PVB_PV_PATH_MAX], payload[PVB_PV_PATH_MAX]; \
	uint64_t se_tweak;                                                                    \
	char pv_costs[PVB_PV_PATH_MAX];                                                       \
	int pv_misc; /* -1: as the cost file says */

struct pvb_pv_options {
	PVB_PV_OPTION_FIELDS
};

/* Under "Protected guests (--backend pv, pv-emulated):"; writes a struct pvb_pv_options. */
extern const struct pvb_opt_table pvb_pv_option_table;

#endif

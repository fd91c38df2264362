/* Fitting the pv-emulated per-operation costs to a real `pv` run (calibrate.c); `pvbench
 * calibrate` (cmd/calibrate.c) writes the result as a cost file. */
#ifndef PVB_CALIBRATE_H
#define PVB_CALIBRATE_H
#include <stdbool.h>
#include <stddef.h>

#include "pvem.h"

/* ns = slope * pages + icept over the per-size medians; r2 NAN where undetermined. */
struct pvem_fit {
	double slope, icept, r2;
	int n; /* points fitted, before the per-size medians */
};

/* What a run says about the costs. */
struct pvem_calibration {
	char backend[64]; /* of the run: "pv", or "pv-emulated" for a self-check */
	int vcpus;
	struct pvem_fit destroy; /* DISABLE ns over pages written, sync reboots */
	struct pvem_fit import;	 /* populate ns over pages written, sync reboots */
	double zero_page_ns;	 /* the host's own cost of zeroing a page (host rows) */
	double touch_page_ns;	 /* the host's first touch of a page (host rows) */
	double enable_ns;	 /* median ENABLE..VERIFY, NAN if the run has none */
	int n_enable;
};

/*
 * Read dir/iterations.csv of a `pvbench reboot --backend pv` run (sync reboots of two or
 * more sizes, host reference rows) and fit; a pv-emulated run only with from_model. Returns
 * 0, or PVB_EXIT_USAGE / PVB_EXIT_FAIL with the reason printed.
 */
int pvem_calibrate_fit(const char *dir, bool from_model, struct pvem_calibration *cal);
/*
 * The fitted costs in s, everything else kept:
 *   destroy_page_ns    the destroy slope less the host's zeroing of a page (the model
 *                      zeroes for real, then charges destroy_page_ns on top)
 *   destroy_config_ns  the destroy intercept less destroy_cpu_ns per vCPU
 *   import_ns          the import slope less the host's first touch of a page (the model
 *                      faults for real, then charges import_ns)
 *   create_config_ns   the median ENABLE..VERIFY less set_sec_parms, verify, create_cpu
 */
void pvem_calibrate_apply(const struct pvem_calibration *cal, struct pvem_settings *s);
/* The cost file's comment: where the figures came from and what was kept (from base, or
 * the documented defaults when base is NULL). */
void pvem_calibrate_comment(const struct pvem_calibration *cal, const char *dir, bool from_model,
			    const char *base, char *buf, size_t len);

#endif

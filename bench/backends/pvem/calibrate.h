/* pvbench calibrate: fit pv-emulated costs to a real pv run (calibrate.c). */
#ifndef PVB_CALIBRATE_H
#define PVB_CALIBRATE_H

#endif

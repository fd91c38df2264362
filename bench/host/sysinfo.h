/* Host description: what `pvbench info` prints and every run's meta.json records. */
#ifndef PVB_SYSINFO_H
#define PVB_SYSINFO_H
#include <jansson.h>

#define PVB_KVM_DEV "/dev/kvm"

/* A JSON object describing the host: kernel, CPU, topology (hwloc), memory, THP and NUMA
 * settings, KVM API and capabilities, library versions, pvbench version and git revision.
 * Never fails as a whole: what cannot be read is recorded as null with a reason. */
json_t *pvb_sysinfo_json(void);

#endif

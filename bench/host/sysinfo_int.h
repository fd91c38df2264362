/* Inside the host description (sysinfo.c, kvmcaps.c): how a fact is stored, and the KVM
 * part. A fact that cannot be read is stored as null next to "<key>_error" saying why. */
#ifndef PVB_SYSINFO_INT_H
#define PVB_SYSINFO_INT_H
#include <jansson.h>

/* obj[key] = val (val is consumed); an out-of-memory failure is reported once per run. */
void pvb_si_put(json_t *obj, const char *key, json_t *val);
/* A JSON string from text that may not be valid UTF-8 (hostname, /proc contents). */
json_t *pvb_si_str(const char *s);
void pvb_si_put_str(json_t *obj, const char *key, const char *s);
void pvb_si_put_int(json_t *obj, const char *key, long long v);
/* key: null, and key_error: why. */
void pvb_si_put_err(json_t *obj, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A small sysfs/procfs file as a string; absent (ENOENT) with absent_why if given. */
void pvb_si_put_file(json_t *obj, const char *key, const char *path, const char *absent_why);

/* The "kvm" member: /dev/kvm, the API version and capabilities, the s390 protected-guest
 * side, module parameters and the modules loaded (kvmcaps.c). */
json_t *pvb_sysinfo_kvm_json(const char *machine);

#endif

/* What identifies an s390x LPAR (/proc/sysinfo) and what its Ultravisor offers
 * (/sys/firmware/uv/query), as JSON for meta.json's host.s390. */
#ifndef PVB_LPAR_H
#define PVB_LPAR_H
#include <jansson.h>

#define PVB_PROC_SYSINFO "/proc/sysinfo"
#define PVB_UV_QUERY_DIR "/sys/firmware/uv/query"

/*
 * The text of /proc/sysinfo (arch/s390/kernel/sysinfo.c) as an object: the machine
 * (manufacturer, type, model, sequence_code, plant, model_capacity, capacity_adj_ind,
 * capacity_change_reason), the LPAR (lpar_number, lpar_name, lpar_extended_name,
 * lpar_uuid, lpar_characteristics, dedicated, shared, capped (the "Limited"
 * characteristic), lpar_cpus_total, _configured, _standby, _reserved, _dedicated, _shared)
 * and the hypervisors above it (hypervisors: [{level, name, control_program}], e.g. z/VM
 * or KVM). A line that is absent leaves its member out; numbers are integers. NULL when
 * out of memory.
 */
json_t *pvb_lpar_parse(const char *text);
/* pvb_lpar_parse of the file at path; { "error": why } when it cannot be read. */
json_t *pvb_lpar_json(const char *path);
/* Every file of dir as "name": "contents" (trimmed); a file that cannot be read: its
 * error. NULL (errno set) when dir cannot be opened. */
json_t *pvb_uv_query_json(const char *dir);
/* host.s390: "sysinfo" (on s390x, else why not) and "uv_query" (else "not present"). */
json_t *pvb_s390_host_json(void);

#endif

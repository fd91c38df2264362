/* Thread names and TIDs: every thread pvbench creates names itself (pvb-...), and the
 * long-lived ones are recorded with their TID and role for meta.json; threads made for one
 * reboot only are described by their name pattern. */
#ifndef PVB_THREADS_H
#define PVB_THREADS_H
#include <jansson.h>
#include <stdbool.h>

/* Name the calling thread (printf-style; the kernel keeps 15 characters). With role non-NULL
 * the thread is long-lived: its TID, name and role go to meta.json's "threads". A name the
 * kernel refuses is warned about once. */
void pvb_thread_name(const char *role, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* meta.json's "threads": {"recorded": [{tid, name, role}], "patterns": {pattern: what}}. */
json_t *pvb_threads_json(void);
/* Forget the recorded threads (a new run in the same process). */
void pvb_threads_reset(void);

#endif

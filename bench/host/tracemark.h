/* --trace-marker: phase boundaries written to tracefs's trace_marker, so that perf trace,
 * trace-cmd and perf sched timelines line up with the rows. */
#ifndef PVB_TRACEMARK_H
#define PVB_TRACEMARK_H
#include <jansson.h>
#include <stdbool.h>

/* With on: open trace_marker once (/sys/kernel/tracing, then /sys/kernel/debug/tracing);
 * absent or unwritable is a skip, said on stderr with the reason. Before any other thread
 * marks. */
void pvb_trace_setup(bool on);
void pvb_trace_close(void);
/* Write "pvb: <text>" (nothing when not open). The first failed write is warned about;
 * failures are counted for meta.json. */
void pvb_trace_mark(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* meta.json's "trace_marker": {enabled, path, skipped, written, failed}. */
json_t *pvb_trace_json(void);

#endif

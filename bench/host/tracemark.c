/* --trace-marker (tracemark.h): one descriptor of tracefs's trace_marker, opened once. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pvbench.h"
#include "tracemark.h"

static const char *const paths[] = { "/sys/kernel/tracing/trace_marker",
				     "/sys/kernel/debug/tracing/trace_marker" };

/* Set by pvb_trace_setup before other threads mark; the counts are atomics. */
static struct {
	bool on;
	int fd;
	const char *path;
	char skipped[256];
	unsigned long written, failed;
} tm = { .fd = -1 };

void pvb_trace_setup(bool on)
{
	int e = ENOENT;

	memset(&tm, 0, sizeof(tm));
	tm.fd = -1;
	tm.on = on;
	if (!on)
		return;
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]) && tm.fd < 0; i++) {
		tm.fd = open(paths[i], O_WRONLY | O_CLOEXEC);
		if (tm.fd >= 0)
			tm.path = paths[i];
		else if (i == 0 || errno != ENOENT)
			e = errno; /* the first path's reason, unless the second says more */
	}
	if (tm.fd >= 0)
		return;
	snprintf(tm.skipped, sizeof(tm.skipped), "%s: %s%s", paths[0], strerror(e),
		 e == ENOENT		   ? " (tracefs not mounted: mount -t tracefs nodev "
					     "/sys/kernel/tracing)" :
		 e == EACCES || e == EPERM ? " (needs root or write access to tracefs)" :
					     "");
	pvb_warn("--trace-marker: skipped, %s", tm.skipped);
}

void pvb_trace_close(void)
{
	if (tm.fd >= 0 && close(tm.fd))
		pvb_perror("close of %s", tm.path);
	tm.fd = -1;
}

void pvb_trace_mark(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	if (tm.fd < 0)
		return;
	n = snprintf(buf, sizeof(buf), "pvb: ");
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	if (write(tm.fd, buf, (size_t)n) == n) {
		__atomic_add_fetch(&tm.written, 1, __ATOMIC_RELAXED);
		return;
	}
	if (__atomic_fetch_add(&tm.failed, 1, __ATOMIC_RELAXED) == 0)
		pvb_perror("--trace-marker: writing %s (tracing off? echo 1 > tracing_on)",
			   tm.path);
}

json_t *pvb_trace_json(void)
{
	json_t *o = json_object();

	json_object_set_new(o, "enabled", json_boolean(tm.on));
	json_object_set_new(o, "path", tm.path ? json_string(tm.path) : json_null());
	json_object_set_new(o, "skipped", tm.skipped[0] ? json_string(tm.skipped) : json_null());
	json_object_set_new(
		o, "written",
		json_integer((json_int_t)__atomic_load_n(&tm.written, __ATOMIC_RELAXED)));
	json_object_set_new(
		o, "failed",
		json_integer((json_int_t)__atomic_load_n(&tm.failed, __ATOMIC_RELAXED)));
	return o;
}

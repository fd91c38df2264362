/* /proc/vmstat counters (vmstat.h): the parser of the fixed list of names, one descriptor
 * opened once and read with pread, and the deltas of a window. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "pvbench.h"
#include "vmstat.h"

#define VMSTAT_MAX 32768 /* /proc/vmstat is about 6 KiB on 6.x kernels */

#define PVB_VMSTAT_NAME(a, id, name) name,
const char *const pvb_vmstat_names[PVB_VM_N] = { PVB_VMSTAT_FIELDS(PVB_VMSTAT_NAME, _) };

/* The field a line's name counts into, or -1. */
static int field_of(const char *name, size_t n)
{
	static const char stall[] = "allocstall";

	if (n >= sizeof(stall) - 1 && !memcmp(name, stall, sizeof(stall) - 1) &&
	    (n == sizeof(stall) - 1 || name[sizeof(stall) - 1] == '_'))
		return PVB_VM_ALLOCSTALL;
	for (int i = 0; i < PVB_VM_N; i++)
		if (strlen(pvb_vmstat_names[i]) == n && !memcmp(pvb_vmstat_names[i], name, n))
			return i;
	return -1;
}

/* The unsigned decimal at p (up to end); -1 if there is none. */
static int parse_value(const char *p, const char *end, uint64_t *out)
{
	uint64_t v = 0;
	const char *start;

	while (p < end && *p == ' ')
		p++;
	start = p;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (p == start || (p < end && *p != '\n'))
		return -1;
	*out = v;
	return 0;
}

int pvb_vmstat_parse(const char *text, size_t len, uint64_t v[PVB_VM_N], bool present[PVB_VM_N])
{
	const char *p = text, *end = text + len;

	memset(v, 0, sizeof(uint64_t) * PVB_VM_N);
	memset(present, 0, sizeof(bool) * PVB_VM_N);
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *sp;
		uint64_t x;
		int f;

		if (!eol)
			eol = end;
		sp = memchr(p, ' ', (size_t)(eol - p));
		f = sp ? field_of(p, (size_t)(sp - p)) : -1;
		if (f >= 0) {
			if (parse_value(sp, eol, &x))
				return -1;
			v[f] += x;
			present[f] = true;
		}
		p = eol + 1;
	}
	return 0;
}

/* The whole file into buf (NUL-terminated); its length, or -1. */
static ssize_t read_all(int fd, char *buf, size_t cap)
{
	size_t n = 0;

	for (;;) {
		ssize_t r = pread(fd, buf + n, cap - 1 - n, (off_t)n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		n += (size_t)r;
		if (n == cap - 1) {
			errno = EFBIG;
			return -1;
		}
	}
	buf[n] = '\0';
	return (ssize_t)n;
}

/* Read and parse the whole file. 0, or -1 (errno set). */
static int read_parse(int fd, uint64_t v[PVB_VM_N], bool present[PVB_VM_N])
{
	char buf[VMSTAT_MAX];
	ssize_t n = read_all(fd, buf, sizeof(buf));

	if (n < 0)
		return -1;
	if (pvb_vmstat_parse(buf, (size_t)n, v, present)) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int pvb_vmstat_open(struct pvb_vmstat *vs, const char *path)
{
	uint64_t v[PVB_VM_N];

	memset(vs, 0, sizeof(*vs));
	vs->fd = -1;
	if (!path)
		path = "/proc/vmstat";
	vs->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (vs->fd < 0) {
		pvb_perror("vmstat columns: %s", path);
		return -1;
	}
	if (read_parse(vs->fd, v, vs->present)) {
		pvb_perror("vmstat columns: reading %s", path);
		pvb_vmstat_close(vs);
		memset(vs->present, 0, sizeof(vs->present));
		return -1;
	}
	vs->opened = true;
	return 0;
}

void pvb_vmstat_close(struct pvb_vmstat *vs)
{
	if (vs->fd >= 0 && close(vs->fd))
		pvb_perror("close of /proc/vmstat");
	vs->fd = -1; /* present stays: what this kernel had, for meta.json */
}

int pvb_vmstat_read(const struct pvb_vmstat *vs, struct pvb_vmstat_snap *s)
{
	bool present[PVB_VM_N];

	s->ok = false;
	if (vs->fd < 0 || read_parse(vs->fd, s->v, present))
		return -1;
	/* a field seen at open and gone now: not this kernel's file */
	for (int i = 0; i < PVB_VM_N; i++)
		if (vs->present[i] && !present[i])
			return -1;
	s->ok = true;
	return 0;
}

int64_t pvb_vmstat_delta(const struct pvb_vmstat *vs, const struct pvb_vmstat_snap *a,
			 const struct pvb_vmstat_snap *b, int i)
{
	if (i < 0 || i >= PVB_VM_N || !a->ok || !b->ok || !vs->present[i] || b->v[i] < a->v[i] ||
	    b->v[i] - a->v[i] > INT64_MAX)
		return -1;
	return (int64_t)(b->v[i] - a->v[i]);
}

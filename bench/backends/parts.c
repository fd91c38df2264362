/* Sub-phase accounting by laps of the one clock, and the --release strategies (parts.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "parse.h"
#include "parts.h"
#include "pvbench.h"
#include "timing.h"

const char *const pvb_create_part_names[PVB_CP_N] = { "mmap", "advise", "memslot", "vm", "load" };
const char *const pvb_cleanup_part_names[PVB_XP_N] = { "vcpu", "vm", "memslot", "scrub",
						       "release" };

void pvb_parts_begin(struct pvb_parts *p, uint64_t t)
{
	memset(p, 0, sizeof(*p));
	p->t_start = p->t_end = t;
	p->first = p->last = -1;
}

uint64_t pvb_parts_lap_at(struct pvb_parts *p, int part, uint64_t now)
{
	if (part < 0 || part >= PVB_PARTS_MAX)
		return now;
	if (now < p->t_end) /* not monotonic: cannot happen with one clock */
		now = p->t_end;
	p->ns[part] += now - p->t_end;
	p->t_end = now;
	if (p->first < 0)
		p->first = part;
	p->last = part;
	return now;
}

uint64_t pvb_parts_lap(struct pvb_parts *p, int part)
{
	return pvb_parts_lap_at(p, part, pvb_now_ns());
}

void pvb_parts_move(struct pvb_parts *p, int from, int to, uint64_t ns)
{
	if (from < 0 || from >= PVB_PARTS_MAX || to < 0 || to >= PVB_PARTS_MAX)
		return;
	if (ns > p->ns[from])
		ns = p->ns[from];
	p->ns[from] -= ns;
	p->ns[to] += ns;
}

void pvb_parts_fit(struct pvb_parts *p, uint64_t start, uint64_t end)
{
	if (p->first < 0 || start > p->t_start || end < p->t_end)
		return;
	p->ns[p->first] += p->t_start - start;
	p->ns[p->last] += end - p->t_end;
	p->t_start = start;
	p->t_end = end;
}

uint64_t pvb_parts_sum(const struct pvb_parts *p)
{
	uint64_t s = 0;

	for (int i = 0; i < PVB_PARTS_MAX; i++)
		s += p->ns[i];
	return s;
}

int pvb_release_parse(const char *s, struct pvb_release_how *out)
{
	static const char dn[] = "dontneed-slices";
	uint64_t mib;

	if (!strcmp(s, "munmap")) {
		*out = (struct pvb_release_how){ PVB_RELEASE_MUNMAP, 0 };
		return 0;
	}
	if (strncmp(s, dn, sizeof(dn) - 1))
		return -1;
	s += sizeof(dn) - 1;
	if (!*s) {
		*out = (struct pvb_release_how){ PVB_RELEASE_DONTNEED, PVB_RELEASE_SLICE_DEFAULT };
		return 0;
	}
	if (*s != ':' || pvb_parse_uint(s + 1, 1, 65536, &mib))
		return -1;
	*out = (struct pvb_release_how){ PVB_RELEASE_DONTNEED, mib << 20 };
	return 0;
}

void pvb_release_name(const struct pvb_release_how *h, char *buf, size_t len)
{
	if (h->kind == PVB_RELEASE_MUNMAP)
		snprintf(buf, len, "munmap");
	else
		snprintf(buf, len, "dontneed-slices:%llu", (unsigned long long)(h->slice >> 20));
}

int pvb_release_range(void *base, uint64_t len, const struct pvb_release_how *h,
		      volatile uint64_t *progress)
{
	uint64_t slice = h->slice ? h->slice : PVB_RELEASE_SLICE_DEFAULT;
	int rc = 0, e = 0;

	if (!len)
		return 0;
	/* dontneed-slices: the munmap write lock is never held for long while the pages go */
	for (uint64_t off = 0; h->kind == PVB_RELEASE_DONTNEED && off < len; off += slice) {
		uint64_t n = len - off < slice ? len - off : slice;

		if (madvise((char *)base + off, n, MADV_DONTNEED)) {
			e = errno;
			pvb_perror("madvise(MADV_DONTNEED) of guest RAM");
			rc = -1;
			break;
		}
		if (progress)
			__atomic_add_fetch(progress, n, __ATOMIC_RELAXED);
	}
	if (munmap(base, len)) {
		e = errno;
		pvb_perror("munmap of guest RAM");
		rc = -1;
	} else if (progress && h->kind == PVB_RELEASE_MUNMAP) {
		__atomic_add_fetch(progress, len, __ATOMIC_RELAXED);
	}
	if (rc)
		errno = e;
	return rc;
}

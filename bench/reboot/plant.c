/* --plant: one deliberate defect in a reboot worker, test-only, so that `pvbench stress`
 * can show each of its checks failing (stale-data, leak-fd, skip-release, corrupt-row). */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pvbench.h"
#include "reboot_int.h"

const char *pvb_plant_name(enum pvb_plant k)
{
	return k == PVB_PLANT_STALE	   ? "stale-data" :
	       k == PVB_PLANT_LEAK_FD	   ? "leak-fd" :
	       k == PVB_PLANT_SKIP_RELEASE ? "skip-release" :
	       k == PVB_PLANT_CORRUPT_ROW  ? "corrupt-row" :
					     "none";
}

/* leak-fd: one descriptor per reboot, never closed. */
static int leak_fd(void)
{
	int fd = open("/dev/null", O_RDONLY);

	if (fd < 0) {
		pvb_perror("--plant leak-fd: /dev/null");
		return PVB_EXIT_FAIL;
	}
	return 0;
}

/* skip-release: the cleanup does not give the old guest's memory back: as much memory,
 * written, stays taken (in a memfd, outside the worker's RSS, as memory a kernel failed to
 * free would be), up to 1 GiB in all: plenty for the check to see. */
static int skip_release(uint64_t size)
{
	static uint64_t kept;
	static char page[4096];
	int fd;

	if (kept >= PVB_GIB)
		return 0;
	kept += size;
	memset(page, 0x5a, sizeof(page));
	fd = memfd_create("pvbench-plant-skip-release", MFD_CLOEXEC);
	if (fd < 0) {
		pvb_perror("--plant skip-release: memfd_create");
		return PVB_EXIT_FAIL;
	}
	for (uint64_t off = 0; off < size; off += sizeof(page))
		if (pwrite(fd, page, sizeof(page), (off_t)off) != (ssize_t)sizeof(page)) {
			pvb_perror("--plant skip-release: writing %llu bytes",
				   (unsigned long long)size);
			close(fd);
			return PVB_EXIT_FAIL;
		}
	return 0; /* fd kept open: the memory stays taken */
}

/* corrupt-row: once, a row cut short, as a torn write would leave it. */
static int corrupt_row(struct run *r)
{
	static const char broken[] = "pv-emulated,67108864,sync,\"torn\n";
	ssize_t n;

	pthread_mutex_lock(&r->rows_lock);
	n = write(r->csv.fd, broken, sizeof(broken) - 1);
	pthread_mutex_unlock(&r->rows_lock);
	if (n != (ssize_t)sizeof(broken) - 1) {
		pvb_perror("--plant corrupt-row: writing the broken row");
		return PVB_EXIT_FAIL;
	}
	return 0;
}

int pvb_plant_after_row(struct lane *l, int iter)
{
	switch (l->r->cfg->plant) {
	case PVB_PLANT_LEAK_FD:
		return leak_fd();
	case PVB_PLANT_SKIP_RELEASE:
		return skip_release(l->size);
	case PVB_PLANT_CORRUPT_ROW:
		return iter == 1 && l->id == 0 ? corrupt_row(l->r) : 0;
	default:
		return 0; /* stale-data is the backends' debug_dirty hook */
	}
}

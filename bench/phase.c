/* The phase file (phase.h): the worker's relaxed stores of each thread's phase, and the
 * supervisor's side that creates, maps and reads it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "phase.h"
#include "pvbench.h"

const char *const pvb_phase_names[PVB_PHASE_COUNT] = {
	"none",	    "boot",   "request", "stop", "create",  "start",
	"populate", "record", "end",	 "idle", "cleanup", "perform",
};

/* Set before any lane or cleanup thread starts, cleared after they have all ended. */
static struct pvb_phase_map *map;
static __thread struct pvb_phase_slot *slot;
static __thread enum pvb_phase current;

int pvb_phase_open(const char *path, int lanes)
{
	struct stat st;
	void *p;
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		pvb_perror("--phase-file %s", path);
		return PVB_EXIT_USAGE;
	}
	if (fstat(fd, &st) || st.st_size != (off_t)sizeof(*map)) {
		pvb_err("--phase-file %s: not a phase file (%lld bytes, want %zu)", path,
			(long long)st.st_size, sizeof(*map));
		close(fd);
		return PVB_EXIT_USAGE;
	}
	p = mmap(NULL, sizeof(*map), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		pvb_perror("--phase-file %s: mmap", path);
		return PVB_EXIT_FAIL;
	}
	map = p;
	map->version = PVB_PHASE_VERSION;
	map->pid = (int32_t)getpid();
	map->lanes = (uint32_t)(lanes < PVB_PHASE_SLOTS ? lanes : PVB_PHASE_SLOTS);
	__atomic_store_n(&map->magic, PVB_PHASE_MAGIC, __ATOMIC_RELEASE);
	return 0;
}

void pvb_phase_close(void)
{
	if (map && munmap(map, sizeof(*map)))
		pvb_perror("--phase-file: munmap");
	map = NULL;
	slot = NULL; /* the caller's; every other bound thread has ended */
}

void pvb_phase_bind_lane(int i)
{
	slot = map && i >= 0 && i < PVB_PHASE_SLOTS ? &map->lane[i] : NULL;
	current = PVB_PHASE_NONE;
}

void pvb_phase_bind_cleanup(int i)
{
	slot = map && i >= 0 && i < PVB_PHASE_SLOTS ? &map->cleanup[i] : NULL;
	current = PVB_PHASE_NONE;
}

enum pvb_phase pvb_phase_set(enum pvb_phase p)
{
	enum pvb_phase was = current;

	if (!slot)
		return was;
	current = p;
	__atomic_store_n(&slot->phase, (uint32_t)p, __ATOMIC_RELAXED);
	__atomic_store_n(&slot->seq, __atomic_load_n(&slot->seq, __ATOMIC_RELAXED) + 1,
			 __ATOMIC_RELAXED);
	return was;
}

bool pvb_phase_bound(void)
{
	return slot != NULL;
}

struct pvb_phase_map *pvb_phase_create(const char *path)
{
	void *p;
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0) {
		pvb_perror("stress: creating the phase file %s", path);
		return NULL;
	}
	if (ftruncate(fd, (off_t)sizeof(struct pvb_phase_map))) {
		pvb_perror("stress: sizing the phase file %s", path);
		close(fd);
		return NULL;
	}
	p = mmap(NULL, sizeof(struct pvb_phase_map), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		pvb_perror("stress: mapping the phase file %s", path);
		return NULL;
	}
	return p;
}

void pvb_phase_unmap(struct pvb_phase_map *m)
{
	if (m && munmap(m, sizeof(*m)))
		pvb_perror("stress: unmapping a phase file");
}

bool pvb_phase_ready(const struct pvb_phase_map *m)
{
	return __atomic_load_n(&m->magic, __ATOMIC_ACQUIRE) == PVB_PHASE_MAGIC;
}

enum pvb_phase pvb_phase_read(const struct pvb_phase_slot *s)
{
	uint32_t p = __atomic_load_n(&s->phase, __ATOMIC_RELAXED);

	return p < PVB_PHASE_COUNT ? (enum pvb_phase)p : PVB_PHASE_NONE;
}

static void add(char *buf, size_t len, size_t *u, const char *who, int i, enum pvb_phase p)
{
	int n;

	if (p == PVB_PHASE_NONE || *u >= len)
		return;
	n = snprintf(buf + *u, len - *u, "%s%s%d=%s", *u ? " " : "", who, i, pvb_phase_names[p]);
	if (n > 0)
		*u += (size_t)n;
}

void pvb_phase_describe(const struct pvb_phase_map *m, char *buf, size_t len)
{
	size_t u = 0;

	buf[0] = '\0';
	if (!pvb_phase_ready(m)) {
		snprintf(buf, len, "no phases published yet");
		return;
	}
	for (int i = 0; i < PVB_PHASE_SLOTS; i++) {
		add(buf, len, &u, "lane", i, pvb_phase_read(&m->lane[i]));
		add(buf, len, &u, "clean", i, pvb_phase_read(&m->cleanup[i]));
	}
}

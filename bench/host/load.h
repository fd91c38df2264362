/* Co-runner load: a stress-ng profile from workloads/load/, placed with the same resolver
 * as the cleanup thread, started before a run and stopped after it. */
#ifndef PVB_LOAD_H
#define PVB_LOAD_H
#include <hwloc.h>
#include <jansson.h>
#include <sys/types.h>

struct pvb_load {
	char name[64], path[4096], description[256], placement[256];
	char args[1024]; /* stress-ng arguments, whitespace-separated */
	char log[4200];	 /* stress-ng's output */
	pid_t pid;	 /* 0: not running */
	char cpus[256];	 /* the cpuset it was started on */
};

/* Find and parse profile name (or a path). Returns 0, or PVB_EXIT_USAGE with a message. */
int pvb_load_parse(const char *name, struct pvb_load *l);
/* Start stress-ng bound to set (NULL: unpinned), output into log_path. Returns 0, or an exit
 * code (PVB_EXIT_SKIP when stress-ng is not installed) with a message. */
int pvb_load_start(struct pvb_load *l, hwloc_const_cpuset_t set, const char *log_path);
/* SIGTERM the load's process group, wait (SIGKILL after 5 s). Returns 0, or -1. */
int pvb_load_stop(struct pvb_load *l);
json_t *pvb_load_json(const struct pvb_load *l);

#endif

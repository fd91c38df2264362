/* Co-runner load: a stress-ng profile from workloads/load/ parsed, started on its placement
 * before a run, stopped and summarised after it (load.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "datadir.h"
#include "load.h"
#include "pvbench.h"
#include "timing.h"

/* The profile file for name: a path as given, else $PVB_LOAD_DIR/<name>.conf, else
 * workloads/load/<name>.conf in pvbench's data directory (datadir.h). Returns 0, or -1 with
 * tried saying where it looked. */
static int find_profile(const char *name, char *out, size_t len, char *tried, size_t tried_len)
{
	const char *env = getenv("PVB_LOAD_DIR");
	char rel[NAME_MAX + 32], dir[PATH_MAX];

	if (strchr(name, '/')) {
		snprintf(out, len, "%s", name);
		snprintf(tried, tried_len, "%s", name);
		return access(out, R_OK);
	}
	if (env && *env) {
		snprintf(out, len, "%s/%s.conf", env, name);
		snprintf(tried, tried_len, "%s (PVB_LOAD_DIR)", out);
		return access(out, R_OK);
	}
	if (snprintf(rel, sizeof(rel), "workloads/load/%s.conf", name) >= (int)sizeof(rel))
		return -1;
	if (pvb_data_path(rel, dir, sizeof(dir), tried, tried_len))
		return -1;
	if (snprintf(out, len, "%s/%s", dir, rel) >= (int)len)
		return -1;
	return access(out, R_OK);
}

int pvb_load_parse(const char *name, struct pvb_load *l)
{
	char line[1024], tried[4 * PATH_MAX];
	FILE *f;
	int lineno = 0;

	memset(l, 0, sizeof(*l));
	snprintf(l->name, sizeof(l->name), "%s", name);
	snprintf(l->placement, sizeof(l->placement), "unpinned");
	if (find_profile(name, l->path, sizeof(l->path), tried, sizeof(tried))) {
		pvb_err("--load %s: no such profile (profiles are workloads/load/NAME.conf: cpu, "
			"membw, pagefault; or give a path; looked in: %s; set PVB_LOAD_DIR or "
			"PVBENCH_DATADIR)",
			name, tried);
		return PVB_EXIT_USAGE;
	}
	f = fopen(l->path, "r");
	if (!f) {
		pvb_perror("--load: %s", l->path);
		return PVB_EXIT_USAGE;
	}
	while (fgets(line, sizeof(line), f)) {
		char *eq, *key = line, *val;

		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		while (*key == ' ' || *key == '\t')
			key++;
		if (!*key || *key == '#')
			continue;
		eq = strchr(key, '=');
		if (!eq)
			goto bad;
		val = eq + 1;
		while (eq > key && (eq[-1] == ' ' || eq[-1] == '\t'))
			eq--;
		*eq = '\0';
		while (*val == ' ' || *val == '\t')
			val++;
		if (!strcmp(key, "description"))
			snprintf(l->description, sizeof(l->description), "%s", val);
		else if (!strcmp(key, "stress-ng"))
			snprintf(l->args, sizeof(l->args), "%s", val);
		else if (!strcmp(key, "placement"))
			snprintf(l->placement, sizeof(l->placement), "%s", val);
		else
			goto bad;
	}
	fclose(f);
	if (!l->args[0]) {
		pvb_err("--load %s: %s has no 'stress-ng = ARGS' line", name, l->path);
		return PVB_EXIT_USAGE;
	}
	return 0;
bad:
	pvb_err("--load %s: %s:%d: expected 'description', 'stress-ng' or 'placement' = VALUE",
		name, l->path, lineno);
	fclose(f);
	return PVB_EXIT_USAGE;
}

static int have_stress_ng(void)
{
	const char *path = getenv("PATH");
	char buf[4096], *save, *dir, full[4200];

	snprintf(buf, sizeof(buf), "%s", path && *path ? path : "/usr/bin:/bin");
	for (dir = strtok_r(buf, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		snprintf(full, sizeof(full), "%s/stress-ng", dir);
		if (access(full, X_OK) == 0)
			return 1;
	}
	return 0;
}

int pvb_load_start(struct pvb_load *l, hwloc_const_cpuset_t set, const char *log_path)
{
	char args[1024], *argv[64], *save, *tok;
	char prog[] = "stress-ng", metrics[] = "--metrics-brief";
	cpu_set_t cpus;
	int argc = 0, fd;
	pid_t pid;

	if (!have_stress_ng()) {
		pvb_err("skipped: --load %s needs stress-ng: install it (scripts/setup.sh, or "
			"apt-get install stress-ng)",
			l->name);
		return PVB_EXIT_SKIP;
	}
	snprintf(args, sizeof(args), "%s", l->args);
	argv[argc++] = prog;
	for (tok = strtok_r(args, " \t", &save); tok && argc < 60;
	     tok = strtok_r(NULL, " \t", &save))
		argv[argc++] = tok;
	argv[argc++] = metrics;
	argv[argc] = NULL;
	snprintf(l->log, sizeof(l->log), "%s", log_path);
	CPU_ZERO(&cpus);
	if (set) {
		int i;

		hwloc_bitmap_foreach_begin(i, set) if (i < CPU_SETSIZE) CPU_SET(i, &cpus);
		hwloc_bitmap_foreach_end();
	}
	fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		pvb_perror("--load: %s", log_path);
		return PVB_EXIT_FAIL;
	}
	pid = fork();
	if (pid < 0) {
		pvb_perror("fork for stress-ng");
		close(fd);
		return PVB_EXIT_FAIL;
	}
	if (pid == 0) {
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		setpgid(0, 0);
		if (set && sched_setaffinity(0, sizeof(cpus), &cpus))
			_exit(126);
		if (dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(126);
		execvp("stress-ng", argv);
		_exit(127);
	}
	close(fd);
	setpgid(pid, pid);
	l->pid = pid;
	if (sched_getaffinity(pid, sizeof(cpus), &cpus) == 0) {
		size_t n = 0;

		l->cpus[0] = '\0';
		for (int i = 0; i < CPU_SETSIZE && n < sizeof(l->cpus) - 8; i++)
			if (CPU_ISSET(i, &cpus))
				n += (size_t)snprintf(l->cpus + n, sizeof(l->cpus) - n, "%s%d",
						      n ? "," : "", i);
	}
	/* Let it spin up before anything is measured, and catch an early failure. */
	pvb_sleep_ns(500000000ULL);
	{
		int status;

		if (waitpid(pid, &status, WNOHANG) == pid) {
			l->pid = 0;
			pvb_err("--load %s: stress-ng exited at once (status %d); see %s", l->name,
				WIFEXITED(status) ? WEXITSTATUS(status) : -1, log_path);
			return PVB_EXIT_FAIL;
		}
	}
	return 0;
}

int pvb_load_stop(struct pvb_load *l)
{
	uint64_t deadline;
	int status;

	if (!l->pid)
		return 0;
	if (kill(-l->pid, SIGTERM) && errno != ESRCH)
		pvb_perror("stopping stress-ng");
	deadline = pvb_now_ns() + 5000000000ULL;
	for (;;) {
		pid_t w = waitpid(l->pid, &status, WNOHANG);

		if (w == l->pid || (w < 0 && errno != EINTR))
			break;
		if (pvb_now_ns() > deadline) {
			kill(-l->pid, SIGKILL);
			waitpid(l->pid, &status, 0);
			break;
		}
		pvb_sleep_ns(10000000ULL);
	}
	/* stress-ng's workers are in its process group; make sure none outlives it. */
	kill(-l->pid, SIGKILL);
	l->pid = 0;
	return 0;
}

json_t *pvb_load_json(const struct pvb_load *l)
{
	json_t *o = json_object();

	json_object_set_new(o, "name", json_string(l->name));
	json_object_set_new(o, "profile", json_string(l->path));
	json_object_set_new(o, "description", json_string(l->description));
	json_object_set_new(o, "stress_ng_args", json_string(l->args));
	json_object_set_new(o, "placement", json_string(l->placement));
	json_object_set_new(o, "cpus", json_string(l->cpus));
	json_object_set_new(o, "log", json_string(l->log));
	return o;
}

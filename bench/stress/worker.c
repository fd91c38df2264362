/* A worker: `pvbench reboot` as a child (posix_spawn of /proc/self/exe, in its own process
 * group), its rows as they appear, its fds, threads and RSS from /proc, and its end. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host/meminfo.h"
#include "pvbench.h"
#include "stress_int.h"
#include "timing.h"

extern char **environ;

/* A child's spawn attributes: its own process group, no blocked signals, SIGINT and
 * SIGTERM at their defaults. 0, or an errno. */
static int spawn_attrs(posix_spawnattr_t *at)
{
	sigset_t none, dfl;
	int e;

	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGINT);
	sigaddset(&dfl, SIGTERM);
	if ((e = posix_spawnattr_setpgroup(at, 0)) || (e = posix_spawnattr_setsigmask(at, &none)) ||
	    (e = posix_spawnattr_setsigdefault(at, &dfl)))
		return e;
	return posix_spawnattr_setflags(at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
						    POSIX_SPAWN_SETSIGDEF);
}

/* stdin from /dev/null; stdout and stderr to log, or stdout to /dev/null and stderr to log */
static int spawn_files(posix_spawn_file_actions_t *fa, const char *log, bool stdout_log)
{
	int e;

	if ((e = posix_spawn_file_actions_addopen(fa, 0, "/dev/null", O_RDONLY, 0)))
		return e;
	if (stdout_log) {
		if ((e = posix_spawn_file_actions_addopen(fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC,
							  0644)))
			return e;
		return posix_spawn_file_actions_adddup2(fa, 1, 2);
	}
	if ((e = posix_spawn_file_actions_addopen(fa, 1, "/dev/null", O_WRONLY, 0)))
		return e;
	return posix_spawn_file_actions_addopen(fa, 2, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
}

int pvb_spawn_logged(pid_t *pid, const char *file, char **argv, const char *log, bool stdout_log)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	int e;

	if ((e = posix_spawn_file_actions_init(&fa)))
		return e;
	if ((e = posix_spawnattr_init(&at))) {
		posix_spawn_file_actions_destroy(&fa);
		return e;
	}
	if (!(e = spawn_files(&fa, log, stdout_log)) && !(e = spawn_attrs(&at)))
		e = posix_spawnp(pid, file, &fa, &at, argv, environ);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	return e;
}

int pvb_worker_spawn(struct pvb_worker *w, const char *backend, const char *out)
{
	char buf[8192], *args[64], log[4300], name[] = "pvbench", cmd[] = "reboot";
	int n, e;

	snprintf(w->dir, sizeof(w->dir), "%s/workers/%03d", out, w->cfg.id);
	snprintf(log, sizeof(log), "%s/workers/%03d.log", out, w->cfg.id);
	args[0] = name;
	args[1] = cmd;
	n = pvb_stress_worker_args(&w->cfg, backend, w->dir, buf, sizeof(buf), args + 2, 60);
	if (n < 0) {
		pvb_err("stress: worker %d: its command line does not fit", w->cfg.id);
		return PVB_EXIT_FAIL;
	}
	if ((e = pvb_spawn_logged(&w->pid, "/proc/self/exe", args, log, false))) {
		errno = e;
		pvb_perror("stress: starting worker %d (/proc/self/exe reboot)", w->cfg.id);
		w->pid = 0;
		return PVB_EXIT_FAIL;
	}
	w->t_start = pvb_now_ns();
	return 0;
}

long pvb_worker_new_rows(struct pvb_worker *w)
{
	char path[4200], buf[65536];
	bool header = w->csv_off == 0;
	long rows = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/iterations.csv", w->dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	while ((n = pread(fd, buf, sizeof(buf), w->csv_off)) > 0) {
		ssize_t last = -1;

		for (ssize_t i = 0; i < n; i++)
			if (buf[i] == '\n') {
				rows++;
				last = i;
			}
		if (last < 0)
			break; /* a row still being written: next time */
		w->csv_off += last + 1;
	}
	close(fd);
	if (n < 0)
		return -1;
	if (header && rows > 0)
		rows--; /* the header */
	w->rows += rows;
	return rows;
}

static int64_t count_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int64_t n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static int64_t status_field(const char *path, const char *key)
{
	char buf[8192], *p;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strstr(buf, key);
	return p ? strtoll(p + strlen(key), NULL, 10) : -1;
}

/* KiB resident in PID's mappings flagged "dd" (MADV_DONTDUMP): the guest RAM the backends
 * map, which rises and falls with every create and populate and is no leak of the harness. */
static int64_t dontdump_rss_kib(pid_t pid)
{
	char path[64], *line = NULL;
	size_t cap = 0;
	int64_t rss = 0, sum = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (getline(&line, &cap, f) > 0) {
		if (!strncmp(line, "Rss:", 4))
			rss = strtoll(line + 4, NULL, 10);
		else if (!strncmp(line, "VmFlags:", 8) && strstr(line, " dd"))
			sum += rss;
	}
	free(line);
	fclose(f);
	return sum;
}

static void keep_min(int64_t *m, int64_t v)
{
	if (*m < 0 || v < *m)
		*m = v;
}

int pvb_worker_sample(struct pvb_worker *w)
{
	char path[64];
	int64_t fds, threads, rss, guest;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)w->pid);
	fds = count_dir(path);
	snprintf(path, sizeof(path), "/proc/%d/status", (int)w->pid);
	threads = status_field(path, "Threads:");
	rss = status_field(path, "VmRSS:");
	guest = dontdump_rss_kib(w->pid);
	if (fds < 0 || threads < 0 || rss < 0 || guest < 0)
		return -1;
	rss = rss > guest ? rss - guest : 0;
	w->ticks_since++;
	keep_min(&w->min_fds, fds);
	keep_min(&w->min_threads, threads);
	keep_min(&w->min_rss, rss * 1024);
	return 0;
}

void pvb_worker_sample_row(struct pvb_worker *w)
{
	/* a round: as many rows as guests, and long enough to have seen the worker at rest */
	if (++w->rows_since < w->cfg.guests || w->ticks_since < 3)
		return;
	w->rows_since = w->ticks_since = 0;
	if (w->min_fds >= 0 && w->min_threads >= 0 && w->min_rss >= 0 &&
	    w->nsamples < STRESS_MAX_SAMPLES) {
		w->fds[w->nsamples] = w->min_fds;
		w->threads[w->nsamples] = w->min_threads;
		w->rss[w->nsamples] = w->min_rss;
		w->nsamples++;
	}
	w->min_fds = w->min_threads = w->min_rss = -1;
}

bool pvb_worker_reaped(struct pvb_worker *w)
{
	int st;
	pid_t p;

	if (w->exited)
		return true;
	p = waitpid(w->pid, &st, WNOHANG);
	if (p != w->pid)
		return false;
	w->exited = true;
	w->t_exit = pvb_now_ns();
	w->killed = WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;
	w->exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return true;
}

void pvb_worker_signal(struct pvb_worker *w, int sig)
{
	if (w->pid > 0 && !w->exited && kill(-w->pid, sig) && errno != ESRCH)
		pvb_perror("stress: signalling worker %d", w->cfg.id);
}

int64_t pvb_host_free(void)
{
	struct pvb_sampler s;
	struct pvb_mem_sample m;
	int rc;

	memset(&s, 0, sizeof(s));
	s.meminfo_fd = open("/proc/meminfo", O_RDONLY | O_CLOEXEC);
	s.statm_fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
	s.zoneinfo_fd = open("/proc/zoneinfo", O_RDONLY | O_CLOEXEC);
	rc = s.meminfo_fd >= 0 && s.statm_fd >= 0 ? pvb_sampler_read(&s, &m) : -1;
	if (s.meminfo_fd >= 0)
		close(s.meminfo_fd);
	if (s.statm_fd >= 0)
		close(s.statm_fd);
	if (s.zoneinfo_fd >= 0)
		close(s.zoneinfo_fd);
	return rc ? -1 : m.avail + m.pcp;
}

int64_t pvb_rss_total(void)
{
	DIR *d = opendir("/proc");
	long page = sysconf(_SC_PAGESIZE);
	struct dirent *e;
	int64_t total = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char path[64], buf[128];
		long long size, res;
		ssize_t n;
		int fd;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%.16s/statm", e->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue; /* gone meanwhile */
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		if (sscanf(buf, "%lld %lld", &size, &res) == 2)
			total += res * page;
	}
	closedir(d);
	return total;
}

static bool known(pid_t p, const pid_t *list, int n)
{
	for (int i = 0; i < n; i++)
		if (list[i] == p)
			return true;
	return false;
}

/* Every numeric /proc entry not in list: fn(pid, arg) adds to why; the count it returns. */
static int each_pid(const pid_t *list, int n, long arg, char *why, size_t len,
		    int (*fn)(pid_t p, long arg, char *why, size_t len))
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int found = 0;

	if (!d) {
		snprintf(why, len, "/proc: %s", strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		pid_t p = (pid_t)atoi(e->d_name);

		if (p > 0 && !known(p, list, n))
			found += fn(p, arg, why, len);
	}
	closedir(d);
	return found;
}

static void append(char *why, size_t len, const char *what, pid_t p)
{
	size_t u = strlen(why);

	if (u + 40 < len)
		snprintf(why + u, len - u, "%s%s %d", u ? ", " : "", what, (int)p);
}

/* A process still in the dead worker's process group (its children, e.g. a load). */
static int in_group(pid_t p, long pgid, char *why, size_t len)
{
	char path[64], buf[1024], *rp;
	long grp = -1;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)p);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	rp = strrchr(buf, ')'); /* after "pid (comm)": state ppid pgrp */
	if (!rp || sscanf(rp + 1, " %*c %*d %ld", &grp) != 1 || grp != pgid)
		return 0;
	append(why, len, "process", p);
	return 1;
}

int pvb_orphans(pid_t pgid, char *why, size_t len)
{
	why[0] = '\0';
	return each_pid(NULL, 0, pgid, why, len, in_group);
}

static int kvm_vm_holder(pid_t p, long arg, char *why, size_t len)
{
	char path[64], link[96], target[128];
	struct dirent *e;
	DIR *d;
	int found = 0;

	(void)arg;
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)p);
	d = opendir(path);
	if (!d)
		return 0; /* gone, or not ours to read */
	while (!found && (e = readdir(d))) {
		ssize_t k;

		snprintf(link, sizeof(link), "%s/%.16s", path, e->d_name);
		k = readlink(link, target, sizeof(target) - 1);
		if (k > 0) {
			target[k] = '\0';
			found = !strcmp(target, "anon_inode:kvm-vm");
		}
	}
	closedir(d);
	if (found)
		append(why, len, "a kvm-vm fd in process", p);
	return found;
}

int pvb_kvm_vm_holders(const pid_t *list, int n, char *why, size_t len)
{
	why[0] = '\0';
	return each_pid(list, n, 0, why, len, kvm_vm_holder);
}

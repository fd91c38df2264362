/* Rendering the gnuplot figures of a results directory: finding the plots/<name>.gp
 * scripts and running each for PNG and SVG. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "datadir.h"
#include "plot.h"
#include "pvbench.h"

/* Its presence marks a plots directory. */
#define PLOT_MARKER "reboot_latency.gp"

static bool is_plots_dir(const char *dir)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s/%s", dir, PLOT_MARKER) >= (int)sizeof(path))
		return false;
	return access(path, R_OK) == 0;
}

/* $PVB_PLOTS_DIR, else plots/ in pvbench's data directory (datadir.h). */
static int find_plots_dir(char *out, size_t len)
{
	char dir[PATH_MAX], tried[4 * PATH_MAX];
	const char *env = getenv("PVB_PLOTS_DIR");

	if (env && *env) {
		if (is_plots_dir(env)) {
			snprintf(out, len, "%s", env);
			return 0;
		}
		pvb_err("PVB_PLOTS_DIR=%s has no %s: point it at pvbench's plots directory", env,
			PLOT_MARKER);
		return -1;
	}
	if (pvb_data_path("plots/" PLOT_MARKER, dir, sizeof(dir), tried, sizeof(tried))) {
		pvb_err("no plots directory with %s (looked in plots/ of: %s): set "
			"PVB_PLOTS_DIR or " PVB_DATADIR_ENV,
			PLOT_MARKER, tried);
		return -1;
	}
	if (snprintf(out, len, "%s/plots", dir) >= (int)len) {
		pvb_err("%s/plots: path too long", dir);
		return -1;
	}
	return 0;
}

static bool on_path(const char *prog)
{
	const char *path = getenv("PATH");
	char *copy, *dir, *save = NULL;
	char full[PATH_MAX];
	struct stat st;
	bool found = false;

	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	copy = strdup(path);
	if (!copy) {
		pvb_perror("strdup");
		return false;
	}
	for (dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
		if (snprintf(full, sizeof(full), "%s/%s", *dir ? dir : ".", prog) >=
		    (int)sizeof(full))
			continue;
		found = stat(full, &st) == 0 && S_ISREG(st.st_mode) && access(full, X_OK) == 0;
	}
	free(copy);
	return found;
}

bool pvb_plot_available(void)
{
	return on_path("gnuplot");
}

static int gp_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 3 && !strcmp(d->d_name + n - 3, ".gp");
}

/*
 * gnuplot -c SCRIPT DIR FMT OUT, without a shell. A close-on-exec pipe carries errno back
 * when exec fails, so that "cannot run gnuplot" is told apart from a failing script.
 */
static int run_gnuplot(const char *script, const char *name, const char *dir, const char *fmt,
		       const char *out)
{
	char prog[] = "gnuplot", opt_c[] = "-c", script_arg[4096], dir_arg[4096], fmt_arg[16];
	char out_arg[4096];
	char *argv[] = { prog, opt_c, script_arg, dir_arg, fmt_arg, out_arg, NULL };
	int pfd[2], status, child_err = 0;
	ssize_t n;
	pid_t pid;

	if ((size_t)snprintf(script_arg, sizeof(script_arg), "%s", script) >= sizeof(script_arg) ||
	    (size_t)snprintf(dir_arg, sizeof(dir_arg), "%s", dir) >= sizeof(dir_arg) ||
	    (size_t)snprintf(fmt_arg, sizeof(fmt_arg), "%s", fmt) >= sizeof(fmt_arg) ||
	    (size_t)snprintf(out_arg, sizeof(out_arg), "%s", out) >= sizeof(out_arg)) {
		pvb_err("plot %s: a path is too long for gnuplot's arguments", name);
		return PVB_EXIT_USAGE;
	}
	if (pipe2(pfd, O_CLOEXEC)) {
		pvb_perror("pipe");
		return PVB_EXIT_FAIL;
	}
	if (fflush(NULL) == EOF)
		pvb_warn("fflush: %s", strerror(errno));
	pid = fork();
	if (pid < 0) {
		pvb_perror("fork");
		close(pfd[0]);
		close(pfd[1]);
		return PVB_EXIT_FAIL;
	}
	if (pid == 0) {
		int err;

		close(pfd[0]);
		execvp(argv[0], argv);
		err = errno;
		/* Only async-signal-safe calls here: the parent may have threads. */
		if (write(pfd[1], &err, sizeof(err)) < 0)
			_exit(126);
		_exit(127);
	}
	close(pfd[1]);
	do
		n = read(pfd[0], &child_err, sizeof(child_err));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		pvb_warn("reading from the gnuplot launch pipe: %s", strerror(errno));
	close(pfd[0]);

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			pvb_perror("waitpid gnuplot");
			return PVB_EXIT_FAIL;
		}
		if (pvb_interrupted && kill(pid, SIGTERM) && errno != ESRCH)
			pvb_perror("kill gnuplot");
	}
	if (n == (ssize_t)sizeof(child_err)) {
		errno = child_err;
		pvb_perror("cannot run gnuplot");
		return PVB_EXIT_FAIL;
	}
	if (pvb_interrupted)
		return PVB_EXIT_INTERRUPTED;
	if (WIFSIGNALED(status)) {
		pvb_err("plot %s (%s): gnuplot killed by signal %d (%s)", name, fmt,
			WTERMSIG(status), strsignal(WTERMSIG(status)));
		return PVB_EXIT_FAIL;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		pvb_err("plot %s (%s): gnuplot exited with status %d", name, fmt,
			WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return PVB_EXIT_FAIL;
	}
	return PVB_EXIT_OK;
}

/* dir is a results directory with a readable summary.csv. Returns 0 or PVB_EXIT_USAGE. */
static int check_results_dir(const char *dir)
{
	char path[PATH_MAX];
	struct stat st;

	if (stat(dir, &st)) {
		pvb_perror("plot: %s", dir);
		return PVB_EXIT_USAGE;
	}
	if (!S_ISDIR(st.st_mode)) {
		pvb_err("plot: %s is not a directory: give a results directory", dir);
		return PVB_EXIT_USAGE;
	}
	if (snprintf(path, sizeof(path), "%s/summary.csv", dir) >= (int)sizeof(path)) {
		pvb_err("plot: path too long: %s", dir);
		return PVB_EXIT_USAGE;
	}
	if (access(path, R_OK)) {
		pvb_err("plot: cannot read %s (%s): give the directory of a finished "
			"`pvbench reboot` run",
			path, strerror(errno));
		return PVB_EXIT_USAGE;
	}
	return 0;
}

/* Run the script plots/name for every format, naming each file written on names. The files are
 * DIR/<name's last component without .gp>.png|svg, drawn under a temporary name and renamed
 * once gnuplot succeeded: a failing or killed gnuplot leaves the previous picture, or none. */
static int plot_script(const char *plots, const char *name, const char *dir, FILE *names)
{
	static const char *const formats[] = { "png", "svg" };
	const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
	int stem = (int)strlen(base) - 3;
	char path[PATH_MAX];
	struct stat st;
	size_t f;

	if (snprintf(path, sizeof(path), "%s/%s", plots, name) >= (int)sizeof(path)) {
		pvb_err("plot: path too long: %s/%s", plots, name);
		return PVB_EXIT_FAIL;
	}
	for (f = 0; f < sizeof(formats) / sizeof(formats[0]); f++) {
		char out[PATH_MAX], tmp[PATH_MAX];
		int r;

		if (snprintf(out, sizeof(out), "%s/%.*s.%s", dir, stem, base, formats[f]) >=
			    (int)sizeof(out) ||
		    snprintf(tmp, sizeof(tmp), "%s/.%.*s.%s.%ld.tmp", dir, stem, base, formats[f],
			     (long)getpid()) >= (int)sizeof(tmp)) {
			pvb_err("plot: path too long: %s", dir);
			return PVB_EXIT_FAIL;
		}
		r = run_gnuplot(path, name, dir, formats[f], tmp);
		if (r != PVB_EXIT_OK) {
			if (unlink(tmp) && errno != ENOENT)
				pvb_perror("plot %s: removing %s", name, tmp);
			return r;
		}
		/* A script that finds nothing to draw in this run (e.g. a heatmap of a run
		 * with one placement) says so on stderr and writes no file. */
		if (stat(tmp, &st))
			break;
		if (rename(tmp, out)) {
			pvb_perror("plot %s: renaming %s to %s", name, tmp, out);
			unlink(tmp);
			return PVB_EXIT_FAIL;
		}
		fprintf(names, "%s\n", out);
	}
	return PVB_EXIT_OK;
}

/* gnuplot installed and the plots directory found: 0, else an exit code (the reason printed). */
static int plots_ready(char *plots, size_t len)
{
	if (!on_path("gnuplot")) {
		pvb_err("gnuplot not found: install it (apt-get install gnuplot-nox) or run "
			"scripts/setup.sh");
		return PVB_EXIT_SKIP;
	}
	return find_plots_dir(plots, len) ? PVB_EXIT_USAGE : 0;
}

int pvb_plot_dir(const char *dir)
{
	char plots[PATH_MAX];
	struct dirent **ents = NULL;
	int i, n, r, ret = check_results_dir(dir);

	if (ret || (ret = plots_ready(plots, sizeof(plots))))
		return ret;

	n = scandir(plots, &ents, gp_filter, alphasort);
	if (n < 0) {
		pvb_perror("plot: %s", plots);
		return PVB_EXIT_FAIL;
	}
	/* A failing script does not stop the others; an interrupt does. */
	for (i = 0; i < n && ret != PVB_EXIT_INTERRUPTED; i++) {
		r = plot_script(plots, ents[i]->d_name, dir, stdout);
		if (r != PVB_EXIT_OK)
			ret = r;
	}
	for (i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
	return ret;
}

int pvb_plot_script(const char *script, const char *dir, FILE *names)
{
	char plots[PATH_MAX];
	int ret = plots_ready(plots, sizeof(plots));

	return ret ? ret : plot_script(plots, script, dir, names);
}

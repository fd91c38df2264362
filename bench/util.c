/* Diagnostics, signal handling, small file reads and the report printer every command shares. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "pvbench.h"

bool pvb_quiet;
const char *pvb_log_tag;
int pvb_interrupted_flag;

static void vmsg(const char *tag, const char *fmt, va_list ap, int err)
{
	char buf[2048];
	int n = pvb_log_tag ? snprintf(buf, sizeof(buf), "pvbench [%s]: %s", pvb_log_tag, tag) :
			      snprintf(buf, sizeof(buf), "pvbench: %s", tag);

	if (n < 0)
		return;
	vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	if (err)
		fprintf(stderr, "%s: %s\n", buf, strerror(err));
	else
		fprintf(stderr, "%s\n", buf);
}

void pvb_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("error: ", fmt, ap, 0);
	va_end(ap);
}

void pvb_perror(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	vmsg("error: ", fmt, ap, err);
	va_end(ap);
	errno = err;
}

void pvb_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap, 0);
	va_end(ap);
}

void pvb_info(const char *fmt, ...)
{
	va_list ap;

	if (pvb_quiet)
		return;
	va_start(ap, fmt);
	vmsg("", fmt, ap, 0);
	va_end(ap);
}

static void on_signal(int sig)
{
	(void)sig;
	__atomic_store_n(&pvb_interrupted_flag, 1, __ATOMIC_RELAXED);
}

void pvb_install_signal_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: blocking calls return EINTR so that loops notice. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int pvb_read_text(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	close(fd);
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

void pvb_read_sysfs_choice(const char *path, char *buf, size_t len)
{
	char raw[256];
	char *l, *r;

	snprintf(buf, len, "unknown");
	if (pvb_read_text(path, raw, sizeof(raw)))
		return;
	l = strchr(raw, '[');
	r = l ? strchr(l, ']') : NULL;
	if (!l || !r) {
		snprintf(buf, len, "%s", raw);
		return;
	}
	*r = '\0';
	snprintf(buf, len, "%s", l + 1);
}

int pvb_bad_option(const char *cmd, const char *arg, bool missing, void (*usage)(FILE *f))
{
	if (missing)
		pvb_err("%s: %s needs a value", cmd, arg);
	else
		pvb_err("%s: unknown option '%s'", cmd, arg);
	usage(stderr);
	return PVB_EXIT_USAGE;
}

int pvb_print_report(const char *cmd, json_t *root, bool as_json, void (*print_human)(json_t *root))
{
	int ret = PVB_EXIT_OK;

	if (as_json) {
		if (json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ||
		    putchar('\n') == EOF)
			ret = PVB_EXIT_FAIL;
	} else {
		print_human(root);
	}
	if (fflush(stdout) == EOF || ferror(stdout)) {
		pvb_perror("%s: writing to stdout", cmd);
		ret = PVB_EXIT_FAIL;
	}
	return ret;
}

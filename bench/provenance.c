/* Run ids, host labels and UTC stamps: what makes a row of one host's run distinguishable
 * in a dataset merged from many (provenance.h). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "provenance.h"
#include "pvbench.h"

static bool label_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-';
}

bool pvb_label_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= PVB_LABEL_MAX || s[0] == '.' || s[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!label_char(s[i]))
			return false;
	return true;
}

void pvb_default_host_label(char *buf, size_t len)
{
	char host[256];

	if (gethostname(host, sizeof(host)) || !host[0]) {
		snprintf(buf, len, "unknown");
		return;
	}
	host[PVB_LABEL_MAX - 1] = '\0'; /* a label's length at most */
	snprintf(buf, len, "%s", host);
	for (size_t i = 0; buf[i]; i++)
		if (!label_char(buf[i]))
			buf[i] = '_';
	if (buf[0] == '.' || buf[0] == '-')
		buf[0] = '_';
}

int pvb_new_run_id(const char *host_label, time_t start, char *buf, size_t len)
{
	uint32_t rnd;
	struct tm tm;
	char stamp[32];
	ssize_t n;

	do
		n = getrandom(&rnd, sizeof(rnd), 0);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(rnd)) {
		pvb_perror("getrandom (for the run id)");
		return -1;
	}
	if (!gmtime_r(&start, &tm) || !strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm))
		snprintf(stamp, sizeof(stamp), "%lld", (long long)start);
	if (len > PVB_LABEL_MAX)
		len = PVB_LABEL_MAX;
	/* the random part last and always whole: the host label gives way when too long */
	snprintf(buf, len, "%s-%.*s-%08x", stamp, (int)(len - 1 - strlen(stamp) - 10), host_label,
		 rnd);
	return 0;
}

void pvb_utc_iso(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, len, "unknown");
}

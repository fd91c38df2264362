/* Shared by the libFuzzer targets: silence pvbench's own diagnostics, hand bytes to a parser
 * that takes a path (through a memfd), and fail loudly when a parser breaks its contract. */
#ifndef PVB_FUZZ_H
#define PVB_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* A broken promise of the parser under test: report it and abort, which libFuzzer counts
 * as a crash and keeps the input for. */
#define FUZZ_CHECK(cond)                                                                     \
	do {                                                                                 \
		if (!(cond)) {                                                               \
			fprintf(fuzz_real_stderr, "fuzz: check failed: %s (%s:%d)\n", #cond, \
				__FILE__, __LINE__);                                         \
			abort();                                                             \
		}                                                                            \
	} while (0)

static FILE *fuzz_real_stderr;

/* The parsers print every refusal on stderr ("pvbench: error: ..."); millions of them would
 * slow the fuzzer down. Point stdio's stderr at /dev/null: libFuzzer and the sanitizers
 * write to fd 2 directly (or through their own FILE), so crashes are still reported. */
static inline void fuzz_quiet(void)
{
	FILE *null = fopen("/dev/null", "w");

	fuzz_real_stderr = stderr;
	if (!null) {
		perror("fuzz: /dev/null");
		abort();
	}
	if (!getenv("PVB_FUZZ_VERBOSE"))
		stderr = null;
	else
		fclose(null);
}

/* The input as a file: a memfd holding data, reached through /proc/self/fd. Writes the path
 * to path[size] and returns the fd (close it), or aborts. */
static inline int fuzz_memfd(const uint8_t *data, size_t size, char *path, size_t pathlen)
{
	int fd = memfd_create("pvb-fuzz", MFD_CLOEXEC);
	size_t done = 0;

	if (fd < 0) {
		perror("fuzz: memfd_create");
		abort();
	}
	while (done < size) {
		ssize_t n = write(fd, data + done, size - done);

		if (n <= 0) {
			perror("fuzz: write");
			abort();
		}
		done += (size_t)n;
	}
	snprintf(path, pathlen, "/proc/self/fd/%d", fd);
	return fd;
}

/* data as a NUL-terminated string (to free), or aborts. */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#endif

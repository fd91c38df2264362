/* libFuzzer target: the pv-emulated cost file loader (pvem_load) on the input in a memfd. An
 * accepted file must survive pvem_save and load back to the same settings. */
#include <stddef.h>
#include <stdint.h>

#include "pvbench.h"
#include "backends/pvem/pvem.h"
#include "fuzz.h"

static char dir[64], saved[128];

static void remove_dir(void)
{
	unlink(saved);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	snprintf(dir, sizeof(dir), "/tmp/pvb-fuzz-pvem-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("fuzz: mkdtemp");
		abort();
	}
	snprintf(saved, sizeof(saved), "%s/costs.ini", dir);
	atexit(remove_dir);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pvem_settings s, again;
	char path[64], err[512];
	int fd = fuzz_memfd(data, size, path, sizeof(path));
	int rc;

	pvem_defaults(&s);
	err[0] = '\0';
	rc = pvem_load(path, &s, err, sizeof(err));
	close(fd);
	if (rc) {
		FUZZ_CHECK(rc == PVB_EXIT_USAGE && err[0] != '\0');
		return 0;
	}
	FUZZ_CHECK(!pvem_save(saved, &s, "fuzz"));
	pvem_defaults(&again);
	FUZZ_CHECK(!pvem_load(saved, &again, err, sizeof(err)));
	FUZZ_CHECK(!memcmp(&s.c, &again.c, sizeof(s.c)));
	FUZZ_CHECK(s.misc == again.misc && s.destroy_fast == again.destroy_fast);
	FUZZ_CHECK(s.async_destroy == again.async_destroy && s.discard == again.discard);
	return 0;
}

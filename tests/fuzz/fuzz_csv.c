/* libFuzzer target: the CSV reader summarize, report and compare use (pvb_csv_read), on the
 * input written to a memfd. An accepted file is a rectangle of non-NULL fields whose header
 * names pvb_table_col finds; pvb_table_free releases it (LeakSanitizer checks). */
#include <stddef.h>
#include <stdint.h>

#include "report/results.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pvb_table t;
	char path[64];
	int fd = fuzz_memfd(data, size, path, sizeof(path));
	int n = pvb_csv_read(path, &t);

	close(fd);
	if (n < 0)
		return 0;
	FUZZ_CHECK(n == t.nrows && (n == 0 || t.ncols > 0));
	for (int r = 0; r < t.nrows; r++)
		for (int c = 0; c < t.ncols; c++)
			FUZZ_CHECK(t.rows[r][c] != NULL);
	if (t.nrows) {
		for (int c = 0; c < t.ncols; c++) {
			int found = pvb_table_col(&t, t.rows[0][c]);

			FUZZ_CHECK(found >= 0 && found <= c);
		}
	}
	pvb_table_free(&t);
	return 0;
}

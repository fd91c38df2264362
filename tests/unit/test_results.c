/* Result files: atomic writes, the append-only CSV and reading it back as a table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/results.h"
#include "testutil.h"

/* The contents of path as a NUL-terminated string (fails the test if unreadable). */
static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "r");
	long size;
	char *buf;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	size = ftell(fp);
	assert_true(size >= 0);
	rewind(fp);
	buf = malloc((size_t)size + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)size, fp), size);
	assert_int_equal(fclose(fp), 0);
	buf[size] = '\0';
	*len = (size_t)size;
	return buf;
}

static void put_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static void test_atomic_write(void **state)
{
	struct fixture *f = *state;
	const char *path = in_dir(f, "out.txt");
	char tmp[4200];
	struct stat st;
	size_t len;
	char *got;

	assert_int_equal(pvb_write_file_atomic(path, "hello\nworld\n", 12), 0);
	got = slurp(path, &len);
	assert_string_equal(got, "hello\nworld\n");
	free(got);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	assert_false(exists(tmp));

	/* Replacing with a shorter file leaves nothing of the old one. */
	assert_int_equal(pvb_write_file_atomic(path, "hi", 2), 0);
	got = slurp(path, &len);
	assert_string_equal(got, "hi");
	free(got);
	assert_false(exists(tmp));

	assert_int_equal(pvb_write_file_atomic(path, "", 0), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 0);
}

static void test_atomic_write_failures(void **state)
{
	struct fixture *f = *state;
	char tmp[4200];

	/* No such directory: the temporary file cannot even be created. */
	assert_int_equal(pvb_write_file_atomic(in_dir(f, "nodir/out.txt"), "x", 1), -1);

	/* The target is a directory: rename fails and the temporary file is removed. */
	assert_int_equal(mkdir(in_dir(f, "adir"), 0755), 0);
	assert_int_equal(pvb_write_file_atomic(f->path, "x", 1), -1);
	snprintf(tmp, sizeof(tmp), "%s.tmp", f->path);
	assert_false(exists(tmp));
}

static void test_json_atomic(void **state)
{
	struct fixture *f = *state;
	const char *path = in_dir(f, "doc.json");
	json_t *doc =
		json_pack("{s:i, s:s, s:[f, f]}", "zeta", 7, "alpha", "x\"y", "list", 1.5, 2.0);
	json_t *back;
	json_error_t jerr;
	size_t len;
	char *text;

	assert_non_null(doc);
	assert_int_equal(pvb_write_json_atomic(path, doc), 0);
	json_decref(doc);

	back = json_load_file(path, 0, &jerr);
	assert_non_null(back);
	assert_int_equal(json_integer_value(json_object_get(back, "zeta")), 7);
	assert_string_equal(json_string_value(json_object_get(back, "alpha")), "x\"y");
	assert_int_equal(json_array_size(json_object_get(back, "list")), 2);
	assert_true(json_real_value(json_array_get(json_object_get(back, "list"), 0)) == 1.5);
	json_decref(back);

	/* Insertion order, two-space indent, a final newline. */
	text = slurp(path, &len);
	assert_non_null(strstr(text, "\n  \"zeta\": 7"));
	assert_true(strstr(text, "\"zeta\"") < strstr(text, "\"alpha\""));
	assert_true(len > 0 && text[len - 1] == '\n');
	free(text);
}

static void test_mkdirs(void **state)
{
	struct fixture *f = *state;
	struct stat st;

	assert_int_equal(pvb_mkdirs(in_dir(f, "a/b/c")), 0);
	assert_int_equal(stat(f->path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0755);
	/* Existing directories, doubled and trailing slashes are fine. */
	assert_int_equal(pvb_mkdirs(in_dir(f, "a/b/c")), 0);
	assert_int_equal(pvb_mkdirs(in_dir(f, "a//b/d/")), 0);
	assert_true(exists(in_dir(f, "a/b/d")));
	/* A regular file in the way. */
	put_file(in_dir(f, "file"), "x");
	assert_int_equal(pvb_mkdirs(f->path), -1);
	assert_int_equal(pvb_mkdirs(in_dir(f, "file/sub")), -1);
	assert_int_equal(pvb_mkdirs(""), -1);
}

static const char *const cols[] = { "size", "note", "time_ns" };

static void test_csv_header_once(void **state)
{
	struct fixture *f = *state;
	const char *path = in_dir(f, "runs.csv");
	const char *row1[] = { "1G", "first", "100" };
	const char *row2[] = { "2G", NULL, "200" };
	struct pvb_csv csv;
	size_t len;
	char *text;

	assert_int_equal(pvb_csv_open(&csv, path, cols, 3), 0);
	assert_int_equal(pvb_csv_write_row(&csv, row1), 0);
	pvb_csv_close(&csv);
	assert_int_equal(csv.fd, -1);

	assert_int_equal(pvb_csv_open(&csv, path, cols, 3), 0);
	assert_int_equal(pvb_csv_write_row(&csv, row2), 0);
	pvb_csv_close(&csv);

	text = slurp(path, &len);
	assert_string_equal(text, "size,note,time_ns\n1G,first,100\n2G,,200\n");
	free(text);
}

static void test_csv_header_mismatch(void **state)
{
	struct fixture *f = *state;
	const char *path = in_dir(f, "runs.csv");
	const char *const other[] = { "size", "note" };
	const char *const renamed[] = { "size", "note", "time_us" };
	struct pvb_csv csv;
	size_t len;
	char *text;

	assert_int_equal(pvb_csv_open(&csv, path, cols, 3), 0);
	pvb_csv_close(&csv);
	assert_int_equal(pvb_csv_open(&csv, path, other, 2), -1);
	assert_int_equal(csv.fd, -1);
	assert_int_equal(pvb_csv_open(&csv, path, renamed, 3), -1);
	/* Refusing did not touch the file. */
	text = slurp(path, &len);
	assert_string_equal(text, "size,note,time_ns\n");
	free(text);

	/* A file whose last line is incomplete is not appended to. */
	put_file(path, "size,note,time_ns\n1G,x");
	assert_int_equal(pvb_csv_open(&csv, path, cols, 3), -1);
}

static void test_csv_quoting_round_trip(void **state)
{
	struct fixture *f = *state;
	const char *path = in_dir(f, "runs.csv");
	const char *const qcols[] = { "name", "with,comma" };
	const char *const rows[][2] = {
		{ "a,b", "say \"hi\"" },
		{ "line\nbreak", "cr\rlf\r\n" },
		{ "", "\"" },
		{ NULL, "plain" },
	};
	struct pvb_csv csv;
	struct pvb_table t;
	size_t len;
	char *text;

	assert_int_equal(pvb_csv_open(&csv, path, qcols, 2), 0);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(pvb_csv_write_row(&csv, rows[i]), 0);
	pvb_csv_close(&csv);

	text = slurp(path, &len);
	assert_string_equal(text, "name,\"with,comma\"\n"
				  "\"a,b\",\"say \"\"hi\"\"\"\n"
				  "\"line\nbreak\",\"cr\rlf\r\n\"\n"
				  ",\"\"\"\"\n"
				  ",plain\n");
	free(text);

	assert_int_equal(pvb_csv_read(path, &t), 5);
	assert_int_equal(t.nrows, 5);
	assert_int_equal(t.ncols, 2);
	assert_int_equal(pvb_table_col(&t, "with,comma"), 1);
	assert_int_equal(pvb_table_col(&t, "name"), 0);
	assert_int_equal(pvb_table_col(&t, "missing"), -1);
	for (int r = 0; r < 4; r++)
		for (int c = 0; c < 2; c++)
			assert_string_equal(t.rows[r + 1][c], rows[r][c] ? rows[r][c] : "");
	pvb_table_free(&t);
	assert_null(t.rows);
	assert_int_equal(t.nrows, 0);
}

static void test_csv_many_rows(void **state)
{
	struct fixture *f = *state;
	const char *path = in_dir(f, "runs.csv");
	char size[32], note[3000], time[32];
	const char *row[] = { size, note, time };
	struct pvb_csv csv;
	struct pvb_table t;

	/* Rows longer than any fixed formatting buffer. */
	memset(note, 'n', sizeof(note) - 1);
	note[sizeof(note) - 1] = '\0';
	assert_int_equal(pvb_csv_open(&csv, path, cols, 3), 0);
	for (int i = 0; i < 100; i++) {
		snprintf(size, sizeof(size), "%dM", i);
		snprintf(time, sizeof(time), "%d", i * 1000);
		assert_int_equal(pvb_csv_write_row(&csv, row), 0);
	}
	pvb_csv_close(&csv);

	assert_int_equal(pvb_csv_read(path, &t), 101);
	assert_int_equal(t.ncols, 3);
	assert_string_equal(t.rows[0][2], "time_ns");
	assert_string_equal(t.rows[100][0], "99M");
	assert_int_equal(strlen(t.rows[100][1]), sizeof(note) - 1);
	assert_string_equal(t.rows[100][2], "99000");
	pvb_table_free(&t);
}

static void test_csv_read_formats(void **state)
{
	struct fixture *f = *state;
	const char *path = in_dir(f, "in.csv");
	struct pvb_table t;

	/* No newline after the last row, CRLF line ends, an empty last field. */
	put_file(path, "a,b\r\n1,\"x\r\ny\"\r\n2,");
	assert_int_equal(pvb_csv_read(path, &t), 3);
	assert_string_equal(t.rows[0][1], "b");
	assert_string_equal(t.rows[1][1], "x\r\ny");
	assert_string_equal(t.rows[2][0], "2");
	assert_string_equal(t.rows[2][1], "");
	pvb_table_free(&t);

	put_file(path, "");
	assert_int_equal(pvb_csv_read(path, &t), 0);
	assert_int_equal(pvb_table_col(&t, "a"), -1);
	pvb_table_free(&t);
}

static void test_csv_read_rejects(void **state)
{
	struct fixture *f = *state;
	const char *path = in_dir(f, "bad.csv");
	static const char *const bad[] = {
		"a,b,c\n1,2,3\n4,5",   /* truncated last row */
		"a,b,c\n1,2,3\n4,5\n", /* short row */
		"a,b,c\n1,2,3,4\n",    /* long row */
		"a,b,c\n1,2,3\n\n",    /* blank line */
		"a,b,c\n1,\"2,3\n",    /* unterminated quote */
		"a,b,c\n1,\"2\"x,3\n", /* text after the closing quote */
		"a,b,c\n1,2\",3\n",    /* stray quote */
	};
	struct pvb_table t;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		put_file(path, bad[i]);
		if (pvb_csv_read(path, &t) != -1)
			fail_msg("accepted case %zu", i);
		assert_null(t.rows);
	}
	assert_int_equal(pvb_csv_read(in_dir(f, "missing.csv"), &t), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_atomic_write, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_atomic_write_failures, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_json_atomic, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_mkdirs, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_csv_header_once, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_csv_header_mismatch, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_csv_quoting_round_trip, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_csv_many_rows, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_csv_read_formats, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_csv_read_rejects, fixture_setup,
						fixture_teardown),
	};

	umask(022); /* the mode checks expect it */
	return cmocka_run_group_tests(tests, NULL, NULL);
}

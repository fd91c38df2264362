/* SE images and headers: well-formed ones parse, every corrupt or truncated one is refused
 * with a message naming the offset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "backends/pv_uapi.h"
#include "backends/pv/seimg.h"
#include "backends/pv/uvrc.h"

/* The truncation loop poisons the cut-off tail so that ASan sees any read past the end. */
#if defined(__SANITIZE_ADDRESS__)
#define PVB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PVB_ASAN 1
#endif
#endif
#ifdef PVB_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n)   __asan_poison_memory_region((p), (n))
#define UNPOISON(p, n) __asan_unpoison_memory_region((p), (n))
#else
#define POISON(p, n)   ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/*
 * Fixtures, all big-endian, built by hand:
 *  new: s390-tools 2.36+ (pvimg) layout: SeImgLnx metadata at 0xc000, components from
 *       0x13000, SE header at 0x17000, IPL block (exact length, header address set) at
 *       0x18000, which ends the file.
 *  old: genprotimg layout: stage3a arguments at 0x12fe0, IPL block (one page, header address
 *       0) at 0x13000, SE header at 0x14000, components from 0x15000 to the end.
 * The SE header is v1 with one key slot: 0x1a0 + 80 + 128 + 16 = 640 bytes.
 */
#define HDR_LEN		     640
#define NEW_HDR		     0x17000
#define NEW_IPIB	     0x18000
#define NEW_LEN		     (NEW_IPIB + 0x88 + 3 * 24)
#define OLD_ARGS	     0x12fe0
#define OLD_IPIB	     0x13000
#define OLD_HDR		     0x14000
#define OLD_LEN		     0x19000
#define COMP(base, i, field) ((base) + 0x88 + 24 * (i) + (field)) /* field: 0 tweak, 8, 16 */

static const struct pvb_se_comp new_comps[] = {
	{ .addr = 0x13000, .size = 0x2000, .tweak = 0x0001000000000000ULL },
	{ .addr = 0x15000, .size = 0x1000, .tweak = 0x0002000000000000ULL },
	{ .addr = 0x16000, .size = 0x1000, .tweak = 0x0003000000000000ULL },
};
static const struct pvb_se_comp old_comps[] = {
	{ .addr = 0x15000, .size = 0x2000, .tweak = 0x0001000000000000ULL },
	{ .addr = 0x17000, .size = 0x1000, .tweak = 0x0002000000000000ULL },
	{ .addr = 0x18000, .size = 0x1000, .tweak = 0x0003000000000000ULL },
};

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (24 - 8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)(v >> 32));
	put32(p + 4, (uint32_t)v);
}

/* A v1 SE header with nks key slots and sea encrypted bytes; returns its length. */
static uint32_t make_hdr(uint8_t *h, uint64_t nks, uint64_t sea)
{
	uint32_t len = (uint32_t)(0x1a0 + nks * 80 + sea + 16);

	memcpy(h, "IBMSecEx", 8);
	put32(h + 8, 0x100);
	put32(h + 12, len);
	put64(h + 32, nks);
	put64(h + 40, sea);
	return len;
}

/* A PV IPL block; page_len: genprotimg's block length of one page, else pvimg's exact one. */
static uint32_t make_ipib(uint8_t *b, const struct pvb_se_comp *c, int n, uint64_t hdr_addr,
			  uint64_t hdr_len, bool page_len)
{
	uint32_t len = page_len ? 4096 : (uint32_t)(0x88 + 24 * n);

	put32(b, len);
	b[7] = 1;
	put32(b + 8, (uint32_t)(0x80 + 24 * n));
	b[12] = 5;
	b[0x6f] = page_len ? 0 : 1;
	put32(b + 0x74, (uint32_t)n);
	put64(b + 0x78, hdr_addr);
	put64(b + 0x80, hdr_len);
	for (int i = 0; i < n; i++) {
		put64(b + 0x88 + 24 * i, c[i].tweak);
		put64(b + 0x88 + 24 * i + 8, c[i].addr);
		put64(b + 0x88 + 24 * i + 16, c[i].size);
	}
	return len;
}

static uint8_t *build_new(size_t *len)
{
	uint8_t *b = calloc(1, NEW_LEN);

	assert_non_null(b);
	memcpy(b + 0xc000, "SeImgLnx", 8);
	put64(b + 0xc008, NEW_HDR);
	put32(b + 0xc010, 1);
	put64(b + 0xc014, NEW_IPIB);
	for (size_t i = 0x13000; i < NEW_HDR; i++)
		b[i] = (uint8_t)(i * 7); /* "encrypted" component pages */
	make_hdr(b + NEW_HDR, 1, 128);
	make_ipib(b + NEW_IPIB, new_comps, 3, NEW_HDR, HDR_LEN, false);
	*len = NEW_LEN;
	return b;
}

static uint8_t *build_old(size_t *len)
{
	uint8_t *b = calloc(1, OLD_LEN);

	assert_non_null(b);
	put64(b + OLD_ARGS, OLD_HDR - OLD_ARGS);
	put64(b + OLD_ARGS + 8, HDR_LEN);
	put64(b + OLD_ARGS + 16, OLD_IPIB - OLD_ARGS);
	make_ipib(b + OLD_IPIB, old_comps, 3, 0, HDR_LEN, true);
	make_hdr(b + OLD_HDR, 1, 128);
	for (size_t i = 0x15000; i < OLD_LEN; i++)
		b[i] = (uint8_t)(i * 13);
	*len = OLD_LEN;
	return b;
}

static void check_comps(const struct pvb_se_image *im, const struct pvb_se_comp *want, int n)
{
	assert_int_equal(im->ncomp, n);
	for (int i = 0; i < n; i++) {
		assert_true(im->comp[i].addr == want[i].addr);
		assert_true(im->comp[i].size == want[i].size);
		assert_true(im->comp[i].tweak == want[i].tweak);
	}
}

static void test_new_image(void **state)
{
	struct pvb_se_image im;
	char err[256] = "";
	size_t len;
	uint8_t *b = build_new(&len);

	(void)state;
	if (pvb_se_image_parse(b, len, &im, err, sizeof(err)))
		fail_msg("rejected: %s", err);
	assert_string_equal(im.source, "SeImgLnx metadata v1");
	assert_true(im.hdr_off == NEW_HDR && im.hdr_len == HDR_LEN);
	assert_true(im.ipib_off == NEW_IPIB && im.ipib_len == 0x88 + 3 * 24);
	assert_true(im.psw_addr == 0);
	check_comps(&im, new_comps, 3);
	free(b);
}

static void test_old_image(void **state)
{
	struct pvb_se_image im;
	char err[256] = "";
	size_t len;
	uint8_t *b = build_old(&len);

	(void)state;
	if (pvb_se_image_parse(b, len, &im, err, sizeof(err)))
		fail_msg("rejected: %s", err);
	assert_non_null(strstr(im.source, "header magic scan"));
	assert_non_null(strstr(im.source, "0x12fe0"));
	assert_true(im.hdr_off == OLD_HDR && im.hdr_len == HDR_LEN);
	assert_true(im.ipib_off == OLD_IPIB && im.ipib_len == 4096);
	check_comps(&im, old_comps, 3);
	free(b);
}

static void test_ipl_block(void **state)
{
	/* The last size is not page aligned: QEMU unpacks it rounded up, and so do we. */
	static const struct pvb_se_comp in[] = {
		{ .addr = 0x0, .size = 0x10000, .tweak = 0x10 },
		{ .addr = 0x10000, .size = 0x3000, .tweak = 0x20 },
		{ .addr = 0x20000, .size = 0x1801, .tweak = 0x30 },
	};
	static const struct pvb_se_comp want[] = {
		{ .addr = 0x0, .size = 0x10000, .tweak = 0x10 },
		{ .addr = 0x10000, .size = 0x3000, .tweak = 0x20 },
		{ .addr = 0x20000, .size = 0x2000, .tweak = 0x30 },
	};
	struct pvb_se_image im;
	uint8_t b[0x88 + 3 * 24] = { 0 };
	char err[256] = "";

	(void)state;
	assert_int_equal(PVB_SE_MAX_COMP, 165);
	make_ipib(b, in, 3, 0x30000, 0x2000, false);
	if (pvb_ipl_pv_parse(b, sizeof(b), &im, err, sizeof(err)))
		fail_msg("rejected: %s", err);
	check_comps(&im, want, 3);
	assert_true(im.hdr_off == 0x30000 && im.hdr_len == 0x2000);
	assert_true(im.ipib_len == sizeof(b));
}

/* One field overwritten (width 1, 4 or 8 bytes; 0: none) and/or the file cut to len. */
struct patch {
	bool old;
	uint32_t off;
	int width;
	uint64_t val;
	size_t len;
	const char *want;
};

static void apply(uint8_t *b, const struct patch *p)
{
	if (p->width == 1)
		b[p->off] = (uint8_t)p->val;
	else if (p->width == 4)
		put32(b + p->off, (uint32_t)p->val);
	else if (p->width == 8)
		put64(b + p->off, p->val);
}

static void test_image_corrupt(void **state)
{
	static const struct patch cases[] = {
		/* the file */
		{ false, 0, 0, 0, 100, "not a Secure Execution image" },
		{ false, 0, 0, 0, 0xc010, "SeImgLnx metadata at 0xc000: truncated" },
		{ false, 0, 0, 0, NEW_HDR + 0x100, "truncated file?" },
		{ false, 0, 0, 0, NEW_HDR, "beyond the end of the image" },
		{ true, 0, 0, 0, 0x18800, "past the end of the image" },
		{ true, OLD_HDR, 1, 'X', 0, "no \"IBMSecEx\" header magic" },
		/* metadata */
		{ false, 0xc010, 4, 2, 0, "version 2 (offset 0xc010) is not 1" },
		{ false, 0xc008, 8, 0x40000, 0, "beyond the end of the image" },
		{ false, 0xc008, 8, NEW_HDR + 8, 0, "not page aligned" },
		{ false, 0xc014, 8, NEW_HDR, 0, "exceeds 4096" },
		/* the SE header */
		{ false, NEW_HDR, 1, 'X', 0, "is not \"IBMSecEx\"" },
		{ false, NEW_HDR + 12, 4, 2 << 20, 0, "exceeds 1 MiB" },
		{ false, NEW_HDR + 12, 4, 2 << 20, 0, "8 KiB before 7.0" },
		{ false, NEW_HDR + 32, 8, 0, 0, "no key slots" },
		{ false, NEW_HDR + 40, 8, 129, 0, "does not match 0x1a0" },
		/* the IPL block */
		{ false, NEW_IPIB, 4, 8192, 0, "exceeds 4096" },
		{ false, NEW_IPIB, 4, 0x1000, 0, "truncated file?" },
		{ false, NEW_IPIB + 12, 1, 2, 0, "type 2 (offset 0x1800c) is not 5 (PV)" },
		{ true, OLD_IPIB + 0x74, 4, 0, 0, "no components" },
		{ true, OLD_IPIB + 0x74, 4, 200, 0, "too many components" },
		{ false, NEW_IPIB + 8, 4, 0x80, 0, "PV block length 128 (offset 0x18008)" },
		{ false, NEW_IPIB + 0x80, 8, HDR_LEN + 1, 0, "differs from the header's own" },
		{ false, NEW_IPIB + 0x80, 8, 2 << 20, 0, "exceeds 1 MiB" },
		{ false, NEW_IPIB + 0x78, 8, 0x20000, 0, "differs from the header found" },
		{ true, OLD_IPIB + 0x80, 8, 0, 0, "SE header length 0" },
		/* components */
		{ false, COMP(NEW_IPIB, 1, 8), 8, 0x15010, 0,
		  "(offset 0x180a8) is not page aligned" },
		{ false, COMP(NEW_IPIB, 1, 16), 8, 0, 0, "component 1: size 0" },
		{ false, COMP(NEW_IPIB, 2, 8), 8, 0x14000, 0, "overlaps component 0" },
		{ false, COMP(NEW_IPIB, 2, 0), 8, 1, 0, "components out of order" },
		{ false, COMP(NEW_IPIB, 2, 8), 8, 0xfffffffffffff000ULL, 0, "overflows 64 bits" },
		{ false, COMP(NEW_IPIB, 2, 16), 8, 0xfffffffffffff001ULL, 0, "overflows 64 bits" },
		{ false, COMP(NEW_IPIB, 2, 8), 8, NEW_HDR, 0, "overlaps the SE header" },
		{ true, COMP(OLD_IPIB, 2, 8), 8, OLD_HDR, 0, "overlaps the SE header" },
		{ true, COMP(OLD_IPIB, 2, 8), 8, 0x40000, 0, "past the end of the image" },
		/* stage3a arguments */
		{ true, OLD_ARGS + 8, 8, HDR_LEN + 16, 0, "no stage3a arguments" },
		{ true, OLD_ARGS, 8, 0, 0, "no stage3a arguments" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct patch *p = &cases[i];
		struct pvb_se_image im;
		char err[512] = "";
		size_t len;
		uint8_t *b = p->old ? build_old(&len) : build_new(&len);
		uint8_t *cut = b;

		apply(b, p);
		if (p->len) {
			/* An exact allocation, so that ASan catches a read past the cut. */
			assert_true(p->len <= len);
			len = p->len;
			cut = malloc(len);
			assert_non_null(cut);
			memcpy(cut, b, len);
		}
		if (pvb_se_image_parse(cut, len, &im, err, sizeof(err)) != -1 ||
		    !strstr(err, p->want))
			fail_msg("case %zu: want \"%s\", got \"%s\"", i, p->want, err);
		if (cut != b)
			free(cut);
		free(b);
	}
}

/* Every truncation fails, every byte flip either fails with a message or yields a result
 * that is consistent with the buffer. */
static void fuzz_one(uint8_t *b, size_t len)
{
	struct pvb_se_image im;
	char err[512];

	for (size_t l = len; l-- > 0;) {
		POISON(b + l, 1);
		err[0] = 0;
		if (pvb_se_image_parse(b, l, &im, err, sizeof(err)) != -1 || !err[0])
			fail_msg("cut at %#zx accepted", l);
	}
	UNPOISON(b, len);
	for (size_t i = 0; i < len; i++) {
		int rc;

		b[i] ^= 0xa5;
		err[0] = 0;
		rc = pvb_se_image_parse(b, len, &im, err, sizeof(err));
		b[i] ^= 0xa5;
		if (rc == -1) {
			if (!err[0])
				fail_msg("flip at %#zx: no message", i);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_true(im.ncomp >= 1 && im.ncomp <= PVB_SE_MAX_COMP);
		assert_true(im.hdr_off + im.hdr_len <= len && im.ipib_off + im.ipib_len <= len);
		for (int c = 0; c < im.ncomp; c++)
			assert_true(!(im.comp[c].addr % PVB_SE_PAGE) && im.comp[c].size &&
				    !(im.comp[c].size % PVB_SE_PAGE) &&
				    im.comp[c].addr + im.comp[c].size <= len);
	}
}

static void test_image_fuzz(void **state)
{
	size_t len;
	uint8_t *b;

	(void)state;
	b = build_new(&len);
	fuzz_one(b, len);
	free(b);
	b = build_old(&len);
	fuzz_one(b, len);
	free(b);
}

static void test_header_file(void **state)
{
	static const struct patch cases[] = {
		{ false, 0, 1, 'i', 0, "is not \"IBMSecEx\"" },
		{ false, 0, 0, 0, 10, "truncated: 10 bytes" },
		{ false, 0, 0, 0, HDR_LEN - 1, "only 639 bytes in the file: truncated file?" },
		{ false, 12, 4, HDR_LEN - 80, 0, "not a bare SE header" },
		{ false, 12, 4, (1 << 20) + 1, 0, "exceeds 1 MiB" },
		{ false, 12, 4, 16, 0, "leaves no room" },
		{ false, 32, 8, 0, 0, "no key slots (offset 0x20)" },
		{ false, 40, 8, 64, 0, "below the v1 minimum of 128" },
		{ false, 32, 8, 2, 0, "does not match 0x1a0 + 2 key slots" },
		{ false, 32, 8, 1ULL << 62, 0, "does not match" },
	};
	uint8_t h[HDR_LEN];
	uint64_t hlen = 0;
	char err[512] = "";

	(void)state;
	memset(h, 0, sizeof(h));
	make_hdr(h, 1, 128);
	if (pvb_se_header_check(h, sizeof(h), &hlen, err, sizeof(err)))
		fail_msg("rejected: %s", err);
	assert_true(hlen == HDR_LEN);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct patch *p = &cases[i];
		size_t len = p->len ? p->len : sizeof(h);
		uint8_t *b = malloc(sizeof(h));

		assert_non_null(b);
		memcpy(b, h, sizeof(h));
		apply(b, p);
		err[0] = 0;
		if (pvb_se_header_check(b, len, &hlen, err, sizeof(err)) != -1 ||
		    !strstr(err, p->want))
			fail_msg("case %zu: want \"%s\", got \"%s\"", i, p->want, err);
		free(b);
	}
}

static void test_header_sizes(void **state)
{
	uint8_t *b = calloc(1, 16 << 10);
	uint64_t hlen = 0;
	char err[512] = "";
	uint32_t len;

	(void)state;
	assert_non_null(b);
	/* Eight key slots: 1200 bytes. */
	len = make_hdr(b, 8, 128);
	if (pvb_se_header_check(b, len, &hlen, err, sizeof(err)))
		fail_msg("rejected: %s", err);
	assert_true(hlen == 1200);
	/* A v1 header over 8 KiB is not one s390-tools writes. */
	len = make_hdr(b, 100, 128);
	assert_int_equal(pvb_se_header_check(b, len, &hlen, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "v1 limits"));
	/* A later version keeps magic, version and length: only those are checked. */
	memset(b, 0, 16 << 10);
	memcpy(b, "IBMSecEx", 8);
	put32(b + 8, 0x200);
	put32(b + 12, 12 << 10);
	if (pvb_se_header_check(b, 12 << 10, &hlen, err, sizeof(err)))
		fail_msg("rejected: %s", err);
	assert_true(hlen == 12 << 10);
	free(b);
}

static void test_ipl_block_corrupt(void **state)
{
	static const struct patch cases[] = {
		{ false, 0, 0, 0, 0x87, "truncated: 135 bytes" },
		{ false, 0, 4, 0x87, 0, "is below 136" },
		{ false, 12, 1, 0, 0, "type 0 (offset 0xc) is not 5" },
		{ false, 0x74, 4, 4, 0, "too many components: num_comp 4" },
		{ false, 0x74, 4, 0, 0, "no components (num_comp 0 at offset 0x74)" },
		{ false, 8, 4, 0x80 + 24 * 3 + 8, 0, "PV block length" },
		{ false, 0x78, 8, 0x16000, 0, "overlaps the SE header" },
		{ false, 0x78, 8, UINT64_MAX - 0x100, 0, "overflows 64 bits" },
		{ false, COMP(0, 0, 8), 8, 0x800, 0, "component 0: address 0x800 (offset 0x90)" },
	};
	uint8_t good[0x88 + 3 * 24];
	char err[512];

	(void)state;
	memset(good, 0, sizeof(good));
	make_ipib(good, old_comps, 3, 0x30000, HDR_LEN, false);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct patch *p = &cases[i];
		struct pvb_se_image im;
		size_t len = p->len ? p->len : sizeof(good);
		uint8_t *b = malloc(len);

		assert_non_null(b);
		memcpy(b, good, len);
		apply(b, p);
		err[0] = 0;
		if (pvb_ipl_pv_parse(b, len, &im, err, sizeof(err)) != -1 || !strstr(err, p->want))
			fail_msg("case %zu: want \"%s\", got \"%s\"", i, p->want, err);
		free(b);
	}
}

static void test_uv_rc(void **state)
{
	static const struct {
		unsigned cmd, rc, rrc;
		const char *want[2];
	} cases[] = {
		{ PVB_PV_SET_SEC_PARMS, 0x108, 0x0, { "host-key document", "pvimg/genprotimg -k" } },
		{ PVB_PV_SET_SEC_PARMS, 0x108, 0x5, { "key slots is for this host", "-k" } },
		{ PVB_PV_SET_SEC_PARMS, 0x10a, 0x40, { "no host keys", NULL } },
		{ PVB_PV_ENABLE, 0x108, 0x0, { "base storage", NULL } },
		{ PVB_PV_ENABLE, 0x8102, 0x0, { "max_address", "flag 0x8000" } },
		{ PVB_PV_VERIFY, 0x102, 0x1b, { "page contents", NULL } },
		{ PVB_PV_ASYNC_CLEANUP_PREPARE, 0x1, 42, { "set the old guest aside", "PERFORM" } },
		{ PVB_PV_ASYNC_CLEANUP_PERFORM, 0x1, 42, { "fatal signal", "KVM_PV_DISABLE" } },
		{ PVB_PV_DISABLE, 0x1, 0x0, { "KVM_PV_DISABLE: rc 0x1 rrc 0x0: executed", NULL } },
		{ PVB_PV_ASYNC_CLEANUP_PERFORM, 0x0, 0x0, { "no Ultravisor call", NULL } },
		{ PVB_PV_UNPACK,
		  0x1234,
		  0x5,
		  { "KVM_PV_UNPACK: rc 0x1234 rrc 0x5: not a code pvbench "
		    "knows",
		    "KVM_UV_EVENT" } },
		{ PVB_PV_UNPACK, 0x108, 0x5, { "not a code pvbench knows", NULL } },
		{ 99, 0x3, 0x0, { "KVM PV command 99: rc 0x3", "not in a state" } },
	};
	char buf[512];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *t =
			pvb_uv_rc_text(cases[i].cmd, cases[i].rc, cases[i].rrc, buf, sizeof(buf));

		assert_ptr_equal(t, buf);
		for (int j = 0; j < 2; j++)
			if (cases[i].want[j] && !strstr(t, cases[i].want[j]))
				fail_msg("case %zu: want \"%s\" in \"%s\"", i, cases[i].want[j], t);
	}
	/* A short buffer is cut and terminated. */
	memset(buf, 'x', sizeof(buf));
	pvb_uv_rc_text(PVB_PV_SET_SEC_PARMS, 0x108, 0, buf, 8);
	assert_string_equal(buf, "KVM_PV_");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_image),    cmocka_unit_test(test_old_image),
		cmocka_unit_test(test_ipl_block),    cmocka_unit_test(test_image_corrupt),
		cmocka_unit_test(test_image_fuzz),   cmocka_unit_test(test_header_file),
		cmocka_unit_test(test_header_sizes), cmocka_unit_test(test_ipl_block_corrupt),
		cmocka_unit_test(test_uv_rc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

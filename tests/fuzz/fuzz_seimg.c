/* libFuzzer target: a whole Secure Execution image (pvb_se_image_parse) and a bare SE header
 * file (pvb_se_header_check) from the same bytes. What an accepted image promises is checked:
 * header, IPL block and every component inside the file and apart. */
#include <stddef.h>
#include <stdint.h>

#include "backends/pv/seimg.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	return 0;
}

static int apart(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a + alen <= b || b + blen <= a;
}

static void check_image(const struct pvb_se_image *im, size_t size)
{
	FUZZ_CHECK(im->ncomp > 0 && im->ncomp <= PVB_SE_MAX_COMP);
	FUZZ_CHECK(im->hdr_len > 16 && im->hdr_len <= PVB_SE_HDR_MAX);
	FUZZ_CHECK(im->hdr_off % PVB_SE_PAGE == 0 && im->hdr_off + im->hdr_len <= size);
	FUZZ_CHECK(im->ipib_off % PVB_SE_PAGE == 0 && im->ipib_len <= PVB_SE_IPIB_MAX);
	FUZZ_CHECK(im->ipib_off + im->ipib_len <= size);
	FUZZ_CHECK(apart(im->hdr_off, im->hdr_len, im->ipib_off, im->ipib_len));
	for (int i = 0; i < im->ncomp; i++) {
		const struct pvb_se_comp *c = &im->comp[i];

		FUZZ_CHECK(c->size && c->addr % PVB_SE_PAGE == 0 && c->size % PVB_SE_PAGE == 0);
		FUZZ_CHECK(c->addr + c->size <= size && c->addr + c->size > c->addr);
		FUZZ_CHECK(apart(c->addr, c->size, im->hdr_off, im->hdr_len));
		FUZZ_CHECK(apart(c->addr, c->size, im->ipib_off, im->ipib_len));
		if (i)
			FUZZ_CHECK(c->tweak > c[-1].tweak);
	}
	FUZZ_CHECK(memchr(im->source, '\0', sizeof(im->source)) != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pvb_se_image *im = malloc(sizeof(*im));
	uint64_t hdr_len = 0;
	char err[512];

	if (!im)
		abort();
	err[0] = '\0';
	if (!pvb_se_image_parse(data, size, im, err, sizeof(err)))
		check_image(im, size);
	else
		FUZZ_CHECK(err[0] != '\0');
	err[0] = '\0';
	if (!pvb_se_header_check(data, size, &hdr_len, err, sizeof(err)))
		FUZZ_CHECK(hdr_len == size);
	else
		FUZZ_CHECK(err[0] != '\0');
	free(im);
	return 0;
}

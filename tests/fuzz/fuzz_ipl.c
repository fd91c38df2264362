/* libFuzzer target: a bare type-5 (PV) IPL parameter block (pvb_ipl_pv_parse). An accepted
 * block has components that fit in it, page aligned, in tweak order and apart. */
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pvb_se_image *im = malloc(sizeof(*im));
	char err[512];

	if (!im)
		abort();
	err[0] = '\0';
	if (pvb_ipl_pv_parse(data, size, im, err, sizeof(err))) {
		FUZZ_CHECK(err[0] != '\0');
		free(im);
		return 0;
	}
	FUZZ_CHECK(im->ncomp > 0 && im->ncomp <= PVB_SE_MAX_COMP);
	FUZZ_CHECK(im->ipib_len <= size && im->ipib_len >= 0x88 + 24 * (uint64_t)im->ncomp);
	FUZZ_CHECK(im->hdr_len > 0 && im->hdr_len <= PVB_SE_HDR_MAX);
	for (int i = 0; i < im->ncomp; i++) {
		const struct pvb_se_comp *c = &im->comp[i];

		FUZZ_CHECK(c->size && c->addr % PVB_SE_PAGE == 0 && c->size % PVB_SE_PAGE == 0);
		FUZZ_CHECK(c->addr + c->size > c->addr);
		for (int j = 0; j < i; j++)
			FUZZ_CHECK(c->addr >= im->comp[j].addr + im->comp[j].size ||
				   im->comp[j].addr >= c->addr + c->size);
		if (i)
			FUZZ_CHECK(c->tweak > c[-1].tweak);
	}
	free(im);
	return 0;
}

/* What a protected guest boots from: the bytes loaded into guest memory at 0, the SE header
 * for SET_SEC_PARMS and the components to UNPACK. From a full SE image (--se-image), a raw
 * payload plus its header (--payload, --se-header), or, for pv-emulated only, a synthetic
 * stand-in (the model checks the header magic, not its cryptography). */
#ifndef PVB_PV_IMAGE_H
#define PVB_PV_IMAGE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backends/backend.h"

#define PVB_PV_MAX_COMP 16

struct pv_image {
	uint8_t *load; /* copied to guest address 0 */
	size_t load_len;
	uint8_t *hdr; /* the SE header (inside load, or its own buffer) */
	size_t hdr_len;
	bool hdr_owned;
	int ncomp;
	struct {
		uint64_t addr, size, tweak;
	} comp[PVB_PV_MAX_COMP];
	char source[160];
};

/* 0, or -1 with an actionable message in err. */
int pv_image_load(const struct pvb_guest_params *p, bool emulated, struct pv_image *img, char *err,
		  size_t len);
void pv_image_free(struct pv_image *img);

#endif

/* What a protected guest boots from: a full SE image, a raw payload with its SE header, or
 * the synthetic stand-in of the pv-emulated backend (pv_image.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pv_image.h"
#include "s390x/guest_abi.h"
#include "seimg.h"

#define MAX_FILE (1ULL << 30)

static int slurp(const char *path, uint8_t **buf, size_t *len, char *err, size_t elen)
{
	struct stat st;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st)) {
		snprintf(err, elen, "cannot read %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || st.st_size <= 0 || (uint64_t)st.st_size > MAX_FILE) {
		snprintf(err, elen, "%s: not a regular file of 1 byte to 1 GiB", path);
		close(fd);
		return -1;
	}
	*buf = malloc((size_t)st.st_size);
	if (!*buf) {
		snprintf(err, elen, "%s: out of memory", path);
		close(fd);
		return -1;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, *buf + got, (size_t)st.st_size - got);

		if (n <= 0) {
			snprintf(err, elen, "reading %s: %s", path,
				 n ? strerror(errno) : "file shrank while reading");
			free(*buf);
			*buf = NULL;
			close(fd);
			return -1;
		}
		got += (size_t)n;
	}
	close(fd);
	*len = got;
	return 0;
}

static int synthetic(struct pv_image *img, char *err, size_t len)
{
	img->load_len = PVB_S390_ENTRY + PVB_S390_CODE_MAX;
	img->load = calloc(1, img->load_len);
	img->hdr = calloc(1, 4096);
	if (!img->load || !img->hdr) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	memcpy(img->hdr, "IBMSecEx", 8);
	img->hdr_len = 4096;
	img->hdr_owned = true;
	img->ncomp = 1;
	img->comp[0].addr = PVB_S390_ENTRY;
	img->comp[0].size = PVB_S390_CODE_MAX;
	img->comp[0].tweak = 0;
	snprintf(img->source, sizeof(img->source),
		 "synthetic (pv-emulated: magic-only header, "
		 "one 64 KiB component at 0x%x)",
		 PVB_S390_ENTRY);
	return 0;
}

int pv_image_load(const struct pvb_guest_params *p, bool emulated, struct pv_image *img, char *err,
		  size_t len)
{
	memset(img, 0, sizeof(*img));
	if (p->se_image) {
		struct pvb_se_image se;
		char m[400];

		if (slurp(p->se_image, &img->load, &img->load_len, err, len))
			return -1;
		if (pvb_se_image_parse(img->load, img->load_len, &se, m, sizeof(m))) {
			snprintf(err, len, "%s: %s", p->se_image, m);
			pv_image_free(img);
			return -1;
		}
		if (se.ncomp > PVB_PV_MAX_COMP) {
			snprintf(err, len, "%s: %d components, at most %d", p->se_image, se.ncomp,
				 PVB_PV_MAX_COMP);
			pv_image_free(img);
			return -1;
		}
		img->hdr = img->load + se.hdr_off;
		img->hdr_len = se.hdr_len;
		img->ncomp = se.ncomp;
		for (int i = 0; i < se.ncomp; i++) {
			img->comp[i].addr = se.comp[i].addr;
			img->comp[i].size = se.comp[i].size;
			img->comp[i].tweak = se.comp[i].tweak;
		}
		snprintf(img->source, sizeof(img->source), "%s (%s)", p->se_image, se.source);
		return 0;
	}
	if (p->payload) {
		uint64_t hl;
		char m[400];

		if (slurp(p->payload, &img->load, &img->load_len, err, len))
			return -1;
		if (slurp(p->se_header, &img->hdr, &img->hdr_len, err, len)) {
			pv_image_free(img);
			return -1;
		}
		img->hdr_owned = true;
		if (pvb_se_header_check(img->hdr, img->hdr_len, &hl, m, sizeof(m))) {
			snprintf(err, len, "%s: %s", p->se_header, m);
			pv_image_free(img);
			return -1;
		}
		img->hdr_len = hl;
		img->ncomp = 1;
		img->comp[0].addr = 0;
		img->comp[0].size = (img->load_len + 4095) & ~4095ULL;
		img->comp[0].tweak = p->se_tweak;
		snprintf(img->source, sizeof(img->source), "payload %s + header %s", p->payload,
			 p->se_header);
		return 0;
	}
	if (!emulated) {
		snprintf(err, len, "no SE image given");
		return -1;
	}
	return synthetic(img, err, len);
}

void pv_image_free(struct pv_image *img)
{
	if (img->hdr_owned)
		free(img->hdr);
	free(img->load);
	memset(img, 0, sizeof(*img));
}

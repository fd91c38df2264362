/* Secure Execution (PV) boot image, SE header and type-5 IPL parameter block parsing.
 *
 * Layouts (all big-endian), as s390-tools and QEMU define them:
 *  - SE header: "IBMSecEx", version 0x100 at 8, total length at 12, key slot count at 32,
 *    encrypted area size at 40 (s390-tools genprotimg/src/include/pv_hdr_def.h, pvimg).
 *  - SeImgLnx metadata at image offset 0xc000 (s390-tools 2.36+): magic, header offset at 8,
 *    version at 16, IPL block offset at 20 (s390-tools rust/pv SeImgMetaData).
 *  - Older images: header at 0x14000 (or a few pages later), found by its magic; the IPL block
 *    is named by the stage3a loader's arguments {hdr_offs, hdr_size, ipib_offs}, offsets
 *    relative to the arguments themselves, which sit between 0x10000 and the header.
 *  - IPL block: len at 0, pbt 5 at 12, num_comp at 0x74, PV header addr/len at 0x78/0x80,
 *    components {tweak_pref, addr, size} from 0x88 (QEMU include/hw/s390x/ipl/qipl.h).
 *
 * The parsers only read inside [buf, buf + len) and fail with a message that names the field,
 * its offset and what to do. On failure *out is unspecified. */
#ifndef PVB_SEIMG_H
#define PVB_SEIMG_H
#include <stddef.h>
#include <stdint.h>

#define PVB_SE_PAGE	      UINT64_C(4096)
/* The largest SE header KVM_PV_SET_SEC_PARMS accepts: 1 MiB since Linux 7.0, 8 KiB before. */
#define PVB_SE_HDR_MAX	      (UINT64_C(1) << 20)
#define PVB_SE_HDR_MAX_PRE_70 (UINT64_C(8) << 10)
/* An IPL block is at most 4 KiB, 0x88 bytes of it before the 24-byte components. */
#define PVB_SE_IPIB_MAX	      4096
#define PVB_SE_MAX_COMP	      ((PVB_SE_IPIB_MAX - 0x88) / 24)

/* One KVM_PV_UNPACK: guest-absolute addr, size rounded up to a page (as QEMU does), tweak. */
struct pvb_se_comp {
	uint64_t addr, size, tweak;
};

struct pvb_se_image {
	uint64_t hdr_off, hdr_len;   /* the SE header: image offset (= guest address) and length */
	uint64_t ipib_off, ipib_len; /* the IPL block inside the image (0 for a bare block) */
	int ncomp;
	struct pvb_se_comp comp[PVB_SE_MAX_COMP];
	/* Always 0: the start PSW is sealed in the encrypted part of the SE header, and the
	 * Ultravisor starts the CPU there. Kept so that callers need not special-case it. */
	uint64_t psw_addr;
	char source[64]; /* how the header and IPL block were found */
};

/* A whole SE image as genprotimg/pvimg writes it (loaded at guest address 0): find the SE
 * header and the IPL block, check both and the components against each other and the file.
 * Returns 0, or -1 with a message in err. */
int pvb_se_image_parse(const uint8_t *buf, size_t len, struct pvb_se_image *out, char *err,
		       size_t errlen);

/* A standalone SE header file (pvimg create-sehdr, pvextract-hdr): magic, version, a length
 * field that matches the file exactly and the header's own layout, at most PVB_SE_HDR_MAX.
 * Returns 0 and *hdr_len, or -1 with a message in err. */
int pvb_se_header_check(const uint8_t *buf, size_t len, uint64_t *hdr_len, char *err,
			size_t errlen);

/* A type-5 (PV) IPL parameter block at buf: fills comp[], ncomp, hdr_off/hdr_len from the
 * block's PV header address and length (the address may be 0: genprotimg leaves it to stage3a).
 * Returns 0, or -1 with a message in err. */
int pvb_ipl_pv_parse(const uint8_t *buf, size_t len, struct pvb_se_image *out, char *err,
		     size_t errlen);

#endif

/* Secure Execution image, SE header and PV IPL block parsing; see seimg.h for the layouts. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "seimg.h"

#define HDR_MAGIC      "IBMSecEx"
#define HDR_V1	       0x100
#define HDR_V1_HEAD    0x1a0 /* magic .. tld: the fixed part before the key slots */
#define HDR_V1_SLOT    80
#define HDR_V1_ENC_MIN 128 /* cck, xts key, psw, scf, noi, res */
#define HDR_V1_TAG     16
#define HDR_V1_MIN     (HDR_V1_HEAD + HDR_V1_SLOT + HDR_V1_ENC_MIN + HDR_V1_TAG)
#define HDR_V1_MAX     (8U << 10)

#define META_OFF   0xc000
#define META_LEN   28
#define META_MAGIC "SeImgLnx"

/* genprotimg puts the header at 0x14000, right after the IPL block page that follows stage3a
 * (whose arguments end below 0x13000); pvextract-hdr starts its search there. */
#define SCAN_START   0x14000
#define SCAN_PAGES   16
#define STAGE3A_LOAD 0x10000
#define STAGE3A_ARGS 24

#define IPL_PBT_PV   5
#define IPL_COMP0    0x88
#define IPL_COMP_LEN 24
#define IPL_PV_BLK0  0x80 /* the PV block (len at 8) up to the components */

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* A header KVM would refuse for its length (at: where; what: which length field). */
static int hdr_too_long(char *err, size_t errlen, const char *at, const char *what, uint64_t len,
			uint64_t off)
{
	return fail(err, errlen,
		    "%s: %s %" PRIu64 " (offset %#" PRIx64 ") exceeds 1 MiB, the largest header "
		    "KVM accepts (Linux 7.0 and later; 8 KiB before 7.0)",
		    at, what, len, off);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const uint8_t *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* The header at buf + off; exact: it must fill the rest of the buffer (a bare header file). */
static int hdr_check(const uint8_t *buf, size_t len, uint64_t off, bool exact, uint64_t *hdr_len,
		     char *err, size_t errlen)
{
	const uint8_t *h = buf + off;
	size_t avail = len - off;
	uint64_t nks, sea;
	uint32_t ver, phs;
	char at[48];

	if (exact)
		snprintf(at, sizeof(at), "SE header");
	else
		snprintf(at, sizeof(at), "SE header at %#" PRIx64, off);
	if (avail < 16)
		return fail(err, errlen,
			    "%s: truncated: %zu bytes, but magic, version and length "
			    "alone take 16",
			    at, avail);
	if (memcmp(h, HDR_MAGIC, 8))
		return fail(err, errlen,
			    "%s: magic %02x%02x%02x%02x%02x%02x%02x%02x (offset %#" PRIx64
			    ") is not \"IBMSecEx\": not an SE header",
			    at, h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], off);
	ver = be32(h + 8);
	phs = be32(h + 12);
	if (phs > PVB_SE_HDR_MAX)
		return hdr_too_long(err, errlen, at, "length", phs, off + 12);
	if (phs <= 16)
		return fail(err, errlen,
			    "%s: length %" PRIu32 " (offset %#" PRIx64 ") leaves no "
			    "room for the header body: corrupt header",
			    at, phs, off + 12);
	if (phs > avail)
		return fail(err, errlen,
			    "%s: length %" PRIu32 " (offset %#" PRIx64 ") but only "
			    "%zu bytes %s: truncated file?",
			    at, phs, off + 12, avail, exact ? "in the file" : "left in the image");
	if (exact && phs < avail)
		return fail(err, errlen,
			    "%s: length %" PRIu32 " (offset 12) but the file has %zu "
			    "bytes: not a bare SE header (pass a whole SE image as an image)",
			    at, phs, avail);

	/* Only v1 exists in s390-tools (genprotimg PV_VERSION_1, pvimg SeHdrVersion::V1); a
	 * later version keeps magic, version and length in place, and the Ultravisor judges the
	 * rest (rc 0x104 on KVM_PV_SET_SEC_PARMS if it does not know it). */
	if (ver == HDR_V1) {
		if (phs < HDR_V1_MIN || phs > HDR_V1_MAX)
			return fail(err, errlen,
				    "%s: length %" PRIu32 " (offset %#" PRIx64 ") "
				    "is outside [%u, %u], the v1 limits (s390-tools): corrupt "
				    "header",
				    at, phs, off + 12, HDR_V1_MIN, HDR_V1_MAX);
		nks = be64(h + 32);
		sea = be64(h + 40);
		if (!nks)
			return fail(
				err, errlen,
				"%s: no key slots (offset %#" PRIx64 "): the "
				"header is sealed for no host; rebuild it with pvimg/genprotimg "
				"-k HOST_KEY_DOCUMENT",
				at, off + 32);
		if (sea < HDR_V1_ENC_MIN)
			return fail(err, errlen,
				    "%s: encrypted area of %" PRIu64 " bytes (offset "
				    "%#" PRIx64 ") is below the v1 minimum of %u: corrupt header",
				    at, sea, off + 40, HDR_V1_ENC_MIN);
		if (nks > phs / HDR_V1_SLOT || sea > phs ||
		    HDR_V1_HEAD + nks * HDR_V1_SLOT + sea + HDR_V1_TAG != phs)
			return fail(err, errlen,
				    "%s: length %" PRIu32 " (offset %#" PRIx64 ") does "
				    "not match 0x1a0 + %" PRIu64 " key slots (offset %#" PRIx64
				    ") x 80 + %" PRIu64 " encrypted bytes (offset %#" PRIx64
				    ") + 16: "
				    "corrupt header",
				    at, phs, off + 12, nks, off + 32, sea, off + 40);
	}
	*hdr_len = phs;
	return 0;
}

/* Component i of the IPL block: page aligned, not empty, no overflow, tweaks increasing,
 * overlapping neither an earlier component nor the SE header [haddr, haddr + hlen). */
static int ipl_component(const uint8_t *buf, uint32_t i, uint64_t base, const char *at,
			 uint64_t haddr, uint64_t hlen, struct pvb_se_image *out, char *err,
			 size_t errlen)
{
	const uint8_t *c = buf + IPL_COMP0 + i * IPL_COMP_LEN;
	uint64_t co = base + IPL_COMP0 + i * IPL_COMP_LEN;
	struct pvb_se_comp *p = &out->comp[i];

	p->tweak = be64(c);
	p->addr = be64(c + 8);
	p->size = be64(c + 16);
	/* QEMU (ipl_valid_pv_components) requires page-aligned addresses and strictly
	 * increasing tweaks, and rounds sizes up to a page (s390_ipl_pv_unpack). */
	if (p->addr & (PVB_SE_PAGE - 1))
		return fail(err, errlen,
			    "%s: component %" PRIu32 ": address %#" PRIx64 " (offset %#" PRIx64
			    ") is not page aligned",
			    at, i, p->addr, co + 8);
	if (!p->size)
		return fail(err, errlen,
			    "%s: component %" PRIu32 ": size 0 (offset %#" PRIx64
			    "): corrupt block",
			    at, i, co + 16);
	if (p->size > UINT64_MAX - (PVB_SE_PAGE - 1) ||
	    p->addr > UINT64_MAX - ((p->size + PVB_SE_PAGE - 1) & ~(PVB_SE_PAGE - 1)))
		return fail(err, errlen,
			    "%s: component %" PRIu32 ": address %#" PRIx64 " + size %#" PRIx64
			    " (offset %#" PRIx64 ") overflows 64 bits",
			    at, i, p->addr, p->size, co + 8);
	p->size = (p->size + PVB_SE_PAGE - 1) & ~(PVB_SE_PAGE - 1);
	if (i && p->tweak <= p[-1].tweak)
		return fail(err, errlen,
			    "%s: components out of order: component %" PRIu32
			    "'s tweak prefix %#" PRIx64 " (offset %#" PRIx64 ") is not above "
			    "component %" PRIu32 "'s %#" PRIx64,
			    at, i, p->tweak, co, i - 1, p[-1].tweak);
	for (uint32_t j = 0; j < i; j++)
		if (overlaps(p->addr, p->size, out->comp[j].addr, out->comp[j].size))
			return fail(err, errlen,
				    "%s: component %" PRIu32 " [%#" PRIx64 ", %#" PRIx64
				    ") overlaps component %" PRIu32 " [%#" PRIx64 ", %#" PRIx64 ")",
				    at, i, p->addr, p->addr + p->size, j, out->comp[j].addr,
				    out->comp[j].addr + out->comp[j].size);
	if (haddr && overlaps(p->addr, p->size, haddr, hlen))
		return fail(err, errlen,
			    "%s: component %" PRIu32 " [%#" PRIx64 ", %#" PRIx64
			    ") overlaps the SE header [%#" PRIx64 ", %#" PRIx64 ")",
			    at, i, p->addr, p->addr + p->size, haddr, haddr + hlen);
	return 0;
}

/* The IPL block at buf[0, len), which sits at image offset base (named in messages). */
static int ipl_parse(const uint8_t *buf, size_t len, uint64_t base, bool in_image,
		     struct pvb_se_image *out, char *err, size_t errlen)
{
	uint32_t blen, blk0, n, room;
	uint64_t haddr, hlen;
	char at[48];

	if (in_image)
		snprintf(at, sizeof(at), "IPL block at %#" PRIx64, base);
	else
		snprintf(at, sizeof(at), "IPL block");
	if (len < IPL_COMP0)
		return fail(err, errlen,
			    "%s: truncated: %zu bytes, but a PV IPL block has %u "
			    "before its first component",
			    at, len, IPL_COMP0);
	blen = be32(buf);
	if (blen > PVB_SE_IPIB_MAX)
		return fail(err, errlen,
			    "%s: length %" PRIu32 " (offset %#" PRIx64 ") exceeds "
			    "%u, the largest IPL block: corrupt block",
			    at, blen, base, PVB_SE_IPIB_MAX);
	if (blen > len)
		return fail(err, errlen,
			    "%s: length %" PRIu32 " (offset %#" PRIx64 ") but only "
			    "%zu bytes follow: truncated file?",
			    at, blen, base, len);
	if (buf[12] != IPL_PBT_PV)
		return fail(err, errlen,
			    "%s: parameter block type %u (offset %#" PRIx64 ") is not "
			    "5 (PV): not the IPL block of an SE image",
			    at, buf[12], base + 12);
	if (blen < IPL_COMP0)
		return fail(err, errlen,
			    "%s: length %" PRIu32 " (offset %#" PRIx64 ") is below "
			    "%u, the fixed part of a PV block: corrupt block",
			    at, blen, base, IPL_COMP0);
	n = be32(buf + 0x74);
	room = (blen - IPL_COMP0) / IPL_COMP_LEN;
	if (!n)
		return fail(err, errlen,
			    "%s: no components (num_comp 0 at offset %#" PRIx64 "): "
			    "nothing to unpack",
			    at, base + 0x74);
	if (n > room)
		return fail(err, errlen,
			    "%s: too many components: num_comp %" PRIu32 " (offset %#" PRIx64
			    ") but length %" PRIu32 " (offset %#" PRIx64 ") holds %" PRIu32
			    ": corrupt block",
			    at, n, base + 0x74, blen, base, room);
	blk0 = be32(buf + 8);
	if (blk0 < IPL_PV_BLK0 + n * IPL_COMP_LEN || blk0 > blen - 8)
		return fail(err, errlen,
			    "%s: PV block length %" PRIu32 " (offset %#" PRIx64 ") "
			    "does not hold its %" PRIu32 " components (%" PRIu32 " bytes) inside "
			    "the block length %" PRIu32 ": corrupt block",
			    at, blk0, base + 8, n, IPL_PV_BLK0 + n * IPL_COMP_LEN, blen);
	hlen = be64(buf + 0x80);
	if (!hlen)
		return fail(err, errlen,
			    "%s: SE header length 0 (offset %#" PRIx64 "): corrupt block", at,
			    base + 0x80);
	if (hlen > PVB_SE_HDR_MAX)
		return hdr_too_long(err, errlen, at, "SE header length", hlen, base + 0x80);
	haddr = be64(buf + 0x78);
	if (haddr > UINT64_MAX - hlen)
		return fail(err, errlen,
			    "%s: SE header address %#" PRIx64 " (offset %#" PRIx64
			    ") + length %#" PRIx64 " overflows 64 bits: corrupt block",
			    at, haddr, base + 0x78, hlen);

	out->ncomp = 0;
	for (uint32_t i = 0; i < n; i++)
		if (ipl_component(buf, i, base, at, haddr, hlen, out, err, errlen))
			return -1;
	out->ncomp = (int)n;
	out->hdr_off = haddr;
	out->hdr_len = hlen;
	out->ipib_len = blen;
	return 0;
}

int pvb_se_header_check(const uint8_t *buf, size_t len, uint64_t *hdr_len, char *err, size_t errlen)
{
	return hdr_check(buf, len, 0, true, hdr_len, err, errlen);
}

int pvb_ipl_pv_parse(const uint8_t *buf, size_t len, struct pvb_se_image *out, char *err,
		     size_t errlen)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->source, sizeof(out->source), "IPL parameter block");
	return ipl_parse(buf, len, 0, false, out, err, errlen);
}

/* The stage3a arguments that point at the header found at hdr_off: 8-byte aligned (the
 * linker script puts them 16-aligned at the end of stage3a's data), below the header. */
static int find_stage3a_args(const uint8_t *buf, size_t len, uint64_t hdr_off, uint64_t hdr_len,
			     uint64_t *args, uint64_t *ipib_off)
{
	for (uint64_t p = STAGE3A_LOAD; p + STAGE3A_ARGS <= hdr_off; p += 8) {
		uint64_t ipib_offs = be64(buf + p + 16);

		if (be64(buf + p) != hdr_off - p || be64(buf + p + 8) != hdr_len)
			continue;
		/* s390-tools asserts that the IPL block, too, lies after stage3a. */
		if (ipib_offs < STAGE3A_ARGS || ipib_offs >= len - p)
			continue;
		*args = p;
		*ipib_off = p + ipib_offs;
		return 0;
	}
	return -1;
}

static int locate_by_metadata(const uint8_t *buf, size_t len, struct pvb_se_image *out, char *err,
			      size_t errlen)
{
	const uint8_t *m = buf + META_OFF;
	uint32_t ver;

	if (len < META_OFF + META_LEN)
		return fail(err, errlen,
			    "SeImgLnx metadata at %#x: truncated: the file ends at "
			    "%#zx, the metadata needs %d bytes",
			    META_OFF, len, META_LEN);
	ver = be32(m + 16);
	if (ver != 1)
		return fail(err, errlen,
			    "SeImgLnx metadata at %#x: version %" PRIu32 " (offset "
			    "%#x) is not 1, the only version pvbench knows (s390-tools 2.36)",
			    META_OFF, ver, META_OFF + 16);
	out->hdr_off = be64(m + 8);
	out->ipib_off = be64(m + 20);
	snprintf(out->source, sizeof(out->source), "SeImgLnx metadata v1");
	return 0;
}

static int locate_by_scan(const uint8_t *buf, size_t len, struct pvb_se_image *out, char *err,
			  size_t errlen)
{
	uint64_t off, hdr_len, args, ipib_off;
	const uint64_t end = SCAN_START + SCAN_PAGES * PVB_SE_PAGE;

	for (off = SCAN_START; off < end && off + 8 <= len; off += PVB_SE_PAGE)
		if (!memcmp(buf + off, HDR_MAGIC, 8))
			break;
	if (off >= end || off + 8 > len) {
		if (len < SCAN_START + 8)
			return fail(err, errlen,
				    "not a Secure Execution image: %zu bytes, no "
				    "SeImgLnx metadata at %#x, and too short for an SE header at "
				    "%#x (a raw payload needs a separate SE header file)",
				    len, META_OFF, SCAN_START);
		return fail(err, errlen,
			    "not a Secure Execution image: no SeImgLnx metadata at "
			    "%#x and no \"IBMSecEx\" header magic on any page from %#x to %#" PRIx64
			    " (a raw payload needs a separate SE header file)",
			    META_OFF, SCAN_START, off - PVB_SE_PAGE);
	}
	if (hdr_check(buf, len, off, false, &hdr_len, err, errlen))
		return -1;
	if (find_stage3a_args(buf, len, off, hdr_len, &args, &ipib_off))
		return fail(err, errlen,
			    "SE header at %#" PRIx64 " found by magic scan, but no "
			    "stage3a arguments between %#x and %#" PRIx64 " point at it, so the "
			    "IPL block cannot be found: rebuild the image with s390-tools 2.36 or "
			    "later (SeImgLnx metadata)",
			    off, STAGE3A_LOAD, off);
	out->hdr_off = off;
	out->ipib_off = ipib_off;
	snprintf(out->source, sizeof(out->source),
		 "header magic scan, stage3a arguments at %#" PRIx64, args);
	return 0;
}

/* Both tools page-align the header and the IPL block (pvimg Layout, genprotimg
 * stage3a_set_data): off (of what) must be page aligned and inside the image. */
static int check_page_offset(const char *source, const char *what, uint64_t off, size_t len,
			     char *err, size_t errlen)
{
	if (off % PVB_SE_PAGE || off >= len)
		return fail(err, errlen, "%s: %s offset %#" PRIx64 " is %s (image of %#zx bytes)",
			    source, what, off,
			    off % PVB_SE_PAGE ? "not page aligned" :
						"beyond the end of the image: truncated file?",
			    len);
	return 0;
}

int pvb_se_image_parse(const uint8_t *buf, size_t len, struct pvb_se_image *out, char *err,
		       size_t errlen)
{
	uint64_t hdr_off, hdr_len, ipib_off;
	char source[sizeof(out->source)];
	int rc;

	memset(out, 0, sizeof(*out));
	if (len >= META_OFF + 8 && !memcmp(buf + META_OFF, META_MAGIC, 8))
		rc = locate_by_metadata(buf, len, out, err, errlen);
	else
		rc = locate_by_scan(buf, len, out, err, errlen);
	if (rc)
		return -1;
	hdr_off = out->hdr_off;
	ipib_off = out->ipib_off;
	memcpy(source, out->source, sizeof(source));

	if (check_page_offset(source, "SE header", hdr_off, len, err, errlen) ||
	    check_page_offset(source, "IPL block", ipib_off, len, err, errlen))
		return -1;
	if (hdr_check(buf, len, hdr_off, false, &hdr_len, err, errlen))
		return -1;
	if (ipl_parse(buf + ipib_off, len - ipib_off, ipib_off, true, out, err, errlen))
		return -1;

	/* The block names the header too: genprotimg leaves the address 0 for stage3a to
	 * fill in, pvimg writes it; both write the length. */
	if (out->hdr_len != hdr_len)
		return fail(err, errlen,
			    "IPL block at %#" PRIx64 ": SE header length %" PRIu64
			    " (offset %#" PRIx64 ") differs from the header's own %" PRIu64
			    " at %#" PRIx64 ": corrupt image",
			    ipib_off, out->hdr_len, ipib_off + 0x80, hdr_len, hdr_off);
	if (out->hdr_off && out->hdr_off != hdr_off)
		return fail(err, errlen,
			    "IPL block at %#" PRIx64 ": SE header address %#" PRIx64
			    " (offset %#" PRIx64 ") differs from the header found at %#" PRIx64
			    ": corrupt image",
			    ipib_off, out->hdr_off, ipib_off + 0x78, hdr_off);
	if (overlaps(hdr_off, hdr_len, ipib_off, out->ipib_len))
		return fail(err, errlen,
			    "%s: SE header [%#" PRIx64 ", %#" PRIx64 ") overlaps "
			    "the IPL block [%#" PRIx64 ", %#" PRIx64 "): corrupt image",
			    source, hdr_off, hdr_off + hdr_len, ipib_off, ipib_off + out->ipib_len);
	/* The image is laid out as the guest memory it becomes, and both tools write every
	 * component padded to whole pages: each must lie in the file, clear of header and block. */
	for (int i = 0; i < out->ncomp; i++) {
		const struct pvb_se_comp *c = &out->comp[i];

		if (c->addr + c->size > len)
			return fail(err, errlen,
				    "IPL block at %#" PRIx64 ": component %d [%#" PRIx64
				    ", %#" PRIx64 ") extends past the end of the image (%#zx "
				    "bytes): truncated file?",
				    ipib_off, i, c->addr, c->addr + c->size, len);
		if (overlaps(c->addr, c->size, hdr_off, hdr_len) ||
		    overlaps(c->addr, c->size, ipib_off, out->ipib_len))
			return fail(err, errlen,
				    "IPL block at %#" PRIx64 ": component %d [%#" PRIx64
				    ", %#" PRIx64 ") overlaps the SE header or the IPL "
				    "block: corrupt image",
				    ipib_off, i, c->addr, c->addr + c->size);
	}
	out->hdr_off = hdr_off;
	out->hdr_len = hdr_len;
	out->ipib_off = ipib_off;
	memcpy(out->source, source, sizeof(source));
	return 0;
}

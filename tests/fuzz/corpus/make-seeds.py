#!/usr/bin/env python3
# Writes the hand-made SE image and IPL block seeds of tests/fuzz/corpus (the layouts of
# tests/unit/test_seimg.c, moved to the lowest offsets the parser allows to keep them small).
# The text seeds (sweep, parse, csv, pvem) are committed as they are.
import os
import struct

here = os.path.dirname(os.path.abspath(__file__))


def hdr(nks=1, sea=128):
    n = 0x1A0 + nks * 80 + sea + 16
    h = bytearray(n)
    h[0:8] = b"IBMSecEx"
    struct.pack_into(">IIQQ", h, 8, 0x100, n, 0, 0)
    struct.pack_into(">QQ", h, 32, nks, sea)
    return h


def ipib(comps, hdr_addr, hdr_len, page_len):
    n = len(comps)
    blen = 4096 if page_len else 0x88 + 24 * n
    b = bytearray(blen)
    struct.pack_into(">I", b, 0, blen)
    b[7] = 1
    struct.pack_into(">I", b, 8, 0x80 + 24 * n)
    b[12] = 5
    b[0x6F] = 0 if page_len else 1
    struct.pack_into(">IQQ", b, 0x74, n, hdr_addr, hdr_len)
    for i, (addr, size, tweak) in enumerate(comps):
        struct.pack_into(">QQQ", b, 0x88 + 24 * i, tweak, addr, size)
    return b


COMPS = [(0x0, 0x2000, 1 << 48), (0x2000, 0x1000, 2 << 48), (0x3000, 0x1000, 3 << 48)]


def new_image():
    # SeImgLnx metadata at 0xc000, header at 0xd000, IPL block (exact length) at 0xe000.
    h = hdr()
    b = ipib(COMPS, 0xD000, len(h), False)
    img = bytearray(0xE000 + len(b))
    img[0xC000:0xC008] = b"SeImgLnx"
    struct.pack_into(">QIQ", img, 0xC008, 0xD000, 1, 0xE000)
    img[0xD000:0xD000 + len(h)] = h
    img[0xE000:] = b
    return img


def old_image():
    # stage3a arguments at 0x10000, IPL block (one page, address 0) at 0x11000, header at
    # 0x14000 found by the magic scan, which ends the file.
    h = hdr()
    img = bytearray(0x14000 + len(h))
    struct.pack_into(">QQQ", img, 0x10000, 0x14000 - 0x10000, len(h), 0x11000 - 0x10000)
    img[0x11000:0x12000] = ipib(COMPS, 0, len(h), True)
    img[0x14000:] = h
    return img


def write(target, name, data):
    d = os.path.join(here, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


write("fuzz_seimg", "new-layout.img", new_image())
write("fuzz_seimg", "old-layout.img", old_image())
write("fuzz_seimg", "bare-header.bin", hdr())
write("fuzz_seimg", "bare-header-2slots.bin", hdr(2, 256))
write("fuzz_ipl", "exact-3comp.bin", ipib(COMPS, 0xD000, 640, False))
write("fuzz_ipl", "page-truncated.bin", ipib(COMPS, 0, 640, True)[:0x88 + 80])
write("fuzz_ipl", "one-comp.bin", ipib(COMPS[:1], 0x5000, 640, False))
write("fuzz_ipl", "overlap-near-valid.bin",
      ipib([(0x0, 0x2000, 1), (0x1000, 0x1000, 2)], 0x5000, 640, False))

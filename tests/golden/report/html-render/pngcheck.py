# pngcheck.py FILE: the pixels of a PNG (8-bit RGB or RGBA, as Chromium
# writes them), without extra packages: how many colours, and whether
# the chart colours (bars #1a4c8b, success rate #2e7d32) cover a fair
# area, i.e. the SVG charts above the fold were drawn.
import struct
import sys
import zlib

data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, w, h, ctype = 8, b"", 0, 0, 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        assert depth == 8 and ctype in (2, 6), "not 8-bit RGB(A)"
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
bpp = 4 if ctype == 6 else 3
raw = zlib.decompress(idat)
stride = w * bpp
prev = bytearray(stride)
colours = {}
for y in range(h):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if f == 1:
            line[i] = (line[i] + a) & 255
        elif f == 2:
            line[i] = (line[i] + b) & 255
        elif f == 3:
            line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else
                                  b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp):
        k = bytes(line[x:x + 3])
        colours[k] = colours.get(k, 0) + 1
    prev = line
print("colours: %s" % ("many" if len(colours) >= 3 else "too few"))
for name, rgb in (("cases bars", b"\x1a\x4c\x8b"),
                  ("success rate bars", b"\x2e\x7d\x32")):
    print("%s: %s" % (name, "drawn" if colours.get(rgb, 0) >= 2000 else
                      "MISSING (%d px)" % colours.get(rgb, 0)))

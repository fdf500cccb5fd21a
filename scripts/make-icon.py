#!/usr/bin/env python3
"""make-icon.py — draw gatescope's icon, once as SVG and once as a 256x256 PNG, from
the same shapes: a state line running through a gate (a valve with its slot), over a
heatmap strip of gate values in viridis.  Pure Python (zlib for the PNG, 4x4
supersampling); the outputs are committed in app/packaging/, so the build needs none
of this.

    python3 scripts/make-icon.py app/packaging
"""
import math
import os
import struct
import sys
import zlib

SIZE = 256
BG = (0x1b, 0x1f, 0x27)
LINE = (0x4e, 0x9c, 0xe8)   # the state line (the lstm's blue)
GATE = (0x2e, 0xc0, 0x7a)   # the gate (viridis-ish green)
VIRIDIS = [(0x44, 0x01, 0x54), (0x3b, 0x52, 0x8b), (0x21, 0x90, 0x8d), (0x5d, 0xc8, 0x63),
           (0xfd, 0xe7, 0x25)]

# the gate values of the strip: 3 units x 8 steps, 0..1
CELLS = [[0.15, 0.3, 0.55, 0.8, 0.95, 0.9, 0.7, 0.5],
         [0.9, 0.85, 0.6, 0.35, 0.2, 0.3, 0.55, 0.75],
         [0.4, 0.6, 0.75, 0.9, 0.6, 0.35, 0.15, 0.1]]


def viridis(v):
    x = v * (len(VIRIDIS) - 1)
    i = min(int(x), len(VIRIDIS) - 2)
    f = x - i
    return tuple(round(a + (b - a) * f) for a, b in zip(VIRIDIS[i], VIRIDIS[i + 1]))


def shapes():
    """Each shape: (kind, params, colour); drawn in order."""
    s = [("rrect", (8, 8, 240, 240, 48), BG)]
    s.append(("rect", (36, 90, 150, 12), LINE))                           # the state line
    s.append(("poly", [(186, 76), (222, 96), (186, 116)], LINE))          # its arrow
    s.append(("ring", (110, 96, 34, 10), GATE))                           # the valve
    s.append(("rect", (104, 74, 12, 44), GATE))                           # its slot
    for r, row in enumerate(CELLS):                                       # the strip
        for c, v in enumerate(row):
            s.append(("rect", (40 + c * 22, 150 + r * 22, 20, 20), viridis(v)))
    return s


def inside(kind, p, x, y):
    if kind == "rect":
        return p[0] <= x < p[0] + p[2] and p[1] <= y < p[1] + p[3]
    if kind == "rrect":
        x0, y0, w, h, r = p
        if not (x0 <= x < x0 + w and y0 <= y < y0 + h):
            return False
        cx = min(max(x, x0 + r), x0 + w - r)
        cy = min(max(y, y0 + r), y0 + h - r)
        return (x - cx) ** 2 + (y - cy) ** 2 <= r * r
    if kind == "ring":
        cx, cy, r, w = p
        d = math.hypot(x - cx, y - cy)
        return r - w / 2 <= d <= r + w / 2
    if kind == "poly":
        sign = None
        for (ax, ay), (bx, by) in zip(p, p[1:] + p[:1]):
            cross = (bx - ax) * (y - ay) - (by - ay) * (x - ax)
            if cross != 0:
                if sign is None:
                    sign = cross > 0
                elif sign != (cross > 0):
                    return False
        return True
    raise ValueError(kind)


def bounds(kind, p):
    if kind in ("rect", "rrect"):
        return p[0], p[1], p[0] + p[2], p[1] + p[3]
    if kind == "ring":
        cx, cy, r, w = p
        e = r + w / 2
        return cx - e, cy - e, cx + e, cy + e
    xs = [q[0] for q in p]
    ys = [q[1] for q in p]
    return min(xs), min(ys), max(xs), max(ys)


def png(path):
    n = 4  # samples per pixel along each axis
    img = [[(0, 0, 0, 0) for _ in range(SIZE)] for _ in range(SIZE)]
    for kind, p, col in shapes():
        x0, y0, x1, y1 = bounds(kind, p)
        for py in range(max(0, int(y0) - 1), min(SIZE, int(y1) + 2)):
            for px in range(max(0, int(x0) - 1), min(SIZE, int(x1) + 2)):
                hit = sum(inside(kind, p, px + (i + 0.5) / n, py + (j + 0.5) / n)
                          for i in range(n) for j in range(n))
                if not hit:
                    continue
                a = hit / (n * n)
                r, g, b, da = img[py][px]
                oa = a + da * (1 - a)  # "over", with premultiplied sums
                mix = [(c * a + d * da * (1 - a)) / oa for c, d in zip(col, (r, g, b))]
                img[py][px] = (*[round(m) for m in mix], oa)
    raw = b"".join(b"\0" + b"".join(struct.pack("BBBB", r, g, b, round(a * 255))
                                     for r, g, b, a in row) for row in img)

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))


def svg(path):
    hexc = lambda c: "#%02x%02x%02x" % c
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d">'
           % (SIZE, SIZE, SIZE, SIZE),
           "  <title>gatescope</title>"]
    for kind, p, col in shapes():
        if kind == "rect":
            out.append('  <rect x="%g" y="%g" width="%g" height="%g" fill="%s"/>' % (*p, hexc(col)))
        elif kind == "rrect":
            out.append('  <rect x="%g" y="%g" width="%g" height="%g" rx="%g" fill="%s"/>'
                       % (*p, hexc(col)))
        elif kind == "ring":
            out.append('  <circle cx="%g" cy="%g" r="%g" fill="none" stroke="%s" stroke-width="%g"/>'
                       % (p[0], p[1], p[2], hexc(col), p[3]))
        else:
            pts = " ".join("%g,%g" % q for q in p)
            out.append('  <polygon points="%s" fill="%s"/>' % (pts, hexc(col)))
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    outdir = sys.argv[1] if len(sys.argv) > 1 else "app/packaging"
    os.makedirs(outdir, exist_ok=True)
    svg(os.path.join(outdir, "gatescope.svg"))
    png(os.path.join(outdir, "gatescope.png"))

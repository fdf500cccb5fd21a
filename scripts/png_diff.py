#!/usr/bin/env python3
"""png_diff.py — compare PNGs by their decoded pixels (not their bytes).

    png_diff.py A.png B.png      one pair
    png_diff.py DIR_A DIR_B      every *.png (and *.md, byte for byte) under DIR_A
                                 against the same relative path under DIR_B

Prints one line per file: "same", or how many pixels differ and where, or what is
missing.  Exit status 0 only if every file is identical.  Needs only the standard
library (zlib): 8-bit greyscale, RGB, palette, grey+alpha and RGBA, not interlaced.
"""
import os
import struct
import sys
import zlib

CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def decode(path):
    """(width, height, rows) with rows a list of bytes objects, RGBA per pixel."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG")
    pos, idat, plte = 8, [], None
    width = height = depth = ctype = interlace = None
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            plte = body
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if depth != 8 or interlace != 0 or ctype not in CHANNELS:
        raise ValueError(f"{path}: unsupported PNG (depth {depth}, colour type {ctype}, "
                         f"interlace {interlace})")
    ch = CHANNELS[ctype]
    raw = zlib.decompress(b"".join(idat))
    stride = width * ch
    rows, prev, at = [], bytearray(stride), 0
    for _ in range(height):
        filt, line = raw[at], bytearray(raw[at + 1:at + 1 + stride])
        at += 1 + stride
        for i in range(stride):
            a = line[i - ch] if i >= ch else 0
            b = prev[i]
            c = prev[i - ch] if i >= ch else 0
            if filt == 1:
                line[i] = (line[i] + a) & 255
            elif filt == 2:
                line[i] = (line[i] + b) & 255
            elif filt == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif filt == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 255
        prev = line
        rows.append(bytes(to_rgba(line, ctype, plte)))
    return width, height, rows


def to_rgba(line, ctype, plte):
    if ctype == 6:
        return line
    out = bytearray()
    if ctype == 2:
        for i in range(0, len(line), 3):
            out += line[i:i + 3] + b"\xff"
    elif ctype == 0:
        for v in line:
            out += bytes((v, v, v, 255))
    elif ctype == 4:
        for i in range(0, len(line), 2):
            out += bytes((line[i], line[i], line[i], line[i + 1]))
    else:  # palette
        for v in line:
            out += plte[3 * v:3 * v + 3] + b"\xff"
    return out


def compare_png(a, b):
    """'' if the pixels are equal, else a short description of the difference.  Equal
    bytes are equal pixels; otherwise both are decoded (the encoder may differ)."""
    with open(a, "rb") as fa, open(b, "rb") as fb:
        if fa.read() == fb.read():
            return ""
    wa, ha, ra = decode(a)
    wb, hb, rb = decode(b)
    if (wa, ha) != (wb, hb):
        return f"size {wa}x{ha} vs {wb}x{hb}"
    count, box = 0, None
    for y in range(ha):
        if ra[y] == rb[y]:
            continue
        for x in range(wa):
            if ra[y][4 * x:4 * x + 4] != rb[y][4 * x:4 * x + 4]:
                count += 1
                box = (x, y, x, y) if box is None else (min(box[0], x), min(box[1], y),
                                                        max(box[2], x), max(box[3], y))
    if count == 0:
        return ""
    return f"{count} pixels differ, within x {box[0]}..{box[2]}, y {box[1]}..{box[3]}"


def files_under(root):
    out = set()
    for d, _, names in os.walk(root):
        for n in names:
            if n.endswith(".png") or n.endswith(".md"):
                out.add(os.path.relpath(os.path.join(d, n), root))
    return out


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    a, b = argv[1], argv[2]
    if os.path.isdir(a) and os.path.isdir(b):
        pairs = sorted(files_under(a) | files_under(b))
    else:
        pairs = [None]
    bad = 0
    for rel in pairs:
        pa, pb = (a, b) if rel is None else (os.path.join(a, rel), os.path.join(b, rel))
        name = rel or f"{a} vs {b}"
        if not os.path.exists(pa) or not os.path.exists(pb):
            print(f"{name}: only in {a if os.path.exists(pa) else b}")
            bad += 1
            continue
        if name.endswith(".md"):
            with open(pa, "rb") as fa, open(pb, "rb") as fb:
                why = "" if fa.read() == fb.read() else "text differs"
        else:
            why = compare_png(pa, pb)
        print(f"{name}: {'same' if not why else why}")
        bad += bool(why)
    print(f"png_diff: {len(pairs)} files, {bad} differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

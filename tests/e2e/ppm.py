#!/usr/bin/env python3
"""Image helpers for the end-to-end tests (python3 standard library only).

Reads PPM (P6, maxval 255: QEMU's screendump default; maxval 65535:
ImageMagick's `import -window ID x.ppm` without -depth 8) and 8-bit
non-interlaced PNG (RGB, RGBA, grey).
Knows the test guest's picture and status area (tests/guest/README.md).

    ppm.py size FILE                      prints WxH
    ppm.py pixel FILE X Y                 prints "R G B" (decimal)
    ppm.py compare A B [--crop X,Y,W,H] [--offset DX,DY] [--tolerance T]
                       [--max-diff N]
        compares A's pixels (inside the crop, default all of A) with B's at
        (x+DX, y+DY); a pixel differs when a channel differs by more than T
        (default 0). Prints "N differing of M" and the first difference;
        exit 0 when N <= max-diff (default 0).
    ppm.py status FILE [--origin X,Y] [--scale S|SX,SY] [--auto yes]
        decodes the guest's status area (at X,Y in FILE, drawn S times
        larger, both default to the plain screendump; --auto yes finds
        both in a window capture) and prints JSON: {"valid", "keys" (hex,
        most recent first), "count", "width", "height", "anim", "frame",
        "errors", "origin", "scale"}. Exit 0 when valid.
    ppm.py picture FILE [--origin X,Y] [--size WxH] [--tolerance T]
        compares FILE with the documented still picture of the guest's mode
        (size from the status area unless --size), status area excluded.
        Prints JSON {"width", "height", "differing", "first", "corners"};
        exit 0 when nothing differs.
    ppm.py expected W H OUT.ppm           writes the documented picture
                                          (status area as right after boot)
Exit status: 0 success, 1 mismatch/invalid, 2 misuse or unreadable file.
"""

import json
import os
import struct
import sys
import zlib


class ImageError(Exception):
    pass


class Image:
    """RGB, 3 bytes per pixel, rows top to bottom."""

    def __init__(self, width, height, data=None):
        self.width = width
        self.height = height
        self.data = bytearray(data if data is not None else width * height * 3)
        if len(self.data) != width * height * 3:
            raise ImageError("pixel data is %d bytes, want %d" %
                             (len(self.data), width * height * 3))

    def pixel(self, x, y):
        if not (0 <= x < self.width and 0 <= y < self.height):
            raise ImageError("pixel %d,%d is outside %dx%d" %
                             (x, y, self.width, self.height))
        i = (y * self.width + x) * 3
        return tuple(self.data[i:i + 3])

    def set_pixel(self, x, y, rgb):
        i = (y * self.width + x) * 3
        self.data[i:i + 3] = bytes(rgb)

    def row(self, y):
        return self.data[y * self.width * 3:(y + 1) * self.width * 3]

    def write_ppm(self, path):
        with open(path, "wb") as f:
            f.write(b"P6\n%d %d\n255\n" % (self.width, self.height))
            f.write(self.data)


def _ppm_tokens(data, count):
    """The first count header tokens of a PNM file and the offset after the
    single whitespace byte that ends the last one."""
    tokens, i, n = [], 0, len(data)
    while len(tokens) < count:
        while i < n and data[i:i + 1].isspace():
            i += 1
        if i < n and data[i:i + 1] == b"#":
            while i < n and data[i:i + 1] not in (b"\n", b"\r"):
                i += 1
            continue
        start = i
        while i < n and not data[i:i + 1].isspace() and data[i:i + 1] != b"#":
            i += 1
        if start == i:
            raise ImageError("truncated PPM header")
        tokens.append(data[start:i])
    return tokens, i + 1


def read_ppm_bytes(data):
    tokens, off = _ppm_tokens(data, 4)
    if tokens[0] != b"P6":
        raise ImageError("not a binary PPM (P6): starts with %r" % tokens[0])
    w, h, maxval = (int(t) for t in tokens[1:])
    if maxval == 255:
        pixels = data[off:off + w * h * 3]
        if len(pixels) != w * h * 3:
            raise ImageError("PPM %dx%d is truncated" % (w, h))
        return Image(w, h, pixels)
    if maxval == 65535:
        # 16-bit samples, big-endian (ImageMagick's Q16 default): 8-bit
        # values come back exactly (v = b * 257).
        raw = data[off:off + w * h * 6]
        if len(raw) != w * h * 6:
            raise ImageError("PPM %dx%d is truncated" % (w, h))
        return Image(w, h, bytes((v * 255 + 32767) // 65535
                                 for v in struct.unpack(">%dH" % (w * h * 3), raw)))
    raise ImageError("PPM maxval %d is not supported (255 or 65535)" % maxval)


def _paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def read_png_bytes(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ImageError("not a PNG")
    i, idat, hdr = 8, [], None
    while i + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[i:i + 8])
        chunk = data[i + 8:i + 8 + length]
        if kind == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat.append(chunk)
        elif kind == b"IEND":
            break
        i += 12 + length
    if hdr is None:
        raise ImageError("PNG without IHDR")
    w, h, depth, ctype, _, _, interlace = hdr
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(ctype)
    if depth != 8 or channels is None or interlace:
        raise ImageError("PNG depth %d colour type %d interlace %d is not "
                         "supported (8-bit grey/RGB/RGBA, not interlaced)" %
                         (depth, ctype, interlace))
    raw = zlib.decompress(b"".join(idat))
    stride = w * channels
    prev = bytearray(stride)
    out = bytearray()
    pos = 0
    for _ in range(h):
        ftype = raw[pos]
        line = bytearray(raw[pos + 1:pos + 1 + stride])
        pos += 1 + stride
        bpp = channels
        if ftype == 1:
            for x in range(bpp, stride):
                line[x] = (line[x] + line[x - bpp]) & 255
        elif ftype == 2:
            for x in range(stride):
                line[x] = (line[x] + prev[x]) & 255
        elif ftype == 3:
            for x in range(stride):
                left = line[x - bpp] if x >= bpp else 0
                line[x] = (line[x] + ((left + prev[x]) >> 1)) & 255
        elif ftype == 4:
            for x in range(stride):
                left = line[x - bpp] if x >= bpp else 0
                upleft = prev[x - bpp] if x >= bpp else 0
                line[x] = (line[x] + _paeth(left, prev[x], upleft)) & 255
        elif ftype != 0:
            raise ImageError("PNG filter type %d is invalid" % ftype)
        if channels == 3:
            out += line
        elif channels == 4:
            for x in range(w):
                out += line[x * 4:x * 4 + 3]
        else:
            for x in range(w):
                g = line[x * channels]
                out += bytes((g, g, g))
        prev = line
    return Image(w, h, out)


def read_image(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise ImageError(str(e))
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return read_png_bytes(data)
    return read_ppm_bytes(data)


# --- The test guest's picture (keep in step with tests/guest/README.md and
# tests/guest/guest.c) ---------------------------------------------------

CELL = 16
STATUS_CELLS = 14
MARK = 16
KEY_SLOTS = 8
TL, TR, BL, BR = (255, 0, 128), (0, 255, 128), (128, 0, 255), (255, 128, 0)
BORDER = (0x20, 0x40, 0xFF)
GRID = (0x80, 0x80, 0x80)
GRID_STEP = 32
BARS = [(255, 255, 255), (255, 255, 0), (0, 255, 255), (0, 255, 0),
        (255, 0, 255), (255, 0, 0), (0, 0, 255), (0, 0, 0)]


def status_cells(keys=(), count=0, width=640, height=480, anim=False, frame=0):
    """The colours of the status cells; keys most recent first."""
    cells = [TL]
    for s in range(KEY_SLOTS):
        if s < len(keys):
            cells.append((keys[s], 0xA0 | s, 0x5A))
        else:
            cells.append((0, 0x20 | s, 0x5A))
    cells.append((count & 255, (count >> 8) & 255, 0xC3))
    cells.append((width >> 8, width & 255, 0x3C))
    cells.append((height >> 8, height & 255, 0x3D))
    cells.append((1 if anim else 0, frame & 255, 0x99))
    cells.append((0x5A, 0xA5, 0x0F))
    return cells


def in_status(x, y):
    return y < CELL and x < CELL * STATUS_CELLS


def expected_picture(w, h, status=True):
    """The still picture for mode w x h (status area as after boot)."""
    img = Image(w, h)
    bars = bytearray()
    for x in range(w):
        bars += bytes(BARS[x * 8 // w])
    grey_row = bytes(GRID) * w
    for y in range(h):
        if y % GRID_STEP == 0:
            row = bytearray(grey_row)
        elif y < h // 2:
            row = bytearray(bars)
        else:
            row = bytearray(w * 3)
            row[0::3] = bytes(x & 255 for x in range(w))
            row[1::3] = bytes([y & 255]) * w
            row[2::3] = bytes(0x80 | ((x >> 8) & 7) << 3 | ((y >> 8) & 7)
                              for x in range(w))
        if y % GRID_STEP:
            for x in range(0, w, GRID_STEP):
                row[x * 3:x * 3 + 3] = bytes(GRID)
        if y == 0 or y == h - 1:
            row[:] = bytes(BORDER) * w
        else:
            row[0:3] = bytes(BORDER)
            row[(w - 1) * 3:w * 3] = bytes(BORDER)
        if y < MARK:
            row[0:MARK * 3] = bytes(TL) * MARK
            row[(w - MARK) * 3:] = bytes(TR) * MARK
        elif y >= h - MARK:
            row[0:MARK * 3] = bytes(BL) * MARK
            row[(w - MARK) * 3:] = bytes(BR) * MARK
        img.data[y * w * 3:(y + 1) * w * 3] = row
    if status:
        for i, rgb in enumerate(status_cells(width=w, height=h)):
            for y in range(CELL):
                off = (y * w + i * CELL) * 3
                img.data[off:off + CELL * 3] = bytes(rgb) * CELL
    return img


def decode_status(img, origin=(0, 0), scale=(1.0, 1.0)):
    """Reads the status cells at their centres."""
    ox, oy = origin
    sx, sy = scale
    errors = []

    def cell(i):
        x = int(ox + (i * CELL + CELL / 2) * sx)
        y = int(oy + (CELL / 2) * sy)
        return img.pixel(x, y)

    try:
        cells = [cell(i) for i in range(STATUS_CELLS)]
    except ImageError as e:
        return {"valid": False, "errors": [str(e)]}
    if cells[0] != TL:
        errors.append("cell 0 is %r, want the top-left mark %r" % (cells[0], TL))
    if cells[13] != (0x5A, 0xA5, 0x0F):
        errors.append("cell 13 is %r, want the end mark (90, 165, 15)" % (cells[13],))
    keys = []
    for s in range(KEY_SLOTS):
        r, g, b = cells[1 + s]
        if b != 0x5A or g not in (0xA0 | s, 0x20 | s):
            errors.append("key cell %d is %r: bad markers" % (s, (r, g, b)))
        elif g == (0xA0 | s):
            if len(keys) != s:
                errors.append("key slot %d filled after an empty one" % s)
            keys.append("%02x" % r)
    r, g, b = cells[9]
    if b != 0xC3:
        errors.append("count cell is %r: bad marker" % ((r, g, b),))
    count = r | g << 8
    r, g, b = cells[10]
    if b != 0x3C:
        errors.append("width cell is %r: bad marker" % ((r, g, b),))
    width = r << 8 | g
    r, g, b = cells[11]
    if b != 0x3D:
        errors.append("height cell is %r: bad marker" % ((r, g, b),))
    height = r << 8 | g
    r, g, b = cells[12]
    if b != 0x99 or r not in (0, 1):
        errors.append("animation cell is %r: bad marker" % ((r, g, b),))
    return {"valid": not errors, "keys": keys, "count": count,
            "width": width, "height": height, "anim": r == 1, "frame": g,
            "errors": errors}


def _near(p, q, tol):
    return all(abs(a - b) <= tol for a, b in zip(p, q))


def _run_length(img, x, y, rgb, dx, dy, tol):
    """Length of the run of colour rgb (within tol) from x,y along dx,dy."""
    n = 0
    while 0 <= x + n * dx < img.width and 0 <= y + n * dy < img.height and \
            _near(img.pixel(x + n * dx, y + n * dy), rgb, tol):
        n += 1
    return n


def locate_status(img, tol=8):
    """Finds the status area in a capture (a window that letterboxes or
    scales the guest). Scalers that smooth blur the cells' edges but keep
    their centres, so this measures centres: of cell 0 (the top-left-most
    run of the sync colour) and of cell 13 (the end mark) in the same row.
    Returns ((x, y), (sx, sy)) for decode_status, or None."""
    end = (0x5A, 0xA5, 0x0F)
    for y in range(img.height):
        row = img.row(y)
        for x in range(img.width):
            if not _near(row[x * 3:x * 3 + 3], TL, tol):
                continue
            run = _run_length(img, x, y, TL, 1, 0, tol)
            if run < 2:
                continue
            # Centres in continuous coordinates: pixel p covers [p, p+1).
            cx = x + run / 2
            down = _run_length(img, int(cx), y, TL, 0, 1, tol)
            cy = y + down / 2
            # The end mark's centre is 13 cells to the right.
            xe = x + run
            while xe < img.width and not _near(img.pixel(xe, int(cy)), end, tol):
                xe += 1
            if xe >= img.width:
                return None
            erun = _run_length(img, xe, int(cy), end, 1, 0, tol)
            sx = (xe + erun / 2 - cx) / (13 * CELL)
            sy = sx if down >= run else down / CELL
            return (cx - CELL / 2 * sx, cy - CELL / 2 * sy), (sx, sy)
    return None


def compare(a, b, crop=None, offset=(0, 0), tolerance=0, skip=None):
    """Counts pixels of a (inside crop) that differ from b at +offset.
    Returns (differing, total, first) with first = (x, y, a_rgb, b_rgb)."""
    cx, cy, cw, ch = crop or (0, 0, a.width, a.height)
    dx, dy = offset
    if cx < 0 or cy < 0 or cx + cw > a.width or cy + ch > a.height:
        raise ImageError("crop %d,%d,%d,%d is outside the first image %dx%d" %
                         (cx, cy, cw, ch, a.width, a.height))
    if (cx + dx < 0 or cy + dy < 0 or cx + dx + cw > b.width or
            cy + dy + ch > b.height):
        raise ImageError("region %d,%d %dx%d is outside the second image %dx%d" %
                         (cx + dx, cy + dy, cw, ch, b.width, b.height))
    differing, first = 0, None
    for y in range(cy, cy + ch):
        ra = a.data[(y * a.width + cx) * 3:(y * a.width + cx + cw) * 3]
        yb = y + dy
        rb = b.data[(yb * b.width + cx + dx) * 3:(yb * b.width + cx + dx + cw) * 3]
        if ra == rb:
            continue
        for i in range(cw):
            x = cx + i
            if skip and skip(x, y):
                continue
            pa = ra[i * 3:i * 3 + 3]
            pb = rb[i * 3:i * 3 + 3]
            if pa == pb:
                continue
            if tolerance and all(abs(p - q) <= tolerance for p, q in zip(pa, pb)):
                continue
            differing += 1
            if first is None:
                first = (x, y, tuple(pa), tuple(pb))
    return differing, cw * ch, first


def _pair(text, sep=",", kind=int):
    parts = text.replace("x", sep).split(sep) if sep == "," else text.split(sep)
    return tuple(kind(p) for p in parts)


def _options(args, known):
    """--name value pairs into a dict; the rest stays positional."""
    opts, pos = {}, []
    i = 0
    while i < len(args):
        if args[i] in known:
            if i + 1 >= len(args):
                raise ImageError("%s needs a value" % args[i])
            opts[args[i]] = args[i + 1]
            i += 2
        elif args[i].startswith("--"):
            raise ImageError("unknown option %s (accepted: %s)" %
                             (args[i], ", ".join(sorted(known))))
        else:
            pos.append(args[i])
            i += 1
    return opts, pos


def main(argv):
    if not argv:
        sys.stderr.write(__doc__)
        return 2
    cmd, args = argv[0], argv[1:]
    try:
        if cmd == "size" and len(args) == 1:
            img = read_image(args[0])
            print("%dx%d" % (img.width, img.height))
            return 0
        if cmd == "pixel" and len(args) == 3:
            img = read_image(args[0])
            print("%d %d %d" % img.pixel(int(args[1]), int(args[2])))
            return 0
        if cmd == "expected" and len(args) == 3:
            expected_picture(int(args[0]), int(args[1])).write_ppm(args[2])
            return 0
        if cmd == "compare":
            opts, pos = _options(args, {"--crop", "--offset", "--tolerance",
                                        "--max-diff"})
            if len(pos) != 2:
                raise ImageError("compare takes two images")
            a, b = read_image(pos[0]), read_image(pos[1])
            crop = _pair(opts["--crop"]) if "--crop" in opts else None
            if crop is None and "--offset" not in opts and \
                    (a.width, a.height) != (b.width, b.height):
                print("sizes differ: %dx%d and %dx%d" %
                      (a.width, a.height, b.width, b.height))
                return 1
            n, total, first = compare(
                a, b, crop, _pair(opts.get("--offset", "0,0")),
                int(opts.get("--tolerance", 0)))
            print("%d differing of %d" % (n, total))
            if first:
                print("first at %d,%d: %r vs %r" % first)
            return 0 if n <= int(opts.get("--max-diff", 0)) else 1
        if cmd == "status":
            opts, pos = _options(args, {"--origin", "--scale", "--auto"})
            if len(pos) != 1:
                raise ImageError("status takes one image")
            img = read_image(pos[0])
            scale = _pair(opts.get("--scale", "1"), kind=float)
            if len(scale) == 1:
                scale = (scale[0], scale[0])
            origin = _pair(opts.get("--origin", "0,0"))
            if opts.get("--auto") == "yes":
                found = locate_status(img)
                if not found:
                    print(json.dumps({"valid": False,
                                      "errors": ["no status area found"]}))
                    return 1
                origin, scale = found
            st = decode_status(img, origin, scale)
            st["origin"] = [round(v, 1) for v in origin]
            st["scale"] = [round(v, 3) for v in scale]
            print(json.dumps(st))
            return 0 if st["valid"] else 1
        if cmd == "picture":
            opts, pos = _options(args, {"--origin", "--size", "--tolerance"})
            if len(pos) != 1:
                raise ImageError("picture takes one image")
            img = read_image(pos[0])
            ox, oy = _pair(opts.get("--origin", "0,0"))
            if "--size" in opts:
                w, h = _pair(opts["--size"], "x")
            else:
                st = decode_status(img, (ox, oy))
                if not st["valid"]:
                    print(json.dumps({"error": "no status area",
                                      "status": st}))
                    return 1
                w, h = st["width"], st["height"]
            want = expected_picture(w, h, status=False)
            # compare() reads the first image inside the crop: use the
            # expected picture as the first one, the file at the origin.
            n, total, first = compare(want, img, None, (ox, oy),
                                      int(opts.get("--tolerance", 0)),
                                      skip=in_status)
            half = MARK // 2
            corners = {}
            for name, x, y, rgb in (("tl", half, half, TL),
                                    ("tr", w - half, half, TR),
                                    ("bl", half, h - half, BL),
                                    ("br", w - half, h - half, BR)):
                corners[name] = (ox + x < img.width and oy + y < img.height
                                 and img.pixel(ox + x, oy + y) == rgb)
            out = {"width": w, "height": h, "differing": n, "total": total,
                   "first": first and [first[0], first[1], list(first[3]),
                                       list(first[2])],
                   "corners": corners}
            print(json.dumps(out))
            return 0 if n == 0 else 1
    except (ImageError, ValueError) as e:
        sys.stderr.write("ppm.py %s: %s\n" % (cmd, e))
        return 2
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BrokenPipeError:
        # The reader (head, grep -q) stopped early: not an error here.
        # Point stdout at /dev/null so the exit-time flush stays quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)

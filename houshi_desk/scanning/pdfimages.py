"""A small PDF writer for scanned pages: one image per page, the stored bytes embedded as they are.

JPEG goes in as DCTDecode and PNG as FlateDecode with PNG predictors (its IDAT stream is exactly
that), so exporting a material neither re-encodes nor loses anything and costs almost nothing.
Anything else (PNG with alpha or interlace, TIFF, CMYK) is decoded by Pillow and re-encoded.
Page size follows the pixels and the dpi, so an A4 scan prints as A4.
"""
from __future__ import annotations

import io
import struct
from dataclasses import dataclass

from PIL import Image

from houshi_desk.scanning.errors import ImageRejected


@dataclass
class _XImage:
    width: int
    height: int
    dict_entries: str
    stream: bytes


def _png_xobject(data: bytes) -> _XImage | None:
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return None
    pos, idat, plte, ihdr = 8, [], None, None
    while pos + 8 <= len(data):
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if ctype == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif ctype == b"PLTE":
            plte = body
        elif ctype == b"IDAT":
            idat.append(body)
        elif ctype == b"IEND":
            break
        pos += 12 + length
    if ihdr is None or not idat:
        return None
    w, h, bits, ctype, _comp, _filt, interlace = ihdr
    if interlace:
        return None
    if ctype == 0:
        cs, colors = "/DeviceGray", 1
    elif ctype == 2 and bits == 8:
        cs, colors = "/DeviceRGB", 3
    elif ctype == 3 and plte:
        hival = len(plte) // 3 - 1
        cs, colors = f"[/Indexed /DeviceRGB {hival} <{plte.hex()}>]", 1
    else:
        return None  # alpha channels need a soft mask: let Pillow flatten instead
    entries = (f"/ColorSpace {cs} /BitsPerComponent {bits} /Filter /FlateDecode "
               f"/DecodeParms << /Predictor 15 /Colors {colors} /BitsPerComponent {bits} /Columns {w} >>")
    return _XImage(w, h, entries, b"".join(idat))


def _jpeg_xobject(data: bytes) -> _XImage | None:
    if not data.startswith(b"\xff\xd8"):
        return None
    try:
        im = Image.open(io.BytesIO(data))
    except Exception:
        return None
    if im.format != "JPEG" or im.mode not in ("L", "RGB"):
        return None
    cs = "/DeviceGray" if im.mode == "L" else "/DeviceRGB"
    return _XImage(im.width, im.height, f"/ColorSpace {cs} /BitsPerComponent 8 /Filter /DCTDecode", data)


def _reencoded(data: bytes) -> _XImage:
    from houshi_desk.scanning.pipeline import decode

    im = decode(data, what="页面")
    im = im.convert("L" if im.mode in ("1", "L", "LA", "I;16") else "RGB")
    out = io.BytesIO()
    im.save(out, "JPEG", quality=85)
    x = _jpeg_xobject(out.getvalue())
    assert x is not None
    return x


def xobject(data: bytes) -> _XImage:
    return _png_xobject(data) or _jpeg_xobject(data) or _reencoded(data)


def images_pdf(pages: list[tuple[bytes, int | None]]) -> bytes:
    """A PDF with one page per (image bytes, dpi) in order; dpi None means 200."""
    if not pages:
        raise ImageRejected("没有页面，无法生成 PDF。")
    objs: list[bytes] = []  # object n is objs[n-1]

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    catalog = add(b"")  # filled in at the end
    pages_obj = add(b"")
    kids = []
    for data, dpi in pages:
        x = xobject(data)
        dpi = dpi or 200
        pw, ph = x.width * 72.0 / dpi, x.height * 72.0 / dpi
        img = add(f"<< /Type /XObject /Subtype /Image /Width {x.width} /Height {x.height} {x.dict_entries} "
                  f"/Length {len(x.stream)} >>\nstream\n".encode("latin-1") + x.stream + b"\nendstream")
        content = f"q {pw:.3f} 0 0 {ph:.3f} 0 0 cm /Im0 Do Q".encode("ascii")
        cont = add(f"<< /Length {len(content)} >>\nstream\n".encode("ascii") + content + b"\nendstream")
        kids.append(add(
            f"<< /Type /Page /Parent {pages_obj} 0 R /MediaBox [0 0 {pw:.3f} {ph:.3f}] "
            f"/Resources << /XObject << /Im0 {img} 0 R >> >> /Contents {cont} 0 R >>".encode("ascii")))
    objs[catalog - 1] = f"<< /Type /Catalog /Pages {pages_obj} 0 R >>".encode("ascii")
    objs[pages_obj - 1] = (f"<< /Type /Pages /Count {len(kids)} /Kids ["
                           + " ".join(f"{k} 0 R" for k in kids) + "] >>").encode("ascii")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(f"{n} 0 obj\n".encode("ascii") + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode("ascii"))
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode("ascii"))
    out.write(f"trailer\n<< /Size {len(objs) + 1} /Root {catalog} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode("ascii"))
    return out.getvalue()



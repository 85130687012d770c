"""Test inputs: synthetic pages and files in every import format, and broken ones."""
from __future__ import annotations

import io

from PIL import Image

from houshi_desk.scanning.synthetic import a4_page


def small_page(n: int = 0, dpi: int = 100) -> Image.Image:
    return a4_page(dpi, seed=n + 1, lines=12)


def encoded(im: Image.Image, fmt: str, **kw) -> bytes:
    out = io.BytesIO()
    im.save(out, fmt, **kw)
    return out.getvalue()


def multipage_tiff(n: int = 3, dpi: int = 100) -> bytes:
    pages = [small_page(i, dpi) for i in range(n)]
    return encoded(pages[0], "TIFF", save_all=True, append_images=pages[1:], compression="tiff_lzw", dpi=(dpi, dpi))


def multipage_pdf(n: int = 2) -> bytes:
    """A real vector PDF (reportlab), like an electronic certificate from a department."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for i in range(n):
        c.drawString(72, 760, f"Certificate page {i + 1}")
        c.rect(60, 60, 470, 700)
        c.showPage()
    c.save()
    return out.getvalue()


def bomb_png(side: int = 30000) -> bytes:
    """A real, complete PNG of side × side 1-bit pixels (900 Mpx) that is ~100 KB: a decompression
    bomb. Written by hand because having Pillow encode it takes seconds."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    row = b"\x00" + b"\xff" * ((side + 7) // 8)  # filter byte + one white row
    z = zlib.compressobj(9)
    idat = b"".join(z.compress(row) for _ in range(side)) + z.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")

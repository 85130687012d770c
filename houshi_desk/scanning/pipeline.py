"""The page pipeline (Pillow only): decode safely, crop to the paper, fix orientation, deskew,
clean the paper to white, convert to gray / colour / bitonal and compress to a small readable page.

Everything that measures the page (paper edges, skew, text direction) works on a ~50 dpi copy,
so a 300 dpi A4 page costs little more than its final resample and encode.

Formats, and why — chosen per page (:func:`encode_page`, issue 19). Goals: an A4 page ≤ 300 KB at
200 dpi (standard), ≤ 450 KB at 300 dpi (archival, the setting ``scanning.quality``), text legible:
- flat pages (text, tables, stamps, handwriting, printed dot screens on paper cleaned to pure white)
  → a few-level PNG: gray → 8 grey levels in a 4-bit indexed PNG (anti-aliased text stays smooth;
  a dense A4 certificate at 200 dpi is ~250 KB, lossless at that depth, without JPEG's ringing —
  JPEG needs quality ~30 to get there); colour → a 23-colour palette of greys and ink hues (red seals
  and numbers stay red, blue handwriting blue; light tints of the paper become white): ~290 KB where
  JPEG quality 60 is ~470 KB. "Flat" = the few-level page differs from the page by at most
  FLAT_MAX_ERROR grey levels on average; else (a photo, a bank card's picture) it would posterize;
- and JPEG quality 60 (4:2:0, chroma kept) always: the smaller of the two is stored;
- a page still over its budget (a halftone or textured page: the SANE test device's "Color pattern"
  in gray at 200 dpi was stored as a 646 KB JPEG, issue 19 saw 1.88 MB) keeps the most faithful (least mean difference)
  of the candidates that fit: few-level PNG whatever its error, 6 or 4 grey levels, JPEG 45 or 30;
- lineart → 1-bit PNG: lossless and readable everywhere.
Every consumer reads both (Pillow, Qt thumbnails, the OCR child); the stored format is recognised by its
magic bytes (:func:`stored_format`). PNG and JPEG data go into the exported PDF as they are (Flate with
PNG predictors, Indexed colour space / DCT), so export neither re-encodes nor loses anything. Pages
are stored at most at ``max_dpi`` (200, the usual archival resolution for text documents; 300 for
the archival quality): finer scans (300 dpi, 600 dpi A3 colour) are reduced first, which also makes
everything after it cheaper.
"""
from __future__ import annotations

import io
import statistics
import warnings
from dataclasses import dataclass, field

from PIL import Image, ImageOps, ImageStat, UnidentifiedImageError

from houshi_desk.scanning.errors import ImageRejected

# A 600 dpi A3 page is ~70 Mpx; anything above this is refused unread (decompression bombs).
MAX_PIXELS = 120_000_000
WORK_DPI = 50  # resolution of the copy that is measured
JPEG_QUALITY = 60
STORE_DPI = 200
ARCHIVAL_DPI = 300
QUALITY_DPI = {"standard": STORE_DPI, "archival": ARCHIVAL_DPI}  # the setting scanning.quality
PAPER_TINT = 215  # colour pages: a pixel whose darkest channel is at least this light is paper
GRAY_LEVELS = 8  # stored in a 4-bit PNG; 8 levels keep anti-aliased text smooth and cost ~20 % less than 16


@dataclass(frozen=True)
class PipelineOptions:
    mode: str = "gray"  # gray | color | lineart
    max_dpi: int = STORE_DPI
    crop: bool = True
    orient: bool = True
    deskew: bool = True
    clean: bool = True  # paper → pure white
    jpeg_quality: int = JPEG_QUALITY

    @classmethod
    def for_quality(cls, quality: str = "standard", **kw) -> PipelineOptions:
        """Options for the setting ``scanning.quality``: "standard" stores pages at 200 dpi (an A4 page
        ≤ 300 KB), "archival" at 300 dpi (≤ 450 KB; the scanner must scan at 300 dpi or finer)."""
        return cls(max_dpi=QUALITY_DPI.get(quality, STORE_DPI), **kw)

    @classmethod
    def for_settings(cls, settings, *, mode: str | None = None, **kw) -> PipelineOptions:
        """What the office set: colour mode ``scanning.mode`` (a colour page keeps its red seal) and
        ``scanning.quality`` (standard 200 dpi / archival 300 dpi). Every place that stores pages uses this."""
        return cls.for_quality(settings.scanning_quality, mode=mode or settings.scanning_mode, **kw)

    @staticmethod
    def scan_resolution(settings) -> int:
        """The resolution to ask the scanner for: ``scanning.resolution`` as set (the quality gate judges
        a coarse scan), raised to 300 dpi for ``scanning.quality = "archival"``, which stores 300 dpi."""
        wanted = int(settings.scanning_resolution)
        if settings.scanning_quality == "archival":
            return max(wanted, QUALITY_DPI["archival"])
        return wanted


@dataclass
class ProcessedPage:
    data: bytes
    mime: str  # image/jpeg | image/png | application/pdf
    width: int
    height: int
    dpi: int | None
    notes: list[str] = field(default_factory=list)  # what the pipeline did, in Chinese, for the clerk
    encoding: str = ""  # how the page was encoded (Encoded.kind): png-gray8, png-palette, jpeg-q60, …

    @property
    def size(self) -> int:
        return len(self.data)


# ---------------------------------------------------------------------------- decoding


def decode(data: bytes, *, what: str = "图片") -> Image.Image:
    """Open image bytes fully, or raise ImageRejected with a sentence the clerk can act on."""
    if not data:
        raise ImageRejected(f"{what}是空文件（0 字节），没有任何内容。请重新扫描或选择正确的文件。")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
            check_size(im, what=what)
            im.load()
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _bomb(what) from exc
    except UnidentifiedImageError as exc:
        raise ImageRejected(f"{what}不是可识别的图片格式（支持 PDF、JPEG、PNG、TIFF）。请检查文件。",
                            detail=str(exc)) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageRejected(f"{what}已损坏或不完整（可能传输中断）。请重新扫描或重新拷贝文件。",
                            detail=f"{type(exc).__name__}: {exc}") from exc
    return im


def check_size(im: Image.Image, *, what: str = "图片") -> None:
    w, h = im.size
    if w <= 0 or h <= 0:
        raise ImageRejected(f"{what}没有图像内容（尺寸为 0）。")
    if w * h > MAX_PIXELS:
        raise _bomb(what, w, h)


def _bomb(what: str, w: int | None = None, h: int | None = None) -> ImageRejected:
    dims = f"（{w}×{h} 像素）" if w else ""
    return ImageRejected(
        f"{what}尺寸异常巨大{dims}，超过 A3 幅面 600 dpi，已拒绝打开以保护本机。"
        "请用 300 dpi 以下重新扫描，或检查文件来源。"
    )


def image_dpi(im: Image.Image, default: int = 200) -> int:
    dpi = im.info.get("dpi")
    try:
        x = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        x = 0.0
    return int(round(x)) if 30 <= x <= 2400 else default


# ---------------------------------------------------------------------------- measuring


def _small_gray(im: Image.Image, dpi: int) -> tuple[Image.Image, float]:
    """A ~WORK_DPI gray copy and its scale (small px per full px)."""
    k = max(1, round(dpi / WORK_DPI))
    small = im.reduce(k) if k > 1 else im
    if small.mode != "L":
        small = small.convert("L")
    return small, 1.0 / k


def otsu(im: Image.Image) -> int:
    hist = im.histogram()[:256]
    total = sum(hist)
    sum_all = sum(i * h for i, h in enumerate(hist))
    w_b = sum_b = 0
    best, best_t = -1.0, 128
    for t in range(256):
        w_b += hist[t]
        if w_b == 0:
            continue
        w_f = total - w_b
        if w_f == 0:
            break
        sum_b += t * hist[t]
        m_b, m_f = sum_b / w_b, (sum_all - sum_b) / w_f
        between = w_b * w_f * (m_b - m_f) ** 2
        if between > best:
            best, best_t = between, t
    return best_t


def _profile(mask: Image.Image, axis: str) -> list[float]:
    """Mean of each row ("rows") or column ("cols") of an L image, 0–255, computed by Pillow."""
    w, h = mask.size
    line = mask.resize((1, h) if axis == "rows" else (w, 1), Image.Resampling.BOX)
    return list(line.tobytes())  # mode L: one byte per pixel


def find_paper(im: Image.Image, dpi: int, *, frac: float = 0.5) -> tuple[int, int, int, int] | None:
    """Box of a bright page on a darker background (camera desk, black scanner lid), or None when
    the paper fills the frame (a flatbed with a white lid) or no page stands out.

    A row (column) belongs to the page when its share of paper pixels is above ``frac`` of the
    fullest row's: 0.5 gives the tight box of an upright page; a skewed page needs a low value, or
    its corners would be cut off before deskewing."""
    small, scale = _small_gray(im, dpi)
    t = otsu(small)
    hist = small.histogram()
    dark = sum(hist[:t + 1]) / max(1, sum(hist))
    lo = sum(i * n for i, n in enumerate(hist[:t + 1])) / max(1, sum(hist[:t + 1]))
    hi = sum(i * n for i, n in enumerate(hist[t + 1:], t + 1)) / max(1, sum(hist[t + 1:]))
    if hi - lo < 60 or not 0.03 < dark < 0.7:
        return None
    mask = small.point(lambda v: 255 if v > t else 0)
    w, h = small.size
    border = [mask.crop(b) for b in ((0, 0, w, 2), (0, h - 2, w, h), (0, 0, 2, h), (w - 2, 0, w, h))]
    if statistics.mean(ImageStat.Stat(b).mean[0] for b in border) > 0.6 * 255:
        return None  # the frame's edges are paper-bright: nothing to crop
    rows = _profile(mask, "rows")
    top_r = max(rows)
    ys = [i for i, v in enumerate(rows) if v > frac * top_r]
    if not ys:
        return None
    y0, y1 = ys[0], ys[-1] + 1
    cols = _profile(mask.crop((0, y0, w, y1)), "cols")
    top_c = max(cols)
    xs = [i for i, v in enumerate(cols) if v > frac * top_c]
    if not xs:
        return None
    x0, x1 = xs[0], xs[-1] + 1
    if (x1 - x0) * (y1 - y0) < 0.15 * w * h:
        return None
    inv = 1 / scale
    W, H = im.size
    return (max(0, int(x0 * inv)), max(0, int(y0 * inv)), min(W, int(x1 * inv)), min(H, int(y1 * inv)))


def _ink(small: Image.Image) -> Image.Image:
    """Ink = 255, paper = 0, from a gray page (threshold between paper and text)."""
    t = otsu(small)
    return small.point(lambda v: 255 if v <= t else 0)


def _inner(im: Image.Image, frac: float = 0.1) -> Image.Image:
    w, h = im.size
    return im.crop((int(w * frac), int(h * frac), int(w * (1 - frac)), int(h * (1 - frac))))


def _line_score(ink: Image.Image, angle: float) -> float:
    # Nearest-neighbour is ~10× cheaper than bilinear here and the row profile does not care.
    rotated = ink.rotate(angle) if angle else ink
    p = _profile(rotated, "rows")
    return sum((a - b) ** 2 for a, b in zip(p, p[1:]))


def estimate_skew(im: Image.Image, dpi: int, *, limit: float = 6.0) -> float:
    """How far the page is turned (degrees, counter-clockwise positive as in Image.rotate);
    ``im.rotate(-angle)`` levels its text lines."""
    small, _ = _small_gray(im, dpi)
    ink = _inner(_ink(small))
    best = max((a / 2 for a in range(int(-limit * 2), int(limit * 2) + 1)), key=lambda a: _line_score(ink, a))
    fine = max((best + d / 10 for d in range(-5, 6)), key=lambda a: _line_score(ink, a))
    return -round(fine, 1)


def _alignment(ink: Image.Image) -> tuple[float, float]:
    """How well text lines line up on the left and on the right (fraction of lines within 2 px)."""
    rows = _profile(ink, "rows")
    w = ink.width
    bands, start = [], None
    for i, v in enumerate(rows + [0]):
        if v > 4 and start is None:
            start = i
        elif v <= 4 and start is not None:
            if i - start >= 2:
                bands.append((start, i))
            start = None
    lefts, rights = [], []
    for y0, y1 in bands:
        box = ink.crop((0, y0, w, y1)).getbbox()
        if box and box[2] - box[0] > w * 0.3:  # lines, not page numbers or stray marks
            lefts.append(box[0])
            rights.append(box[2])
    if len(lefts) < 5:
        return 0.0, 0.0
    ml, mr = statistics.median(lefts), statistics.median(rights)
    return (sum(abs(x - ml) <= 2 for x in lefts) / len(lefts), sum(abs(x - mr) <= 2 for x in rights) / len(rights))


def detect_orientation(im: Image.Image, dpi: int) -> int:
    """Degrees (counter-clockwise, for Image.rotate) that bring the text upright; 0 when unsure.

    Text lines make the row profile vary far more than the column profile; when the columns win,
    the page lies on its side, and the side the lines align on (left-aligned text) tells which way.
    Upside-down pages are turned only on strong evidence: Chinese documents are often justified
    on both sides, where this cue says nothing — the clerk's rotate button covers the rest.
    """
    small, _ = _small_gray(im, dpi)
    ink = _inner(_ink(small), 0.05)
    rows, cols = _profile(ink, "rows"), _profile(ink, "cols")

    def rough(p):
        return sum((a - b) ** 2 for a, b in zip(p, p[1:])) / max(1, len(p))

    h_score, v_score = rough(rows), rough(cols)
    if v_score > 1.8 * h_score:
        cands = {}
        for angle in (90, 270):
            left, right = _alignment(ink.rotate(angle, expand=True))
            cands[angle] = left - right
        angle = max(cands, key=cands.get)
        return angle if cands[angle] > 0.25 else 0
    left, right = _alignment(ink)
    return 180 if right - left > 0.4 else 0


# ---------------------------------------------------------------------------- cleaning, encoding


def _levels_lut(gray: Image.Image) -> list[int]:
    """Map the paper to pure white and the ink to black, keeping the tones in between (stamps,
    handwriting). Paper = the brightest big peak of the histogram."""
    hist = gray.histogram()[:256]
    total = sum(hist)
    acc, black = 0, 0
    for i, n in enumerate(hist):
        acc += n
        if acc >= total * 0.005:
            black = i
            break
    upper = hist[128:]
    paper = 128 + max(range(len(upper)), key=lambda i: upper[i]) if total else 255
    if paper - black < 48:
        return list(range(256))  # no ink to speak of (blank or uniform page): leave it as it is
    white = max(black + 40, paper - max(10, (paper - black) // 10))
    span = max(1, white - black)
    return [0 if v <= black else 255 if v >= white else round((v - black) * 255 / span) for v in range(256)]


def clean(im: Image.Image) -> Image.Image:
    if im.mode == "L":
        return im.point(_levels_lut(im))
    if im.mode == "RGB":
        from PIL import ImageChops

        lut = _levels_lut(im.convert("L").reduce(4))
        im = im.point(lut * 3)
        if lut[-1] == 255 and lut != list(range(256)):
            # Light tints left on the paper (an anti-forgery background, paper colour, scanner noise)
            # are paper too: every channel light → white. Seals and ink have a dark channel and stay.
            r, g, b = im.split()
            light = ImageChops.darker(r, ImageChops.darker(g, b)).point(lambda v: 255 if v >= PAPER_TINT else 0)
            im.paste((255, 255, 255), mask=light)
        return im
    return im


def to_mode(im: Image.Image, mode: str) -> Image.Image:
    if mode == "color":
        return im if im.mode == "RGB" else im.convert("RGB")
    gray = im if im.mode == "L" else im.convert("L")
    if mode == "lineart":
        if im.mode == "1":
            return im
        t = otsu(gray)
        return gray.point(lambda v: 255 if v > t else 0).convert("1", dither=Image.Dither.NONE)
    return gray


# Size goals (issue 19): a dense A4 page at 200 dpi ≤ 300 KB; at 300 dpi (archival) ≤ 450 KB. In
# between and beyond, the budget grows with the linear resolution (bytes of text edges do), never
# below the 200 dpi figure for smaller pieces of paper.
STANDARD_BYTES = 300 * 1024
A4_200_PIXELS = 1654 * 2339
FLAT_MAX_ERROR = 2.5  # mean |page − few-level page| in grey levels up to which a page counts as "flat"
FALLBACK_QUALITIES = (45, 30)  # JPEG qualities tried for a page over its budget
# The colour palette of flat colour pages: 8 greys and five ink hues (red seals and numbers, blue-black
# and blue handwriting, green and purple stamps, brown), each full, dark and light: 23 colours.
_HUES = ((220, 30, 35), (30, 50, 150), (30, 140, 60), (120, 40, 140), (190, 110, 30))


def _colour_palette() -> list[tuple[int, int, int]]:
    pal = [(g, g, g) for g in (round(i * 255 / (GRAY_LEVELS - 1)) for i in range(GRAY_LEVELS))]
    for r, g, b in _HUES:
        pal += [(r, g, b), (r * 6 // 10, g * 6 // 10, b * 6 // 10), ((r + 255) // 2, (g + 255) // 2, (b + 255) // 2)]
    return pal


COLOUR_PALETTE = _colour_palette()


@dataclass(frozen=True)
class Encoded:
    """One encoding of a page: the bytes, their type, how they were made (``kind``: png-1bit,
    png-gray8/6/4, png-palette, jpeg-q60 …) and the mean absolute difference from the page (grey levels
    0–255, averaged over the channels; None when not measured)."""

    data: bytes
    mime: str
    kind: str
    error: float | None = None

    @property
    def size(self) -> int:
        return len(self.data)


def page_budget(width: int, height: int) -> int:
    """Bytes a page of this many pixels may take: 300 KB for A4 at 200 dpi, 450 KB at 300 dpi."""
    return round(STANDARD_BYTES * max(1.0, width * height / A4_200_PIXELS) ** 0.5)


def stored_format(data: bytes) -> str | None:
    """What stored page bytes are, by their magic bytes (never by the name or the row's mime)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    return None


def _png_bytes(im: Image.Image, dpi_arg: dict, bits: int | None = None) -> bytes:
    out = io.BytesIO()
    # zlib level 4: ~2× faster than the default 6 for ~5 % more bytes on text pages.
    im.save(out, "PNG", compress_level=4, **({"bits": bits} if bits else {}), **dpi_arg)
    return out.getvalue()


def _jpeg(im: Image.Image, quality: int, dpi_arg: dict) -> Encoded:
    out = io.BytesIO()
    im.save(out, "JPEG", quality=quality, subsampling="4:2:0", **dpi_arg)
    return Encoded(out.getvalue(), "image/jpeg", f"jpeg-q{quality}")


def _gray_levels(im: Image.Image, levels: int, dpi_arg: dict) -> Encoded:
    """An indexed PNG with a ``levels``-step grey ramp (the PDF export embeds it as-is, Indexed colour
    space); its error comes from the histogram, without decoding."""
    step = 255 / (levels - 1)
    lut = [round(v / step) for v in range(256)]
    hist = im.histogram()[:256]
    error = sum(n * abs(v - lut[v] * step) for v, n in enumerate(hist)) / max(1, sum(hist))
    idx = im.point(lut).convert("P")
    idx.putpalette([round(i * step) for i in range(levels) for _ in range(3)])
    bits = 2 if levels <= 4 else 4 if levels <= 16 else 8
    return Encoded(_png_bytes(idx, dpi_arg, bits), "image/png", f"png-gray{levels}", error)


def _palette_png(im: Image.Image, dpi_arg: dict) -> Encoded:
    """A colour page on a fixed palette of greys and ink hues (nearest colour, no dithering): a red
    seal stays red, blue handwriting blue; the error is measured on the mapped page."""
    pal = Image.new("P", (1, 1))
    pal.putpalette([c for rgb in COLOUR_PALETTE for c in rgb])  # a 23-entry PLTE, not 256
    idx = im.quantize(palette=pal, dither=Image.Dither.NONE)
    error = _mean_difference(im, idx.convert("RGB"))
    return Encoded(_png_bytes(idx, dpi_arg), "image/png", "png-palette", error)


def _mean_difference(a: Image.Image, b: Image.Image) -> float:
    from PIL import ImageChops

    return statistics.fmean(ImageStat.Stat(ImageChops.difference(a, b)).mean)


def _measured(im: Image.Image, enc: Encoded) -> Encoded:
    if enc.error is not None:
        return enc
    back = Image.open(io.BytesIO(enc.data))
    return Encoded(enc.data, enc.mime, enc.kind, _mean_difference(im, back.convert(im.mode)))


def encode_page(im: Image.Image, dpi: int | None, *, quality: int = JPEG_QUALITY,
                budget: int | None = None) -> Encoded:
    """Choose the encoding of a processed page (see the module docstring):

    1. the few-level PNG (grey ramp, or the colour palette) when the page is flat — it changes the page
       by at most FLAT_MAX_ERROR grey levels on average (text, tables, stamps, handwriting, printed
       dot screens, on paper cleaned to white) — and the JPEG at ``quality``: the smaller of them;
    2. a page still over its :func:`page_budget` (a textured or halftone page, a dense photo) gets more
       candidates — the few-level PNG whatever its error, fewer grey levels, JPEG at lower quality — and
       keeps the most faithful (least mean difference) of those that fit, else the smallest.
    Colour pages keep their colour in every candidate (a red seal stays red)."""
    dpi_arg = {"dpi": (dpi, dpi)} if dpi else {}
    if im.mode == "1":
        return Encoded(_png_bytes(im, dpi_arg), "image/png", "png-1bit", 0.0)
    if im.mode not in ("L", "RGB"):
        im = im.convert("RGB")
    budget = budget or page_budget(*im.size)
    few = _gray_levels(im, GRAY_LEVELS, dpi_arg) if im.mode == "L" else _palette_png(im, dpi_arg)
    jpeg = _jpeg(im, quality, dpi_arg)
    best = min((c for c in (few, jpeg) if c is jpeg or c.error <= FLAT_MAX_ERROR), key=lambda c: c.size)
    if best.size <= budget:
        return best
    more = [few, jpeg] + [_jpeg(im, q, dpi_arg) for q in FALLBACK_QUALITIES if q < quality]
    if im.mode == "L":
        more += [_gray_levels(im, n, dpi_arg) for n in (6, 4)]
    fitting = [c for c in more if c.size <= budget]
    if not fitting:
        return min(more, key=lambda c: c.size)
    return min((_measured(im, c) for c in fitting), key=lambda c: (c.error, c.size))


def encode(im: Image.Image, dpi: int | None, *, quality: int = JPEG_QUALITY) -> tuple[bytes, str]:
    """Encode a processed page: (bytes, mime) of :func:`encode_page`."""
    enc = encode_page(im, dpi, quality=quality)
    return enc.data, enc.mime


def _fill_for(im: Image.Image, dark: bool):
    v = 0 if dark else 255
    return (v, v, v) if im.mode == "RGB" else v


def process(im: Image.Image, dpi: int | None = None, options: PipelineOptions | None = None) -> ProcessedPage:
    """Run the whole pipeline on one page image; returns the encoded page and what was done."""
    opts = options or PipelineOptions()
    page, dpi, notes = render(im, dpi, opts)
    enc = encode_page(page, dpi, quality=opts.jpeg_quality)
    return ProcessedPage(enc.data, enc.mime, page.width, page.height, dpi, notes, enc.kind)


def render(im: Image.Image, dpi: int | None = None, options: PipelineOptions | None = None
           ) -> tuple[Image.Image, int, list[str]]:
    """Everything :func:`process` does before encoding: the finished page (mode L, RGB or 1) as a
    lossless image, its resolution and the notes — the reference the encodings are judged against."""
    opts = options or PipelineOptions()
    notes: list[str] = []
    check_size(im)
    dpi = dpi or image_dpi(im)
    im = ImageOps.exif_transpose(im)
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        # Transparent areas are paper, not black.
        rgba = im.convert("RGBA")
        im = Image.new("RGB", rgba.size, (255, 255, 255))
        im.paste(rgba, mask=rgba.getchannel("A"))
    if im.mode in ("1", "P", "LA", "RGBA", "CMYK", "I;16", "I", "F") or im.mode not in ("L", "RGB"):
        im = im.convert("L" if im.mode in ("1", "LA", "I;16", "I", "F") else "RGB")
    if opts.mode != "color" and im.mode != "L":
        im = im.convert("L")

    if dpi > opts.max_dpi:
        # Reduce first: everything after runs on fewer pixels. reduce() is a fast box filter.
        k = dpi / opts.max_dpi
        size = (max(1, round(im.width / k)), max(1, round(im.height / k)))
        im = im.reduce(int(k)) if float(int(k)) == k else im.resize(size, Image.Resampling.BOX)
        notes.append(f"已从 {dpi} dpi 缩小为 {opts.max_dpi} dpi 保存")
        dpi = opts.max_dpi

    desk = False
    # Measuring needs a page-sized picture; a tiny image (an icon, a strip) is only converted.
    k = max(1, round(dpi / WORK_DPI))
    if min(im.size) // k < 24:
        opts = PipelineOptions(mode=opts.mode, max_dpi=opts.max_dpi, crop=False, orient=False, deskew=False,
                               clean=opts.clean, jpeg_quality=opts.jpeg_quality)
    if opts.crop:
        box = find_paper(im, dpi, frac=0.08 if opts.deskew else 0.5)
        if box and box != (0, 0, *im.size):
            im, desk = im.crop(box), True
            notes.append("已裁去纸张以外的背景")
    if opts.orient:
        turn = detect_orientation(im, dpi)
        if turn:
            im = im.rotate(turn, expand=True)
            notes.append(f"已自动旋转 {turn}°")
    if opts.deskew:
        angle = estimate_skew(im, dpi)
        if abs(angle) >= 0.2:
            # Bilinear is visibly as good as bicubic for text at this size and about half the cost.
            im = im.rotate(-angle, resample=Image.Resampling.BILINEAR, expand=desk, fillcolor=_fill_for(im, desk))
            notes.append(f"已纠正倾斜 {angle:+.1f}°")
            if desk:
                box = find_paper(im, dpi)
                if box:
                    # A few pixels in: the rotated paper edge is a blend of paper and desk.
                    k = max(2, dpi // 40)
                    im = im.crop((box[0] + k, box[1] + k, box[2] - k, box[3] - k))
    if opts.clean:
        im = clean(im)
    return to_mode(im, opts.mode), dpi, notes


def autocrop(im: Image.Image, dpi: int | None = None) -> Image.Image:
    """The page alone, level: crop to the paper and deskew, nothing else (for a camera preview or
    capture; :func:`process` does the rest when the page is stored)."""
    dpi = dpi or image_dpi(im, 100)
    box = find_paper(im, dpi, frac=0.08)
    if box is None:
        return im
    im = im.crop(box)
    angle = estimate_skew(im, dpi)
    if abs(angle) >= 0.2:
        im = im.rotate(-angle, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=_fill_for(im, True))
        box = find_paper(im, dpi)
        if box:
            k = max(2, dpi // 40)
            im = im.crop((box[0] + k, box[1] + k, box[2] - k, box[3] - k))
    return im


def a4_dpi(im: Image.Image) -> int:
    """The resolution a cropped page has if it is A4 (a camera has no dpi of its own)."""
    return max(50, round(max(im.size) / (297 / 25.4)))


def rotate_encoded(data: bytes, mime: str, degrees: int, *, quality: int = JPEG_QUALITY) -> tuple[bytes, int, int]:
    """A stored page turned by 90/180/270 degrees clockwise; returns (bytes, width, height).

    The page keeps its stored format, recognised by its magic bytes (``mime`` is only what the row
    says): a PNG — also one stored before issue 19, an 8-level grey PNG — is turned losslessly with
    its palette and bit depth; a JPEG is re-encoded as JPEG at ``quality``."""
    if degrees % 90:
        raise ImageRejected("页面只能按 90° 的整数倍旋转。")
    im = decode(data, what="页面")
    dpi = image_dpi(im, 0) or None
    turned = im.transpose({90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180,
                           270: Image.Transpose.ROTATE_90}[degrees % 360]) if degrees % 360 else im.copy()
    dpi_arg = {"dpi": (dpi, dpi)} if dpi else {}
    if stored_format(data) == "png":
        bits = None
        if turned.mode == "P":
            colours = len(turned.getpalette() or ()) // 3
            bits = 1 if colours <= 2 else 2 if colours <= 4 else 4 if colours <= 16 else None
            if "transparency" in im.info:
                turned.info["transparency"] = im.info["transparency"]
        return _png_bytes(turned, dpi_arg, bits), turned.width, turned.height
    if turned.mode not in ("L", "RGB"):
        turned = turned.convert("RGB")
    return _jpeg(turned, quality, dpi_arg).data, turned.width, turned.height

"""Page quality gate: is this picture of a page good enough to stand as the paper in the case file?

Runs on each page after the pipeline has processed it (cropped to the paper, deskewed, cleaned),
before it is attached; the callers (``houshi-desk scan`` and the window's materials step) refuse a
flagged page unless the clerk gives a reason, which is audited. It is deliberately *not* inside
:func:`houshi_desk.scanning.attach.attach_pages`, which stays a plain all-or-nothing store.

Checks, each with the Chinese sentence the clerk sees (:attr:`Flag.reason`):

- ``black`` / ``blank``: nearly uniform pages — an all-black scan (the lid was open, the lamp failed,
  the SANE test device's default picture) or an empty sheet;
- ``dark`` / ``light``: the paper is not light (exposure far too low) or the writing is too faint;
- ``blur``: edges too soft to read. Measured as the ratio of the mean absolute Laplacian to the
  mean absolute gradient on a copy at about 100 dpi: a sharp edge has both of similar size, an edge
  blurred over *s* pixels has the Laplacian smaller by about 1/*s*; the ratio does not depend on
  how much writing the page has nor on its contrast;
- ``dpi``: effective resolution below 200 dpi (DA/T 31). A scanner's resolution is trusted; a file
  import or a camera frame carries no trustworthy resolution, so there it is the pixel width of the
  paper ÷ the width of A4 (210 mm, the short side);
- ``cut``: writing runs into one edge of the page while the opposite edge has a clear margin (the
  paper lay shifted on the glass or stuck out of the camera's view).

Pure Pillow, ~20–40 ms for a 200 dpi A4 page. Imported PDF pages are not rasterised here and are
reported as not checked (:attr:`PageQuality.checked` False).
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from PIL import Image, ImageFilter, ImageStat

MIN_DPI = 200  # DA/T 31-2017 纸质档案数字化规范: 不低于 200 dpi
A4_SHORT_MM = 210.0
TRUSTED_DPI_SOURCES = ("sane", "wia", "scan")  # sources whose stated resolution is the scanner's
WORK_DPI = 100  # measurements run on a copy at about this resolution

REASONS = {
    "black": "页面几乎全黑（可能扫描仪盖板未盖好、灯管故障或扫描了错误的图像），不能作为材料。请放好纸张后重新扫描。",
    "blank": "页面几乎是空白或均匀的一片，看不到文字。请确认放入的是正确的一面后重新扫描。",
    "dark": "页面太暗，纸张底色发黑，文字难以辨认。请调亮（或改用彩色/灰度）后重新扫描。",
    "light": "页面太浅，字迹几乎看不见。请调暗或换用灰度模式后重新扫描。",
    "blur": "页面模糊，文字边缘不清晰（可能纸张没有压平或高拍仪没有对焦）。请压平纸张、对焦后重新扫描。",
    "dpi": "有效分辨率约 {dpi} dpi，低于档案要求的 200 dpi。请用 200 dpi 或更高重新扫描，或把纸张放满高拍仪画面后重拍。",
    "cut": "页面{side}边缘的内容被截断（纸张放偏或超出扫描范围）。请把整张纸放正后重新扫描。",
}
SIDES = {"left": "左侧", "right": "右侧", "top": "上方", "bottom": "下方"}

# Thresholds, tuned on generated certificate pages (tests/scanning/test_quality.py) and the SANE
# test device's pictures.
BLANK_STD = 6.0  # grey-level standard deviation below which a page is "uniform"
INK_MIN_FRACTION = 0.0015  # less dark writing than this on a light page: blank
BLACK_MEAN = 40
DARK_PAPER = 110  # the 95th percentile grey level (the paper) below this: too dark
LIGHT_INK = 165  # the 1st percentile grey level (the darkest writing) above this: too light
BLUR_RATIO = 0.42  # mean|Laplacian| / mean|gradient| below this: blurred
DPI_TOLERANCE = 0.97  # a deskewed or cropped 200 dpi page loses a few pixels of width
EDGE_STRIP_MM = 3.0
EDGE_INK = 0.02  # ink fraction in the edge strip that counts as "writing runs into the edge"
EDGE_CLEAR = 0.002  # ink fraction of a clear margin


@dataclass(frozen=True)
class Flag:
    code: str  # black | blank | dark | light | blur | dpi | cut
    reason: str  # the clerk's sentence


@dataclass
class PageQuality:
    flags: list[Flag] = field(default_factory=list)
    effective_dpi: int | None = None
    blur_ratio: float | None = None
    checked: bool = True

    @property
    def ok(self) -> bool:
        return not self.flags

    @property
    def codes(self) -> list[str]:
        return [f.code for f in self.flags]

    def text(self) -> str:
        return "".join(f.reason for f in self.flags)


class QualityRefused(Exception):
    """Raised by :func:`require_acceptable` (callers turn it into their own error type)."""

    def __init__(self, message: str, reports: list[tuple[int, PageQuality]]):
        super().__init__(message)
        self.message = message
        self.reports = reports


def _percentile(hist: list[int], q: float) -> int:
    total = sum(hist)
    if not total:
        return 0
    target = total * q
    run = 0
    for level, n in enumerate(hist):
        run += n
        if run >= target:
            return level
    return 255


def _ink_fraction(gray: Image.Image, threshold: int) -> float:
    hist = gray.histogram()
    total = sum(hist) or 1
    return sum(hist[:threshold]) / total


def effective_dpi(width: int, height: int, dpi: int | None, source: str) -> int:
    """The resolution the page really has: the scanner's when it said so, else the paper's short side
    taken as A4's 210 mm."""
    trusted = source.split(":", 1)[0].lower() in TRUSTED_DPI_SOURCES
    if trusted and dpi:
        return int(dpi)
    return round(min(width, height) / (A4_SHORT_MM / 25.4))


def _abs_filter(gray: Image.Image, kernel: list[int]) -> float:
    """Mean absolute response of a 3×3 kernel (Pillow clips, so the response is offset to 128)."""
    out = gray.filter(ImageFilter.Kernel((3, 3), kernel, scale=1, offset=128))
    lut = [abs(v - 128) for v in range(256)]
    return ImageStat.Stat(out.point(lut)).mean[0]


def blur_ratio(gray: Image.Image) -> float | None:
    """mean|Laplacian| / (mean|d/dx| + mean|d/dy|), or None when there are too few edges to judge."""
    gx = _abs_filter(gray, [0, 0, 0, -1, 0, 1, 0, 0, 0])
    gy = _abs_filter(gray, [0, -1, 0, 0, 0, 0, 0, 1, 0])
    grad = gx + gy
    if grad < 0.05:
        return None
    lap = _abs_filter(gray, [0, 1, 0, 1, -4, 1, 0, 1, 0])
    return lap / grad


def _levels(gray: Image.Image) -> tuple[float, float, int, int, int]:
    """mean, standard deviation, paper level (95th percentile), darkest writing (1st), ink threshold."""
    stat = ImageStat.Stat(gray)
    hist = gray.histogram()
    paper, darkest = _percentile(hist, 0.95), _percentile(hist, 0.01)
    threshold = max(40, min(200, (paper + darkest) // 2)) if paper - darkest > 30 else max(40, paper - 30)
    return stat.mean[0], stat.stddev[0], paper, darkest, threshold


def _work_copy(im: Image.Image, eff: int) -> Image.Image:
    gray = im.convert("L")
    k = max(1, round(eff / WORK_DPI)) if eff else 1
    return gray.reduce(k) if k > 1 else gray


def check_image(im: Image.Image, dpi: int | None, source: str = "", *, raw: Image.Image | None = None,
                raw_dpi: int | None = None) -> PageQuality:
    """All checks on one page image (already cropped to the paper). ``raw`` is the picture as the
    scanner or camera gave it, before the pipeline evened out the levels: exposure is judged on it."""
    q = PageQuality()
    w, h = im.size
    eff = effective_dpi(w, h, dpi, source)
    q.effective_dpi = eff
    gray = _work_copy(im, eff)
    exposure = _work_copy(raw, raw_dpi or eff) if raw is not None else gray
    mean, std, paper, darkest, threshold = _levels(exposure)
    ink = _ink_fraction(exposure, threshold)
    if std < BLANK_STD or paper - darkest < 20:
        q.flags.append(Flag("black", REASONS["black"]) if mean < BLACK_MEAN else Flag("blank", REASONS["blank"]))
    elif paper < DARK_PAPER:
        q.flags.append(Flag("dark", REASONS["dark"]))
    elif darkest > LIGHT_INK:
        q.flags.append(Flag("light", REASONS["light"]))
    elif ink < INK_MIN_FRACTION:
        q.flags.append(Flag("blank", REASONS["blank"]))
    else:
        ratio = blur_ratio(gray)
        q.blur_ratio = ratio
        if ratio is not None and ratio < BLUR_RATIO:
            q.flags.append(Flag("blur", REASONS["blur"]))
        side = _cut_side(gray, _levels(gray)[4], eff)
        if side:
            q.flags.append(Flag("cut", REASONS["cut"].format(side=SIDES[side])))
    if eff < MIN_DPI * DPI_TOLERANCE:
        q.flags.append(Flag("dpi", REASONS["dpi"].format(dpi=eff)))
    return q


def _cut_side(gray: Image.Image, threshold: int, eff: int) -> str | None:
    w, h = gray.size
    work_dpi = eff / max(1, round(eff / WORK_DPI)) if eff else WORK_DPI
    s = max(2, round(EDGE_STRIP_MM / 25.4 * work_dpi))
    if w < 4 * s or h < 4 * s:
        return None
    strips = {
        "left": gray.crop((0, s, s, h - s)), "right": gray.crop((w - s, s, w, h - s)),
        "top": gray.crop((s, 0, w - s, s)), "bottom": gray.crop((s, h - s, w - s, h)),
    }
    ink = {k: _ink_fraction(v, threshold) for k, v in strips.items()}
    for a, b in (("left", "right"), ("right", "left"), ("top", "bottom"), ("bottom", "top")):
        if ink[a] > EDGE_INK and ink[b] < EDGE_CLEAR:
            return a
    return None


def check_page(page, source: str = "", *, raw=None) -> PageQuality:
    """Check a ProcessedPage (the stored form: its data is decoded), a ScannedPage or an image;
    ``raw`` is the ScannedPage (or image) it was made from, when there is one."""
    from houshi_desk.scanning.source import ScannedPage

    raw_im = raw_dpi = None
    if isinstance(raw, ScannedPage):
        raw_im, raw_dpi = raw.image, raw.dpi
        source = source or raw.source
    elif isinstance(raw, Image.Image):
        raw_im = raw
    if isinstance(page, ScannedPage):
        return check_image(page.image, page.dpi, source or page.source)
    if isinstance(page, Image.Image):
        from houshi_desk.scanning.pipeline import image_dpi

        return check_image(page, image_dpi(page) if "dpi" in page.info else None, source)
    mime = getattr(page, "mime", "")
    if mime == "application/pdf":
        return PageQuality(checked=False)  # a department's PDF is sent as it is
    im = Image.open(io.BytesIO(page.data))
    im.load()
    return check_image(im, page.dpi, source, raw=raw_im, raw_dpi=raw_dpi)


def check_pages(pages, source: str = "", *, raws=None) -> list[tuple[int, PageQuality]]:
    """(1-based page number, report) for every flagged page; ``raws`` the inputs of ``pages`` in the
    same order (ScannedPage/PdfPage as read or scanned), when known."""
    raws = list(raws) if raws is not None and len(raws) == len(pages) else [None] * len(pages)
    out = []
    for n, (p, r) in enumerate(zip(pages, raws), 1):
        q = check_page(p, source, raw=r)
        if q.flags:
            out.append((n, q))
    return out


def describe(flagged: list[tuple[int, PageQuality]]) -> str:
    return "\n".join(f"第 {n} 页：{q.text()}" for n, q in flagged)


def audit_detail(material_code: str, flagged: list[tuple[int, PageQuality]], reason: str) -> str:
    """The audit line for pages attached in spite of the gate (no personal data: codes and the reason)."""
    pages = "、".join(f"第 {n} 页（{'、'.join(q.codes)}）" for n, q in flagged)
    return f"质量检查未通过仍附加材料 {material_code}：{pages}；理由：{reason.strip()[:200]}"

"""Layout pieces shared by the documents: text that shrinks to fit its cell, tick boxes, tables
that tell each cell its rectangle, the barcode, and a geometry record the tests check.

Why a geometry record: "nothing overflows its box or the page" is only testable if the renderer
says where every text box and every cell ended up. Each ``FitText`` drawn inside a ``GeoTable``
records (page, cell rectangle, text rectangle) in absolute PDF points; outside a table the cell is
the frame's space the flowable was given.
"""
from __future__ import annotations

from dataclasses import dataclass, field
import re
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Table
from reportlab.platypus import paragraph as _rlpara
from reportlab.rl_config import _FUZZ

from houshi_desk.documents.fonts import FontSet

_SPACES = re.compile(r" {2,}")  # keep the blanks left for handwriting (Paragraph collapses spaces)
Rect = tuple[float, float, float, float]  # x0, y0, x1, y1 in PDF points, origin bottom-left


@dataclass
class Box:
    page: int
    label: str
    cell: Rect
    text: Rect
    font_size: float


@dataclass
class Geometry:
    page_size: tuple[float, float] = (0.0, 0.0)
    boxes: list[Box] = field(default_factory=list)
    checks: dict[str, bool] = field(default_factory=dict)  # tick box label → ticked


@dataclass
class Ink:
    """What every flowable of one document shares: fonts, where to record, what could not print."""

    fonts: FontSet
    geometry: Geometry
    missing: list[str] = field(default_factory=list)  # characters no font has (printed as □)

    def markup(self, text: str) -> str:
        """Paragraph markup for plain ``text``: escaped, line breaks kept, fallback fonts per run."""
        parts = []
        for font, run in self.fonts.runs(text or "", self.missing):
            run = _SPACES.sub(lambda m: " " + "&nbsp;" * (len(m.group()) - 1), escape(run)).replace("\n", "<br/>")
            parts.append(run if font == self.fonts.main else f'<font name="{font}">{run}</font>')
        return "".join(parts)

    def style(self, size: float, *, align=TA_LEFT, leading: float | None = None, **kw) -> ParagraphStyle:
        # reportlab's CJK wrapping lets one closing punctuation mark hang past the line end (悬挂标点);
        # a right indent of one character keeps even that inside the box.
        kw.setdefault("rightIndent", size)
        return ParagraphStyle(f"s{size}", fontName=self.fonts.main, bulletFontName=self.fonts.main, fontSize=size,
                              leading=leading or size * 1.3, alignment=align, wordWrap="CJK", **kw)

    def para(self, text: str, size: float = 10.5, *, label: str = "", **kw) -> "GeoParagraph":
        p = GeoParagraph(self.markup(text), self.style(size, **kw))
        p.ink, p.label, p.size = self, label or (text or "")[:12], size
        return p

    def fit(self, text: str, label: str, size: float = 10.5, *, min_size: float = 6.5, lines: int = 2,
            align=TA_LEFT) -> "FitText":
        return FitText(self, text, label, size=size, min_size=min_size, lines=lines, align=align)


# ---------------------------------------------------------------- Chinese line breaking (避头尾)
# No line starts with closing punctuation, none ends with opening punctuation; a run of Latin
# letters and digits (a case number, a phone number) is never split; a label's colon stays with the
# value that follows it ("受理编号：150702-…" moves to the next line whole); a paragraph's last line
# is never a single character when the line above can give it one more.
CANNOT_START = set("，。；：、？！）》」』〉】〕］｝”’…%‰℃・·,.;:?!)]}") | set(_rlpara.ALL_CANNOT_START)
CANNOT_END = set("（《「『〈【〔［｛“‘([{") | set("$£¥￥#")
_WORD = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_./@+#%")
_COLON = set("：:")


# Words of the documents themselves that a line never splits (titles, labels, the case number's label).
NO_SPLIT = ("受理回执", "受理编号", "受理日期", "申请表", "承诺书", "委托书", "告知单", "通知书", "前置条件", "办理事项",
            "咨询电话", "开户行及账号", "身份证")


def _kept_together(U) -> set[int]:
    """Positions b (a break before U[b]) that would split one of NO_SPLIT."""
    text = "".join(str(u) or "\n" for u in U)
    inside: set[int] = set()
    for word in NO_SPLIT:
        start = text.find(word)
        while start >= 0:
            inside.update(range(start + 1, start + len(word)))
            start = text.find(word, start + 1)
    return inside


def _is_break(u) -> bool:
    return hasattr(u.frag, "lineBreak")


def _may_break_before(U, b: int, kept: set[int] = frozenset()) -> bool:
    """May a line end between U[b-1] and U[b]?"""
    if b in kept:
        return False
    prev, cur = U[b - 1], U[b]
    if _is_break(prev) or _is_break(cur):
        return True
    if cur in CANNOT_START or prev in CANNOT_END:
        return False
    if prev in _WORD and cur in _WORD:
        return False
    if prev in _COLON and cur in _WORD:
        return False
    return True


def _width(u, max_width: float) -> float:
    w = u.width
    if hasattr(w, "normalizedValue"):
        w._normalizer = max_width
        w = w.normalizedValue(max_width)
    return w


def kinsoku_split(frags, maxWidths, calcBounds, encoding="utf8"):
    """``reportlab.platypus.paragraph.cjkFragSplit`` with the Chinese rules above."""
    U = []
    for f in frags:
        text = f.text
        if isinstance(text, bytes):
            text = text.decode(encoding)
        if text:
            U.extend(_rlpara.cjkU(t, f, encoding) for t in text)
        else:
            U.append(_rlpara.cjkU(text, f, encoding))
    n = len(U)
    kept = _kept_together(U)

    def max_width(k: int) -> float:
        return maxWidths[k] if k < len(maxWidths) else maxWidths[-1]

    spans: list[list] = []  # [start, end, ended by an explicit line break]
    a = 0
    while a < n:
        limit = max_width(len(spans))
        used, i, hard = 0.0, a, False
        while i < n:
            u = U[i]
            if _is_break(u):
                i, hard = i + 1, True
                break
            w = _width(u, limit)
            if used + w > limit + _FUZZ and i > a:
                i = _choose_break(U, a, i, kept)
                break
            used += w
            i += 1
        spans.append([a, i, hard])
        a = i
    _no_widows(U, spans, max_width, kept)
    lines = []
    for k, (a, b, hard) in enumerate(spans):
        limit = max_width(k)
        used = sum(_width(u, limit) for u in U[a:b] if not _is_break(u))
        lines.append(_rlpara.makeCJKParaLine(U[a:b], limit, used, limit - used, hard, calcBounds))
    return _rlpara.ParaLines(kind=1, lines=lines)


def _choose_break(U, a: int, i: int, kept: set[int]) -> int:
    """U[i] does not fit on the line that starts at U[a]: where the line ends instead."""
    n = len(U)
    if U[i] in CANNOT_START and (i + 1 >= n or _may_break_before(U, i + 1, kept)):
        return i + 1  # one closing mark hangs in the margin (the style keeps room for it)
    for b in range(i, a, -1):
        if _may_break_before(U, b, kept):
            return b
    for b in range(i, a, -1):  # nothing allowed: at least keep the punctuation rules
        if _may_break_before(U, b):
            return b
    return i  # one unbreakable run longer than the line: cut it where it overflows


def _visible(U, a: int, b: int) -> int:
    return sum(1 for u in U[a:b] if not _is_break(u) and u.strip())


def _no_widows(U, spans, max_width, kept: set[int]) -> None:
    """A last line of one character takes one more from the line above (when rules allow)."""
    for k in range(1, len(spans)):
        last, prev = spans[k], spans[k - 1]
        if prev[2] or (k + 1 < len(spans) and not last[2]):
            continue  # not the last line of its paragraph segment
        if _visible(U, last[0], last[1]) != 1 or _visible(U, prev[0], prev[1]) < 3:
            continue
        limit = max_width(k)
        for b in range(prev[1] - 1, prev[0] + 1, -1):
            if _may_break_before(U, b, kept) and \
                    sum(_width(u, limit) for u in U[b:last[1]] if not _is_break(u)) <= limit + _FUZZ:
                prev[1] = last[0] = b
                break


class CJKParagraph(Paragraph):
    """A Paragraph whose CJK wrapping follows 避头尾 (``kinsoku_split``)."""

    def breakLinesCJK(self, maxWidths):  # noqa: N802 (reportlab's name)
        if not isinstance(maxWidths, (list, tuple)):
            maxWidths = [maxWidths]
        style = self.style
        frags = self.frags
        if (not frags or style.endDots or any(hasattr(f, "cbDefn") for f in frags)
                or (hasattr(self, "blPara") and getattr(self, "_splitpara", 0))):
            return super().breakLinesCJK(maxWidths)
        self.height = 0
        _rlpara._handleBulletWidth(self.bulletText, style, maxWidths)
        auto = getattr(self, "autoLeading", getattr(style, "autoLeading", ""))
        return kinsoku_split(frags, maxWidths, auto not in ("", "off"))


def _line_count(p: Paragraph) -> int:
    return len(getattr(getattr(p, "blPara", None), "lines", []) or [])


# A table label or a name: a few Chinese characters without punctuation. It is kept on one line
# (the font shrinks, down to TERM_FLOOR) rather than split as "前置条/件" or "开户行及账/号".
_TERM = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]{2,8}")
TERM_FLOOR = 5.0


def _abs_rect(canv, x0: float, y0: float, x1: float, y1: float) -> Rect:
    ax0, ay0 = canv.absolutePosition(x0, y0)
    ax1, ay1 = canv.absolutePosition(x1, y1)
    return (min(ax0, ax1), min(ay0, ay1), max(ax0, ax1), max(ay0, ay1))


class FitText(Flowable):
    """A paragraph that shrinks (down to ``min_size``) until it fits in ``lines`` lines of its base
    size; if even the smallest size needs more, it wraps further and the row grows — text is never
    cut off and never leaves its cell."""

    def __init__(self, ink: Ink, text: str, label: str, *, size: float, min_size: float, lines: int,
                 align=TA_LEFT):
        super().__init__()
        self.ink, self.text, self.label = ink, text or "", label
        self.size, self.min_size, self.lines, self.align = size, min_size, lines, align
        self._markup = ink.markup(self.text)
        self._para: Paragraph | None = None
        self.cell_rect: Rect | None = None  # set by GeoTable before drawing
        self._term = bool(_TERM.fullmatch(self.text.strip()))

    def _make(self, size: float, markup: str | None = None) -> Paragraph:
        return CJKParagraph(markup or self._markup, self.ink.style(size, align=self.align, leading=size * 1.25))

    def wrap(self, availWidth, availHeight):
        limit = self.size * 1.25 * self.lines + 0.01
        size = self.size
        while True:
            p = self._make(size)
            w, h = p.wrap(availWidth, availHeight)
            if h <= limit or size <= self.min_size:
                break
            size = max(self.min_size, size - 0.5)
        if self._term and _line_count(p) > 1:
            p, size, h = self._whole_term(p, size, availWidth, availHeight, h)
        self._para, self._size, self._avail = p, size, availWidth
        self.width, self.height = availWidth, h
        return availWidth, h

    def _whole_term(self, p, size, availWidth, availHeight, h):
        """A short label that broke: smaller until it fits one line; if even TERM_FLOOR does not,
        split it in the middle (前置/条件), never one character off the end."""
        s = size
        while s > TERM_FLOOR:
            s = max(TERM_FLOOR, s - 0.5)
            q = self._make(s)
            qh = q.wrap(availWidth, availHeight)[1]
            if _line_count(q) == 1:
                return q, s, qh
        text = self.text.strip()
        half = (len(text) + 1) // 2
        markup = self.ink.markup(text[:half]) + "<br/>" + self.ink.markup(text[half:])
        s = size
        while True:
            q = self._make(s, markup)
            qh = q.wrap(availWidth, availHeight)[1]
            if _line_count(q) <= 2 or s <= TERM_FLOOR:
                return q, s, qh
            s = max(TERM_FLOOR, s - 0.5)

    def draw(self):
        self._para.drawOn(self.canv, 0, 0)
        text = _text_rect(self.canv, self._para, self._avail, self.height, self.align)
        cell = self.cell_rect or _abs_rect(self.canv, 0, 0, self._avail, self.height)
        self.ink.geometry.boxes.append(Box(self.canv.getPageNumber(), self.label, cell, text, self._size))


def _text_rect(canv, para: Paragraph, avail: float, height: float, align) -> Rect:
    """The text's own extent, from its widest line. Not capped at the box: a line wider than its
    box (an unbreakable run, a hanging punctuation mark) must show up as overflow in the tests."""
    st = para.style
    left, right = st.leftIndent, st.rightIndent
    inner = avail - left - right
    extras = [ln[0] if isinstance(ln, tuple) else getattr(ln, "extraSpace", 0)
              for ln in getattr(para.blPara, "lines", [])] or [0.0]
    extra = min(extras)  # the widest line
    used = inner - extra
    if align == TA_CENTER:
        x0 = left + extra / 2
    elif align == TA_LEFT or align == 4:  # left or justified
        x0 = left
    else:
        x0 = left + extra
    return _abs_rect(canv, x0, 0, x0 + used, height)


class GeoParagraph(CJKParagraph):
    """A free-standing paragraph that records its box (the frame width it was given) and its text."""

    def wrap(self, availWidth, availHeight):
        self._avail = availWidth
        return super().wrap(availWidth, availHeight)

    def draw(self):
        super().draw()
        ink = getattr(self, "ink", None)
        if ink is None:  # a split half reportlab made: same text, already recorded by its parts
            return
        avail = getattr(self, "_avail", self.width)
        text = _text_rect(self.canv, self, avail, self.height, self.style.alignment)
        cell = _abs_rect(self.canv, 0, 0, avail, self.height)
        ink.geometry.boxes.append(Box(self.canv.getPageNumber(), self.label, cell, text, self.size))


class GeoTable(Table):
    """A Table that tells each ``FitText`` the rectangle of the cell it is drawn in. Its cell font
    is the CJK font (reportlab's default Helvetica would land in the PDF, not embedded)."""

    def __init__(self, data, *, font: str | None = None, style=None, **kw):
        # font is None when reportlab re-creates the halves of a split table (styles are copied)
        first = [("FONT", (0, 0), (-1, -1), font)] if font else []
        super().__init__(data, style=first + list(style or []), **kw)

    def _drawCell(self, cellval, cellstyle, pos, size):
        colpos, rowpos = pos
        w, h = size
        rect = _abs_rect(self.canv, colpos, rowpos, colpos + w, rowpos + h)
        for v in (cellval if isinstance(cellval, (list, tuple)) else [cellval]):
            if isinstance(v, FitText):
                v.cell_rect = rect
        return super()._drawCell(cellval, cellstyle, pos, size)


class TickBox(Flowable):
    """A square tick box with a label (必选/勾选); ticked = a “√” drawn in it (text, so pdftotext
    and the tests can see it)."""

    def __init__(self, ink: Ink, ticked: bool, label: str, key: str, size: float = 10.0):
        super().__init__()
        self.ink, self.ticked, self.label, self.key, self.size = ink, ticked, label, key, size
        ink.geometry.checks[key] = ticked
        self.width = size + 3 + len(label) * size
        self.height = size * 1.2

    def wrap(self, availWidth, availHeight):
        return self.width, self.height

    def draw(self):
        c, s = self.canv, self.size
        y0 = 0.1 * s  # the box's bottom edge
        c.saveState()
        c.setLineWidth(0.7)
        c.rect(0, y0, s, s, stroke=1, fill=0)
        c.setFont(self.ink.fonts.main, s)
        if self.ticked:
            # The visible tick is a stroke well inside the box (a font's "√" is as tall as a whole
            # character and ran over the box's edges); the "√" itself is written as invisible text,
            # so pdftotext, a screen reader and the tests still read the tick.
            c.saveState()
            c.setLineWidth(max(0.8, 0.11 * s))
            c.setLineCap(1)
            c.setLineJoin(1)
            path = c.beginPath()
            path.moveTo(0.2 * s, y0 + 0.52 * s)
            path.lineTo(0.42 * s, y0 + 0.22 * s)
            path.lineTo(0.8 * s, y0 + 0.8 * s)
            c.drawPath(path, stroke=1, fill=0)
            mark = c.beginText(0.15 * s, y0 + 0.2 * s)
            mark.setTextRenderMode(3)
            mark.setFont(self.ink.fonts.main, 0.7 * s)
            mark.textOut("√")
            c.drawText(mark)
            c.restoreState()
        if self.label:
            c.drawString(s + 3, 0.22 * s, self.label)
        c.restoreState()


class Barcode(Flowable):
    """Code128 of the case number as vectors (a bitmap barcode did not decode), 0.42 mm a module
    where the width allows (the A4 receipt: decodes from a 150 dpi scan), narrower only to fit
    ``max_width`` (the 80 mm roll), with a quiet zone of ten modules either side."""

    def __init__(self, value: str, *, max_width: float, height: float, bar_width: float = 0.42 * 72 / 25.4):
        super().__init__()
        from reportlab.graphics.barcode.code128 import Code128

        self.value = value
        probe = Code128(value, barWidth=1.0, barHeight=height, humanReadable=False, quiet=0)
        modules = probe.width  # width at 1 pt per module
        self.bar_width = min(bar_width, (max_width - 20 * max_width / (modules + 20)) / modules)
        self.code = Code128(value, barWidth=self.bar_width, barHeight=height, humanReadable=False,
                            quiet=1, lquiet=10 * self.bar_width, rquiet=10 * self.bar_width)
        self.width, self.height = self.code.width, height

    def wrap(self, availWidth, availHeight):
        return self.width, self.height

    def draw(self):
        self.code.drawOn(self.canv, 0, 0)

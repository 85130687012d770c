"""Issue 16 item 13: Chinese line breaking (避头尾) in every printed document, read back with
``pdftotext -layout``: no line starts with closing punctuation, none ends with opening punctuation,
table labels are not split ("前置条/件"), a paragraph does not end in one lone character, and the
footer does not break after "受理编号：". Plus the splitter itself on lines built to hit each rule."""
from __future__ import annotations

import re

import pytest
from doc_pdf import OFFICE, pdf_text, squash
from doc_samples import TODAY, planned_case

from houshi_desk.documents import KINDS, render_document

CLOSING = "，。；：、）」》！？”』】"
OPENING = "（「《“『【"
TERMS = ("前置条件", "办理事项", "退役军人事务部门", "开户行及账号", "受理回执")


def segments(layout_text: str):
    """Each run of text pdftotext put on one line (table cells in a row are apart by 2+ spaces)."""
    for line in layout_text.splitlines():
        for seg in re.split(r"\s{2,}", line.strip()):
            if seg:
                yield seg, line


@pytest.mark.parametrize("region", ["nm", "nx"])
@pytest.mark.parametrize("kind", KINDS)
def test_no_forbidden_line_starts_ends_or_split_labels(region, kind, tmp_path):
    case = planned_case(region, proxy=True)
    pdf = render_document(kind, case, office=OFFICE, today=TODAY).pdf
    layout = pdf_text(pdf, tmp_path, layout=True)
    bad = []
    for seg, line in segments(layout):
        if seg[0] in CLOSING:
            bad.append(f"starts with {seg[0]!r}: {line.strip()}")
        if seg[-1] in OPENING:
            bad.append(f"ends with {seg[-1]!r}: {line.strip()}")
        if seg.endswith("受理编号："):
            bad.append(f"breaks after 受理编号：: {line.strip()}")
        if len(seg) == 1 and seg in "件项门号表具系执窗":  # the tail of a split label or title
            bad.append(f"lone {seg!r}: {line.strip()}")
    whole = squash(pdf_text(pdf, tmp_path))
    for term in TERMS:
        if term in whole and not any(term in squash(line) for line in layout.splitlines()):
            bad.append(f"label split across lines: {term}")
    assert not bad, f"{region}/{kind}:\n" + "\n".join(bad)


def _lines(text: str, width: float, size: float = 10.5) -> list[str]:
    from houshi_desk.documents.fonts import cjk_font
    from houshi_desk.documents.layout import CJKParagraph
    from reportlab.lib.styles import ParagraphStyle

    p = CJKParagraph(text, ParagraphStyle("t", fontName=cjk_font(), fontSize=size, leading=size * 1.3,
                                          wordWrap="CJK"))
    p.wrap(width, 1000)
    out = []
    for ln in p.blPara.lines:
        words = getattr(ln, "words", None)
        out.append("".join(w.text for w in words) if words is not None else "".join(ln[1]))
    return out


def test_splitter_rules():
    size = 10.5
    w = size * 10 + 0.5  # ten characters a line
    # a semicolon that would start line 2 hangs at the end of line 1 instead
    lines = _lines("一二三四五六七八九十；一二三", w)
    assert not any(ln[0] in CLOSING for ln in lines[1:]), lines
    # an opening bracket that would end a line moves down with what it opens
    lines = _lines("一二三四五六七八九（十一）", w)
    assert not any(ln.rstrip()[-1] in OPENING for ln in lines), lines
    # a number stays whole, with the label's colon
    lines = _lines("地址一二三四五六受理编号：150702-W03-20260123-0007", w * 2)
    assert any(ln.startswith("受理编号：150702-W03-20260123-0007") for ln in lines), lines
    # a last line of one character takes one more from the line above
    lines = _lines("一二三四五六七八九十甲", w)
    assert len(lines[-1].strip()) >= 2, lines
    # explicit line breaks are kept
    assert len(_lines("一二<br/>三四", w)) == 2


def test_table_label_shrinks_instead_of_splitting():
    from houshi_desk.documents.fonts import font_set
    from houshi_desk.documents.layout import Geometry, Ink

    ink = Ink(font_set(), Geometry())
    f = ink.fit("前置条件", "label", 10.5, lines=4)
    f.wrap(10.5 * 3 + 12, 500)  # a column three characters wide at the base size
    assert len(f._para.blPara.lines) == 1 and f._size < 10.5
    f = ink.fit("退役军人事务部门", "dept", 9, lines=3)
    f.wrap(9 * 7 + 10, 500)
    assert len(f._para.blPara.lines) == 1
    # too narrow even at the smallest size: split in the middle, never one character off
    f = ink.fit("开户行及账号", "bank", 10.5, lines=2)
    f.wrap(25, 500)
    lines = f._para.blPara.lines
    assert len(lines) == 2

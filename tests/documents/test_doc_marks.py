"""Issue 16 item 14 (the parts outside the receipt): tick marks stay inside their boxes; the 承诺书's
signature line is blank (the printed name is below it, labelled); a PDF carries the real
CreationDate unless SOURCE_DATE_EPOCH pins it."""
from __future__ import annotations

import io
import subprocess
from datetime import datetime, timedelta, timezone

import pytest
from doc_pdf import OFFICE, _need, pdf_text
from doc_samples import TODAY, planned_case

from houshi_desk.documents import render_document


def _raster(pdf: bytes, tmp_path, name: str, dpi: int = 600):
    from PIL import Image

    _need("pdftoppm", "poppler-utils")
    src = tmp_path / f"{name}.pdf"
    src.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(src), str(tmp_path / name)], check=True)
    return Image.open(next(tmp_path.glob(f"{name}-*.png"))).convert("L")


def _boxes_pdf(ticked: bool) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    from houshi_desk.documents.fonts import font_set
    from houshi_desk.documents.layout import Geometry, Ink, TickBox

    ink = Ink(font_set(), Geometry())
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(120, 40), initialFontName=ink.fonts.main)
    for i, size in enumerate((10.0, 9.0, 8.0)):
        t = TickBox(ink, ticked, "", f"k{i}", size=size)
        t.wrap(100, 100)
        t.drawOn(c, 10 + 35 * i, 10)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_tick_marks_stay_inside_their_boxes(tmp_path):
    dpi = 600
    empty = _raster(_boxes_pdf(False), tmp_path, "empty", dpi)
    ticked = _raster(_boxes_pdf(True), tmp_path, "ticked", dpi)
    px = dpi / 72
    height = empty.size[1]
    inside = []
    for i, size in enumerate((10.0, 9.0, 8.0)):
        x0, y0 = 10 + 35 * i, 10 + 0.1 * size  # the box's lower-left corner in points
        lw = 0.7  # the box's line: the tick must stay clear of it
        inside.append(((x0 + lw) * px, height - (y0 + size - lw) * px, (x0 + size - lw) * px, height - (y0 + lw) * px))
    e, t = empty.load(), ticked.load()
    changed = outside = 0
    for y in range(height):
        for x in range(empty.size[0]):
            if abs(e[x, y] - t[x, y]) > 64:
                changed += 1
                if not any(a <= x <= c and b <= y <= d for a, b, c, d in inside):
                    outside += 1
    assert changed > 50, "no tick drawn"
    assert outside == 0, f"{outside} pixels of the ticks lie outside or on their boxes"
    assert pdf_text(_boxes_pdf(True), tmp_path).count("√") == 3  # still readable as text


def test_promise_signature_line_is_blank(tmp_path):
    case = planned_case("nm", proxy=True)
    pdf = render_document("promise", case, office=OFFICE, today=TODAY).pdf
    layout = pdf_text(pdf, tmp_path, layout=True)
    name = case.applicant.identity.name
    sign = [ln for ln in layout.splitlines() if "申请人（签名）：" in ln]
    assert sign and not any(name in ln for ln in sign), sign
    assert any(f"申请人姓名：{name}" in ln.replace(" ", "") for ln in layout.splitlines())


@pytest.mark.parametrize("kind", ["promise", "receipt"])
def test_pdf_creation_date_is_the_real_time(kind, monkeypatch):
    from pypdf import PdfReader

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = datetime.now(timezone.utc) - timedelta(seconds=2)
    pdf = render_document(kind, planned_case("nm"), office=OFFICE, today=TODAY).pdf
    after = datetime.now(timezone.utc) + timedelta(seconds=2)
    created = PdfReader(io.BytesIO(pdf)).metadata.creation_date
    if created.tzinfo is None:
        created = created.replace(tzinfo=timezone.utc)
    assert before <= created <= after, created

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1769126400")  # 2026-01-23 00:00 UTC: tests pin it
    pdf = render_document(kind, planned_case("nm"), office=OFFICE, today=TODAY).pdf
    created = PdfReader(io.BytesIO(pdf)).metadata.creation_date
    assert created.replace(tzinfo=None) == datetime(2026, 1, 23, 0, 0)

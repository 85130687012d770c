"""Issue 16 item 14 (receipt words): every promised date carries its year, and 咨询电话 is printed
in the same size as the lines around it."""
from __future__ import annotations

import re

import pytest
from doc_pdf import OFFICE, pdf_text, squash
from doc_samples import TODAY, planned_case

from houshi_desk.documents import render_document


@pytest.mark.parametrize("kind", ["receipt", "receipt-roll"])
def test_due_dates_carry_the_year(kind, tmp_path):
    from datetime import date

    case = planned_case("nm")
    chosen = [m for m in case.matters if m.chosen]
    for m, due in zip(chosen[:2], (date(2026, 2, 3), date(2027, 1, 8))):  # same year and the next
        m.due_date, m.due_date_uncertain = due, False
    dated = [m for m in case.matters if m.chosen and m.due_date]
    assert len(dated) >= 2
    text = squash(pdf_text(render_document(kind, case, office=OFFICE, today=TODAY).pdf, tmp_path))
    for m in dated:
        assert f"{m.due_date.year}年{m.due_date.month}月{m.due_date.day}日" in text, m.code
    for hit in re.finditer(r"(\d{1,2})月(\d{1,2})日", text):
        assert re.search(r"\d{4}年$", text[:hit.start()]), f"a date without its year: …{text[max(0, hit.start() - 12):hit.end()]}"


@pytest.mark.parametrize("kind", ["receipt", "receipt-roll"])
def test_phone_line_is_the_size_of_its_neighbours(kind):
    doc = render_document(kind, planned_case("nm"), office=OFFICE, today=TODAY)
    sizes = {b.label[:4]: b.font_size for b in doc.geometry.boxes}
    assert sizes["咨询电话"] == sizes["受理机构"] == sizes["受理人："[:4]], sizes

"""Issue 16 item 14: the receipt's barcode decodes with zbarimg from a 150 dpi scan-like render
(pdftoppm -r 150), on the A4 receipt and on the 80 mm roll."""
from __future__ import annotations

import pytest
from doc_pdf import OFFICE, decode_barcodes
from doc_samples import TODAY, planned_case

from houshi_desk.documents import render_document


@pytest.mark.parametrize("kind", ["receipt", "receipt-roll"])
def test_receipt_barcode_decodes_at_150_dpi(kind, tmp_path):
    number = "150702-W03-20260123-0007"
    pdf = render_document(kind, planned_case("nm", number=number), office=OFFICE, today=TODAY).pdf
    assert decode_barcodes(pdf, tmp_path, dpi=150) == [number]


def test_a4_barcode_modules_are_wide_enough_for_a_scan():
    from reportlab.lib.units import mm

    from houshi_desk.documents.layout import Barcode

    b = Barcode("150702-W03-20260123-0007", max_width=120 * mm, height=16 * mm)
    assert b.bar_width >= 0.4 * mm  # ≥ 2.3 pixels a module at 150 dpi
    assert b.width <= 120 * mm

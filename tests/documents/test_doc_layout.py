"""Long fields (names at the card's 15 characters, addresses at 35, rare characters), empty
optional fields, a case with every matter and one with the fewest: every text box stays inside its
cell, every cell inside the page, and no text is silently dropped."""
from __future__ import annotations

import pytest
from doc_pdf import OFFICE, pdf_text, squash
from doc_samples import TODAY, long_fields, planned_case

from houshi_desk.documents import KINDS, render_document

EPS = 0.05  # points


def inside(inner, outer) -> bool:
    return (inner[0] >= outer[0] - EPS and inner[1] >= outer[1] - EPS
            and inner[2] <= outer[2] + EPS and inner[3] <= outer[3] + EPS)


def check_geometry(doc):
    g = doc.geometry
    page = (0, 0, g.page_size[0], g.page_size[1])
    assert g.boxes, "renderer recorded no text boxes"
    for b in g.boxes:
        assert inside(b.text, b.cell), f"{doc.kind}: text of {b.label} leaves its cell: {b}"
        assert inside(b.cell, page), f"{doc.kind}: cell of {b.label} leaves the page: {b}"
        assert b.font_size >= 6.5 - EPS, f"{doc.kind}: {b.label} shrunk below readable size"


CASES = {
    "long": lambda region: long_fields(planned_case(region, everything=True, proxy=True)),
    "everything": lambda region: planned_case(region, everything=True, proxy=True),
    "fewest": lambda region: planned_case(region, fewest=True, proxy=True, chosen=[]),
}


@pytest.mark.parametrize("variant", list(CASES))
@pytest.mark.parametrize("region", ["nm", "nx"])
@pytest.mark.parametrize("kind", KINDS)
def test_boxes_inside_cells_and_page(kind, region, variant):
    case = CASES[variant](region)
    doc = render_document(kind, case, office=OFFICE, today=TODAY)
    check_geometry(doc)
    assert doc.missing_chars == []


@pytest.mark.parametrize("region", ["nm", "nx"])
def test_long_fields_are_printed_whole(region, tmp_path):
    case = long_fields(planned_case(region, everything=True, proxy=True))
    name = case.deceased.identity.name
    addr = case.applicant.address
    assert len(name) == 15 and len(addr) == 35 and "䶮" in name and "𠇔" in name
    text = squash(pdf_text(render_document("application", case, office=OFFICE, today=TODAY).pdf, tmp_path))
    for value in (name, addr, case.applicant.employer, case.applicant.bank_name, case.death.housing_fund_centre,
                  case.applicant.bank_account, case.notes):
        assert squash(value) in text, f"dropped or cut: {value!r}"
    for kind in ("promise", "receipt", "receipt-roll", "completion"):
        text = squash(pdf_text(render_document(kind, case, office=OFFICE, today=TODAY).pdf, tmp_path))
        assert name in text, kind


def test_empty_optional_fields(tmp_path):
    case = planned_case("nm")
    for p in case.parties():
        p.phone = p.address = p.employer = p.bank_account = p.bank_name = ""
    case.death.housing_fund_centre = case.death.employer = ""
    case.death.disposal_date = None
    case.notes = ""
    for kind in ("application", "promise", "notice", "receipt", "receipt-roll", "completion"):
        doc = render_document(kind, case, office=OFFICE, today=TODAY)
        check_geometry(doc)
        assert case.deceased.identity.name in squash(pdf_text(doc.pdf, tmp_path))


def test_fewest_matters_case_still_has_every_catalog_row(tmp_path):
    from houshi_desk.domain.catalog import load_catalog

    case = planned_case("nm", fewest=True, chosen=[])
    doc = render_document("application", case, office=OFFICE, today=TODAY)
    text = squash(pdf_text(doc.pdf, tmp_path))
    for m in load_catalog("nm").matters:
        assert squash(m.extra.get("form_label") or m.name) in text
    ticked = [k for k, v in doc.geometry.checks.items() if v and k.startswith("matter.")]
    assert ticked == [f"matter.{m.code}" for m in case.matters if m.chosen]


def test_receipt_with_no_accepted_matter_says_so(tmp_path):
    case = planned_case("nm")
    for m in case.matters:
        m.chosen = False
    text = squash(pdf_text(render_document("receipt", case, office=OFFICE, today=TODAY).pdf, tmp_path))
    assert "暂无受理事项" in text


def test_unbroken_long_ascii_wraps_inside_its_cell(tmp_path):
    case = planned_case("nm", proxy=True)
    case.applicant.bank_account = "6222" * 12  # 48 digits, no space to break at
    case.applicant.employer = "HulunBuirSampleTradingCompanyLimitedBranchNumberThree"
    for kind in ("application", "proxy"):
        doc = render_document(kind, case, office=OFFICE, today=TODAY)
        check_geometry(doc)
        assert "6222" * 12 in squash(pdf_text(doc.pdf, tmp_path))

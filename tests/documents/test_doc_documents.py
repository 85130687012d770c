"""Every document for a sample case of each region: the text a clerk expects, every font embedded,
the right page count and size; the receipt's barcode decodes to the case number; ticks follow the
case; a catalog edit adds a row to the 申请表 without code changes."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from doc_pdf import OFFICE, decode_barcodes, pdf_fonts, pdf_pages, pdf_text, squash
from doc_samples import TODAY, planned_case

from houshi_desk.documents import KINDS, DocumentError, render, render_document
from houshi_desk.domain.case import MatterStatus

A4 = (595.27, 841.89)

# Sample case of each region (with a proxy, so every kind exists), rendered once per region.
_cache: dict = {}


def rendered(region: str, kind: str):
    key = (region, kind)
    if key not in _cache:
        case = planned_case(region, proxy=True)
        _cache[key] = (case, render_document(kind, case, office=OFFICE, today=TODAY))
    return _cache[key]


def expected_texts(region: str, kind: str, case) -> list[str]:
    title = {"nm": "公民身后“一件事一次办”", "nx": "个人身后“一件事”"}[region]
    applicant, deceased = case.applicant.identity.name, case.deceased.identity.name
    return {
        "application": [title + "申请表", deceased, case.deceased.identity.id_number, "逝世人员基本情况", "前置条件",
                        "办理事项", "必选", "勾选", "注销死亡人员户口" if region == "nm" else "死亡人员户口注销",
                        applicant, case.applicant.identity.id_number, case.proxy.identity.name, "备注",
                        case.number],
        "promise": [title + "申请人承诺书", "以上所有内容，本人已详细阅读并充分理解。", applicant, deceased,
                    "申请人（签名）："],
        "proxy": [title + "线下办理授权委托书", applicant, case.proxy.identity.name, "脑梗后遗症",
                  "授权委托人（签字）：", "受托人（签字）："],
        "notice": [title + "一次性告知单", "从哪里取得", "逝者居民身份证", "户口本", applicant,
                   OFFICE.phone, case.number],
        "receipt": [title + "受理回执", case.number, "办结时限", OFFICE.phone, OFFICE.name, deceased, applicant,
                    "注销死亡人员户口" if region == "nm" else "死亡人员户口注销"],
        "receipt-roll": [title + "受理回执", case.number, OFFICE.phone, deceased],
        "completion": [title + "办结通知书", "缴销", deceased, applicant, OFFICE.phone],
    }[kind]


@pytest.mark.parametrize("region", ["nm", "nx"])
@pytest.mark.parametrize("kind", KINDS)
def test_document_text_fonts_pages(region, kind, tmp_path):
    case, doc = rendered(region, kind)
    assert doc.pdf.startswith(b"%PDF-")
    text = squash(pdf_text(doc.pdf, tmp_path))
    for expected in expected_texts(region, kind, case):
        assert squash(expected) in text, f"{region}/{kind}: missing {expected!r}"

    fonts = pdf_fonts(doc.pdf, tmp_path)
    assert fonts, "no fonts at all?"
    for f in fonts:
        assert f["emb"] == "yes" and f["sub"] == "yes", f"{region}/{kind}: font not embedded as subset: {f}"
    assert not any(f["name"].split("+")[-1] in ("Helvetica", "Times-Roman", "Courier", "STSong-Light")
                   for f in fonts)

    pages, sizes = pdf_pages(doc.pdf, tmp_path)
    assert pages == doc.pages
    if kind == "receipt-roll":
        assert pages == 1
        w, h = sizes[0]
        assert abs(w - 80 / 25.4 * 72) < 0.5 and 200 < h < 2000
    else:
        assert all(abs(w - A4[0]) < 1 and abs(h - A4[1]) < 1 for w, h in sizes)
        expected_pages = {"notice": (1, 2), "application": (1, 2)}.get(kind, (1, 1))
        assert expected_pages[0] <= pages <= expected_pages[1], f"{region}/{kind}: {pages} pages"
    assert doc.missing_chars == []


def test_application_fits_one_page_for_the_nm_sample(tmp_path):
    _, doc = rendered("nm", "application")
    assert doc.pages == 1


@pytest.mark.parametrize("region", ["nm", "nx"])
@pytest.mark.parametrize("kind", ["receipt", "receipt-roll"])
def test_receipt_barcode_decodes_to_case_number(region, kind, tmp_path):
    case, doc = rendered(region, kind)
    assert decode_barcodes(doc.pdf, tmp_path) == [case.number]


@pytest.mark.parametrize("region", ["nm", "nx"])
def test_application_rows_follow_catalog_and_ticks_follow_case(region):
    from houshi_desk.domain.catalog import load_catalog

    case, doc = rendered(region, "application")
    catalog = load_catalog(region)
    checks = doc.geometry.checks
    for m in catalog.matters:
        if m.kind == "info":
            assert f"matter.{m.code}" not in checks
            continue
        cm = case.matter(m.code)
        assert checks[f"matter.{m.code}"] == bool(cm and cm.chosen and cm.applicable), m.code
    for p in catalog.preconditions:
        assert checks[f"precondition.{p.code}"] == (p.code == "death_cert_medical"), p.code  # sample: normal death


def test_proxy_lists_choosable_matters_with_chosen_ticked():
    from houshi_desk.domain.catalog import load_catalog

    case, doc = rendered("nm", "proxy")
    choosable = [m.code for m in load_catalog("nm").matters if m.extra.get("proxy_choosable")]
    assert choosable
    for code in choosable:
        cm = case.matter(code)
        assert doc.geometry.checks[f"proxy.{code}"] == bool(cm and cm.chosen)
    assert any(doc.geometry.checks[f"proxy.{c}"] for c in choosable)  # household_head_change in the sample


def test_proxy_without_proxy_is_refused_clearly():
    case = planned_case("nm")
    with pytest.raises(DocumentError) as err:
        render("proxy", case, office=OFFICE, today=TODAY)
    assert "没有受托人" in err.value.message


def test_unknown_kind_is_refused():
    with pytest.raises(DocumentError) as err:
        render("letter", planned_case("nm"), office=OFFICE, today=TODAY)
    assert "不认识的文书类型" in err.value.message


def test_catalog_edit_adds_a_row_to_the_application(tmp_path):
    """A matter added to the catalog file gets its row (and box) with no code change."""
    from houshi_desk.domain.catalog import load_catalog, load_catalog_file

    src = Path(load_catalog("nm").source_file)
    edited = tmp_path / "nm-2099.toml"
    edited.write_text(src.read_text(encoding="utf-8") + '''
[[matters]]
code = "library_card_cancel"
name = "注销图书馆借阅证并退还押金"
department = "civil_affairs"
mandatory = false
produces = "借阅证注销"
basis = "local"
basis_document = "呼图发〔2099〕1号"
''', encoding="utf-8")
    catalog = load_catalog_file(edited)
    case = planned_case("nm")
    before = squash(pdf_text(render("application", case, catalog=load_catalog("nm"), office=OFFICE, today=TODAY), tmp_path))
    doc = render_document("application", case, catalog=catalog, office=OFFICE, today=TODAY)
    after = squash(pdf_text(doc.pdf, tmp_path))
    assert "注销图书馆借阅证并退还押金" not in before
    assert "注销图书馆借阅证并退还押金" in after
    assert doc.geometry.checks["matter.library_card_cancel"] is False  # not chosen on this case


def test_case_matter_missing_from_catalog_is_printed_not_dropped(tmp_path):
    from houshi_desk.domain.case import CaseMatter

    case = planned_case("nm")
    case.matters.append(CaseMatter("old_matter_2021", True, False, True, status=MatterStatus.PENDING))
    text = squash(pdf_text(render("application", case, office=OFFICE, today=TODAY), tmp_path))
    assert "old_matter_2021" in text and "目录中已无此事项" in text


def test_notice_lists_only_what_is_still_needed(tmp_path):
    from houshi_desk.domain.case import MaterialState

    case = planned_case("nm")
    for m in case.materials:
        if m.code == "household_register":
            m.state = MaterialState.PAPER
        if m.code == "deceased_id_card":
            m.state = MaterialState.DEFERRED
    text = squash(pdf_text(render("notice", case, office=OFFICE, today=TODAY), tmp_path))
    assert "户口本" not in text.replace("户口本（", "")  # received on paper: not asked again
    assert "逝者居民身份证" in text and "容缺受理，须后补" in text

    for m in case.materials:
        m.state = MaterialState.SHARED
    text = squash(pdf_text(render("notice", case, office=OFFICE, today=TODAY), tmp_path))
    assert "材料已经齐全" in text


def test_receipt_lists_accepted_matters_with_promised_dates(tmp_path):
    case, doc = rendered("nm", "receipt")
    text = squash(pdf_text(doc.pdf, tmp_path))
    accepted = [m for m in case.matters if m.chosen]
    assert accepted
    for m in accepted:
        if m.due_date:
            assert f"{m.due_date.month}月{m.due_date.day}日" in text
    for m in case.matters:
        if not m.chosen:
            from houshi_desk.domain.catalog import load_catalog

            assert squash(load_catalog("nm").matter(m.code).name) not in text


@pytest.mark.parametrize("kind", ["receipt", "receipt-roll"])
def test_receipt_marks_a_promised_date_past_the_known_holiday_calendar(kind, tmp_path):
    """Accepted on the last day of the year, NX's 1-working-day promise (NX:91) falls in next year,
    whose holidays are not published yet: the date carries a mark and the receipt says it may move."""
    from datetime import date

    december = planned_case("nx", today=date(2026, 12, 31))
    late = [m for m in december.matters if m.chosen and m.due_date and m.due_date_uncertain]
    assert late, "a 31 December case must have promises beyond 2026"
    december.application_date = date(2026, 12, 31)
    text = squash(pdf_text(render(kind, december, office=OFFICE, today=date(2026, 12, 31)), tmp_path))
    for m in late:
        assert squash(f"{m.due_date.year}年{m.due_date.month}月{m.due_date.day}日*") in text
    assert squash("按现有节假日安排推算") in text

    january = planned_case("nx")  # every promise inside the known calendar: no mark, no note
    assert not any(m.due_date_uncertain for m in january.matters)
    text = squash(pdf_text(render(kind, january, office=OFFICE, today=TODAY), tmp_path))
    assert "*" not in text and squash("按现有节假日安排推算") not in text


def test_completion_shows_results_and_surrender(tmp_path):
    case = planned_case("nm")
    for m in case.matters:
        if m.chosen:
            m.status, m.result = MatterStatus.DONE, "已办结，测试结果"
    text = squash(pdf_text(render("completion", case, office=OFFICE, today=TODAY), tmp_path))
    assert "已办结，测试结果" in text and "交回" in text
    case.id_card_surrendered = True
    text = squash(pdf_text(render("completion", case, office=OFFICE, today=TODAY), tmp_path))
    assert "已由窗口缴销" in text


def test_render_is_deterministic(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1769126400")  # the PDFs carry their real time otherwise
    case = planned_case("nm")
    a = render("receipt", case, office=OFFICE, today=TODAY)
    b = render("receipt", dataclasses.replace(case), office=OFFICE, today=TODAY)
    assert a == b

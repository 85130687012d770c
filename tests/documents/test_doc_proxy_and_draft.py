"""Issue 16 items 7 and 16 on paper, read back with pdftotext: a proxy case's 申请表 and 委托书 carry the
受托人's 工作单位, the applicant's illness (委托书), the 委托期限 dates and a 受托人 signature line with its
date; a case without a proxy has no such line. A draft preview is watermarked 草稿 on every kind."""
from __future__ import annotations

from datetime import date

import pytest
from doc_pdf import OFFICE, pdf_text, squash
from doc_samples import TODAY, planned_case

from houshi_desk.documents import KINDS, render, render_document


def proxy_case():
    case = planned_case("nm", proxy=True)
    case.proxy.authorised_from, case.proxy.authorised_to = date(2026, 1, 23), date(2026, 4, 23)
    return case


@pytest.mark.parametrize("region", ["nm", "nx"])
def test_power_of_attorney_prints_employer_illness_period_and_both_signatures(region, tmp_path):
    case = planned_case(region, proxy=True)
    case.proxy.authorised_from, case.proxy.authorised_to = date(2026, 1, 23), date(2026, 4, 23)
    text = squash(pdf_text(render("proxy", case, office=OFFICE, today=TODAY), tmp_path))
    for expected in ("呼伦贝尔样例有限公司", "因患脑梗后遗症", "委托期限：自2026年1月23日至2026年4月23日",
                     "授权委托人（签字）：日期：年月日", "受托人（签字）：日期：年月日"):
        assert expected in text, expected


def test_power_of_attorney_without_a_period_leaves_it_for_the_pen(tmp_path):
    case = planned_case("nm", proxy=True)  # a case saved before the period was kept
    text = squash(pdf_text(render("proxy", case, office=OFFICE, today=TODAY), tmp_path))
    assert "委托期限：自年月日至年月日" in text


def test_application_of_a_proxy_case_has_the_proxy_block_and_signature(tmp_path):
    text = pdf_text(render("application", proxy_case(), office=OFFICE, today=TODAY), tmp_path)
    flat = squash(text)
    for expected in ("呼伦贝尔样例有限公司", "委托期限", "自2026年1月23日至2026年4月23日", "受托人（签名）："):
        assert expected in flat, expected
    assert flat.index("申请人（签名）：") < flat.index("受托人（签名）：")


def test_application_without_a_proxy_has_no_proxy_signature(tmp_path):
    flat = squash(pdf_text(render("application", planned_case("nm"), office=OFFICE, today=TODAY), tmp_path))
    assert "申请人（签名）：" in flat
    assert "受托人（签名）" not in flat and "委托期限" not in flat


def test_application_of_a_proxy_case_still_fits_one_page():
    doc = render_document("application", proxy_case(), office=OFFICE, today=TODAY)
    assert doc.pages == 1


@pytest.mark.parametrize("kind", KINDS)
def test_a_draft_preview_is_watermarked_on_every_page(kind, tmp_path):
    case = proxy_case()
    draft = pdf_text(render(kind, case, office=OFFICE, today=TODAY, draft=True), tmp_path)
    assert "草稿" in draft and "不作受理凭证" in squash(draft)
    final = pdf_text(render(kind, case, office=OFFICE, today=TODAY), tmp_path)
    assert "草稿" not in final

"""What the papers tell a family is what the region's seed says: no invented due dates, no SMS promise
unless the platform sends one, results by pick-up or post as recorded, NX papers free of NM rules and
marked as drafts, and a reprint that says what the first print said."""
from __future__ import annotations

import dataclasses
import re

from doc_pdf import OFFICE, pdf_text, squash
from doc_samples import TODAY, planned_case

from houshi_desk.documents import render_document
from houshi_desk.domain.case import Delivery
from houshi_desk.domain.checklist import ChecklistResult

DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日|\d{1,2}月\d{1,2}日")


def _text(kind, case, tmp_path, office=OFFICE):
    pdf = render_document(kind, case, office=office, today=TODAY).pdf
    return squash(pdf_text(pdf, tmp_path))


def test_nm_receipt_prints_no_date_for_a_matter_without_a_policy_deadline(tmp_path):
    case = planned_case("nm")
    assert case.matters and all(m.due_date is None for m in case.matters)
    text = _text("receipt", case, tmp_path)
    assert "按部门规定时限办结" in text and "承诺办结" not in text
    # the only date on the receipt is the application date itself
    assert DATE.findall(text) == ["2026年1月23日"], DATE.findall(text)


def test_nx_receipt_dates_only_the_policy_deadlines(tmp_path):
    case = planned_case("nx")
    dated = {m.code for m in case.matters if m.due_date}
    assert dated == {"hukou_cancel", "driving_licence_cancel"}  # 1 working day each (NX:91)
    text = _text("receipt", case, tmp_path)
    assert "按部门规定时限办结" in text and "1月26日" in text  # Friday + 1 working day = Monday


def test_receipt_promises_no_sms_unless_the_platform_sends_one(tmp_path):
    case = planned_case("nm")
    assert "短信" not in _text("receipt", case, tmp_path)
    assert "到本窗口领取办理结果" in _text("receipt", case, tmp_path)
    sms = dataclasses.replace(OFFICE, sms_notify=True)
    assert "短信" in _text("receipt", case, tmp_path, office=sms)


def test_receipt_says_where_results_are_posted(tmp_path):
    case = planned_case("nm")
    case.delivery = Delivery("post", "海拉尔区样例街3号", "021000", "样例", "13800000000")
    text = _text("receipt", case, tmp_path)
    assert "邮寄至：海拉尔区样例街3号（021000）" in text and "收件人样例" in text
    assert "到本窗口领取办理结果" not in text


def test_nx_papers_carry_no_nm_rules_and_say_they_are_drafts(tmp_path):
    case = planned_case("nx", proxy=False)
    text = _text("application", case, tmp_path)
    for nm_rule in ("贷款担保", "结清生前医保费用", "最后办理", "最后办结"):
        assert nm_rule not in text, nm_rule
    assert "1个工作日内完成户口注销" in text
    assert "参照内蒙古样式草拟" in text
    assert "城乡居民养老保险" not in _text("promise", case, tmp_path)
    assert "草拟" not in _text("application", planned_case("nm"), tmp_path)


def test_nm_proxy_items_keep_attachment_5_wording(tmp_path):
    text = _text("proxy", planned_case("nm", proxy=True), tmp_path)
    assert "享受国家定期优抚和生活补助金发放" in text or "变更户主等事宜" in text


def test_reprint_renders_from_what_was_told_not_todays_catalog(tmp_path):
    from houshi_desk.domain.catalog import load_catalog
    from houshi_desk.domain.case import derive_facts
    from houshi_desk.domain.checklist import evaluate
    from houshi_desk.domain.facts import validate_facts

    case = planned_case("nm")
    cat = load_catalog("nm")
    told = evaluate(cat, validate_facts(derive_facts(case, TODAY), read=cat.facts_read()), TODAY).to_json()
    # what the family was told at acceptance, under an older catalog wording
    for need in told["materials"]:
        if need["code"] == "household_register":
            need["name"] = "户口簿（受理时的目录措辞）"
    case.checklist = told
    case.catalog_version = "2022.1"
    assert "户口簿（受理时的目录措辞）" in _text("notice", case, tmp_path)
    assert ChecklistResult.from_json(told).to_json() == told


def test_receipt_lists_everything_still_owed_not_only_deferred(tmp_path):
    """A material marked 缺 does not block acceptance; the family's receipt must still list it, as the
    一次告知单 does (issue 16 item 15)."""
    from houshi_desk.domain.case import MaterialState

    case = planned_case("nm")
    missing = next(m for m in case.materials if m.code == "household_register")
    missing.state = MaterialState.MISSING
    deferred = next(m for m in case.materials if m.code == "deceased_id_card")
    deferred.state = MaterialState.DEFERRED
    text = _text("receipt", case, tmp_path)
    assert "尚须补交的材料" in text and "户口本" in text and "逝者居民身份证（容缺）" in text
    for m in case.materials:
        m.state = MaterialState.PAPER
    assert "尚须补交的材料" not in _text("receipt", case, tmp_path)


def test_completion_notice_words_each_result_once(tmp_path):
    """Not "办结：已办结" (issue 16 item 16)."""
    from houshi_desk.domain.case import MatterStatus

    case = planned_case("nm")
    chosen = [m for m in case.matters if m.chosen]
    chosen[0].status, chosen[0].result = MatterStatus.DONE, "已办结"
    chosen[1].status, chosen[1].result = MatterStatus.DONE, "户口注销证明已出具"
    text = _text("completion", case, tmp_path)
    assert "办结：已办结" not in text and "已办结：已办结" not in text
    assert "已办结：户口注销证明已出具" in text

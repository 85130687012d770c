"""The window follows the region's seed (issue 12): an out-of-scope death stops at the interview with
the reason, refers the family to each department (printed to the real CUPS PDF printer) and stores
nothing; NX asks NX's questions only; the review records how results are delivered."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from tests.gui.flow_steps import reach_interview
from sqlalchemy import func, select

from houshi_desk.store.models import CaseRow


def _cases(ctx) -> int:
    with ctx.store.session() as s:
        return s.execute(select(func.count()).select_from(CaseRow)).scalar_one()


def test_a_declared_death_is_refused_with_the_reason_and_a_printed_referral(qtbot, sim_window, settings):
    ctx, window, reader = sim_window
    printer = os.environ.get("HOUSHI_TEST_PRINTER")
    out_dir = os.environ.get("HOUSHI_TEST_PRINT_OUT")
    if printer:
        from houshi_desk.documents.printjobs import PrinterChoices

        PrinterChoices.for_settings(settings).remember("notice", printer, "A4")
    elif os.environ.get("CI"):
        pytest.fail("CI must provide the CUPS PDF printer (HOUSHI_TEST_PRINTER)")
    dlg = window.new_case()
    reach_interview(qtbot, dlg, reader)
    dlg.death.kind.setCurrentIndex(dlg.death.kind.findData("declared"))
    dlg.interview.refresh()
    iv = dlg.interview
    assert iv.result.scope.in_scope is False
    assert "宣告死亡" in iv.applicant_line.text() and "不在联办范围" in iv.applicant_line.text()
    assert "公安部门" in iv.notices.text()
    dlg.go_next()
    assert dlg.current_key() == "interview"  # cannot go on to accept it
    assert "不在联办范围" in dlg.form.message.text()
    assert iv.referral_button.isVisibleTo(iv)
    started = time.time()
    iv.referral_button.click()
    qtbot.waitUntil(lambda: iv.referral_message.text() and not iv.referral_message.text().startswith("正在"),
                    timeout=30000)
    assert "未能打印" not in iv.referral_message.text(), iv.referral_message.text()
    if printer:
        assert printer in iv.referral_message.text(), iv.referral_message.text()
        if out_dir:
            qtbot.waitUntil(lambda: any(p.stat().st_mtime >= started - 1 for p in Path(out_dir).glob("*.pdf")),
                            timeout=30000)
    assert _cases(ctx) == 0  # nothing stored
    dlg.has_input = lambda: False


def test_review_records_post_delivery_and_refuses_a_bad_postcode(qtbot, sim_window):
    ctx, window, reader = sim_window
    dlg = window.new_case()
    reach_interview(qtbot, dlg, reader)
    rv = dlg.review
    rv.delivery_method.setCurrentIndex(rv.delivery_method.findData("post"))
    rv.post_fields["address"].setText("海拉尔区样例街3号")
    rv.post_fields["postcode"].setText("0210")
    rv.post_fields["recipient"].setText("王测试")
    rv.post_fields["phone"].setText("13800000000")
    assert "邮政编码" in rv.check()
    rv.post_fields["postcode"].setText("021000")
    assert rv.check() is None
    assert rv.delivery().method == "post" and rv.delivery().postcode == "021000"
    rv.delivery_method.setCurrentIndex(rv.delivery_method.findData("pickup"))
    assert not rv.post_fields["address"].isVisibleTo(rv) and rv.check() is None
    dlg.has_input = lambda: False

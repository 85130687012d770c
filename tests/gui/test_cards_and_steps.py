"""A card placed at any step fills the person that step is about, and asks before replacing what
was entered; manual entry is validated live with the clerk's words; closing with unsent items warns."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from tests.gui.flow_steps import reach_interview


def ime(widget, text: str) -> None:
    """Chinese text arrives from the input method as a commit string (QTest only types Latin-1)."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    widget.setFocus()
    ev = QInputMethodEvent()
    ev.setCommitString(text)
    QApplication.sendEvent(widget, ev)


def type_applicant(qtbot, dlg, number="360426199101010071"):
    p = dlg.applicant.person
    ime(p.name, "样例")
    qtbot.keyClicks(p.id_number, number)
    p.id_number.editingFinished.emit()
    p.relationship.setFocus()
    qtbot.keyClick(p.relationship, Qt.Key.Key_Down)


def test_manual_entry_is_validated_live_and_derives_birth_and_sex(qtbot, sim_window):
    ctx, window, _reader = sim_window
    dlg = window.new_case()
    p = dlg.applicant.person
    ime(p.name, "样例")
    qtbot.keyClicks(p.id_number, "360426199101010072")  # wrong check digit
    assert "校验位" in p.problems.text()
    dlg.go_next()
    assert dlg.current_key() == "applicant"
    assert "校验位" in dlg.form.message.text()
    p.id_number.clear()
    qtbot.keyClicks(p.id_number, "360426199101010071")
    p.id_number.editingFinished.emit()
    assert p.birth.text() == "1991-01-01"
    assert p.sex.currentText() == "男"
    assert "与逝者的关系" in p.problems.text()
    p.relationship.setFocus()
    qtbot.keyClick(p.relationship, Qt.Key.Key_Down)
    assert p.problems.text().startswith("✓")
    qtbot.keyClick(p.name, Qt.Key.Key_Return)
    assert dlg.current_key() == "deceased"
    dlg.has_input = lambda: False


def test_card_mid_step_fills_the_person_of_that_step_and_asks_before_replacing(qtbot, sim_window):
    ctx, window, reader = sim_window
    dlg = window.new_case()
    type_applicant(qtbot, dlg)
    qtbot.keyClick(dlg.applicant.person.name, Qt.Key.Key_Return)
    assert dlg.current_key() == "deceased"
    reader.insert("deceased")
    qtbot.waitUntil(lambda: dlg.deceased.person.name.text() == "测试", timeout=5000)
    assert dlg.applicant.person.name.text() == "样例"  # the applicant was not touched
    assert dlg.deceased.person.source.value == "card"
    qtbot.keyClick(dlg.deceased.person.name, Qt.Key.Key_Return)
    assert dlg.current_key() == "death"  # the death step is about the deceased too

    asked = []
    dlg.deceased.person.confirm_replace = lambda doc: asked.append(doc.name) or False
    reader.insert("foreign_2023")
    qtbot.waitUntil(lambda: asked == ["样本约翰"], timeout=5000)
    qtbot.waitUntil(lambda: "保留" in dlg.form.message.text(), timeout=5000)
    assert dlg.deceased.person.name.text() == "测试"  # refused: kept

    dlg.deceased.person.confirm_replace = lambda doc: asked.append(doc.name) or True
    reader.insert("foreign_2023")
    qtbot.waitUntil(lambda: dlg.deceased.person.name.text() == "样本约翰", timeout=5000)
    assert dlg.deceased.person.card_type.currentData() == "foreign_2023"
    assert dlg.applicant.person.name.text() == "样例"

    # the same card again does not ask (nothing would change)
    asked.clear()
    reader.remove()
    reader.insert("foreign_2023")
    qtbot.wait(600)
    assert asked == []
    dlg.has_input = lambda: False


def test_card_on_a_step_without_a_person_changes_nobody(qtbot, sim_window):
    ctx, window, reader = sim_window
    dlg = window.new_case()
    reach_interview(qtbot, dlg, reader, relationship=1)
    assert dlg.current_key() == "interview"
    reader.insert("hmt_permit")
    qtbot.waitUntil(lambda: "陈样本" in dlg.form.message.text(), timeout=5000)
    assert dlg.applicant.person.name.text() == "王测试"
    assert dlg.deceased.person.name.text() == "测试"
    dlg.has_input = lambda: False


def test_interview_asks_only_what_matters_and_gives_reasons(qtbot, sim_window):
    ctx, window, reader = sim_window
    dlg = window.new_case()
    reach_interview(qtbot, dlg, reader)
    iv = dlg.interview
    loan = iv._rows["housing_fund_loan_outstanding"][1]
    assert loan.isHidden()  # asked only when there is a housing fund account
    fund = iv._rows["housing_fund_account"][1]
    fund.setCurrentIndex(fund.findData(True))
    assert not loan.isHidden()
    assert "death_kind" not in iv._rows  # answered by the death step: never asked twice
    dlg.go_next()
    assert dlg.current_key() == "interview"
    assert "请回答" in dlg.form.message.text()
    for name in ("housing_fund_loan_outstanding", "housing_fund_guarantee", "housing_fund_frozen", "housing_fund_sealed"):
        box = iv._rows[name][1]
        box.setCurrentIndex(box.findData(name == "housing_fund_sealed"))
    iv.refresh()
    fund_matter = iv.result.matter("housing_fund_withdraw")
    assert fund_matter.applicable and fund_matter.reason.startswith("适用")
    texts = [iv.table.item(r, 3).text() for r in range(iv.table.rowCount())]
    assert all(t for t in texts)  # every matter shows its reason in words
    assert any(t.startswith("不适用") for t in texts)
    # NM does not ask the NX-only sealed-account question (NX:105-107)
    assert iv._rows["housing_fund_sealed"][1].isHidden()
    # an optional (勾选) matter starts unticked: the family chooses it; a mandatory one is always in
    assert "housing_fund_withdraw" not in iv.chosen_codes()
    row = next(r for r in range(iv.table.rowCount()) if iv.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == "housing_fund_withdraw")
    iv.table.setCurrentCell(row, 0)
    iv.table.setFocus()
    qtbot.keyClick(iv.table, Qt.Key.Key_Space)
    assert "housing_fund_withdraw" in iv.chosen_codes()
    row = next(r for r in range(iv.table.rowCount()) if iv.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == "housing_fund_withdraw")
    iv.table.setCurrentCell(row, 0)
    qtbot.keyClick(iv.table, Qt.Key.Key_Space)
    assert "housing_fund_withdraw" not in iv.chosen_codes()
    assert "hukou_cancel" in iv.chosen_codes()
    dlg.has_input = lambda: False


def test_closing_with_pending_items_warns_and_keeps_them(qtbot, app_window, settings, gui_store):
    from houshi_desk.services.cases import case_from_dict, create_case, sample_case_dict

    ctx, window = app_window
    create_case(gui_store, case_from_dict(sample_case_dict()), settings=settings, today=date.today(),
                clerk="clerk1", submit=True)
    ctx.sync.refresh()
    qtbot.waitUntil(lambda: ctx.sync.summary is not None and ctx.sync.summary.pending_items > 0, timeout=5000)
    asked = []
    window.close_confirm = lambda pending: asked.append(pending) or False
    assert not window.close()
    assert asked and asked[0] > 0
    assert window.isVisible()
    window.close_confirm = lambda pending: asked.append(pending) or True
    assert window.close()
    from houshi_desk.sync import outbox

    with gui_store.session() as s:
        assert outbox.summary(s).pending_items == asked[0]  # kept for headless sync


def test_closing_warning_names_the_count_and_headless_sync(qtbot, app_window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    ctx, window = app_window
    seen = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: seen.append(text)
                        or QMessageBox.StandardButton.No)
    assert window._confirm_close(3) is False
    assert "3 项" in seen[0] and "houshi-desk sync" in seen[0]


def test_proxy_step_appears_and_its_power_of_attorney_is_printed(qtbot, sim_window):
    ctx, window, reader = sim_window
    dlg = window.new_case()
    reader.insert("applicant")
    qtbot.waitUntil(lambda: dlg.applicant.person.name.text() == "王测试", timeout=5000)
    dlg.applicant.person.relationship.setCurrentIndex(2)
    dlg.applicant.proxy_box.setChecked(True)
    assert [k for k, _t, _w in dlg.steps()][:2] == ["applicant", "proxy"]
    dlg.go_next()
    assert dlg.current_key() == "proxy"
    reader.insert("hmt_permit")  # the proxy's card fills the proxy, not the applicant
    qtbot.waitUntil(lambda: dlg.proxy.person.name.text() == "陈样本", timeout=5000)
    assert dlg.applicant.person.name.text() == "王测试"
    dlg.proxy.person.relationship.setCurrentIndex(8)  # 其他
    dlg.go_next()
    assert dlg.current_key() == "deceased", dlg.form.message.text()
    reader.insert("deceased")
    qtbot.waitUntil(lambda: dlg.deceased.person.name.text() == "测试", timeout=5000)
    dlg.go_next()
    dlg.death.died_at.setText("2026-01-20 08:30")
    dlg.death.proof_number.setText("Z1")
    dlg.go_next()
    box = dlg.interview._rows["sole_relative_incapacitated"][1]
    assert not box.isHidden()  # asked only because a proxy acts
    dlg.go_next()
    assert dlg.current_key() == "interview"  # unanswered: the proxy rule decides eligibility
    box.setCurrentIndex(box.findData(True))
    dlg.go_next()
    assert dlg.current_key() == "materials", dlg.form.message.text()
    dlg.go_next()
    assert dlg.review.doc_boxes["proxy"].isVisible()
    with qtbot.waitSignal(dlg.case_created, timeout=60000):
        dlg.go_next()
    assert "proxy" in [d.kind for d in dlg.printed]

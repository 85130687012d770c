"""Case view (close only when every result is in and the ID card is surrendered; reprint), outbox
view (cancel only before first contact, pause and resume) and the supervisor's view (report, users,
audit verification)."""
from __future__ import annotations

from datetime import date, datetime

from PySide6.QtWidgets import QDialogButtonBox, QMessageBox


def submitted(store, settings) -> str:
    from houshi_desk.services.cases import case_from_dict, create_case, sample_case_dict

    return create_case(store, case_from_dict(sample_case_dict()), settings=settings, today=date.today(),
                       clerk="clerk1", submit=True)


def finish_all_matters(store, number):
    from houshi_desk.services.cases import get_case_row
    from houshi_desk.store.models import MatterStatusRow

    now = datetime.now()
    with store.session() as s:
        row = get_case_row(s, number)
        others = [m for m in row.matters if m.chosen and m.code != "hukou_cancel"]
        last = [m for m in row.matters if m.chosen and m.code == "hukou_cancel"]
        for i, m in enumerate(others + last):  # household cancellation last
            m.status, m.result = "done", "已办结"
            m.history.append(MatterStatusRow(status="done", at=now.replace(microsecond=i), source="police"))


def test_case_closes_only_with_results_and_surrendered_card(qtbot, app_window, settings, gui_store):
    from houshi_desk.gui.case_view import CaseDialog, CloseCaseDialog

    ctx, window = app_window
    number = submitted(gui_store, settings)
    view = CaseDialog(ctx, number, window)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.snapshot is not None, timeout=10000)
    assert any("没有办理结果" in p for p in view.snapshot.close_problems)
    close = CloseCaseDialog(ctx, number, view.snapshot.close_problems, view)
    assert not close.form.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()

    finish_all_matters(gui_store, number)
    view.reload()
    qtbot.waitUntil(lambda: not any("没有办理结果" in p for p in view.snapshot.close_problems), timeout=10000)
    close = CloseCaseDialog(ctx, number, view.snapshot.close_problems, view)
    ok = close.form.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # the ID card is not surrendered yet
    close.form.surrendered.setChecked(True)
    assert ok.isEnabled()
    with qtbot.waitSignal(close.accepted, timeout=10000):
        ok.click()
    from houshi_desk.services.cases import get_case_row

    with gui_store.session() as s:
        row = get_case_row(s, number)
        assert row.status == "closed" and row.id_card_surrendered and row.closed_at is not None


def test_reprint_is_logged_as_reprint(qtbot, app_window, settings, gui_store):
    from houshi_desk.gui.case_view import CaseDialog

    ctx, window = app_window
    number = submitted(gui_store, settings)
    view = CaseDialog(ctx, number, window)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.snapshot is not None, timeout=10000)
    view.print_kinds(["receipt"], reprint=False)
    qtbot.waitUntil(lambda: view.prints.rowCount() == 1, timeout=30000)
    view.prints.setCurrentCell(0, 0)
    view.reprint_selected()
    qtbot.waitUntil(lambda: view.prints.rowCount() == 2, timeout=30000)
    assert "已存 PDF" in view.prints.item(1, 4).text()


def test_outbox_cancel_before_first_contact_and_pause(qtbot, app_window, settings, gui_store, monkeypatch):
    from houshi_desk.gui.outbox_view import OutboxDialog

    ctx, window = app_window
    number = submitted(gui_store, settings)
    box = OutboxDialog(ctx, window)
    qtbot.addWidget(box)
    qtbot.waitUntil(lambda: box.table.rowCount() > 0, timeout=10000)
    box.table.selectRow(0)
    assert box.cancel_button.isEnabled()  # never sent: may be cancelled
    assert not box.retry_button.isEnabled()
    box.toggle_pause()
    qtbot.waitUntil(lambda: "暂停" in box.message.text(), timeout=10000)
    qtbot.waitUntil(lambda: box.paused and "继续" in box.pause_button.text(), timeout=10000)
    box.toggle_pause()
    qtbot.waitUntil(lambda: "继续发送" in box.message.text(), timeout=10000)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    box.cancel_case()
    qtbot.waitUntil(lambda: "已取消" in box.message.text(), timeout=10000)
    from houshi_desk.sync import outbox

    with gui_store.session() as s:
        assert outbox.summary(s).pending_items == 0
    # after first contact the button refuses
    box.items = [{**box.items[0], "contacted": True, "state": "queued"}] if box.items else []
    box.show_all.setChecked(True)
    qtbot.waitUntil(lambda: box.table.rowCount() > 0, timeout=10000)
    box.items[0]["contacted"] = True
    box._buttons()
    assert not box.cancel_button.isEnabled()


def test_supervisor_sees_report_users_and_verified_audit(qtbot, settings, gui_store):
    from houshi_desk.gui.app import start
    from houshi_desk.gui.bridges import CardBridge
    from houshi_desk.gui.supervisor_view import SupervisorDialog
    from tests.gui.conftest import make_ctx

    submitted(gui_store, settings)
    ctx = make_ctx(settings, gui_store, card=CardBridge(None), user="boss1")
    window = start(ctx, login=False)
    qtbot.addWidget(window)
    window.close_confirm = lambda pending: True
    assert window.act_super.isVisible() or not window.isVisible()
    sup = SupervisorDialog(ctx, window)
    qtbot.addWidget(sup)
    qtbot.waitUntil(lambda: sup.figures is not None, timeout=10000)
    assert sup.figures.total_cases == 1 and "受理案件" in sup.report.toPlainText()
    qtbot.waitUntil(lambda: sup.users.rowCount() == 2, timeout=10000)
    sup.verify()
    qtbot.waitUntil(lambda: sup.audit_result.text() != "", timeout=10000)
    assert sup.audit_result.property("level") == "ok", sup.audit_result.text()
    sup.print_report()
    qtbot.waitUntil(lambda: "日终报表已" in sup.message.text(), timeout=30000)
    ctx.sync.stop()


def test_clerk_cannot_open_the_supervisor_report(qtbot, app_window):
    from houshi_desk.gui.supervisor_view import SupervisorDialog

    ctx, window = app_window
    assert not window.act_super.isVisible()
    sup = SupervisorDialog(ctx, window)
    qtbot.addWidget(sup)
    assert "权限不足" in sup.report.toPlainText()

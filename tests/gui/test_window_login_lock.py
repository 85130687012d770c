"""Issue 16 item 11: no case list behind the login sheet; a user switch clears the previous
clerk's messages; after ``users.lock_minutes`` without input the screen locks, hides every
window's contents and asks the clerk's password again (0 = never)."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import PASSWORD, make_ctx


@pytest.fixture
def login_window(qtbot, settings, gui_store):
    from houshi_desk.gui.app import start
    from houshi_desk.gui.bridges import CardBridge

    ctx = make_ctx(settings, gui_store, user=None, card=CardBridge(None))
    window = start(ctx, login=True)
    qtbot.addWidget(window)
    window.close_confirm = lambda pending: True
    yield ctx, window
    ctx.sync.stop()
    from houshi_desk.gui.ops import wait_idle

    wait_idle(10000)


def log_in(qtbot, dlg, name):
    dlg.form.username.setText(name)
    dlg.form.password.setText(PASSWORD)
    with qtbot.waitSignal(dlg.accepted, timeout=15000):
        dlg.try_login()


def test_no_case_list_before_login_and_switch_clears_messages(qtbot, login_window, settings, gui_store):
    from datetime import date

    from houshi_desk.gui.login import LoginDialog
    from houshi_desk.services.cases import case_from_dict, create_case, sample_case_dict

    ctx, window = login_window
    number = create_case(gui_store, case_from_dict(sample_case_dict()), settings=settings, today=date.today(),
                         clerk="clerk1", submit=False)
    qtbot.waitUntil(window.isVisible)
    qtbot.wait(200)  # the store is open: a list would have been loaded by now
    assert not window.table.isVisible(), "the case list shows behind the login sheet"
    assert window.rows == [] and window.table.rowCount() == 0
    assert window.signed_out.isVisible()
    assert not window.new_button.isEnabled()

    log_in(qtbot, window.login_dialog, "clerk1")
    qtbot.waitUntil(lambda: window.table.isVisible() and window.table.rowCount() >= 1, timeout=10000)
    assert window._number_at(0) == number

    window.message.setText("案件已提交。")
    window.statusBar().showMessage("窗口一的消息")
    dlg = window.switch_user()
    assert isinstance(dlg, LoginDialog)
    log_in(qtbot, dlg, "boss1")
    qtbot.waitUntil(lambda: ctx.user.username == "boss1", timeout=5000)
    assert window.message.text() == ""
    assert window.statusBar().currentMessage() == ""
    assert "主管一" in window.user_label.text()


def test_screen_locks_after_inactivity_and_unlocks_with_the_password(qtbot, app_window):
    ctx, window = app_window
    lock = window.idle_lock
    assert lock.enabled and lock.timer.interval() == 10 * 60_000  # users.lock_minutes, default 10
    window.show()
    dlg = window.new_case()
    qtbot.addWidget(dlg)
    dlg.applicant.person.name.setText("王测试")
    dlg.has_input = lambda: False

    lock.timer.setInterval(300)  # the same timer, shortened for the test
    lock.timer.start()
    qtbot.waitUntil(lambda: lock.locked, timeout=5000)
    covered = {c.parentWidget() for c in lock.covers}
    assert window in covered and dlg in covered
    for c in lock.covers:
        assert c.isVisible() and c.geometry() == c.parentWidget().rect()
    ask = lock.dialog
    assert ask.isVisible() and ask.isModal()
    assert "窗口一" in ask.note.text()
    ask.reject()  # Esc does not unlock
    assert lock.locked

    ask.password.setText("wrong-pass")
    ask.try_unlock()
    qtbot.waitUntil(lambda: ask.message.text() not in ("", "正在验证…"), timeout=15000)
    assert lock.locked and "密码" in ask.message.text()

    ask.password.setText(PASSWORD)
    ask.try_unlock()
    qtbot.waitUntil(lambda: not lock.locked, timeout=15000)
    QApplication.processEvents()
    assert dlg.applicant.person.name.text() == "王测试", "the input under the lock is kept"
    assert lock.timer.isActive()


def test_lock_minutes_zero_never_locks(qtbot, settings, gui_store):
    from houshi_desk.gui.app import start
    from houshi_desk.gui.bridges import CardBridge

    settings.set("users.lock_minutes", 0)
    ctx = make_ctx(settings, gui_store, card=CardBridge(None))
    window = start(ctx, login=False)
    qtbot.addWidget(window)
    window.close_confirm = lambda pending: True
    assert not window.idle_lock.enabled and not window.idle_lock.timer.isActive()
    ctx.sync.stop()

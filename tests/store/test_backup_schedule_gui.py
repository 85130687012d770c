"""The window's trigger of the daily backup (issue 17): the main window carries the timer; a check
runs the backup off the GUI thread, shows the outcome in the status bar, and an unplugged stick is
said there and retried at the next check. The time is injected (no waiting for 12:30)."""
from __future__ import annotations

import threading
from datetime import datetime

import pytest

from houshi_desk.store.db import open_store


@pytest.fixture
def window(qtbot, settings, new_case, tmp_path):
    from houshi_desk.gui.backup_timer import backup_pool
    from houshi_desk.gui.context import AppContext
    from houshi_desk.gui.main_window import MainWindow

    usb = tmp_path / "usb"
    usb.mkdir()
    settings.set("backup.folder", str(usb))
    store = open_store(settings)
    new_case(store, settings)
    ctx = AppContext(settings)
    ctx.open_store(store)
    qtbot.waitUntil(lambda: ctx.store is not None, timeout=10000)
    w = MainWindow(ctx)
    w.close_confirm = lambda pending: True
    qtbot.addWidget(w)
    yield w, usb
    backup_pool().waitForDone(30000)
    from houshi_desk.gui.ops import wait_idle

    wait_idle(10000)
    store.close()


def test_the_window_makes_the_daily_backup_off_the_gui_thread(qtbot, window, monkeypatch):
    from houshi_desk.services import backups

    w, usb = window
    timer = w.backup_timer
    assert timer.timer.isActive() and timer.label.objectName() == "backup_state"
    threads = []
    real = backups.run_scheduled_backup

    def spy(*a, **kw):
        threads.append(threading.current_thread() is threading.main_thread())
        return real(*a, **kw)

    monkeypatch.setattr(backups, "run_scheduled_backup", spy)
    assert timer.check(datetime(2026, 1, 21, 12, 30))
    assert not timer.check(datetime(2026, 1, 21, 12, 30)), "one at a time"
    qtbot.waitUntil(lambda: not timer.running, timeout=30000)
    assert threads == [False], "the backup ran on a worker thread"
    assert timer.last_outcome.status == "done", timer.last_outcome.message
    assert len(list(usb.glob("*.hdbak"))) == 1
    assert timer.label.text() == "备份：正常" and "最近一次备份" in timer.label.toolTip()

    usb.rename(usb.with_name("drawer"))  # the stick is pulled out
    timer.check(datetime(2026, 1, 22, 12, 30))
    qtbot.waitUntil(lambda: not timer.running, timeout=30000)
    assert timer.last_outcome.status == "failed"
    assert timer.label.text() == "备份：失败" and "未连接" in timer.label.toolTip()
    assert "自动备份失败" in w.statusBar().currentMessage()

    usb.with_name("drawer").rename(usb)  # plugged back in: the next check makes it
    timer.check(datetime(2026, 1, 22, 12, 35))
    qtbot.waitUntil(lambda: not timer.running, timeout=30000)
    assert timer.last_outcome.status == "done"
    assert len(list(usb.glob("*.hdbak"))) == 2

"""Demo mode: a separate home with sample accounts, the reference platform in a child process, a card
reader with sample cards (模拟读卡器 when pcscd + vpcd is not there) placed from the panel, and a
submitted case coming back with department results."""
from __future__ import annotations

import pytest


@pytest.fixture
def demo_app(qtbot, home, monkeypatch):
    from houshi_desk.commands.demo import use_demo_keyring
    from houshi_desk.config import load_settings
    from houshi_desk.gui import demo as demo_module
    from houshi_desk.gui.app import start
    from houshi_desk.gui.context import AppContext
    from houshi_desk.gui.demo import DemoEnvironment

    monkeypatch.setattr(demo_module, "vpcd_reader_name", lambda: None)  # the simulated reader path
    note = use_demo_keyring(home)
    demo = DemoEnvironment(home, keyring_note=note, step_seconds=0.3)
    ctx = AppContext(load_settings(), demo=demo)
    ctx.store_hooks.append(demo.prepare_store)
    window = start(ctx)
    qtbot.addWidget(window)
    window.close_confirm = lambda pending: True
    yield ctx, window, demo
    ctx.close()


def test_demo_starts_logs_in_reads_sample_cards_and_gets_department_results(qtbot, demo_app):
    ctx, window, demo = demo_app
    assert "演示模式" in window.windowTitle()
    qtbot.waitUntil(lambda: ctx.store is not None and ctx.sync.uploader is not None, timeout=20000)
    assert demo.accounts_created and demo.platform_url.startswith("http://127.0.0.1:")
    assert demo.reader_label == "模拟读卡器" and "模拟读卡器" in window.card_label.text()
    login = window.login_dialog
    assert login.form.username.text() == "demo" and "demo1234" in login.form.message.text()
    login.try_login()
    qtbot.waitUntil(lambda: ctx.user is not None, timeout=10000)

    dlg = window.new_case()
    window.sample_panel.buttons["applicant"].click()
    qtbot.waitUntil(lambda: dlg.applicant.person.name.text() == "王测试", timeout=10000)
    dlg.applicant.person.relationship.setCurrentIndex(2)
    dlg.go_next()
    window.sample_panel.buttons["deceased"].click()
    qtbot.waitUntil(lambda: dlg.deceased.person.name.text() == "测试", timeout=10000)
    dlg.go_next()
    dlg.death.died_at.setText("2026-01-20 08:30")
    dlg.death.proof_number.setText("Z150702202600001")
    for _ in range(3):
        dlg.go_next()
    with qtbot.waitSignal(dlg.case_created, timeout=60000) as created:
        dlg.go_next()
    number = created.args[0]
    qtbot.waitUntil(lambda: ctx.sync.summary is not None and ctx.sync.summary.pending_items == 0
                    and ctx.sync.summary.last_answer != "", timeout=60000)

    def results_back():
        from houshi_desk.services.cases import get_case_row

        with ctx.store.session() as s:
            return any(m.status == "done" for m in get_case_row(s, number).matters if m.chosen)

    qtbot.waitUntil(results_back, timeout=60000)


def test_demo_hall_has_a_queue_the_window_calls(qtbot, demo_app):
    """The demo starts the reference queue server (its own process) with families waiting; F2's action
    calls the next ticket and the new case carries it; 群众取号 adds a family; the server stops with the demo."""
    ctx, window, demo = demo_app
    qtbot.waitUntil(lambda: window.sample_panel.buttons["take_ticket"].isEnabled(), timeout=30000)
    assert demo.queue_url.startswith("http://127.0.0.1:") and ctx.settings.queue_kind == "reference"
    panel = window.queue_panel
    assert not panel.isHidden() and panel.queue is not None
    qtbot.waitUntil(lambda: ctx.store is not None, timeout=20000)
    window.login_dialog.try_login()
    qtbot.waitUntil(lambda: ctx.user is not None, timeout=10000)
    with qtbot.waitSignal(panel.ticket_called, timeout=10000) as called:
        panel.act_next.trigger()
    assert called.args[0].number == "A001"
    assert "A001" in panel.ticket_label.text()
    window.sample_panel.take_ticket()
    qtbot.waitUntil(lambda: "A004" in window.sample_panel.ticket_note.text(), timeout=10000)
    from houshi_desk.queue import queue_for_settings

    assert queue_for_settings(ctx.settings).state().waiting == 3  # A002, A003 and the new A004
    stop = demo._queue_stop
    assert stop is not None
    demo.stop()
    import httpx

    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{demo.queue_url}/api/queue/v1/health", timeout=2)

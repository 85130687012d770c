"""叫号 at the window (issue 17), against the reference queue server in its own process: calling the
next ticket (F2 / 叫下一号) opens a new case with the ticket attached; the saved case carries the
ticket and when the family was called, served and finished, and the ticket is finished at the queue.
With the queue server down the window still opens a case, without a ticket, and says so in one line."""
from __future__ import annotations

import socket

import httpx
import pytest

from tests.gui.flow_steps import reach_materials


@pytest.fixture
def queue_server(tmp_path):
    from houshi_desk.queue_ref.process import spawn

    proc = spawn(tmp_path / "queue")
    yield proc
    proc.stop()


def _kiosk(url: str) -> str:
    return httpx.post(f"{url}/api/queue/v1/tickets", json={"service": "身后一件事"}, timeout=5).json()["ticket"]["ticket"]


def _tickets(url: str) -> dict:
    return {t["ticket"]: t for t in httpx.get(f"{url}/api/queue/v1/tickets", timeout=5).json()["tickets"]}


@pytest.fixture
def queued(settings, queue_server):
    settings.set("queue.kind", "reference")
    settings.set("queue.url", queue_server.url)
    settings.set("queue.window", "W01")
    settings.set("evaluation.channel", "none")  # the evaluation has tests of its own
    return queue_server


def _finish_case(qtbot, dlg, reader) -> str:
    reach_materials(qtbot, dlg, reader)
    dlg.go_next()
    with qtbot.waitSignal(dlg.case_created, timeout=60000) as created:
        dlg.go_next()
    return created.args[0]


def _case_row(store, number):
    from houshi_desk.services.cases import get_case_row

    with store.session() as s:
        row = get_case_row(s, number)
        return row.ticket, row.called_at, row.served_at, row.finished_at


def test_call_next_starts_a_case_that_carries_the_ticket_and_its_times(qtbot, queued, sim_window):
    from houshi_desk.gui.new_case import NewCaseDialog

    ctx, window, reader = sim_window
    panel = window.queue_panel
    assert panel.isVisibleTo(window)
    first, second = _kiosk(queued.url), _kiosk(queued.url)
    window.activateWindow()
    panel.act_next.trigger()  # F2
    qtbot.waitUntil(lambda: any(isinstance(d, NewCaseDialog) for d in window.open_dialogs), timeout=10000)
    dlg = next(d for d in window.open_dialogs if isinstance(d, NewCaseDialog))
    assert dlg.queue_ticket.number == first and panel.ticket_label.text().endswith(first)
    assert first in dlg.windowTitle()
    panel.recall()
    qtbot.waitUntil(lambda: "已重呼" in panel.status.text(), timeout=10000)
    number = _finish_case(qtbot, dlg, reader)

    qtbot.waitUntil(lambda: _case_row(ctx.store, number)[3] is not None, timeout=15000)
    ticket, called, served, finished = _case_row(ctx.store, number)
    assert ticket == first
    assert called is not None and served is not None and called <= served <= finished
    qtbot.waitUntil(lambda: _tickets(queued.url)[first]["state"] == "finished", timeout=10000)
    assert _tickets(queued.url)[first]["recalls"] == 1
    assert panel.current is None and panel.ticket_label.text().endswith("—")
    from houshi_desk.domain.case import Case  # the domain case shows them too
    from houshi_desk.services.cases import case_from_row, get_case_row

    with ctx.store.session() as s:
        case: Case = case_from_row(get_case_row(s, number))
    assert (case.ticket, case.called_at, case.served_at, case.finished_at) == (ticket, called, served, finished)

    # the next family: skipped (no-show), then pause / resume
    panel.call_next()
    qtbot.waitUntil(lambda: len([d for d in window.open_dialogs if isinstance(d, NewCaseDialog)]) == 1 and
                    panel.current is not None and panel.current.number == second, timeout=10000)
    dlg2 = next(d for d in window.open_dialogs if isinstance(d, NewCaseDialog))
    dlg2.reject()
    panel.skip()
    qtbot.waitUntil(lambda: _tickets(queued.url)[second]["state"] == "skipped", timeout=10000)
    panel.toggle_pause()
    qtbot.waitUntil(lambda: panel.paused and not panel.next_button.isEnabled(), timeout=10000)
    panel.toggle_pause()
    qtbot.waitUntil(lambda: not panel.paused, timeout=10000)
    panel.call_next()
    qtbot.waitUntil(lambda: "没有等候" in panel.status.text(), timeout=10000)


def test_with_the_queue_server_down_the_window_still_opens_a_case(qtbot, settings, tmp_path, gui_store):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing answers there
    settings.set("queue.kind", "http")
    settings.set("queue.url", f"http://127.0.0.1:{port}")
    settings.set("evaluation.channel", "none")
    from houshi_desk.gui.app import start
    from houshi_desk.gui.bridges import CardBridge
    from houshi_desk.gui.new_case import NewCaseDialog
    from houshi_desk.idcard import CardWatcher, SimulatedReader
    from tests.gui.conftest import make_ctx

    reader = SimulatedReader()
    ctx = make_ctx(settings, gui_store, card=CardBridge(CardWatcher(reader, wait_timeout=0.2)))
    window = start(ctx, login=False)
    qtbot.addWidget(window)
    window.close_confirm = lambda pending: True
    try:
        panel = window.queue_panel
        panel.call_next()
        qtbot.waitUntil(lambda: any(isinstance(d, NewCaseDialog) for d in window.open_dialogs), timeout=15000)
        assert panel.status.text() == "叫号系统未连接，本窗口暂不带号办理；恢复后点“叫下一号”即可继续叫号。"
        dlg = next(d for d in window.open_dialogs if isinstance(d, NewCaseDialog))
        assert dlg.queue_ticket is None
        number = _finish_case(qtbot, dlg, reader)
        ticket, called, served, finished = _case_row(ctx.store, number)
        assert ticket is None and called is None and served is not None and finished is None
        # the ordinary 新建案件 works as ever
        assert window.new_case() is not None
    finally:
        ctx.card.stop()
        ctx.sync.stop()
        from houshi_desk.gui.ops import wait_idle

        wait_idle(10000)

"""Issue 16 item 3: a matter's history says 已排队 while the submission waits in the outbox, and
已推送 with the time the platform acknowledged it afterwards (a label: the status stays submitted)."""
from __future__ import annotations

from datetime import date, datetime, timezone


def test_history_says_queued_then_pushed_with_the_platform_time(qtbot, app_window, settings, gui_store):
    from sqlalchemy import update

    from houshi_desk.gui.case_view import CaseDialog
    from houshi_desk.services.cases import case_from_dict, create_case, get_case_row, sample_case_dict
    from houshi_desk.store.models_sync import SyncOutboxRow

    ctx, window = app_window
    number = create_case(gui_store, case_from_dict(sample_case_dict()), settings=settings, today=date.today(),
                         clerk="clerk1", submit=True)
    view = CaseDialog(ctx, number, window)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.snapshot is not None, timeout=10000)
    assert view.matters.rowCount() > 0

    def texts():
        view.matters.setCurrentCell(0, 0)
        view._show_history(0)
        hist = [view.history.item(r, 1).text() for r in range(view.history.rowCount())]
        return view.matters.item(0, 2).text(), hist

    status, hist = texts()
    assert any("已排队" in h for h in hist), hist
    assert not any(h.startswith("已推送") for h in hist) and not status.startswith("已推送"), (status, hist)

    acked = datetime(2026, 1, 23, 1, 30)  # naive UTC, as the outbox keeps it
    with gui_store.session() as s:
        s.execute(update(SyncOutboxRow).where(SyncOutboxRow.case_number == number)
                  .values(state="acked", acked_at=acked))
    view.snapshot = None
    view.reload()
    qtbot.waitUntil(lambda: view.snapshot is not None, timeout=10000)
    status, hist = texts()
    local = acked.replace(tzinfo=timezone.utc).astimezone()
    assert any(h.startswith("已推送") and f"{local:%H:%M}" in h for h in hist), hist
    assert not any("已排队" in h for h in hist)
    with gui_store.session() as s:
        assert all(m.status == "submitted" for m in get_case_row(s, number).matters if m.chosen)
    view.close()

"""叫号 (issue 17): the case window shows the family's ticket and when it was called, served and
finished; a case taken without a queue shows no 叫号 line."""
from __future__ import annotations

from datetime import date, datetime


def test_case_window_shows_ticket_and_times(qtbot, app_window, settings, gui_store):
    from houshi_desk.queue.calls import record_finished
    from houshi_desk.services.cases import case_from_dict, create_case, sample_case_dict

    ctx, window = app_window
    today = date.today()
    called = datetime.combine(today, datetime.min.time()).replace(hour=9, minute=1)
    served = called.replace(minute=7)
    number = create_case(gui_store, case_from_dict(sample_case_dict(deceased_seq=5)), settings=settings,
                         today=today, clerk="clerk1", submit=True, now=served, ticket="A023", called_at=called)
    record_finished(gui_store, number, served.replace(minute=31))
    plain = create_case(gui_store, case_from_dict(sample_case_dict(deceased_seq=6)), settings=settings,
                        today=today, clerk="clerk1", submit=True)
    view = window.open_case(number)
    qtbot.waitUntil(lambda: view.snapshot is not None, timeout=10000)
    text = view.overview.toPlainText()
    assert "叫号：A023 号" in text and "叫号 09:01" in text and "受理 09:07" in text and "结束 09:31" in text
    view.close()
    other = window.open_case(plain)
    qtbot.waitUntil(lambda: other.snapshot is not None, timeout=10000)
    assert "叫号：" not in other.overview.toPlainText()
    other.close()

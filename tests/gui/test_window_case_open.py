"""Issue 16 item 4: a double-click on a case row opens one case window and writes one 查看案件
audit entry; opening the same case again brings that window forward instead of a second one."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt


def _views(store, number):
    from houshi_desk import audit

    with store.session() as s:
        return [e for e in audit.entries(s, case_number=number) if e.action == "view"]


def test_double_click_opens_one_window_and_one_audit_entry(qtbot, app_window, settings, gui_store):
    from houshi_desk.gui.case_view import CaseDialog
    from houshi_desk.services.cases import case_from_dict, create_case, sample_case_dict

    ctx, window = app_window
    number = create_case(gui_store, case_from_dict(sample_case_dict()), settings=settings, today=date.today(),
                         clerk="clerk1", submit=True)
    window.show_today()
    qtbot.waitUntil(lambda: window.table.rowCount() >= 1 and window._number_at(0) == number, timeout=10000)
    window.show()
    rect = window.table.visualRect(window.table.model().index(0, 0))
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    views = [d for d in window.open_dialogs if isinstance(d, CaseDialog)]
    assert len(views) == 1, f"{len(views)} case windows opened by one double-click"
    view = views[0]
    qtbot.waitUntil(lambda: view.snapshot is not None, timeout=10000)
    assert len(_views(gui_store, number)) == 1

    # the same case again (Enter on the row, a barcode, the search box): the open window comes forward
    again = window.open_case(number)
    assert again is view
    assert len([d for d in window.open_dialogs if isinstance(d, CaseDialog)]) == 1
    # a refresh of the open window (after a print, a result) is no new look at the case
    view.snapshot = None
    view.reload()
    qtbot.waitUntil(lambda: view.snapshot is not None, timeout=10000)
    assert len(_views(gui_store, number)) == 1
    view.close()

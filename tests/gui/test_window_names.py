"""Issue 16 item 9: the 火化证编号(&H) mnemonic works; imported PDF pages get a thumbnail; the outbox
shows no retry time already past while nothing sends and its 显示已送达 box always matches the
table; internal codes (death_cert_medical, application, draft, login names) show as names in the
outbox, the audit view and the case list."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

CODE = re.compile(r"\b[a-z]+_[a-z_]+\b")


def submitted_with_pdf(store, settings) -> str:
    from houshi_desk.scanning.attach import attach_pages, prepare
    from houshi_desk.scanning.fileimport import read_bytes
    from houshi_desk.scanning.filestore import FileStore
    from houshi_desk.services.cases import case_from_dict, create_case, sample_case_dict
    from tests.scanning.pages import multipage_pdf

    number = create_case(store, case_from_dict(sample_case_dict()), settings=settings, today=date.today(),
                         clerk="clerk1", submit=False)
    pages = prepare(read_bytes(multipage_pdf(2), name="证明.pdf"))
    with store.session() as s:
        attach_pages(s, FileStore.for_settings(settings), number, "death_cert_medical", pages, "clerk1")
    from houshi_desk.services.cases import submit_case

    submit_case(store, number, clerk="clerk1")
    return number


def test_disposal_number_mnemonic_focuses_its_field(qtbot, sim_window):
    ctx, window, reader = sim_window
    dlg = window.new_case()
    qtbot.addWidget(dlg)
    dlg.has_input = lambda: False
    reader.insert("applicant")
    qtbot.waitUntil(lambda: dlg.applicant.person.name.text() == "王测试", timeout=5000)
    dlg.applicant.person.relationship.setCurrentIndex(2)
    dlg.go_next()
    reader.insert("deceased")
    qtbot.waitUntil(lambda: dlg.deceased.person.name.text() == "测试", timeout=5000)
    dlg.go_next()
    death = dlg.death
    assert death.disposal_number_label.buddy() is death.disposal_number
    death.place.setFocus()
    qtbot.waitUntil(death.place.hasFocus)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)
    assert death.disposal_number.hasFocus(), "Alt+H should move to 火化证编号"
    assert death.place.text() == "" and death.disposal_number.text() == "", "Alt+H typed into a field"


def test_imported_pdf_pages_have_thumbnails(qtbot, app_window, settings, gui_store):
    from houshi_desk.gui.case_view import CaseDialog

    ctx, window = app_window
    number = submitted_with_pdf(gui_store, settings)
    view = CaseDialog(ctx, number, window)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.snapshot is not None, timeout=10000)
    row = next(i for i, m in enumerate(view.snapshot.materials) if m["code"] == "death_cert_medical")
    view.materials.setCurrentCell(row, 0)
    qtbot.waitUntil(lambda: view.pages.count() == 2, timeout=10000)
    for i in range(2):
        icon = view.pages.item(i).icon()
        assert not icon.isNull(), f"page {i + 1} of the imported PDF has no thumbnail"
        assert not icon.pixmap(120, 160).isNull()
    outbox_text = " ".join(view.outbox.item(r, 0).text() for r in range(view.outbox.rowCount()))
    assert "death_cert_medical" not in outbox_text and "居民死亡医学证明" in outbox_text, outbox_text
    view.close()


def test_outbox_shows_names_and_no_stale_retry_time(qtbot, app_window, settings, gui_store):
    from sqlalchemy import select, update

    from houshi_desk.gui.outbox_view import OutboxDialog, next_try_text
    from houshi_desk.store.models_sync import SyncOutboxRow

    ctx, window = app_window
    number = submitted_with_pdf(gui_store, settings)
    past = datetime.utcnow() - timedelta(minutes=30)
    with gui_store.session() as s:
        s.execute(update(SyncOutboxRow).where(SyncOutboxRow.case_number == number)
                  .values(state="retry_wait", next_attempt_at=past, attempts=1))
        n = len(s.execute(select(SyncOutboxRow.id).where(SyncOutboxRow.case_number == number)).all())
    assert ctx.sync.uploader is None  # no platform configured: nothing retries
    dlg = OutboxDialog(ctx, window)
    qtbot.addWidget(dlg)
    qtbot.waitUntil(lambda: dlg.table.rowCount() == n, timeout=10000)
    stale = f"{past.replace(tzinfo=__import__('datetime').timezone.utc).astimezone():%m-%d %H:%M}"
    for r in range(n):
        when = dlg.table.item(r, 5).text()
        assert stale not in when and when, f"row {r}: {when!r}"
        step = dlg.table.item(r, 1).text()
        assert not CODE.search(step), step
    steps = " ".join(dlg.table.item(r, 1).text() for r in range(n))
    assert "居民死亡医学证明" in steps, steps

    # a future time is shown; a past one while the sender runs says it comes at once
    item = {"state": "retry_wait", "next": datetime.utcnow() + timedelta(minutes=5)}
    assert re.fullmatch(r"\d\d-\d\d \d\d:\d\d:\d\d", next_try_text(item, sending=True))
    assert next_try_text({"state": "retry_wait", "next": past}, sending=True) == "即将重试"
    assert next_try_text({"state": "acked", "next": past}, sending=True) == ""

    # toggling 显示已送达 while a load is running: the table ends up matching the box
    with gui_store.session() as s:
        s.execute(update(SyncOutboxRow).where(SyncOutboxRow.case_number == number).values(state="acked"))
    dlg.reload()
    dlg.show_all.setChecked(True)
    qtbot.waitUntil(lambda: dlg.table.rowCount() == n and not dlg._loading, timeout=10000)
    dlg.show_all.setChecked(False)
    qtbot.waitUntil(lambda: dlg.table.rowCount() == 0 and not dlg._loading, timeout=10000)
    qtbot.wait(300)
    assert dlg.table.rowCount() == 0 and not dlg.show_all.isChecked()
    assert "没有待发送" in dlg.message.text()
    dlg.timer.stop()


def test_audit_view_and_case_list_show_names(qtbot, settings, gui_store):
    from houshi_desk.gui.app import start
    from houshi_desk.gui.bridges import CardBridge
    from houshi_desk.gui.supervisor_view import SupervisorDialog
    from tests.gui.conftest import make_ctx

    number = submitted_with_pdf(gui_store, settings)
    ctx = make_ctx(settings, gui_store, card=CardBridge(None), user="boss1")
    window = start(ctx, login=False)
    qtbot.addWidget(window)
    window.close_confirm = lambda pending: True
    window.show_today()
    qtbot.waitUntil(lambda: window.table.rowCount() >= 1, timeout=10000)
    assert window.table.item(0, 4).text() == "窗口一", "the case list shows the login name"
    window.search.setText(number[-6:])
    window.run_search()
    qtbot.waitUntil(lambda: window.list_title.text().startswith("查找"), timeout=10000)

    sup = SupervisorDialog(ctx, window)
    qtbot.addWidget(sup)
    sup.verify()
    qtbot.waitUntil(lambda: sup.audit_entries.rowCount() > 0, timeout=15000)
    texts = [sup.audit_entries.item(r, c).text() for r in range(sup.audit_entries.rowCount()) for c in (3, 5)]
    joined = " ".join(texts)
    assert "death_cert_medical" not in joined and "居民死亡医学证明" in joined, joined
    assert not any(CODE.fullmatch(t) for t in texts), texts
    ctx.sync.stop()

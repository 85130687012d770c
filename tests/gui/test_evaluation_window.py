"""好差评 on the family-facing window (issue 17), driven by pytest-qt: the monitor is chosen from a
faked list of screens (there is no monitor here); with one screen a paper slip (fonts embedded) is
made instead. A 差评 given on the window reaches the platform exactly once through a killed-and-
restarted ``houshi-desk sync``, appears on the supervisor's 差评整改 tab with its deadline, and the
daily report counts evaluations per clerk and level."""
from __future__ import annotations

import io
from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication

from tests.sync.conftest import ref_platform, terminal  # noqa: F401 - fixtures
from tests.sync.test_evaluations import kill_after_platform_took_it


class FakeScreen:
    """Stands for a monitor in the list; never shown on."""

    def __init__(self, name):
        self.name = name


def test_the_family_screen_is_the_one_that_is_not_the_clerks():
    from houshi_desk.gui.evaluation_window import family_screen

    clerk, family = FakeScreen("clerk"), FakeScreen("family")
    assert family_screen([clerk], clerk) is None
    assert family_screen([clerk, family], clerk) is family
    assert family_screen([family, clerk], clerk) is family
    assert family_screen([], None) is None


@pytest.fixture
def ctx(settings, terminal):  # noqa: F811
    from houshi_desk import users
    from tests.gui.conftest import PASSWORD, make_ctx

    with terminal.store.session() as s:
        users.add_user(s, username="boss1", password=PASSWORD, role="supervisor", actor="test", display_name="主管一")
    c = make_ctx(settings, terminal.store, user="boss1")
    yield c
    from houshi_desk.gui.ops import wait_idle

    wait_idle(10000)


def test_a_bad_rating_on_the_family_window_reaches_the_platform_once_and_is_a_task(qtbot, ctx, terminal):  # noqa: F811
    from houshi_desk.gui.evaluation_window import EvaluationWindow, offer_evaluation
    from houshi_desk.gui.supervisor_view import SupervisorDialog
    from houshi_desk.platform_ref.evaluations import stored
    from houshi_desk.services.evaluations import rectify_due

    terminal.settings.set("sync.interval_seconds", 3600)
    number = terminal.new_case(submit=True)
    real = QGuiApplication.primaryScreen()
    clerk_screen = FakeScreen("clerk")
    win = offer_evaluation(ctx, number, "accepted", screens=[clerk_screen, real], primary=clerk_screen)
    assert isinstance(win, EvaluationWindow)
    qtbot.addWidget(win)
    qtbot.waitUntil(win.isVisible)
    assert win.screen() is real and win.isFullScreen()
    assert not win.reason_boxes["waiting"].isVisible()
    qtbot.mouseClick(win.level_buttons[1], Qt.MouseButton.LeftButton)  # 非常不满意
    assert win.reason_boxes["waiting"].isVisible() and win.submit_button.isEnabled()
    qtbot.mouseClick(win.submit_button, Qt.MouseButton.LeftButton)
    assert "请勾选不满意的原因" in win.message.text()  # a 差评 says why
    box = win.reason_boxes["attitude"]
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))  # on the box itself
    assert box.isChecked()
    win.text.insertPlainText("窗口人员不耐烦")  # (QTest cannot type Chinese; an input method would)
    with qtbot.waitSignal(win.recorded, timeout=15000) as rec:
        qtbot.mouseClick(win.submit_button, Qt.MouseButton.LeftButton)
    assert win.message.text() == "谢谢您的评价！"

    kill_after_platform_took_it(terminal, 1)
    evals = stored(terminal.ref.platform)
    assert len(evals) == 1 and terminal.ref.dump()["counters"].get("evaluations") == 1
    body = evals[0]["body"]
    assert (body["case_id"], body["level"], body["channel"]) == (number, 1, "窗口")
    assert body["reasons"] == ["工作人员服务态度不好"] and body["text"] == "窗口人员不耐烦"

    dlg = SupervisorDialog(ctx)
    qtbot.addWidget(dlg)
    tab = dlg.rectifications
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1, timeout=10000)
    assert tab.items[0].id == rec.args[0]
    due = rectify_due(ctx.settings, date.today())
    assert tab.table.item(0, 0).text() == number and tab.table.item(0, 5).text() == due.isoformat()
    assert "工作人员服务态度不好" in tab.table.item(0, 2).text()
    # the daily report: evaluations per clerk and level
    qtbot.waitUntil(lambda: dlg.figures is not None, timeout=10000)
    f = dlg.figures
    assert [(e.clerk, e.levels) for e in f.evaluations] == [("测试员", {1: 1})] and f.open_rectifications == 1
    assert "好差评（按经办人）" in dlg.report.toHtml() or "好差评（按经办人）" in dlg.report.toPlainText()
    from houshi_desk.reports.pdf import render_pdf
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(f, user="boss1"))).pages)
    assert "好差评（按经办人）" in text and "待整改差评 1 条" in text
    # rectified: it leaves the list
    tab.note.setText("已约谈经办人并回访群众")
    tab.rectify()
    qtbot.waitUntil(lambda: tab.table.rowCount() == 0, timeout=10000)
    dlg.close()


def test_with_one_screen_a_paper_slip_is_made(qtbot, tmp_path, ctx, terminal):  # noqa: F811
    from sqlalchemy import select

    from houshi_desk.documents.printjobs import kept_bytes
    from houshi_desk.gui.evaluation_window import offer_evaluation
    from houshi_desk.store.models import PrintLogRow
    from pypdf import PdfReader

    number = terminal.new_case(submit=True)
    only = QGuiApplication.primaryScreen()
    assert offer_evaluation(ctx, number, "closed", screens=[only], primary=only) is None

    def logged():
        with terminal.store.session() as s:
            return s.execute(select(PrintLogRow).where(PrintLogRow.kind == "evaluation_slip")).scalars().all()

    qtbot.waitUntil(lambda: len(logged()) == 1, timeout=20000)
    row = logged()[0]
    assert row.status == "saved"  # no printer chosen for slips here: kept as PDF
    pdf = kept_bytes(ctx.settings, row.pdf_path)
    reader = PdfReader(io.BytesIO(pdf))
    text = reader.pages[0].extract_text()
    for words in (number, "非常满意", "非常不满意", "办结后", "工作人员服务态度不好"):
        assert words in text, words
    from tests.documents.doc_pdf import pdf_fonts

    fonts = pdf_fonts(pdf, tmp_path)
    assert fonts and all(f["emb"] == "yes" for f in fonts), fonts  # every font embedded


def test_an_evaluator_that_is_off_falls_back_to_the_slip_and_none_offers_nothing(qtbot, ctx, terminal):  # noqa: F811
    from sqlalchemy import select

    from houshi_desk.gui.evaluation_window import offer_evaluation
    from houshi_desk.store.models import PrintLogRow

    number = terminal.new_case(submit=True)
    ctx.settings.set("evaluation.channel", "none")
    assert offer_evaluation(ctx, number) is None
    ctx.settings.set("evaluation.channel", "evaluator")
    ctx.settings.set("evaluation.evaluator_url", "http://127.0.0.1:9")  # nothing answers there

    def slips():
        with terminal.store.session() as s:
            return s.execute(select(PrintLogRow.kind).where(PrintLogRow.kind == "evaluation_slip")).scalars().all()

    assert offer_evaluation(ctx, number) is None
    qtbot.waitUntil(lambda: len(slips()) == 1, timeout=20000)  # the family still gets a form

"""Window memory (issue 19): a case window or a new-case dialog, opened and closed, leaves nothing
behind — not when the garbage collector's full pass ran while it was open (at a real counter it
always does: a pass runs about every minute, a case takes several), and not for any party's form.

Object counts only (deterministic); the megabytes are tests/bench/bench_memory.py's business.
"""
from __future__ import annotations

import gc
import linecache
from datetime import date

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication


def _settle(qtbot) -> None:
    from houshi_desk.gui import ops

    qtbot.waitUntil(lambda: not ops._ops, timeout=20000)
    for _ in range(3):  # WA_DeleteOnClose: deleteLater, then what that frees
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()
    gc.collect()


def _live(cls) -> int:
    return sum(1 for o in gc.get_objects() if isinstance(o, cls))


def _full_pass_while_open(qtbot) -> None:
    """What the window's collector does about once a minute, run now (the dialog is open)."""
    from houshi_desk.gui import gc_tuning, ops

    collector = gc_tuning.install(QApplication.instance())
    qtbot.waitUntil(lambda: not ops._ops, timeout=20000)
    frozen = gc.get_freeze_count()
    collector._ticks = collector.full_every
    collector.check()
    assert collector._ticks == 0  # the full pass ran
    assert gc.get_freeze_count() == frozen  # a dialog is open: nothing was frozen with it


def _counts():
    from houshi_desk.gui.case_view import CaseDialog
    from houshi_desk.gui.interview import InterviewStep
    from houshi_desk.gui.person_form import PersonForm
    from houshi_desk.gui.shared_prefill import SharedPrefill

    # (a cancelled NewCaseDialog's own wrapper may stay as an empty shell PySide holds; what it
    # held — forms, steps, pages, widgets — is counted here)
    return {"top-level widgets": len(QApplication.topLevelWidgets()), "widgets": len(QApplication.allWidgets()),
            "CaseDialog": _live(CaseDialog), "PersonForm": _live(PersonForm), "InterviewStep": _live(InterviewStep),
            "SharedPrefill": _live(SharedPrefill)}


def test_ten_case_windows_and_new_case_dialogs_leave_nothing_behind(qtbot, app_window, settings, gui_store):
    from houshi_desk.services.cases import case_from_dict, create_case, sample_case_dict

    ctx, window = app_window
    number = create_case(gui_store, case_from_dict(sample_case_dict(deceased_seq=7)), settings=settings,
                         today=date.today(), clerk="clerk1", submit=True)

    def one_round():
        view = window.open_case(number)
        qtbot.waitUntil(lambda: view.snapshot is not None, timeout=20000)
        view.tabs.setCurrentIndex(2)  # materials and their page thumbnails
        _full_pass_while_open(qtbot)
        view.done_button.click()
        dlg = window.new_case()
        assert dlg is not None and dlg.isVisible()
        _full_pass_while_open(qtbot)
        dlg.reject()  # nothing typed: closes without asking
        _settle(qtbot)

    one_round()  # the first one imports and builds what stays for the session
    start = _counts()
    assert start["CaseDialog"] == 0 and start["PersonForm"] == 0 and start["SharedPrefill"] == 0, start
    for _ in range(10):
        one_round()
    assert _counts() == start
    assert window.open_dialogs == []


def test_every_party_form_goes_with_its_parent(qtbot):
    """The deceased's and a proxy's form never lay out 特定关系说明: unparented, it outlived each case
    as a hidden top-level window."""
    from PySide6.QtWidgets import QWidget

    from houshi_desk.domain.case import PartyRole
    from houshi_desk.gui.person_form import PersonForm

    _settle(qtbot)
    before = len(QApplication.topLevelWidgets())
    for role in PartyRole:
        holder = QWidget()
        PersonForm(role, date.today, holder)
        holder.deleteLater()
        del holder
        _settle(qtbot)
        assert len(QApplication.topLevelWidgets()) == before, role


def test_release_memory_forgets_module_source_but_keeps_generated_lines():
    from houshi_desk.gui import gc_tuning

    import houshi_desk.gui.widgets as some_module

    assert linecache.getlines(some_module.__file__)  # read (as PySide's import hook does for every module)
    linecache.cache["<generated-by-a-library>"] = (3, None, ["x = 1\n"], "<generated-by-a-library>")
    before = gc_tuning.releases
    gc_tuning.release_memory()
    assert some_module.__file__ not in linecache.cache
    assert "<generated-by-a-library>" in linecache.cache
    assert gc_tuning.releases == before + 1
    assert linecache.getlines(some_module.__file__)  # a traceback still finds the source
    linecache.cache.pop("<generated-by-a-library>", None)


def test_the_print_font_is_mapped_and_prints_after_its_pages_are_released(settings):
    """reportlab keeps the whole CJK font file for the session: mapped, not read into memory, and
    the pages a render touched are dropped — the next render reads them back, same text."""
    import mmap

    from reportlab.pdfbase import pdfmetrics

    from houshi_desk.documents import fonts

    fs = fonts.font_set()
    face = pdfmetrics.getFont(fs.main).face
    assert isinstance(face._ttf_data, mmap.mmap)

    def render() -> bytes:
        import io

        from reportlab.pdfgen import canvas

        buf = io.BytesIO()
        c = canvas.Canvas(buf, invariant=1)
        x = 72
        for font, text in fs.runs("受理回执　逝者 张三丰　身后一件事 2026-01-20"):
            c.setFont(font, 12)
            c.drawString(x, 720, text)
            x += c.stringWidth(text, font, 12)
        c.save()
        return buf.getvalue()

    first = render()
    fonts.release_pages()
    assert render() == first
    assert b"/FontFile2" in first  # embedded, subset from the mapped file

"""Qt's own caches that closed windows fill are emptied at a quiet tick (issue 19; the megabytes are
tests/bench/bench_memory.py's business, houshi_desk/gui/gc_tuning.py ``drop_window_caches`` says why).

- QPixmapCache kept every ID-card photo a form painted until its 10 MB limit (~100 KB per case).
- Qt's style-sheet style never forgets what it cached for a QComboBox's popup container (~0.9 KB
  per combo box, ~40 KB per new-case dialog): setting the same sheet again empties that cache.
"""
from __future__ import annotations

import ctypes
import gc
import sys

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QPixmap, QPixmapCache
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QVBoxLayout, QWidget

MARK = "houshi-test-closed-window-picture"


def _settle(qtbot) -> None:
    from houshi_desk.gui import ops

    qtbot.waitUntil(lambda: not ops._ops, timeout=20000)
    for _ in range(3):  # WA_DeleteOnClose: deleteLater, then what that frees
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()
    gc.collect()


def _quiet_tick(qtbot):
    """The collector's next tick once nothing runs in the background (what the timer does)."""
    from houshi_desk.gui import gc_tuning, ops

    collector = gc_tuning.install(QApplication.instance())
    qtbot.waitUntil(lambda: not ops._ops, timeout=20000)
    collector.check()
    return collector


def test_a_closed_window_takes_its_pictures_out_of_the_pixmap_cache(qtbot, app_window):
    from houshi_desk.gui import gc_tuning

    ctx, window = app_window
    _settle(qtbot)
    _quiet_tick(qtbot)  # whatever was pending from start-up
    gc_tuning.drop_window_caches()  # and windows earlier tests closed
    assert QPixmapCache.insert(MARK, QPixmap(102, 126))  # as a card photo a form painted
    gc_tuning._full_soon = True  # a full pass with no window closed …
    _quiet_tick(qtbot)
    assert QPixmapCache.find(MARK) is not None  # … leaves the cache alone (the main window's pictures)

    drops = gc_tuning.cache_drops
    dlg = window.new_case()
    assert dlg is not None and dlg.isVisible()
    _quiet_tick(qtbot)  # a dialog open: not quiet, nothing dropped
    assert QPixmapCache.find(MARK) is not None
    dlg.reject()  # nothing typed: closes without asking; its end calls gc_tuning.collect_soon
    _settle(qtbot)
    _quiet_tick(qtbot)
    assert gc_tuning.cache_drops == drops + 1
    assert QPixmapCache.find(MARK) is None
    assert window.open_dialogs == []


def _malloc_in_use() -> int:
    class MallInfo2(ctypes.Structure):
        _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                                    "fsmblks", "uordblks", "fordblks", "keepcost")]

    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = MallInfo2
    return libc.mallinfo2().uordblks  # bytes in use in malloc's arenas (all threads)


def _combo_boxes_made_and_deleted(qtbot, n: int) -> None:
    holder = QWidget()
    lay = QVBoxLayout(holder)
    for _ in range(n):
        lay.addWidget(QComboBox())  # made without a parent, then laid out: as every form here does
    holder.deleteLater()
    del holder, lay
    _settle(qtbot)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads glibc's malloc statistics (mallinfo2)")
def test_restyling_forgets_what_the_style_sheet_cached_for_deleted_combo_boxes(qtbot):
    from houshi_desk.gui import gc_tuning
    from houshi_desk.gui.app import _apply_style

    app = QApplication.instance()
    _apply_style(app)
    sheet = app.styleSheet()
    assert sheet
    _combo_boxes_made_and_deleted(qtbot, 20)  # first use: what stays for the session
    gc_tuning.drop_window_caches(restyle=True)
    _settle(qtbot)

    n = 600
    before = _malloc_in_use()
    _combo_boxes_made_and_deleted(qtbot, n)
    left = _malloc_in_use() - before  # Qt 6.11: ~0.9 KB per combo box's popup container, for good
    restyles = gc_tuning.restyles
    assert gc_tuning.drop_window_caches(restyle=True)
    _settle(qtbot)
    freed = left - (_malloc_in_use() - before)
    print(f"{n} combo boxes made and deleted: {left / 1024:.0f} KB left in use; restyling freed {freed / 1024:.0f} KB")
    assert gc_tuning.restyles == restyles + 1
    # what the style sheet kept for them goes (malloc's per-thread caches blur this by up to ~0.25 MB)
    assert freed > n * 512
    assert app.styleSheet() == sheet  # the same sheet, still applied
    label = QLabel("x")
    label.setObjectName("title")  # QLabel#title { font-size: 16pt; … }
    label.ensurePolished()
    assert label.font().pointSizeF() == 16


def test_the_style_sheet_is_restyled_every_few_closed_windows_not_after_each(qtbot):
    from houshi_desk.gui import gc_tuning
    from houshi_desk.gui.app import _apply_style

    _apply_style(QApplication.instance())
    gc_tuning.drop_window_caches(restyle=True)  # counting starts here
    restyles = gc_tuning.restyles
    for i in range(1, 2 * gc_tuning.RESTYLE_EVERY + 1):
        gc_tuning.collect_soon()  # a window closed …
        assert gc_tuning.drop_window_caches()  # … and the next quiet tick: pictures always go
        assert gc_tuning.restyles == restyles + i // gc_tuning.RESTYLE_EVERY  # the sheet only every RESTYLE_EVERY
    gc_tuning._full_soon = False

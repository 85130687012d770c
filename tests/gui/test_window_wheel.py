"""Issue 16 item 1: the mouse wheel over a combo box the clerk has not focused scrolls the panel
around it (the interview) instead of silently changing the answer; in a focused combo it still
changes the value."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox, QScrollArea

from tests.gui.flow_steps import reach_interview


def wheel(widget, steps=-1):
    """One notch down (negative) over the middle of the widget, as the mouse sends it."""
    local = QPointF(widget.rect().center())
    glob = QPointF(widget.mapToGlobal(widget.rect().center()))
    ev = QWheelEvent(local, glob, QPoint(0, 0), QPoint(0, 120 * steps), Qt.MouseButton.NoButton,
                     Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, ev)


def test_wheel_over_unfocused_interview_combo_scrolls_instead_of_changing_it(qtbot, sim_window):
    ctx, window, reader = sim_window
    dlg = window.new_case()
    qtbot.addWidget(dlg)
    reach_interview(qtbot, dlg, reader)
    dlg.has_input = lambda: False  # closing at teardown asks nothing
    dlg.resize(1000, 420)  # short enough that the questions scroll
    qtbot.wait(50)
    combos = [w for _l, w in dlg.interview._rows.values() if isinstance(w, QComboBox) and w.isVisible()]
    assert combos
    scroll = dlg.interview.findChild(QScrollArea)
    bar = scroll.verticalScrollBar()
    assert bar.maximum() > 0, "the interview must be taller than its panel for this test"
    box = combos[0]
    dlg.interview.table.setFocus()
    assert not box.hasFocus()
    before_index, before_pos = box.currentIndex(), bar.value()
    wheel(box, -1)
    assert box.currentIndex() == before_index, "the wheel changed an answer the clerk did not open"
    assert bar.value() > before_pos, "the wheel should have scrolled the questions"
    assert box.focusPolicy() == Qt.FocusPolicy.StrongFocus

    # a field the clerk put the focus in: the wheel changes its value as usual
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    start = box.currentIndex()
    wheel(box, -1 if start < box.count() - 1 else 1)
    assert box.currentIndex() != start

"""Issue 16 item 6 (the window part): at 1366×768 the materials step shows 状态 and 页数 without
scrolling sideways, and an action on a material keeps the list where the clerk had scrolled it."""
from __future__ import annotations

from PySide6.QtCore import Qt

from houshi_desk.domain.case import MaterialState
from tests.gui.flow_steps import reach_materials


def test_state_and_pages_visible_and_scroll_kept(qtbot, sim_window):
    from PySide6.QtWidgets import QApplication

    from houshi_desk.gui.app import _apply_style

    _apply_style(QApplication.instance())  # the real style sheet (its fonts decide the widths)
    ctx, window, reader = sim_window
    dlg = window.new_case()
    qtbot.addWidget(dlg)
    reach_materials(qtbot, dlg, reader)
    dlg.has_input = lambda: False
    dlg.resize(1180, 660)  # the designed size, inside a 1366×768 screen with its taskbar
    dlg.show()
    qtbot.waitUntil(dlg.isVisible)
    qtbot.wait(100)
    m = dlg.materials
    t = m.table
    header = t.horizontalHeader()
    # a material with a long note, as some catalogue entries have: it must wrap, not widen the list
    import dataclasses

    long = dataclasses.replace(m.needs[0], optional_note="已满十六周岁的子女另需提供本人居民身份证及与逝者关系证明复印件各一份")
    m.set_needs([long, *m.needs[1:]])
    for width in (1180, 1000):  # designed size; a window the clerk made narrower
        dlg.resize(width, 660)
        qtbot.wait(50)
        viewport = t.viewport().width()
        for col in (3, 4):  # 状态, 页数
            right = header.sectionViewportPosition(col) + header.sectionSize(col)
            assert right <= viewport, f"{width}: column {col} ends at {right}, the list shows {viewport} px"
            assert header.sectionSize(col) >= 30
        assert header.sectionSize(0) >= 150, f"{width}: the material names are squeezed to {header.sectionSize(0)} px"
        assert t.horizontalScrollBar().maximum() == 0, "the materials list scrolls sideways"

    # scroll down, pick a row low in the list, act on it: the list stays where it was
    bar = t.verticalScrollBar()
    t.setMaximumHeight(110)  # fewer rows in view than the list has
    qtbot.wait(50)
    assert bar.maximum() > 0, "the list must be taller than its view for this test"
    t.scrollToBottom()
    qtbot.wait(20)
    first = t.rowAt(2)  # the top row in view: acting on it must not bring it to the bottom edge
    row = first
    t.setCurrentCell(row, 0)
    t.scrollToBottom()
    qtbot.wait(20)
    before = bar.value()
    assert before > 0
    m.set_state(MaterialState.PAPER)
    assert bar.value() == before, "marking a material scrolled the list"
    assert t.currentRow() == row
    assert t.horizontalScrollBar().value() == 0
    qtbot.keyClick(t, Qt.Key.Key_D)  # 容缺后补 by its key
    assert bar.value() == before and t.currentRow() == row
    assert m.states[m.needs[row].code] is MaterialState.DEFERRED

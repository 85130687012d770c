"""Every screen stays usable on the smallest counter screen at 150 % scaling (issue 13): 1366×768 at
150 % is 911×512 logical pixels. Each window and dialog is shown at that size (less the window
frame); every control it shows must be reachable: inside the window, or inside a scroll area that is
itself inside the window (so the clerk can scroll to it)."""
from __future__ import annotations

import pytest

from tests.gui.test_fit import sample_case, screens

LOGICAL_W, LOGICAL_H = 911, 512
FRAME = 40


def unreachable(w) -> list[str]:
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractScrollArea, QAbstractSpinBox,
                                   QComboBox, QLineEdit, QPlainTextEdit, QScrollArea, QTextEdit)

    kinds = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QTextEdit, QPlainTextEdit)
    window_rect = QRect(0, 0, w.width(), w.height())
    out = []
    from PySide6.QtWidgets import QWidget

    for c in (x for x in w.findChildren(QWidget) if isinstance(x, kinds)):
        if not c.isVisibleTo(w) or not c.isEnabled() or c.width() <= 0:
            continue
        top_left = c.mapTo(w, c.rect().topLeft())
        rect = QRect(top_left, c.size())
        # the part the clerk needs: a control is usable when it can be brought into view
        if window_rect.intersects(rect) and window_rect.contains(rect.center()):
            continue
        parent, scrolled = c.parentWidget(), False
        while parent is not None and parent is not w:
            if isinstance(parent, QScrollArea) or (isinstance(parent, QAbstractScrollArea)
                                                   and parent is not c and not isinstance(c, QAbstractScrollArea)):
                area = QRect(parent.mapTo(w, parent.rect().topLeft()), parent.size())
                if window_rect.intersects(area):
                    scrolled = True
                    break
            parent = parent.parentWidget()
        if not scrolled:
            label = c.objectName() or (c.text() if hasattr(c, "text") else "") or type(c).__name__
            out.append(f"{type(c).__name__}({label}) at {rect.x()},{rect.y()} {rect.width()}×{rect.height()}")
    return out


def test_every_screen_is_usable_at_911x512(qtbot, app_window, settings, gui_store):
    ctx, window = app_window
    number = sample_case(gui_store, settings)
    problems = {}
    for name, w in screens(qtbot, ctx, window, number):
        w.show()
        w.resize(LOGICAL_W, LOGICAL_H - FRAME)
        qtbot.wait(20)
        if w.width() > LOGICAL_W or w.height() > LOGICAL_H - FRAME:
            problems[name] = [f"cannot shrink below {w.width()}×{w.height()}"]
            continue
        bad = unreachable(w)
        if bad:
            problems[name] = bad[:5]
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())

"""Every window and dialog constructs and fits the smallest counter screen, 1366×768 (the designed
size and the smallest size its layout allows). At 150 % scaling that screen is 911×512 logical
pixels: tests/gui/test_fit_small.py checks every control stays reachable there."""
from __future__ import annotations

import os
import sys
from datetime import date

import pytest

SCREEN_W, SCREEN_H = 1366, 768
FRAME = 40  # title bar and borders the window manager adds


def sample_case(store, settings):
    from houshi_desk.services.cases import case_from_dict, create_case, sample_case_dict

    return create_case(store, case_from_dict(sample_case_dict()), settings=settings, today=date.today(),
                       clerk="clerk1", submit=True)


def check_fits(w, name):
    w.adjustSize() if not hasattr(w, "preferred_size") else None
    preferred = getattr(w, "preferred_size", (w.sizeHint().width(), w.sizeHint().height()))
    minimum = w.minimumSizeHint()
    assert preferred[0] <= SCREEN_W and preferred[1] + FRAME <= SCREEN_H, f"{name}: designed size {preferred}"
    assert minimum.width() <= SCREEN_W and minimum.height() + FRAME <= SCREEN_H, \
        f"{name}: layout cannot shrink below {minimum.width()}×{minimum.height()}"
    return preferred, (minimum.width(), minimum.height())


def screens(qtbot, ctx, window, number):
    from houshi_desk.gui.case_view import CaseDialog, CloseCaseDialog
    from houshi_desk.gui.login import LoginDialog
    from houshi_desk.gui.new_case import NewCaseDialog
    from houshi_desk.gui.outbox_view import OutboxDialog
    from houshi_desk.gui.supervisor_view import SupervisorDialog

    yield "main window", window
    yield "login", LoginDialog(ctx, window)
    dlg = NewCaseDialog(ctx, window)
    for i, (key, _t, _w) in enumerate(dlg.all_steps):
        dlg.applicant.proxy_box.setChecked(key == "proxy")
        dlg.go(next(j for j, s in enumerate(dlg.steps()) if s[0] == key))
        yield f"new case: {key}", dlg
    case = CaseDialog(ctx, number, window)
    qtbot.waitUntil(lambda: case.snapshot is not None, timeout=10000)
    for i in range(case.tabs.count()):
        case.tabs.setCurrentIndex(i)
        yield f"case view tab {i}", case
    yield "close case", CloseCaseDialog(ctx, number, ["x"], window)
    yield "outbox", OutboxDialog(ctx, window)
    yield "supervisor", SupervisorDialog(ctx, window)


def test_every_screen_fits_1366x768(qtbot, app_window, settings, gui_store):
    ctx, window = app_window
    number = sample_case(gui_store, settings)
    sizes = {}
    for name, w in screens(qtbot, ctx, window, number):
        sizes[name] = check_fits(w, name)
    print({k: v for k, v in sizes.items()})
    if os.environ.get("QT_SCALE_FACTOR"):
        print("scale factor", os.environ["QT_SCALE_FACTOR"])

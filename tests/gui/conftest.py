"""Fixtures for the window tests (pytest-qt, offscreen): a program home with its own keyring and an
encrypted store, a clerk and a supervisor logged in through the real login, and the main window
built by the same ``start()`` the app uses — without a card watcher unless a test asks for one.

Fakes used and why: none for devices. The card tests use the real pcscd + vpcd (skipped with the
reason when HOUSHI_TEST_VPCD_PORT is unset) or the in-process simulated reader, which goes through
the same text-block parser; message boxes that would block a test are answered through the
``confirm_*`` hooks the widgets expose (a modal QMessageBox would otherwise hang the run).
"""
from __future__ import annotations

import os
import time
from datetime import date

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PASSWORD = "test-pass-1"


@pytest.fixture
def gui_store(settings):
    from houshi_desk import users
    from houshi_desk.store.db import open_store

    store = open_store(settings)
    with store.session() as s:
        users.add_user(s, username="clerk1", password=PASSWORD, role="clerk", actor="test", display_name="窗口一")
        users.add_user(s, username="boss1", password=PASSWORD, role="supervisor", actor="test", display_name="主管一")
    yield store
    store.close()


def make_ctx(settings, store, *, user="clerk1", card=None, today=None):
    from houshi_desk import users
    from houshi_desk.gui.context import AppContext

    ctx = AppContext(settings, today=today or date.today)
    ctx.card = card
    ctx.open_store(store)
    if user:
        ctx.set_user(users.login(store, settings, user, PASSWORD))
    return ctx


@pytest.fixture
def sim_window(qtbot, settings, gui_store):
    """The main window on the simulated reader (no pcscd needed): (ctx, window, reader)."""
    from houshi_desk.gui.app import start
    from houshi_desk.gui.bridges import CardBridge
    from houshi_desk.idcard import CardWatcher, SimulatedReader

    reader = SimulatedReader()
    ctx = make_ctx(settings, gui_store, card=CardBridge(CardWatcher(reader, wait_timeout=0.2)))
    window = start(ctx, login=False)
    qtbot.addWidget(window)
    window.close_confirm = lambda pending: True
    yield ctx, window, reader
    ctx.card.stop()
    ctx.sync.stop()
    from houshi_desk.gui.ops import wait_idle

    wait_idle(10000)


@pytest.fixture
def app_window(qtbot, settings, gui_store):
    """(ctx, window): the main window with a clerk logged in and no card reader."""
    from houshi_desk.gui.app import _apply_style, start
    from houshi_desk.gui.bridges import CardBridge

    from PySide6.QtWidgets import QApplication

    _apply_style(QApplication.instance())
    ctx = make_ctx(settings, gui_store, card=CardBridge(None))
    window = start(ctx, login=False)
    qtbot.addWidget(window)
    window.close_confirm = lambda pending: True
    yield ctx, window
    ctx.sync.stop()
    from houshi_desk.gui.ops import wait_idle

    wait_idle(10000)


def vpcd_port() -> int:
    port = os.environ.get("HOUSHI_TEST_VPCD_PORT")
    if not port:
        pytest.skip(reason="HOUSHI_TEST_VPCD_PORT is not set: pcscd with vsmartcard-vpcd is not running "
                    "(start it with packaging/services.sh)")
    return int(port)


@pytest.fixture
def vpcd():
    """(reader name, port) of a vpcd reader pcscd lists; the second one when present, so the GUI
    tests do not share a slot with the ID-card tests."""
    base = vpcd_port()
    try:
        from smartcard.System import readers

        names = [str(r) for r in readers()]
    except Exception as exc:  # noqa: BLE001
        pytest.skip(reason=f"PC/SC not reachable through pyscard: {exc}")
    for port in (base + 1, base):
        name = f"Virtual PCD 00 {port - 35963:02d}"
        if name in names:
            return name, port
    pytest.skip(reason=f"pcscd does not list a Virtual PCD reader (readers: {names})")


@pytest.fixture
def virtual_cards(vpcd):
    """``place(person)`` puts a VirtualCard on the vpcd reader (removing the previous one)."""
    from houshi_desk.idcard.virtual_card import VirtualCard

    _name, port = vpcd
    held = []

    def place(person):
        while held:
            held.pop().remove()
            time.sleep(0.3)
        card = VirtualCard(person, port).insert()
        held.append(card)
        return card

    yield place
    while held:
        held.pop().remove()
    time.sleep(0.45)


class StallMeter:
    """A 10 ms QTimer that records the longest gap between its ticks: how long the event loop
    was kept from running (the GUI thread must never block for more than 100 ms)."""

    def __init__(self):
        from PySide6.QtCore import QTimer

        self.max_gap = 0.0
        self.ticks = 0
        self._last = None
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)

    def _tick(self):
        now = time.perf_counter()
        if self._last is not None:
            self.max_gap = max(self.max_gap, now - self._last)
        self._last = now
        self.ticks += 1

    def __enter__(self):
        self._last = time.perf_counter()
        self.timer.start()
        return self

    def __exit__(self, *exc):
        self.timer.stop()

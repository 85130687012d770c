"""Start-up order (issue 19): the login window paints first, before the database opens and before
any heavy module is imported; the main window is built behind it afterwards and the login becomes
its sheet; the database opens on the writer and the login works as before.

The laziness is checked in a fresh interpreter running the real ``houshi-desk`` entry (an import
added at module level anywhere on the path shows up here), not by timing anything.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.gui.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]

# Loaded only when first needed: none of them may be in sys.modules when the login first paints.
HEAVY = ("sqlalchemy", "alembic", "reportlab", "httpx", "PIL", "numpy", "barcode", "keyring", "sqlcipher3",
         "smartcard", "argon2", "cryptography", "gmssl", "rapidocr", "onnxruntime", "uvicorn",
         "houshi_desk.store.db", "houshi_desk.sync.client", "houshi_desk.documents", "houshi_desk.domain.case")

PROBE = r"""
import sys
import houshi_desk.gui.app as A
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
_create, _launch = A.create_app, A.launch
class FirstPaint(QObject):
    seen = False
    def eventFilter(self, obj, event):
        if not FirstPaint.seen and event.type() == QEvent.Type.Paint and obj.objectName() == "LoginDialog":
            FirstPaint.seen = True
            heavy = sorted(m for m in sys.argv[1].split(",") if m in sys.modules)
            print("AT-PAINT", ",".join(heavy) or "-", "window" if WINDOWS else "no-window", flush=True)
        return False
WINDOWS = []
def create_app(argv=None):
    app = _create(argv)
    app._probe = FirstPaint()
    app.installEventFilter(app._probe)
    return app
def launch(ctx, *, window_built=None):
    def built(window):
        WINDOWS.append(window)
        window.close_confirm = lambda pending: True
        print("SHEET", window.login_dialog.parent() is window and window.login_dialog.isVisible(), flush=True)
    ctx.store_ready.connect(lambda s: (print("DB-READY", flush=True), QTimer.singleShot(50, QApplication.quit)))
    ctx.store_failed.connect(lambda e: (print("DB-FAILED", e, flush=True), QApplication.quit()))
    QTimer.singleShot(60000, QApplication.quit)
    return _launch(ctx, window_built=built)
A.create_app, A.launch = create_app, launch
from houshi_desk.cli import main
sys.exit(main([]))
"""


def test_the_login_paints_before_the_database_and_any_heavy_module(home):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-c", PROBE, ",".join(HEAVY)], capture_output=True, text=True, env=env,
                       timeout=180, cwd=ROOT)
    out = r.stdout.splitlines()
    assert r.returncode == 0, (r.stdout[-2000:], r.stderr[-3000:])
    at_paint = next((line.split() for line in out if line.startswith("AT-PAINT")), None)
    assert at_paint is not None, (r.stdout[-2000:], r.stderr[-3000:])
    assert at_paint[1] == "-", f"imported before the login window painted: {at_paint[1]}"
    assert at_paint[2] == "no-window", "the main window was built before the login painted"
    assert "SHEET True" in out, "the login did not become the sheet of the main window"
    assert "DB-READY" in out, (r.stdout[-2000:], r.stderr[-3000:])
    assert out.index("SHEET True") > out.index(next(x for x in out if x.startswith("AT-PAINT")))


@pytest.fixture
def launch_app(qtbot, settings, gui_store):
    """launch() on a fresh context, when the test calls it (after preparing the data folder): the store
    is opened by the app itself, as at a real start. Returns (ctx, login dialog, windows built)."""
    from houshi_desk.gui.app import launch
    from houshi_desk.gui.bridges import CardBridge
    from houshi_desk.gui.context import AppContext
    from houshi_desk.gui.ops import wait_idle

    gui_store.close()  # the app opens the file itself
    started = []

    def go():
        ctx = AppContext(settings)
        ctx.card = CardBridge(None)
        built = []
        dlg = launch(ctx, window_built=built.append)
        started.append((ctx, dlg, built))
        return ctx, dlg, built

    yield go
    for ctx, dlg, built in started:
        if dlg.isVisible():  # nobody logged in: the login must not stay the active window
            dlg.done(0)
        dlg.deleteLater()
        for window in built:
            window.close_confirm = lambda pending: True
            window.close()
        if ctx.sync is not None:
            ctx.sync.stop()
        wait_idle(10000)
        if ctx.store is not None:
            ctx.store.close()


@pytest.fixture
def launched(launch_app):
    return launch_app()


def test_launch_paints_the_login_then_builds_the_window_and_logs_in(qtbot, launched):
    from PySide6.QtCore import Qt

    ctx, dlg, built = launched
    assert dlg.isVisible() and dlg.parent() is None and not built
    assert not dlg.ok.isEnabled(), "login offered before the database is open"
    qtbot.waitUntil(lambda: bool(built), timeout=10000)
    # the main window waits for the database (issue 19: built side by side, both want the interpreter)
    assert ctx.store is not None, "the main window was built while the database was still opening"
    window = built[0]
    assert window.login_dialog is dlg and dlg.parent() is window
    assert dlg.isVisible() and dlg.windowModality() == Qt.WindowModality.WindowModal
    qtbot.waitUntil(lambda: ctx.store is not None and dlg.ok.isEnabled(), timeout=20000)
    dlg.form.username.setText("clerk1")
    dlg.form.password.setText(PASSWORD)
    with qtbot.waitSignal(dlg.accepted, timeout=15000):
        dlg.try_login()
    assert ctx.user.username == "clerk1"
    qtbot.waitUntil(lambda: window.table.isVisible(), timeout=10000)


def test_a_database_that_fails_to_open_still_gets_the_window_and_a_clear_message(qtbot, settings, launch_app):
    """The window waits for the database, not for ever: a file that is not a database fails the open,
    the login says so (the button stays off) and the main window is built behind it all the same."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    settings.paths.database_file.write_bytes(b"this is not a database, only bytes of the right size for a page " * 64)
    boxes = []

    def close_boxes():  # the window's QMessageBox.critical runs its own loop: answer it as a clerk would
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QMessageBox) and w.isVisible():
                boxes.append(w.text())
                w.accept()

    closer = QTimer()
    closer.timeout.connect(close_boxes)
    closer.start(50)
    try:
        ctx, dlg, built = launch_app()
        qtbot.waitUntil(lambda: bool(built), timeout=10000)
        assert ctx.store is None and ctx.store_error is not None
        qtbot.waitUntil(lambda: "数据库" in dlg.form.message.text(), timeout=5000)
        assert not dlg.ok.isEnabled()
        qtbot.waitUntil(lambda: bool(boxes), timeout=5000)
        assert "数据库文件无法打开" in boxes[0], boxes
    finally:
        closer.stop()

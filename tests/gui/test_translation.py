"""Every static Chinese text on the main screens goes through Qt's translator: with a generated
pseudo-translation (each string prefixed with ‹) loaded, no label, button, group title, action,
tab or window title may show Chinese without the prefix."""
from __future__ import annotations

import re
import shutil
import sys
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")
MARK = "‹"


@pytest.fixture
def pseudo_translator(tmp_path):
    from PySide6.QtCore import QTranslator
    from PySide6.QtWidgets import QApplication

    # The venv's own tool first: CI runs .venv/bin/python without putting .venv/bin on PATH.
    beside = Path(sys.executable).with_name("pyside6-lrelease")
    lrelease = str(beside) if beside.exists() else shutil.which("pyside6-lrelease")
    if not lrelease:
        pytest.skip(reason="pyside6-lrelease not found: cannot build the pseudo-translation")
    tree = ET.parse(ROOT / "resources" / "translations" / "houshi_desk_mn.ts")
    for msg in tree.getroot().iter("message"):
        tr = msg.find("translation")
        tr.text = MARK + (msg.find("source").text or "")
        tr.attrib.pop("type", None)
    ts = tmp_path / "pseudo.ts"
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    qm = tmp_path / "pseudo.qm"
    subprocess.run([lrelease, str(ts), "-qm", str(qm)], check=True, capture_output=True)
    t = QTranslator()
    assert t.load(str(qm))
    app = QApplication.instance()
    app.installTranslator(t)
    yield t
    app.removeTranslator(t)


def untranslated(widget) -> list[str]:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QTabWidget, QTableWidget

    texts = []
    for w in [widget, *widget.findChildren(object)]:
        if isinstance(w, QLabel) and w.objectName() not in ("office",):
            texts.append(w.text())
        elif isinstance(w, QAbstractButton):
            texts.append(w.text())
        elif isinstance(w, QGroupBox):
            texts.append(w.title())
        elif isinstance(w, QAction):
            texts.append(w.text())
        elif isinstance(w, QTabWidget):
            texts += [w.tabText(i) for i in range(w.count())]
        elif isinstance(w, QTableWidget):
            texts += [w.horizontalHeaderItem(i).text() for i in range(w.columnCount()) if w.horizontalHeaderItem(i)]
    if hasattr(widget, "windowTitle"):
        texts.append(widget.windowTitle())
    return [t for t in texts if CJK.search(t) and MARK not in t]


def test_static_text_of_the_main_screens_is_translated(qtbot, pseudo_translator, settings, gui_store):
    from houshi_desk.gui.app import start
    from houshi_desk.gui.bridges import CardBridge
    from houshi_desk.gui.login import LoginDialog
    from houshi_desk.gui.new_case import NewCaseDialog
    from houshi_desk.gui.outbox_view import OutboxDialog
    from houshi_desk.gui.supervisor_view import SupervisorDialog
    from tests.gui.conftest import make_ctx

    ctx = make_ctx(settings, gui_store, card=CardBridge(None), user="boss1")
    window = start(ctx, login=False)
    qtbot.addWidget(window)
    window.close_confirm = lambda pending: True
    bad = {}
    screens = {"main": window, "login": LoginDialog(ctx, window), "new case": NewCaseDialog(ctx, window),
               "outbox": OutboxDialog(ctx, window), "supervisor": SupervisorDialog(ctx, window)}
    for name, w in screens.items():
        found = untranslated(w)
        if found:
            bad[name] = found
    ctx.sync.stop()
    assert not bad, f"Chinese text not going through the translator: {bad}"

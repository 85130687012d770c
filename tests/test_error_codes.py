"""Translatable core errors (issue 13): every error class below the window carries a stable, unique
code, every code is listed in the translation catalogue (context "errors"), and the window shows a
translation by code with the error's params filled in (the Chinese sentence when there is none)."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from houshi_desk.errors import HoushiError, error_classes

ROOT = Path(__file__).resolve().parents[1]


def test_every_core_error_has_a_unique_code():
    classes = error_classes()
    assert len(classes) > 40
    codes = [c.code for c in classes]
    assert all(codes) and len(codes) == len(set(codes))
    assert any(c.code == "services.CaseError" for c in classes)


def test_every_code_is_in_the_translation_catalogue():
    tree = ET.parse(ROOT / "resources" / "translations" / "houshi_desk_mn.ts")
    listed = {m.find("source").text for ctx in tree.getroot().iter("context")
              if ctx.find("name").text == "errors" for m in ctx.iter("message")}
    missing = sorted(c.code for c in error_classes() if c.code not in listed)
    assert not missing, f"regenerate the catalogue (resources/translations/README.md): {missing[:10]}"


def test_the_window_translates_an_error_by_its_code(qtbot):
    from PySide6.QtCore import QCoreApplication, QTranslator

    from houshi_desk.gui.ops import error_text
    from houshi_desk.services.cases import CaseError

    class Mongolian(QTranslator):
        def translate(self, context, source, disambiguation=None, n=-1):
            if context == "errors" and source == "services.CaseError":
                return "ᠬᠡᠷᠡᠭ {number}"
            return None  # no translation (a null string to Qt)

    err = CaseError("案件 150702-W01-20260123-0001 不存在。", params={"number": "150702-W01-20260123-0001"})
    assert error_text(err) == str(err)  # the Chinese UI: the core's sentence
    t = Mongolian()
    QCoreApplication.installTranslator(t)
    try:
        assert error_text(err) == "ᠬᠡᠷᠡᠭ 150702-W01-20260123-0001"
        plain = HoushiError("x")
        assert error_text(plain) == "x"
    finally:
        QCoreApplication.removeTranslator(t)

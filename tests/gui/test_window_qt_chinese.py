"""Issue 16 item 5: Qt's standard dialogs (message box buttons, the file dialog) speak Chinese in
the Chinese window — Qt's own qtbase_zh_CN catalogue from the PySide6 install is loaded, also on a
machine whose locale is English."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QLabel, QMessageBox


@pytest.fixture
def english_machine(monkeypatch):
    from houshi_desk.gui.app import _install_translations

    monkeypatch.delenv("HOUSHI_DESK_LANG", raising=False)
    app = QApplication.instance()
    _install_translations(app, QLocale("en_US"), QTranslator)
    yield app
    for name in ("_houshi_qt_translator", "_houshi_qt_gaps"):
        t = getattr(app, name, None)
        if t is not None:
            app.removeTranslator(t)
            setattr(app, name, None)


def test_message_box_and_file_dialog_are_chinese(qtbot, english_machine):
    box = QMessageBox(QMessageBox.Icon.Question, "放弃录入？", "确定放弃吗？",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    qtbot.addWidget(box)
    yes = box.button(QMessageBox.StandardButton.Yes).text()
    no = box.button(QMessageBox.StandardButton.No).text()
    assert "是" in yes and "Yes" not in yes, yes
    assert "否" in no and "No" not in no, no
    bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(bb)
    assert "取消" in bb.button(QDialogButtonBox.StandardButton.Cancel).text()

    dlg = QFileDialog(None, "导入材料")
    dlg.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    qtbot.addWidget(dlg)
    labels = " ".join(w.text() for w in dlg.findChildren(QLabel))
    assert "Look in" not in labels and "File name" not in labels, labels
    assert "查找范围" in labels and "文件名" in labels and "文件类型" in labels, labels

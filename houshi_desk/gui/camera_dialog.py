"""The 高拍仪 (document camera) window of the materials step: live preview, Space to take a page,
Enter when done. Each frame is auto-cropped to the paper by ``gui/camera.py`` (the scanning
pipeline's crop); pages go back to the materials step, which processes and attaches them like
scanned pages. Without a camera the clerk gets one sentence and the file import stays available.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout

log = logging.getLogger(__name__)


class CameraDialog(QDialog):
    def __init__(self, source, material_name: str, parent=None):
        super().__init__(parent)
        self.source = source
        self.pages: list = []  # ScannedPage, auto-cropped
        self.setWindowTitle(self.tr("高拍仪拍摄：{0}").format(material_name))
        self.resize(900, 620)
        lay = QVBoxLayout(self)
        body = QHBoxLayout()
        self.preview = None
        try:
            from PySide6.QtMultimediaWidgets import QVideoWidget

            self.preview = QVideoWidget(self)
            self.preview.setMinimumSize(560, 420)
            body.addWidget(self.preview, 3)
        except ImportError as exc:  # QtMultimediaWidgets missing: capture still works, no live picture
            log.warning("no live preview: %s", exc)
            body.addWidget(QLabel(self.tr("（无法显示实时画面，仍可拍摄）")), 3)
        self.list = QListWidget(self)
        body.addWidget(self.list, 1)
        lay.addLayout(body, 1)
        self.status = QLabel(self.tr("把材料放在高拍仪下，按空格拍摄一页；拍完按 Enter。"))
        lay.addWidget(self.status)
        buttons = QHBoxLayout()
        self.take_button = QPushButton(self.tr("拍摄(空格)"))
        self.take_button.clicked.connect(self.take)
        self.done_button = QPushButton(self.tr("完成(Enter)"))
        self.done_button.setDefault(True)
        self.done_button.clicked.connect(self.accept)
        self.retake_button = QPushButton(self.tr("重拍上一页(R)"))
        self.retake_button.clicked.connect(self.retake)
        self.retake_button.setEnabled(False)
        cancel = QPushButton(self.tr("取消(Esc)"))
        cancel.clicked.connect(self.reject)
        for b in (self.take_button, self.retake_button, self.done_button, cancel):
            buttons.addWidget(b)
        lay.addLayout(buttons)
        QShortcut(QKeySequence(Qt.Key.Key_Space), self, activated=self.take)
        self.retake_shortcut = QShortcut(QKeySequence(Qt.Key.Key_R), self, activated=self.retake)
        source.captured.connect(self._add)
        source.failed.connect(self._failed)

    def start_preview(self) -> None:
        """Open the camera (raises DeviceNotFound with the clerk's sentence when there is none)."""
        if self.preview is not None:
            self.source.set_preview(self.preview)
        else:
            self.source._open()

    def take(self) -> None:
        self.take_button.setEnabled(False)
        self.status.setText(self.tr("正在拍摄…"))
        try:
            self.source.capture.capture()
        finally:
            self.take_button.setEnabled(True)

    def take_frame(self, frame) -> None:
        """A frame from elsewhere (tests, a camera SDK): crop it like a captured one."""
        self._add(self.source.page_from_frame(frame))

    def _add(self, page) -> None:
        from houshi_desk.scanning.quality import check_page

        self.pages.append(page)
        w, h = page.image.size
        q = check_page(page, "camera")  # the quality gate at once, so the clerk can retake while the paper lies there
        text = self.tr("第 {0} 页（{1}×{2}）").format(len(self.pages), w, h)
        if q.flags:
            text += self.tr(" — {0}").format(q.text())
        self.list.addItem(text)
        if q.flags:
            self.list.item(self.list.count() - 1).setForeground(Qt.GlobalColor.red)
            self.status.setText(self.tr("第 {0} 页未通过质量检查：{1}按 R 重拍这一页。").format(len(self.pages), q.text()))
        else:
            self.status.setText(self.tr("已拍 {0} 页。继续按空格拍下一页，或按 Enter 完成。").format(len(self.pages)))
        self.retake_button.setEnabled(True)

    def retake(self) -> None:
        """Drop the last page (e.g. the one the quality gate flagged) and take it again."""
        if not self.pages:
            return
        self.pages.pop()
        self.list.takeItem(self.list.count() - 1)
        self.retake_button.setEnabled(bool(self.pages))
        self.status.setText(self.tr("已删除上一页，请放好材料后按空格重拍。"))

    def _failed(self, message: str) -> None:
        self.status.setText(message)

    def done(self, result: int) -> None:
        try:
            self.source.close()
        finally:
            super().done(result)

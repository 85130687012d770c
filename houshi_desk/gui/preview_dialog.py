"""On-screen preview of a case's papers (``services.preview``): one tab per document, shown with QtPdf.
A draft case's pages carry 草稿; nothing here prints or keeps a copy."""
from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTabWidget, QVBoxLayout

from houshi_desk.gui.data_strings import data_tr
from houshi_desk.gui.widgets import fit_initial


class PreviewDialog(QDialog):
    def __init__(self, number: str, previews, parent=None):
        super().__init__(parent)
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView

        self.setObjectName("PreviewDialog")
        self.previews = list(previews)
        draft = any(p.draft for p in self.previews)
        self.setWindowTitle((self.tr("预览草稿 — {0}") if draft else self.tr("预览文书 — {0}")).format(number))
        lay = QVBoxLayout(self)
        note = QLabel(self.tr("案件尚未受理：以下文书标有“草稿”，仅供与家属核对，不能作为受理凭证。") if draft
                      else self.tr("仅供核对；打印请在“打印”页进行。"))
        note.setWordWrap(True)
        lay.addWidget(note)
        self.tabs = QTabWidget()
        lay.addWidget(self.tabs, 1)
        self._keep = []  # the buffers and documents must live as long as their views
        for p in self.previews:
            raw = QByteArray(p.pdf)
            buf = QBuffer(raw)
            buf.open(QIODevice.OpenModeFlag.ReadOnly)
            doc = QPdfDocument(self)
            doc.load(buf)
            view = QPdfView()
            view.setPageMode(QPdfView.PageMode.MultiPage)
            view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            view.setDocument(doc)
            self._keep.append((raw, buf, doc))
            self.tabs.addTab(view, data_tr("documents", p.label))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        fit_initial(self, 820, 900)

    def done(self, result: int) -> None:
        for _raw, buf, doc in self._keep:
            doc.close()
            buf.close()
        super().done(result)

"""Printing a rendered PDF through Qt: QtPdf renders each page, QPainter paints it onto a QPrinter.

Why pages as images: the printer (a hall's laser printer or an 80 mm roll printer, any driver)
then gets exactly what the PDF shows, fonts included; we render at the printer's resolution capped
at 300 dpi (a 1200 dpi A4 page would be a 0.5 GB image), which keeps the barcode crisp.

``QtSender().send(pdf_path, printer, paper, title)`` raises ``PrintError`` (Chinese message, PDF
kept) when the printer is not there, CUPS says it is disabled or rejecting jobs, or Qt reports an
error. The non-Qt parts (where PDFs go, remembered printers, the print log) are in
``houshi_desk.documents.printjobs``.
"""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from houshi_desk.documents.printjobs import PrintError, cups_queue_problem

log = logging.getLogger(__name__)

MAX_DPI = 300


def ensure_app():
    """The Qt application, created for printing from the command line if there is none (offscreen
    when there is no display). A QApplication, not just a QGuiApplication, so that windows opened
    later in the same process (the GUI, pytest-qt) still work."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QApplication([sys.argv[0] if sys.argv else "houshi-desk"])
    return app


def available_printers() -> list[str]:
    ensure_app()
    from PySide6.QtPrintSupport import QPrinterInfo

    return list(QPrinterInfo.availablePrinterNames())


def default_printer() -> str:
    ensure_app()
    from PySide6.QtPrintSupport import QPrinterInfo

    return QPrinterInfo.defaultPrinterName()


class QtSender:
    name = "qt"

    def send(self, pdf_path: str | Path, printer: str, paper: str, title: str) -> None:
        ensure_app()
        from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF, Qt
        from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

        if printer not in QPrinterInfo.availablePrinterNames():
            raise PrintError(f"找不到打印机“{printer}”，它可能已断开、关机或被删除。", pdf_path=pdf_path,
                             hint="PDF 已保存；请检查打印机连接后重试，或选择其他打印机")
        problem = cups_queue_problem(printer)
        if problem:
            raise PrintError(problem, pdf_path=pdf_path)

        doc = QPdfDocument()
        status = doc.load(str(pdf_path))
        if status != QPdfDocument.Error.None_ or doc.pageCount() < 1:
            raise PrintError(f"要打印的 PDF 无法打开（{status.name}）：{pdf_path}", pdf_path=pdf_path,
                             hint="请重新生成该文书后再打印")

        qp = QPrinter(QPrinterInfo.printerInfo(printer), QPrinter.PrinterMode.HighResolution)
        qp.setDocName(title)
        qp.setFullPage(True)
        qp.setColorMode(QPrinter.ColorMode.GrayScale)

        def layout_for(i: int) -> QPageLayout:
            pt = doc.pagePointSize(i)
            size = QPageSize(QSizeF(pt.width(), pt.height()), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
            return QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0))

        qp.setPageLayout(layout_for(0))
        painter = QPainter()
        if not painter.begin(qp):
            raise PrintError(f"打印机“{printer}”无法开始打印。", pdf_path=pdf_path)
        try:
            for i in range(doc.pageCount()):
                if i:
                    qp.setPageLayout(layout_for(i))
                    if not qp.newPage():
                        raise PrintError(f"打印机“{printer}”在第 {i + 1} 页出错。", pdf_path=pdf_path)
                pt = doc.pagePointSize(i)
                dpi = min(qp.resolution(), MAX_DPI)
                px = QSize(round(pt.width() / 72 * dpi), round(pt.height() / 72 * dpi))
                image = QImage(px, QImage.Format.Format_RGB32)
                image.fill(QColor(Qt.GlobalColor.white))
                page = doc.render(i, px)
                p2 = QPainter(image)
                p2.drawImage(0, 0, page)
                p2.end()
                target = qp.paperRect(QPrinter.Unit.DevicePixel)
                painter.drawImage(QRectF(0, 0, target.width(), target.height()), image)
        except PrintError:
            painter.end()
            raise
        if not painter.end() or qp.printerState() == QPrinter.PrinterState.Error:
            raise PrintError(f"打印机“{printer}”报告打印出错。", pdf_path=pdf_path)
        log.info("sent %s (%d page(s)) to %s", Path(pdf_path).name, doc.pageCount(), printer)

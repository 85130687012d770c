"""Sending a PDF to a printer in a separate process.

Why a process: PySide6 keeps Python's GIL held during its C++ calls, so rasterising a page with
QtPdf and painting it onto a QPrinter in a worker *thread* still freezes the window for hundreds of
milliseconds per page. A child process has its own interpreter; a printer driver that crashes takes
only the child down. ``python -m houshi_desk.gui.print_worker PDF PRINTER PAPER TITLE`` exits 0 when
sent, 3 with the Chinese reason on stdout (JSON) when the printer refused.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


class SubprocessSender:
    name = "qt-process"

    def __init__(self, timeout: float = 180.0):
        self.timeout = timeout

    def send(self, pdf_path, printer: str, paper: str, title: str) -> None:
        from PySide6.QtCore import QCoreApplication

        from houshi_desk.documents.printjobs import PrintError

        env = {**os.environ}
        if sys.platform.startswith("linux") and not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
            env.setdefault("QT_QPA_PLATFORM", "offscreen")
        try:
            p = subprocess.run([*worker_command(), str(pdf_path), printer, paper, title],
                               capture_output=True, text=True, timeout=self.timeout, env=env)
        except subprocess.TimeoutExpired:
            raise PrintError(QCoreApplication.translate("print_worker", "打印机“{0}”长时间没有响应。").format(printer), pdf_path=pdf_path) from None
        if p.returncode == 0:
            return
        try:
            info = json.loads(p.stdout.strip().splitlines()[-1])
            raise PrintError(info["message"], pdf_path=pdf_path, hint=info.get("hint") or None)
        except (ValueError, KeyError, IndexError):
            raise PrintError(QCoreApplication.translate("print_worker", "打印程序意外退出（代码 {0}）。").format(p.returncode), pdf_path=pdf_path,
                             detail=p.stderr[-2000:]) from None


def worker_command() -> list[str]:
    """How to start the print child: ``python -m`` from source; the frozen executable's own
    ``_print-worker`` entry (packaging/pyinstaller/entry.py) in a frozen build — the same child process
    either way, never the window's own."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "_print-worker"]
    return [sys.executable, "-m", "houshi_desk.gui.print_worker"]


def main(argv: list[str]) -> int:
    from houshi_desk.documents.printjobs import PrintError
    from houshi_desk.gui.printing import QtSender

    pdf, printer, paper, title = argv
    try:
        QtSender().send(Path(pdf), printer, paper, title)
    except PrintError as exc:
        print(json.dumps({"message": exc.message, "hint": exc.hint or ""}, ensure_ascii=False))
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

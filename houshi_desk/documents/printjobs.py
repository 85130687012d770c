"""Sending a rendered PDF to a printer, without Qt: where PDFs are kept, which printer and paper
each document kind uses (remembered in ``printers.toml`` beside the settings file), the CUPS
queue check, the ``lp`` fallback sender, and ``print_pdf`` which sends and logs truthfully.

The Qt sender (QtPdf pages painted onto a ``QPrinter``) is ``houshi_desk.gui.printing.QtSender``;
both implement ``send(pdf_path, printer, paper, title)`` and raise ``PrintError``.

Kept copies carry names and full ID numbers: by default a document's PDF is kept encrypted in the
file store like the scans (logged as ``filestore:<sha256>``), and a printer is sent a private
temporary file that is deleted afterwards. Only where the user asks (``--pdf OUT`` or
``printing.output_dir``) is a plain PDF written, with mode 0600.
"""
from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import tempfile
import tomllib
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from houshi_desk.errors import HoushiError

log = logging.getLogger(__name__)

DEFAULT_PAPER = {"receipt-roll": "80mm"}  # everything else: A4


class PrintError(HoushiError):
    """The job did not print. ``pdf_path`` (kept) lets the clerk retry or print it elsewhere."""

    def __init__(self, message: str, *, pdf_path: str | Path | None = None, hint: str | None = None,
                 detail: str | None = None):
        super().__init__(message, hint=hint or "PDF 已保存，可检查打印机后重新打印，或换一台打印机", detail=detail)
        self.pdf_path = str(pdf_path) if pdf_path else None


# ---------------------------------------------------------------------------------------------- files

def documents_dir(settings) -> Path:
    configured = settings.printing_output_dir
    d = Path(configured).expanduser() if configured else settings.paths.documents_dir
    d.mkdir(parents=True, exist_ok=True, mode=0o700)  # a new folder: only this user may look in
    return d


def pdf_name(case_number: str, kind: str, at: datetime | None = None) -> str:
    at = at or datetime.now()
    safe = re.sub(r"[^A-Za-z0-9-]", "_", case_number or "draft")
    return f"{safe}_{kind}_{at:%Y%m%d-%H%M%S-%f}.pdf"


def save_pdf(settings, case_number: str, kind: str, pdf: bytes, path: str | Path | None = None) -> Path:
    """Write the PDF (atomically, mode 0600) to ``path`` or the documents folder; returns where it is."""
    target = Path(path) if path else documents_dir(settings) / pdf_name(case_number, kind)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(target.suffix + ".tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(pdf)
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except OSError as exc:
        raise HoushiError(f"PDF 无法保存到 {target}：{exc.strerror or exc}。",
                          hint="请检查目录是否存在、是否有写入权限，或用 --pdf 指定其他位置") from None
    return target


FILESTORE_PREFIX = "filestore:"


def keep_pdf(settings, case_number: str, kind: str, pdf: bytes, path: str | Path | None = None) -> str:
    """Keep the document's PDF: plain (0600) at ``path`` or ``printing.output_dir`` when the user
    asked for a file there, else encrypted in the file store. Returns what the print log records:
    the plain path, or ``filestore:<sha256>``."""
    if path or settings.printing_output_dir:
        return str(save_pdf(settings, case_number, kind, pdf, path))
    from houshi_desk.scanning.filestore import FileStore

    return FILESTORE_PREFIX + FileStore.for_settings(settings).put(pdf)


def kept_bytes(settings, ref: str) -> bytes:
    """The PDF a print-log ``pdf_path`` names (decrypted from the file store, or read from disk)."""
    if ref.startswith(FILESTORE_PREFIX):
        from houshi_desk.scanning.filestore import FileStore

        return FileStore.for_settings(settings).get(ref[len(FILESTORE_PREFIX):])
    return Path(ref).read_bytes()


def describe_kept(ref: str) -> str:
    if ref.startswith(FILESTORE_PREFIX):
        # the PC's data folder, or in hall mode the hall database: encrypted either way
        return f"程序的文件存储（加密保存，编号 {ref[len(FILESTORE_PREFIX):][:12]}）"
    return ref


@contextmanager
def plain_for_sending(pdf: bytes, name: str):
    """A private plain copy (0600, in a 0700 temp folder) for a printer sender; deleted afterwards."""
    folder = tempfile.mkdtemp(prefix="houshi-print-")
    path = Path(folder) / (re.sub(r"[^A-Za-z0-9_.-]", "_", name) or "document.pdf")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(pdf)
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------------------------------------- choices

@dataclass
class PrinterChoices:
    """Printer and paper remembered per document kind (``printers.toml`` in the config folder)."""

    path: Path

    @classmethod
    def for_settings(cls, settings) -> "PrinterChoices":
        return cls(settings.paths.config_file.parent / "printers.toml")

    def _read(self) -> dict:
        try:
            return tomllib.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            log.warning("printers.toml unreadable; printer choices start afresh")
            return {}

    def get(self, kind: str) -> tuple[str, str]:
        entry = self._read().get(kind, {})
        return entry.get("printer", ""), entry.get("paper", DEFAULT_PAPER.get(kind, "A4"))

    def remember(self, kind: str, printer: str, paper: str | None = None) -> None:
        import tomli_w

        data = self._read()
        data[kind] = {"printer": printer, "paper": paper or DEFAULT_PAPER.get(kind, "A4")}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_bytes(tomli_w.dumps(data).encode("utf-8"))
        os.replace(tmp, self.path)


# ---------------------------------------------------------------------------------------------- CUPS

def cups_queue_problem(printer: str) -> str | None:
    """A Chinese sentence if CUPS knows the queue is missing, disabled or rejecting jobs; None if
    it looks fine or CUPS cannot be asked (Windows, no lpstat)."""
    lpstat = shutil.which("lpstat")
    if not lpstat:
        return None
    try:
        p = subprocess.run([lpstat, "-p", printer, "-a", printer], capture_output=True, text=True, timeout=10,
                           env={**os.environ, "LC_ALL": "C", "LANG": "C"})
    except (OSError, subprocess.SubprocessError):
        return None
    out = (p.stdout + p.stderr).lower()
    if "invalid destination" in out or "unknown destination" in out or ("does not exist" in out):
        return f"打印机“{printer}”不存在或已被删除。"
    if "scheduler is not running" in out or "unable to connect" in out:
        return "打印服务（CUPS）没有运行，无法打印。"
    if "not accepting requests" in out:
        return f"打印机“{printer}”当前拒绝接收打印任务。"
    if " disabled " in out or "is disabled" in out or "disabled since" in out:
        return f"打印机“{printer}”已停用（暂停）。"
    if p.returncode != 0:
        return f"打印机“{printer}”不可用：{(p.stderr or p.stdout).strip()[:200]}"
    return None


class LpSender:
    """Sends the PDF with CUPS ``lp`` (used when Qt is not available)."""

    name = "lp"

    def send(self, pdf_path: str | Path, printer: str, paper: str, title: str) -> str:
        lp = shutil.which("lp")
        if not lp:
            raise PrintError("本机没有 lp 打印命令，也无法使用图形打印组件，不能直接打印。", pdf_path=pdf_path)
        problem = cups_queue_problem(printer)
        if problem:
            raise PrintError(problem, pdf_path=pdf_path)
        media = "A4" if paper.upper() == "A4" else "Custom.80x297mm" if paper == "80mm" else paper
        cmd = [lp, "-d", printer, "-t", title, "-o", f"media={media}", str(pdf_path)]
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=30,
                               env={**os.environ, "LC_ALL": "C", "LANG": "C"})
        except (OSError, subprocess.SubprocessError) as exc:
            raise PrintError(f"无法把文件交给打印机“{printer}”：{exc}", pdf_path=pdf_path) from None
        if p.returncode != 0:
            raise PrintError(f"打印机“{printer}”拒绝了打印任务：{(p.stderr or p.stdout).strip()[:200]}",
                             pdf_path=pdf_path)
        return p.stdout.strip()


def send_pdf(sender, pdf_path: str | Path, printer: str, paper: str, title: str) -> PrintError | None:
    """Hand the PDF to ``printer`` with the caller's ``sender`` (the window's child-process Qt printer,
    or CUPS ``lp``); the printer's problem is returned, not raised. Touches no database, so the caller
    holds no lock while a slow printer answers."""
    if sender is None:
        return PrintError("没有可用的打印方式，文书已保存未打印。", pdf_path=pdf_path)
    try:
        sender.send(pdf_path, printer, paper, title)
    except PrintError as exc:
        return exc
    return None


# ---------------------------------------------------------------------------------------------- one job

@dataclass
class PrintOutcome:
    status: str  # printed | failed | saved
    pdf_path: Path  # the plain file, or a ``filestore:<sha256>`` reference (see ``where``)
    printer: str
    reprint: bool
    error: str = ""
    failure: PrintError | None = None

    @property
    def where(self) -> str:
        """Where the kept copy is, for the clerk."""
        return describe_kept(str(self.pdf_path))


def print_pdf(session, case_row_or_id, kind: str, pdf_path: Path, *, user: str, printer: str = "", paper: str = "",
              sender=None, title: str = "", choices: PrinterChoices | None = None,
              kept: str | None = None) -> PrintOutcome:
    """Send ``pdf_path`` to ``printer`` (or just log the save when no printer) and log the truth.

    Never raises for a printer problem: it logs a failed row and returns ``status="failed"`` with
    the ``PrintError`` in ``.failure`` — raising here would roll the failed row back with the
    caller's transaction. The PDF stays where it is for a retry. ``kept`` is what the log records
    as the kept copy when ``pdf_path`` is only a temporary file for the sender."""
    from houshi_desk.documents import printlog

    paper = paper or DEFAULT_PAPER.get(kind, "A4")
    sent_path = Path(pdf_path)
    pdf = sent_path.read_bytes()
    if kept is not None:
        pdf_path = kept
    if not printer:
        row = printlog.record(session, case_row_or_id, kind, user, "", "saved", "", pdf_path, False,
                              paper=paper, pdf=pdf)
        return PrintOutcome("saved", Path(pdf_path), "", row.reprint)
    exc = send_pdf(sender, sent_path, printer, paper, title or Path(sent_path).stem)
    if exc is not None:
        exc.pdf_path = str(pdf_path)
        printlog.record(session, case_row_or_id, kind, user, printer, "failed", exc.message, pdf_path, False,
                        paper=paper, pdf=pdf)
        return PrintOutcome("failed", Path(pdf_path), printer, False, exc.message, exc)
    row = printlog.record(session, case_row_or_id, kind, user, printer, "printed", "", pdf_path, None,
                          paper=paper, pdf=pdf)
    if choices is not None:
        choices.remember(kind, printer, paper)
    return PrintOutcome("printed", Path(pdf_path), printer, row.reprint)



"""Rendering and printing a case's documents in the background: render (reportlab) → save the PDF
→ send it to the printer chosen for that kind (Qt sender) → log the truth in the print log.

With no printer chosen for a kind (the demo, or a PC without a printer) the PDF is saved and
logged as saved; a printer problem never loses the PDF (it is kept for a reprint).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from houshi_desk.gui.ops import retry_locked

log = logging.getLogger(__name__)


def tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("", text)  # lupdate's context for a bare tr("…")


@dataclass
class PrintedDocument:
    kind: str
    label: str
    pdf_path: Path | None
    status: str  # printed | saved | failed | skipped (an 一次告知单 with nothing left to bring)
    error: str = ""
    warnings: tuple[str, ...] = ()


def notice_has_items(case, *, catalog=None, office=None, today=None) -> bool:
    """Does the 一次告知单 list anything (a material still missing or 容缺 to bring later)?"""
    from houshi_desk.documents.base import make_context
    from houshi_desk.documents.notice import still_needed

    return bool(still_needed(make_context("notice", case, catalog=catalog, office=office, today=today)))


def documents_for(case) -> list[str]:
    """What the window prints at acceptance: 申请表, 承诺书, 委托书 when a proxy acts, 一次告知单, 受理回执."""
    kinds = ["application", "promise"]
    if case.proxy is not None:
        kinds.append("proxy")
    kinds += ["notice", "receipt"]
    return kinds


def with_clerk_name(session, case):
    """The case as the papers show it: 受理人 is the person's name (窗口一), not the login (clerk1)."""
    import dataclasses

    from houshi_desk.gui.names import clerk_names

    name = clerk_names(session).get(case.clerk or "")
    return dataclasses.replace(case, clerk=name) if name else case


def sender():
    """Printing runs in a child process so the window never waits on the GIL (see print_worker)."""
    from houshi_desk.gui.print_worker import SubprocessSender

    return SubprocessSender()


def print_case_documents(store, settings, number: str, kinds: list[str], *, user: str, today=None,
                         report=None, skip_empty_notice: bool | None = None) -> list[PrintedDocument]:
    """Runs on the writer thread (it writes the print log). ``report(done, total, text)`` shows progress.

    ``skip_empty_notice`` (default: when printing a set of documents, not one the clerk picked): an
    一次告知单 that would only say "nothing is missing" is not printed — a whole A4 page for nothing —
    and its entry says so (status ``skipped``); the clerk can still print it from the case."""
    from houshi_desk.documents import KIND_LABELS, render_document
    from houshi_desk.documents.base import Office
    from houshi_desk.documents.printjobs import PrinterChoices, save_pdf
    from houshi_desk.domain.catalog import load_catalog
    from houshi_desk.services.cases import case_from_row, get_case_row

    with store.session() as s:
        case = case_from_row(get_case_row(s, number))
        case = with_clerk_name(s, case)
    catalog = load_catalog(case.region)
    office = Office.from_settings(settings)
    choices = PrinterChoices.for_settings(settings)
    out: list[PrintedDocument] = []
    if skip_empty_notice is None:
        skip_empty_notice = len(kinds) > 1
    for i, kind in enumerate(kinds):
        from houshi_desk.gui.data_strings import data_tr

        label = data_tr("documents", KIND_LABELS.get(kind, kind))
        if kind == "notice" and skip_empty_notice and \
                not notice_has_items(case, catalog=catalog, office=office, today=today):
            out.append(PrintedDocument(kind, label, None, "skipped"))
            continue
        if report is not None:
            report(i, len(kinds), tr("正在生成并打印{0}（{1}/{2}）…").format(label, i + 1, len(kinds)))
        doc = render_document(kind, case, catalog=catalog, office=office, today=today)
        path = save_pdf(settings, number, kind, doc.pdf)
        printer, paper = choices.get(kind)
        if printer:  # send once, outside any transaction; only the log entry is retried
            outcome = _send_and_log(store, number, kind, path, user, printer, paper, f"{number} {label}")
        else:
            outcome = retry_locked(lambda: _log_saved(store, number, kind, path, user, paper))
        out.append(PrintedDocument(kind, label, path, outcome.status, outcome.error, tuple(doc.warnings)))
    if report is not None:
        report(len(kinds), len(kinds), "")
    return out


def _log_saved(store, number, kind, path, user, paper):
    from houshi_desk.documents.printjobs import print_pdf
    from houshi_desk.services.cases import get_case_row

    with store.session() as s:
        return print_pdf(s, get_case_row(s, number), kind, path, user=user, printer="", paper=paper)


def _send_and_log(store, number, kind, path, user, printer, paper, title):
    """print_pdf sends and logs in one go; a busy database must not print the page twice, so the
    sender is wrapped to send only on the first attempt and the log write is what is retried."""
    from houshi_desk.documents.printjobs import print_pdf
    from houshi_desk.services.cases import get_case_row

    real = sender()
    sent: dict = {}

    class OnceSender:
        name = real.name

        def send(self, *a):
            if "error" in sent:
                raise sent["error"]
            if not sent.get("ok"):
                try:
                    real.send(*a)
                except Exception as exc:
                    sent["error"] = exc
                    raise
                sent["ok"] = True

    def attempt():
        with store.session() as s:
            return print_pdf(s, get_case_row(s, number), kind, path, user=user, printer=printer, paper=paper,
                             title=title, sender=OnceSender())

    return retry_locked(attempt)


def outcome_summary(docs: list[PrintedDocument]) -> str:
    """One line for the main window: how many printed, saved, failed, and where the PDFs are."""
    printed = sum(d.status == "printed" for d in docs)
    saved = [d for d in docs if d.status == "saved"]
    failed = [d.label for d in docs if d.status == "failed"]
    skipped = [d.label for d in docs if d.status == "skipped"]
    parts = []
    if printed:
        parts.append(tr("已打印 {0} 份文书").format(printed))
    if saved:
        parts.append(tr("{0} 份文书已保存为 PDF（{1}）").format(len(saved), saved[0].pdf_path.parent))
    if failed:
        parts.append(tr("未能打印：{0}，可在案件中补打").format("、".join(failed)))
    if skipped:
        parts.append(tr("材料已齐，{0}无需打印").format("、".join(skipped)))
    return "；".join(parts)


def outcome_text(docs: list[PrintedDocument]) -> str:
    parts = []
    for d in docs:
        if d.status == "printed":
            parts.append(tr("{0}：已打印").format(d.label))
        elif d.status == "saved":
            parts.append(tr("{0}：已保存 PDF（{1}）").format(d.label, d.pdf_path.name))
        elif d.status == "skipped":
            parts.append(tr("{0}：材料已齐，没有需要补交的材料，未打印（需要时可在案件中补打）").format(d.label))
        else:
            parts.append(tr("{0}：打印失败（{1}），PDF 已保存，可在案件中补打").format(d.label, d.error))
        parts.extend(d.warnings)
    return "\n".join(parts)

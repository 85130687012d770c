"""Printing a case's documents from the window, in the background, through ``services.printing``:
render (reportlab) → keep the PDF (encrypted in the data folder) → send it to the printer chosen for
that kind (the Qt printer in a child process) → log the truth in the print log.

With no printer chosen for a kind (the demo, or a PC without a printer) the PDF is saved and
logged as saved; a printer problem never loses the PDF (it is kept for a reprint).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path


log = logging.getLogger(__name__)


def tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("", text)  # lupdate's context for a bare tr("…")


@dataclass
class PrintedDocument:
    kind: str
    label: str
    pdf_path: str | None  # the kept copy as the print log records it (``filestore:<sha256>`` or a plain path)
    status: str  # printed | saved | failed | skipped (an 一次告知单 with nothing left to bring)
    error: str = ""
    warnings: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        from houshi_desk.documents.printjobs import describe_kept

        return describe_kept(self.pdf_path) if self.pdf_path else ""


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


def sender():
    """Printing runs in a child process so the window never waits on the GIL (see print_worker)."""
    from houshi_desk.gui.print_worker import SubprocessSender

    return SubprocessSender()


def print_case_documents(store, settings, number: str, kinds: list[str], *, user, today=None,
                         report=None, skip_empty_notice: bool | None = None) -> list[PrintedDocument]:
    """The window's 打印: each kind through the one print workflow (``services.printing``), with the
    window's child-process Qt printer as the sender; no database lock is held while a document is
    rendered or a printer answers. ``user`` is the logged-in account. ``report(done, total, text)``
    shows progress.

    ``skip_empty_notice`` (default: when printing a set of documents, not one the clerk picked): an
    一次告知单 that would only say "nothing is missing" is not printed — a whole A4 page for nothing —
    and its entry says so (status ``skipped``); the clerk can still print it from the case."""
    from houshi_desk.documents import KIND_LABELS
    from houshi_desk.gui.data_strings import data_tr
    from houshi_desk.services.printing import print_document

    out: list[PrintedDocument] = []
    if skip_empty_notice is None:
        skip_empty_notice = len(kinds) > 1
    send = sender()
    for i, kind in enumerate(kinds):
        label = data_tr("documents", KIND_LABELS.get(kind, kind))
        if report is not None:
            report(i, len(kinds), tr("正在生成并打印{0}（{1}/{2}）…").format(label, i + 1, len(kinds)))
        # not retried as a whole: a retry after the printer took the page would print it twice
        doc, outcome = print_document(store, settings, number, kind, user=user, sender=send, today=today,
                                      skip_empty_notice=skip_empty_notice and kind == "notice")
        if outcome.status == "skipped":
            out.append(PrintedDocument(kind, label, None, "skipped"))
            continue
        out.append(PrintedDocument(kind, label, str(outcome.pdf_path), outcome.status, outcome.error,
                                   tuple(doc.warnings)))
    if report is not None:
        report(len(kinds), len(kinds), "")
    return out


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
        parts.append(tr("{0} 份文书已保存为 PDF（{1}）").format(len(saved), saved[0].where))
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
            parts.append(tr("{0}：已保存 PDF（{1}）").format(d.label, d.where))
        elif d.status == "skipped":
            parts.append(tr("{0}：材料已齐，没有需要补交的材料，未打印（需要时可在案件中补打）").format(d.label))
        else:
            parts.append(tr("{0}：打印失败（{1}），PDF 已保存，可在案件中补打").format(d.label, d.error))
        parts.extend(d.warnings)
    return "\n".join(parts)

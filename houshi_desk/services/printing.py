"""Print a case's document: the one print workflow behind the window's 打印 buttons and ``houshi-desk print``.

The front-end chooses how pages reach a printer (``sender``: the window's child-process Qt printer,
CUPS ``lp`` on the command line) and passes it in; this module never picks one, so nothing below the
front-ends imports Qt. No database lock is held while the document is rendered or the printer is
talked to: a short write transaction records the look at the case (audited), then rendering, keeping
the PDF and sending happen outside any transaction, then a second short one writes the print log.

Permissions are checked here: 打印文书 for the acting account, and the case must belong to the
account's office and the terminal's region. 受理回执 and 办结通知书 exist only for a case that was
accepted (not a draft).
"""
from __future__ import annotations

import dataclasses
import logging
from datetime import date
from pathlib import Path

from houshi_desk.domain.case import CaseStatus
from houshi_desk.errors import HoushiError
from houshi_desk.users.roles import Permission
from houshi_desk.users.sessions import require

log = logging.getLogger(__name__)

ACCEPTED_ONLY = ("receipt", "receipt-roll", "completion")


class PrintRefused(HoushiError):
    """This document cannot be printed for this case as it is now."""


def _display_name(session, username: str) -> str:
    from houshi_desk.users.accounts import get_row

    try:
        row = get_row(session, username)
    except HoushiError:
        return username
    return row.display_name or username


def print_document(store, settings, number: str, kind: str, *, user, sender=None, printer: str | None = None,
                   paper: str = "", pdf_path: str | Path | None = None, today: date | None = None,
                   skip_empty_notice: bool = False):
    """Render, keep and print one document of a case; returns (RenderedDocument, PrintOutcome).

    ``printer``: ``None`` = the one remembered for this kind, ``""`` = keep the PDF only. A printer
    problem is ``outcome.status == "failed"`` with ``outcome.failure`` (logged, the PDF kept for
    ``retry``); it is not raised. ``skip_empty_notice``: an 一次告知单 that would list nothing is not
    made (status ``skipped``, no document) — the window's acceptance set asks for that."""
    from houshi_desk.documents import KIND_LABELS, Office, render_document
    from houshi_desk.documents import printlog
    from houshi_desk.documents.printjobs import (PrinterChoices, PrintOutcome, describe_kept, keep_pdf, pdf_name,
                                                 plain_for_sending, send_pdf)
    from houshi_desk.services.cases import get_case_row, load_case
    from houshi_desk.users.scope import check_case_access

    acting = require(user, Permission.CASE_PRINT)
    label = KIND_LABELS.get(kind, kind)
    with store.session(write=True) as s:  # short: the look at the case is audited
        row = get_case_row(s, number, region=settings.office_region)
        check_case_access(acting, row)
        case = load_case(s, row.number, actor=acting.username, reason=f"打印{label}")
        case = dataclasses.replace(case, clerk=_display_name(s, case.clerk)) if case.clerk else case
        case_id = row.id
    if kind in ACCEPTED_ONLY and case.status is CaseStatus.DRAFT:
        raise PrintRefused(f"案件 {case.number} 尚未受理（录入中），不能打印{label}。",
                           hint="请先提交受理；申请表、承诺书、一次告知单可先打印核对")
    if kind == "notice" and skip_empty_notice:
        from houshi_desk.documents.base import make_context
        from houshi_desk.documents.notice import still_needed

        if not still_needed(make_context("notice", case, office=Office.from_settings(settings), today=today)):
            return None, PrintOutcome("skipped", Path(""), "", False)
    choices = PrinterChoices.for_settings(settings)
    remembered_printer, remembered_paper = choices.get(kind)
    printer = remembered_printer if printer is None else printer
    paper = paper or remembered_paper
    doc = render_document(kind, case, office=Office.from_settings(settings), today=today)  # no lock held
    ref = keep_pdf(settings, case.number, kind, doc.pdf, pdf_path)
    status, failure = "saved", None
    if printer:
        if sender is None:
            raise PrintRefused("没有可用的打印方式，文书已保存未打印。", hint=f"PDF：{describe_kept(ref)}")
        with plain_for_sending(doc.pdf, pdf_name(case.number, kind)) as tmp:
            failure = send_pdf(sender, tmp, printer, paper, f"{case.number}-{kind}")
        status = "failed" if failure else "printed"
        if failure:
            failure.pdf_path = ref
    with store.session(write=True) as s:  # short: the print log
        entry = printlog.record(s, case_id, kind, acting.username, printer or "", status,
                                failure.message if failure else "", ref, None if status == "printed" else False,
                                paper=paper, pdf=doc.pdf)
        reprint = entry.reprint
    if status == "printed":
        choices.remember(kind, printer, paper)
    log.info("%s %s: %s", case.number, kind, status)
    return doc, PrintOutcome(status, Path(ref), printer or "", reprint, failure.message if failure else "", failure)


def retry_print(store, settings, number: str, kind: str, *, user, sender, printer: str = ""):
    """Send again the kept PDF of the last attempt of ``kind`` for a case, if that attempt failed; the
    same three steps (read, send with no lock held, log). Returns the PrintOutcome."""
    from sqlalchemy import select

    from houshi_desk.documents import printlog
    from houshi_desk.documents.printjobs import PrintOutcome, kept_bytes, pdf_name, plain_for_sending, send_pdf
    from houshi_desk.services.cases import get_case_row
    from houshi_desk.store.models import PrintLogRow
    from houshi_desk.users.scope import check_case_access

    acting = require(user, Permission.CASE_PRINT)
    with store.session() as s:
        row = get_case_row(s, number, region=settings.office_region)
        check_case_access(acting, row)
        last = s.execute(select(PrintLogRow).where(PrintLogRow.case_id == row.id, PrintLogRow.kind == kind)
                         .order_by(PrintLogRow.id.desc()).limit(1)).scalar_one_or_none()
        if last is None or last.status != "failed":
            raise PrintRefused("这份文书没有失败待重试的打印。", hint="直接重新打印即可")
        case_id, case_number, ref, paper = row.id, row.number, last.pdf_path or "", last.paper
        printer = printer or last.printer
    try:
        pdf = kept_bytes(settings, ref)
    except HoushiError as exc:
        raise PrintRefused(f"上次打印失败时保存的 PDF 无法取出：{exc.message}",
                           hint="请直接重新打印（会重新生成文书）") from exc
    except OSError:
        raise PrintRefused(f"上次打印失败时保存的 PDF 已不在：{ref}。", hint="请直接重新打印（会重新生成文书）") from None
    with plain_for_sending(pdf, pdf_name(case_number, kind)) as tmp:
        failure = send_pdf(sender, tmp, printer, paper, f"{case_number}-{kind}")
    status = "failed" if failure else "printed"
    with store.session(write=True) as s:
        entry = printlog.record(s, case_id, kind, acting.username, printer, status,
                                failure.message if failure else "", ref, None if status == "printed" else False,
                                paper=paper, pdf=pdf)
        reprint = entry.reprint
    return PrintOutcome(status, Path(ref), printer, reprint, failure.message if failure else "", failure)

"""The print log: every print or PDF save of a document, true to what happened.

A reprint (补打) is a print of a kind that already has an earlier successful print for the same
case; a failed attempt is logged as failed with its error, so the log never claims a print that
did not come out.
"""
from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from houshi_desk.store.models import CaseRow, PrintLogRow

STATUSES = ("printed", "failed", "saved")


def _case_id(case_row_or_id) -> int | None:
    if case_row_or_id is None:
        return None
    if isinstance(case_row_or_id, CaseRow):
        return case_row_or_id.id
    return int(case_row_or_id)


def earlier_print(session: Session, case_id: int | None, kind: str) -> bool:
    """True when ``kind`` was already printed successfully for the case (so the next one is 补打)."""
    if case_id is None:
        return False
    found = session.execute(
        select(PrintLogRow.id).where(PrintLogRow.case_id == case_id, PrintLogRow.kind == kind,
                                     PrintLogRow.status == "printed").limit(1)
    ).first()
    return found is not None


def record(session: Session, case_row_or_id, kind: str, user: str, printer: str, status: str, error: str = "",
           pdf_path: str | Path = "", reprint: bool | None = None, *, paper: str = "", copies: int = 1,
           pdf: bytes | None = None, at: datetime | None = None) -> PrintLogRow:
    """Add one print-log row (the caller's transaction commits it). ``reprint=None`` works it out."""
    if status not in STATUSES:
        raise ValueError(f"print status must be one of {STATUSES}: {status!r}")
    case_id = _case_id(case_row_or_id)
    if reprint is None:
        reprint = status == "printed" and earlier_print(session, case_id, kind)
    sha = ""
    if pdf is not None:
        sha = hashlib.sha256(pdf).hexdigest()
    elif pdf_path and Path(pdf_path).is_file():
        sha = hashlib.sha256(Path(pdf_path).read_bytes()).hexdigest()
    row = PrintLogRow(case_id=case_id, kind=kind, at=at or datetime.now(), user=user or "", printer=printer or "",
                      paper=paper, copies=copies, reprint=bool(reprint), status=status, error=error or "",
                      pdf_path=str(pdf_path or ""), pdf_sha256=sha)
    session.add(row)
    session.flush()
    if case_id is not None:
        _audit_print(session, case_id, row)
    return row


def _audit_print(session: Session, case_id: int, row: PrintLogRow) -> None:
    """Every print, save and failed print of a case document goes into the audit trail too."""
    from houshi_desk import audit

    number = session.get(CaseRow, case_id).number
    action = {"printed": "reprint" if row.reprint else "print", "saved": "export", "failed": "print_failed"}[row.status]
    where = f"打印机 {row.printer}" if row.printer else "保存为 PDF"
    audit.record(session, actor=row.user or "", action=action, case_number=number,
                 detail=f"{row.kind}；{where}" + (f"；失败：{row.error}" if row.error else ""))


def history(session: Session, case_row_or_id, kind: str | None = None) -> list[PrintLogRow]:
    q = select(PrintLogRow).where(PrintLogRow.case_id == _case_id(case_row_or_id))
    if kind:
        q = q.where(PrintLogRow.kind == kind)
    return list(session.execute(q.order_by(PrintLogRow.id)).scalars())

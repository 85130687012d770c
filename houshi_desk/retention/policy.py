"""Finding the cases past their retention period and anonymising them (see the package doc)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, selectinload

from houshi_desk import audit
from houshi_desk.domain.identity import mask_id_number
from houshi_desk.errors import HoushiError
from houshi_desk.store.models import CaseMaterialRow, CaseMatterRow, CaseRow, MaterialFileRow, PrintLogRow

REMOVED = "（已删除）"
KEEP_DEATH_KEYS = ("kind", "disposal")


class RetentionError(HoushiError):
    pass


@dataclass(frozen=True)
class Candidate:
    case_number: str
    status: str
    ended: date  # closed (or cancelled) on
    deceased: str  # masked ID number
    pages: int  # stored page files
    documents: int  # saved PDFs of printed documents


@dataclass
class RetentionResult:
    dry_run: bool
    years: int
    cutoff: date
    cases: list[Candidate] = field(default_factory=list)
    files_deleted: int = 0
    documents_deleted: int = 0

    @property
    def count(self) -> int:
        return len(self.cases)


def cutoff_date(today: date, years: int) -> date:
    if years < 1:
        raise RetentionError(f"保存年限必须至少为 1 年（当前设置 retention.years = {years}）。请由管理员改正设置。")
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _due(cutoff: date):
    limit = datetime.combine(cutoff, time.min)
    return and_(
        CaseRow.anonymised.is_(False),
        or_(and_(CaseRow.status == "closed", CaseRow.closed_at.is_not(None), CaseRow.closed_at < limit),
            and_(CaseRow.status == "cancelled", CaseRow.updated_at < limit)),
    )


def candidates(session: Session, today: date, years: int) -> list[Candidate]:
    cutoff = cutoff_date(today, years)
    rows = session.execute(
        select(CaseRow).where(_due(cutoff)).order_by(CaseRow.closed_at, CaseRow.number)
        .options(selectinload(CaseRow.parties), selectinload(CaseRow.materials).selectinload(CaseMaterialRow.files))
    ).scalars().all()
    out = []
    for row in rows:
        docs = session.execute(select(PrintLogRow.id).where(PrintLogRow.case_id == row.id, PrintLogRow.pdf_path != "")).all()
        dec = row.party("deceased")
        ended = (row.closed_at or row.updated_at).date()
        out.append(Candidate(row.number, row.status, ended, mask_id_number(dec.id_number) if dec else "",
                             sum(len(m.files) for m in row.materials), len(docs)))
    return out


def _anonymise(session: Session, row: CaseRow) -> tuple[set[str], list[str]]:
    """Blank the personal data of one case; returns (page sha256s, saved PDF paths) to delete."""
    shas: set[str] = set()
    for p in row.parties:
        p.name, p.id_number, p.identity, p.photo_wlt = REMOVED, "", {}, None
        p.phone = p.address = p.employer = p.bank_account = p.bank_name = p.note = ""
    row.death = {k: v for k, v in (row.death or {}).items() if k in KEEP_DEATH_KEYS}
    row.notes = ""
    for m in row.materials:
        for f in list(m.files):
            shas.add(f.sha256)
            session.delete(f)
        m.note = ""
    for m in session.execute(select(CaseMatterRow).where(CaseMatterRow.case_id == row.id)).scalars():
        m.result = ""
        for h in m.history:
            h.note = ""
    for t in row.tasks:
        t.text = REMOVED
    pdfs = []
    for p in session.execute(select(PrintLogRow).where(PrintLogRow.case_id == row.id)).scalars():
        if p.pdf_path:
            pdfs.append(p.pdf_path)
            p.pdf_path = ""
    _evaluations(session, row.number)
    _sync_tables(session, row.number)
    row.anonymised = True
    row.updated_at = datetime.now()
    return shas, pdfs


def _evaluations(session: Session, number: str) -> None:
    """A family's own words in a 好差评 (free text, the supervisor's rectification note about them) may
    name people; the level, reasons, channel, clerk and dates stay for the statistics (GB/T 39735)."""
    from houshi_desk.store.models import EvaluationRow

    for e in session.execute(select(EvaluationRow).where(EvaluationRow.case_number == number)).scalars():
        if e.text:
            e.text = REMOVED
        if e.rectify_note:
            e.rectify_note = REMOVED


def _sync_tables(session: Session, number: str) -> None:
    """Delivered platform payloads and department result texts carry personal data too."""
    from houshi_desk.store.models_sync import SyncInboxRow, SyncOutboxRow
    from houshi_desk.sync.outbox import FINISHED

    for r in session.execute(select(SyncOutboxRow).where(SyncOutboxRow.case_number == number,
                                                         SyncOutboxRow.state.in_(FINISHED))).scalars():
        r.payload, r.response = {"removed": "retention"}, None
    for r in session.execute(select(SyncInboxRow).where(SyncInboxRow.case_number == number)).scalars():
        r.text, r.raw = "", {}


def run(store, *, today: date, years: int, actor: str, dry_run: bool, filestore=None,
        documents_root: Path | None = None) -> RetentionResult:
    """List (dry run) or anonymise every case past ``years``; audited per case."""
    cutoff = cutoff_date(today, years)
    result = RetentionResult(dry_run, years, cutoff)
    with store.session() as s:
        result.cases = candidates(s, today, years)
    if dry_run or not result.cases:
        with store.session(write=True) as s:
            audit.record(s, actor=actor, action="retention",
                         detail=f"{'试运行' if dry_run else '执行'}：保存 {years} 年，截止 {cutoff}，"
                                f"{'将' if dry_run else '已'}处理 {result.count} 件")
        return result
    to_delete: set[str] = set()
    pdfs: list[str] = []
    numbers = [c.case_number for c in result.cases]
    with store.session(write=True) as s:
        rows = s.execute(select(CaseRow).where(CaseRow.number.in_(numbers), _due(cutoff))
                         .options(selectinload(CaseRow.parties), selectinload(CaseRow.tasks),
                                  selectinload(CaseRow.materials).selectinload(CaseMaterialRow.files))).scalars().all()
        done = set()
        for row in rows:
            shas, files = _anonymise(s, row)
            to_delete |= shas
            pdfs += files
            done.add(row.number)
            c = next(c for c in result.cases if c.case_number == row.number)
            audit.record(s, actor=actor, action="retention", case_number=row.number,
                         detail=f"{'办结' if row.status == 'closed' else '作废'}于 {c.ended}，已满 {years} 年："
                                f"删除个人信息、扫描页 {len(shas)} 个、打印件 {len(files)} 份")
        s.flush()
        # a page file shared with a case that keeps its data stays
        if to_delete:
            still = set(s.execute(select(MaterialFileRow.sha256).where(MaterialFileRow.sha256.in_(to_delete))).scalars())
            to_delete -= still
        audit.record(s, actor=actor, action="retention",
                     detail=f"执行：保存 {years} 年，截止 {cutoff}，已处理 {len(done)} 件")
    result.cases = [c for c in result.cases if c.case_number in done]
    if to_delete:
        if filestore is None:
            from houshi_desk.scanning.filestore import FileStore

            filestore = FileStore.for_settings()
        for sha in sorted(to_delete):
            filestore.delete(sha)
            result.files_deleted += 1
    for path in pdfs:
        if path.startswith("filestore:"):  # a kept copy, encrypted in the file store
            from houshi_desk.scanning.filestore import FileStore

            (filestore or FileStore.for_settings()).delete(path.split(":", 1)[1])
            result.documents_deleted += 1
            continue
        p = Path(path)
        if not p.is_absolute() and documents_root is not None:
            p = documents_root / p
        try:
            p.unlink()
            result.documents_deleted += 1
        except FileNotFoundError:
            pass
        except OSError:  # keep going; the row no longer points at it and the count says so
            pass
    return result

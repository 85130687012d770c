"""The report's figures, counted in the database.

Definitions (the PDF states them too):
- cases of the period: ``application_date`` within [start, end]; by status, by clerk, per day;
- matters of the period: chosen matters of those cases, cancelled cases left out;
- open matter: chosen, status pending/submitted/accepted/in_progress/returned, on a case that is
  neither closed nor cancelled. *Due*: an open matter whose due date falls in the period.
  *Overdue*: an open matter whose due date is before ``end`` — counted over every open case in
  scope, not only the period's — with how many working days late (Chinese holidays and make-up
  days counted by ``houshi_desk.domain.workdays``);
- not yet accepted by the platform: cases with an outbox item still pending (``sync_outbox``),
  as of the moment the report is made; needs attention: outbox items a person must look at;
- exceptions: reprints (补打) and failed prints in the period, cases cancelled in the period.

``office`` narrows everything to one office: six digits match the region code on the case number,
anything else the office name recorded on the case. ``None`` = every case in the database (the
whole hall in hall mode).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, case, distinct, func, select
from sqlalchemy.orm import Session

from houshi_desk.store.models import CaseMatterRow, CaseRow, PrintLogRow

OPEN_MATTER = ("pending", "submitted", "accepted", "in_progress", "returned")
OPEN_CASE = ("draft", "submitted")
LIST_LIMIT = 200  # rows listed per section in the PDF; the counts are always complete


@dataclass(frozen=True)
class ClerkCount:
    clerk: str
    name: str
    total: int
    submitted: int
    draft: int
    cancelled: int
    closed: int


@dataclass(frozen=True)
class EvaluationCount:
    """好差评 of one clerk in the period (issue 17): ``levels`` level → count (5 非常满意 … 1 非常不满意)."""

    clerk: str
    name: str
    levels: dict

    @property
    def total(self) -> int:
        return sum(self.levels.values())

    @property
    def bad(self) -> int:  # 差评: levels 1 and 2
        return self.levels.get(1, 0) + self.levels.get(2, 0)


@dataclass(frozen=True)
class MatterCount:
    code: str
    name: str
    chosen: int  # chosen on the period's cases
    due: int  # open, due within the period
    overdue: int  # open, past due as of the end date


@dataclass(frozen=True)
class OverdueItem:
    case_number: str
    matter_code: str
    matter_name: str
    due_date: date
    working_days_late: int
    clerk: str
    status: str


@dataclass(frozen=True)
class CaseRef:
    case_number: str
    what: str  # e.g. the outbox error, the printed document kind
    at: datetime | None = None
    who: str = ""


@dataclass
class ReportFigures:
    start: date
    end: date
    office: str | None
    generated_at: datetime
    total_cases: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    per_day: list[tuple[date, int]] = field(default_factory=list)
    by_clerk: list[ClerkCount] = field(default_factory=list)
    by_matter: list[MatterCount] = field(default_factory=list)
    due: int = 0
    overdue: int = 0
    overdue_items: list[OverdueItem] = field(default_factory=list)
    returned: int = 0  # open matters sent back for 补正
    not_accepted: int = 0
    not_accepted_items: list[CaseRef] = field(default_factory=list)
    needs_attention: int = 0
    needs_attention_items: list[CaseRef] = field(default_factory=list)
    reprints: int = 0
    reprint_items: list[CaseRef] = field(default_factory=list)
    failed_prints: int = 0
    cancelled: int = 0
    cancelled_items: list[CaseRef] = field(default_factory=list)
    audit_seq: int = 0
    audit_hash: str = ""
    # the last chain head the platform acknowledged (issue 14): {"seq", "hash", "acked_at"} or empty
    audit_anchored: dict = field(default_factory=dict)
    evaluations: list[EvaluationCount] = field(default_factory=list)  # per clerk, given in the period
    open_rectifications: int = 0  # 差评 not yet rectified (all, as of now)
    notes: list[str] = field(default_factory=list)  # e.g. a figure that could not be counted

    @property
    def is_day(self) -> bool:
        return self.start == self.end

    @property
    def empty(self) -> bool:
        return self.total_cases == 0


def week_range(day: date) -> tuple[date, date]:
    """Monday–Sunday week containing ``day``."""
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=6)


def month_range(day: date) -> tuple[date, date]:
    start = day.replace(day=1)
    nxt = (start + timedelta(days=32)).replace(day=1)
    return start, nxt - timedelta(days=1)


def _scope(office: str | None):
    if not office:
        return []
    office = office.strip()
    if office.isdigit() and len(office) == 6:
        return [CaseRow.region_code == office]
    return [CaseRow.office == office]


def _matter_names() -> dict[str, str]:
    names: dict[str, str] = {}
    try:
        from houshi_desk.domain.catalog import known_regions, load_catalog

        for region in sorted(known_regions()):
            for m in load_catalog(region).matters:
                names.setdefault(m.code, m.name)
    except Exception:  # a broken catalog must not stop the report; codes are shown instead
        pass
    return names


def _clerk_names(session: Session, clerks: list[str]) -> dict[str, str]:
    from houshi_desk.store.models_users import UserRow

    if not clerks:
        return {}
    rows = session.execute(select(UserRow.username, UserRow.display_name).where(UserRow.username.in_(clerks)))
    return {u: d for u, d in rows if d}


def _late_counter(first: date, end: date):
    """working_days_late(due) = working days in (due, end], from one pass over the calendar."""
    from houshi_desk.domain.workdays import default_calendar

    cal = default_calendar()
    prefix: dict[date, int] = {}
    running, day = 0, end
    # walk backwards from end: prefix[d] = working days in (d, end]
    while day >= first:
        prefix[day] = running
        if cal.is_workday(day)[0]:
            running += 1
        day -= timedelta(days=1)
    return lambda due: prefix.get(due, running)


def figures(session: Session, start: date, end: date, office: str | None = None, *,
            now: datetime | None = None, list_limit: int = LIST_LIMIT) -> ReportFigures:
    if end < start:
        from houshi_desk.errors import HoushiError

        raise HoushiError(f"报表的结束日期 {end} 早于开始日期 {start}，请检查日期。")
    f = ReportFigures(start, end, office or None, now or datetime.now())
    scope = _scope(office)
    in_period = and_(CaseRow.application_date >= start, CaseRow.application_date <= end, *scope)
    t0 = datetime.combine(start, time.min)
    t1 = datetime.combine(end + timedelta(days=1), time.min)
    names = _matter_names()

    # cases by status, by day, by clerk
    f.by_status = dict(session.execute(
        select(CaseRow.status, func.count()).where(in_period).group_by(CaseRow.status)).all())
    f.total_cases = sum(f.by_status.values())
    f.per_day = [(d if isinstance(d, date) else date.fromisoformat(str(d)), n) for d, n in session.execute(
        select(CaseRow.application_date, func.count()).where(in_period)
        .group_by(CaseRow.application_date).order_by(CaseRow.application_date)).all()]
    per_clerk: dict[str, dict[str, int]] = {}
    for clerk, status, n in session.execute(
            select(CaseRow.clerk, CaseRow.status, func.count()).where(in_period).group_by(CaseRow.clerk, CaseRow.status)):
        per_clerk.setdefault(clerk or "", {})[status] = n
    cnames = _clerk_names(session, [c for c in per_clerk if c])
    f.by_clerk = sorted(
        (ClerkCount(c, cnames.get(c, c or "（未记录）"), sum(st.values()), st.get("submitted", 0), st.get("draft", 0),
                    st.get("cancelled", 0), st.get("closed", 0)) for c, st in per_clerk.items()),
        key=lambda x: (-x.total, x.clerk))

    # matters: chosen in period; due in period; overdue as of end
    chosen = dict(session.execute(
        select(CaseMatterRow.code, func.count()).join(CaseRow, CaseRow.id == CaseMatterRow.case_id)
        .where(in_period, CaseMatterRow.chosen.is_(True), CaseRow.status != "cancelled")
        .group_by(CaseMatterRow.code)).all())
    open_matter = and_(CaseMatterRow.chosen.is_(True), CaseMatterRow.status.in_(OPEN_MATTER),
                       CaseRow.status.in_(OPEN_CASE), *scope)
    # One pass over the open matters up to the end date, grouped by (matter, due date): the due and
    # overdue counts, the earliest due date and where the listed rows stop all come from it.
    groups = session.execute(
        select(CaseMatterRow.code, CaseMatterRow.due_date, func.count())
        .join(CaseRow, CaseRow.id == CaseMatterRow.case_id)
        .where(open_matter, CaseMatterRow.due_date <= end)
        .group_by(CaseMatterRow.code, CaseMatterRow.due_date)).all()
    due: dict[str, int] = {}
    overdue: dict[str, int] = {}
    per_due_date: dict[date, int] = {}
    for code, d, n in groups:
        d = d if isinstance(d, date) else date.fromisoformat(str(d))
        if d >= start:
            due[code] = due.get(code, 0) + n
        if d < end:
            overdue[code] = overdue.get(code, 0) + n
            per_due_date[d] = per_due_date.get(d, 0) + n
    f.due, f.overdue = sum(due.values()), sum(overdue.values())
    codes = sorted(set(chosen) | set(due) | set(overdue), key=lambda c: (-chosen.get(c, 0), c))
    f.by_matter = [MatterCount(c, names.get(c, c), chosen.get(c, 0), due.get(c, 0), overdue.get(c, 0)) for c in codes]
    f.returned = session.execute(
        select(func.count()).select_from(CaseMatterRow).join(CaseRow, CaseRow.id == CaseMatterRow.case_id)
        .where(open_matter, CaseMatterRow.status == "returned")).scalar_one()
    if f.overdue:
        # the listed rows end at the due date where the running count reaches the limit
        running, last = 0, end
        for d in sorted(per_due_date):
            running += per_due_date[d]
            last = d
            if running >= list_limit:
                break
        rows = session.execute(
            select(CaseRow.number, CaseMatterRow.code, CaseMatterRow.due_date, CaseRow.clerk, CaseMatterRow.status)
            .join(CaseRow, CaseRow.id == CaseMatterRow.case_id)
            .where(open_matter, CaseMatterRow.due_date < end, CaseMatterRow.due_date <= last)
            .order_by(CaseMatterRow.due_date, CaseRow.number, CaseMatterRow.code).limit(list_limit)).all()
        late = _late_counter(min(per_due_date), end)
        f.overdue_items = [OverdueItem(n, c, names.get(c, c), d, late(d), clerk, st) for n, c, d, clerk, st in rows]

    # exceptions: reprints / failed prints / cancelled cases in the period
    printed = and_(PrintLogRow.at >= t0, PrintLogRow.at < t1)
    print_q = select(PrintLogRow, CaseRow.number).outerjoin(CaseRow, CaseRow.id == PrintLogRow.case_id)
    if scope:
        print_q = print_q.where(*scope)
    counts = session.execute(
        select(func.sum(case((PrintLogRow.reprint.is_(True), 1), else_=0)),
               func.sum(case((PrintLogRow.status == "failed", 1), else_=0)))
        .select_from(PrintLogRow).outerjoin(CaseRow, CaseRow.id == PrintLogRow.case_id).where(printed, *scope)).one()
    f.reprints, f.failed_prints = int(counts[0] or 0), int(counts[1] or 0)
    if f.reprints:
        f.reprint_items = [CaseRef(num or "（无案件）", p.kind, p.at, p.user) for p, num in session.execute(
            print_q.where(printed, PrintLogRow.reprint.is_(True)).order_by(PrintLogRow.at).limit(list_limit))]
    cancelled_q = and_(CaseRow.status == "cancelled", CaseRow.updated_at >= t0, CaseRow.updated_at < t1, *scope)
    f.cancelled = session.execute(select(func.count()).select_from(CaseRow).where(cancelled_q)).scalar_one()
    if f.cancelled:
        f.cancelled_items = [CaseRef(n, "作废", at, clerk) for n, at, clerk in session.execute(
            select(CaseRow.number, CaseRow.updated_at, CaseRow.clerk).where(cancelled_q)
            .order_by(CaseRow.updated_at).limit(list_limit))]

    _platform(session, f, scope, list_limit)
    _audit_anchor(session, f)
    _evaluations(session, f, scope, t0, t1)
    return f


def _evaluations(session: Session, f: ReportFigures, scope, t0: datetime, t1: datetime) -> None:
    """好差评 given in the period per clerk and level, and the open 差评 (issue 17)."""
    from houshi_desk.store.models import EvaluationRow

    per: dict[str, dict[int, int]] = {}
    for clerk, level, n in session.execute(
            select(EvaluationRow.clerk, EvaluationRow.level, func.count())
            .join(CaseRow, CaseRow.number == EvaluationRow.case_number)
            .where(EvaluationRow.at >= t0, EvaluationRow.at < t1, *scope)
            .group_by(EvaluationRow.clerk, EvaluationRow.level)):
        per.setdefault(clerk or "", {})[level] = n
    names = _clerk_names(session, [c for c in per if c])
    f.evaluations = sorted((EvaluationCount(c, names.get(c, c or "（未记录）"), lv) for c, lv in per.items()),
                           key=lambda x: (-x.total, x.clerk))
    f.open_rectifications = session.execute(
        select(func.count()).select_from(EvaluationRow).join(CaseRow, CaseRow.number == EvaluationRow.case_number)
        .where(EvaluationRow.level <= 2, EvaluationRow.rectified_at.is_(None), *scope)).scalar_one()


def _platform(session: Session, f: ReportFigures, scope, list_limit: int) -> None:
    from houshi_desk.store.models_sync import SyncOutboxRow
    from houshi_desk.sync.outbox import NEEDS_ATTENTION, PENDING

    pending = and_(SyncOutboxRow.state.in_(PENDING), *scope)
    f.not_accepted = session.execute(
        select(func.count(distinct(SyncOutboxRow.case_number))).select_from(SyncOutboxRow)
        .join(CaseRow, CaseRow.number == SyncOutboxRow.case_number).where(pending)).scalar_one()
    if f.not_accepted:
        rows = session.execute(
            select(SyncOutboxRow.case_number, func.min(SyncOutboxRow.created_at), CaseRow.clerk)
            .join(CaseRow, CaseRow.number == SyncOutboxRow.case_number).where(pending)
            .group_by(SyncOutboxRow.case_number, CaseRow.clerk).order_by(func.min(SyncOutboxRow.created_at))
            .limit(list_limit))
        f.not_accepted_items = [CaseRef(n, "待平台确认", at, clerk) for n, at, clerk in rows]
    attention = and_(SyncOutboxRow.state == NEEDS_ATTENTION, *scope)
    f.needs_attention = session.execute(
        select(func.count()).select_from(SyncOutboxRow)
        .join(CaseRow, CaseRow.number == SyncOutboxRow.case_number).where(attention)).scalar_one()
    if f.needs_attention:
        rows = session.execute(
            select(SyncOutboxRow.case_number, SyncOutboxRow.last_error, SyncOutboxRow.updated_at, CaseRow.clerk)
            .join(CaseRow, CaseRow.number == SyncOutboxRow.case_number).where(attention)
            .order_by(SyncOutboxRow.updated_at).limit(list_limit))
        f.needs_attention_items = [CaseRef(n, err or "需人工处理", at, clerk) for n, err, at, clerk in rows]


def _audit_anchor(session: Session, f: ReportFigures) -> None:
    """The audit chain's head, printed on the report: a later rewrite of the whole chain no longer
    matches the hash on paper."""
    from houshi_desk.store.models_users import AuditHeadRow

    head = session.get(AuditHeadRow, 1)
    if head is not None:
        f.audit_seq, f.audit_hash = head.seq, head.hash
    from houshi_desk.store.models_sync import SyncOutboxRow
    from houshi_desk.sync.outbox import AUDIT_ANCHOR

    last = session.execute(select(SyncOutboxRow).where(SyncOutboxRow.kind == AUDIT_ANCHOR,
                                                       SyncOutboxRow.acked_at.is_not(None))
                           .order_by(SyncOutboxRow.acked_at.desc()).limit(1)).scalar_one_or_none()
    if last is not None:
        payload = last.payload or {}
        f.audit_anchored = {"seq": payload.get("seq"), "hash": payload.get("hash", ""),
                            "acked_at": last.acked_at.isoformat(timespec="minutes")}


def daily_figures(session: Session, day: date, office: str | None = None, **kw) -> ReportFigures:
    return figures(session, day, day, office, **kw)

"""Results coming back: ``GET /changes?since=cursor`` into the inbox, applied exactly once.

Each department event has a unique id; the matter's new status and history entry, the clerk's 补正
task and the moved cursor are written in one transaction, so a replayed page (or the same event
three times in one page) changes nothing the second time. The cursor row is locked first, so two
hall terminals pulling at once take turns.

Each result is stored once (issue 19): an applied result is its matter's history row (status, time,
department, text), whose unique ``event_id`` is the record that it was applied; only a result that
could not be applied (its case or matter is not in this store) stays in the inbox, whole.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from houshi_desk.domain.case import MatterStatus
from houshi_desk.store.models import CaseMatterRow, CaseRow, CaseTaskRow, MatterStatusRow
from houshi_desk.store.models_sync import SyncInboxRow
from houshi_desk.sync.clock import utcnow
from houshi_desk.sync.outbox import get_state, set_state

log = logging.getLogger(__name__)

CURSOR = "changes_cursor"
KIND_STATUS = {
    "accepted": MatterStatus.ACCEPTED,
    "in_progress": MatterStatus.IN_PROGRESS,
    "done": MatterStatus.DONE,
    "returned": MatterStatus.RETURNED,
    "refused": MatterStatus.REFUSED,
    "withdrawn": MatterStatus.WITHDRAWN,
}


def _parse_time(value) -> datetime:
    try:
        dt = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        return dt.replace(tzinfo=None) if dt.tzinfo is None else dt.astimezone(timezone.utc).replace(tzinfo=None)
    except (TypeError, ValueError):
        return utcnow()


def _valid(ev) -> bool:
    return (isinstance(ev, dict) and isinstance(ev.get("event_id"), str) and 0 < len(ev["event_id"]) <= 64
            and isinstance(ev.get("case_id"), str) and ev.get("kind") in KIND_STATUS)


def seen(session: Session, event_id: str) -> bool:
    """Whether the event is already here: applied (a history row) or kept unapplied (an inbox row)."""
    return (session.execute(select(MatterStatusRow.id).where(MatterStatusRow.event_id == event_id)).first()
            is not None or
            session.execute(select(SyncInboxRow.id).where(SyncInboxRow.event_id == event_id)).first() is not None)


def apply_event(session: Session, ev: dict, now: datetime) -> bool:
    """Apply one event, or keep it in the inbox when its case or matter is not here; False when it
    was already there (a replay)."""
    event_id = ev["event_id"]
    if seen(session, event_id):
        return False
    kind = ev["kind"]
    matter_code = str(ev.get("matter") or "")
    department = str(ev.get("department") or "")
    text = str(ev.get("text") or "")[:2000]
    at = _parse_time(ev.get("at"))
    case_row = session.execute(select(CaseRow).where(CaseRow.number == ev["case_id"])).scalar_one_or_none()
    matter = None
    if case_row is not None:
        matter = session.execute(select(CaseMatterRow).where(
            CaseMatterRow.case_id == case_row.id, CaseMatterRow.code == matter_code)).scalar_one_or_none()
    if matter is None:
        # raw keeps what the columns do not hold as given (seq, version, the time as written, …): the
        # event is columns + raw, without storing it twice
        columns = {"event_id": event_id, "case_id": ev["case_id"], "matter": matter_code,
                   "department": department, "kind": kind, "text": text}
        raw = {k: v for k, v in ev.items() if k != "parties" and not (k in columns and columns[k] == v)}
        session.add(SyncInboxRow(event_id=event_id, case_number=ev["case_id"], matter_code=matter_code,
                                 department=department, kind=kind, text=text, occurred_at=at, received_at=now,
                                 applied=False, raw=raw))
        session.flush()
        return True
    status = KIND_STATUS[kind]
    matter.status = status.value
    if text:
        matter.result = text
    matter.updated_at = now
    session.add(MatterStatusRow(matter=matter, status=status.value, at=at,
                                source=department or "platform", actor="", note=text, event_id=event_id))
    if kind == "returned":
        session.add(CaseTaskRow(case_id=case_row.id, kind="supplement", matter_code=matter_code,
                                text=f"{department or '部门'}要求补正：{text or '请联系部门了解需补正的材料'}",
                                created_at=now))
    session.flush()
    return True


def pull_changes(store, client, *, now: datetime | None = None, max_pages: int = 20) -> int:
    """Fetch and apply new department events; returns how many were new."""
    applied = 0
    for _ in range(max_pages):
        now = now or utcnow()
        with store.session() as s:
            cursor = get_state(s, CURSOR, "0", for_update=True)
            page = client.changes(cursor)
            events = page["events"]
            for ev in events:
                if not _valid(ev):
                    log.warning("changes: skipped a malformed event")
                    continue
                applied += apply_event(s, ev, now)
            set_state(s, CURSOR, page["cursor"], now)
            set_state(s, "last_answer", now.isoformat(timespec="seconds"), now)
        if not events or page["cursor"] == cursor or not page.get("more"):
            break
    return applied

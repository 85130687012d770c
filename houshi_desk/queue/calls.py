"""What a ticket means for a case: the case records its ticket and times (issue 17).

``create_case`` stores ``ticket`` / ``called_at`` and ``served_at`` (the acceptance); finishing the
ticket at the queue system stamps ``finished_at`` here, even when the queue system is down — the
case's time is the window's fact, the queue's state is the queue's."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from houshi_desk.store.models import CaseRow


def record_finished(store, number: str, at: datetime | None = None) -> datetime:
    at = at or datetime.now()
    with store.session(write=True) as s:
        row = s.execute(select(CaseRow).where(CaseRow.number == number)).scalar_one()
        if row.finished_at is None:
            row.finished_at = at
        return row.finished_at


def finish_ticket(store, queue, number: str, ticket: str | None, at: datetime | None = None) -> bool:
    """Stamp the case finished and tell the queue system; True when the queue system took it.
    The stamp is kept when the queue system is unreachable (the clerk works on)."""
    from houshi_desk.queue import QueueRefused, QueueUnavailable

    record_finished(store, number, at)
    if queue is None or not ticket:
        return False
    try:
        queue.finish(ticket)
    except (QueueUnavailable, QueueRefused):
        return False
    return True

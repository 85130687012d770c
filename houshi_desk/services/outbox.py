"""The outbox as the window shows it (issue 13: one home per use case): the list with its summary,
retry one item, pause or resume sending, cancel a case's sending. Each takes the store and the
logged-in account and checks the permission itself:

- the list needs 查看案件 (it names cases) and shows an account tied to an office only that office's
  cases' items (``users.scope``), and items of no stored case (the audit chain's anchors), which name
  no family; the alerts under it name only cases the account may see. The counts stay the whole
  terminal's (or hall's) queue, as the status bar shows it;
- retry, pause/resume and cancel need 提交受理 (they decide what reaches the platform); retrying and
  cancelling also need the case to be the account's office's, and cancelling is audited.

``outbox_summary`` (counts only, no case named) serves the status bar and the close confirmation,
also before anyone logs in, so it checks nothing.
"""
from __future__ import annotations

from houshi_desk.users.roles import Permission
from houshi_desk.users.sessions import require


def outbox_summary(store):
    """The outbox counts (``sync.outbox.OutboxSummary``)."""
    from houshi_desk.sync import outbox

    with store.session() as s:
        return outbox.summary(s)


def load_items(store, *, include_finished: bool, limit: int = 500, office: str | None = None) -> list[dict]:
    """The outbox items, newest case group first: plain dicts (no permission check: call
    :func:`outbox_list` from a front-end). With ``office``, only the items of that office's cases and
    of no stored case."""
    from sqlalchemy import select

    from houshi_desk.store.models_sync import SyncOutboxRow
    from houshi_desk.sync.outbox import FINISHED

    with store.session() as s:
        q = select(SyncOutboxRow)
        if office is not None:
            q = _of_office(q, office)
        if not include_finished:
            q = q.where(SyncOutboxRow.state.not_in(FINISHED))
        rows = s.execute(q.order_by(SyncOutboxRow.group_order.desc(), SyncOutboxRow.seq).limit(limit)).scalars().all()
        contacted = {r.case_number for r in rows if r.first_contact_at is not None}
        return [{"id": r.id, "case": r.case_number, "kind": r.kind, "state": r.state, "attempts": r.attempts,
                 "next": r.next_attempt_at, "error": r.last_error, "sent": r.bytes_sent, "offset": r.remote_offset,
                 "size": r.file_size, "material": r.material_code, "contacted": r.case_number in contacted}
                for r in rows]


def _of_office(q, office: str):
    """``q`` over SyncOutboxRow kept to the items of ``office``'s cases and of no stored case."""
    from sqlalchemy import or_

    from houshi_desk.store.models import CaseRow
    from houshi_desk.store.models_sync import SyncOutboxRow

    return (q.outerjoin(CaseRow, CaseRow.number == SyncOutboxRow.case_number)
            .where(or_(CaseRow.id.is_(None), CaseRow.office == office)))


def _hidden_numbers(s, office: str) -> set[str]:
    """Case numbers of pending items (those the summary's alerts can name) whose case belongs to
    another office than ``office``."""
    from sqlalchemy import select

    from houshi_desk.store.models import CaseRow
    from houshi_desk.store.models_sync import SyncOutboxRow
    from houshi_desk.sync.outbox import PENDING

    return set(s.execute(select(SyncOutboxRow.case_number).distinct()
                         .join(CaseRow, CaseRow.number == SyncOutboxRow.case_number)
                         .where(SyncOutboxRow.state.in_(PENDING), CaseRow.office != office)).scalars())


def outbox_list(store, user, *, include_finished: bool, limit: int = 500):
    """(items, summary) for the outbox window; needs 查看案件. An account tied to an office gets its
    office's items (and those of no stored case) and only the alerts that name no other office's case."""
    from dataclasses import replace

    from houshi_desk.users.scope import visible_office

    acting = require(user, Permission.CASE_VIEW)
    office = visible_office(acting)
    summary = outbox_summary(store)
    if office is not None and summary.alerts:
        with store.session() as s:
            hidden = _hidden_numbers(s, office)
        summary = replace(summary, alerts=[a for a in summary.alerts
                                           if not any(f"案件 {n} " in a for n in hidden)])
    return load_items(store, include_finished=include_finished, limit=limit, office=office), summary


def retry(store, user, item_id: int) -> None:
    """The clerk's 立即重试: the item goes back to the queue now; needs 提交受理 and the item's case
    (when stored) in the account's office."""
    from sqlalchemy import select

    from houshi_desk.store.models import CaseRow
    from houshi_desk.store.models_sync import SyncOutboxRow
    from houshi_desk.sync.outbox import retry_item
    from houshi_desk.users.scope import check_case_access

    acting = require(user, Permission.CASE_SUBMIT)
    with store.session() as s:
        row = s.execute(select(CaseRow).join(SyncOutboxRow, SyncOutboxRow.case_number == CaseRow.number)
                        .where(SyncOutboxRow.id == item_id)).scalar_one_or_none()
        if row is not None:
            check_case_access(acting, row)
        retry_item(s, item_id)


def set_paused(store, user, paused: bool) -> None:
    """Pause (``True``) or resume sending; needs 提交受理. The caller pauses its running uploader."""
    from houshi_desk.sync.outbox import set_state

    require(user, Permission.CASE_SUBMIT)
    with store.session() as s:
        set_state(s, "paused", "窗口人员暂停发送" if paused else "")


def cancel_sending(store, user, number: str) -> str:
    """Cancel a case's sending (before the platform was contacted); audited. Needs 提交受理 and the
    case in the account's office. Returns what ``sync.outbox.cancel_case`` did."""
    from sqlalchemy import select

    from houshi_desk import audit
    from houshi_desk.store.models import CaseRow
    from houshi_desk.sync.outbox import cancel_case
    from houshi_desk.users.scope import check_case_access

    acting = require(user, Permission.CASE_SUBMIT)
    with store.session() as s:
        row = s.execute(select(CaseRow).where(CaseRow.number == number)).scalar_one_or_none() if number else None
        if row is not None:  # an item of no (stored) case names no family: only the permission applies
            check_case_access(acting, row)
        result = cancel_case(s, number, reason="窗口取消发送")
        audit.record(s, actor=acting.username, action="change", case_number=number, detail="取消发送至省级平台")
        return result

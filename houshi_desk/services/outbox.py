"""The outbox as the window shows it (issue 13: one home per use case): the list with its summary,
retry one item, pause or resume sending, cancel a case's sending. Each takes the store and the
logged-in account and checks the permission itself:

- the list needs 查看案件 (it names cases),
- retry, pause/resume and cancel need 提交受理 (they decide what reaches the platform); cancelling also
  needs the case to be the account's office's, and is audited.

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


def load_items(store, *, include_finished: bool, limit: int = 500) -> list[dict]:
    """The outbox items, newest case group first: plain dicts (no permission check: call
    :func:`outbox_list` from a front-end)."""
    from sqlalchemy import select

    from houshi_desk.store.models_sync import SyncOutboxRow
    from houshi_desk.sync.outbox import FINISHED

    with store.session() as s:
        q = select(SyncOutboxRow)
        if not include_finished:
            q = q.where(SyncOutboxRow.state.not_in(FINISHED))
        rows = s.execute(q.order_by(SyncOutboxRow.group_order.desc(), SyncOutboxRow.seq).limit(limit)).scalars().all()
        contacted = {r.case_number for r in rows if r.first_contact_at is not None}
        return [{"id": r.id, "case": r.case_number, "kind": r.kind, "state": r.state, "attempts": r.attempts,
                 "next": r.next_attempt_at, "error": r.last_error, "sent": r.bytes_sent, "offset": r.remote_offset,
                 "size": r.file_size, "material": r.material_code, "contacted": r.case_number in contacted}
                for r in rows]


def outbox_list(store, user, *, include_finished: bool, limit: int = 500):
    """(items, summary) for the outbox window; needs 查看案件."""
    require(user, Permission.CASE_VIEW)
    summary = outbox_summary(store)
    return load_items(store, include_finished=include_finished, limit=limit), summary


def retry(store, user, item_id: int) -> None:
    """The clerk's 立即重试: the item goes back to the queue now; needs 提交受理."""
    from houshi_desk.sync.outbox import retry_item

    require(user, Permission.CASE_SUBMIT)
    with store.session() as s:
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

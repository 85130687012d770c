"""Look at one case: the window's case view (``case_snapshot``) and ``houshi-desk case show``
(``show_case``). One home for both, so they check the same things:

- the acting account holds 查看案件 (``Permission.CASE_VIEW``; nobody logged in is refused),
- the case is of the region this terminal is set up for (``settings.office_region``): another
  region's case is refused, in the window and on the command line alike,
- the case belongs to the account's office (``check_case_access``),

and only then is the look written to the audit trail, in the same short write transaction that
reads the case. A refused look writes nothing and returns nothing. The result is plain data: the
window only presents it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from houshi_desk.users.roles import Permission
from houshi_desk.users.sessions import require


@dataclass
class CaseSnapshot:
    case: object
    status: str
    matters: list = field(default_factory=list)  # dicts
    materials: list = field(default_factory=list)
    prints: list = field(default_factory=list)
    outbox: list = field(default_factory=list)
    close_problems: list = field(default_factory=list)
    # the case's submission in the outbox: None (never queued), ("queued", None) or ("acked", when)
    pushed: tuple | None = None


def viewable_case_row(session, user, number: str, *, settings):
    """The case's row once ``user`` may see it (permission, this terminal's region, the account's
    office); else the refusal."""
    from houshi_desk.services.cases import get_case_row
    from houshi_desk.users.scope import check_case_access

    acting = require(user, Permission.CASE_VIEW)
    row = get_case_row(session, number, region=settings.office_region)
    check_case_access(acting, row)
    return acting, row


def case_snapshot(store, user, number: str, *, settings, audited: bool = True) -> CaseSnapshot:
    """Everything the case window shows, read in one go; the look audited (once per opened window,
    not again when the same window refreshes after a submit, a print or a result: ``audited=False``).

    Matter history rows are ``(at, status, source, actor, note)`` with ``source`` a department's name
    when a department changed the status, else the raw source (``window``, ``platform``) for the
    front-end to put in words."""
    from sqlalchemy import select

    from houshi_desk import audit
    from houshi_desk.documents import printlog
    from houshi_desk.domain.catalog import load_catalog
    from houshi_desk.services.cases import case_from_row
    from houshi_desk.services.closing import close_problems
    from houshi_desk.store.models_sync import SyncOutboxRow

    with store.session(write=audited) as s:
        acting, row = viewable_case_row(s, user, number, settings=settings)
        if audited:
            audit.record(s, actor=acting.username, action="view", case_number=row.number, detail="窗口查看案件")
        case = case_from_row(row)
        cat = load_catalog(row.region)
        names = {m.code: m for m in cat.matters}

        def source_name(source: str) -> str:
            return cat.departments[source].name if source in cat.departments else source

        snap = CaseSnapshot(case=case, status=row.status, close_problems=close_problems(row))
        for m in row.matters:
            info = names.get(m.code)
            snap.matters.append({
                "code": m.code, "name": info.name if info else m.code,
                "department": cat.departments[info.department].name if info else m.department,
                "chosen": m.chosen, "applicable": m.applicable, "status": m.status, "reason": m.reason,
                "due": m.due_date, "due_uncertain": bool(m.due_date_uncertain), "result": m.result,
                "history": [(h.at, h.status, source_name(h.source), h.actor, h.note) for h in m.history],
            })
        for m in row.materials:
            mat = cat.materials.get(m.code)
            snap.materials.append({
                "code": m.code, "name": mat.name if mat else m.code, "state": m.state, "note": m.note,
                "files": [(f.page_no, f.sha256, f.mime) for f in sorted(m.files, key=lambda f: f.page_no)],
            })
        for p in printlog.history(s, row):
            snap.prints.append({"kind": p.kind, "at": p.at, "user": p.user, "printer": p.printer,
                                "status": p.status, "reprint": p.reprint, "error": p.error})
        for o in s.execute(select(SyncOutboxRow).where(SyncOutboxRow.case_number == row.number)
                           .order_by(SyncOutboxRow.seq)).scalars():
            if o.kind == "submit" and o.state != "cancelled":  # the latest submission counts
                snap.pushed = ("acked", o.acked_at) if o.state == "acked" else ("queued", None)
            snap.outbox.append({"id": o.id, "kind": o.kind, "state": o.state, "attempts": o.attempts,
                                "next": o.next_attempt_at, "error": o.last_error, "sent": o.bytes_sent,
                                "size": o.file_size, "material": o.material_code,
                                "material_name": (cat.materials[o.material_code].name
                                                  if o.material_code in cat.materials else o.material_code)})
    return snap


def show_case(store, user, number: str, *, detail: str, settings):
    """The case as a domain object for ``houshi-desk case show``; the look audited with ``detail``.
    The same checks as the window's :func:`case_snapshot`, this terminal's region included.
    (Whether full ID numbers may be shown is the caller's supervisor check.)"""
    from houshi_desk.services.cases import load_case

    with store.session(write=True) as s:
        acting, row = viewable_case_row(s, user, number, settings=settings)
        return load_case(s, row.number, actor=acting.username, reason=detail)

"""The outbox: what must reach the platform, written in the same transaction as the case.

``enqueue_case`` freezes a submitted case into a chain of items — create the case shell → upload
each attachment → submit (referencing every attachment's id and SHA-256) — each with its own
Idempotency-Key and the SHA-256 of its frozen payload. Only the first item of a case is ``queued``;
the rest are ``blocked`` until the one before is acked (``promote``). ``claim_next`` hands out work
oldest case first, round-robin across cases, with a lease; on PostgreSQL (hall mode) it uses
``FOR UPDATE SKIP LOCKED`` so two terminals never take one item.
"""
from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, delete, func, or_, select, update
from sqlalchemy.orm import Session

from houshi_desk.errors import HoushiError
from houshi_desk.store.models_sync import SyncOutboxRow, SyncStateRow
from houshi_desk.sync.client import canonical_json
from houshi_desk.sync.clock import utcnow

log = logging.getLogger(__name__)

QUEUED, IN_FLIGHT, ACKED, RETRY_WAIT, BLOCKED, NEEDS_ATTENTION, CANCELLED = (
    "queued", "in_flight", "acked", "retry_wait", "blocked", "needs_attention", "cancelled")
STATE_LABELS = {
    QUEUED: "待发送", IN_FLIGHT: "发送中", ACKED: "平台已确认", RETRY_WAIT: "等待重试",
    BLOCKED: "等待前序", NEEDS_ATTENTION: "需人工处理", CANCELLED: "已取消",
}
KIND_LABELS = {"create_case": "建立案件", "upload": "上传附件", "submit": "提交办理", "supplement": "补正材料",
               "withdraw": "撤回", "audit_anchor": "审计链锚定", "evaluation": "好差评"}
# The audit chain's head goes to the platform at every sync (issue 14): items of this kind, in a
# queue of their own under this pseudo case number, one pending at a time.
AUDIT_ANCHOR = "audit_anchor"
AUDIT_CHAIN = "AUDIT-CHAIN"
# A 好差评 evaluation (issue 17): one item in a queue of its own (EVAL-<id>), so it waits for nothing
# and nothing waits for it; houshi_desk/services/evaluations.py queues it with the evaluation.
EVALUATION = "evaluation"
FINISHED = (ACKED, CANCELLED)
PENDING = (QUEUED, IN_FLIGHT, RETRY_WAIT, BLOCKED, NEEDS_ATTENTION)


class OutboxError(HoushiError):
    pass


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------- freezing a case


def case_payload(case_row) -> dict:
    """Everything the platform needs about the case, as plain JSON. Full ID numbers travel (over
    TLS) because departments need them; this dict is never logged."""
    parties = []
    for p in case_row.parties:
        parties.append({
            "role": p.role, "name": p.name, "id_number": p.id_number, "card_type": p.card_type,
            "identity": p.identity or {}, "phone": p.phone, "address": p.address, "employer": p.employer,
            "bank_account": p.bank_account, "bank_name": p.bank_name, "relation": p.relation,
            "relationship_note": p.relationship_note or "",
            # a proxy's authorisation period (委托期限), as in the case file; the card's own validity
            # is inside "identity"
            **({"valid_from": p.authorised_from.isoformat() if p.authorised_from else None,
                "valid_to": p.authorised_to.isoformat() if p.authorised_to else None} if p.role == "proxy" else {}),
        })
    # deadline provenance from the checklist kept at acceptance: a date is sent only where the seed
    # (policy) or provincial IT (configured) set a limit; "none" tells the department nothing was promised
    told = {m.get("code"): m for m in ((case_row.checklist or {}).get("matters") or [])}
    return {
        "case_id": case_row.number,
        "version": case_row.version,
        "region": case_row.region,
        "region_code": case_row.region_code,
        "terminal_id": case_row.terminal_id,
        "office": case_row.office,
        "clerk": case_row.clerk,
        "application_date": case_row.application_date.isoformat() if case_row.application_date else None,
        "death": case_row.death or {},
        "facts": case_row.facts or {},
        "parties": parties,
        "catalog_version": case_row.catalog_version or "",
        "delivery": case_row.delivery or {"method": "pickup"},
        "matters": [
            {"code": m.code, "department": m.department, "mandatory": m.mandatory,
             "due_date": m.due_date.isoformat() if m.due_date else None,
             "deadline_source": told.get(m.code, {}).get("deadline_source") or ("policy" if m.due_date else "none")}
            for m in case_row.matters if m.chosen
        ],
        "materials": [_material(m) for m in case_row.materials],
        **_duplicate_override(case_row),
    }


def _material(m) -> dict:
    """A material; one taken as an electronic licence (共享获取) names it (issue 15)."""
    from houshi_desk.sync.lookup import licence_from_note

    lic = licence_from_note(m.note or "") if m.state == "shared" else None
    return {"code": m.code, "state": m.state, **({"licence": lic} if lic else {})}


def _duplicate_override(case_row) -> dict:
    """``{"duplicate_override": {reason, supervisor}}`` when a supervisor accepted this case although
    the deceased had another open case (the audit entry create_case wrote), else nothing (issue 15)."""
    from sqlalchemy.orm import object_session

    from houshi_desk.store.models_users import AuditEntryRow

    session = object_session(case_row)
    if session is None:
        return {}
    entry = session.execute(select(AuditEntryRow).where(
        AuditEntryRow.case_number == case_row.number, AuditEntryRow.detail.like("主管同意重复受理%"))
        .order_by(AuditEntryRow.seq.desc()).limit(1)).scalar_one_or_none()
    if entry is None:
        return {}
    reason = entry.detail.split("）：", 1)[-1].strip() or entry.detail
    return {"duplicate_override": {"reason": reason, "supervisor": entry.actor}}


@dataclass(frozen=True)
class Attachment:
    material: str
    sha256: str
    size: int
    filename: str
    mime: str


def _default_filestore():
    from houshi_desk.scanning.filestore import FileStore

    return FileStore.for_settings()


def frozen_attachments(session: Session, case_row, filestore=None) -> list[Attachment]:
    """One PDF per scanned material, stored in the FileStore so its hash never changes.

    A material whose single stored file already is a PDF (an imported document) goes as it is —
    stored files are content-addressed, hence already frozen; otherwise the scanning area's
    ``material_pdf`` builds one PDF from the pages and it is put in the FileStore."""
    from houshi_desk.scanning.export import material_pdf

    out: list[Attachment] = []
    for m in case_row.materials:
        files = list(m.files)
        if not files:
            continue
        if len(files) == 1 and files[0].mime == "application/pdf" or material_pdf is None:
            for f in files:
                ext = "pdf" if f.mime == "application/pdf" else (f.mime.split("/")[-1] or "bin")
                name = f"{m.code}.{ext}" if len(files) == 1 else f"{m.code}-{f.page_no}.{ext}"
                out.append(Attachment(m.code, f.sha256, int(f.size), name, f.mime))
            continue
        filestore = filestore or _default_filestore()
        pdf = material_pdf(session, filestore, m)
        digest = filestore.put(pdf)
        out.append(Attachment(m.code, digest, len(pdf), f"{m.code}.pdf", "application/pdf"))
    return out


def _next_seq(session: Session, case_number: str) -> int:
    last = session.execute(
        select(func.max(SyncOutboxRow.seq)).where(SyncOutboxRow.case_number == case_number)).scalar()
    return (last or 0) + 1


def _group_order(session: Session, case_number: str, now: datetime) -> int:
    existing = session.execute(
        select(SyncOutboxRow.group_order).where(SyncOutboxRow.case_number == case_number).limit(1)).scalar()
    return existing if existing is not None else int(now.timestamp() * 1000)


def _item(case_number: str, version: int, seq: int, group: int, kind: str, payload: dict, now: datetime,
          **extra) -> SyncOutboxRow:
    return SyncOutboxRow(
        case_number=case_number, case_version=version, seq=seq, group_order=group, kind=kind,
        state=BLOCKED, idempotency_key=str(uuid.uuid4()), payload=payload,
        payload_sha256=sha256_hex(canonical_json(payload)), remote_offset=0, upload_generation=0,
        bytes_sent=0, attempts=0, last_error="", last_error_code="", origin="local",
        created_at=now, updated_at=now, **extra)


def enqueue_case(session: Session, case_row, *, filestore=None, now: datetime | None = None) -> list[SyncOutboxRow]:
    """Freeze ``case_row`` (already flushed) into outbox items, in the caller's transaction."""
    now = now or utcnow()
    number, version = case_row.number, case_row.version or 1
    attachments = frozen_attachments(session, case_row, filestore)
    seq = _next_seq(session, number)
    group = _group_order(session, number, now)
    items = [_item(number, version, seq, group, "create_case", case_payload(case_row), now)]
    for a in attachments:
        seq += 1
        items.append(_item(number, version, seq, group, "upload",
                           {"case_id": number, "version": version, "material": a.material, "sha256": a.sha256,
                            "size": a.size, "filename": a.filename, "mime": a.mime},
                           now, material_code=a.material, file_sha256=a.sha256, file_size=a.size))
    seq += 1
    items.append(_item(number, version, seq, group, "submit", {
        "case_id": number, "version": version,
        "matters": [m.code for m in case_row.matters if m.chosen],
        "attachments": [{"material": a.material, "sha256": a.sha256, "size": a.size} for a in attachments],
    }, now))
    session.add_all(items)
    session.flush()
    promote(session, number, now)
    log.info("outbox: case %s v%d queued as %d items (%d attachments)", number, version, len(items), len(attachments))
    return items


def enqueue_supplement(session: Session, case_row, matter_code: str, material_codes: list[str], *,
                       note: str = "", filestore=None, now: datetime | None = None) -> list[SyncOutboxRow]:
    """The clerk's answer to a department's 补正 request: upload the named materials again (as
    they are now) and send a supplement for the matter; closes the open 补正 tasks of that matter.
    Same transaction as the caller's change, like ``enqueue_case``."""
    now = now or utcnow()
    number, version = case_row.number, case_row.version or 1
    wanted = set(material_codes)
    unknown = wanted - {m.code for m in case_row.materials}
    if unknown:
        raise OutboxError(f"案件 {number} 没有这些材料：{'、'.join(sorted(unknown))}。")
    attachments = [a for a in frozen_attachments(session, case_row, filestore) if a.material in wanted]
    if not attachments and not note:
        raise OutboxError("补正需要至少一份已扫描的材料或一段说明。")
    seq = _next_seq(session, number)
    group = _group_order(session, number, now)
    items = []
    for a in attachments:
        items.append(_item(number, version, seq, group, "upload",
                           {"case_id": number, "version": version, "material": a.material, "sha256": a.sha256,
                            "size": a.size, "filename": a.filename, "mime": a.mime},
                           now, material_code=a.material, file_sha256=a.sha256, file_size=a.size))
        seq += 1
    items.append(_item(number, version, seq, group, "supplement", {
        "case_id": number, "version": version, "matter": matter_code, "note": note,
        "attachments": [{"material": a.material, "sha256": a.sha256, "size": a.size} for a in attachments],
    }, now))
    session.add_all(items)
    for task in case_row.tasks:
        if task.kind == "supplement" and task.matter_code == matter_code and task.done_at is None:
            task.done_at = now
    session.flush()
    promote(session, number, now)
    return items


def enqueue_audit_anchor(session: Session, now: datetime | None = None) -> SyncOutboxRow | None:
    """Queue the audit chain's head for the platform unless an anchor is already pending or the
    head is the one last anchored; in the caller's transaction. Returns the new item, if any."""
    from houshi_desk.audit.anchor import head

    now = now or utcnow()
    current = head(session)
    if current["seq"] == 0:
        return None
    last = session.execute(select(SyncOutboxRow).where(SyncOutboxRow.case_number == AUDIT_CHAIN)
                           .order_by(SyncOutboxRow.seq.desc()).limit(1)).scalar_one_or_none()
    if last is not None and (last.state not in FINISHED or (
            last.state == ACKED and (last.payload or {}).get("seq") == current["seq"]
            and (last.payload or {}).get("hash") == current["hash"])):
        return None
    item = _item(AUDIT_CHAIN, 1, _next_seq(session, AUDIT_CHAIN), _group_order(session, AUDIT_CHAIN, now),
                 AUDIT_ANCHOR, current, now)
    if last is not None:  # the platform keeps the anchors; here only the last one is needed
        session.execute(delete(SyncOutboxRow).where(SyncOutboxRow.case_number == AUDIT_CHAIN,
                                                    SyncOutboxRow.state.in_(FINISHED), SyncOutboxRow.seq < last.seq))
    session.add(item)
    session.flush()
    promote(session, AUDIT_CHAIN, now)
    return item


def enqueue_evaluation(session: Session, payload: dict, now: datetime | None = None) -> SyncOutboxRow:
    """Queue an evaluation for ``POST /api/v1/evaluations``, in the caller's transaction."""
    now = now or utcnow()
    queue = f"EVAL-{payload['evaluation_id'][:20]}"
    item = _item(queue, 1, 1, int(now.timestamp() * 1000), EVALUATION, payload, now)
    session.add(item)
    session.flush()
    promote(session, queue, now)
    return item


# ---------------------------------------------------------------- compaction of delivered items (issue 19)

# Once the platform has acknowledged an item its body is not needed here any more (the platform
# has it, and answers a repeat of the Idempotency-Key from its own store); it was a third of the
# database per case and carries personal data. What stays: the key, payload_sha256 (columns), the
# ack time and the platform's receipt (acked_at, response), and this stub in ``payload``:
# ``{"compacted": {"bytes": <size of the canonical body>, "at": <when>}, …identifiers}``.
COMPACTED = "compacted"
# identifiers an acked item keeps (never personal data): what the outbox view, the reports, a
# bundle's acked uploads and a re-created upload's metadata (material, filename) need
KEEP_AFTER_ACK = ("case_id", "version", "material", "filename", "mime", "sha256", "size", "matter",
                  "evaluation_id")
# the audit anchor is kept whole: {seq, hash, at} is its whole point and only the last one is kept
NOT_COMPACTED_KINDS = (AUDIT_ANCHOR,)
COMPACTION_MARK = "compaction_checked_id"  # sync_state: outbox ids up to this one were looked at


def is_compacted(payload) -> bool:
    return isinstance(payload, dict) and COMPACTED in payload


def compacted_payload(kind: str, payload, now: datetime) -> dict:
    """The stub an acked item keeps instead of its body (the body itself if it stays whole)."""
    if kind in NOT_COMPACTED_KINDS or not isinstance(payload, dict) or is_compacted(payload) or "removed" in payload:
        return payload
    stub = {COMPACTED: {"bytes": len(canonical_json(payload)), "at": now.isoformat(timespec="seconds")}}
    stub.update({k: payload[k] for k in KEEP_AFTER_ACK
                 if k in payload and isinstance(payload[k], (str, int, float, bool, type(None)))})
    return stub


def payload_bytes(payload) -> int:
    """Size of the body as sent: the stub's record once compacted, else the canonical body."""
    if is_compacted(payload):
        return int(payload[COMPACTED].get("bytes") or 0)
    return len(canonical_json(payload or {}))


def compact_acked(store, *, now: datetime | None = None, batch: int = 500) -> int:
    """One-off (and after a bundle import) compaction of items acked without it: those acked by a
    version before issue 19. Looks only at ids above the mark in sync_state, in batches of short
    transactions, so it costs one query once done. Returns how many items were compacted."""
    now = now or utcnow()
    with store.session() as s:
        start = int(get_state(s, COMPACTION_MARK, "0") or 0)
        top = s.execute(select(func.max(SyncOutboxRow.id))).scalar() or 0
    done, last = 0, start
    while last < top:
        with store.session() as s:
            rows = s.execute(select(SyncOutboxRow.id, SyncOutboxRow.kind, SyncOutboxRow.payload).where(
                SyncOutboxRow.state == ACKED, SyncOutboxRow.id > last, SyncOutboxRow.id <= top)
                .order_by(SyncOutboxRow.id).limit(batch)).all()
            for rid, kind, payload in rows:
                stub = compacted_payload(kind, payload, now)
                if stub is not payload:
                    s.execute(update(SyncOutboxRow).where(SyncOutboxRow.id == rid, SyncOutboxRow.state == ACKED)
                              .values(payload=stub))
                    done += 1
            last = rows[-1].id if len(rows) == batch else top
            if last >= top:
                set_state(s, COMPACTION_MARK, str(top), now)
    if done:
        log.info("outbox: %d delivered item(s) compacted", done)
    return done


# ---------------------------------------------------------------- moving items along


def promote(session: Session, case_number: str, now: datetime | None = None) -> None:
    """Unblock the first unfinished item of a case (its predecessors are all acked or cancelled)."""
    first = session.execute(
        select(SyncOutboxRow).where(SyncOutboxRow.case_number == case_number,
                                    SyncOutboxRow.state.not_in(FINISHED))
        .order_by(SyncOutboxRow.seq).limit(1)).scalar_one_or_none()
    if first is not None and first.state == BLOCKED:
        first.state = QUEUED
        first.next_attempt_at = None
        first.updated_at = now or utcnow()


def _pid_alive(pid: int) -> bool:
    import os
    import sys

    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would terminate the process on Windows
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover_in_flight(session: Session, *, host: str, now: datetime | None = None) -> int:
    """At start-up: items left in flight by a dead process of this computer (owner
    ``host:pid:…``) go back to queued with the same key. A live process's items (the window and
    ``houshi-desk sync`` may run side by side) and other terminals' items are left alone; theirs
    come back when their lease expires."""
    rows = session.execute(select(SyncOutboxRow).where(SyncOutboxRow.state == IN_FLIGHT,
                                                       SyncOutboxRow.lease_owner.like(f"{host}:%"))).scalars().all()
    n = 0
    for row in rows:
        parts = (row.lease_owner or "").split(":")
        pid = int(parts[1]) if len(parts) > 2 and parts[1].isdigit() else -1
        if _pid_alive(pid) and pid != __import__("os").getpid():
            continue
        row.state, row.lease_owner, row.lease_until, row.next_attempt_at = QUEUED, None, None, None
        row.updated_at = now or utcnow()
        n += 1
    return n


def claim_next(session: Session, *, owner: str, now: datetime, lease_seconds: float = 300.0,
               after_group: int | None = None, exclude: set[int] | frozenset = frozenset()) -> SyncOutboxRow | None:
    """Take the next item to send and lease it to ``owner``. Oldest case first, round-robin: the
    first eligible case after ``after_group`` (the case served last), wrapping around."""
    eligible = or_(
        and_(SyncOutboxRow.state.in_((QUEUED, RETRY_WAIT)),
             or_(SyncOutboxRow.next_attempt_at.is_(None), SyncOutboxRow.next_attempt_at <= now)),
        and_(SyncOutboxRow.state == IN_FLIGHT, SyncOutboxRow.lease_until < now),  # a dead terminal's lease
        # ours but not being worked on (we send one item at a time): a commit that failed earlier
        and_(SyncOutboxRow.state == IN_FLIGHT, SyncOutboxRow.lease_owner == owner),
    )
    q = select(SyncOutboxRow).where(eligible)
    if exclude:
        q = q.where(SyncOutboxRow.id.not_in(list(exclude)))
    order = [SyncOutboxRow.group_order, SyncOutboxRow.seq]
    if after_group is not None:
        order.insert(0, case((SyncOutboxRow.group_order > after_group, 0), else_=1))
    q = q.order_by(*order).limit(1).with_for_update(skip_locked=True)
    row = session.execute(q).scalar_one_or_none()
    if row is None:
        return None
    row.state = IN_FLIGHT
    row.lease_owner = owner
    row.lease_until = now + timedelta(seconds=lease_seconds)
    row.attempts += 1
    row.last_attempt_at = now
    row.first_contact_at = row.first_contact_at or now
    row.updated_at = now
    return row


def cancel_case(session: Session, case_number: str, *, reason: str = "", now: datetime | None = None) -> str:
    """Cancel what is still unsent. Before first contact that is all; after it, the unfinished
    items are cancelled and a withdraw item follows whatever is in flight. Returns
    ``"cancelled"``, ``"withdraw"`` or ``"nothing"``."""
    now = now or utcnow()
    items = session.execute(select(SyncOutboxRow).where(SyncOutboxRow.case_number == case_number)
                            .order_by(SyncOutboxRow.seq)).scalars().all()
    if not items:
        return "nothing"
    contacted = any(i.first_contact_at is not None for i in items if i.kind != "withdraw")
    for i in items:
        if i.state in (QUEUED, RETRY_WAIT, BLOCKED, NEEDS_ATTENTION):
            i.state, i.updated_at = CANCELLED, now
            i.last_error, i.last_error_code = "已取消发送。", "cancelled"
    if not contacted:
        return "cancelled"
    if any(i.kind == "withdraw" and i.state not in (CANCELLED,) for i in items):
        return "withdraw"
    last = items[-1]
    session.add(_item(case_number, last.case_version, _next_seq(session, case_number), last.group_order,
                      "withdraw", {"case_id": case_number, "version": last.case_version, "reason": reason}, now))
    session.flush()
    promote(session, case_number, now)
    return "withdraw"


def retry_item(session: Session, item_id: int, now: datetime | None = None) -> None:
    """The clerk's “重试”: a needs_attention or retry_wait item goes back to the queue now."""
    row = session.get(SyncOutboxRow, item_id)
    if row is None:
        raise OutboxError("找不到该发送项。")
    if row.state in (NEEDS_ATTENTION, RETRY_WAIT):
        row.state, row.next_attempt_at, row.updated_at = QUEUED, None, now or utcnow()


# ---------------------------------------------------------------- shared state (cursor, pause)


def get_state(session: Session, name: str, default: str = "", *, for_update: bool = False) -> str:
    q = select(SyncStateRow).where(SyncStateRow.name == name)
    if for_update:
        q = q.with_for_update()
    row = session.execute(q).scalar_one_or_none()
    return row.value if row is not None else default


def set_state(session: Session, name: str, value: str, now: datetime | None = None) -> None:
    row = session.get(SyncStateRow, name)
    if row is None:
        session.add(SyncStateRow(name=name, value=value, updated_at=now or utcnow()))
    else:
        row.value, row.updated_at = value, now or utcnow()


# ---------------------------------------------------------------- what the status bar shows


@dataclass
class OutboxSummary:
    counts: dict[str, int]
    pending_items: int
    pending_cases: int
    bytes_left: int
    paused: str
    last_answer: str
    oldest_pending: datetime | None
    alerts: list[str]


ALERT_AFTER = timedelta(hours=24)


def summary(session: Session, now: datetime | None = None) -> OutboxSummary:
    now = now or utcnow()
    cases_only = SyncOutboxRow.kind.not_in((AUDIT_ANCHOR, EVALUATION))  # nor is an anchor or an evaluation a case
    counts = dict(session.execute(select(SyncOutboxRow.state, func.count()).where(cases_only)
                                  .group_by(SyncOutboxRow.state)).all())
    pend = session.execute(select(func.count(), func.count(func.distinct(SyncOutboxRow.case_number)),
                                  func.min(SyncOutboxRow.created_at))
                           .where(SyncOutboxRow.state.in_(PENDING), cases_only)).one()
    left = session.execute(select(func.coalesce(func.sum(SyncOutboxRow.file_size - SyncOutboxRow.remote_offset), 0))
                           .where(SyncOutboxRow.state.in_(PENDING), SyncOutboxRow.kind == "upload")).scalar()
    alerts = []
    old = session.execute(select(SyncOutboxRow.case_number).where(
        SyncOutboxRow.state.in_(PENDING), SyncOutboxRow.created_at < now - ALERT_AFTER, cases_only)
        .group_by(SyncOutboxRow.case_number)).scalars().all()
    for number in old:
        alerts.append(f"案件 {number} 已超过 24 小时未能送达平台，请检查网络或联系信息科。")
    attention = session.execute(select(SyncOutboxRow.case_number).where(SyncOutboxRow.state == NEEDS_ATTENTION)
                                .group_by(SyncOutboxRow.case_number)).scalars().all()
    for number in attention:
        if number == AUDIT_CHAIN:
            alerts.append("平台拒收了本机审计链的锚点（本机审计链与平台保存的不一致），请立即报告信息科并保留现场。")
        else:
            alerts.append(f"案件 {number} 被平台拒收，需要人工处理。")
    return OutboxSummary(counts=counts, pending_items=pend[0], pending_cases=pend[1], bytes_left=int(left or 0),
                         paused=get_state(session, "paused"), last_answer=get_state(session, "last_answer"),
                         oldest_pending=pend[2], alerts=alerts)

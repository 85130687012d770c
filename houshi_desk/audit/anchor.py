"""Anchoring the audit chain at the platform (issue 14).

Whoever holds the database key can drop the append-only trigger, rewrite an entry and recompute
every later hash: the chain is then whole again and :func:`verify` alone cannot tell. So at every
sync the chain head (sequence, hash, time) goes to the platform (outbox kind ``audit_anchor``,
``POST /api/v1/audit-anchors``), and the platform keeps a copy the terminal cannot change.
``audit verify`` then also checks the local chain against the platform's latest anchor: the entry
at the anchored sequence must exist and carry the anchored hash. When sending an anchor the
terminal also states the hash its chain now has at the previous anchor's sequence; the platform
refuses the anchor when that differs, so a rewritten chain cannot get itself anchored afresh.

A restore from a backup rolls the chain back, behind what the platform anchored since the backup.
:func:`record_restore` notes the head the chain came back with (``sync_state`` row ``audit_restored``)
and audits the restore; the next anchor then also states that head and what the chain has at the
platform's latest anchor at or before it. The platform accepts the anchor when the restored chain
agrees with that earlier anchor (a backup is an older state of the same chain) and keeps a record of
the entries lost; a chain rewritten before the backup's head is still refused.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from houshi_desk.audit.chain import GENESIS
from houshi_desk.audit.log import VerifyResult
from houshi_desk.store.models_users import AuditEntryRow, AuditHeadRow

RESTORED = "audit_restored"  # sync_state name: {"seq": head the chain came back with, "at": …}


def head(session: Session) -> dict:
    """The chain head as the platform keeps it: ``{"seq", "hash", "at"}`` (seq 0 for an empty chain)."""
    row = session.execute(select(AuditHeadRow.seq, AuditHeadRow.hash).where(AuditHeadRow.id == 1)).first()
    if row is None:
        last = session.execute(select(AuditEntryRow.seq, AuditEntryRow.hash)
                               .order_by(AuditEntryRow.seq.desc()).limit(1)).first()
        seq, digest = (last.seq, last.hash) if last else (0, GENESIS)
    else:
        seq, digest = row.seq, row.hash
    at = session.execute(select(AuditEntryRow.at).where(AuditEntryRow.seq == seq)).scalar() if seq else None
    return {"seq": int(seq), "hash": digest, "at": at.isoformat(timespec="seconds") if isinstance(at, datetime) else ""}


def hash_at(session: Session, seq: int) -> str | None:
    """The stored hash of entry ``seq`` (GENESIS for 0), None when there is no such entry."""
    if seq == 0:
        return GENESIS
    return session.execute(select(AuditEntryRow.hash).where(AuditEntryRow.seq == seq)).scalar()


@dataclass(frozen=True)
class AnchorCheck:
    ok: bool | None  # None: not checked against the platform (offline, not configured, no anchor yet)
    message: str  # Chinese, for the supervisor


def check(session: Session, local: VerifyResult, anchor: dict | None) -> AnchorCheck:
    """The local chain (already verified as ``local``) against the platform's latest anchor."""
    if not anchor:
        return AnchorCheck(None, "平台上还没有本机审计链的锚点（本机尚未同步过），本次仅在本机核验。")
    seq, digest = int(anchor.get("seq", 0)), str(anchor.get("hash", ""))
    when = str(anchor.get("at", "") or "")[:19].replace("T", " ")
    if seq > local.last_seq:
        return AnchorCheck(False, f"审计链与平台锚点不符：平台保存的锚点在第 {seq} 条（{when}），本机审计链只有 "
                                  f"{local.last_seq} 条：记录被删除，或数据库被替换、从较早的备份恢复（其后的审计记录已丢失）。")
    mine = hash_at(session, seq)
    if mine != digest:
        return AnchorCheck(False, f"审计链与平台锚点不符：第 {seq} 条（{when} 锚定）的哈希与平台保存的不同，"
                                  f"第 {seq} 条或更早的记录被改写，链上的哈希被重新计算过。")
    return AnchorCheck(True, f"与平台锚点一致：平台保存的第 {seq} 条（{when}）与本机相同。")


def verify_with_platform(session: Session, local: VerifyResult, settings) -> AnchorCheck:
    """Fetch the platform's latest anchor (``GET /api/v1/audit-anchors/latest``) and check against
    it; offline or without a platform, say that the check was local only."""
    from houshi_desk.errors import HoushiError
    from houshi_desk.sync.service import client_from_settings

    try:
        client = client_from_settings(settings)
    except HoushiError as exc:
        return AnchorCheck(None, f"未能向平台核对锚点（{exc.message}），本次仅在本机核验。")
    try:
        anchor = client.audit_anchor_latest()
    except HoushiError as exc:
        return AnchorCheck(None, f"无法连接平台核对锚点（{exc.message}），本次仅在本机核验；联网后请再次核验。")
    finally:
        client.close()
    return check(session, local, anchor)


def record_restore(session: Session, *, actor: str, detail: str, now: datetime | None = None) -> int:
    """After a restore from a backup, in the restored store: note the chain head it came back with, so
    the next anchor declares the restore to the platform, and audit the restore. Returns that head's seq."""
    import json

    from houshi_desk import audit
    from houshi_desk.store.models_sync import SyncStateRow

    now = now or datetime.now()
    seq = head(session)["seq"]
    value = json.dumps({"seq": seq, "at": now.isoformat(timespec="seconds")})
    row = session.get(SyncStateRow, RESTORED)
    if row is None:
        session.add(SyncStateRow(name=RESTORED, value=value, updated_at=now))
    else:  # restored twice before an anchor went out: the older head is the one the platform must check
        prior = json.loads(row.value or "{}").get("seq")
        if not isinstance(prior, int) or prior > seq:
            row.value, row.updated_at = value, now
            prior = seq
        seq = prior
    # an anchor that came back pending with the backup states a head from before the restore, under an
    # idempotency key the platform may have seen with another body: the next sync queues a fresh one
    from sqlalchemy import update

    from houshi_desk.store.models_sync import SyncOutboxRow

    session.execute(update(SyncOutboxRow).where(
        SyncOutboxRow.case_number == "AUDIT-CHAIN",  # sync.outbox.AUDIT_CHAIN (audit does not import sync)
        SyncOutboxRow.state.in_(("queued", "in_flight", "retry_wait", "blocked", "needs_attention")),
    ).values(state="cancelled", updated_at=now))
    audit.record(session, actor=actor, action="restore", case_number=None, detail=detail)
    return seq


def restored_head(session: Session) -> int | None:
    """The head a restore brought the chain back to, while no anchor has gone out since; else None."""
    import json

    from houshi_desk.store.models_sync import SyncStateRow

    row = session.get(SyncStateRow, RESTORED)
    if row is None:
        return None
    try:
        seq = json.loads(row.value).get("seq")
    except (ValueError, AttributeError):
        return None
    return seq if isinstance(seq, int) and seq >= 0 else None


def clear_restore(session: Session) -> None:
    from houshi_desk.store.models_sync import SyncStateRow

    row = session.get(SyncStateRow, RESTORED)
    if row is not None:
        session.delete(row)

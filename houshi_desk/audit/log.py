"""Appending to the audit trail and checking it.

``record`` locks the chain head (``SELECT … FOR UPDATE`` on PostgreSQL; the write lock on SQLite),
so appends from several terminals sharing one hall database still form a single chain. It runs in
the caller's transaction: the entry is committed together with what it records, or not at all.
There is no function to change or delete an entry, on purpose.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, func, select, text, type_coerce
from sqlalchemy.orm import Session

from houshi_desk.audit.chain import GENESIS, entry_hash
from houshi_desk.audit.scrub import scrub
from houshi_desk.errors import HoushiError
from houshi_desk.store.models_users import AuditEntryRow, AuditHeadRow

# Known actions and how the trail shows them; other areas may record others (kept as given).
ACTIONS = {
    "create": "新建案件",
    "view": "查看案件",
    "change": "修改案件",
    "submit": "提交受理",
    "print": "打印",
    "reprint": "补打",
    "print_failed": "打印失败",
    "export": "导出",
    "send": "推送平台",
    "cancel": "作废",
    "correct": "更正（近亲属申请）",
    "rights_export": "导出（近亲属申请）",
    "retention": "到期删除个人数据",
    "report": "生成报表",
    "login": "登录",
    "login_failed": "登录失败",
    "logout": "退出登录",
    "user_add": "新建用户",
    "user_disable": "停用用户",
    "user_enable": "启用用户",
    "password_reset": "重置密码",
    "password_change": "修改密码",
    "audit_verify": "核验审计链",
}


class AuditError(HoushiError):
    pass


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int  # entries checked
    broken_seq: int | None  # the first broken entry (None when ok)
    message: str  # Chinese, for the supervisor
    last_seq: int = 0
    last_hash: str = GENESIS


def _lock_head(session: Session) -> AuditHeadRow:
    if session.get_bind().dialect.name == "sqlite":
        # Take SQLite's write lock before reading the head, so no other writer slips in between.
        session.execute(text("UPDATE audit_head SET seq = seq WHERE id = 1"))
    head = session.execute(
        select(AuditHeadRow).where(AuditHeadRow.id == 1).with_for_update()
    ).scalar_one_or_none()
    if head is None:  # a database built without the migration's seed row
        last = session.execute(select(AuditEntryRow).order_by(AuditEntryRow.seq.desc()).limit(1)).scalar()
        head = AuditHeadRow(id=1, seq=last.seq if last else 0, hash=last.hash if last else GENESIS)
        session.add(head)
        session.flush()
    return head


def record(session: Session, *, actor: str, action: str, case_number: str | None = None, detail: str = "",
           at: datetime | None = None) -> AuditEntryRow:
    """Append one entry in the caller's transaction; returns it (``.seq``, ``.hash``)."""
    action = (action or "").strip()
    if not action:
        raise AuditError("审计记录缺少操作类型，未能记录。请联系信息科。")
    actor = scrub((actor or "").strip() or "system")[:64]
    number = scrub(case_number.strip())[:40] if case_number else None
    detail = scrub(detail)
    at = (at or datetime.now()).replace(tzinfo=None)
    head = _lock_head(session)
    seq = head.seq + 1
    h = entry_hash(seq, at, actor, action[:32], number, detail, head.hash)
    row = AuditEntryRow(seq=seq, at=at, actor=actor, action=action[:32], case_number=number, detail=detail,
                        prev_hash=head.hash, hash=h)
    session.add(row)
    head.seq, head.hash = seq, h
    session.flush()
    return row


def entries(session: Session, *, case_number: str | None = None, limit: int | None = None) -> list[AuditEntryRow]:
    q = select(AuditEntryRow).order_by(AuditEntryRow.seq)
    if case_number:
        q = q.where(AuditEntryRow.case_number == case_number)
    if limit:
        q = q.limit(limit)
    return list(session.execute(q).scalars())


def verify(session: Session, *, batch: int = 20000) -> VerifyResult:
    """Walk the chain in order up to the head; stop at the first entry that does not fit.

    The head is read first and only entries up to it are checked, so terminals appending while a
    supervisor verifies (hall mode) do not make a sound chain look cut off.
    """
    head = session.execute(select(AuditHeadRow.seq, AuditHeadRow.hash).where(AuditHeadRow.id == 1)).first()
    # SQLite keeps times as text in exactly the canonical form; reading that text skips parsing a
    # million datetimes (a row whose text differs is re-checked through a parsed datetime below).
    raw_time = session.get_bind().dialect.name == "sqlite"
    at_col = type_coerce(AuditEntryRow.at, String) if raw_time else AuditEntryRow.at
    cols = (AuditEntryRow.seq, at_col, AuditEntryRow.actor, AuditEntryRow.action,
            AuditEntryRow.case_number, AuditEntryRow.detail, AuditEntryRow.prev_hash, AuditEntryRow.hash)
    q = select(*cols).order_by(AuditEntryRow.seq)
    if head is not None:
        q = q.where(AuditEntryRow.seq <= head.seq)
    expected, prev, count = 1, GENESIS, 0
    # Core rows on the session's connection (same transaction), not ORM loading: a third faster.
    result = session.connection().execute(q.execution_options(yield_per=batch))
    try:
        for seq, at, actor, action, number, detail, prev_hash, stored in result:
            if seq != expected:
                return VerifyResult(False, count, expected,
                                    f"审计链在第 {expected} 条断开：该条记录不存在（下一条是第 {seq} 条），"
                                    "记录被删除或编号被改动。", expected - 1, prev)
            if prev_hash != prev:
                return VerifyResult(False, count, seq,
                                    f"审计链在第 {seq} 条断开：它记下的上一条哈希与第 {seq - 1} 条不符，"
                                    f"第 {seq - 1} 条或第 {seq} 条被改动或替换。", expected - 1, prev)
            if entry_hash(seq, at, actor, action, number, detail, prev_hash) != stored and not (
                    raw_time and _parsed_hash(seq, at, actor, action, number, detail, prev_hash) == stored):
                return VerifyResult(False, count, seq,
                                    f"审计链在第 {seq} 条断开：该条记录的内容与其哈希不符，记录被改动。",
                                    expected - 1, prev)
            prev, expected, count = stored, expected + 1, count + 1
    finally:
        result.close()
    last = expected - 1
    if head is not None and (head.seq != last or head.hash != prev):
        if head.seq > last:
            msg = f"审计链在第 {last + 1} 条断开：链头记录到第 {head.seq} 条，但最后一条是第 {last} 条，末尾的记录被删除。"
        else:
            msg = f"审计链在第 {last} 条断开：链头记录（第 {head.seq} 条）与最后一条记录不符，链头或末尾记录被改动。"
        return VerifyResult(False, count, last + 1 if head.seq > last else last, msg, last, prev)
    if count == 0:
        return VerifyResult(True, 0, None, "审计链为空，没有需要核验的记录。", 0, GENESIS)
    return VerifyResult(True, count, None, f"审计链完整：共 {count} 条记录，第 1 条至第 {last} 条均未被改动。",
                        last, prev)


def _parsed_hash(seq, at_text, actor, action, number, detail, prev_hash) -> str | None:
    try:
        at = datetime.fromisoformat(str(at_text))
    except ValueError:
        return None
    return entry_hash(seq, at, actor, action, number, detail, prev_hash)


def count(session: Session) -> int:
    return session.execute(select(func.count()).select_from(AuditEntryRow)).scalar_one()

"""Audit anchoring (issue 14): the audit chain head reaches the platform at every sync (outbox kind
``audit_anchor``); a chain rewritten behind the program's back — trigger dropped, an entry changed,
every later hash recomputed, so it is whole again locally — fails ``audit verify`` against the
platform's anchor, cannot get itself anchored afresh, and offline the check says it was local only."""
from __future__ import annotations

from sqlalchemy import select, text

from houshi_desk import audit
from houshi_desk.audit.anchor import check, verify_with_platform
from houshi_desk.store.models_users import AuditEntryRow
from tests.sync.conftest import drain, outbox_rows


def _record(store, n: int, start: int = 0) -> None:
    with store.session() as s:
        for i in range(start, start + n):
            audit.record(s, actor="clerk01", action="view", case_number=f"150702-W01-20260122-{i + 1:04d}",
                         detail="窗口查询")


def _rewrite(store, seq: int, detail: str) -> None:
    """What someone holding the database key can do: drop the append-only triggers, change entry
    ``seq`` and recompute every later hash and the head, so the chain is whole again."""
    with store.session() as s:
        rows = list(s.execute(select(AuditEntryRow).order_by(AuditEntryRow.seq)).scalars())
        entries = [(r.seq, r.at, r.actor, r.action, r.case_number, r.detail, r.prev_hash) for r in rows]
    with store.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER IF EXISTS audit_log_no_update"))
        conn.execute(text("DROP TRIGGER IF EXISTS audit_log_no_delete"))
        prev = audit.GENESIS
        for number, at, actor, action, case_number, old_detail, _ in entries:
            new_detail = detail if number == seq else old_detail
            h = audit.entry_hash(number, at, actor, action, case_number, new_detail, prev)
            conn.execute(text("UPDATE audit_log SET detail = :d, prev_hash = :p, hash = :h WHERE seq = :s"),
                         {"d": new_detail, "p": prev, "h": h, "s": number})
            prev = h
        conn.execute(text("UPDATE audit_head SET hash = :h WHERE id = 1"), {"h": prev})


def _verify(terminal):
    with terminal.store.session() as s:
        local = audit.verify(s)
        return local, verify_with_platform(s, local, terminal.settings)


def test_every_sync_anchors_the_head_and_a_rewritten_chain_fails_against_it(terminal):
    ref = terminal.ref
    terminal.new_case([3000], seed=1)
    _record(terminal.store, 5)
    drain(terminal.uploader())
    anchors = ref.dump()["audit_anchors"]
    with terminal.store.session() as s:
        head = audit.verify(s)
    assert head.ok and anchors and (anchors[-1]["seq"], anchors[-1]["hash"]) == (head.last_seq, head.last_hash)
    anchor_items = [r for r in outbox_rows(terminal.store) if r.kind == "audit_anchor"]
    assert anchor_items and all(r.state == "acked" for r in anchor_items)
    local, anchored = _verify(terminal)
    assert local.ok and anchored.ok is True and "与平台锚点一致" in anchored.message

    # nothing new: the next sync sends no second anchor of the same head
    up = terminal.uploader()
    drain(up)
    assert len(ref.dump()["audit_anchors"]) == len(anchors)
    # more entries, another sync: a new anchor that chains onto the last one
    _record(terminal.store, 3, start=10)
    drain(terminal.uploader())
    anchors = ref.dump()["audit_anchors"]
    assert anchors[-1]["seq"] > head.last_seq
    assert len([r for r in outbox_rows(terminal.store) if r.kind == "audit_anchor"]) <= 2  # old ones pruned

    _rewrite(terminal.store, 2, "（已改写）")
    local, anchored = _verify(terminal)
    assert local.ok, local.message  # the rewritten chain is whole: the local check alone cannot tell
    assert anchored.ok is False and "与平台锚点不符" in anchored.message and f"第 {anchors[-1]['seq']} 条" in anchored.message

    # the rewritten chain cannot be anchored afresh: the platform refuses, the old anchor stays
    _record(terminal.store, 2, start=20)
    drain(terminal.uploader())
    last = [r for r in outbox_rows(terminal.store) if r.kind == "audit_anchor"][-1]
    assert last.state == "needs_attention" and last.last_error_code == "anchor_mismatch"
    assert ref.dump()["audit_anchors"][-1]["seq"] == anchors[-1]["seq"]
    local, anchored = _verify(terminal)
    assert local.ok and anchored.ok is False
    with terminal.store.session() as s:
        from houshi_desk.sync.outbox import summary

        alerts = summary(s).alerts
        assert any("审计链" in a and "信息科" in a for a in alerts)
        assert summary(s).pending_cases == 0  # an anchor is not a case waiting to be sent


def test_a_truncated_chain_fails_against_the_anchor():
    """Fewer entries than the anchored head: removed entries or a replaced database."""
    local = audit.VerifyResult(True, 3, None, "审计链完整", 3, "a" * 64)
    result = check(None, local, {"seq": 7, "hash": "b" * 64, "at": "2026-01-22T10:00:00"})
    assert result.ok is False and "只有 3 条" in result.message


def test_offline_verify_says_it_checked_locally_only(terminal):
    _record(terminal.store, 3)
    drain(terminal.uploader())
    terminal.ref.stop()  # the platform is gone
    local, anchored = _verify(terminal)
    assert local.ok and anchored.ok is None
    assert "仅在本机核验" in anchored.message and "无法连接平台" in anchored.message


def test_audit_verify_command_fails_a_rewritten_chain_against_the_anchor(terminal, login_as, capsys):
    from houshi_desk.cli import main

    _record(terminal.store, 4)
    drain(terminal.uploader())
    login_as("sup01", "supervisor")
    assert main(["audit", "verify"]) == 0
    out = capsys.readouterr().out
    assert "审计链完整" in out and "与平台锚点一致" in out
    _rewrite(terminal.store, 1, "（已改写）")
    assert main(["audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert "审计链完整" in out and "与平台锚点不符" in out and "报告信息科" in out


def _roll_back(store, to_seq: int) -> None:
    """What a restore from a backup does to the chain: the entries after the backup's head are gone."""
    with store.session() as s:
        head_hash = s.execute(select(AuditEntryRow.hash).where(AuditEntryRow.seq == to_seq)).scalar_one()
    with store.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER IF EXISTS audit_log_no_delete"))
        conn.execute(text("DELETE FROM audit_log WHERE seq > :s"), {"s": to_seq})
        conn.execute(text("UPDATE audit_head SET seq = :s, hash = :h WHERE id = 1"), {"s": to_seq, "h": head_hash})


def test_a_declared_restore_is_anchored_and_a_rewrite_dressed_as_one_is_not(terminal):
    """After a restore the chain is behind the platform's anchor. ``record_restore`` (what ``backup
    restore`` does) makes the next anchor declare it: the platform takes it when the restored chain
    agrees with its anchor at or before the restored head, and records the entries lost. A chain
    rewritten before that point, then "restored", is still refused."""
    from houshi_desk.audit.anchor import record_restore, restored_head

    ref = terminal.ref
    _record(terminal.store, 4)
    drain(terminal.uploader())
    backup_head = ref.dump()["audit_anchors"][-1]["seq"]  # the backup was taken here
    _record(terminal.store, 5, start=10)
    drain(terminal.uploader())
    lost_to = ref.dump()["audit_anchors"][-1]["seq"]
    assert lost_to > backup_head

    _roll_back(terminal.store, backup_head)  # the disk died; the backup came back
    with terminal.store.session() as s:
        assert record_restore(s, actor="backup-restore", detail="从备份恢复（测试）") == backup_head
    _record(terminal.store, 2, start=30)
    drain(terminal.uploader())
    last = [r for r in outbox_rows(terminal.store) if r.kind == "audit_anchor"][-1]
    assert last.state == "acked" and last.response.get("restored_from") == backup_head, last.last_error
    dump = ref.dump()
    assert [(r["restored_seq"], r["lost_from"], r["lost_to"]) for r in dump["audit_restores"]] == [
        (backup_head, backup_head + 1, lost_to)]
    local, anchored = _verify(terminal)
    assert local.ok and anchored.ok is True  # verify now checks against the anchor of the restored chain
    with terminal.store.session() as s:
        assert restored_head(s) is None

    # someone rewrites an entry the platform anchored, then claims a restore: refused
    _rewrite(terminal.store, 2, "（已改写）")
    with terminal.store.session() as s:
        record_restore(s, actor="backup-restore", detail="冒充的恢复")
    _record(terminal.store, 1, start=40)
    drain(terminal.uploader())
    last = [r for r in outbox_rows(terminal.store) if r.kind == "audit_anchor"][-1]
    assert last.state == "needs_attention" and last.last_error_code == "anchor_mismatch"
    assert len(ref.dump()["audit_restores"]) == 1

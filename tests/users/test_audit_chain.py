"""The audit trail: appends form one chain, verify finds the first tampered entry, no ID in clear."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError, IntegrityError, InternalError, OperationalError

from houshi_desk import audit
from houshi_desk.audit import GENESIS, entry_hash


def _fill(store, n: int) -> None:
    with store.session() as s:
        for i in range(1, n + 1):
            audit.record(s, actor="clerk1", action="view", case_number=f"150702-W01-20260122-{i:04d}",
                         detail=f"窗口查询 {i}")


def test_empty_chain_verifies(store):
    with store.session() as s:
        r = audit.verify(s)
    assert r.ok and r.count == 0 and r.broken_seq is None
    assert "为空" in r.message


def test_chain_links_each_entry_to_the_previous(store):
    _fill(store, 5)
    with store.session() as s:
        rows = audit.entries(s)
        assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
        assert rows[0].prev_hash == GENESIS
        for a, b in zip(rows, rows[1:]):
            assert b.prev_hash == a.hash
        for r in rows:
            assert r.hash == entry_hash(r.seq, r.at, r.actor, r.action, r.case_number, r.detail, r.prev_hash)
        result = audit.verify(s)
    assert result.ok and result.count == 5 and result.last_seq == 5
    assert "共 5 条" in result.message


def test_entry_rolls_back_with_the_callers_transaction(store):
    _fill(store, 2)
    with pytest.raises(RuntimeError):
        with store.session() as s:
            audit.record(s, actor="clerk1", action="change", case_number="X", detail="未提交")
            raise RuntimeError("case save failed")
    _fill(store, 1)
    with store.session() as s:
        assert audit.verify(s).ok
        assert [r.seq for r in audit.entries(s)] == [1, 2, 3]


@pytest.mark.parametrize("column, value", [
    ("detail", "改过的内容"),
    ("actor", "someone_else"),
    ("action", "print"),
    ("case_number", "150702-W01-20260122-9999"),
    ("at", datetime(2020, 1, 1, 8, 0)),
])
def test_verify_names_exactly_the_edited_entry(store, tamper_sql, column, value):
    _fill(store, 10)
    tamper_sql(store, f"UPDATE audit_log SET {column} = :v WHERE seq = 7", {"v": value})
    with store.session() as s:
        r = audit.verify(s)
    assert not r.ok
    assert r.broken_seq == 7
    assert "第 7 条" in r.message and "改动" in r.message
    assert r.count == 6


def test_rewritten_entry_with_fresh_hash_breaks_the_next_link(store, tamper_sql):
    _fill(store, 6)
    with store.session() as s:
        e = audit.entries(s)[2]  # seq 3
        forged = entry_hash(3, e.at, e.actor, e.action, e.case_number, "伪造", e.prev_hash)
    tamper_sql(store, "UPDATE audit_log SET detail = '伪造', hash = :h WHERE seq = 3", {"h": forged})
    with store.session() as s:
        r = audit.verify(s)
    assert not r.ok and r.broken_seq == 4
    assert "第 3 条或第 4 条" in r.message


def test_deleted_entry_in_the_middle(store, tamper_sql):
    _fill(store, 6)
    tamper_sql(store, "DELETE FROM audit_log WHERE seq = 4")
    with store.session() as s:
        r = audit.verify(s)
    assert not r.ok and r.broken_seq == 4
    assert "不存在" in r.message


def test_deleted_tail_is_caught_by_the_chain_head(store, tamper_sql):
    _fill(store, 6)
    tamper_sql(store, "DELETE FROM audit_log WHERE seq >= 5")
    with store.session() as s:
        r = audit.verify(s)
    assert not r.ok and r.broken_seq == 5
    assert "末尾" in r.message


def test_database_refuses_update_and_delete(store):
    _fill(store, 2)
    for sql in ("UPDATE audit_log SET detail = 'x' WHERE seq = 1", "DELETE FROM audit_log WHERE seq = 2"):
        with pytest.raises((DatabaseError, IntegrityError, InternalError, OperationalError)):
            with store.engine.begin() as conn:
                conn.execute(text(sql))
    with store.session() as s:
        assert audit.verify(s).ok


@pytest.mark.parametrize("raw, masked", [
    ("11010519491231002X", "110105********002X"),
    ("440524188001010014", "440524********0014"),
    ("110105491231002", "110105*****1002"),  # first-generation 15 digits
    ("ABC123456789012", "ABC123*****9012"),  # foreign permanent residence card (2017)
])
def test_id_numbers_never_in_clear(store, raw, masked):
    with store.session() as s:
        e = audit.record(s, actor=raw, action="view", case_number=raw, detail=f"按身份证号{raw}查询，电话 13800000000")
    with store.session() as s:
        row = audit.entries(s)[0]
        for value in (row.detail, row.actor, row.case_number):
            assert raw not in value and raw.lower() not in value
        assert masked in row.detail
        assert "13800000000" in row.detail  # an 11-digit phone number is not an ID number
        assert e.hash == row.hash
        assert audit.verify(s).ok


def test_case_numbers_and_dates_are_left_alone():
    detail = "受理编号 150702-W03-20260122-0007，2026-01-22 10:00"
    assert audit.scrub(detail) == detail


def test_missing_action_is_refused(store):
    with store.session() as s:
        with pytest.raises(audit.AuditError) as exc:
            audit.record(s, actor="a", action=" ")
    assert "操作类型" in exc.value.message


def test_sqlite_stores_time_in_canonical_form(sqlite_store):
    """verify's fast path hashes SQLite's stored time text as is; it must be the canonical form."""
    from sqlalchemy import String, select, type_coerce

    from houshi_desk.audit.chain import canonical_time
    from houshi_desk.store.models_users import AuditEntryRow

    with sqlite_store.session() as s:
        audit.record(s, actor="a", action="view", at=datetime(2026, 1, 22, 9, 5, 7))
        audit.record(s, actor="a", action="view", at=datetime(2026, 1, 22, 9, 5, 7, 120))
    with sqlite_store.session() as s:
        rows = s.execute(select(type_coerce(AuditEntryRow.at, String), AuditEntryRow.at)).all()
    assert [raw for raw, _ in rows] == [canonical_time(at) for _, at in rows]

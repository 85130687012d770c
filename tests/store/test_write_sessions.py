"""Write sessions: a transaction that reads and then writes waits its turn instead of failing.

On SQLite a deferred transaction that read first is refused outright ("database is locked") when
another connection committed in between — the CLI saving a case while the window's uploader
writes, say. ``store.session(write=True)`` takes the write lock with its first statement, so it
waits (busy_timeout) and then works. Real SQLCipher files, real threads; PostgreSQL as well.
"""
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select

from houshi_desk import audit
from houshi_desk.store.models_users import AuditEntryRow


def _read_then_append(store, who: str, errors: list, barrier: threading.Barrier) -> None:
    try:
        barrier.wait(5)
        for i in range(5):
            with store.session(write=True) as s:
                s.execute(select(func.count()).select_from(AuditEntryRow)).scalar_one()  # read first
                time.sleep(0.005)  # give the other threads every chance to commit in between
                audit.record(s, actor=who, action="view", detail=f"第 {i} 次")
    except Exception as exc:  # noqa: BLE001 - collected and asserted on the main thread
        errors.append(f"{who}: {type(exc).__name__}: {exc}")


def test_concurrent_read_then_write_transactions_all_land(store):
    threads, errors = [], []
    barrier = threading.Barrier(4)
    for n in range(4):
        t = threading.Thread(target=_read_then_append, args=(store, f"clerk{n}", errors, barrier))
        threads.append(t)
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    with store.session() as s:
        assert s.execute(select(func.count()).select_from(AuditEntryRow).where(AuditEntryRow.action == "view")).scalar_one() == 20
        assert audit.verify(s).ok  # no two entries chained to the same predecessor


def test_a_write_session_inside_a_write_session_is_refused_at_once(sqlite_store):
    t = time.monotonic()
    with sqlite_store.session(write=True):
        with pytest.raises(RuntimeError, match="already open"):
            with sqlite_store.session(write=True):
                pass
    assert time.monotonic() - t < 2  # not a 10-second wait on its own lock
    with sqlite_store.session(write=True) as s:  # and the thread can write again afterwards
        audit.record(s, actor="t", action="view")


def test_a_failed_write_session_rolls_back_and_frees_the_lock(sqlite_store):
    with pytest.raises(ValueError):
        with sqlite_store.session(write=True) as s:
            audit.record(s, actor="t", action="view")
            raise ValueError("boom")
    with sqlite_store.session(write=True) as s:
        assert s.execute(select(func.count()).select_from(AuditEntryRow).where(AuditEntryRow.action == "view")).scalar_one() == 0

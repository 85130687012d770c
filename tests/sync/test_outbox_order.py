"""Outbox ordering without a network: round-robin across cases (oldest first), per-case order,
in-flight recovery with the same key, and the migration matching the models."""
from __future__ import annotations

from datetime import timedelta

from houshi_desk.sync.clock import utcnow
from houshi_desk.sync.outbox import ACKED, claim_next, promote, recover_in_flight
from tests.sync.conftest import make_case, outbox_rows


def _ack(s, row, now):
    row.state, row.lease_owner, row.lease_until = ACKED, None, None
    s.flush()
    promote(s, row.case_number, now)


def test_round_robin_oldest_first_and_per_case_order(sqlite_store, settings):
    from houshi_desk.scanning.filestore import FileStore

    files = FileStore.for_settings(settings)
    numbers = [make_case(sqlite_store, settings, files, [100, 100], seed=i) for i in range(3)]
    now = utcnow() + timedelta(seconds=1)
    served, last = [], None
    with sqlite_store.session() as s:
        for _ in range(12):
            row = claim_next(s, owner="me", now=now, after_group=last)
            if row is None:
                break
            served.append((row.case_number, row.kind))
            last = row.group_order
            _ack(s, row, now)
    # one item per case per turn, in case age order, and inside a case: shell → uploads → submit
    assert [n for n, _ in served[:6]] == numbers + numbers
    for n in numbers:
        assert [k for m, k in served if m == n] == ["create_case", "upload", "upload", "submit"]


def test_in_flight_goes_back_to_queued_with_same_key(sqlite_store, settings):
    from houshi_desk.scanning.filestore import FileStore

    make_case(sqlite_store, settings, FileStore.for_settings(settings), [10])
    now = utcnow() + timedelta(seconds=1)
    import socket
    import subprocess
    import sys

    host = socket.gethostname()[:40].replace(":", "_").replace("%", "_")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    with sqlite_store.session() as s:
        row = claim_next(s, owner=f"{host}:{dead}:abcdef", now=now)
        key = row.idempotency_key
    with sqlite_store.session() as s:
        assert recover_in_flight(s, host="another-pc") == 0  # other terminals wait for lease expiry
        assert recover_in_flight(s, host=host) == 1
    first = outbox_rows(sqlite_store)[0]
    assert (first.state, first.idempotency_key, first.attempts) == ("queued", key, 1)


def test_sync_migration_matches_models(sqlite_store):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from houshi_desk.store.models_all import Base

    with sqlite_store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    mine = [d for d in diff if "sync_" in repr(d)]
    assert mine == []

"""Hall mode (issue 7): several terminal processes drain one PostgreSQL outbox at the same time.
Leases taken with ``FOR UPDATE SKIP LOCKED`` mean no item is ever sent by two terminals: the
platform's idempotency store answers no replay, no chunk arrives twice, every file once."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import timedelta

from houshi_desk.sync.clock import utcnow
from houshi_desk.sync.outbox import claim_next
from tests.sync.conftest import make_case, outbox_rows
from tests.sync.test_kill9 import assert_exactly_once


def _hall_terminal(terminal, pg_url, monkeypatch):
    from houshi_desk.store.db import open_store
    from tests.sync.conftest import Terminal

    from houshi_desk.scanning.filestore import FileStore
    from tests.hall.conftest import enroll_new_key

    monkeypatch.setenv("HOUSHI_DESK_DATABASE_URL", pg_url)
    store = open_store(terminal.settings)  # migrated once here, before the terminals start
    assert store.is_hall_mode
    enroll_new_key(store)  # the hall key (issue 17): the attachments live in the hall database
    return Terminal(terminal.settings, store, FileStore.for_settings(terminal.settings), terminal.ref)


def test_skip_locked_gives_two_terminals_different_items(terminal, pg_url, monkeypatch):
    hall = _hall_terminal(terminal, pg_url, monkeypatch)
    try:
        for i in range(3):
            make_case(hall.store, hall.settings, hall.filestore, [1000], seed=i)
        now = utcnow() + timedelta(seconds=1)
        s1 = hall.store._sessions()
        s2 = hall.store._sessions()
        try:
            a = claim_next(s1, owner="W01", now=now)  # not committed yet: the row stays locked
            b = claim_next(s2, owner="W02", now=now)
            assert a is not None and b is not None and a.id != b.id and a.case_number != b.case_number
            s1.commit()
            s2.commit()
        finally:
            s1.close()
            s2.close()
    finally:
        hall.store.close()


def test_three_terminal_processes_drain_concurrently_without_double_sends(terminal, pg_url, monkeypatch):
    hall = _hall_terminal(terminal, pg_url, monkeypatch)
    try:
        for i in range(8):
            make_case(hall.store, hall.settings, hall.filestore, [150_000 + 20_000 * i, 40_000], seed=i)
        hall.settings.set("sync.chunk_size", 32 * 1024)
        hall.settings.set("sync.interval_seconds", 3600)
        # slow replies so the terminals really overlap in time
        hall.ref.platform.faults.update({"rates": {"slow": 0.2}, "slow_seconds": 0.2, "seed": 7})
        env = dict(os.environ)
        procs = [subprocess.Popen([sys.executable, "-m", "houshi_desk", "sync", "--once", "--start-delay", "0",
                                   "--max-wait", "5"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for _ in range(3)]
        outs = [p.communicate(timeout=240) for p in procs]
        for p, (out, err) in zip(procs, outs):
            assert p.returncode in (0, 1), err
        acked = [int(m.group(1)) for out, _ in outs for m in [re.search(r"本次已确认 (\d+) 项", out)] if m]
        assert sum(1 for n in acked if n > 0) >= 2, outs  # the work really was shared
        c = assert_exactly_once(hall)
        assert c.get("idempotent_replays", 0) == 0, c  # no item was sent twice
        assert c.get("offset_conflicts", 0) == 0, c  # no chunk was sent twice
        total = sum(r.file_size for r in outbox_rows(hall.store) if r.kind == "upload")
        assert c["bytes_received"] == total
    finally:
        hall.store.close()

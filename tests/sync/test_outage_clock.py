"""Time-dependent targets on an injectable clock, so hours pass in seconds (the platform is real):
T7 (≤ 20 attempts per item over a 2-hour outage), T9 (first byte ≤ 15 s after the link returns;
queue resumes ≤ 5 s after program start), the 24-hour alert, and a database that cannot be written
(full disk) while committing a chunk offset."""
from __future__ import annotations

import socket
from datetime import timedelta

from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from houshi_desk.sync.clock import FakeClock
from houshi_desk.sync.outbox import summary
from tests.sync.conftest import drain, outbox_rows
from tests.sync.test_kill9 import assert_exactly_once

OUTAGE = timedelta(hours=2)


def _production_timing(terminal, clock, **kw):
    # the defaults the program ships with: 0–2 s start, 4 s link probe, 0–10 s after the link returns
    return terminal.uploader(clock=clock, start_delay=2.0, link_return_delay=10.0, probe_interval=4.0,
                             pull_interval=60.0, **kw)


def _run_until(up, clock, end):
    while clock.now() < end:
        if up.step() != "worked":
            hint = up._wait_hint()
            clock.sleep(max(0.05, min(hint if hint is not None else 5.0, (end - clock.now()).total_seconds())))


def test_T7_T9_two_hour_outage_503(terminal):
    for i in range(3):
        terminal.new_case([40_000], seed=i)
    ref = terminal.ref
    ref.platform.faults.update({"outage": True})
    clock = FakeClock()
    up = _production_timing(terminal, clock)
    start = clock.now()
    up.start()
    _run_until(up, clock, start + OUTAGE)
    rows = outbox_rows(terminal.store)
    assert max(r.attempts for r in rows) <= 20, [(r.kind, r.attempts) for r in rows]
    assert rows[0].state == "retry_wait" and "平台" in rows[0].last_error
    # T9: the first item request went out within 5 s of start
    first = min(r.first_contact_at for r in rows if r.first_contact_at)
    assert (first - start).total_seconds() <= 5.0
    ref.platform.faults.update({"outage": False})
    back = clock.now()
    drain(up, start=False)
    rows = outbox_rows(terminal.store)
    resumed = min(r.last_attempt_at for r in rows if r.last_attempt_at and r.last_attempt_at > back)
    assert (resumed - back).total_seconds() <= 15.0, resumed - back
    assert max(r.attempts for r in rows) <= 20
    assert_exactly_once(terminal)
    print(f"\nT7: attempts per item over 2 h: {sorted(r.attempts for r in rows)}; "
          f"probes {up.stats.probes}; T9 resume after {(resumed - back).total_seconds():.1f} s")


def test_T7_T9_two_hour_outage_connection_refused(terminal, tmp_path):
    from houshi_desk.platform_ref.server import run_in_thread
    from houshi_desk.sync.client import PlatformClient
    from tests.sync.conftest import APP_KEY

    terminal.new_case([10_000])
    # a port nobody listens on, then the platform comes up on exactly that port
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    clock = FakeClock()
    url = f"http://127.0.0.1:{port}"
    up = terminal.uploader(clock=clock, start_delay=2.0, link_return_delay=10.0, probe_interval=4.0)
    up.client_factory = lambda: PlatformClient(url, APP_KEY, "s3cret")
    start = clock.now()
    up.start()
    _run_until(up, clock, start + OUTAGE)
    assert up.link_down
    rows = outbox_rows(terminal.store)
    assert max(r.attempts for r in rows) <= 20
    assert "无法连接" in rows[0].last_error
    url2, stop = run_in_thread(tmp_path / "p2", port=port, clients={APP_KEY: "s3cret"})
    try:
        back = clock.now()
        drain(up, start=False)
        rows = outbox_rows(terminal.store)
        assert {r.state for r in rows} == {"acked"}
        resumed = min(r.last_attempt_at for r in rows if r.last_attempt_at and r.last_attempt_at > back)
        assert (resumed - back).total_seconds() <= 15.0
    finally:
        stop()


def test_alert_after_24_hours(terminal):
    number = terminal.new_case([])
    with terminal.store.session() as s:
        assert summary(s).alerts == []
        later = summary(s, now=outbox_rows(terminal.store)[0].created_at + timedelta(hours=25))
    assert any(number in a and "24 小时" in a for a in later.alerts)


def test_disk_full_while_writing_chunk_offset(terminal):
    """The database refuses writes (as SQLite does on a full disk) at the moment a chunk offset is
    committed, several times: the uploader keeps running, loses nothing, sends nothing twice."""
    terminal.new_case([300_000], seed=4)
    failures = {"left": 4}

    def full_disk(conn, cursor, statement, params, context, executemany):
        if statement.startswith("UPDATE sync_outbox SET") and "remote_offset" in statement and failures["left"]:
            failures["left"] -= 1
            raise OperationalError(statement, params, Exception("database or disk is full"))

    event.listen(terminal.store.engine, "before_cursor_execute", full_disk)
    try:
        clock = FakeClock()
        up = terminal.uploader(clock=clock, chunk_size=32 * 1024, lease_seconds=30)
        drain(up)
    finally:
        event.remove(terminal.store.engine, "before_cursor_execute", full_disk)
    assert failures["left"] == 0
    assert any("磁盘" in e for e in up.stats.errors)
    assert_exactly_once(terminal)

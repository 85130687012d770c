"""The hall's promise (issue 17): three window processes, each with its own data folder and keyring,
on one PostgreSQL over TLS, accept 30 cases with scanned pages; one is killed with ``kill -9`` while
it is in the middle of sending an attachment; the other two take its item over when its lease runs
out, resume at the offset the platform already acknowledged, and deliver everything exactly once —
every file once, its SHA-256 matching at the platform and in the hall store.

The platform link is slowed with the reference platform's fault injection (every chunk's reply
trickles out) so the kill lands mid-upload; the lease is 3 s so the take-over happens within the test.
"""
from __future__ import annotations

import hashlib
import os
import secrets
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import select

CHUNK = 16 * 1024
LEASE = 3.0
PASS = "大厅密钥口令-2026"
TERMINALS = ("W01", "W02", "W03")
ROOT = Path(__file__).resolve().parents[2]


class Hall:
    """What the platform and the hall database hold, for the exactly-once checks."""

    def __init__(self, store, ref_dir, platform):
        self.store, self.ref_dir, self.platform = store, ref_dir, platform

    def rows(self):
        from houshi_desk.store.models_sync import SyncOutboxRow

        with self.store.session() as s:
            return s.execute(select(SyncOutboxRow).order_by(SyncOutboxRow.id)).scalars().all()


def start_hall(tmp_path, hall_url, monkeypatch, *, faults=None):
    """Platform (three terminals in one office), migrated hall database, hall key made and exported."""
    from houshi_desk.platform_ref.server import run_in_thread
    from houshi_desk.store import hallstore as hs
    from houshi_desk.store.db import open_store
    from tests.hall.conftest import enroll_new_key

    secret = secrets.token_urlsafe(24)
    keys = {f"terminal-{t.lower()}": secret for t in TERMINALS}
    url, stop = run_in_thread(tmp_path / "platform", clients=keys, offices={k: "150702" for k in keys})
    stop.platform.processing.step_seconds = 0.3
    if faults:
        stop.platform.faults.update(faults)
    monkeypatch.setenv("HOUSHI_DESK_DATABASE_URL", hall_url)
    from houshi_desk.config import load_settings

    store = open_store(load_settings())  # migrated once, before the windows start
    key = enroll_new_key(store, actor="chief")  # houshi-desk hall key create
    key_file = tmp_path / "hall-key.json"
    hs.seal_key_file(key, key_file, PASS)  # houshi-desk hall key export
    env = dict(os.environ, HALL_TEST_KEY_FILE=str(key_file), HALL_TEST_KEY_PASS=PASS,
               HALL_TEST_PLATFORM_URL=url, HALL_TEST_APP_SECRET=secret, PYTHONPATH=str(ROOT))
    return store, stop, env


def spawn(tmp_path, env, terminal: str, first: int, n: int, *extra: str) -> subprocess.Popen:
    """One window process with its own home and keyring file."""
    home = tmp_path / f"win-{terminal}-{first}"
    (home / "home").mkdir(parents=True, exist_ok=True)
    (home / "home" / "system-settings.toml").write_text('[office]\nmode = "test"\n', encoding="utf-8")
    e = dict(env, HOUSHI_DESK_HOME=str(home / "home"), XDG_DATA_HOME=str(home / "xdg-data"),
             XDG_CONFIG_HOME=str(home / "xdg-config"), HOUSHI_DESK_SYSTEM_CONFIG=str(home / "home" / "system-settings.toml"))
    return subprocess.Popen([sys.executable, "-m", "tests.hall.terminal_worker", terminal, str(first), str(n),
                             "--lease", str(LEASE), "--chunk", str(CHUNK), *extra],
                            env=e, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def mid_upload_item(store, pid: int):
    """The upload this process is sending right now with at least two chunks acknowledged."""
    from houshi_desk.store.models_sync import SyncOutboxRow

    with store.session() as s:
        return s.execute(select(SyncOutboxRow.id, SyncOutboxRow.remote_offset, SyncOutboxRow.file_size).where(
            SyncOutboxRow.state == "in_flight", SyncOutboxRow.kind == "upload",
            SyncOutboxRow.lease_owner.like(f"%:{pid}:%"), SyncOutboxRow.remote_offset >= 2 * CHUNK,
            SyncOutboxRow.remote_offset < SyncOutboxRow.file_size).limit(1)).first()


def assert_delivered_exactly_once(hall: Hall, fs) -> dict:
    rows = hall.rows()
    assert {r.state for r in rows} == {"acked"}, Counter((r.kind, r.state, r.last_error) for r in rows)
    rows = [r for r in rows if r.kind != "audit_anchor"]
    numbers = sorted({r.case_number for r in rows})
    dump = hall.platform.store.dump()
    c = dump["counters"]
    assert sorted(x["case_id"] for x in dump["cases"]) == numbers
    assert sorted(x["case_id"] for x in dump["submissions"]) == numbers
    for name in ("natural_duplicates", "idempotency_conflicts", "premature_submits", "not_owner"):
        assert c.get(name, 0) == 0, c
    expected = Counter((r.case_number, r.file_sha256) for r in rows if r.kind == "upload")
    assert Counter((u["case_id"], u["sha256"]) for u in dump["uploads"]) == expected  # every file exactly once
    for u in dump["uploads"]:
        got = (hall.ref_dir / "uploads" / f"{u['id']}.part").read_bytes()
        assert u["complete"] == 1 and hashlib.sha256(got).hexdigest() == u["sha256"]
        assert hashlib.sha256(fs.get(u["sha256"])).hexdigest() == u["sha256"]  # the hall store's copy too
    return {"cases": len(numbers), "uploads": sum(expected.values()), "counters": c,
            "bytes": sum(r.file_size for r in rows if r.kind == "upload")}


def test_three_windows_one_killed_mid_upload_deliver_everything_exactly_once(tmp_path, hall_url, monkeypatch, home):
    from houshi_desk.scanning.filestore import FileStore

    t_start = time.monotonic()
    # every chunk's reply trickles out for 0.05 s: uploads take long enough for the kill to land mid-way
    store, stop, env = start_hall(tmp_path, hall_url, monkeypatch,
                                  faults={"rates": {"slow": 1.0}, "slow_seconds": 0.05, "route": "^PATCH ", "seed": 17})
    procs = []
    try:
        procs += [spawn(tmp_path, env, t, 1000 + 10 * i, 10) for i, t in enumerate(TERMINALS)]
        victim = procs[0]
        killed_item = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and victim.poll() is None:
            killed_item = mid_upload_item(store, victim.pid)
            if killed_item is not None:
                victim.send_signal(signal.SIGKILL)
                break
            time.sleep(0.02)
        victim.wait(timeout=30)
        assert killed_item is not None, ("the victim never got mid-upload", victim.stderr.read()[-3000:])
        assert victim.returncode == -signal.SIGKILL
        outs = [p.communicate(timeout=120) for p in procs[1:]]
        for p, (out, err) in zip(procs[1:], outs):
            assert p.returncode == 0, err[-3000:]
            assert "ACCEPTED 10" in out
        acked = [int(line.split()[1]) for out, _ in outs for line in out.splitlines() if line.startswith("ACKED")]
        assert len(acked) == 2 and all(n > 0 for n in acked), outs  # both survivors sent
        hall = Hall(store, tmp_path / "platform", stop.platform)
        info = assert_delivered_exactly_once(hall, FileStore.for_settings())
        assert info["cases"] == 30 and info["uploads"] == 60
        c = info["counters"]
        print(f"\nhall: 30 cases, 60 files; W01 killed at offset {killed_item.remote_offset} of {killed_item.file_size}; "
              f"survivors acked {acked}; {c['bytes_received'] - info['bytes']} bytes re-sent; {time.monotonic() - t_start:.1f} s")
        # the killed window's item was taken over at the acknowledged offset: at most the one chunk
        # that was on the wire when it died is sent again (a restart from 0 would resend ≥ 2 chunks)
        assert c["bytes_received"] - info["bytes"] <= CHUNK, (c["bytes_received"], info["bytes"])
        taken = next(r for r in hall.rows() if r.id == killed_item.id)
        assert taken.state == "acked" and taken.remote_offset == taken.file_size
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
        store.close()
        stop()

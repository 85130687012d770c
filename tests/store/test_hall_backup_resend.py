"""Re-sending after a restore duplicates nothing at the platform (issue 17). Cases are delivered to
the reference platform (its own server process), a backup is taken while more cases wait in the
outbox, those are delivered too, then the disk "dies": the backup is restored (a fresh PostgreSQL
database in hall mode; the data folder for a single PC) and the restored outbox sends again what it
had not yet sent. The idempotency keys came back with the outbox, so the platform answers the
re-sends from its idempotency store: it holds each case, submission and file exactly once."""
from __future__ import annotations

import hashlib
import secrets
from collections import Counter

import pytest

from houshi_desk.store.db import open_store

from tests.store.test_hall_backup import fresh_database, local_files
from tests.sync.conftest import drain, make_case, outbox_rows

APP_KEY = "terminal-w01"


@pytest.fixture
def platform(tmp_path):
    from houshi_desk.platform_ref.process import spawn

    secret = secrets.token_urlsafe(24)
    running = spawn(tmp_path / "platform", clients={APP_KEY: secret}, step_seconds=0.3)
    yield running, secret, tmp_path / "platform"
    running.stop()


def _uploader(store, files, url, secret):
    from houshi_desk.sync.client import PlatformClient
    from houshi_desk.sync.clock import FakeClock
    from houshi_desk.sync.uploader import Uploader

    return Uploader(store, client_factory=lambda: PlatformClient(url, APP_KEY, secret), filestore=files,
                    clock=FakeClock(), start_delay=0.0, link_return_delay=0.0, chunk_size=64 * 1024,
                    pull_interval=0.5)


def _platform_holds(data_dir) -> dict:
    from houshi_desk.platform_ref.store import PlatformStore

    st = PlatformStore(data_dir)
    try:
        return st.dump()
    finally:
        st.close()


@pytest.mark.parametrize("mode", ["terminal", "hall"])
def test_resending_after_a_restore_duplicates_nothing(mode, settings, platform, tmp_path, monkeypatch, request):
    from houshi_desk.services.backups import make_backup
    from houshi_desk.store.backup import restore_backup, restore_hall_backup
    from houshi_desk.sync.credentials import save_secret

    running, secret, platform_dir = platform
    if mode == "hall":
        pg_url = request.getfixturevalue("pg_url")
        monkeypatch.setenv("HOUSHI_DESK_DATABASE_URL", pg_url)  # this PC is the hall database's host
    settings.set("platform.url", running.url)
    settings.set("platform.app_key", APP_KEY)
    save_secret(APP_KEY, secret)
    store = open_store(settings)
    files = local_files(settings)
    sent_before = [make_case(store, settings, files, [70_000, 9_000], seed=i) for i in range(2)]
    drain(_uploader(store, files, running.url, secret))
    waiting = [make_case(store, settings, files, [50_000], seed=10 + i) for i in range(2)]
    assert not {r.state for r in outbox_rows(store) if r.case_number in waiting} & {"acked", "in_flight"}

    info = make_backup(store, settings, tmp_path / "usb", actor="test")  # the two waiting ones still queued
    drain(_uploader(store, files, running.url, secret))  # … and then delivered
    assert {r.state for r in outbox_rows(store)} == {"acked"}
    keys_before = sorted(r.idempotency_key for r in outbox_rows(store) if r.kind != "audit_anchor")
    assert len(_platform_holds(platform_dir)["cases"]) == 4

    # the disk dies; the backup comes back
    if mode == "hall":
        store.close()
        ctx = fresh_database()
        fresh = ctx.__enter__()
        request.addfinalizer(lambda: ctx.__exit__(None, None, None))
        restore_hall_backup(settings, info.path, fresh)
        monkeypatch.setenv("HOUSHI_DESK_DATABASE_URL", fresh)
        store = open_store(settings)
    else:
        store.close()
        restore_backup(settings, info.path)
        store = open_store(settings)
    from houshi_desk.audit.anchor import record_restore

    with store.session(write=True) as s:  # what `backup restore` does after putting the data back
        restored_head = record_restore(s, actor="backup-restore", detail="从备份恢复（测试）")
    try:
        rows = [r for r in outbox_rows(store) if r.kind != "audit_anchor"]
        unsent = {r.state for r in rows if r.case_number in waiting}
        assert unsent and "acked" not in unsent, "the restore brought them back unsent"
        assert sorted(r.idempotency_key for r in rows) == keys_before, "the same idempotency keys"
        drain(_uploader(store, files, running.url, secret))
        everything = outbox_rows(store)
        rows = [r for r in everything if r.kind != "audit_anchor"]
        assert {r.state for r in rows} == {"acked"}, Counter((r.kind, r.state, r.last_error) for r in rows)
        # The audit chain went back to the backup too, behind the head the platform had anchored: the
        # next anchor declares the restore, agrees with the platform's anchor before the backup, and is
        # taken; the platform keeps a record of the entries the restore lost.
        anchors = [r for r in everything if r.kind == "audit_anchor" and r.state != "cancelled"]
        assert anchors and {r.state for r in anchors} == {"acked"}, [(r.state, r.last_error) for r in anchors]
        assert anchors[-1].response.get("restored_from") == restored_head
        from houshi_desk.audit.anchor import restored_head as pending_restore

        with store.session() as s:
            assert pending_restore(s) is None  # declared once; later anchors chain on as usual
    finally:
        store.close()

    held = _platform_holds(platform_dir)
    restores = held["audit_restores"]
    assert len(restores) == 1 and restores[0]["restored_seq"] == restored_head
    assert restores[0]["lost_to"] is not None and restores[0]["lost_from"] == restored_head + 1
    numbers = sorted(sent_before + waiting)
    assert sorted(c["case_id"] for c in held["cases"]) == numbers, "each case once"
    assert sorted(s["case_id"] for s in held["submissions"]) == numbers, "each submission once"
    expected = Counter((r.case_number, r.file_sha256) for r in rows if r.kind == "upload")
    assert Counter((u["case_id"], u["sha256"]) for u in held["uploads"]) == expected, "each file once"
    for u in held["uploads"]:
        data = (platform_dir / "uploads" / f"{u['id']}.part").read_bytes()
        assert u["complete"] == 1 and hashlib.sha256(data).hexdigest() == u["sha256"]
    c = held["counters"]
    assert c.get("natural_duplicates", 0) == 0 and c.get("idempotency_conflicts", 0) == 0, c
    assert c.get("idempotent_replays", 0) >= 2, f"the re-sends were answered from the idempotency store: {c}"

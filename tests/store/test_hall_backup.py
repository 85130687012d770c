"""Hall backups (issue 17): on the hall database's host ``houshi-desk backup now`` writes pg_dump of
the hall database plus the files still on that PC, encrypted and verified; ``backup restore FILE
--database URL`` brings it back onto a fresh, empty PostgreSQL database — every case, every row,
every stored file (hashes compared) — and refuses a database that is not empty. A hall window's
terminal (database on another machine) refuses ``backup now``. Real PostgreSQL (a private database
in the shared test server), real pg_dump/pg_restore of the server's version."""
from __future__ import annotations

import hashlib
import importlib.util
import os
import tarfile
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from houshi_desk.store.db import open_store

from tests.conftest import log_in
from tests.sync.conftest import make_case

HAS_HALL_STORE = importlib.util.find_spec("houshi_desk.store.hallstore") is not None


@contextmanager
def fresh_database():
    """A new, empty database in the shared test server (dropped afterwards)."""
    admin_url = os.environ.get("HOUSHI_TEST_PG_URL")
    if not admin_url:
        pytest.skip(reason="PostgreSQL not available: HOUSHI_TEST_PG_URL is not set (start packaging/services.sh)")
    name = f"t_restore_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        if HAS_HALL_STORE:
            from houshi_desk.store.hallstore import dispose_engines

            dispose_engines()
        with admin.connect() as c:
            c.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n "
                           "AND pid <> pg_backend_pid()"), {"n": name})
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def local_files(settings):
    from houshi_desk.scanning.filestore import FileStore
    from houshi_desk.store.backup import settings_files_key

    return FileStore(settings.paths.data_dir, settings_files_key(settings))


def _snapshot(url: str) -> dict:
    from houshi_desk.store.backup import table_counts

    engine = create_engine(url)
    try:
        with engine.connect() as c:
            snap = {
                "tables": {t: n for t, n in table_counts(engine).items() if t != "alembic_version"},
                "cases": sorted(c.execute(text("SELECT number FROM cases")).scalars()),
                "files": sorted(c.execute(text("SELECT sha256 FROM material_files")).scalars()),
                "keys": sorted(c.execute(text("SELECT idempotency_key FROM sync_outbox")).scalars()),
            }
    finally:
        engine.dispose()
    return snap


@pytest.fixture
def hall(settings, pg_url, light_argon2, monkeypatch):
    """This PC is the hall's database host (PostgreSQL over its Unix socket): four cases, pages on
    this PC's own file store and — where the hall store exists — in the hall database."""
    monkeypatch.setenv("HOUSHI_DESK_DATABASE_URL", pg_url)
    store = open_store(settings)
    hall_key = None
    stores = [local_files(settings)]
    if HAS_HALL_STORE:
        from houshi_desk.store import hallstore

        hall_key = hallstore.new_key()
        hallstore.save_keyring_key(hall_key)
        with store.session(write=True) as s:
            hallstore.record_fingerprint(s, hallstore.fingerprint(hall_key), actor="test")
        stores.append(hallstore.HallFileStore.for_url(pg_url))
    numbers, pages = [], {}
    for i in range(4):
        files = stores[i % len(stores)]
        number = make_case(store, settings, files, [30_000 + 1000 * i, 5_000], seed=i)
        numbers.append(number)
    with store.engine.connect() as c:
        for sha in c.execute(text("SELECT sha256 FROM material_files")).scalars():
            for files in stores:
                try:
                    pages[sha] = hashlib.sha256(files.get(sha)).hexdigest()
                    break
                except Exception:  # noqa: BLE001 - in the other store
                    continue
    store.close()
    log_in("chief", "supervisor", settings=settings)
    yield {"url": pg_url, "numbers": numbers, "pages": pages, "hall_key": hall_key}


def test_hall_backup_restored_onto_a_fresh_database_brings_back_every_case_and_file(settings, hall, cli, tmp_path,
                                                                                     monkeypatch):
    assert len(hall["pages"]) == 8
    before = _snapshot(hall["url"])
    usb = tmp_path / "usb"
    code, out, err = cli("backup", "now", "--to", str(usb))
    assert code == 0, err
    assert "已备份并校验" in out and "4 个案件" in out
    (backup,) = usb.glob("houshi-hall-backup-*.hdbak")
    code, out, err = cli("backup", "list", "--in", str(usb))
    assert code == 0 and "大厅数据库最近一次备份" in out and "大厅数据库 4 个案件" in out, out
    with tarfile.open(backup) as tar:
        names = tar.getnames()
        blob = tar.extractfile("hall.dump.enc").read()
    assert "hall.dump.enc" in names and "manifest.json" in names
    assert b"PGDMP" not in blob[:64] and "测试".encode() not in blob, "the dump is encrypted"
    if HAS_HALL_STORE:
        assert '"key_kind": "hall"' in tarfile.open(backup).extractfile("manifest.json").read().decode()

    # the server is gone: a new PC, its own (empty) keyring, no local files
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    from houshi_desk.store import keys

    server_kid = keys.key_id(settings.paths.data_dir, create=False)
    server_key = keys._get(server_kid)
    for f in list(settings.paths.files_dir.rglob("*")):
        if f.is_file():
            f.unlink()
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "new-server-keyring"))
    keyring.set_keyring(PlaintextKeyring())
    (settings.paths.data_dir / "key-id").unlink(missing_ok=True)
    with fresh_database() as fresh:
        monkeypatch.setenv("HOUSHI_DESK_DATABASE_URL", fresh)
        code, out, err = cli("backup", "restore", str(backup), "--database", fresh)
        assert code == 2 and "key import" in err, "without the key the backup cannot be read"
        if HAS_HALL_STORE:
            from houshi_desk.store import hallstore

            hallstore.save_keyring_key(hall["hall_key"])  # hall key import on the new server
        else:  # no hall key anywhere: the backup is under the server's own key (its recovery file)
            keys._set(server_kid, server_key)
        code, out, err = cli("backup", "restore", str(backup), "--database", fresh)
        assert code == 0, err
        assert "已把大厅备份恢复到新数据库：4 个案件" in out
        after = _snapshot(fresh)
        audit_before, audit_after = before["tables"].pop("audit_log"), after["tables"].pop("audit_log")
        assert audit_after == audit_before + 1  # the restore (the backup's own entry comes after its dump)
        assert {k: v for k, v in after.items() if k != "tables"} == {k: v for k, v in before.items() if k != "tables"}
        # the restore notes the chain head it came back with, for the next audit anchor (audit/anchor.py)
        assert after["tables"].pop("sync_state") == before["tables"].pop("sync_state") + 1
        assert after["tables"] == {k: v for k, v in before["tables"].items()}
        # every stored file is back and decrypts to the same bytes
        restored = [local_files(settings)]
        if HAS_HALL_STORE:
            from houshi_desk.store.hallstore import HallFileStore

            restored.append(HallFileStore.for_url(fresh))
        got = {}
        for sha in after["files"]:
            for files in restored:
                try:
                    got[sha] = hashlib.sha256(files.get(sha)).hexdigest()
                    break
                except Exception:  # noqa: BLE001 - in the other store
                    continue
        assert got == hall["pages"] and all(k == v for k, v in got.items())

        # the hash-chained audit trail survived dump and restore byte for byte
        from houshi_desk.audit.log import verify

        restored_store = open_store(settings, url=fresh)
        try:
            with restored_store.session() as s:
                result = verify(s)
        finally:
            restored_store.close()
        assert result.ok and result.count == audit_after, result

        # a second restore onto the now full database is refused, nothing overwritten
        code, out, err = cli("backup", "restore", str(backup), "--database", fresh)
        assert code == 2 and "不是空的" in err
        assert _snapshot(fresh)["cases"] == before["cases"]


def test_a_damaged_hall_backup_is_refused(settings, hall, cli, tmp_path):
    code, out, err = cli("backup", "now", "--to", str(tmp_path / "usb"))
    assert code == 0, err
    (backup,) = (tmp_path / "usb").glob("*.hdbak")
    data = bytearray(backup.read_bytes())
    with tarfile.open(backup) as tar:
        offset = tar.getmember("hall.dump.enc").offset_data
    data[offset + 4000] ^= 0x55
    damaged = tmp_path / "damaged.hdbak"
    damaged.write_bytes(bytes(data))
    with fresh_database() as fresh:
        code, out, err = cli("backup", "restore", str(damaged), "--database", fresh)
        assert code == 2 and "备份文件已损坏" in err
        engine = create_engine(fresh)
        try:
            with engine.connect() as c:
                assert c.execute(text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).scalar() == 0
        finally:
            engine.dispose()


def test_the_scheduled_backup_runs_on_the_hall_host(settings, hall, tmp_path):
    from datetime import datetime

    from houshi_desk.services import backups

    settings.set("backup.folder", str(tmp_path))
    store = open_store(settings)
    try:
        outcome = backups.run_scheduled_backup(store, settings, datetime(2026, 1, 23, 12, 30))
        assert outcome.status == "done", outcome.message
        assert outcome.info.path.name.startswith("houshi-hall-backup-")
        assert backups.last_backup(store)["kind"] == "hall"
    finally:
        store.close()


def test_a_hall_window_terminal_refuses_backup_now(settings, cli, monkeypatch, tmp_path):
    monkeypatch.setenv("HOUSHI_DESK_DATABASE_URL", "postgresql+psycopg://houshi:pw@192.0.2.10:5432/hall")
    code, out, err = cli("backup", "now", "--to", str(tmp_path / "usb"))
    assert code == 2
    assert "窗口终端" in err and "192.0.2.10" in err and "数据库服务器" in err and "pw" not in err
    assert not (tmp_path / "usb").exists()
    code, out, err = cli("backup", "scheduled")  # the OS scheduler on a window: nothing to do, not an error
    assert code == 0 and "本机不做备份" in out


def test_local_database_detection():
    from houshi_desk.store.backup import database_is_local

    assert database_is_local("postgresql+psycopg://u@/hall?host=/run/postgresql")
    assert database_is_local("postgresql+psycopg://u:p@localhost:5432/hall")
    assert database_is_local("postgresql+psycopg://u:p@127.0.0.1/hall?sslmode=require")
    assert not database_is_local("postgresql+psycopg://u:p@192.0.2.10/hall")
    assert not database_is_local("postgresql+psycopg://u:p@no-such-host.invalid/hall")


def test_rows_written_while_the_dump_runs_do_not_break_the_restore(settings, hall, tmp_path, monkeypatch):
    """The windows keep working during a hall backup: the counts in the manifest and the dump are
    one snapshot, so the restore's row-by-row comparison holds."""
    from houshi_desk.services.backups import make_backup
    from houshi_desk.store import backup as backup_mod

    real = backup_mod._encrypt_stream

    def while_dumping(src, dst, key):
        engine = create_engine(hall["url"])
        try:
            with engine.begin() as c:  # another window saves meanwhile
                c.execute(text("INSERT INTO sync_state (name, value, updated_at) VALUES ('elsewhere', 'x', now())"))
        finally:
            engine.dispose()
        return real(src, dst, key)

    monkeypatch.setattr(backup_mod, "_encrypt_stream", while_dumping)
    store = open_store(settings)
    try:
        info = make_backup(store, settings, tmp_path / "usb", actor="test")
    finally:
        store.close()
    monkeypatch.setattr(backup_mod, "_encrypt_stream", real)
    with fresh_database() as fresh:
        manifest = backup_mod.restore_hall_backup(settings, info.path, fresh)
        engine = create_engine(fresh)
        try:
            with engine.connect() as c:
                assert c.execute(text("SELECT count(*) FROM sync_state WHERE name = 'elsewhere'")).scalar() == 0
        finally:
            engine.dispose()
    assert manifest["cases"] == 4

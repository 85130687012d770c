"""Nothing lost silently (issue 14): a missing, emptied, truncated, replaced or rolled-back database
file stops the program with the restore message instead of becoming a fresh empty database, and a
damaged page stops writes (found before anything is written) instead of passing unnoticed."""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from datetime import date

import pytest

from houshi_desk.services import cases as svc
from houshi_desk.store.db import DatabaseDamaged, DatabaseMissing, StoreError, open_store, sqlite_store
from houshi_desk.store.keys import database_key, read_marker

TODAY = date(2026, 1, 21)




def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "houshi_desk", *args], capture_output=True, text=True, timeout=120)


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def with_case(settings, supervisor, new_case):
    store = open_store(settings)
    number = new_case(store, settings)
    store.close()
    return number


def test_the_first_case_is_remembered_in_the_keyring(settings, with_case):
    marker = read_marker(settings.paths.data_dir)
    assert marker["cases"] is True and marker["last_case"] == with_case
    assert marker["high"] == {with_case.rsplit("-", 1)[0]: 1}


def test_an_emptied_database_stops_the_store_and_the_cli(settings, with_case):
    db = settings.paths.database_file
    db.write_bytes(b"")  # : > data/houshi-desk.db
    with pytest.raises(DatabaseMissing, match="backup restore") as err:
        open_store(settings)
    assert "清空" in err.value.message
    r = _cli("case", "search", "x")
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "backup restore" in r.stderr and "Traceback" not in r.stderr
    assert "没有找到" not in r.stdout
    assert db.stat().st_size == 0, "no fresh database was created in its place"


def test_a_truncated_database_stops_the_store_and_the_cli(settings, with_case):
    db = settings.paths.database_file
    size = db.stat().st_size
    with open(db, "r+b") as fh:
        fh.truncate(size - 4096 - 100)
    before = _digest(db)
    with pytest.raises(StoreError, match="backup restore"):
        open_store(settings)
    r = _cli("case", "search", "x")
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "backup restore" in r.stderr and "Traceback" not in r.stderr
    assert _digest(db) == before


def test_a_missing_database_is_not_recreated(settings, with_case):
    db = settings.paths.database_file
    db.unlink()
    with pytest.raises(DatabaseMissing, match="不见了"):
        open_store(settings)
    r = _cli("case", "search", "x")
    assert r.returncode == 2 and "backup restore" in r.stderr
    assert not db.exists()


def test_a_replaced_database_is_refused(settings, with_case):
    p = settings.paths
    key = database_key(p.data_dir, p.database_file)
    p.database_file.unlink()
    fresh = sqlite_store(p.database_file, key)  # another, empty database under the same key
    fresh.migrate()
    fresh.close()
    with pytest.raises(DatabaseMissing, match="一个案件也没有"):
        open_store(settings)


def test_an_older_copy_of_the_database_is_refused(settings, with_case, tmp_path, new_case):
    db = settings.paths.database_file
    old = tmp_path / "old.db"
    shutil.copy2(db, old)
    store = open_store(settings)
    newer = new_case(store, settings)
    store.close()
    shutil.copy2(old, db)
    with pytest.raises(DatabaseMissing, match=newer):
        open_store(settings)


def _damage_page(db, page: int) -> None:
    with open(db, "r+b") as fh:
        fh.seek((page - 1) * 4096 + 200)
        fh.write(b"\xff" * 64)


def test_damage_in_the_last_page_is_found_before_anything_is_written(settings, with_case, new_case):
    db = settings.paths.database_file
    pages = db.stat().st_size // 4096
    _damage_page(db, pages)
    before = _digest(db)
    with pytest.raises(DatabaseDamaged, match="backup restore"):
        store = open_store(settings)
        try:
            with store.session() as s:
                svc.load_case(s, with_case, actor="clerk1", reason="查看")  # the view is audited: a write
            new_case(store, settings)
        finally:
            store.close()
    assert _digest(db) == before, "nothing was written into the damaged file"
    r = _cli("case", "show", with_case)
    assert r.returncode == 2 and "已损坏" in r.stderr and "Traceback" not in r.stderr
    assert _digest(db) == before


def test_damage_in_page_two_is_damage_not_a_failed_upgrade(settings, with_case):
    db = settings.paths.database_file
    _damage_page(db, 2)
    with pytest.raises(StoreError) as err:
        open_store(settings)
    assert "结构升级失败" not in err.value.message
    assert "损坏" in err.value.message and "backup restore" in err.value.message


def test_a_whole_database_passes_the_background_check(settings, with_case, new_case):
    store = open_store(settings)
    try:
        assert store.integrity.wait(30) == []
        new_case(store, settings)
    finally:
        store.close()


def test_a_window_open_for_days_is_checked_again(settings, with_case, monkeypatch, new_case):
    """The check runs again (in the background) once a day; damage that appears while the program
    runs stops writes once the new check has seen it."""
    from houshi_desk.store import integrity

    store = open_store(settings)
    try:
        first = store.integrity
        assert first.wait(30) == []
        monkeypatch.setattr(integrity, "RECHECK_SECONDS", 0.0)
        db = settings.paths.database_file
        with store.engine.connect() as c:  # everything written into the main file first
            c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        _damage_page(db, db.stat().st_size // 4096)
        with pytest.raises(DatabaseDamaged, match="backup restore"):
            for _ in range(3):  # the first write starts the new check; its verdict stops the next ones
                new_case(store, settings)
        assert store.integrity is not first
        assert store.integrity.wait(30), "the new check found the damage"
    finally:
        store.close()

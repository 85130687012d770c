"""Backups (issue 14): ``backup now`` → wipe the data folder (and the keyring, as on a new PC) →
``key import`` → ``backup restore`` brings every case back with its scans, a new case never reuses
a number, and a damaged or altered backup is refused with a clear message."""
from __future__ import annotations

import json
import shutil
import tarfile
from datetime import date
from pathlib import Path

import pytest

from houshi_desk.services import cases as svc
from houshi_desk.store.db import DatabaseMissing, open_store

from tests.scanning.pages import small_page

TODAY = date(2026, 1, 21)
PASSPHRASE = "足够长的恢复口令2026"




def _scan(store, settings, number: str) -> list[str]:
    from houshi_desk.scanning.attach import attach_pages
    from houshi_desk.scanning.filestore import FileStore

    files = FileStore.for_settings(settings)
    with store.session(write=True) as s:
        rows = attach_pages(s, files, number, "death_cert_medical", [small_page(0), small_page(1)], "test")
        return [r.sha256 for r in rows]


def _snapshot(store) -> dict:
    from sqlalchemy import text

    with store.engine.connect() as c:
        return {
            "cases": sorted(c.execute(text("SELECT number FROM cases")).scalars()),
            "files": sorted(c.execute(text("SELECT sha256 FROM material_files")).scalars()),
        }


@pytest.fixture
def office(settings, supervisor, cli, tmp_path, new_case):
    """Two cases, one with two scanned pages, a recovery key exported, and a backup on a 'USB stick'."""
    store = open_store(settings)
    numbers = [new_case(store, settings), new_case(store, settings)]
    pages = _scan(store, settings, numbers[0])
    before = _snapshot(store)
    store.close()
    recovery = tmp_path / "recovery.json"
    code, out, err = cli("key", "export", str(recovery), "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert code == 0, err
    usb = tmp_path / "usb"
    code, out, err = cli("backup", "now", "--to", str(usb))
    assert code == 0, err
    assert "已备份并校验" in out and "2 个案件" in out
    (backup,) = usb.glob("*.hdbak")
    return {"numbers": numbers, "pages": pages, "before": before, "recovery": recovery, "backup": backup}


def _decrypted_pages(settings, shas):
    from houshi_desk.scanning.filestore import FileStore

    files = FileStore.for_settings(settings)
    return [files.get(sha) for sha in shas]


def test_backup_wipe_key_import_restore_on_a_new_pc(settings, office, cli, monkeypatch, tmp_path, new_case):
    scans_before = _decrypted_pages(settings, office["pages"])
    shutil.rmtree(settings.paths.data_dir)  # the disk is gone …
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "new-pc-keyring"))  # … and so is the PC's keyring

    code, out, err = cli("backup", "restore", str(office["backup"]))
    assert code == 2 and "key import" in err, "without its key the backup cannot be read"
    code, out, err = cli("key", "import", str(office["recovery"]), "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert code == 0, err
    assert "backup restore" in out
    with pytest.raises(DatabaseMissing, match="backup restore"):
        open_store(settings)  # no fresh empty database under the imported key
    assert not settings.paths.database_file.exists()

    code, out, err = cli("backup", "restore", str(office["backup"]))
    assert code == 0, err
    assert "已从备份恢复 2 个案件" in out

    store = open_store(settings)
    try:
        assert _snapshot(store) == office["before"], "every case and every scanned page is back"
        with store.session() as s:
            for number in office["numbers"]:
                assert svc.load_case(s, number).deceased.identity.name.startswith("测试")
        assert _decrypted_pages(settings, office["pages"]) == scans_before
        new = new_case(store, settings)
    finally:
        store.close()
    assert new not in office["numbers"]
    assert new.endswith("-0003")


def test_numbers_issued_after_the_backup_are_not_issued_again(settings, office, cli, new_case):
    """Same PC, disk replaced: the keyring remembers the day's highest number, so the restored
    sequence (0002 in the backup) continues after the lost case 0003."""
    store = open_store(settings)
    lost = new_case(store, settings)
    store.close()
    assert lost.endswith("-0003")
    shutil.rmtree(settings.paths.data_dir)
    code, out, err = cli("backup", "restore", str(office["backup"]))
    assert code == 0, err
    store = open_store(settings)
    try:
        assert _snapshot(store)["cases"] == office["numbers"]
        new = new_case(store, settings)
    finally:
        store.close()
    assert new.endswith("-0004"), new


def test_restore_keeps_the_database_it_replaces(settings, office, cli, supervisor):
    code, out, err = cli("backup", "restore", str(office["backup"]))
    assert code == 0, err
    kept = list(settings.paths.data_dir.glob("houshi-desk.db.before-restore-*"))
    assert len(kept) == 1 and "原来的数据库文件未删除" in out


def _rewrite(src: Path, dst: Path, change) -> None:
    with tarfile.open(src) as tin, tarfile.open(dst, "w") as tout:
        for member in tin:
            data = tin.extractfile(member).read()
            data = change(member.name, data)
            member.size = len(data)
            import io

            tout.addfile(member, io.BytesIO(data))


@pytest.mark.parametrize("damage", ["database byte", "scan byte", "manifest count", "truncated"])
def test_a_damaged_or_altered_backup_is_refused(settings, office, cli, tmp_path, damage):
    bad = tmp_path / f"bad-{damage.replace(' ', '-')}.hdbak"
    src = office["backup"]
    if damage == "truncated":
        bad.write_bytes(src.read_bytes()[: src.stat().st_size // 2])
    else:
        def change(name, data):
            if damage == "database byte" and name == "houshi-desk.db":
                return data[:5000] + bytes([data[5000] ^ 1]) + data[5001:]
            if damage == "scan byte" and name.startswith("files/"):
                return data[:-1] + bytes([data[-1] ^ 1])
            if damage == "manifest count" and name == "manifest.json":
                m = json.loads(data)
                m["cases"] = 3
                return json.dumps(m).encode()
            return data
        _rewrite(src, bad, change)
    before = settings.paths.database_file.read_bytes()
    code, out, err = cli("backup", "restore", str(bad))
    assert code == 2, (out, err)
    assert "备份文件已损坏或被改动" in err and "Traceback" not in err
    assert settings.paths.database_file.read_bytes() == before, "nothing was touched"


def test_backup_commands_need_a_supervisor(settings, cli, light_argon2):
    from houshi_desk.users import add_user
    from houshi_desk.users.sessions import login

    store = open_store(settings)
    with store.session() as s:
        add_user(s, username="boss", password="Boss#2026pass", role="admin", actor="bootstrap")
        add_user(s, username="clerk1", password="Clerk#2026pass", role="clerk", actor="boss")
    login(store, settings, "clerk1", "Clerk#2026pass")
    store.close()
    code, out, err = cli("backup", "now")
    assert code == 2 and "主管" in err
    code, out, err = cli("backup", "list")
    assert code == 2 and "主管" in err


def test_backup_list_shows_the_backup(settings, office, cli):
    code, out, err = cli("backup", "list", "--in", str(office["backup"].parent))
    assert code == 0, err
    assert office["backup"].name in out and "2 个案件" in out


def test_hall_mode_backup_is_refused_with_exit_2(settings, cli, monkeypatch):
    """A hall window's terminal (database on another machine) does not back up; the hall database is
    backed up on its host (issue 17: tests/store/test_hall_backup.py)."""
    monkeypatch.setenv("HOUSHI_DESK_DATABASE_URL", "postgresql+psycopg://houshi@192.0.2.10:5432/hall")
    code, out, err = cli("backup", "now")
    assert code == 2 and "大厅数据库" in err and "窗口终端" in err


def test_restore_waits_until_the_window_has_closed_the_database(settings, office, cli):
    window = open_store(settings)  # the counter window still has the database open
    try:
        with window.session() as s:
            s.execute(__import__("sqlalchemy").text("SELECT count(*) FROM cases")).scalar()
        code, out, err = cli("backup", "restore", str(office["backup"]))
        assert code == 2 and "关闭所有 houshi-desk 窗口" in err
        assert not list(settings.paths.data_dir.glob("houshi-desk.db.before-restore-*"))
    finally:
        window.close()
    code, out, err = cli("backup", "restore", str(office["backup"]))
    assert code == 0, err


def test_a_damaged_database_is_not_backed_up(settings, supervisor, cli, tmp_path, new_case):
    store = open_store(settings)
    new_case(store, settings)
    store.close()
    db = settings.paths.database_file
    with open(db, "r+b") as fh:
        fh.seek((db.stat().st_size // 4096 - 1) * 4096 + 300)
        fh.write(b"\xff" * 32)
    code, out, err = cli("backup", "now", "--to", str(tmp_path / "usb"))
    assert code == 2 and "已损坏" in err and "backup restore" in err
    assert not list((tmp_path / "usb").glob("*.hdbak")), "no backup of a damaged file that looks whole"

"""The daily scheduled backup (issue 17): it runs once its time has passed and not before, keeps
``backup.keep`` copies (oldest deleted), an unplugged USB stick gives a clear message and leaves
every old copy alone (and is retried), ``houshi-desk backup scheduled`` says so in its exit code,
and ``doctor`` warns when the last backup is older than 2 days. The clock is injected: no sleeping."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import pytest

from houshi_desk.services import backups
from houshi_desk.store.db import open_store

DAY1 = datetime(2026, 1, 21, 9, 0)


@pytest.fixture
def office(settings, new_case, tmp_path):
    """One case on this PC, backups set to a 'USB stick' at 12:30, keeping 3."""
    usb = tmp_path / "usb"
    usb.mkdir()
    settings.set("backup.folder", str(usb))
    settings.set("backup.time", "12:30")
    settings.set("backup.keep", 3)
    store = open_store(settings)
    new_case(store, settings)
    yield store, usb
    store.close()


def at(day: int, hh: int, mm: int) -> datetime:
    return (DAY1 + timedelta(days=day - 1)).replace(hour=hh, minute=mm)


def _copies(folder):
    return sorted(f.name for f in folder.glob("*.hdbak"))


def test_runs_once_its_time_has_passed_and_not_before(settings, office):
    store, usb = office
    first = backups.run_scheduled_backup(store, settings, at(1, 12, 30))
    assert first.status == "done", first.message  # never backed up: the first check makes one
    assert "已自动备份并校验" in first.message and first.info.cases == 1
    assert backups.run_scheduled_backup(store, settings, at(1, 17, 0)).status == "not_due"
    assert backups.run_scheduled_backup(store, settings, at(2, 12, 29)).status == "not_due", "not before its time"
    assert len(_copies(usb)) == 1
    second = backups.run_scheduled_backup(store, settings, at(2, 12, 30))
    assert second.status == "done", second.message
    assert len(_copies(usb)) == 2
    assert backups.last_backup(store)["at"] == "2026-01-22T12:30:00"
    # the PC was off at 12:30 on day 3: made up at the next start on day 4, before day 4's 12:30
    late = backups.run_scheduled_backup(store, settings, at(4, 8, 5))
    assert late.status == "done", late.message
    assert backups.run_scheduled_backup(store, settings, at(4, 12, 0)).status == "not_due"


def test_a_backup_made_by_hand_after_the_time_counts_for_the_day(settings, office):
    store, usb = office
    backups.make_backup(store, settings, usb, actor="chief", now=at(1, 14, 0))
    assert backups.run_scheduled_backup(store, settings, at(1, 16, 0)).status == "not_due"
    assert backups.run_scheduled_backup(store, settings, at(2, 12, 31)).status == "done"


def test_keeps_backup_keep_copies_oldest_deleted(settings, office, tmp_path):
    store, usb = office
    (usb / "其他资料.txt").write_text("不是备份", encoding="utf-8")
    (usb / "houshi-backup-150702-W01-20200101-000000.hdbak").write_bytes(b"damaged, not a backup")
    other = usb / "houshi-backup-150702-W09-20260101-123000.hdbak"  # another window's backup
    backups.make_backup(store, settings, tmp_path / "elsewhere", actor="chief", now=at(0, 12, 30))
    (made,) = (tmp_path / "elsewhere").glob("*.hdbak")
    other.write_bytes(made.read_bytes())
    made_on = []
    for day in range(1, 6):
        outcome = backups.run_scheduled_backup(store, settings, at(day, 12, 30))
        assert outcome.status == "done", outcome.message
        made_on.append(outcome.info.path.name)
    ours = [n for n in _copies(usb) if "-W01-2026" in n]
    assert ours == sorted(made_on[-3:]), "the three newest are kept, the two oldest deleted"
    assert other.exists(), "another source's backups are not counted or deleted"
    assert (usb / "houshi-backup-150702-W01-20200101-000000.hdbak").exists(), "an unreadable file is left alone"
    assert (usb / "其他资料.txt").exists()


def test_unplugged_stick_clear_message_old_copies_untouched_retried(settings, office, tmp_path):
    store, usb = office
    for day in (1, 2):
        assert backups.run_scheduled_backup(store, settings, at(day, 12, 30)).status == "done"
    before = {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in usb.glob("*.hdbak")}
    away = tmp_path / "stick-in-a-drawer"
    usb.rename(away)  # unplugged

    outcome = backups.run_scheduled_backup(store, settings, at(3, 12, 30))
    assert outcome.status == "failed"
    assert "备份文件夹不存在或未连接" in outcome.message and str(usb) in outcome.message
    assert "已有的备份都未改动" in outcome.message
    assert not usb.exists(), "the missing folder is not created (a fixed mount point would fill the local disk)"
    level, line = backups.status(store, settings, at(3, 12, 31))
    assert level == "warn" and "自动备份失败" in line and "未连接" in line
    assert backups.run_scheduled_backup(store, settings, at(3, 12, 45)).status == "failed", "tried again"

    away.rename(usb)  # plugged in again
    assert {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in usb.glob("*.hdbak")} == before
    again = backups.run_scheduled_backup(store, settings, at(3, 13, 0))
    assert again.status == "done", again.message
    assert backups.last_failure(store) is None
    assert backups.status(store, settings, at(3, 13, 1))[0] == "ok"


def test_bad_time_setting_is_a_message_not_a_crash(settings, office):
    store, _ = office
    settings.set("backup.time", "25:99")
    outcome = backups.run_scheduled_backup(store, settings, at(1, 12, 30))
    assert outcome.status == "failed" and "backup.time" in outcome.message


def test_status_warns_when_the_last_backup_is_older_than_two_days(settings, office):
    store, _ = office
    level, line = backups.status(store, settings, at(1, 9, 0))
    assert level == "warn" and "还没有备份过" in line
    backups.run_scheduled_backup(store, settings, at(1, 12, 30))
    level, line = backups.status(store, settings, at(3, 12, 0))
    assert level == "ok" and "最近一次备份：2026-01-21 12:30" in line and "每天 12:30" in line
    level, line = backups.status(store, settings, at(3, 12, 31))
    assert level == "warn" and "已超过 2 天没有备份" in line


def test_default_folder_on_the_same_disk_is_a_warning(settings, new_case):
    store = open_store(settings)
    try:
        new_case(store, settings)
        outcome = backups.run_scheduled_backup(store, settings, at(1, 12, 30))
        assert outcome.status == "done"
        assert outcome.info.path.parent == settings.paths.data_dir / "backups"
        level, line = backups.status(store, settings, at(1, 12, 31))
        assert level == "warn" and "backup.folder" in line
    finally:
        store.close()


# ---------------------------------------------------------------------------------------------- CLI


@pytest.fixture
def clock(monkeypatch):
    now = {"t": at(1, 12, 30)}
    monkeypatch.setattr(backups, "clock", lambda: now["t"])
    return now


def test_cli_backup_scheduled_exit_codes(settings, office, cli, clock):
    store, usb = office
    store.close()  # the command opens its own
    code, out, err = cli("backup", "scheduled")  # no login needed: the OS scheduler runs it
    assert code == 0, err
    assert "已自动备份并校验" in out
    code, out, err = cli("backup", "scheduled")
    assert code == 0 and "已按时备份（最近一次 01-21 12:30）" in out and "下次自动备份：01-22 12:30" in out
    clock["t"] = at(2, 12, 30)
    usb.rename(usb.with_name("gone"))
    code, out, err = cli("backup", "scheduled")
    assert code == 2, (out, err)
    assert "备份文件夹不存在或未连接" in err and "Traceback" not in err
    usb.with_name("gone").rename(usb)
    code, out, err = cli("backup", "scheduled")
    assert code == 0 and "已自动备份" in out
    assert len(_copies(usb)) == 2


def test_doctor_shows_the_last_backup(settings, office, clock):
    from houshi_desk.commands.doctor import _backup

    store, _ = office
    backups.run_scheduled_backup(store, settings, at(1, 12, 30))
    clock["t"] = at(4, 9, 0)
    level, line = _backup(settings)
    assert level == "warn" and "已超过 2 天没有备份" in line and "houshi-desk backup now" in line

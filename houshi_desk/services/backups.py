"""Backups as an office runs them: the daily scheduled backup, ``backup now``, and what ``doctor``
and the window say about the last one.

* **Where a backup is made.** A single-PC office (embedded database): on that PC. Hall mode
  (PostgreSQL): only on the database's host — :func:`houshi_desk.store.backup.database_is_local`
  (Unix socket, localhost, or a name/address of this PC), or ``hall=True`` (``--hall``) when the
  supervisor runs it on the server and the address does not look local (a container, a NAT). A
  hall window's terminal never backs up: the cases are not on it.
* **When.** ``backup.time`` (HH:MM, local) every day. A backup is due when the latest scheduled time
  has passed and no backup was made since it — so a PC that was off at that time makes it up at
  the next start (or the next run of ``houshi-desk backup scheduled`` from the OS scheduler), and a
  backup made by hand after the time counts for the day.
* **Where to.** ``backup.folder`` (a USB stick or a network share); empty = the data directory's
  ``backups/``. A configured folder that is not there (stick not plugged in, share not connected) is
  never created — on a fixed mount point that would put the "backup" on the local disk — and the
  failure is kept and retried at the next check; nothing is deleted.
* **Keep.** After the new backup is written and verified, backups of the same source (same name
  prefix) beyond ``backup.keep`` are deleted, oldest first. Unreadable files are left alone.
* **Record.** The last backup and the last failure are kept in the database (``sync_state``), so in
  hall mode every window's ``doctor`` sees the server's last backup. One backup at a time per PC
  (a lock file in the data directory: the window's timer and the OS scheduler never both run one).
"""
from __future__ import annotations

import json
import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path

from houshi_desk.errors import HoushiError
from houshi_desk.store.backup import (BackupError, BackupInfo, HallModeBackup, create_backup, create_hall_backup,
                                      database_is_local, default_dir, read_manifest)

log = logging.getLogger(__name__)

STATE_LAST = "backup.last"
STATE_FAILURE = "backup.failure"
STALE_AFTER = timedelta(days=2)
SCHEDULER_ACTOR = "system:backup"


def clock() -> datetime:
    """Local wall-clock time (tests replace it: no sleeping until 12:30)."""
    return datetime.now()


@dataclass
class Outcome:
    status: str  # "done" | "not_due" | "failed" | "not_here" | "busy"
    message: str
    info: BackupInfo | None = None
    pruned: list[Path] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------- settings


def configured_folder(settings) -> Path | None:
    value = (settings.backup_folder or "").strip()
    return Path(value).expanduser() if value else None


def backup_folder(settings) -> Path:
    return configured_folder(settings) or default_dir(settings)


def scheduled_time(settings) -> time:
    value = str(settings.backup_time or "").strip()
    try:
        hh, mm = value.split(":")
        return time(int(hh), int(mm))
    except ValueError:
        raise BackupError(f"设置 backup.time 应为“时:分”（如 12:30），实际为“{value}”。请改正设置，"
                          "在改正之前不会自动备份。") from None


def last_slot(now: datetime, at: time) -> datetime:
    """The latest scheduled time not after ``now``: today's if it has passed, else yesterday's."""
    today = datetime.combine(now.date(), at)
    return today if now >= today else today - timedelta(days=1)


# ---------------------------------------------------------------------------------------------- where


_local: dict[str, bool] = {}


def where(settings, *, hall: bool = False) -> str:
    """"terminal" (embedded database, this PC), "hall" (this PC is the hall database's host) or
    "not_here" (a hall window's terminal: it does not back up). Decided from the settings alone,
    before anything connects to a database that may be far away."""
    url = settings.database_url
    if not url:
        return "terminal"
    if hall:
        return "hall"
    if url not in _local:
        _local[url] = database_is_local(url)
    return "hall" if _local[url] else "not_here"


def not_here_message(settings) -> str:
    from houshi_desk.store.backup import database_hosts

    hosts = "、".join(h for h in database_hosts(settings.database_url) if h) or "?"
    return (f"本机是大厅模式的窗口终端，案件保存在大厅数据库（服务器 {hosts}）中，本机不做备份。"
            "大厅数据库在数据库服务器上备份：由主管在服务器上运行 houshi-desk backup now，"
            "或由信息科在服务器上设置每日自动备份（houshi-desk backup scheduled）；"
            "服务器上的数据库地址不像本机时加 --hall。")


def refuse_if_not_here(settings, *, hall: bool = False) -> None:
    """``backup now`` on a hall window's terminal: HallModeBackup (exit 2) before connecting."""
    if where(settings, hall=hall) == "not_here":
        raise HallModeBackup(not_here_message(settings))


# ---------------------------------------------------------------------------------------------- state


def _read(store, name: str) -> dict | None:
    from houshi_desk.sync.outbox import get_state

    with store.session() as s:
        raw = get_state(s, name, "")
    try:
        value = json.loads(raw) if raw else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def last_backup(store) -> dict | None:
    """{"at", "path", "cases", "files", "kind", "size"} of the last backup made, or None."""
    return _read(store, STATE_LAST)


def last_failure(store) -> dict | None:
    """{"at", "message"} of the last failed scheduled backup since the last good one, or None."""
    return _read(store, STATE_FAILURE)


def _at(record: dict | None) -> datetime | None:
    try:
        return datetime.fromisoformat(record["at"]) if record else None
    except (KeyError, TypeError, ValueError):
        return None


def _record_success(store, info: BackupInfo, kind: str, actor: str, now: datetime) -> None:
    from houshi_desk import audit
    from houshi_desk.sync.outbox import set_state

    value = {"at": now.isoformat(timespec="seconds"), "path": str(info.path), "cases": info.cases,
             "files": info.files, "kind": kind, "size": info.size}
    with store.session(write=True) as s:
        set_state(s, STATE_LAST, json.dumps(value, ensure_ascii=False))
        set_state(s, STATE_FAILURE, "")
        audit.record(s, actor=actor, action="backup", case_number=None,
                     detail=f"备份 {info.cases} 个案件、{info.files} 个文件：{info.path.name}")


def _record_failure(store, message: str, now: datetime) -> None:
    from houshi_desk.sync.outbox import set_state

    try:
        with store.session(write=True) as s:
            set_state(s, STATE_FAILURE, json.dumps({"at": now.isoformat(timespec="seconds"), "message": message},
                                                   ensure_ascii=False))
    except Exception:  # noqa: BLE001 - the failure is logged either way; recording it must not hide it
        log.exception("could not record the backup failure")


# ---------------------------------------------------------------------------------------------- doing


@contextmanager
def _one_at_a_time(data_dir: Path):
    """An OS lock on ``data_dir/backup.lock`` (released when the process dies): yields False when
    another process or thread of this PC is making a backup now."""
    data_dir.mkdir(parents=True, exist_ok=True)
    fh = open(data_dir / "backup.lock", "a+b")
    try:
        try:
            if os.name == "nt":
                import msvcrt

                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True
    finally:
        fh.close()  # closing releases the lock


def make_backup(store, settings, to_dir: Path | None = None, *, actor: str, hall: bool = False,
                now: datetime | None = None) -> BackupInfo:
    """One verified backup (terminal or hall, see :func:`where`), recorded as the last backup and
    in the audit trail. A hall window's terminal is refused with :class:`HallModeBackup`."""
    refuse_if_not_here(settings, hall=hall)
    kind = where(settings, hall=hall)
    now = now or clock()
    with _one_at_a_time(settings.paths.data_dir) as mine:
        if not mine:
            raise BackupError("本机正在进行另一个备份（自动备份或另一个命令），请等它完成后再试。")
        if kind == "hall":
            info = create_hall_backup(store, settings, to_dir, now=now)
        else:
            info = create_backup(store, settings, to_dir, now=now)
        _record_success(store, info, kind, actor, now)
    return info


def check_folder(folder: Path, *, retried: bool = False) -> None:
    """A configured folder (USB stick, share) must be there; it is never created."""
    if not folder.is_dir():
        raise BackupError(f"备份文件夹不存在或未连接：{folder}。请插好 U 盘或连上网络共享文件夹；"
                          "本次没有备份，已有的备份都未改动" + ("，稍后会自动再试。" if retried else "。"))


def is_due(store, settings, now: datetime) -> bool:
    last = _at(last_backup(store))
    return last is None or last < last_slot(now, scheduled_time(settings))


def run_scheduled_backup(store, settings, now: datetime | None = None, *, hall: bool = False) -> Outcome:
    """The daily backup, if due: make it into ``backup.folder``, prune to ``backup.keep`` copies.
    Never raises for a backup that could not be made: the outcome says why (and it is recorded,
    and tried again at the next call)."""
    now = now or clock()
    kind = where(settings, hall=hall)
    if kind == "not_here":
        return Outcome("not_here", not_here_message(settings))
    try:
        at = scheduled_time(settings)
    except BackupError as exc:
        return Outcome("failed", exc.message)
    if not is_due(store, settings, now):
        nxt = last_slot(now, at) + timedelta(days=1)
        last = _at(last_backup(store))
        return Outcome("not_due", f"已按时备份（最近一次 {last:%m-%d %H:%M}）；下次自动备份：{nxt:%m-%d %H:%M}。")
    folder = backup_folder(settings)
    with _one_at_a_time(settings.paths.data_dir) as mine:
        if not mine:
            return Outcome("busy", "另一个备份正在进行。")
        if not is_due(store, settings, now):  # made by the other one meanwhile
            return Outcome("not_due", "已按时备份（刚由另一个程序完成）。")
        try:
            if configured_folder(settings) is not None:
                check_folder(folder, retried=True)
            if kind == "hall":
                info = create_hall_backup(store, settings, folder, now=now)
            else:
                info = create_backup(store, settings, folder, now=now)
        except HoushiError as exc:  # the folder, the disk, a damaged database, the keyring: said, retried
            log.warning("scheduled backup failed: %s", exc.detail or exc.message)
            _record_failure(store, exc.message, now)
            return Outcome("failed", exc.message)
        except OSError as exc:
            message = f"自动备份失败：{exc.strerror or exc}（{folder}）。已有的备份未改动，稍后会自动再试。"
            _record_failure(store, message, now)
            return Outcome("failed", message)
        _record_success(store, info, kind, SCHEDULER_ACTOR, now)
    pruned = prune(folder, info, max(1, int(settings.backup_keep)))
    message = f"已自动备份并校验：{info.path}（{info.cases} 个案件）。"
    if pruned:
        message += f"按设置只保留 {max(1, int(settings.backup_keep))} 份，已删除较早的 {len(pruned)} 份。"
    return Outcome("done", message, info, pruned)


def _prefix(name: str) -> str:
    # houshi-backup-<terminal>-YYYYmmdd-HHMMSS.hdbak → houshi-backup-<terminal>-
    return name[: -len("YYYYmmdd-HHMMSS.hdbak")]


def prune(folder: Path, newest: BackupInfo, keep: int) -> list[Path]:
    """Delete backups of the same source beyond ``keep``, oldest first; never the one just made,
    never a file that is not a readable backup. Returns what was deleted."""
    prefix = _prefix(newest.path.name)
    ours = []
    for f in Path(folder).glob(f"{prefix}*.hdbak"):
        if f == newest.path or len(f.name) != len(newest.path.name):
            continue
        try:
            read_manifest(f)
        except BackupError:
            continue
        ours.append(f)
    ours.sort(key=lambda f: f.name, reverse=True)
    removed = []
    for f in ours[keep - 1:]:
        try:
            f.unlink()
            removed.append(f)
        except OSError as exc:
            log.warning("could not delete old backup %s: %s", f, exc)
    if removed:
        log.info("pruned %d old backups in %s", len(removed), folder)
    return removed


# ---------------------------------------------------------------------------------------------- telling


def status(store, settings, now: datetime | None = None) -> tuple[str, str]:
    """("ok" | "warn", one Chinese line) about the last backup, for ``doctor`` and the window."""
    now = now or clock()
    last, failure = last_backup(store), last_failure(store)
    last_at, failed_at = _at(last), _at(failure)
    kind = where(settings)
    plan = ""
    if kind != "not_here":
        plan = f"；每天 {settings.backup_time} 自动备份到 {backup_folder(settings)}，保留 {settings.backup_keep} 份"
    who = "大厅数据库" if store.dialect != "sqlite" else "本机"
    if last_at is None:
        text = f"{who}还没有备份过" + (f"（最近一次自动备份失败：{failure.get('message')}）" if failure else "")
        return "warn", text + plan
    line = f"{who}最近一次备份：{last_at:%Y-%m-%d %H:%M}（{last.get('cases')} 个案件）"
    if failed_at is not None and failed_at > last_at:
        return "warn", f"{line}；之后的自动备份失败（{failed_at:%m-%d %H:%M}）：{failure.get('message')}"
    if now - last_at > STALE_AFTER:
        days = (now - last_at).days
        return "warn", f"{line}，已超过 {days} 天没有备份，请尽快备份（houshi-desk backup now）{plan}"
    if kind == "terminal" and configured_folder(settings) is None:
        return "warn", f"{line}；备份与数据在同一块磁盘上，请把 backup.folder 设为 U 盘或网络共享{plan}"
    return "ok", line + plan

"""``houshi-desk backup now [--to DIR] [--hall] | list [--in DIR] | restore FILE [--database URL] |
scheduled [--hall]`` — backups: the terminal's encrypted database and file store, or in hall mode the
hall's PostgreSQL database (pg_dump) plus the files on the server, in one encrypted, verified archive.

``now``, ``list`` and ``restore`` are a supervisor's. ``scheduled`` is for the OS scheduler (cron,
Windows Task Scheduler — run it hourly): it needs no login, does nothing unless the daily backup is
due (``backup.time``), writes to ``backup.folder`` and keeps ``backup.keep`` copies. Exit 0 when a
backup was made or none was due (or this PC is a hall window, which never backs up); 2 when one was
due and could not be made (the message says why; it is tried again at the next run).

On a replacement PC: ``houshi-desk key import 恢复密钥文件`` first, then ``backup restore``. While
the database cannot be opened at all (missing, emptied, damaged — the cases a restore is for), there
is nobody to log in as, so ``restore`` then needs only the key the recovery file brought back.
"""
from __future__ import annotations

import argparse
from pathlib import Path


HALL_HELP = ("大厅模式只在 PostgreSQL 数据库服务器上备份：数据库地址是本机（localhost、127.0.0.1、Unix 套接字或本机的"
             "名称/地址）时自动认作服务器；在服务器上而地址不像本机（如数据库在容器中）时加 --hall。"
             "窗口终端不备份大厅数据库")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backup", help="备份与恢复案件数据（主管）；大厅模式在数据库服务器上备份")
    bsub = p.add_subparsers(dest="backup_command", metavar="ACTION", required=True)
    now = bsub.add_parser("now", help="立即备份数据库和扫描件（写完后自动校验）",
                          description="立即备份。单机：本机加密数据库和扫描件。" + HALL_HELP + "。")
    now.add_argument("--to", type=Path, default=None,
                     help="备份保存目录（默认：设置 backup.folder；未设置则数据目录下 backups/；建议另存到 U 盘）")
    now.add_argument("--hall", action="store_true", help="本机是大厅数据库服务器（见上）")
    now.set_defaults(func=_now)
    ls = bsub.add_parser("list", help="列出备份")
    ls.add_argument("--in", dest="directory", type=Path, default=None,
                    help="备份所在目录（默认：设置 backup.folder；未设置则数据目录下 backups/）")
    ls.set_defaults(func=_list)
    rs = bsub.add_parser("restore", help="从备份文件恢复（原数据库文件保留在旁边，不删除）",
                         description="从备份恢复。本机备份：恢复到本机数据目录。大厅备份：用 pg_restore 恢复到"
                                     "一个新建的空 PostgreSQL 数据库（--database，默认设置中的数据库地址），"
                                     "数据库不是空的则拒绝，不覆盖任何数据。")
    rs.add_argument("file", type=Path)
    rs.add_argument("--database", default=None,
                    help="大厅备份恢复到的空数据库地址 postgresql+psycopg://用户@主机/库名（密码可写在地址中）")
    rs.set_defaults(func=_restore)
    sc = bsub.add_parser("scheduled", help="每日自动备份（供系统计划任务每小时运行；未到时间则什么也不做）",
                         description="按设置 backup.time / backup.folder / backup.keep 做每日备份：到了时间且之后还没有"
                                     "备份过才备份，否则什么也不做。不需要登录。退出码：0 = 已备份或未到时间"
                                     "（大厅窗口终端也为 0，不备份）；2 = 该备份但没有成功（下次运行再试）。"
                                     + HALL_HELP + "。例：cron 中 0 * * * * houshi-desk-cli backup scheduled；"
                                     "Windows 任务计划程序每小时运行 houshi-desk-cli.exe backup scheduled。")
    sc.add_argument("--hall", action="store_true", help="本机是大厅数据库服务器（见上）")
    sc.set_defaults(func=_scheduled)


def _supervisor(settings, store):
    from houshi_desk.users import require_role

    return require_role(settings, "supervisor", store=store)


def _has_users(store) -> bool:
    from sqlalchemy import select

    from houshi_desk.store.models_users import UserRow

    with store.session() as s:
        return s.execute(select(UserRow.id).limit(1)).first() is not None


def _now(args) -> int:
    from houshi_desk.config import load_settings
    from houshi_desk.services.backups import check_folder, configured_folder, make_backup, refuse_if_not_here
    from houshi_desk.users.cli_support import opened

    settings = load_settings()
    refuse_if_not_here(settings, hall=args.hall)  # a hall window's terminal: said before connecting
    with opened(settings) as (settings, store):
        user = _supervisor(settings, store)
        to = args.to or configured_folder(settings)
        if args.to is None and to is not None:
            check_folder(to)  # the configured stick or share must be there: never created on the local disk
        info = make_backup(store, settings, to, actor=user.username, hall=args.hall)
        hall = store.dialect != "sqlite"
    print(f"已备份并校验：{info.path}")
    what = "大厅数据库（含大厅存储的扫描件）" if hall else ""
    print(f"{what}共 {info.cases} 个案件、本机 {info.files} 个扫描/文书文件，{info.size / 1048576:.1f} MB。"
          + ("" if to else "备份与数据在同一块磁盘上，请再用 --to 另存一份到 U 盘或其他电脑。"))
    return 0


def _scheduled(args) -> int:
    from houshi_desk.config import load_settings
    from houshi_desk.services.backups import BackupError, not_here_message, run_scheduled_backup, where
    from houshi_desk.users.cli_support import opened

    settings = load_settings()
    if where(settings, hall=args.hall) == "not_here":
        print(not_here_message(settings))
        return 0
    with opened(settings) as (settings, store):
        outcome = run_scheduled_backup(store, settings, hall=args.hall)
    if outcome.status == "failed":
        raise BackupError(outcome.message)
    print(outcome.message)
    return 0


def _list(args) -> int:
    from houshi_desk.services.backups import backup_folder, status
    from houshi_desk.store.backup import HALL_FORMAT, list_backups
    from houshi_desk.store.keys import key_id
    from houshi_desk.users.cli_support import opened

    with opened() as (settings, store):
        _supervisor(settings, store)
        directory = args.directory or backup_folder(settings)
        mine = key_id(settings.paths.data_dir, create=False)
        _level, line = status(store, settings)
    print(line)
    rows = list_backups(directory)
    if not rows:
        print(f"{directory} 中没有备份。用 houshi-desk backup now 立即备份。")
        return 0
    for path, manifest, problem in rows:
        if manifest is None:
            print(f"✘ {path.name}：{problem}")
            continue
        if manifest.get("format") == HALL_FORMAT:
            key = "大厅密钥" if manifest.get("key_kind") == "hall" else "服务器本机密钥"
            print(f"{path.name}  {manifest.get('created_at')}  大厅数据库 {manifest.get('cases')} 个案件  "
                  f"{path.stat().st_size / 1048576:.1f} MB（{key}加密）")
            continue
        foreign = "" if manifest.get("key_id") == mine else "（另一把密钥，恢复前需导入其恢复密钥）"
        print(f"{path.name}  {manifest.get('created_at')}  {manifest.get('cases')} 个案件  "
              f"最后受理 {manifest.get('last_case') or '—'}  {path.stat().st_size / 1048576:.1f} MB{foreign}")
    return 0


def _restore_hall(args, settings) -> int:
    from houshi_desk.audit.anchor import record_restore
    from houshi_desk.errors import HoushiError
    from houshi_desk.store.backup import restore_hall_backup
    from houshi_desk.store.db import open_store

    target = args.database or settings.database_url
    if not target:
        raise HoushiError("这是大厅数据库的备份：请用 --database postgresql+psycopg://… 指定要恢复到的新建空数据库。")
    manifest = restore_hall_backup(settings, args.file, target)
    store = open_store(settings, url=target)  # brings an older backup's schema up to this version
    try:
        with store.session(write=True) as s:
            record_restore(s, actor="backup-restore",
                           detail=f"从大厅备份恢复：{Path(args.file).name}（{manifest.get('created_at')}）")
    finally:
        store.close()
    print(f"已把大厅备份恢复到新数据库：{manifest.get('cases')} 个案件，"
          f"{sum((manifest.get('tables') or {}).values())} 行数据，逐表核对行数一致（备份时间 {manifest.get('created_at')}）。")
    print("请把各窗口和服务器的 database.url 指向这个数据库。发送队列中未确认的项目会重新发送，平台按幂等键去重，不会重复。")
    return 0


def _restore(args) -> int:
    from houshi_desk.config import load_settings
    from houshi_desk.errors import HoushiError
    from houshi_desk.store.backup import restore_backup
    from houshi_desk.store.db import open_store

    settings = load_settings()
    from houshi_desk.store.backup import HALL_FORMAT, read_manifest

    if read_manifest(args.file).get("format") == HALL_FORMAT:
        return _restore_hall(args, settings)
    if args.database:
        raise HoushiError("这是单机（本机加密数据库）的备份，--database 只用于大厅备份。请去掉 --database 再恢复。")
    db = settings.paths.database_file
    store = None
    if db.exists() and db.stat().st_size > 0:
        try:
            store = open_store(settings)
        except HoushiError:
            store = None  # missing, damaged, no key: nothing usable to protect, no one to log in as
    if store is not None:
        try:
            if _has_users(store):
                _supervisor(settings, store)
        finally:
            store.close()
    manifest, kept = restore_backup(settings, args.file)
    store = open_store(settings)  # proves it opens; raises the day's sequences to what this PC has seen
    try:
        from houshi_desk.audit.anchor import record_restore

        with store.session(write=True) as s:  # the next audit anchor declares the restore to the platform
            record_restore(s, actor="backup-restore",
                           detail=f"从备份恢复：{Path(args.file).name}（{manifest.get('created_at')}）")
        from houshi_desk.services.case_numbers import check_with_platform

        numbers = check_with_platform(store, settings, actor="backup-restore")  # a backup older than today's last case
    finally:
        store.close()
    print(f"已从备份恢复 {manifest.get('cases')} 个案件（备份时间 {manifest.get('created_at')}，"
          f"最后受理 {manifest.get('last_case') or '—'}）。")
    if kept is not None:
        print(f"原来的数据库文件未删除，已改名保存为：{kept}")
    print("备份之后在本机新受理的案件不在备份中，请核对；新的受理编号不会与已用过的编号重复。")
    print(numbers.message)
    return 0

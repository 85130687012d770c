"""``houshi-desk backup now [--to DIR] | list [--in DIR] | restore FILE`` — the terminal's own
backups: the encrypted database and file store in one verified archive (supervisor).

On a replacement PC: ``houshi-desk key import 恢复密钥文件`` first, then ``backup restore``. While
the database cannot be opened at all (missing, emptied, damaged — the cases a restore is for), there
is nobody to log in as, so ``restore`` then needs only the key the recovery file brought back.
"""
from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backup", help="备份与恢复本机案件数据（主管）")
    bsub = p.add_subparsers(dest="backup_command", metavar="ACTION", required=True)
    now = bsub.add_parser("now", help="立即备份数据库和扫描件（写完后自动校验）")
    now.add_argument("--to", type=Path, default=None, help="备份保存目录（默认：数据目录下 backups/；建议另存到 U 盘）")
    now.set_defaults(func=_now)
    ls = bsub.add_parser("list", help="列出备份")
    ls.add_argument("--in", dest="directory", type=Path, default=None, help="备份所在目录（默认：数据目录下 backups/）")
    ls.set_defaults(func=_list)
    rs = bsub.add_parser("restore", help="从备份文件恢复（原数据库文件保留在旁边，不删除）")
    rs.add_argument("file", type=Path)
    rs.set_defaults(func=_restore)


def _supervisor(settings, store):
    from houshi_desk.users import require_role

    return require_role(settings, "supervisor", store=store)


def _has_users(store) -> bool:
    from sqlalchemy import select

    from houshi_desk.store.models_users import UserRow

    with store.session() as s:
        return s.execute(select(UserRow.id).limit(1)).first() is not None


def _now(args) -> int:
    from houshi_desk import audit
    from houshi_desk.store.backup import create_backup
    from houshi_desk.users.cli_support import opened

    with opened() as (settings, store):
        user = _supervisor(settings, store)
        info = create_backup(store, settings, args.to)
        with store.session(write=True) as s:
            audit.record(s, actor=user.username, action="backup", case_number=None,
                         detail=f"备份 {info.cases} 个案件、{info.files} 个文件：{info.path.name}")
    print(f"已备份并校验：{info.path}")
    print(f"共 {info.cases} 个案件、{info.files} 个扫描/文书文件，{info.size / 1048576:.1f} MB。"
          + ("" if args.to else "备份与数据在同一块磁盘上，请再用 --to 另存一份到 U 盘或其他电脑。"))
    return 0


def _list(args) -> int:
    from houshi_desk.store.backup import default_dir, list_backups
    from houshi_desk.store.keys import key_id
    from houshi_desk.users.cli_support import opened

    with opened() as (settings, store):
        _supervisor(settings, store)
        directory = args.directory or default_dir(settings)
        mine = key_id(settings.paths.data_dir, create=False)
    rows = list_backups(directory)
    if not rows:
        print(f"{directory} 中没有备份。用 houshi-desk backup now 立即备份。")
        return 0
    for path, manifest, problem in rows:
        if manifest is None:
            print(f"✘ {path.name}：{problem}")
            continue
        foreign = "" if manifest.get("key_id") == mine else "（另一把密钥，恢复前需导入其恢复密钥）"
        print(f"{path.name}  {manifest.get('created_at')}  {manifest.get('cases')} 个案件  "
              f"最后受理 {manifest.get('last_case') or '—'}  {path.stat().st_size / 1048576:.1f} MB{foreign}")
    return 0


def _restore(args) -> int:
    from houshi_desk.config import load_settings
    from houshi_desk.errors import HoushiError
    from houshi_desk.store.backup import restore_backup
    from houshi_desk.store.db import open_store

    settings = load_settings()
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
        from houshi_desk import audit

        with store.session(write=True) as s:
            audit.record(s, actor="backup-restore", action="restore", case_number=None,
                         detail=f"从备份恢复：{Path(args.file).name}（{manifest.get('created_at')}）")
    finally:
        store.close()
    print(f"已从备份恢复 {manifest.get('cases')} 个案件（备份时间 {manifest.get('created_at')}，"
          f"最后受理 {manifest.get('last_case') or '—'}）。")
    if kept is not None:
        print(f"原来的数据库文件未删除，已改名保存为：{kept}")
    print("备份之后在本机新受理的案件不在备份中，请核对；新的受理编号不会与已用过的编号重复。")
    return 0

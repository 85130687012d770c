"""``houshi-desk hall key create | export FILE | import FILE`` — the hall key (supervisor).

In hall mode the scans live in the hall's PostgreSQL database, encrypted with the hall key
(:mod:`houshi_desk.store.hallstore`). A supervisor makes it once at hall set-up (``create``, on any
window), exports it to a passphrase-protected file (the recovery key's format: scrypt + AES-GCM,
written 0600) and imports that file on every other window. The key lives in each window's keyring,
never in the database, which records only its fingerprint.
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from houshi_desk.errors import HoushiError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("hall", help="大厅模式：大厅密钥（主管）")
    hsub = p.add_subparsers(dest="hall_command", metavar="WHAT", required=True)
    k = hsub.add_parser("key", help="大厅密钥：新建 / 导出 / 导入（扫描件在大厅数据库中用它加密）")
    ksub = k.add_subparsers(dest="hall_key_command", metavar="ACTION", required=True)
    c = ksub.add_parser("create", help="建立大厅时新建大厅密钥（只做一次），存入本机钥匙串")
    c.add_argument("--force", action="store_true",
                   help="本机钥匙串或大厅已有大厅密钥时仍新建（旧密钥加密的文件将无法读取；大厅已有扫描件时仍拒绝）")
    c.set_defaults(func=_create)
    e = ksub.add_parser("export", help="导出受口令保护的大厅密钥文件（用于在其他窗口导入）")
    e.add_argument("file", type=Path)
    e.add_argument("--passphrase-stdin", action="store_true", help="从标准输入读取保护口令")
    e.set_defaults(func=_export)
    i = ksub.add_parser("import", help="把大厅密钥文件导入本机钥匙串")
    i.add_argument("file", type=Path)
    i.add_argument("--passphrase-stdin", action="store_true", help="从标准输入读取保护口令")
    i.add_argument("--force", action="store_true", help="替换本机钥匙串中另一把大厅密钥")
    i.set_defaults(func=_import)


def _passphrase(args, *, confirm: bool) -> str:
    from houshi_desk.users.cli_support import read_passphrase

    return read_passphrase(args, "大厅密钥保护口令：", confirm=confirm)


def _require_hall(store) -> None:
    if not store.is_hall_mode:
        raise HoushiError("本机不是大厅模式（数据库地址 database.url 不是大厅的 PostgreSQL），大厅密钥无处可用。"
                          "请先由信息科设置大厅数据库地址，再操作大厅密钥。")


def _supervisor(settings, store):
    from houshi_desk.users import require_role

    return require_role(settings, "supervisor", store=store)


def _audit(store, user, detail: str) -> None:
    from houshi_desk import audit

    with store.session(write=True) as s:
        audit.record(s, actor=user.username, action="hall_key", case_number=None, detail=detail)


def _create(args) -> int:
    from houshi_desk.store import hallstore as hs
    from houshi_desk.users.cli_support import opened

    with opened() as (settings, store):
        _require_hall(store)
        user = _supervisor(settings, store)
        mine = hs.keyring_key()
        with store.session() as s:
            recorded = hs.database_fingerprint(s)
            stored = hs.stored_file_count(s)
        mine_fp = hs.fingerprint(mine) if mine is not None else None
        if not args.force:
            if mine is not None and mine_fp == recorded:
                raise HoushiError(f"本机钥匙串中已有本大厅的大厅密钥（指纹 {hs.show(mine_fp)}），未新建。"
                                  "要给其他窗口使用，请导出：houshi-desk hall key export 文件")
            if mine is not None:
                raise HoushiError(f"本机钥匙串中已有一把大厅密钥（指纹 {hs.show(mine_fp)}），未新建，以免旧密钥加密的扫描件无法读取。"
                                  "如确需新建，请先导出旧密钥保存，再加 --force。")
            if recorded is not None:
                raise HoushiError(f"这个大厅已经有大厅密钥（指纹 {hs.show(recorded)}），未新建。"
                                  "请由主管在已有密钥的窗口导出（houshi-desk hall key export 文件），再在本机导入：houshi-desk hall key import 文件")
        if recorded is not None and stored:
            raise HoushiError(f"大厅数据库中已有 {stored} 个用现有大厅密钥（指纹 {hs.show(recorded)}）加密的扫描件，"
                              "换新密钥会使它们全部无法读取，未新建（--force 也不例外）。"
                              "请导入现有的大厅密钥：houshi-desk hall key import 文件")
        if args.force and (mine is not None or recorded is not None):
            print(f"警告：旧的大厅密钥（本机 {hs.show(mine_fp)}，大厅数据库 {hs.show(recorded)}）将被新密钥替换；"
                  "用旧密钥加密的文件只能用旧密钥读取。")
        key = hs.new_key()
        fp = hs.fingerprint(key)
        with store.session(write=True) as s:
            if not args.force and hs.database_fingerprint(s) is not None:  # another window was quicker
                raise HoushiError("另一台窗口刚刚建立了大厅密钥，本机未新建。请导入那一把：houshi-desk hall key import 文件")
            hs.record_fingerprint(s, fp, actor=user.username)
            hs.save_keyring_key(key)  # in the transaction: a keyring failure leaves the database as it was
        _audit(store, user, f"新建大厅密钥，指纹 {hs.show(fp)}" + ("（--force 替换旧密钥）" if args.force else ""))
    print(f"已新建大厅密钥并存入本机钥匙串，指纹 {hs.show(fp)}。")
    print("请立即导出并离线保存：houshi-desk hall key export 文件；再在每台窗口导入：houshi-desk hall key import 文件")
    return 0


def _export(args) -> int:
    from houshi_desk.store import hallstore as hs
    from houshi_desk.users.cli_support import opened

    out = Path(args.file)
    with opened() as (settings, store):
        user = _supervisor(settings, store)
        key = hs.keyring_key()
        if key is None:
            raise HoushiError("本机钥匙串中没有大厅密钥，无可导出。请在已有大厅密钥的窗口导出，或由主管新建：houshi-desk hall key create")
        fp = hs.fingerprint(key)
        if store.is_hall_mode:
            with store.session() as s:
                recorded = hs.database_fingerprint(s)
            if recorded is not None and recorded != fp:
                raise HoushiError(f"本机钥匙串中的大厅密钥（指纹 {hs.show(fp)}）不是这个大厅数据库的密钥"
                                  f"（指纹 {hs.show(recorded)}），未导出。")
        if out.is_dir():
            raise HoushiError(f"“{out}”是一个文件夹。请给出大厅密钥文件的完整文件名，例如 {out / 'hall-key.json'}。")
        if not out.parent.is_dir():
            raise HoushiError(f"文件夹“{out.parent}”不存在。请先插好 U 盘或建好文件夹，再导出。")
        passphrase = _passphrase(args, confirm=True)
        if out.exists():
            os.chmod(out, 0o600)  # an old copy is narrowed before the key goes into it
        old_umask = os.umask(0o077)  # the file is created 0600 before anything is written into it
        try:
            hs.seal_key_file(key, out, passphrase)
        finally:
            os.umask(old_umask)
        try:
            os.chmod(out, 0o600)
        except OSError:
            pass
        _audit(store, user, f"导出大厅密钥，指纹 {hs.show(fp)}")
    print(f"已导出大厅密钥（指纹 {hs.show(fp)}）：{out}。请离线保存；在其他窗口导入：houshi-desk hall key import 文件")
    return 0


def _import(args) -> int:
    from houshi_desk.store import hallstore as hs
    from houshi_desk.users.cli_support import opened

    with opened() as (settings, store):
        _require_hall(store)
        user = _supervisor(settings, store)
        key = hs.open_key_file(Path(args.file), _passphrase(args, confirm=False))
        fp = hs.fingerprint(key)
        with store.session() as s:
            recorded = hs.database_fingerprint(s)
        if recorded is None:
            raise HoushiError("这个大厅数据库还没有大厅密钥，未导入。请主管先在一台窗口上新建：houshi-desk hall key create")
        if recorded != fp:
            raise HoushiError(f"这份大厅密钥文件（指纹 {hs.show(fp)}）不是这个大厅数据库的密钥（指纹 {hs.show(recorded)}），"
                              "未导入。请确认文件来自本大厅。")
        mine = hs.keyring_key()
        if mine is not None and hs.fingerprint(mine) == fp:
            print(f"本机钥匙串中已有这把大厅密钥（指纹 {hs.show(fp)}），无需导入。")
            return 0
        if mine is not None and not args.force:
            raise HoushiError(f"本机钥匙串中已有另一把大厅密钥（指纹 {hs.show(hs.fingerprint(mine))}），未导入。"
                              "如确认要换成本大厅的密钥，请加 --force。")
        hs.save_keyring_key(key)
        _audit(store, user, f"导入大厅密钥，指纹 {hs.show(fp)}")
    print(f"已导入大厅密钥（指纹 {hs.show(fp)}），本机可以存取大厅数据库中的扫描件。")
    return 0

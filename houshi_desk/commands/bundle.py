"""``houshi-desk bundle export FILE`` / ``bundle import FILE``: the pending outbox on a USB stick."""
from __future__ import annotations

import argparse
import os


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bundle", help="离线包：把待发案件导出到 U 盘，或在另一台终端导入")
    ps = p.add_subparsers(dest="bundle_command", metavar="ACTION", required=True)
    e = ps.add_parser("export", help="导出待发队列为加密、签名的离线包")
    e.add_argument("file")
    e.set_defaults(func=_export)
    i = ps.add_parser("import", help="导入离线包（重复导入不会重复发送）")
    i.add_argument("file")
    i.add_argument("--expect-signer", default=None,
                   help="只接受该签名指纹的离线包（默认用设置 sync.bundle_signer；指定其他签名者须管理员）")
    i.set_defaults(func=_import)


def _passphrase(confirm: bool) -> str:
    value = os.environ.get("HOUSHI_BUNDLE_PASSPHRASE")
    if value:
        return value
    from houshi_desk.users.cli_support import prompt_secret

    hint = "请在终端中运行，或用环境变量 HOUSHI_BUNDLE_PASSPHRASE 提供口令。"
    first = prompt_secret("离线包保护口令：", hint=hint)
    if confirm and prompt_secret("再输入一次：", hint=hint) != first:
        from houshi_desk.sync.bundle import BundleError

        raise BundleError("两次输入的口令不一致，未导出。")
    return first


def _export(args) -> int:
    from pathlib import Path

    from houshi_desk.scanning.filestore import FileStore
    from houshi_desk.sync.bundle import export_bundle
    from houshi_desk.users import Permission
    from houshi_desk.users.cli_support import logged_in

    with logged_in(Permission.CASE_SUBMIT) as (settings, store, _user):
        files = FileStore.for_settings(settings)
        r = export_bundle(store, files, settings, Path(args.file), _passphrase(confirm=True))
    print(f"已导出 {r.cases} 件案件（{r.items} 项，{r.files} 个附件）到 {args.file}。")
    print(f"签名指纹：{r.fingerprint}（导入时请核对）。本机队列不变，联网后照常发送，平台不会重复受理。")
    return 0


def _import(args) -> int:
    from pathlib import Path

    from houshi_desk.scanning.filestore import FileStore
    from houshi_desk.services.bundles import import_usb_bundle
    from houshi_desk.users import Permission
    from houshi_desk.users.cli_support import logged_in

    with logged_in(Permission.CASE_SUBMIT) as (settings, store, user):
        files = FileStore.for_settings(settings)
        r = import_usb_bundle(store, settings, Path(args.file), _passphrase(confirm=False), user=user,
                              filestore=files, expect_signer=args.expect_signer)
    print(f"离线包来自终端 {r.terminal}，签名指纹 {r.fingerprint}。")
    print(f"新导入 {r.created} 项，已存在而跳过 {r.skipped} 项，附件 {r.files} 个。")
    return 0

"""``houshi-desk doctor`` and ``houshi-desk key export|import``: what is configured and reachable,
and the database recovery key. For provincial IT on the phone with a township office."""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from houshi_desk.errors import HoushiError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("doctor", help="检查配置与设备：数据库、钥匙串、读卡器、扫描仪、打印机、平台")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_doctor)

    k = sub.add_parser("key", help="数据库恢复密钥（主管）：导出 / 导入")
    ksub = k.add_subparsers(dest="key_command", metavar="ACTION", required=True)
    e = ksub.add_parser("export", help="导出受口令保护的恢复密钥文件（请存放在安全处）")
    e.add_argument("file", type=Path)
    e.add_argument("--passphrase-stdin", action="store_true", help="从标准输入读取保护口令")
    e.set_defaults(func=_key_export)
    i = ksub.add_parser("import", help="从恢复密钥文件恢复本机数据库密钥")
    i.add_argument("file", type=Path)
    i.add_argument("--passphrase-stdin", action="store_true")
    i.set_defaults(func=_key_import)


def _passphrase(args, *, confirm: bool) -> str:
    from houshi_desk.users.cli_support import read_passphrase

    return read_passphrase(args, "恢复密钥保护口令：", confirm=confirm)


def _key_export(args) -> int:
    import os

    from houshi_desk.config import load_settings
    from houshi_desk.store.keys import export_recovery
    from houshi_desk.users import require_role
    from houshi_desk.users.sessions import has_login

    settings = load_settings()
    require_role(settings if has_login(settings) else None, "supervisor")  # never skipped: exporting the key is a supervisor's job
    out = Path(args.file)
    if out.is_dir():
        raise HoushiError(f"“{out}”是一个文件夹。请给出恢复密钥文件的完整文件名，例如 {out / 'houshi-recovery.json'}。")
    if not out.parent.is_dir():
        raise HoushiError(f"文件夹“{out.parent}”不存在。请先插好 U 盘或建好文件夹，再导出。")
    p = settings.paths
    passphrase = _passphrase(args, confirm=True)
    # The key file is created 0600 before anything is written into it (umask cannot widen it).
    if out.exists():
        os.chmod(out, 0o600)  # an old copy is narrowed before the new key goes into it
    old_umask = os.umask(0o077)
    try:
        export_recovery(p.data_dir, p.database_file, out, passphrase)
    finally:
        os.umask(old_umask)
    try:
        os.chmod(out, 0o600)
    except OSError:
        pass
    print(f"已导出恢复密钥：{out}。请离线保存，不要与数据放在同一台电脑。")
    return 0


def _key_import(args) -> int:
    from houshi_desk.config import load_settings
    from houshi_desk.store.db import open_store
    from houshi_desk.store.keys import import_recovery

    settings = load_settings()
    p = settings.paths
    import_recovery(p.data_dir, args.file, _passphrase(args, confirm=False))
    if not p.database_file.exists() or p.database_file.stat().st_size == 0:
        print("已恢复数据库密钥。本机还没有案件数据库：请接着运行 houshi-desk backup restore 备份文件 恢复案件。")
        return 0
    store = open_store(settings, migrate=False)  # proves the key opens the existing database
    try:
        from houshi_desk.services.case_numbers import check_with_platform

        numbers = check_with_platform(store, settings, actor="key-import")
    finally:
        store.close()
    print("已恢复数据库密钥，数据库可以正常打开。")
    print(numbers.message)
    return 0


def _check(name: str, fn) -> tuple[str, str, str]:
    try:
        status, text = fn()
    except HoushiError as exc:
        status, text = "fail", exc.message
    except Exception as exc:  # doctor reports, it never crashes
        status, text = "fail", f"{type(exc).__name__}: {exc}"
    return name, status, text


def _database(settings):
    from houshi_desk.store.db import open_store

    store = open_store(settings)
    try:
        return "ok", store.description
    finally:
        store.close()


def _backup(settings):
    from houshi_desk.services.backups import status
    from houshi_desk.store.db import open_store

    store = open_store(settings)
    try:
        return status(store, settings)  # warns when the last backup is older than 2 days
    finally:
        store.close()


def _hall_key(settings):
    """Hall mode: is this PC's hall key the hall database's (scans are stored and read with it)?"""
    url = settings.database_url
    if not url.startswith("postgresql"):
        return "ok", "单机模式（扫描件加密保存在本机数据目录，不用大厅密钥）"
    from houshi_desk.store.hallstore import _resolve_key, engine_for, fingerprint, show

    key = _resolve_key(engine_for(url), url)  # raises KeyMissing with what to do, in Chinese
    return "ok", f"本机大厅密钥与大厅数据库一致（指纹 {show(fingerprint(key))}），扫描件存于大厅数据库"


def _catalogs():
    from houshi_desk.domain.catalog import check_catalogs

    check_catalogs()
    return "ok", "地区事项目录完整"


def _fonts(settings):
    from houshi_desk.documents.fonts import cjk_font

    return "ok", f"中文字体：{cjk_font()}（嵌入打印件）"


def _keyring():
    import keyring
    from keyring.backends import fail

    from houshi_desk.store.keys import require_safe_keyring

    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        return "fail", "没有可用的系统钥匙串（数据库密钥与平台密钥无处保存）"
    require_safe_keyring(keyring)  # a file keyring nobody chose: fails with the message the store gives
    return "ok", type(backend).__name__


def _readers(settings):
    transport = settings.idcard_transport
    if transport in ("serial", "sdk"):
        return "ok", f"读卡方式：{transport}（{settings.idcard_serial_port or settings.idcard_sdk_library}）"
    try:
        from smartcard.System import readers
    except ImportError:  # third-party, optional
        return "warn", "未安装 pyscard，无法使用 PC/SC 读卡器"
    try:
        found = [str(r) for r in readers()]
    except Exception as exc:
        return "warn", f"PC/SC 服务不可用（pcscd 未运行？）：{exc}"
    return ("ok", "、".join(found)) if found else ("warn", "未发现读卡器")


def _scanners():
    if not shutil.which("scanimage"):
        return "warn", "未安装 SANE（scanimage）；可使用文件导入"
    out = subprocess.run(["scanimage", "-f", "%d%n"], capture_output=True, text=True, timeout=20)
    found = [line for line in out.stdout.splitlines() if line.strip()]
    return ("ok", "、".join(found)) if found else ("warn", "未发现扫描仪；可使用文件导入")


def _printers():
    if not shutil.which("lpstat"):
        return "warn", "未找到 lpstat（Windows 上请在打印对话框中选择打印机）"
    out = subprocess.run(["lpstat", "-e"], capture_output=True, text=True, timeout=10)
    found = out.stdout.split()
    return ("ok", "、".join(found)) if found else ("warn", "未发现打印机；可保存为 PDF")


def _platform(settings):
    url = settings.platform_url
    if not url:
        return "warn", "未配置省级平台地址（platform.url），案件将保存在本机待发队列"
    import httpx

    verify = settings.platform_ca_file or True
    r = httpx.get(url.rstrip("/") + "/health", timeout=5, verify=verify)
    return ("ok", f"{url} 应答 {r.status_code}") if r.status_code < 500 else ("fail", f"{url} 应答 {r.status_code}")


def _doctor(args) -> int:
    from houshi_desk import __version__
    from houshi_desk.config import load_settings

    settings = load_settings()
    rows = [
        ("版本", "ok", __version__),
        ("设置文件", "ok", str(settings.paths.config_file)),
        ("数据目录", "ok", str(settings.paths.data_dir)),
        ("地区/窗口", "ok", f"{settings.office_region} {settings.office_region_code}-{settings.office_terminal_id}"),
        _check("事项目录", _catalogs),
        _check("钥匙串", _keyring),
        _check("数据库", lambda: _database(settings)),
        _check("备份", lambda: _backup(settings)),
        _check("大厅密钥", lambda: _hall_key(settings)),
        _check("读卡器", lambda: _readers(settings)),
        _check("扫描仪", _scanners),
        _check("打印字体", lambda: _fonts(settings)),
        _check("打印机", _printers),
        _check("省级平台", lambda: _platform(settings)),
    ]
    if args.json:
        import json

        json.dump([{"item": n, "status": s, "detail": t} for n, s, t in rows], sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        marks = {"ok": "✔", "warn": "!", "fail": "✘"}
        for name, status, text in rows:
            print(f"{marks[status]} {name}：{text}")
    # Only an unusable database or catalog makes the exit non-zero: the rest can be worked around.
    return 2 if any(n in ("数据库", "事项目录") and s == "fail" for n, s, _ in rows) else 0

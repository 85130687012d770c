"""``houshi-desk demo``: the window on embedded defaults in a separate demo data directory, with
sample accounts, sample ID cards (virtual card behind pcscd + vpcd, else 模拟读卡器), file import or
the SANE test scanner, printing to PDF files and the reference platform started as a child process."""
from __future__ import annotations

import argparse
import os
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="演示模式：样例账户、样例身份证、内置参考平台，数据放在单独的演示目录",
                       description="启动演示模式。数据放在单独的演示目录（默认为用户数据目录下的 demo），不影响正式数据。")
    p.add_argument("--home", help="演示数据目录（默认：用户数据目录/demo）")
    p.add_argument("--no-platform", action="store_true", help="不启动内置参考平台（案件只进入本机发送队列）")
    p.add_argument("--step-seconds", type=float, default=1.5, help="参考平台模拟部门办理每一步的间隔（秒）")
    p.add_argument("--smoke-test", action="store_true",
                   help="冒烟测试：显示主窗口、打开新建案件第一步，输出 SMOKE-OK 后退出（安装包检查用）")
    p.set_defaults(func=handle)


def demo_home(arg: str | None) -> Path:
    """--home, else ``HOUSHI_DESK_HOME`` (as the README says), else the user data folder's demo/."""
    if arg:
        return Path(arg).expanduser().resolve()
    if os.environ.get("HOUSHI_DESK_HOME"):
        return Path(os.environ["HOUSHI_DESK_HOME"]).expanduser().resolve()
    import platformdirs

    return Path(platformdirs.user_data_dir("houshi-desk", appauthor=False)) / "demo"


def use_demo_keyring(home: Path) -> str:
    """Keep the system keyring when it works; on a headless Linux without one, use keyrings.alt's
    file keyring inside the demo home (demo only) and return a note saying so."""
    import keyring

    try:
        backend = keyring.get_keyring()
        from keyring.backends import fail

        if isinstance(backend, fail.Keyring):
            raise RuntimeError("no backend")
        chained = getattr(backend, "backends", None)
        kinds = [type(b).__module__ for b in (chained if chained is not None else [backend])]
        if not kinds or all(k.startswith("keyrings.alt") for k in kinds):
            # only keyrings.alt's files in the user's home: not a system keyring, so keep the
            # demo's key beside the demo data instead of mixing it into the user's files
            raise RuntimeError("no system keyring")
        probe = "houshi-desk-demo-probe"
        keyring.set_password(probe, "probe", "ok")
        if keyring.get_password(probe, "probe") != "ok":
            raise RuntimeError("round trip failed")
        try:
            keyring.delete_password(probe, "probe")
        except Exception:  # noqa: BLE001
            pass
        return ""
    except Exception:  # noqa: BLE001 - any failure: the demo falls back to a file keyring
        from keyrings.alt.file import PlaintextKeyring

        kr = PlaintextKeyring()
        kr.file_path = str(home / "demo-keyring.cfg")
        kr.houshi_demo = True  # the store accepts a file keyring only when the demo chose it
        keyring.set_keyring(kr)
        return "演示用文件钥匙串（本机无系统钥匙串，仅限演示）"


def prepare_home(arg: str | None):
    """The demo's home, made the program's home for this process, with demo settings in it:
    ``office.mode = "demo"`` (rehearsal dates allowed, in this home only) unless an administrator
    locked the mode. Returns (home, settings, keyring note)."""
    home = demo_home(arg)
    home.mkdir(parents=True, exist_ok=True)
    os.environ["HOUSHI_DESK_HOME"] = str(home)
    note = use_demo_keyring(home)
    from houshi_desk.config import load_settings

    settings = load_settings()
    if not (home / "settings.toml").exists():
        settings.set("office.name", "演示政务服务中心·身后一件事专窗")
    if settings.office_mode != "demo" and not settings.is_locked("office.mode"):
        settings.set("office.mode", "demo")
    return home, settings, note


def handle(args) -> int:
    home, settings, note = prepare_home(args.home)
    from houshi_desk.gui.app import run
    from houshi_desk.gui.demo import DemoEnvironment

    smoke = bool(getattr(args, "smoke_test", False))
    demo = DemoEnvironment(home, keyring_note=note, use_platform=not (args.no_platform or smoke),
                           step_seconds=args.step_seconds)
    if smoke:
        from houshi_desk.gui.app import run_smoke_test

        return run_smoke_test(demo=demo, settings=settings)
    print(f"演示模式：数据目录 {home}；账户 demo / demo1234（窗口人员），zhuguan / demo1234（主管）")
    if note:
        print(note)
    return run(demo=demo, settings=settings)

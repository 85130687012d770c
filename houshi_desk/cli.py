"""The ``houshi-desk`` command: bare, it starts the window; with a subcommand, it works headless.

Subcommands live in ``houshi_desk/commands/<area>.py``; each module's ``register(subparsers)`` adds
its own. Heavy imports happen inside handlers so ``houshi-desk --version`` stays instant.
"""
from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys

from houshi_desk import __version__
from houshi_desk.errors import HoushiError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="houshi-desk",
        description="公民身后“一件事”综合窗口受理程序",
    )
    parser.add_argument("--version", action="version", version=f"houshi-desk {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="输出调试日志")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    import houshi_desk.commands as commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"houshi_desk.commands.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(sub)
    return parser


def _start_gui() -> int:
    try:
        from houshi_desk.gui.app import main as gui_main
    except ImportError as exc:
        print(f"图形界面无法启动：{exc}。可用子命令见 houshi-desk --help。", file=sys.stderr)
        return 2
    return gui_main([])


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if getattr(args, "func", None) is None:
        return _start_gui()
    try:
        return int(args.func(args) or 0)
    except HoushiError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        if exc.detail:
            logging.getLogger("houshi_desk").debug("detail: %s", exc.detail)
        return 2
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except Exception:
        # A bug, not bad input: the clerk gets a sentence, the log (and -v) the traceback.
        logging.getLogger("houshi_desk").exception("unexpected error in %s", args.command)
        if args.verbose:
            raise
        print("程序内部错误，操作未完成，已有数据未受影响。请用 -v 重试查看详情，或联系信息科。", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())

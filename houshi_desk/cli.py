"""The ``houshi-desk`` command: bare, it starts the window; with a subcommand, it works headless.

Subcommands live in ``houshi_desk/commands/<area>.py``; each module's ``register(subparsers)`` adds
its own. Heavy imports happen inside handlers so ``houshi-desk --version`` stays instant.

The error path (``main``): the clerk gets one Chinese sentence on stderr, the traceback goes only to
the log file (``houshi_desk.logs``). Exit codes:

    0   done
    1   done, but something needs a look (e.g. ``whoami`` with nobody logged in, ``audit verify`` failed)
    2   the user's input cannot be used: a HoushiError, a bad file or argument, no login, no terminal
    3   an internal error (a bug): nothing half-done was kept, the log has the details
    130 interrupted (Ctrl+C)

A closed pipe on stdout (``houshi-desk case show … | head``) ends the command quietly with 0.
"""
from __future__ import annotations

import argparse
import errno
import importlib
import logging
import os
import pkgutil
import re
import sys

from houshi_desk import __version__
from houshi_desk.errors import HoushiError

EXIT_OK, EXIT_USER, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 2, 3, 130

log = logging.getLogger("houshi_desk.cli")


# argparse's own complaints (English, no Chinese catalogue ships with Python), said in Chinese.
_ARGPARSE_MESSAGES = [
    (re.compile(r"^the following arguments are required: (.+)$"), "缺少必需的参数：{0}"),
    (re.compile(r"^unrecognized arguments: (.+)$"), "不认识的参数：{0}"),
    (re.compile(r"^argument (\S+): invalid choice: (.+?) \(choose from (.+)\)$"), "参数 {0} 的值 {1} 不可用，可选：{2}"),
    (re.compile(r"^argument (\S+): expected one argument$"), "参数 {0} 后面需要给出一个值"),
    (re.compile(r"^argument (\S+): expected at least one argument$"), "参数 {0} 后面至少需要给出一个值"),
    (re.compile(r"^argument (\S+): invalid (?:int|float) value: (.+)$"), "参数 {0} 应为数字，实际为 {1}"),
    (re.compile(r"^argument (\S+): not allowed with argument (\S+)$"), "参数 {0} 不能与 {1} 同时使用"),
    (re.compile(r"^one of the arguments (.+) is required$"), "以下参数必须给出其中一个：{0}"),
    (re.compile(r"^argument (\S+): (.+)$"), "参数 {0}：{1}"),
]


def _chinese(message: str) -> str:
    for pattern, text in _ARGPARSE_MESSAGES:
        m = pattern.match(message.strip())
        if m:
            return text.format(*m.groups())
    return message


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with its complaints put as a Chinese sentence saying where to look (exit 2)."""

    _WORDS = (("usage: ", "用法："), ("positional arguments:", "位置参数："), ("options:", "选项："),
              ("show this help message and exit", "显示本帮助并退出"),
              ("show program's version number and exit", "显示版本号并退出"))

    def _chinese_words(self, text: str) -> str:
        for english, chinese in self._WORDS:
            text = text.replace(english, chinese)
        return text

    def format_usage(self) -> str:
        return self._chinese_words(super().format_usage())

    def format_help(self) -> str:
        return self._chinese_words(super().format_help())

    def error(self, message: str):  # noqa: D401 - argparse's hook
        self.print_usage(sys.stderr)
        self.exit(EXIT_USER, f"命令参数有误：{_chinese(message)}。用法见：{self.prog} --help\n")


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(
        prog="houshi-desk",
        description="公民身后“一件事”综合窗口受理程序",
    )
    parser.add_argument("--version", action="version", version=f"houshi-desk {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="在屏幕上也输出调试日志")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    import houshi_desk.commands as commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"houshi_desk.commands.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(sub)
    return parser


def _start_gui() -> int:
    import importlib.util

    if importlib.util.find_spec("PySide6") is None:  # third-party (the [gui] extra); only gui/ imports it
        log.warning("window unavailable: PySide6 is not installed")
        _say("图形界面无法启动（本机缺少 PySide6 组件）。可用子命令见 houshi-desk --help。")
        return EXIT_USER
    from houshi_desk.gui.app import main as gui_main  # our own module: missing is a crash, not a skip

    return gui_main([])


def _say(text: str) -> None:
    try:
        print(text, file=sys.stderr)
    except (OSError, ValueError, AttributeError):  # stderr closed too: the exit code still tells
        pass


def _silence_stdout() -> None:
    """After a broken pipe: point stdout at /dev/null so the interpreter's final flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _os_error_message(exc: OSError) -> tuple[int, str]:
    name = exc.filename if exc.filename is not None else ""
    what = f"“{name}”" if name else "文件"
    if isinstance(exc, FileNotFoundError):
        return EXIT_USER, f"找不到{what}。请检查路径和文件名。"
    if isinstance(exc, IsADirectoryError):
        return EXIT_USER, f"{what}是一个文件夹，这里需要文件。请给出文件的完整路径。"
    if isinstance(exc, NotADirectoryError):
        return EXIT_USER, f"路径{what}中有一段不是文件夹。请检查路径。"
    if isinstance(exc, PermissionError):
        return EXIT_USER, f"没有权限访问{what}。请检查文件和文件夹的权限，或换一个位置。"
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return EXIT_USER, "磁盘空间不足，操作未完成。请清理磁盘后再试。"
    if exc.errno == errno.EROFS:
        return EXIT_USER, f"{what}所在的磁盘是只读的。请换一个可写的位置。"
    return EXIT_INTERNAL, ""


def _internal(command: str) -> int:
    from houshi_desk.logs import log_path

    log.exception("internal error in command %s", command)
    where = ""
    try:
        where = f"详细信息已写入日志 {log_path()}，"
    except Exception:  # noqa: BLE001 - the sentence must come out even if the settings are broken
        pass
    _say(f"程序内部错误，操作未完成，已保存的数据未受影响。{where}请把日志交给信息科。")
    return EXIT_INTERNAL


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:  # e.g. ``houshi-desk --help | head -1``: argparse's own output
        _silence_stdout()
        return EXIT_OK
    except KeyboardInterrupt:  # Ctrl+C while the program is still starting
        _say("已中断，本次操作未完成。")
        return EXIT_INTERRUPTED


def _main(argv: list[str] | None) -> int:
    if not (sys.argv[1:] if argv is None else argv):
        # The bare command starts the window: no need to import every subcommand's module to build
        # a parser for no arguments (issue 19: the window's start-up).
        from houshi_desk.logs import setup_logging

        setup_logging(verbose=False)
        logging.captureWarnings(True)
        return _start_gui()
    parser = build_parser()
    args = parser.parse_args(argv)  # bad arguments: SystemExit(2) with a Chinese sentence (above)
    from houshi_desk.logs import setup_logging

    setup_logging(verbose=args.verbose)
    logging.captureWarnings(True)  # e.g. getpass's echo warning: to the log, not the clerk's screen
    if getattr(args, "func", None) is None:
        return _start_gui()
    log.info("command %s started", _command_name(args))
    try:
        code = int(args.func(args) or 0)
        if sys.stdout is not None:
            sys.stdout.flush()  # a closed pipe shows up here, inside the error path, not at exit
        log.info("command %s finished with %d", _command_name(args), code)
        return code
    except BrokenPipeError:
        _silence_stdout()
        log.info("command %s: output pipe closed by the reader", _command_name(args))
        return EXIT_OK
    except HoushiError as exc:
        log.info("command %s refused: %s%s", _command_name(args), type(exc).__name__,
                 f" ({exc.detail})" if exc.detail else "")
        _say(f"错误：{exc}")
        return EXIT_USER
    except KeyboardInterrupt:
        log.info("command %s interrupted", _command_name(args))
        _say("已中断，本次操作未完成。")
        return EXIT_INTERRUPTED
    except RecursionError:  # a file nested thousands deep handed to a parser (the json module recurses)
        log.warning("command %s: input nested too deep", _command_name(args), exc_info=True)
        _say("错误：输入的文件层次嵌套太深，无法读取，操作未完成。请检查是否选错了文件。")
        return EXIT_USER
    except EOFError:
        log.info("command %s: standard input ended", _command_name(args))
        _say("错误：没有读到输入（标准输入已关闭或已结束）。请在终端中运行，或按 --help 所示的 --…-stdin 选项提供输入。")
        return EXIT_USER
    except OSError as exc:
        code, text = _os_error_message(exc)
        if code == EXIT_INTERNAL:
            return _internal(_command_name(args))
        log.info("command %s: %s errno %s", _command_name(args), type(exc).__name__, exc.errno)
        _say(f"错误：{text}")
        return code
    except Exception as exc:  # noqa: BLE001 - the last line: a sentence, never a traceback
        from houshi_desk.config import ConfigError

        if isinstance(exc, ConfigError):  # a settings file the office wrote: theirs to fix
            log.info("command %s: settings file refused", _command_name(args))
            _say(f"错误：{exc}")
            return EXIT_USER
        return _internal(_command_name(args))


def _command_name(args) -> str:
    parts = [getattr(args, "command", None) or ""]
    for key, value in sorted(vars(args).items()):
        if key.endswith("_command") and isinstance(value, str):
            parts.append(value)
    return " ".join(p for p in parts if p)


if __name__ == "__main__":
    sys.exit(main())

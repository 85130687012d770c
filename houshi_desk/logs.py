"""The program's log file: ``<paths.log_dir>/houshi-desk.log``, rotated at 2 MB, five files in all.

Set up once per process by the CLI (``cli.main``) and by the window (``gui/app.py``) through
:func:`setup_logging`. Everything written passes :class:`PrivacyFilter` first, so the file holds no
ID numbers, bank cards, mobile numbers or names: the log is for provincial IT, who read where a
fault happened (exception type, module, line), not whom it concerned.

- ID numbers and other long digit runs are masked as in lists (``150702********1234``) with the
  audit trail's own scrubber (:func:`houshi_desk.audit.scrub.scrub`);
- mainland mobile numbers keep only their last four digits;
- Chinese text in the *values* logged (arguments, exception messages) is replaced by ``＊``: names
  are Chinese, and an exception's message can quote one. The program's own format strings (code,
  English) stay readable.
"""
from __future__ import annotations

import logging
import logging.handlers
import os
import re
import traceback
from pathlib import Path

LOG_FILE = "houshi-desk.log"
MAX_BYTES = 2 * 1024 * 1024
BACKUP_COUNT = 4  # houshi-desk.log + .1 … .4 = five files of at most 2 MB
FORMAT = "%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s"

# CJK ideographs (incl. extensions and compatibility forms) and the private-use area rare
# characters on ID cards are mapped to; runs of them collapse to one mark.
_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ue000-\uf8ff\U00020000-\U0003134f·]+")
_MOBILE = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[- ]?)?1[3-9]\d{5}(\d{4})(?![0-9A-Za-z])")


def clean(text: str) -> str:
    """``text`` without ID numbers, bank cards, mobile numbers or Chinese words (names)."""
    from houshi_desk.audit.scrub import scrub

    text = scrub(text)
    text = _MOBILE.sub(lambda m: "*******" + m.group(1), text)
    return _CJK.sub("＊", text)


def _clean_value(value):
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    return clean(str(value))


class PrivacyFilter(logging.Filter):
    """Rewrites each record in place before any handler formats it (see the module docstring)."""

    def filter(self, record: logging.LogRecord) -> bool:
        from houshi_desk.audit.scrub import scrub

        try:
            if record.args:
                args = record.args
                if isinstance(args, dict):
                    record.args = {k: _clean_value(v) for k, v in args.items()}
                else:
                    record.args = tuple(_clean_value(a) for a in args)
            record.msg = scrub(str(record.msg))  # our own format string: IDs masked, words kept
            if record.exc_info and record.exc_info[0] is not None:
                record.exc_text = clean("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
                record.exc_info = None
            if record.stack_info:
                record.stack_info = clean(record.stack_info)
        except Exception:  # noqa: BLE001 - a log line is never worth a crash; drop its values instead
            record.msg, record.args, record.exc_info, record.exc_text = "(log record withheld: could not be cleaned)", None, None, None
        return True


_MARK = "_houshi_desk_handler"


class _QuietRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A write or rotation that fails (disk full; on Windows, another houshi-desk process holding the
    file while it rotates) loses that line quietly instead of printing logging's own traceback on
    the clerk's screen."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        pass


def log_path(settings=None) -> Path:
    if settings is not None:
        return Path(settings.paths.log_dir) / LOG_FILE
    from houshi_desk.config import paths

    return paths().log_dir / LOG_FILE


def setup_logging(settings=None, *, verbose: bool = False) -> Path | None:
    """Send this process's log records to the rotating log file (and, with ``verbose``, to stderr).

    Safe to call again (tests run many commands in one process, each with its own home): the
    previous file handler is replaced when the folder changed. Returns the log file, or None when
    its folder cannot be created (the program still runs; nothing is logged to a file)."""
    root = logging.getLogger()
    path = log_path(settings)
    for h in list(root.handlers):  # ours from an earlier call: replaced, never doubled
        if getattr(h, _MARK, None) is not None:
            root.removeHandler(h)
            h.close()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    privacy = PrivacyFilter()
    formatter = logging.Formatter(FORMAT)
    made: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler = _QuietRotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT,
                                                       encoding="utf-8", delay=True)
        old_umask = os.umask(0o077)  # the file is the office's: 0600
        try:
            handler.stream = handler._open()
        finally:
            os.umask(old_umask)
        handler.setFormatter(formatter)
        handler.addFilter(privacy)
        setattr(handler, _MARK, ("file", str(path)))
        root.addHandler(handler)
        made = path
    except OSError:
        pass
    if verbose:
        console = logging.StreamHandler()
        console.setFormatter(formatter)
        console.addFilter(privacy)
        setattr(console, _MARK, ("stderr", ""))
        root.addHandler(console)
    # Third-party chatter stays out unless asked for.
    for noisy in ("PIL", "urllib3", "httpx", "httpcore", "asyncio", "fontTools", "alembic"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if verbose else logging.WARNING)
    return made


def shutdown_logging() -> None:
    """Remove and close the handlers :func:`setup_logging` added (tests; the end of an embedding)."""
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, _MARK, None) is not None:
            root.removeHandler(h)
            h.close()

"""Small helpers the area commands share: open the store, find who is acting, read a password."""
from __future__ import annotations

import sys
from contextlib import contextmanager

from houshi_desk.users.errors import UserError


@contextmanager
def opened(settings=None):
    """(settings, store) for a command; the store is closed afterwards."""
    from sqlalchemy.exc import DBAPIError

    from houshi_desk.config import load_settings
    from houshi_desk.store.db import StoreError, open_store

    settings = settings if settings is not None else load_settings()
    store = open_store(settings)
    try:
        yield settings, store
    except DBAPIError as exc:
        if not (exc.connection_invalidated or _is_connection_error(exc)):
            raise
        # e.g. the hall's PostgreSQL restarted or went away mid-command: the transaction was rolled
        # back, so nothing half-done remains; the next command reconnects by itself.
        raise StoreError("与数据库的连接中断，本次操作未完成，也未保存任何改动。请稍候片刻再试一次；"
                         "如仍不行，请检查网络或联系信息科。", detail=str(exc.orig or exc)) from exc
    finally:
        store.close()


def _is_connection_error(exc) -> bool:
    from sqlalchemy.exc import InterfaceError, OperationalError

    return isinstance(exc, (OperationalError, InterfaceError))


def acting(settings, store, permission):
    """The logged-in user holding ``permission`` (raises NotLoggedIn / PermissionDenied)."""
    from houshi_desk.users.sessions import require

    return require(settings, permission, store=store)


def require_login_token(settings, permission) -> None:
    """Refuse at once, before the database is opened or created, when nobody has logged in at this
    terminal: a command that needs a login then writes nothing at all."""
    from houshi_desk.users.sessions import has_login, require

    if not has_login(settings):
        require(None, permission)  # raises NotLoggedIn with the "请先登录：houshi-desk login" sentence


@contextmanager
def logged_in(permission, settings=None):
    """(settings, store, user) for a command that only the logged-in account may run: the actor of
    everything the command records is ``user.username``, never a name typed on the command line."""
    from houshi_desk.config import load_settings

    settings = settings if settings is not None else load_settings()
    require_login_token(settings, permission)
    with opened(settings) as (settings, store):
        yield settings, store, acting(settings, store, permission)


def office_mode(settings) -> str:
    return str(settings.office_mode or "production")


def refuse_backdating(settings, option: str = "--today") -> None:
    """A date other than today (``--today``) is for rehearsals: refused in production, allowed in
    the demo and in tests (where the command records it in the audit trail)."""
    if office_mode(settings) == "production":
        raise UserError(f"正式模式下不能用 {option} 指定其他日期，受理和删除一律按当天办理。"
                        "如需演练，请使用演示模式：houshi-desk demo。")


def _stdin_line() -> str:
    """One line from standard input; a closed or unreadable stdin is an empty line."""
    try:
        if sys.stdin is None or sys.stdin.closed:
            return ""
        return sys.stdin.readline()
    except (OSError, ValueError, UnicodeDecodeError):
        return ""


def interactive() -> bool:
    """True when there is a terminal to ask at (stdin open and a tty)."""
    try:
        return sys.stdin is not None and not sys.stdin.closed and sys.stdin.isatty()
    except (OSError, ValueError):
        return False


def prompt_text(prompt: str, *, hint: str) -> str:
    """``input()`` at a terminal; without one, a UserError saying what to pass instead (``hint``)."""
    if not interactive():
        raise UserError(f"这里没有可输入的终端（标准输入已关闭或不是终端），无法询问“{prompt.rstrip('：:')}”。{hint}")
    try:
        return input(prompt)
    except EOFError:
        raise UserError(f"没有读到输入（标准输入已结束）。{hint}") from None


def prompt_secret(prompt: str, *, hint: str) -> str:
    """``getpass`` at a terminal; without one, a UserError saying what to pass instead (``hint``)."""
    if not interactive():
        raise UserError(f"这里没有可输入的终端（标准输入已关闭或不是终端），无法输入“{prompt.rstrip('：:')}”。{hint}")
    import getpass

    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise UserError(f"没有读到输入（标准输入已结束）。{hint}") from None


def stdin_secret(what: str, option: str) -> str:
    """The first line of standard input (``option`` given), refused with a message when empty."""
    value = _stdin_line().rstrip("\r\n")
    if not value:
        raise UserError(f"标准输入中没有读到{what}。用 {option} 时请把{what}作为第一行输入。")
    return value


def read_password(args, prompt: str = "密码：", *, confirm: bool = False) -> str:
    if getattr(args, "password_stdin", False):
        return stdin_secret("密码", "--password-stdin")
    hint = "请在终端中运行，或加 --password-stdin 从标准输入提供密码。"
    password = prompt_secret(prompt, hint=hint)
    if confirm and prompt_secret("再输入一次：", hint=hint) != password:
        raise UserError("两次输入的密码不一致，未作任何改动。请重新操作。")
    return password


def read_passphrase(args, prompt: str, *, confirm: bool = False) -> str:
    """The passphrase protecting a key file (recovery key, hall key): ``--passphrase-stdin`` or asked
    twice at a terminal when exporting."""
    if getattr(args, "passphrase_stdin", False):
        return stdin_secret("保护口令", "--passphrase-stdin")
    hint = "请在终端中运行，或加 --passphrase-stdin 从标准输入提供口令（第一行）。"
    first = prompt_secret(prompt, hint=hint)
    if confirm and prompt_secret("再输入一次：", hint=hint) != first:
        raise UserError("两次输入的口令不一致，未导出。请重新操作。")
    return first

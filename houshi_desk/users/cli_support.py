"""Small helpers the area commands share: open the store, find who is acting, read a password."""
from __future__ import annotations

import sys
from contextlib import contextmanager

from houshi_desk.users.errors import UserError


@contextmanager
def opened():
    """(settings, store) for a command; the store is closed afterwards."""
    from houshi_desk.config import load_settings
    from houshi_desk.store.db import open_store

    from sqlalchemy.exc import DBAPIError

    from houshi_desk.store.db import StoreError

    settings = load_settings()
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


def read_password(args, prompt: str = "密码：", *, confirm: bool = False) -> str:
    if getattr(args, "password_stdin", False):
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise UserError("标准输入中没有读到密码。用 --password-stdin 时请把密码作为第一行输入。")
        return password
    import getpass

    password = getpass.getpass(prompt)
    if confirm and getpass.getpass("再输入一次：") != password:
        raise UserError("两次输入的密码不一致，未作任何改动。请重新操作。")
    return password

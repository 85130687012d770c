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

    settings = load_settings()
    store = open_store(settings)
    try:
        yield settings, store
    finally:
        store.close()


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

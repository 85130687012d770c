"""Fixtures of the store tests: a supervisor logged in at this terminal through the CLI."""
from __future__ import annotations

import io

import pytest

SUPERVISOR_PASSWORD = "Chief#2026pass"


@pytest.fixture
def light_argon2(monkeypatch):
    """Same argon2id code path with smaller costs (the shipped cost is in tests/bench)."""
    from argon2 import PasswordHasher

    from houshi_desk.users import passwords

    light = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    monkeypatch.setattr(passwords, "hasher", lambda: light)
    passwords.dummy_hash.cache_clear()
    yield
    passwords.dummy_hash.cache_clear()


@pytest.fixture
def cli(monkeypatch, capsys):
    """``houshi-desk ARGV`` in this process: (exit code, stdout, stderr)."""
    from houshi_desk.cli import main

    def run(*argv: str, stdin: str = ""):
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err
    return run


@pytest.fixture
def supervisor(settings, light_argon2):
    """A supervisor ``chief`` added (the first user) and logged in at this terminal."""
    from houshi_desk.store.db import open_store
    from houshi_desk.users import add_user
    from houshi_desk.users.sessions import login

    store = open_store(settings)
    try:
        with store.session() as s:
            add_user(s, username="chief", password=SUPERVISOR_PASSWORD, role="supervisor", actor="bootstrap",
                     display_name="主管甲")
        login(store, settings, "chief", SUPERVISOR_PASSWORD)
    finally:
        store.close()
    return "chief"

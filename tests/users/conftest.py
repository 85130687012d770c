"""Fixtures of the users area: a migrated store on both back ends, users of each role."""
from __future__ import annotations

import pytest
from sqlalchemy import text


def tamper(store, sql: str, params: dict | None = None) -> None:
    """Change audit rows behind the app's back, as someone with database rights could: switch off
    the append-only triggers for that one statement."""
    with store.engine.begin() as conn:
        if store.dialect == "postgresql":
            conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
            conn.execute(text(sql), params or {})
            conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER USER"))
        else:
            conn.execute(text("DROP TRIGGER audit_log_no_update"))
            conn.execute(text("DROP TRIGGER audit_log_no_delete"))
            conn.execute(text(sql), params or {})


@pytest.fixture(autouse=True)
def light_argon2(monkeypatch):
    """Same argon2id code path, smaller cost parameters: the suite hashes hundreds of passwords.
    The shipped cost (and login time) is measured in tests/bench/bench_users.py."""
    from argon2 import PasswordHasher

    from houshi_desk.users import passwords

    light = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    monkeypatch.setattr(passwords, "hasher", lambda: light)
    passwords.dummy_hash.cache_clear()
    yield
    passwords.dummy_hash.cache_clear()


@pytest.fixture
def tamper_sql():
    return tamper


PASSWORDS = {"admin1": "Admin-pass-1", "sup1": "Super-pass-1", "clerk1": "Clerk-pass-1", "clerk2": "Clerk-pass-2"}
ROLES = {"admin1": "admin", "sup1": "supervisor", "clerk1": "clerk", "clerk2": "clerk"}


@pytest.fixture
def people(store):
    """One user of each role (and a second clerk) in ``store``."""
    from houshi_desk.users import add_user

    with store.session() as s:
        for name, role in ROLES.items():
            add_user(s, username=name, password=PASSWORDS[name], role=role, actor="bootstrap",
                     display_name={"admin1": "管理员甲", "sup1": "主管乙", "clerk1": "张三", "clerk2": "李四"}[name])
    return PASSWORDS


def run_cli(monkeypatch, capsys, *argv: str, stdin: str = "") -> tuple[int, str, str]:
    """Run ``houshi-desk ARGV`` in this process; returns (exit code, stdout, stderr)."""
    import io

    from houshi_desk.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def cli(monkeypatch, capsys):
    def run(*argv: str, stdin: str = ""):
        return run_cli(monkeypatch, capsys, *argv, stdin=stdin)
    return run


@pytest.fixture
def cli_login(cli):
    """Log in at this terminal through the CLI, as a clerk at the counter would."""
    def login(name: str):
        code, out, err = cli("login", name, "--password-stdin", stdin=PASSWORDS[name] + "\n")
        assert code == 0, err
    return login

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


from users_accounts_data import PASSWORDS, ROLES  # noqa: E402,F401 - shared with the test modules


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


@pytest.fixture
def private_pg(tmp_path):
    """A PostgreSQL cluster of this test's own (initdb in tmp), so it can be restarted and stopped
    without disturbing the shared test server other tests use. Yields a control object."""
    import os
    import random
    import shutil
    import subprocess
    from pathlib import Path

    bindir = None
    if shutil.which("pg_config"):
        bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip()
    if not bindir or not Path(bindir, "pg_ctl").exists():
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
        bindir = str(found[-1].parent) if found else None
    if not bindir:
        pytest.skip(reason="PostgreSQL server binaries (initdb, pg_ctl) not installed: cannot start a private cluster")
    as_postgres: list[str] = []
    if os.geteuid() == 0:
        if not shutil.which("runuser"):
            pytest.skip(reason="running as root without runuser: cannot start PostgreSQL as user postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    import tempfile

    # Not under tmp_path: pytest's base temp dir is private to root, and the server runs as postgres.
    root = Path(tempfile.mkdtemp(prefix="houshi-pg-"))
    if as_postgres:
        shutil.chown(root, "postgres", "postgres")
    data, sock, log = root / "data", root / "sock", root / "log"
    port = random.randint(55000, 59999)

    def run(*args: str) -> None:
        r = subprocess.run(as_postgres + [f"{bindir}/{args[0]}", *args[1:]], capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({r.returncode}): {r.stderr[-2000:]}")

    run("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
    sock.mkdir()
    if as_postgres:
        shutil.chown(sock, "postgres", "postgres")
    opts = f"-k {sock} -p {port} -c listen_addresses='' -c fsync=off"

    class Cluster:
        url = f"postgresql+psycopg://postgres@/postgres?host={sock}&port={port}"

        def start(self):
            run("pg_ctl", "-D", str(data), "-o", opts, "-l", str(log), "-w", "start")

        def stop(self):
            run("pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop")

        def restart(self):
            run("pg_ctl", "-D", str(data), "-o", opts, "-l", str(log), "-m", "fast", "-w", "restart")

    c = Cluster()
    c.start()
    try:
        yield c
    finally:
        try:
            c.stop()
        except Exception:
            pass
        shutil.rmtree(root, ignore_errors=True)

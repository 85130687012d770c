"""Fixtures every area shares: a throwaway program home with its own keyring, real databases.

Services (PostgreSQL, pcscd, cupsd, SANE, Xvfb) are found only through the HOUSHI_TEST_* variables
that ``packaging/services.sh`` exports; a test whose service is missing skips with the reason
printed, and in CI (CI=true) ``tests/_ci_no_skip.py`` turns any such skip into a failure.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

pytest_plugins = ["tests._ci_no_skip"]

# Never let a test touch the developer's real data, settings or keyring.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A fresh HOUSHI_DESK_HOME with a private file keyring (keyrings.alt) and no system config."""
    root = tmp_path / "home"
    root.mkdir()
    monkeypatch.setenv("HOUSHI_DESK_HOME", str(root))
    monkeypatch.setenv("HOUSHI_DESK_SYSTEM_CONFIG", str(root / "system-settings.toml"))
    # Test mode, as the administrator would set it (not locked): rehearsal dates (--today) are allowed.
    (root / "system-settings.toml").write_text(TEST_MODE_SETTINGS, encoding="utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    monkeypatch.delenv("HOUSHI_DESK_DATABASE_URL", raising=False)
    # keyring picks its backend once per process; give every test a fresh file keyring in its own dir.
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(PlaintextKeyring())
    yield root
    keyring.set_keyring(previous)


TEST_MODE_SETTINGS = '[office]\nmode = "test"\n'

# The password of every account ``login_as`` creates (synthetic; tests only).
TEST_PASSWORD = "Test#2026-pass"


def log_in(username: str = "clerk01", role: str = "clerk", *, display_name: str = "测试窗口人员",
           office: str = "", settings=None) -> str:
    """Create ``username`` (if missing) in the current home's database and log it in at this terminal,
    the way a clerk logs in before using the command line. Returns the user name."""
    from sqlalchemy import select

    from houshi_desk.config import load_settings
    from houshi_desk.store.db import open_store
    from houshi_desk.store.models_users import UserRow
    from houshi_desk.users import add_user, login

    settings = settings or load_settings()
    store = open_store(settings)
    try:
        with store.session(write=True) as s:
            if s.execute(select(UserRow).where(UserRow.username == username)).scalar_one_or_none() is None:
                add_user(s, username=username, password=TEST_PASSWORD, role=role, actor="bootstrap",
                         display_name=display_name, office=office)
        login(store, settings, username, TEST_PASSWORD)
    finally:
        store.close()
    return username


@pytest.fixture
def login_as(home):
    """``login_as("sup01", "supervisor")``: an account of that role, logged in at this test's terminal."""
    return log_in


@pytest.fixture
def logged_in(home) -> str:
    """A clerk (``clerk01``) logged in at this test's terminal; the CLI acts as them."""
    return log_in()


@pytest.fixture
def settings(home: Path):
    from houshi_desk.config import load_settings

    return load_settings()


def _pg_admin_url() -> str:
    url = os.environ.get("HOUSHI_TEST_PG_URL")
    if not url:
        pytest.skip("PostgreSQL not available: HOUSHI_TEST_PG_URL is not set (start packaging/services.sh)")
    return url


@pytest.fixture
def pg_url() -> str:
    """URL of a fresh, empty PostgreSQL database, dropped after the test."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin_url = _pg_admin_url()
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n AND pid <> pg_backend_pid()"
            ), {"n": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture
def sqlite_store(settings):
    """The embedded default: an encrypted SQLCipher file in the test home, migrated to head."""
    from houshi_desk.store.db import open_store

    store = open_store(settings)
    yield store
    store.close()


@pytest.fixture
def pg_store(pg_url, settings):
    from houshi_desk.store.db import open_store

    store = open_store(settings, url=pg_url)
    yield store
    store.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request):
    """Runs a store test on both back ends: the encrypted file and hall-mode PostgreSQL."""
    return request.getfixturevalue("sqlite_store" if request.param == "sqlite" else "pg_store")

"""Opening a database at the recorded heads (issue 19): one query on ``alembic_version`` instead of an
Alembic run, and the pages Alembic's check used to read (and more: the root of every table and
index) are read on purpose, so a damaged page there is still reported as damage while opening."""
from __future__ import annotations

import subprocess
import sys

import pytest

from houshi_desk.store import db as store_db
from houshi_desk.store.db import DatabaseDamaged, open_store


@pytest.fixture
def with_case(settings, supervisor, new_case):
    store = open_store(settings)
    number = new_case(store, settings)
    store.close()
    return number


def _no_alembic(monkeypatch):
    def refuse(self):
        raise AssertionError("Alembic ran on a database already at the recorded heads")

    monkeypatch.setattr(store_db.Store, "migrate", refuse)


def _root_pages(settings) -> dict[str, int]:
    store = open_store(settings)
    try:
        with store.engine.connect() as conn:
            return dict(conn.exec_driver_sql(
                "SELECT name, rootpage FROM sqlite_master WHERE type IN ('table', 'index') AND rootpage > 0").all())
    finally:
        store.close()


def _damage_page(db, page: int) -> None:
    with open(db, "r+b") as fh:
        fh.seek((page - 1) * 4096 + 200)
        fh.write(b"\xff" * 64)


def test_a_current_database_opens_without_alembic(settings, with_case, monkeypatch):
    _no_alembic(monkeypatch)
    store = open_store(settings)
    try:
        assert store.schema_is_current()
        assert store.integrity.wait(30) == []
    finally:
        store.close()


@pytest.mark.parametrize("table", ["users", "ix_parties_surname"])
def test_damage_in_a_root_page_is_found_while_opening(settings, with_case, monkeypatch, table):
    """A page no query of the opening reads by itself (the users table, a search index): the probe
    reads it, so the open stops with the damage message instead of passing."""
    pages = _root_pages(settings)
    assert table in pages, sorted(pages)
    _damage_page(settings.paths.database_file, pages[table])
    _no_alembic(monkeypatch)
    with pytest.raises(DatabaseDamaged, match="backup restore"):
        open_store(settings)


def test_opening_imports_neither_sqlalchemy_nor_alembic_nor_the_models(settings, with_case, home):
    """Outside this process (whose tests imported them long ago): opening a current database runs
    on the SQLCipher driver alone — not SQLAlchemy, not Alembic, not the models (issue 19: importing
    SQLAlchemy takes longer than a bare window takes to paint). The engine comes at the first
    query, and with it the background integrity check, before any write."""
    code = ("import sys\n"
            "from houshi_desk.store.db import open_store\n"
            "s = open_store()\n"
            "print(sorted(m for m in ('sqlalchemy', 'alembic', 'houshi_desk.store.models', "
            "'houshi_desk.store.models_all') if m in sys.modules), s.engine_made, s._integrity is None)\n"
            "from sqlalchemy import text\n"
            "with s.session() as x:\n"
            "    print('cases', x.execute(text('SELECT count(*) FROM cases')).scalar())\n"
            "print('check', s._integrity is not None, s.integrity.wait(30))\n"
            "s.close()\n")
    import os

    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=os.environ)
    assert r.returncode == 0, r.stderr[-3000:]
    lines = r.stdout.strip().splitlines()
    assert lines[-3] == "[] False True", r.stdout
    assert lines[-2] == "cases 1", r.stdout
    assert lines[-1] == "check True []", r.stdout


def test_a_wrong_key_is_refused_by_the_driver_before_any_engine(settings, with_case, monkeypatch):
    from houshi_desk.store import keys
    from houshi_desk.store.db import StoreError

    monkeypatch.setattr(keys, "database_key", lambda data_dir, db: "00" * 32)
    with pytest.raises(StoreError, match="密钥不正确或文件已损坏"):
        open_store(settings)

"""The start-up revision check (issue 19): ``MIGRATION_HEADS`` is Alembic's list of heads, an
up-to-date database opens without importing Alembic at all, and one that is behind is upgraded."""
from __future__ import annotations

import os
import subprocess
import sys

from sqlalchemy import text

from houshi_desk.store.db import MIGRATION_HEADS, MIGRATIONS_DIR, open_store


def test_the_recorded_heads_are_alembics_heads():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    heads = set(ScriptDirectory.from_config(cfg).get_heads())
    assert set(MIGRATION_HEADS) == heads, (
        "a migration was added or merged: set MIGRATION_HEADS in houshi_desk/store/db.py to "
        f"{sorted(heads)}, or every start runs Alembic (and a database at the old heads skips the new one)")


def test_an_up_to_date_database_opens_without_alembic(home, settings):
    open_store(settings).close()  # creates and migrates the database
    code = ("import sys; from houshi_desk.store.db import open_store; s = open_store(); "
            "print('alembic' in sys.modules, s.schema_is_current()); s.close()")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ),
                       timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["False", "True"], r.stdout + r.stderr


def test_a_database_behind_the_heads_is_upgraded(store):
    assert store.schema_is_current()
    with store.engine.begin() as conn:  # pretend a head is missing: Alembic must run and restore it
        conn.execute(text("DELETE FROM alembic_version"))
        conn.execute(text("INSERT INTO alembic_version (version_num) VALUES ('policy_0001'), ('sync_0001'), "
                          "('users_0001')"))
        conn.execute(text("DROP INDEX ix_parties_id_tail"))
        conn.execute(text("DROP INDEX ix_parties_surname"))
        conn.execute(text("DROP INDEX ix_parties_name_case"))
    assert not store.schema_is_current()
    store.migrate()
    assert store.schema_is_current()
    with store.engine.connect() as conn:
        assert set(conn.execute(text("SELECT version_num FROM alembic_version")).scalars()) == set(MIGRATION_HEADS)

"""The recorded revision heads (issue 19): ``MIGRATION_HEADS`` is Alembic's list of heads, and
``schema_is_current`` tells a database at them from one that is behind, which migrating upgrades."""
from __future__ import annotations

from sqlalchemy import text

from houshi_desk.store.db import MIGRATION_HEADS, MIGRATIONS_DIR


def test_the_recorded_heads_are_alembics_heads():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    heads = set(ScriptDirectory.from_config(cfg).get_heads())
    assert set(MIGRATION_HEADS) == heads, (
        "a migration was added or merged: set MIGRATION_HEADS in houshi_desk/store/db.py to "
        f"{sorted(heads)}, or every start runs Alembic (and a database at the old heads skips the new one)")


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

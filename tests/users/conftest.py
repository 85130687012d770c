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


@pytest.fixture
def tamper_sql():
    return tamper

"""Migrations size_0001 and size_0002 (issue 19) on a database with cases written by the version before: inbox rows
of applied results go (their history rows stay, and their event ids become unique), an unapplied
result stays; checklists, facts, death records and identities written as plain JSON (and the first
packing's base64 form on SQLite) are packed — and every case reads exactly as before. The downgrade
gives the old forms back and the upgrade runs again cleanly. size_0002: history event ids (a UUID in
16 bytes), a result's source (its matter's department: ""), and on SQLite the history's and last
changes' times in 8 bytes."""
from __future__ import annotations

import base64
import json
import zlib
from datetime import date, datetime

from sqlalchemy import text

from houshi_desk.services import cases as svc
from houshi_desk.store.types import MAGIC, PACKED
from houshi_desk.sync.inbox import apply_event


DEPARTMENT = {"hukou_cancel": "public_security", "assistance_stop": "civil_affairs"}
EVENTS = ["ev-0", "5969a469-f08d-448c-bcb1-fe2a1cb22c7f", "ev-2"]


def _alembic(store, how: str, target: str) -> None:
    from alembic import command
    from alembic.config import Config

    from houshi_desk.store.db import MIGRATIONS_DIR

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        getattr(command, how)(cfg, target)


def _everything(store, number: str) -> dict:
    with store.session() as s:
        row = svc.get_case_row(s, number)
        case = svc.case_from_row(row)
        return {"checklist": row.checklist, "facts": row.facts, "death": row.death,
                "identity": [p.identity for p in row.parties], "case": repr(case),
                "reasons": [(m.code, m.reason) for m in row.matters],
                "history": [(m.code, h.status, h.at, h.source, h.note, h.event_id)
                            for m in row.matters for h in m.history]}


def _raw(store, sql: str, **kw):
    with store.engine.connect() as c:
        return c.execute(text(sql), kw).fetchall()


def _first(v):
    return bytes(v)[:1] if isinstance(v, (bytes, memoryview)) else str(v)[:1]


def test_upgrade_converts_old_rows_and_downgrade_gives_them_back(store, settings):
    number = svc.create_case(store, svc.case_from_dict(svc.sample_case_dict(deceased_seq=7)), settings=settings,
                             today=date(2026, 1, 23), clerk="clerk01", submit=True)
    at = "2026-01-24T08:00:00+08:00"
    with store.session(write=True) as s:
        for i, (case_id, matter) in enumerate(((number, "hukou_cancel"), (number, "assistance_stop"),
                                               ("150702-W09-20260101-0001", "hukou_cancel"))):
            apply_event(s, {"event_id": EVENTS[i], "seq": i, "case_id": case_id, "matter": matter,
                            "department": DEPARTMENT[matter], "kind": "done", "text": f"办结{i}", "at": at},
                        datetime(2026, 1, 24, 9, 0))
    before = _everything(store, number)

    _alembic(store, "downgrade", "hall_0001")  # the database as the version before left it
    assert {r[0] for r in _raw(store, "SELECT event_id FROM sync_inbox")} == set(EVENTS)
    assert {r[0] for r in _raw(store, "SELECT source FROM matter_status_history")} == {"window", "public_security",
                                                                                     "civil_affairs"}
    if store.dialect == "sqlite":
        assert {r[0] for r in _raw(store, "SELECT typeof(at) FROM matter_status_history")} == {"text"}
    assert {_first(r[0]) for r in _raw(store, "SELECT checklist FROM cases")} == {"{"}
    assert all(r[0] for r in _raw(store, "SELECT reason FROM case_matters"))  # every reason written out
    if store.dialect == "sqlite":  # one checklist in the first packing's form (base64 of zlib)
        plain = json.dumps(before["checklist"], ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        first = json.dumps({PACKED: base64.b64encode(zlib.compress(plain, 9)).decode("ascii")})
        with store.engine.begin() as c:
            c.execute(text("UPDATE cases SET checklist = :v WHERE number = :n"), {"v": first, "n": number})

    store.migrate()
    assert store.schema_is_current()
    assert _everything(store, number) == before
    # each applied result once: its history row; the unapplied one stays in the inbox
    assert [r[0] for r in _raw(store, "SELECT event_id FROM sync_inbox")] == ["ev-2"]
    for table, column in (("cases", "checklist"), ("cases", "facts"), ("cases", "death"), ("parties", "identity")):
        assert {_first(r[0]) for r in _raw(store, f"SELECT {column} FROM {table}")} == {bytes((MAGIC,))}, column
    assert {r[0] for r in _raw(store, "SELECT reason FROM case_matters")} == {""}  # each in the checklist once
    assert {r[0] for r in _raw(store, "SELECT source FROM matter_status_history")} == {"window", ""}
    ids = {bytes(r[0]) for r in _raw(store, "SELECT event_id FROM matter_status_history WHERE event_id IS NOT NULL")}
    assert ids == {b"ev-0", bytes.fromhex(EVENTS[1].replace("-", ""))}
    if store.dialect == "sqlite":
        from houshi_desk.store.types import pack_time

        for table, column in (("matter_status_history", "at"), ("case_matters", "updated_at"),
                              ("case_materials", "updated_at")):
            assert {r[0] for r in _raw(store, f"SELECT typeof({column}) FROM {table}")} == {"blob"}
        # the SQL conversion gives what the model writes
        got = {bytes(r[0]) for r in _raw(store, "SELECT at FROM matter_status_history")}
        assert got == {pack_time(h[2]) for h in before["history"]}
    assert all(reason.startswith(("适用", "不适用")) for _, reason in before["reasons"])

    _alembic(store, "downgrade", "hall_0001")
    _alembic(store, "upgrade", "heads")
    assert _everything(store, number) == before
    with store.engine.begin() as c:  # set back (as tests/store/test_migration_heads.py does): runs again cleanly
        c.execute(text("UPDATE alembic_version SET version_num = 'hall_0001'"))
    store.migrate()
    assert _everything(store, number) == before
    assert [r[0] for r in _raw(store, "SELECT event_id FROM sync_inbox")] == ["ev-2"]

"""size: each department result stored once; JSON values packed with a preset dictionary (issue 19)

Revision ID: size_0001
Revises: hall_0001
Create Date: 2026-12-01

* A department result applied to a case lives in its matter's status history (status, time,
  department, text) and its event id there is the record that it was applied: the history's
  ``event_id`` becomes unique, and the inbox keeps only results it could not apply (a case or a
  matter this store does not have). Inbox rows of applied results whose history row holds the same
  event id are removed — each was the same result stored a second time (4.6 KiB of every case).
* ``case_matters.reason`` is stored "" where it is the reason the case's checklist snapshot holds for
  the matter (the same text twice); the model reads it from the snapshot.
* ``cases.checklist``, ``cases.facts``, ``cases.death`` and ``parties.identity`` hold the packed form of
  ``houshi_desk.store.types`` (deflate with a dictionary built from the catalog): existing rows are
  converted; on PostgreSQL the columns become ``bytea`` (they were ``json``).

Running it again (a database whose ``alembic_version`` was set back) changes nothing. The downgrade
writes plain JSON back and rebuilds the inbox rows from the history.
"""
from alembic import op
import sqlalchemy as sa


revision = "size_0001"
down_revision = "hall_0001"
branch_labels = None
depends_on = None

PACKED_COLUMNS = (("cases", "checklist"), ("cases", "facts"), ("cases", "death"), ("parties", "identity"))
BATCH = 500
INDEX = "ix_matter_status_history_event_id"


def _column_type(bind, table: str, column: str) -> str:
    return next(str(c["type"]) for c in sa.inspect(bind).get_columns(table) if c["name"] == column).lower()


def _rewrite(bind, table: str, column: str, convert) -> None:
    """``convert(value) -> new value or None (leave it)`` over every non-null value, in id batches."""
    last = 0
    while True:
        rows = bind.execute(sa.text(f'SELECT id, "{column}" FROM "{table}" WHERE id > :last AND "{column}" IS NOT NULL '
                                    f"ORDER BY id LIMIT {BATCH}"), {"last": last}).fetchall()
        if not rows:
            return
        changes = []
        for pk, value in rows:
            new = convert(value)
            if new is not None:
                changes.append({"pk": pk, "v": new})
        if changes:
            bind.execute(sa.text(f'UPDATE "{table}" SET "{column}" = :v WHERE id = :pk'), changes)
        last = rows[-1][0]


def _is_packed(value) -> bool:
    from houshi_desk.store.types import MAGIC

    if isinstance(value, memoryview):
        value = value.tobytes()
    return isinstance(value, (bytes, bytearray)) and bytes(value[:1]) == bytes((MAGIC,))


def _reasons(bind, restore: bool) -> None:
    """Matter reasons equal to the checklist's: stored "" (upgrade) or written back (downgrade)."""
    from houshi_desk.store.types import unpack

    def told_reason(checklist, code):  # as CaseMatterRow.told_reason, frozen here
        for m in (checklist or {}).get("matters") or ():
            if isinstance(m, dict) and m.get("code") == code:
                return m.get("reason") if isinstance(m.get("reason"), str) else None
        return None

    last = 0
    while True:
        cases = bind.execute(sa.text(f"SELECT id, checklist FROM cases WHERE id > :last AND checklist IS NOT NULL "
                                     f"ORDER BY id LIMIT {BATCH}"), {"last": last}).fetchall()
        if not cases:
            return
        told = {pk: unpack(v) for pk, v in cases}
        changes = []
        for pk, case_id, code, reason in bind.execute(sa.text(
                "SELECT id, case_id, code, reason FROM case_matters WHERE case_id > :a AND case_id <= :b"),
                {"a": last, "b": cases[-1][0]}):
            if case_id not in told:
                continue
            text = told_reason(told[case_id], code)
            if restore and reason == "" and text:
                changes.append({"pk": pk, "v": text})
            elif not restore and reason and reason == text:
                changes.append({"pk": pk, "v": ""})
        if changes:
            bind.execute(sa.text("UPDATE case_matters SET reason = :v WHERE id = :pk"), changes)
        last = cases[-1][0]


def upgrade() -> None:
    from houshi_desk.store.types import pack, unpack

    bind = op.get_bind()
    pg = bind.dialect.name == "postgresql"
    # 1. each result once: the history row is the record of an applied result (run again after
    # size_0002 stored the history's ids as bytes, there is nothing left to remove)
    if not (pg and _column_type(bind, "matter_status_history", "event_id") == "bytea"):
        bind.execute(sa.text(
            "DELETE FROM sync_inbox WHERE applied = :yes AND event_id IN "
            "(SELECT event_id FROM matter_status_history WHERE event_id IS NOT NULL)"), {"yes": True})
    if INDEX not in {i["name"] for i in sa.inspect(bind).get_indexes("matter_status_history")}:
        op.create_index(INDEX, "matter_status_history", ["event_id"], unique=True)
    # 2. packed JSON values
    for table, column in PACKED_COLUMNS:
        if pg and _column_type(bind, table, column) != "bytea":
            op.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE bytea '
                       f"USING convert_to(\"{column}\"::text, 'UTF8')")
        _rewrite(bind, table, column, lambda v: None if _is_packed(v) else pack(unpack(v)))
    # 3. a matter's reason once: in the checklist snapshot
    _reasons(bind, restore=False)


def downgrade() -> None:
    import json

    from houshi_desk.store.types import unpack

    bind = op.get_bind()
    pg = bind.dialect.name == "postgresql"
    _reasons(bind, restore=True)
    for table, column in PACKED_COLUMNS:
        def plain(v):
            if not _is_packed(v):
                return None
            text = json.dumps(unpack(v), ensure_ascii=False, separators=(",", ":"))
            return text.encode("utf-8") if pg else text
        _rewrite(bind, table, column, plain)
        if pg:
            op.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE json '
                       f"USING convert_from(\"{column}\", 'UTF8')::json")
    if INDEX in {i["name"] for i in sa.inspect(bind).get_indexes("matter_status_history")}:
        op.drop_index(INDEX, table_name="matter_status_history")
    # the inbox rows of applied results, rebuilt from the history (the event as first written is gone:
    # ``raw`` stays empty and the receiving time is the result's own)
    bind.execute(sa.text(
        "INSERT INTO sync_inbox (event_id, case_number, matter_code, department, kind, text, occurred_at, "
        "received_at, applied, raw) "
        "SELECT h.event_id, c.number, m.code, h.source, h.status, h.note, h.at, h.at, :yes, '{}' "
        "FROM matter_status_history h JOIN case_matters m ON m.id = h.matter_id JOIN cases c ON c.id = m.case_id "
        "WHERE h.event_id IS NOT NULL AND h.event_id NOT IN (SELECT event_id FROM sync_inbox) ORDER BY h.id"),
        {"yes": True})

"""size: a matter's history and last changes stored compactly (issue 19)

Revision ID: size_0002
Revises: size_0001
Create Date: 2026-12-01

* ``matter_status_history.event_id``: a UUID's 16 bytes instead of its 36 characters (any other id
  stays its UTF-8 text; ``houshi_desk.store.types.EventId``); on PostgreSQL the column becomes ``bytea``.
* ``matter_status_history.source`` is stored "" when it is the matter's own department (a department's
  result); the model reads the department from the matter.
* SQLite only: ``matter_status_history.at``, ``case_matters.updated_at`` and ``case_materials.updated_at``
  in 8 bytes (big-endian microseconds since 0001-01-01, ``CompactDateTime``) instead of 26 characters
  of text; PostgreSQL's ``timestamp`` is 8 bytes already.

Running it again changes nothing; the downgrade writes the text forms back.
"""
from alembic import op
import sqlalchemy as sa


revision = "size_0002"
down_revision = "size_0001"
branch_labels = None
depends_on = None

TIMES = (("matter_status_history", "at"), ("case_matters", "updated_at"), ("case_materials", "updated_at"))
H = "[0-9a-f]"
UUID_GLOB = f"{H * 8}-{H * 4}-{H * 4}-{H * 4}-{H * 12}"
UUID_RE = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
BATCH = 1000


def _column_type(bind, table: str, column: str) -> str:
    return next(str(c["type"]) for c in sa.inspect(bind).get_columns(table) if c["name"] == column).lower()


def _python_rewrite(bind, table: str, column: str, where: str, convert) -> None:
    last = 0
    while True:
        rows = bind.execute(sa.text(f'SELECT id, "{column}" FROM "{table}" WHERE id > :last AND {where} '
                                    f"ORDER BY id LIMIT {BATCH}"), {"last": last}).fetchall()
        if not rows:
            return
        bind.execute(sa.text(f'UPDATE "{table}" SET "{column}" = :v WHERE id = :pk'),
                     [{"pk": pk, "v": convert(v)} for pk, v in rows])
        last = rows[-1][0]


def upgrade() -> None:
    from houshi_desk.store.types import pack_event_id

    bind = op.get_bind()
    pg = bind.dialect.name == "postgresql"
    bind.execute(sa.text(
        "UPDATE matter_status_history SET source = '' WHERE source <> '' AND source = "
        "(SELECT m.department FROM case_matters m WHERE m.id = matter_status_history.matter_id "
        "AND m.department <> '')"))
    if pg:
        if _column_type(bind, "matter_status_history", "event_id") != "bytea":
            op.execute(
                "ALTER TABLE matter_status_history ALTER COLUMN event_id TYPE bytea USING CASE "
                f"WHEN event_id ~ '{UUID_RE}' THEN decode(replace(event_id, '-', ''), 'hex') "
                "WHEN octet_length(convert_to(event_id, 'UTF8')) = 16 THEN '\\x00'::bytea || convert_to(event_id, 'UTF8') "
                "ELSE convert_to(event_id, 'UTF8') END")
        return
    bind.execute(sa.text("UPDATE matter_status_history SET event_id = unhex(replace(event_id, '-', '')) "
                         "WHERE typeof(event_id) = 'text' AND event_id GLOB :g"), {"g": UUID_GLOB})
    _python_rewrite(bind, "matter_status_history", "event_id", "typeof(event_id) = 'text'", pack_event_id)
    for table, column in TIMES:
        bind.execute(sa.text(
            f'UPDATE "{table}" SET "{column}" = unhex(printf(\'%016X\', '
            f"(CAST(strftime('%s', \"{column}\") AS INTEGER) + 62135596800) * 1000000 + "
            f"CASE WHEN length(\"{column}\") > 20 THEN CAST(substr(substr(\"{column}\", 21) || '000000', 1, 6) "
            f"AS INTEGER) ELSE 0 END)) WHERE typeof(\"{column}\") = 'text'"))


def downgrade() -> None:
    from houshi_desk.store.types import unpack_event_id, unpack_time

    bind = op.get_bind()
    pg = bind.dialect.name == "postgresql"
    bind.execute(sa.text(
        "UPDATE matter_status_history SET source = (SELECT m.department FROM case_matters m "
        "WHERE m.id = matter_status_history.matter_id) WHERE source = ''"))
    if pg:
        if _column_type(bind, "matter_status_history", "event_id") == "bytea":
            op.execute(
                "ALTER TABLE matter_status_history ALTER COLUMN event_id TYPE varchar(64) USING CASE "
                "WHEN octet_length(event_id) = 16 THEN CAST(encode(event_id, 'hex') AS uuid)::text "
                "WHEN octet_length(event_id) = 17 AND get_byte(event_id, 0) = 0 "
                "THEN convert_from(substring(event_id from 2), 'UTF8') "
                "ELSE convert_from(event_id, 'UTF8') END")
        return
    _python_rewrite(bind, "matter_status_history", "event_id", "typeof(event_id) = 'blob'", unpack_event_id)
    for table, column in TIMES:
        _python_rewrite(bind, table, column, f"typeof(\"{column}\") = 'blob'",
                        lambda v: unpack_time(v).strftime("%Y-%m-%d %H:%M:%S.%f"))

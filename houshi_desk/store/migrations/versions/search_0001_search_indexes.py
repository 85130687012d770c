"""search indexes: name prefix → case, surname → newest cases, ID number tail → case (issue 19)

Revision ID: search_0001
Revises: policy_0001, sync_0001, users_0001
Create Date: 2026-11-30

Serves houshi_desk/services/search.py: a name prefix reads case ids from ``(name, case_id)`` without
touching the table; a common prefix (one surname) walks ``(substr(name, 1, 1), case_id, name)``
backwards from the newest case; the last four characters of an ID number (what masked lists show)
are indexed as ``substr(…, -4)`` on SQLite and ``right(…, 4)`` on PostgreSQL. The search builds the
same expressions, with literal arguments, or the planner would not match them to the indexes.

It merges the heads of its day so it runs after every migration that rebuilt ``parties``: SQLite's
batch mode recreates a table from its reflection, and reflection skips expression indexes, so a
later batch rebuild of ``parties`` must re-create ``ix_parties_surname`` and ``ix_parties_id_tail`` (tests/store/
test_search.py checks they exist after ``upgrade heads``). Not declared in models.py: expression
indexes cannot be, portably, and the plain one stays beside them.
"""
from alembic import op
import sqlalchemy as sa


revision = "search_0001"
down_revision = ("policy_0001", "sync_0001", "users_0001")
branch_labels = ("search",)
depends_on = None


def _tail_expression() -> str:
    return "right(id_number, 4)" if op.get_bind().dialect.name == "postgresql" else "substr(id_number, -4)"


def upgrade() -> None:
    op.create_index("ix_parties_name_case", "parties", ["name", "case_id"], unique=False)
    op.create_index("ix_parties_surname", "parties", [sa.text("substr(name, 1, 1)"), "case_id", "name"], unique=False)
    op.create_index("ix_parties_id_tail", "parties", [sa.text(_tail_expression()), "case_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_parties_id_tail", table_name="parties")
    op.drop_index("ix_parties_surname", table_name="parties")
    op.drop_index("ix_parties_name_case", table_name="parties")

"""the hall's queue and evaluations: ticket and times on a case; 好差评 evaluations (issue 17)

Revision ID: queue_0001
Revises: search_0001
Create Date: 2026-11-30

A case called from the queue records its ticket and when the family was called, served (accepted)
and finished (the ticket closed); all nullable — a case taken without the queue has none. The
``evaluations`` table holds what the family rated (GB/T 39735-2020 data items) and, for a 差评
(level 1 or 2), the supervisor's rectification task: its deadline and when it was rectified.
Plain ``add_column``: no batch rebuild of ``cases``. What already exists is left alone, so a database
whose ``alembic_version`` was set back (tests/store/test_migration_heads.py does) upgrades again cleanly.
"""
from alembic import op
import sqlalchemy as sa


revision = "queue_0001"
down_revision = "search_0001"
branch_labels = ("queue",)
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    have = {c["name"] for c in inspector.get_columns("cases")}
    for name, typ in (("ticket", sa.String(length=32)), ("called_at", sa.DateTime()),
                      ("served_at", sa.DateTime()), ("finished_at", sa.DateTime())):
        if name not in have:
            op.add_column("cases", sa.Column(name, typ, nullable=True))
    if inspector.has_table("evaluations"):
        return
    op.create_table(
        "evaluations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_number", sa.String(length=40), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("matter_codes", sa.JSON(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("clerk", sa.String(length=64), nullable=False),
        sa.Column("rectify_due", sa.Date(), nullable=True),
        sa.Column("rectified_at", sa.DateTime(), nullable=True),
        sa.Column("rectified_by", sa.String(length=64), nullable=False, server_default=""),
        sa.Column("rectify_note", sa.Text(), nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluations")),
    )
    op.create_index(op.f("ix_evaluations_case_number"), "evaluations", ["case_number"], unique=False)
    op.create_index(op.f("ix_evaluations_at"), "evaluations", ["at"], unique=False)
    op.create_index(op.f("ix_evaluations_clerk"), "evaluations", ["clerk"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_evaluations_clerk"), table_name="evaluations")
    op.drop_index(op.f("ix_evaluations_at"), table_name="evaluations")
    op.drop_index(op.f("ix_evaluations_case_number"), table_name="evaluations")
    op.drop_table("evaluations")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("finished_at")
        batch.drop_column("served_at")
        batch.drop_column("called_at")
        batch.drop_column("ticket")

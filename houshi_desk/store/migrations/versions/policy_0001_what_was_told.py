"""what the family was told: catalog version, checklist snapshot, delivery, specific relationship

Revision ID: policy_0001
Revises: 0001
Create Date: 2026-11-30

A reprint renders from the checklist kept at acceptance, not from today's catalog; the case records how
results are delivered (NM:175 自取或邮递); a 特定关系人 (NX:83) says what the relationship is.
"""
from alembic import op
import sqlalchemy as sa


revision = "policy_0001"
down_revision = "0001"
branch_labels = ("policy",)
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("catalog_version", sa.String(length=32), nullable=False, server_default=""))
        batch.add_column(sa.Column("checklist", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("delivery", sa.JSON(), nullable=True))
    with op.batch_alter_table("parties") as batch:
        batch.add_column(sa.Column("relationship_note", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("parties") as batch:
        batch.drop_column("relationship_note")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("delivery")
        batch.drop_column("checklist")
        batch.drop_column("catalog_version")

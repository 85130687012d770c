"""a proxy's authorisation period (委托期限) on the parties table (issue 16 item 7)

Revision ID: proxy_0001
Revises: queue_0001
Create Date: 2026-11-30

The 委托书 names how long the 受托人 may act for the applicant; the case keeps it (nullable: only a
proxy has one, and a case saved before this revision has none). It is not the ID card's validity,
which stays in ``parties.identity``. Plain ``add_column``; what already exists is left alone, so a
database whose ``alembic_version`` was set back upgrades again cleanly.
"""
from alembic import op
import sqlalchemy as sa


revision = "proxy_0001"
down_revision = "queue_0001"
branch_labels = ("proxy",)
depends_on = None


def upgrade() -> None:
    have = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("parties")}
    for name in ("authorised_from", "authorised_to"):
        if name not in have:
            op.add_column("parties", sa.Column(name, sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("parties") as batch:
        batch.drop_column("authorised_to")
        batch.drop_column("authorised_from")

"""sync: outbox, results inbox, sync state

Revision ID: sync_0001
Revises: 0001
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa


revision = "sync_0001"
down_revision = "0001"
branch_labels = ("sync",)
depends_on = None


def upgrade() -> None:
    # Written from models_sync.py at the first release, then reviewed; never edit after it ships.
    op.create_table(
        "sync_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_number", sa.String(length=40), nullable=False),
        sa.Column("case_version", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("group_order", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("payload_sha256", sa.String(length=64), nullable=False),
        sa.Column("material_code", sa.String(length=64), nullable=True),
        sa.Column("file_sha256", sa.String(length=64), nullable=True),
        sa.Column("file_size", sa.BigInteger(), nullable=True),
        sa.Column("remote_id", sa.String(length=300), nullable=True),
        sa.Column("remote_offset", sa.BigInteger(), nullable=False),
        sa.Column("upload_generation", sa.Integer(), nullable=False),
        sa.Column("bytes_sent", sa.BigInteger(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("first_contact_at", sa.DateTime(), nullable=True),
        sa.Column("last_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("last_error_code", sa.String(length=40), nullable=False),
        sa.Column("lease_owner", sa.String(length=80), nullable=True),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("response", sa.JSON(), nullable=True),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("acked_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_outbox")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_sync_outbox_idempotency_key")),
        sa.UniqueConstraint("case_number", "seq", name="uq_sync_outbox_case_seq"),
    )
    with op.batch_alter_table("sync_outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_outbox_case_number"), ["case_number"], unique=False)
        batch_op.create_index(batch_op.f("ix_sync_outbox_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_sync_outbox_next_attempt_at"), ["next_attempt_at"], unique=False)
        batch_op.create_index("ix_sync_outbox_pick", ["state", "group_order"], unique=False)

    op.create_table(
        "sync_inbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("case_number", sa.String(length=40), nullable=False),
        sa.Column("matter_code", sa.String(length=64), nullable=False),
        sa.Column("department", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("applied", sa.Boolean(), nullable=False),
        sa.Column("raw", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_inbox")),
        sa.UniqueConstraint("event_id", name=op.f("uq_sync_inbox_event_id")),
    )
    with op.batch_alter_table("sync_inbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_inbox_case_number"), ["case_number"], unique=False)

    op.create_table(
        "sync_state",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_sync_state")),
    )


def downgrade() -> None:
    op.drop_table("sync_state")
    with op.batch_alter_table("sync_inbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_inbox_case_number"))
    op.drop_table("sync_inbox")
    with op.batch_alter_table("sync_outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_outbox_pick")
        batch_op.drop_index(batch_op.f("ix_sync_outbox_next_attempt_at"))
        batch_op.drop_index(batch_op.f("ix_sync_outbox_state"))
        batch_op.drop_index(batch_op.f("ix_sync_outbox_case_number"))
    op.drop_table("sync_outbox")

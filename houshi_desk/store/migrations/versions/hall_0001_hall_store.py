"""the hall store: scanned pages and material PDFs in PostgreSQL, chunked and sealed with the hall key (issue 17)

Revision ID: hall_0001
Revises: proxy_0001
Create Date: 2026-11-30

``hall_files`` (one row per stored file, named by the SHA-256 of its plaintext), ``hall_file_chunks``
(its AES-256-GCM sealed chunks) and ``hall_key`` (the hall key's fingerprint only — never the key).
Created on SQLite too, where they stay empty. What already exists is left alone, so a database whose
``alembic_version`` was set back (tests/store/test_migration_heads.py does) upgrades again cleanly.
"""
from alembic import op
import sqlalchemy as sa


revision = "hall_0001"
down_revision = "proxy_0001"
branch_labels = ("hall",)
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if not inspector.has_table("hall_files"):
        op.create_table(
            "hall_files",
            sa.Column("sha256", sa.String(length=64), nullable=False),
            sa.Column("size", sa.BigInteger(), nullable=False),
            sa.Column("chunks", sa.Integer(), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.PrimaryKeyConstraint("sha256", name=op.f("pk_hall_files")),
        )
        op.create_index(op.f("ix_hall_files_created_at"), "hall_files", ["created_at"], unique=False)
    if not inspector.has_table("hall_file_chunks"):
        op.create_table(
            "hall_file_chunks",
            sa.Column("sha256", sa.String(length=64), nullable=False),
            sa.Column("seq", sa.Integer(), nullable=False),
            sa.Column("data", sa.LargeBinary(), nullable=False),
            sa.ForeignKeyConstraint(["sha256"], ["hall_files.sha256"], ondelete="CASCADE",
                                    name=op.f("fk_hall_file_chunks_sha256_hall_files")),
            sa.PrimaryKeyConstraint("sha256", "seq", name=op.f("pk_hall_file_chunks")),
        )
    if not inspector.has_table("hall_key"):
        op.create_table(
            "hall_key",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("fingerprint", sa.String(length=64), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("created_by", sa.String(length=64), nullable=False),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_hall_key")),
        )


def downgrade() -> None:
    op.drop_table("hall_key")
    op.drop_table("hall_file_chunks")
    op.drop_index(op.f("ix_hall_files_created_at"), table_name="hall_files")
    op.drop_table("hall_files")
